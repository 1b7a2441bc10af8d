import type { Logger } from "probot";
import type { GitHubClient, RepoRef } from "../github/client.js";
import type { GovernanceSnapshot } from "../github/governance.js";
import type { CharterDeps } from "../handlers/deps.js";

/** What one reconcile pass over one repository sees. */
export interface SweepInput {
  gh: GitHubClient;
  repo: RepoRef;
  defaultBranch: string;
  snapshot: GovernanceSnapshot;
  now: Date;
  deps: CharterDeps;
  log: Logger;
}

/** What a task did, for logs, `charter sweep` output and benchmarks. */
export interface SweepReport {
  task: string;
  /** Things done this pass (pages sent, reminders posted, deadlines escalated), in words. */
  actions: string[];
}

/**
 * Timed work, level-triggered: a task recomputes from what is stored in GitHub and the time what is
 * due, and does each due thing once. Running it twice, concurrently, or hours late is safe.
 */
export interface SweepTask {
  name: string;
  run(input: SweepInput): Promise<SweepReport>;
}
