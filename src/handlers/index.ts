import type { Probot } from "probot";
import { registerCommandDispatcher } from "./commands/dispatch.js";
import type { CharterDeps } from "./deps.js";

/** Wires every event Charter handles. Each area registers its handlers here (one line each). */
export function registerHandlers(app: Probot, deps: CharterDeps): void {
  registerCommandDispatcher(app, deps);
}
