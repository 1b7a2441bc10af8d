/**
 * One person in two tiers of a schedule at once, each by rotation or override (not by a fallback,
 * which hands a tier to another on purpose): paging the second tier reaches the same person, so
 * nobody backs them up. Typically after a swap (an override puts the secondary on the primary's
 * week) or rotations that overlap.
 */
import type { Governance } from "../../model/governance.js";
import { whoIsOnCall } from "../../oncall/resolve.js";
import { runs, segments, type DrillWindow } from "../window.js";
import type { DrillWarning } from "./types.js";
import { firstAndTimes, whenText } from "./when.js";

interface Overlap {
  person: string;
  tiers: string[];
  override?: number;
  /** Set when the person covers for someone unavailable: in words. */
  covers?: string;
}

export function twoTierWarnings(g: Governance, window: DrillWindow, parts: readonly DrillWindow[] = segments(g, window)): DrillWarning[] {
  const out: DrillWarning[] = [];
  for (const [sid, schedule] of Object.entries(g.oncall?.schedules ?? {})) {
    const tierIds = Object.keys(schedule.tiers);
    if (tierIds.length < 2) continue;
    const overlapsAt = (at: Date): Overlap[] => {
      const byPerson = new Map<string, Overlap>();
      for (const tid of tierIds) {
        const r = whoIsOnCall(g.oncall, `${sid}/${tid}`, at);
        if (r.source !== "rotation" && r.source !== "override") continue;
        for (const who of r.who) {
          const key = who.toLowerCase();
          const entry = byPerson.get(key) ?? { person: who, tiers: [] };
          entry.tiers.push(`${sid}/${tid}`);
          if (r.source === "override" && r.overrideIndex !== undefined && r.override?.who.toLowerCase() === key) entry.override = r.overrideIndex;
          const skipped = r.covering?.skipped[0];
          if (r.covering?.via && skipped) entry.covers = `covering \`${`${sid}/${tid}`}\` for \`${skipped.who}\`, who is unavailable (${skipped.absence.reason})`;
          byPerson.set(key, entry);
        }
      }
      return [...byPerson.values()].filter((e) => e.tiers.length > 1);
    };
    const keyOf = (o: Overlap) => `${o.person.toLowerCase()}|${o.tiers.join(",")}`;
    const at = new Map(parts.map((w) => [w.from.getTime(), overlapsAt(w.from)] as const));
    const seen = new Map<string, Overlap>();
    for (const list of at.values()) for (const o of list) if (!seen.has(keyOf(o))) seen.set(keyOf(o), o);
    for (const [key, o] of seen) {
      const found = runs(parts, (w) => (at.get(w.from.getTime())?.some((x) => keyOf(x) === key) ? true : undefined));
      if (found.length === 0) continue;
      const last = o.tiers[o.tiers.length - 1]!.split("/")[1]!;
      const overrideIndex = at.get(found[0]!.from.getTime())?.find((x) => keyOf(x) === key)?.override;
      const covers = at.get(found[0]!.from.getTime())?.find((x) => keyOf(x) === key)?.covers;
      const via = overrideIndex !== undefined ? ` (\`overrides.${overrideIndex}\`${schedule.overrides?.[overrideIndex]?.reason ? `: ${schedule.overrides[overrideIndex]!.reason}` : ""})` : covers ? ` (${covers})` : "";
      out.push({
        kind: "two-tiers",
        file: "oncall.yml",
        path: overrideIndex !== undefined ? ["schedules", sid, "overrides", overrideIndex] : ["schedules", sid, "tiers", last],
        at: "key",
        message: `\`${o.person}\` is on call for ${o.tiers.map((t) => `\`${t}\``).join(" and ")} at once ${whenText(found, schedule.timezone, window.until)}${via}: paging the next tier reaches the same person, so nobody backs them up`,
        hint: overrideIndex !== undefined
          ? "swap the other tier too with another override, or choose someone who is not on call then"
          : covers
            ? "name a `backup:` list for that layer (someone not on call in the other tier then), or add an override for those days"
            : "shift one rotation so that nobody is in two tiers in the same week, e.g. make the secondary next week's primary, or add an override for those weeks",
        tiers: o.tiers,
        ...firstAndTimes(found),
      });
    }
  }
  return out;
}
