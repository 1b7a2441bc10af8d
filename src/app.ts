import type { ApplicationFunction } from "probot";
import { systemClock } from "./clock.js";
import { GovernanceCache } from "./github/governance.js";
import type { CharterDeps } from "./handlers/deps.js";
import { registerHandlers } from "./handlers/index.js";

/** Build the Charter app function. Tests and the demo inject a clock and caches. */
export function createCharter(overrides: Partial<CharterDeps> = {}): ApplicationFunction {
  return (app) => {
    const deps: CharterDeps = {
      clock: overrides.clock ?? systemClock,
      governance: overrides.governance ?? new GovernanceCache(),
    };
    registerHandlers(app, deps);
  };
}

export default createCharter();
