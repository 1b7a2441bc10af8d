import type { Clock } from "../clock.js";
import type { GovernanceCache } from "../github/governance.js";

/** What handlers need from outside: time and caches. Tests pass their own. */
export interface CharterDeps {
  clock: Clock;
  governance: GovernanceCache;
}
