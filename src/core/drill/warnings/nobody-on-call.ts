/**
 * Nobody on call: a tier that is meant to be answered at every instant (no `coverage:` hours of its
 * own, or a `fallback:` for outside them) whose answer is nobody at some instant of the window (a
 * rotation that has not started, layers whose hours leave a gap, a fallback that is itself off duty).
 * A tier with hours and no fallback has nobody outside its hours by design: that is not reported.
 */
import type { Governance } from "../../model/governance.js";
import { whoIsOnCall } from "../../oncall/resolve.js";
import { runs, segments, type DrillWindow } from "../window.js";
import type { DrillWarning } from "./types.js";
import { firstAndTimes, whenText } from "./when.js";

export function nobodyOnCallWarnings(g: Governance, window: DrillWindow, parts: readonly DrillWindow[] = segments(g, window)): DrillWarning[] {
  const out: DrillWarning[] = [];
  for (const [sid, schedule] of Object.entries(g.oncall?.schedules ?? {})) {
    for (const [tid, tier] of Object.entries(schedule.tiers)) {
      const meantAlways = tier.coverage === undefined || tier.coverage === "always" || tier.fallback !== undefined;
      if (!meantAlways) continue;
      const ref = `${sid}/${tid}`;
      // a tier whose people are all unavailable is reported as "nobody available" (./unavailable.ts)
      const gaps = runs(parts, (w) => {
        const r = whoIsOnCall(g.oncall, ref, w.from);
        return r.who.length === 0 && r.offDuty !== "unavailable" ? true : undefined;
      });
      if (gaps.length === 0) continue;
      const why = whoIsOnCall(g.oncall, ref, gaps[0]!.from);
      const cause =
        why.offDuty === "outside-coverage"
          ? `its fallback \`${tier.fallback}\` has nobody either`
          : tier.layers.every((l) => l.coverage === undefined || l.coverage === "always")
            ? "no rotation layer has started yet: shifts begin at the first handoff on or after `start`"
            : "no layer is on duty then (their `coverage` hours leave a gap)";
      out.push({
        kind: "nobody-on-call",
        file: "oncall.yml",
        path: ["schedules", sid, "tiers", tid],
        at: "key",
        message: `nobody is on call for \`${ref}\` ${whenText(gaps, schedule.timezone, window.until)}: ${cause}`,
        hint: tier.fallback
          ? "give the fallback tier someone at those hours, or add an override"
          : "add a layer or an override for those hours, or a `fallback:` tier; if the gap is intended, give the tier `coverage:` hours",
        tiers: [ref],
        ...firstAndTimes(gaps),
      });
    }
  }
  return out;
}
