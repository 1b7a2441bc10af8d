/** `charter oncall --ical`: the on-call calendar (RFC 5545) of oncall.yml on standard output. */
import { onCallCalendar } from "../../core/calendar/ical.js";
import type { OncallFile } from "../../core/model/oncall.js";
import type { CliIO } from "../command.js";
import { UsageError } from "../command.js";

export const DEFAULT_WEEKS = 8;
const MAX_WEEKS = 104;
const DAY_MS = 86_400_000;

export interface IcalArgs {
  at: Date;
  schedule?: string;
  tier?: string;
  person?: string;
  weeks?: string;
  /** The governance directory as shown (named in the calendar). */
  source: string;
}

/** `--weeks N`: 1 to 104 (default 8). */
export function parseWeeks(text: string | undefined): number {
  if (text === undefined) return DEFAULT_WEEKS;
  const n = Number(text);
  if (!/^\d{1,3}$/.test(text) || !Number.isInteger(n) || n < 1 || n > MAX_WEEKS) throw new UsageError(`--weeks needs a whole number of weeks from 1 to ${MAX_WEEKS} (got \`${text.slice(0, 20)}\`)`);
  return n;
}

/** Print the calendar from `at` for `--weeks` weeks. Exit 1 for an unknown tier. */
export function printCalendar(oncall: OncallFile, args: IcalArgs, io: CliIO): number {
  const weeks = parseWeeks(args.weeks);
  if (args.tier !== undefined) {
    const known = Object.entries(oncall.schedules).flatMap(([s, sch]) => Object.keys(sch.tiers).flatMap((t) => [t, `${s}/${t}`]));
    if (!known.includes(args.tier)) {
      io.err(`charter oncall: unknown tier \`${args.tier}\`; oncall.yml defines: ${[...new Set(known.filter((k) => k.includes("/")))].join(", ") || "none"}`);
      return 1;
    }
  }
  const text = onCallCalendar(oncall, {
    source: args.source,
    from: args.at,
    to: new Date(args.at.getTime() + weeks * 7 * DAY_MS),
    stamp: args.at,
    ...(args.schedule ? { schedule: args.schedule } : {}),
    ...(args.tier ? { tier: args.tier } : {}),
    ...(args.person ? { person: args.person } : {}),
  });
  io.out(text.replace(/\r\n$/, ""));
  return 0;
}
