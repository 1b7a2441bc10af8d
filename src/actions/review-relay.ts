/**
 * Reviews in Actions mode, without running a pull request's copy of the workflow with a write
 * token or the app's key.
 *
 * GitHub runs a `pull_request_review` workflow from the pull request's merge ref: the workflow
 * file as the pull request has it. A pull request could therefore change the workflow and run its
 * own steps with whatever that run is given. So the shipped design splits it in two:
 *
 * - `.github/workflows/charter-review-relay.yml` ("Charter review relay") runs on
 *   `pull_request_review` with no permissions and no secrets, and does nothing but finish;
 * - its completion triggers `workflow_run` in `.github/workflows/charter.yml`, which GitHub always
 *   runs from the default branch, with the app's credentials. Charter takes nothing from the relay
 *   but which head commit to look at: it re-evaluates the open pull requests at that head from
 *   what GitHub holds (reviews, files, governance on the default branch), exactly as after a review.
 *
 * Anyone can make a workflow called "Charter review relay" run (on their own branch): all it can
 * cause is a re-evaluation, which is safe to repeat.
 */
import type { Logger } from "probot";
import type { GitHubClient, RepoRef } from "../github/client.js";
import { getPull, openPullsInto, type PullSummary } from "../github/signoff/pulls.js";
import type { CharterDeps } from "../handlers/deps.js";
import { evaluatePullRequest } from "../handlers/signoff-run.js";

export const REVIEW_RELAY_WORKFLOW = "Charter review relay";

export interface WorkflowRunPayload {
  workflow_run?: { name?: string | null; head_sha?: string; pull_requests?: ReadonlyArray<{ number: number }> | null } | null;
  repository?: { default_branch?: string; html_url?: string } | null;
}

/** The name of the workflow whose run completed. */
export function relayedWorkflow(payload: WorkflowRunPayload): string {
  return payload.workflow_run?.name ?? "";
}

/** Re-evaluate the open pull requests whose head is the relayed run's head commit. Returns their numbers. */
export async function reevaluateAfterRelay(gh: GitHubClient, repo: RepoRef, payload: WorkflowRunPayload, deps: CharterDeps, log: Logger): Promise<number[]> {
  const headSha = payload.workflow_run?.head_sha;
  if (!headSha) return [];
  let defaultBranch = payload.repository?.default_branch;
  if (!defaultBranch) defaultBranch = (await gh.request("GET /repos/{owner}/{repo}", { ...repo })).data.default_branch;
  // Same-repository pull requests are listed on the run; a fork's are not (GitHub leaves the list
  // empty), so those are found among the open pull requests by their head commit.
  const numbers = (payload.workflow_run?.pull_requests ?? []).map((p) => p.number);
  const candidates: PullSummary[] = numbers.length > 0 ? await Promise.all(numbers.map((n) => getPull(gh, repo, n))) : await openPullsInto(gh, repo, defaultBranch);
  const pulls = candidates.filter((p) => p.state === "open" && p.headSha === headSha);
  const ctx = { gh, repo, repoUrl: payload.repository?.html_url ?? `https://github.com/${repo.owner}/${repo.repo}`, defaultBranch, deps, log };
  for (const pr of pulls) await evaluatePullRequest(ctx, pr, { force: true });
  return pulls.map((p) => p.number);
}
