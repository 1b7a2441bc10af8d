import type { OncallFile, Override, Tier } from "../model/oncall.js";
import { covers, shiftAt } from "./shift.js";

/** Who holds an on-call tier at an instant, and why. */
export interface TierOnCall {
  tier: string;
  /** Logins on call (usually one). Empty when nobody covers this instant. */
  who: string[];
  /** How the answer was reached, for explanations. */
  source: "rotation" | "override" | "fallback" | "uncovered";
  layer?: string;
  override?: Override;
  /** When the current shift began and ends (for the rotation or override in force). */
  since?: Date;
  until?: Date;
  /** Set when `source` is "fallback": the tier that answered instead. */
  fallbackFrom?: string;
}

export function parseTierRef(ref: string): { schedule: string; tier: string } {
  const [schedule = "", tier = ""] = ref.split("/");
  return { schedule, tier };
}

/**
 * Resolve `schedule/tier` at `at`: the last on-duty layer wins, then overrides (the last matching
 * wins), then coverage hours (outside them, the tier's fallback answers, if any).
 */
export function whoIsOnCall(oncall: OncallFile | undefined, ref: string, at: Date, seen: ReadonlySet<string> = new Set()): TierOnCall {
  const { schedule: scheduleId, tier: tierId } = parseTierRef(ref);
  const schedule = oncall?.schedules[scheduleId];
  const tier: Tier | undefined = schedule?.tiers[tierId];
  if (!schedule || !tier) return { tier: ref, who: [], source: "uncovered" };
  const zone = schedule.timezone;

  if (!covers(tier.coverage, zone, at)) {
    if (tier.fallback && !seen.has(tier.fallback)) {
      const next = whoIsOnCall(oncall, tier.fallback, at, new Set([...seen, ref]));
      return { ...next, tier: ref, source: "fallback", fallbackFrom: tier.fallback };
    }
    return { tier: ref, who: [], source: "uncovered" };
  }

  let result: TierOnCall = { tier: ref, who: [], source: "uncovered" };
  tier.layers.forEach((layer, i) => {
    if (!covers(layer.coverage, zone, at)) return;
    const shift = shiftAt(layer, zone, at);
    if (!shift) return;
    result = { tier: ref, who: [shift.who], source: "rotation", layer: layer.name ?? `layer ${i + 1}`, since: shift.start, until: shift.end };
  });

  const t = at.getTime();
  const overrides = (schedule.overrides ?? []).filter(
    (o) => o.tier === tierId && Date.parse(o.from) <= t && t < Date.parse(o.until),
  );
  for (const o of overrides) {
    if (o.replaces !== undefined) {
      if (!result.who.some((w) => w.toLowerCase() === o.replaces!.toLowerCase())) continue;
      result = { ...result, who: result.who.map((w) => (w.toLowerCase() === o.replaces!.toLowerCase() ? o.who : w)), source: "override", override: o, since: new Date(o.from), until: new Date(o.until) };
    } else {
      result = { ...result, who: [o.who], source: "override", override: o, since: new Date(o.from), until: new Date(o.until) };
    }
  }
  if (result.who.length === 0 && tier.fallback && !seen.has(tier.fallback)) {
    const next = whoIsOnCall(oncall, tier.fallback, at, new Set([...seen, ref]));
    return { ...next, tier: ref, source: "fallback", fallbackFrom: tier.fallback };
  }
  return result;
}
