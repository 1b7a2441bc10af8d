/**
 * Warnings about valid governance files: what `charter drill` finds over a window of time (the
 * next 8 weeks by default), printed by `charter validate` after "is valid" (exit status 0) and as
 * `::warning` annotations in GitHub Actions. Errors make files invalid; warnings never do.
 */
import { drillWarnings, type DrillWarning } from "../drill/warnings/index.js";
import { DEFAULT_WEEKS, windowOf } from "../drill/window.js";
import type { Governance } from "../model/governance.js";

export type { DrillWarning } from "../drill/warnings/index.js";

/** The warnings of `g` over `weeks` weeks from `from`. */
export function governanceWarnings(g: Governance, from: Date, weeks = DEFAULT_WEEKS): DrillWarning[] {
  return drillWarnings(g, windowOf(from, weeks));
}
