/**
 * A push to the default branch that touches `governance/state/log.yml` (Charter wrote an entry
 * directly, or merged one of its sign-off pull requests, or a person merged one): the new entries'
 * messages are sent now (src/reconcile/log-events.ts), not at the next sweep.
 */
import type { Context, Probot } from "probot";
import type { GitHubClient } from "../github/client.js";
import { governanceFromDefaultBranch } from "../github/governance.js";
import { announceLogEvents } from "../reconcile/log-events.js";
import type { CharterDeps } from "./deps.js";

const LOG_FILE = "governance/state/log.yml";

function touchesLog(payload: { commits?: ReadonlyArray<{ added?: string[]; modified?: string[] }>; forced?: boolean }): boolean {
  if (payload.forced || !payload.commits) return true;
  return payload.commits.some((c) => [...(c.added ?? []), ...(c.modified ?? [])].includes(LOG_FILE)) || payload.commits.length >= 20; // GitHub lists at most 20 commits
}

export function registerLogEventHandlers(app: Probot, deps: CharterDeps): void {
  app.on("push", async (context: Context<"push">) => {
    const { repository, ref } = context.payload;
    if (ref !== `refs/heads/${repository.default_branch}` || !touchesLog(context.payload)) return;
    const gh = context.octokit as GitHubClient;
    const repo = { owner: repository.owner?.login ?? repository.full_name.split("/")[0]!, repo: repository.name };
    const snapshot = await governanceFromDefaultBranch(gh, repo, repository.default_branch, deps.governance);
    if (!snapshot.result.ok) return;
    const done = await announceLogEvents({ gh, repo, now: deps.clock.now(), deps, log: context.log }, snapshot.result.governance);
    if (done.length) context.log.info({ done }, "log events sent");
  });
}
