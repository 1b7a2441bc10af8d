import { DateTime } from "luxon";
import { systemClock } from "../../clock.js";
import type { Coverage, OncallFile } from "../../core/model/oncall.js";
import { nextHandoffs, whoIsOnCall, type TierHandoff, type TierOnCall } from "../../core/oncall/resolve.js";
import { localInstant, WEEKDAYS, whyNotADate } from "../../core/oncall/shift.js";
import { checkTimeZone } from "../../core/validate/checks/timezone.js";
import { parseArgs } from "../args.js";
import type { CliCommand, CliIO } from "../command.js";
import { UsageError } from "../command.js";
import { dirArgument } from "../governance-dir.js";
import { loadDir } from "../load-dir.js";

const HANDOFFS = 3;

const usage = `Usage: charter oncall [--at <instant>] [--tz <zone>] [--schedule <id>] [--dir <dir>]

Who is on call for every tier of every schedule in oncall.yml at an instant, why (rotation layer,
override and its reason, fallback, or nobody), the shift's start and end, and the next ${HANDOFFS} handoffs.

  --at <instant>    the instant to ask about (default: now). An ISO 8601 instant with its offset,
                    e.g. 2025-03-30T10:00+02:00 or 2025-03-30T08:00Z; or a local time without an
                    offset, e.g. 2025-04-01T03:00, read in the --tz zone
  --tz <zone>       show times in this IANA time zone, e.g. America/New_York
                    (default: each schedule's own time zone)
  --schedule <id>   only this schedule
  --dir <dir>       the governance directory (default: ./governance; also as the one positional
                    argument; a directory holding governance/ means that one)

Exit status: 0 answered, 1 invalid governance files or unknown schedule, 2 usage error (bad --at or --tz).`;

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** `--at`: an instant with its offset, or a local date-time read in `zone`. */
export function parseOncallAt(text: string, zone: string | undefined): Date {
  if (WITH_OFFSET.test(text)) {
    const d = DateTime.fromISO(text, { setZone: true });
    if (d.isValid) return d.toJSDate();
    throw new UsageError(`--at \`${text}\` is not a real instant${whyNotADate(text) ? `: ${whyNotADate(text)}` : ""}`);
  }
  const m = LOCAL.exec(text);
  if (!m) {
    throw new UsageError(`--at needs an instant with its offset, e.g. 2025-03-30T10:00+02:00 or 2025-03-30T08:00Z, or a local time such as 2025-04-01T03:00 with --tz (got \`${text}\`)`);
  }
  if (zone === undefined) {
    throw new UsageError(`--at \`${text}\` has no offset: add one (e.g. ${text}+02:00 or ${text}Z), or give --tz to read it as local time in that zone`);
  }
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const time = `${m[4]}:${m[5]}`;
  if (!DateTime.fromObject({ ...date, hour: Number(m[4]), minute: Number(m[5]) }, { zone: "UTC" }).isValid) {
    throw new UsageError(`--at \`${text}\` is not a real date and time${whyNotADate(text) ? `: ${whyNotADate(text)}` : ""}`);
  }
  const resolved = localInstant(date, time, zone);
  if (resolved.kind === "skipped") {
    throw new UsageError(`--at ${text} does not exist in ${zone}: the clocks skip it for daylight saving time; pick a time outside the jump`);
  }
  return resolved.at.toJSDate();
}

/** The same rule as the files: the IANA zone of a place, or UTC (an abbreviation such as EST is a fixed offset all year). */
function checkZone(zone: string): void {
  const verdict = checkTimeZone(zone);
  if (verdict.ok) return;
  throw new UsageError(`--tz: ${verdict.why ?? `unknown time zone \`${zone}\``}${verdict.hint ? ` (${verdict.hint})` : ""}`);
}

/** `Mon 2025-03-24 09:00 +01:00` in `zone`. */
export function formatLocal(d: Date, zone: string): string {
  return DateTime.fromJSDate(d, { zone }).setLocale("en-US").toFormat("ccc yyyy-MM-dd HH:mm ZZ");
}

function formatUtc(d: Date): string {
  return d.toISOString().replace(/:00\.000Z$/, "Z").replace(/\.000Z$/, "Z");
}

const DAY_ABBR = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** `Mon–Fri 09:00–18:00`, `Mon, Wed 09:00–12:00`, `always`. */
export function describeCoverage(c: Coverage | undefined): string {
  if (c === undefined || c === "always") return "always";
  const idx = [...new Set(c.days.map((d) => WEEKDAYS.indexOf(d)))].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1] === idx[j]! + 1) j++;
    const a = DAY_ABBR[idx[i]!]!;
    const b = DAY_ABBR[idx[j]!]!;
    runs.push(j - i >= 2 ? `${a}–${b}` : j === i ? a : `${a}, ${b}`);
    i = j + 1;
  }
  return `${runs.join(", ")} ${c.from}–${c.to}`;
}

function people(who: readonly string[]): string {
  return who.length === 0 ? "nobody" : who.join(", ");
}

const VIA: Record<NonNullable<NonNullable<TierOnCall["covering"]>["via"]>, string> = {
  backup: "the layer's backup list",
  "next-in-turn": "next in turn",
  "earlier-layer": "an earlier layer",
};

/** `oscar-oncall is unavailable (Vacation, Sat 2025-03-29 00:00 +01:00 → Mon 2025-03-31 00:00 +02:00)`; each skipped backup too. */
function skippedText(r: TierOnCall, zone: string | undefined): string {
  return (r.covering?.skipped ?? [])
    .map((s) => `${s.who} is unavailable (${s.absence.reason}${zone ? `, ${formatLocal(s.absence.from, zone)} → ${formatLocal(s.absence.until, zone)}` : ""})`)
    .join("; ");
}

/** Why `r` is the answer, in words (absences shown in `zone` when given). */
export function why(oncall: OncallFile, r: TierOnCall, zone?: string): string {
  const [scheduleId = "", tierId = ""] = r.tier.split("/");
  const tier = oncall.schedules[scheduleId]?.tiers[tierId];
  switch (r.source) {
    case "rotation":
      if (r.covering?.via) return `rotation, layer ${r.layer}, covering: ${skippedText(r, zone)}; ${r.who.join(", ")} covers (${VIA[r.covering.via]})`;
      return `rotation, layer ${r.layer}`;
    case "override": {
      const o = r.override;
      const which = r.overrideIndex === undefined ? "override" : `override ${r.overrideIndex}`;
      const what = r.replaced !== undefined ? `${which} replaces ${r.replaced}${r.layer ? ` (rotation, layer ${r.layer})` : ""}` : `${which} covers the tier`;
      return o?.reason ? `${what}: ${o.reason}` : what;
    }
    case "fallback":
    case "uncovered": {
      const offDuty =
        r.offDuty === "outside-coverage"
          ? `outside coverage (${describeCoverage(tier?.coverage)})`
          : r.offDuty === "no-layer-on-duty"
            ? "no layer on duty"
            : r.offDuty === "unknown-tier"
              ? "unknown tier"
              : r.offDuty === "unavailable"
                ? `nobody available: ${skippedText(r, zone)}${r.covering && r.covering.skipped.length === 1 ? ", with no backup" : ", and every backup too"}`
                : "nobody on duty";
      if (r.source === "fallback" && r.answeredBy) return `${offDuty}; fallback ${tier?.fallback ?? r.fallbackFrom}: ${why(oncall, r.answeredBy, zone)}`;
      if (tier?.fallback) return `nobody: ${offDuty}, and fallback ${tier.fallback} has nobody either`;
      return `nobody: ${offDuty}, and no fallback`;
    }
  }
}

function handoffLine(h: TierHandoff, zone: string): string {
  const covered = h.next.covering?.via ? ` (covering for ${h.next.covering.rostered}: ${h.next.covering.skipped[0]?.absence.reason ?? "unavailable"})` : h.next.covering ? ` (${h.next.covering.rostered} unavailable: ${h.next.covering.skipped[0]?.absence.reason ?? "unavailable"})` : "";
  const via = h.next.source === "fallback" ? ` (fallback ${h.next.fallbackFrom})${covered}` : h.next.source === "override" ? ` (override${h.next.overrideIndex === undefined ? "" : ` ${h.next.overrideIndex}`})` : covered;
  return `${formatLocal(h.at, zone)}  ${people(h.from)} → ${people(h.to)}${via}`;
}

/** The report for one schedule at `at`, times shown in `zone` (default: the schedule's). */
export function scheduleReport(oncall: OncallFile, scheduleId: string, at: Date, shownZone?: string): string[] {
  const schedule = oncall.schedules[scheduleId];
  if (!schedule) return [];
  const zone = shownZone ?? schedule.timezone;
  const lines = [`Schedule ${scheduleId}${schedule.title ? ` (${schedule.title})` : ""}: time zone ${schedule.timezone}; times shown in ${zone}`];
  for (const [tierId, tier] of Object.entries(schedule.tiers)) {
    const ref = `${scheduleId}/${tierId}`;
    const r = whoIsOnCall(oncall, ref, at);
    lines.push("", `  ${tierId}${tier.title ? ` (${tier.title})` : ""}: ${people(r.who)}`);
    lines.push(`    why:   ${why(oncall, r, zone)}`);
    if (tier.coverage !== undefined && tier.coverage !== "always") lines.push(`    hours: ${describeCoverage(tier.coverage)} ${schedule.timezone}${tier.fallback ? `, otherwise ${tier.fallback}` : ", otherwise nobody"}`);
    if (r.since && r.until) lines.push(`    shift: ${formatLocal(r.since, zone)} → ${formatLocal(r.until, zone)}${r.source === "fallback" ? ` (${r.fallbackFrom})` : ""}`);
    const next = nextHandoffs(oncall, ref, at, HANDOFFS);
    if (next.length === 0) lines.push("    next:  no handoff within 3 years");
    next.forEach((h, i) => lines.push(`    ${i === 0 ? "next: " : "      "} ${handoffLine(h, zone)}`));
  }
  return lines;
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { positional, values } = parseArgs(args, { values: ["at", "tz", "schedule", "dir"] });
  const given = dirArgument("oncall", values, positional);
  const tz = values.tz;
  if (tz !== undefined) checkZone(tz);
  const at = values.at === undefined ? systemClock.now() : parseOncallAt(values.at, tz);
  const loaded = await loadDir(given, io, "oncall");
  if (!loaded) return 1;
  const oncall = loaded.governance.oncall;
  if (!oncall) {
    io.err(`charter oncall: ${loaded.dir.label} has no oncall.yml, so nobody is on call. Write one as docs/oncall.md describes.`);
    return 1;
  }
  const ids = Object.keys(oncall.schedules);
  if (values.schedule !== undefined && !ids.includes(values.schedule)) {
    io.err(`charter oncall: unknown schedule \`${values.schedule}\`; oncall.yml defines: ${ids.join(", ") || "none"}`);
    return 1;
  }
  const shown = values.schedule === undefined ? ids : [values.schedule];
  const zones = new Set(shown.map((id) => oncall.schedules[id]!.timezone));
  const headerZone = tz ?? (zones.size === 1 ? [...zones][0]! : undefined);
  io.out(headerZone ? `On call at ${formatLocal(at, headerZone)} (${headerZone}), ${formatUtc(at)}` : `On call at ${formatUtc(at)}`);
  for (const id of shown) io.out(["", ...scheduleReport(oncall, id, at, tz)].join("\n"));
  return 0;
}

export const oncallCommand: CliCommand = {
  name: "oncall",
  summary: "Who is on call now (or --at an instant), why, until when, and the next handoffs",
  usage,
  run,
};
