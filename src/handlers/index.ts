import type { Probot } from "probot";
import { registerCommandDispatcher } from "./commands/dispatch.js";
import type { CharterDeps } from "./deps.js";
import { registerDeploymentHandlers } from "./deployment.js";
import { registerLogEventHandlers } from "./log-events.js";
import { registerIncidentHandlers } from "./incidents.js";
import { registerKillSwitchHandlers } from "./killswitch.js";
import { registerSignoff } from "./signoff.js";

/** Wires every event Charter handles. Each area registers its handlers here (one line each). */
export function registerHandlers(app: Probot, deps: CharterDeps): void {
  registerCommandDispatcher(app, deps);
  registerKillSwitchHandlers(app, deps);
  registerSignoff(app, deps);
  registerIncidentHandlers(app, deps);
  registerDeploymentHandlers(app, deps);
  registerLogEventHandlers(app, deps);
}
