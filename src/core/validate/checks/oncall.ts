import { DateTime } from "luxon";
import type { Governance } from "../../model/governance.js";
import type { Coverage, Layer, OncallFile, Schedule } from "../../model/oncall.js";
import { instantMillis } from "../../oncall/resolve.js";
import {
  formatLocalDate,
  isValidZone,
  nextShiftStart,
  parseLocalDate,
  parseTimeOfDay,
  shiftAt,
  shiftStartResolved,
  skippedRange,
  whyNotADate,
} from "../../oncall/shift.js";
import type { Problem } from "../problem.js";
import { didYouMean } from "../suggest.js";
import { checkTimeZone } from "./timezone.js";

/**
 * Checks of oncall.yml that its schema cannot express: time zones, handoff days and times that
 * exist, coverage windows, overrides, participants, fallbacks. Each Problem is located by its
 * YAML path in oncall.yml.
 */

const FILE = "oncall.yml";
type Path = (string | number)[];

/** How far ahead of a layer's start its handoff times are checked against daylight-saving jumps. */
const SKIPPED_HANDOFF_YEARS = 2;

function list(items: readonly string[], max = 12): string {
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} … (${items.length} in all)`;
}

export { suggestTimeZone } from "./timezone.js";

function coverageProblems(coverage: Coverage | undefined, path: Path): Problem[] {
  if (coverage === undefined || coverage === "always") return [];
  const from = parseTimeOfDay(coverage.from);
  const to = parseTimeOfDay(coverage.to);
  if (to.hour * 60 + to.minute > from.hour * 60 + from.minute) return [];
  return [
    {
      file: FILE,
      path: [...path, "coverage", "to"],
      message: `coverage ends at ${coverage.to}, which is not after it starts (${coverage.from})`,
      hint: "a coverage window lies within one day: `from` must be before `to` (write 24:00 for the end of the day); to cover a night, use two layers, e.g. 22:00 to 24:00 and 00:00 to 06:00",
    },
  ];
}

function handoffKeyProblems(layer: Layer, path: Path): Problem[] {
  const problems: Problem[] = [];
  const handoff = [...path, "handoff"];
  const { rotation } = layer;
  const { day, day_of_month: dom } = layer.handoff;
  if (rotation === "weekly" && day === undefined) {
    problems.push({ file: FILE, path: handoff, at: "key", message: "a weekly rotation needs `handoff.day`", hint: 'add the weekday of the handoff, e.g. handoff: { day: monday, time: "09:00" }' });
  }
  if (rotation === "monthly" && dom === undefined) {
    problems.push({ file: FILE, path: handoff, at: "key", message: "a monthly rotation needs `handoff.day_of_month`", hint: 'add the day of the month of the handoff (1-28), e.g. handoff: { day_of_month: 1, time: "09:00" }' });
  }
  if (rotation !== "monthly" && dom !== undefined) {
    problems.push({
      file: FILE,
      path: [...handoff, "day_of_month"],
      at: "key",
      message: `\`handoff.day_of_month\` only applies to monthly rotations; this one is ${rotation}`,
      hint: rotation === "weekly" ? "remove it: a weekly rotation hands over on `handoff.day`" : "remove it: a daily rotation hands over every day at `handoff.time`",
    });
  }
  if (rotation !== "weekly" && day !== undefined) {
    problems.push({
      file: FILE,
      path: [...handoff, "day"],
      at: "key",
      message: `\`handoff.day\` only applies to weekly rotations; this one is ${rotation}`,
      hint: rotation === "monthly" ? "remove it: a monthly rotation hands over on `handoff.day_of_month`" : "remove it: a daily rotation hands over every day at `handoff.time`",
    });
  }
  return problems;
}

function participantProblems(layer: Layer, path: Path, where: string): Problem[] {
  const people = layer.participants;
  if (people.length === 0) {
    return [{ file: FILE, path: [...path, "participants"], message: `${where} has no participants`, hint: "list who takes turns, in order, e.g. participants: [alice, bob]" }];
  }
  const problems: Problem[] = [];
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  for (let i = 1; i < people.length; i++) {
    if (same(people[i]!, people[i - 1]!)) {
      problems.push({
        file: FILE,
        path: [...path, "participants", i],
        message: `\`${people[i]}\` is listed twice in a row in ${where} (\`participants.${i - 1}\` and \`participants.${i}\`), so they would do two shifts back to back`,
        hint: "remove one of them, or put someone else between them",
      });
    }
  }
  const last = people.length - 1;
  if (last > 0 && same(people[last]!, people[0]!) && !same(people[last]!, people[last - 1]!)) {
    problems.push({
      file: FILE,
      path: [...path, "participants", last],
      message: `\`${people[last]}\` is both the last and the first participant of ${where}, so they would do two shifts back to back each time the rotation starts over`,
      hint: "remove one of them: the rotation goes back to the first participant after the last",
    });
  }
  return problems;
}

function startProblems(layer: Layer, path: Path): Problem[] {
  if (parseLocalDate(layer.start)) return [];
  const why = whyNotADate(layer.start);
  return [{ file: FILE, path: [...path, "start"], message: `\`${layer.start}\` is not a date${why ? `: ${why}` : ""}`, hint: "write the local date from which the rotation runs as YYYY-MM-DD" }];
}

/** Handoffs of the first two years that fall on a skipped local time (a spring-forward jump). */
function skippedHandoffProblems(layer: Layer, zone: string, path: Path, where: string): Problem[] {
  const first = shiftStartResolved(layer, zone, 0);
  if (!first.at.isValid || !first.date) return [];
  const start = parseLocalDate(layer.start);
  if (!start) return [];
  const end = DateTime.fromObject(start, { zone: "UTC" }).plus({ years: SKIPPED_HANDOFF_YEARS });
  const skipped: { date: string; range: { from: string; to: string } | undefined; at: DateTime }[] = [];
  for (let k = 0; ; k++) {
    const s = shiftStartResolved(layer, zone, k);
    if (!s.date || DateTime.fromObject(s.date, { zone: "UTC" }) >= end) break;
    if (s.kind === "skipped") skipped.push({ date: formatLocalDate(s.date), range: skippedRange(s.date, layer.handoff.time, zone), at: s.at });
  }
  const firstSkip = skipped[0];
  if (!firstSkip) return [];
  const jump = firstSkip.range ? ` (the clocks jump from ${firstSkip.range.from} to ${firstSkip.range.to})` : "";
  const also = skipped.length > 1 ? `; also on ${skipped.slice(1).map((s) => s.date).join(", ")}` : "";
  return [
    {
      file: FILE,
      path: [...path, "handoff", "time"],
      message: `handoff time ${layer.handoff.time} does not exist in ${zone} on ${firstSkip.date}, a handoff day of ${where}${jump}${also}`,
      hint: `${firstSkip.range ? `pick a time before ${firstSkip.range.from} or from ${firstSkip.range.to} on` : "pick another time"}; as written, that shift would start at ${firstSkip.at.toFormat("HH:mm")}`,
    },
  ];
}

function layerName(layer: Layer, i: number): string {
  return layer.name ? `layer \`${layer.name}\`` : `\`layers.${i}\``;
}

function fallbackProblems(oncall: OncallFile): Problem[] {
  const problems: Problem[] = [];
  const tiers = Object.entries(oncall.schedules).flatMap(([s, schedule]) => Object.keys(schedule.tiers).map((t) => `${s}/${t}`));
  const known = new Set(tiers);
  const fallbackOf = (ref: string): string | undefined => {
    const [s = "", t = ""] = ref.split("/");
    return oncall.schedules[s]?.tiers[t]?.fallback;
  };
  const pathOf = (ref: string): Path => {
    const [s = "", t = ""] = ref.split("/");
    return ["schedules", s, "tiers", t, "fallback"];
  };
  for (const ref of tiers) {
    const fallback = fallbackOf(ref);
    if (fallback === undefined || known.has(fallback)) continue;
    problems.push({
      file: FILE,
      path: pathOf(ref),
      message: `unknown on-call tier \`${fallback}\` in the fallback of tier \`${ref}\``,
      hint: didYouMean(fallback, tiers) ?? `tiers are written schedule/tier; this file defines: ${list(tiers)}`,
    });
  }
  const reported = new Set<string>();
  for (const ref of tiers) {
    const chain: string[] = [];
    let current: string | undefined = ref;
    while (current !== undefined && known.has(current) && !chain.includes(current)) {
      chain.push(current);
      current = fallbackOf(current);
    }
    if (current === undefined || !chain.includes(current)) continue;
    const cycle = chain.slice(chain.indexOf(current));
    const key = [...cycle].sort().join(" ");
    if (reported.has(key)) continue;
    reported.add(key);
    const head = cycle[0]!;
    problems.push({
      file: FILE,
      path: pathOf(head),
      message: `fallback cycle: ${[...cycle, head].join(" → ")}`,
      hint: "end the chain of fallbacks at a tier without `fallback` (or one that is always covered): outside their coverage, nobody in a cycle answers",
    });
  }
  return problems;
}

interface Window {
  index: number;
  from: number;
  until: number;
}

function overrideProblems(scheduleId: string, schedule: Schedule): Problem[] {
  const problems: Problem[] = [];
  const overrides = schedule.overrides ?? [];
  const tierIds = Object.keys(schedule.tiers);
  const base = (i: number): Path => ["schedules", scheduleId, "overrides", i];
  const windows: (Window | undefined)[] = overrides.map((o, index) => {
    let ok = true;
    for (const key of ["from", "until"] as const) {
      if (Number.isNaN(instantMillis(o[key]))) {
        ok = false;
        const why = whyNotADate(o[key]);
        problems.push({ file: FILE, path: [...base(index), key], message: `\`${o[key]}\` is not a real instant${why ? `: ${why}` : ""}`, hint: "write an instant with its offset, e.g. 2025-03-10T09:00+01:00" });
      }
    }
    if (!ok) return undefined;
    const from = instantMillis(o.from);
    const until = instantMillis(o.until);
    if (until <= from) {
      problems.push({
        file: FILE,
        path: [...base(index), "until"],
        message: `override ends (${o.until}) ${until === from ? "when" : "before"} it starts (${o.from})`,
        hint: "`until` is the end of the override (exclusive) and must be after `from`",
      });
      return undefined;
    }
    return { index, from, until };
  });

  overrides.forEach((o, i) => {
    if (!(o.tier in schedule.tiers)) {
      problems.push({
        file: FILE,
        path: [...base(i), "tier"],
        message: `unknown tier \`${o.tier}\` in schedule \`${scheduleId}\``,
        hint: didYouMean(o.tier, tierIds) ?? `the tiers of this schedule are: ${list(tierIds)}`,
      });
    }
  });

  // Two whole-tier overrides (no `replaces`) of the same tier at the same time.
  for (let j = 0; j < overrides.length; j++) {
    const b = overrides[j]!;
    const wb = windows[j];
    if (b.replaces !== undefined || !wb) continue;
    for (let i = 0; i < j; i++) {
      const a = overrides[i]!;
      const wa = windows[i];
      if (a.replaces !== undefined || !wa || a.tier !== b.tier) continue;
      if (!(wa.from < wb.until && wb.from < wa.until)) continue;
      const from = wa.from >= wb.from ? a.from : b.from;
      const until = wa.until <= wb.until ? a.until : b.until;
      problems.push({
        file: FILE,
        path: base(j),
        message: `\`overrides.${i}\` and \`overrides.${j}\` of schedule \`${scheduleId}\` both take over tier \`${b.tier}\` from ${from} to ${until}, neither with \`replaces\`: which one is meant is ambiguous (the later, \`overrides.${j}\`, would apply)`,
        hint: "make the two windows not overlap, or add `replaces:` to say whose shift each one covers",
      });
    }
  }

  // A swap whose `replaces` is never on call for that tier while the override lasts.
  overrides.forEach((o, i) => {
    if (o.replaces === undefined) return;
    const tier = schedule.tiers[o.tier];
    if (!tier) return;
    const replaces = o.replaces;
    const same = (x: string) => x.toLowerCase() === replaces.toLowerCase();
    const path = [...base(i), "replaces"];
    const tierRef = `${scheduleId}/${o.tier}`;
    if (same(o.who)) {
      problems.push({ file: FILE, path, message: `\`who\` and \`replaces\` are both \`${o.who}\`: this override changes nothing`, hint: "`replaces` names the person whose shift `who` takes over" });
      return;
    }
    const rotation = [...new Set(tier.layers.flatMap((l) => l.participants))];
    const earlier = overrides.slice(0, i).filter((e) => e.tier === o.tier).map((e) => e.who);
    if (!rotation.some(same) && !earlier.some(same)) {
      problems.push({
        file: FILE,
        path,
        message: `\`${replaces}\` is never on call for tier \`${tierRef}\`, so this swap never applies`,
        hint: didYouMean(replaces, rotation) ?? `the rotation of tier \`${tierRef}\` is: ${list(rotation)}; without \`replaces\`, the override covers the tier whoever is on shift`,
      });
      return;
    }
    const w = windows[i];
    if (!w || earlier.some(same)) return;
    const onShift = peopleOnShift(schedule, o.tier, w);
    if (onShift === undefined || onShift.some(same)) return;
    problems.push({
      file: FILE,
      path,
      message: `\`${replaces}\` is not on shift for tier \`${tierRef}\` between ${o.from} and ${o.until}, so this swap never applies`,
      hint: onShift.length
        ? `on shift then: ${list(onShift)}; check the dates, or remove \`replaces\` to cover the tier whoever is on shift`
        : "nobody is on shift then; check the dates, or remove `replaces` to cover the tier whoever is on shift",
    });
  });
  return problems;
}

/** Everyone on shift in any layer of the tier during the window (coverage ignored); undefined if it cannot be computed. */
function peopleOnShift(schedule: Schedule, tierId: string, w: Window): string[] | undefined {
  const tier = schedule.tiers[tierId];
  if (!tier || !isValidZone(schedule.timezone)) return undefined;
  const people = new Set<string>();
  for (const layer of tier.layers) {
    if (!parseLocalDate(layer.start) || layer.participants.length === 0) return undefined;
    let t: Date | undefined = new Date(w.from);
    for (let steps = 0; t !== undefined && t.getTime() < w.until; steps++) {
      if (steps > 5000) return undefined;
      const shift = shiftAt(layer, schedule.timezone, t);
      if (shift) people.add(shift.who);
      t = nextShiftStart(layer, schedule.timezone, t);
    }
  }
  return [...people];
}

/** Every problem of oncall.yml beyond its schema. Roles' `oncall:` references are checked elsewhere. */
export function oncallProblems(g: Governance): Problem[] {
  const oncall = g.oncall;
  if (!oncall) return [];
  const problems: Problem[] = [];
  for (const [scheduleId, schedule] of Object.entries(oncall.schedules)) {
    const zone = schedule.timezone;
    const verdict = checkTimeZone(zone);
    const zoneOk = verdict.ok;
    if (!verdict.ok) {
      const message = verdict.why ? `${verdict.why}, in schedule \`${scheduleId}\`` : `unknown time zone \`${zone}\` in schedule \`${scheduleId}\``;
      problems.push({ file: FILE, path: ["schedules", scheduleId, "timezone"], message, ...(verdict.hint ? { hint: verdict.hint } : {}) });
    }
    for (const [tierId, tier] of Object.entries(schedule.tiers)) {
      const tierPath: Path = ["schedules", scheduleId, "tiers", tierId];
      problems.push(...coverageProblems(tier.coverage, tierPath));
      tier.layers.forEach((layer, i) => {
        const path: Path = [...tierPath, "layers", i];
        const where = `${layerName(layer, i)} of tier \`${scheduleId}/${tierId}\``;
        problems.push(...startProblems(layer, path));
        problems.push(...handoffKeyProblems(layer, path));
        problems.push(...participantProblems(layer, path, where));
        problems.push(...coverageProblems(layer.coverage, path));
        if (zoneOk) problems.push(...skippedHandoffProblems(layer, zone, path, where));
      });
    }
    problems.push(...overrideProblems(scheduleId, schedule));
  }
  problems.push(...fallbackProblems(oncall));
  return problems;
}
