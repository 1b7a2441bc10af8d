/**
 * A deployment issue opened (or labelled as one) by someone with access to the repository gets
 * Charter's status comment at once: the gate, the stages and their owners, the commands. An issue
 * opened from the form by someone without access (the form sets the label for anyone) gets
 * nothing until a role holder acts on it.
 */
import type { Context, Probot } from "probot";
import { hasRepositoryAccess } from "../core/access/association.js";
import { deploymentKindOf } from "../core/deployment/form.js";
import type { GitHubClient } from "../github/client.js";
import { findDeployment, openDeployment } from "../github/deployment/store.js";
import { governanceFromDefaultBranch } from "../github/governance.js";
import { isCharterUser } from "../github/identity.js";
import type { CharterDeps } from "./deps.js";

export function registerDeploymentHandlers(app: Probot, deps: CharterDeps): void {
  app.on(["issues.opened", "issues.labeled"], async (context: Context<"issues.opened" | "issues.labeled">) => {
    const { issue, repository, sender } = context.payload;
    if (issue.state !== "open" || !hasRepositoryAccess(issue.author_association)) return;
    const identity = await deps.identity();
    if (isCharterUser(identity, sender)) return;
    const labels = (issue.labels ?? []).map((l) => (typeof l === "string" ? l : l.name));
    const gh = context.octokit as GitHubClient;
    const repo = { owner: repository.owner.login, repo: repository.name };
    const snapshot = await governanceFromDefaultBranch(gh, repo, repository.default_branch, deps.governance);
    if (!snapshot.result.ok) return;
    const g = snapshot.result.governance;
    const kind = deploymentKindOf(g.deployments, labels, issue.body);
    if (!kind) return;
    const env = { gh, repo, identity, g, log: context.log, now: deps.clock.now(), ...(deps.notify ? { notify: deps.notify } : {}) };
    if (await findDeployment(env, issue.number)) return;
    await openDeployment(env, kind, { number: issue.number, title: issue.title, body: issue.body ?? "", url: issue.html_url, createdAt: issue.created_at });
  });
}
