/**
 * What adding overrides to oncall.yml brings that was not there before, within a window: one person
 * on call in two tiers at once, and someone put on call while they are unavailable (an override is
 * an explicit choice and is not skipped, so pages would reach them). The validator's and the
 * drill's own words. Said on a swap or override command's reply, its pull request, its gate and an
 * urgent override's reply; it blocks nothing: the people involved decide.
 */
import { twoTierWarnings } from "../../drill/warnings/two-tiers.js";
import { unavailabilityWarnings } from "../../drill/warnings/unavailable.js";
import type { DrillWindow } from "../../drill/window.js";
import type { Governance } from "../../model/governance.js";
import type { PlacedOverride } from "./digest.js";

/** Governance with the overrides added to oncall.yml. */
export function withOverrides(g: Governance, added: readonly PlacedOverride[]): Governance {
  const oncall = structuredClone(g.oncall!);
  for (const p of added) {
    const s = oncall.schedules[p.schedule]!;
    s.overrides = [...(s.overrides ?? []), p.override];
  }
  return { ...g, oncall };
}

/** The warnings the overrides bring within `change` (the span they cover), not said before them. */
export function overrideWarnings(g: Governance, added: readonly PlacedOverride[], change: DrillWindow): string[] {
  // a minute past the change's end, so that a warning ending with the change names that instant
  // rather than "the end of the window"
  const window = { from: change.from, until: new Date(change.until.getTime() + 60_000) };
  const said = (x: Governance) => [...twoTierWarnings(x, window), ...unavailabilityWarnings(x, window)].map((w) => w.message);
  const before = new Set(said(g));
  return said(withOverrides(g, added)).filter((m) => !before.has(m));
}
