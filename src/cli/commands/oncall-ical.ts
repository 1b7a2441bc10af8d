/** `charter oncall --ical`: the on-call calendar (RFC 5545) of oncall.yml on standard output. */
import { getPrivateKey } from "@probot/get-private-key";
import { onCallCalendar } from "../../core/calendar/ical.js";
import { calendarToken } from "../../core/calendar/token.js";
import { sealKeysFrom } from "../../github/identity.js";
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

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const WORD = /^[A-Za-z0-9_./-]{1,100}$/;

/**
 * `--ical-url <server> --repo <owner>/<name>`: the subscription address of GET /oncall.ics with the
 * repository's token, made from the server's seal keys in this environment (the token is derived
 * from them, so only whoever holds the server's secrets can make one).
 */
export function printCalendarUrl(server: string, repo: string | undefined, filters: Record<string, string | undefined>, io: CliIO): number {
  const [owner, name, extra] = (repo ?? "").split("/");
  if (!owner || !name || extra !== undefined || !NAME.test(owner) || !NAME.test(name)) throw new UsageError("--ical-url needs --repo <owner>/<name>");
  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw new UsageError(`--ical-url needs the server's address, such as https://charter.example.com (got \`${server.slice(0, 100)}\`)`);
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") throw new UsageError("--ical-url needs an https:// address");
  const privateKey = io.env.PRIVATE_KEY || io.env.PRIVATE_KEY_PATH ? (getPrivateKey({ env: io.env as NodeJS.ProcessEnv }) ?? undefined) : undefined;
  const keys = sealKeysFrom(io.env, privateKey);
  const token = calendarToken(keys, `${owner}/${name}`);
  if (!token) {
    io.err("charter oncall: no seal key here: set CHARTER_SEAL_KEYS (or PRIVATE_KEY) to the server's value to make the calendar's address");
    return 1;
  }
  const url = new URL("oncall.ics", base.href.endsWith("/") ? base.href : `${base.href}/`);
  url.searchParams.set("repo", `${owner}/${name}`);
  for (const key of ["schedule", "tier", "person"] as const) {
    const v = filters[key];
    if (v === undefined) continue;
    if (!WORD.test(v)) throw new UsageError(`--${key} is a name such as ingestion, primary or a login`);
    url.searchParams.set(key, v);
  }
  url.searchParams.set("token", token);
  if (base.protocol === "http:") io.err("charter oncall: warning: an http:// address sends the token in clear; serve Charter over https");
  io.out(url.href);
  return 0;
}
