/**
 * Unavailability (oncall.yml `unavailable`, public holidays of `people`) seen over the window:
 *
 * - **nobody available**: a tier on duty whose rostered person is unavailable and none of the
 *   shift's backups (nor an earlier layer, nor a fallback tier) is available: nobody is on call.
 *   Reported for every tier, business-hours ones included (inside their hours).
 * - **unavailable on call**: an override names someone for a tier while that person is
 *   unavailable. Overrides are explicit choices and are not skipped, so the page would reach them.
 */
import type { Governance } from "../../model/governance.js";
import { whoIsOnCall, type TierOnCall } from "../../oncall/resolve.js";
import type { Absence } from "../../oncall/unavailability.js";
import { unavailableAt } from "../../oncall/unavailability.js";
import type { YamlPath } from "../../validate/checks/refs.js";
import { runs, segments, type DrillWindow } from "../window.js";
import type { DrillWarning } from "./types.js";
import { firstAndTimes, whenText } from "./when.js";

/** Where an absence is written: its `unavailable` entry, or the person's holiday calendar. */
export function absencePath(absence: Absence): YamlPath {
  return absence.source.kind === "unavailable" ? ["unavailable", absence.source.index] : ["people", absence.who, "holidays"];
}

function skippedWords(r: TierOnCall): string {
  const skipped = r.covering?.skipped ?? [];
  const [first, ...rest] = skipped;
  if (!first) return "everyone who could answer is unavailable";
  const backups = rest.length === 0 ? "it has no backup" : `every backup is unavailable too (${rest.map((s) => `\`${s.who}\`: ${s.absence.reason}`).join("; ")})`;
  return `\`${first.who}\` is unavailable (${first.absence.reason}) and ${backups}`;
}

export function unavailabilityWarnings(g: Governance, window: DrillWindow, parts: readonly DrillWindow[] = segments(g, window)): DrillWarning[] {
  const oncall = g.oncall;
  if (!oncall || (!oncall.unavailable?.length && !Object.values(oncall.people ?? {}).some((p) => p.holidays !== undefined))) return [];
  const out: DrillWarning[] = [];
  for (const [sid, schedule] of Object.entries(oncall.schedules)) {
    for (const tid of Object.keys(schedule.tiers)) {
      const ref = `${sid}/${tid}`;
      const answers = new Map(parts.map((w) => [w.from.getTime(), whoIsOnCall(oncall, ref, w.from)] as const));
      const gaps = runs(parts, (w) => {
        const r = answers.get(w.from.getTime())!;
        return r.who.length === 0 && r.offDuty === "unavailable" ? true : undefined;
      });
      if (gaps.length > 0) {
        const r = answers.get(gaps[0]!.from.getTime())!;
        const first = r.covering?.skipped[0]?.absence;
        out.push({
          kind: "nobody-available",
          file: "oncall.yml",
          path: first ? absencePath(first) : ["schedules", sid, "tiers", tid],
          at: "key",
          message: `nobody is available for \`${ref}\` ${whenText(gaps, schedule.timezone, window.until)}: ${skippedWords(r)}${schedule.tiers[tid]!.fallback ? `, and its fallback \`${schedule.tiers[tid]!.fallback}\` has nobody either` : ""}`,
          hint: "name a `backup:` for the layer who is available then, add an override for those hours, or give the tier a `fallback:`",
          tiers: [ref],
          ...firstAndTimes(gaps),
        });
      }
      // an override that puts an unavailable person on call: one warning per override
      const byOverride = new Map<number, { from: Date; until: Date; value: string }[]>();
      const found = runs(parts, (w) => {
        const r = answers.get(w.from.getTime())!;
        if (r.source !== "override" || r.overrideIndex === undefined) return undefined;
        const who = r.who[0];
        const away = who === undefined ? undefined : unavailableAt(oncall, who, w.from);
        return away ? `${r.overrideIndex}|${who}|${away.reason}` : undefined;
      });
      for (const run of found) {
        const index = Number(run.value.split("|")[0]);
        const list = byOverride.get(index) ?? [];
        list.push(run);
        byOverride.set(index, list);
      }
      for (const [index, list] of byOverride) {
        const [, who = "", reason = ""] = list[0]!.value.split("|");
        out.push({
          kind: "unavailable-on-call",
          file: "oncall.yml",
          path: ["schedules", sid, "overrides", index, "who"],
          message: `\`overrides.${index}\` of schedule \`${sid}\` puts \`${who}\` on call for \`${ref}\` ${whenText(list, schedule.timezone, window.until)}, while they are unavailable (${reason}): an override is an explicit choice and is not skipped, so pages would reach them`,
          hint: "choose someone who is available then, or shorten the override (or the absence) so that they do not overlap",
          tiers: [ref],
          ...firstAndTimes(list),
        });
      }
    }
  }
  return out;
}
