import type { Probot } from "probot";
import type { CharterDeps } from "./deps.js";
import { registerLazily, type LazyArea } from "./lazy.js";

/**
 * Every area of handlers, the events it handles, and how to import it. Start-up registers the
 * events alone; an area's module (and what it imports: the governance loader, zod, the policy
 * core, luxon, date-holidays, …) is imported on the area's first event (src/handlers/lazy.ts).
 * test/handlers/lazy-areas.test.ts checks each list against what the module registers.
 */
export const HANDLER_AREAS: readonly LazyArea[] = [
  { name: "command", events: ["issue_comment.created"], load: async () => (await import("./commands/dispatch.js")).registerCommandDispatcher },
  { name: "kill-switch", events: ["pull_request.closed"], load: async () => (await import("./killswitch.js")).registerKillSwitchHandlers },
  {
    name: "sign-off",
    events: [
      "pull_request.opened", "pull_request.reopened", "pull_request.synchronize", "pull_request.ready_for_review", "pull_request.labeled", "pull_request.edited",
      "pull_request_review.submitted", "pull_request_review.dismissed", "pull_request_review.edited",
      "check_run.rerequested", "check_suite.rerequested", "merge_group.checks_requested", "push",
      "membership.added", "membership.removed", "team.edited", "team.deleted",
      "issues.opened", "issues.closed", "issues.reopened", "issues.labeled", "issues.unlabeled", "issues.deleted",
    ],
    load: async () => (await import("./signoff.js")).registerSignoff,
  },
  {
    name: "incident",
    events: ["issues.opened", "issues.labeled", "issues.unlabeled", "issues.reopened", "issues.closed", "issue_comment.created"],
    load: async () => (await import("./incidents.js")).registerIncidentHandlers,
  },
  { name: "deployment", events: ["issues.opened", "issues.labeled"], load: async () => (await import("./deployment.js")).registerDeploymentHandlers },
  { name: "log", events: ["push"], load: async () => (await import("./log-events.js")).registerLogEventHandlers },
];

/** Wires every event Charter handles (each area's module is imported on its first event). */
export function registerHandlers(app: Probot, deps: CharterDeps, areas: readonly LazyArea[] = HANDLER_AREAS): void {
  for (const area of areas) registerLazily(app, deps, area);
}
