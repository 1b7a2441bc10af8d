import type { ApplicationFunction } from "probot";
import { systemClock } from "./clock.js";
import { GovernanceCache } from "./github/governance.js";
import { ADVISORY_IDENTITY, fixedIdentity } from "./github/identity.js";
import type { CharterDeps } from "./handlers/deps.js";
import { registerHandlers } from "./handlers/index.js";
import { notifierFromEnv } from "./notify/notifier.js";
import { charterServer } from "./server.js";

/**
 * Build the Charter app function. Tests and the demo inject a clock, caches and an identity; with
 * no identity Charter is advisory (it cannot tell its own markers from forgeries).
 */
export function createCharter(overrides: Partial<CharterDeps> = {}): ApplicationFunction {
  return (app) => {
    const clock = overrides.clock ?? systemClock;
    const deps: CharterDeps = {
      clock,
      governance: overrides.governance ?? new GovernanceCache(),
      identity: overrides.identity ?? fixedIdentity(ADVISORY_IDENTITY),
      notify: overrides.notify ?? notifierFromEnv(process.env, clock, (m) => app.log.warn(m)),
    };
    registerHandlers(app, deps);
  };
}

/**
 * What `probot run ./dist/app.js` loads: the app plus the server pieces (GET /healthz, the periodic
 * sweep, and in test/demo mode only the clock file and test sweep endpoint; see src/server.ts).
 */
export default charterServer(createCharter);
