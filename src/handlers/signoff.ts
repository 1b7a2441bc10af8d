/**
 * Pull requests as approval requests: the events that re-evaluate the `Charter sign-off` check.
 *
 * - pull_request opened, reopened, synchronize, ready_for_review, labeled, edited (base or body):
 *   evaluate, write the check, request RACI reviews and mention the Informed roles.
 * - pull_request_review submitted, dismissed, edited: evaluate and write the check.
 * - check_run / check_suite rerequested (for our check): evaluate and write it again.
 * - merge_group checks_requested (GitHub's merge queue): the pull request the group is for,
 *   evaluated again, written on the group's head commit.
 * - push to the default branch touching governance/: forget the cached governance and
 *   re-evaluate every open pull request into the default branch.
 * - membership / team changes: forget the team's members and re-evaluate where the team matters.
 * - issues that are (or were) incidents opening, closing or changing severity: re-evaluate, so
 *   freezing gates turn red while the incident is open and green once it is not.
 */
import type { Context, Probot } from "probot";
import { CHECK_NAME } from "../core/signoff/check.js";
import { teamsReferenced } from "../core/signoff/holders.js";
import { GOVERNANCE_DIR } from "../core/model/file-names.js";
import type { GitHubClient } from "../github/client.js";
import { governanceFromDefaultBranch, knownGovernance } from "../github/governance.js";
import { getPull, openPullsInto, pullSummary, type PullLike } from "../github/signoff/pulls.js";
import type { CharterDeps } from "./deps.js";
import { evaluateMergeGroup, evaluatePullRequest, reevaluateOpenPulls, signoffState, type RepoContext } from "./signoff-run.js";

interface RepositoryLike {
  name: string;
  owner: { login: string };
  html_url: string;
  default_branch: string;
}

export function repoContext(context: Context, repository: RepositoryLike, deps: CharterDeps): RepoContext {
  return {
    gh: context.octokit as GitHubClient,
    repo: { owner: repository.owner.login, repo: repository.name },
    repoUrl: repository.html_url,
    defaultBranch: repository.default_branch,
    deps,
    log: context.log,
  };
}

const PULL_ACTIONS = ["opened", "reopened", "synchronize", "ready_for_review", "labeled", "edited"] as const;

/** Whether a push's commits touch governance/ (unknown lists count as touching: fail safe). */
export function pushTouchesGovernance(payload: { commits?: ReadonlyArray<{ added?: string[]; removed?: string[]; modified?: string[] }>; forced?: boolean; head_commit?: unknown }): boolean {
  const commits = payload.commits ?? [];
  if (payload.forced || commits.length === 0 || commits.length >= 20) return true;
  return commits.some((c) => [...(c.added ?? []), ...(c.removed ?? []), ...(c.modified ?? [])].some((p) => p === GOVERNANCE_DIR || p.startsWith(`${GOVERNANCE_DIR}/`)));
}

export function registerSignoff(app: Probot, deps: CharterDeps): void {
  app.on(
    PULL_ACTIONS.map((a) => `pull_request.${a}` as const),
    async (context) => {
      const { payload } = context;
      if (payload.action === "edited") {
        const changes = (payload as { changes?: { base?: unknown; body?: unknown } }).changes ?? {};
        if (!changes.base && !changes.body) return;
      }
      const ctx = repoContext(context, payload.repository, deps);
      const pr = pullSummary(payload.pull_request as PullLike, ctx.repo.owner);
      const before = payload.action === "synchronize" ? (payload as { before?: string }).before : undefined;
      // the impact preview: when the files can have changed (a push, a retarget, opening), not for a label or a description edit
      const impact = payload.action !== "labeled" && !(payload.action === "edited" && !(payload as { changes?: { base?: unknown } }).changes?.base);
      await evaluatePullRequest(ctx, pr, { raci: payload.action !== "labeled", impact, ...(before ? { before } : {}) });
    },
  );

  app.on(["pull_request_review.submitted", "pull_request_review.dismissed", "pull_request_review.edited"], async (context) => {
    const { payload } = context;
    const ctx = repoContext(context, payload.repository, deps);
    await evaluatePullRequest(ctx, pullSummary(payload.pull_request as PullLike, ctx.repo.owner));
  });

  const rerun = async (context: Context, repository: RepositoryLike, headSha: string, numbers: number[]) => {
    const ctx = repoContext(context, repository, deps);
    const pulls = numbers.length > 0 ? await Promise.all(numbers.map((n) => getPull(ctx.gh, ctx.repo, n))) : (await openPullsInto(ctx.gh, ctx.repo, ctx.defaultBranch)).filter((p) => p.headSha === headSha);
    for (const pr of pulls) if (pr.headSha === headSha) await evaluatePullRequest(ctx, pr, { force: true });
  };
  app.on("check_run.rerequested", async (context) => {
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME) return;
    await rerun(context, context.payload.repository, run.head_sha, run.pull_requests.map((p) => p.number));
  });
  app.on("check_suite.rerequested", async (context) => {
    const suite = context.payload.check_suite;
    await rerun(context, context.payload.repository, suite.head_sha, suite.pull_requests.map((p) => p.number));
  });

  // GitHub's merge queue asks for the required checks on each merge group's head commit
  app.on("merge_group.checks_requested", async (context) => {
    const { merge_group: group, repository } = context.payload;
    if (!repository) return;
    const ctx = repoContext(context, repository, deps);
    await evaluateMergeGroup(ctx, { headSha: group.head_sha, headRef: group.head_ref, baseRef: group.base_ref });
  });

  app.on("push", async (context) => {
    const { payload } = context;
    const repository = payload.repository as RepositoryLike & { default_branch: string };
    if (payload.ref !== `refs/heads/${repository.default_branch}` || payload.deleted) return;
    if (!pushTouchesGovernance(payload)) return;
    const ctx = repoContext(context, repository, deps);
    // the model before the push was valid: the pull requests' files will be needed, read them while governance loads
    const wasValid = knownGovernance(deps.governance, ctx.repo, ctx.defaultBranch)?.result.ok === true;
    deps.governance.invalidate(ctx.repo);
    await reevaluateOpenPulls(ctx, { prefetchFiles: wasValid });
  });

  const teamChanged = async (context: Context, org: string, slug: string) => {
    const team = `${org}/${slug}`;
    signoffState(deps).teams.invalidate(team);
    const gh = context.octokit as GitHubClient;
    const repos = await gh.paginate("GET /installation/repositories", { per_page: 100 });
    for (const repository of repos) {
      if (repository.archived) continue;
      const ctx = repoContext(context, repository, deps);
      const snapshot = await governanceFromDefaultBranch(gh, ctx.repo, ctx.defaultBranch, deps.governance);
      if (!snapshot.result.ok) continue;
      const g = snapshot.result.governance;
      const ownersTeams = g.owners.flatMap((r) => r.owners.flatMap((o) => (o.kind === "team" ? [{ kind: "team" as const, team: o.team }] : [])));
      if (!teamsReferenced(g, ownersTeams, Object.keys(g.roles.roles)).includes(team.toLowerCase())) continue;
      await reevaluateOpenPulls(ctx);
    }
  };
  app.on(["membership.added", "membership.removed"], async (context) => {
    const { payload } = context;
    const org = payload.organization?.login;
    const slug = payload.team && "slug" in payload.team ? payload.team.slug : undefined;
    if (org && slug) await teamChanged(context, org, slug);
  });
  app.on(["team.edited", "team.deleted"], async (context) => {
    const { payload } = context;
    const org = payload.organization?.login;
    const slug = payload.team.slug;
    if (org && slug) await teamChanged(context, org, slug);
  });

  app.on(["issues.opened", "issues.closed", "issues.reopened", "issues.labeled", "issues.unlabeled", "issues.deleted"], async (context) => {
    const { payload } = context;
    const ctx = repoContext(context, payload.repository, deps);
    const snapshot = await governanceFromDefaultBranch(ctx.gh, ctx.repo, ctx.defaultBranch, deps.governance).catch(() => undefined);
    if (!snapshot?.result.ok) return;
    const g = snapshot.result.governance;
    if (!(g.authority?.phases?.gates ?? []).some((x) => x.freeze)) return;
    const incidentLabels = new Set([g.incidents?.label.name, ...Object.values(g.incidents?.severities ?? {}).map((s) => s.label)].filter((l): l is string => !!l).map((l) => l.toLowerCase()));
    const labels = [...(payload.issue.labels ?? []).flatMap((l) => (typeof l === "string" ? [l] : l ? [l.name] : [])), ...("label" in payload && payload.label ? [payload.label.name] : [])];
    if (!labels.some((l) => incidentLabels.has(l.toLowerCase()))) return;
    try {
      await reevaluateOpenPulls(ctx);
    } catch (error) {
      // the incident itself is handled elsewhere: a failed re-evaluation must not fail it
      context.log.warn({ err: error }, "sign-off re-evaluation after an incident change failed; the next pull request event retries");
    }
  });
}

