/**
 * Webhook payloads for sign-off tests: each starts from a real example in
 * `@octokit/webhooks-examples` and replaces the repository, sender and subject with
 * schema-valid objects from test/emulator/objects.ts (issues in their webhook shape). The webhook
 * guard checks every one against GitHub's schema when it is delivered.
 */
import { examplePayload, mergeGroupObject, webhookEnvelope, webhookIssue, webhookOrganization, webhookReviewPullRequest } from "../emulator/payloads.js";
import * as o from "../emulator/objects.js";

type Obj = Record<string, unknown>;

export interface RepoIds {
  owner: string;
  name: string;
  default_branch?: string;
}

function base(event: string, action: string | undefined, repo: RepoIds, sender: string): Obj {
  return webhookEnvelope(event, action, {
    repository: o.repository({ owner: repo.owner, name: repo.name, default_branch: repo.default_branch ?? "main" }),
    sender: o.user(sender),
    installationId: 1,
  });
}

export function pullRequestPayload(action: string, repo: RepoIds, pr: Obj, options: { sender?: string; changes?: Obj; label?: string; before?: string } = {}): Obj {
  const p = base("pull_request", action === "edited" ? "opened" : action, repo, options.sender ?? String((pr.user as Obj).login));
  p.action = action;
  p.number = pr.number;
  p.pull_request = pr;
  if (action === "edited") p.changes = options.changes ?? {};
  else delete p.changes;
  if (action === "labeled") p.label = o.label({ repo: `${repo.owner}/${repo.name}`, name: options.label ?? "label" });
  else delete p.label;
  if (action === "synchronize") {
    p.before = options.before ?? "0".repeat(40);
    p.after = (pr.head as Obj).sha;
  } else {
    delete p.before;
    delete p.after;
  }
  return p;
}

export function reviewPayload(action: "submitted" | "dismissed" | "edited", repo: RepoIds, pr: Obj, review: Obj): Obj {
  const p = base("pull_request_review", action === "edited" ? "submitted" : action, repo, String((review.user as Obj).login));
  p.action = action;
  p.review = { ...review, state: String(review.state).toLowerCase() };
  p.pull_request = webhookReviewPullRequest(action, pr);
  if (action === "edited") p.changes = {};
  else delete p.changes;
  return p;
}

export function checkRunRerequestedPayload(repo: RepoIds, run: Obj, sender: string): Obj {
  const p = base("check_run", "rerequested", repo, sender);
  p.action = "rerequested";
  p.check_run = {
    ...run,
    check_suite: {
      id: (run.check_suite as { id: number }).id,
      head_sha: run.head_sha,
      head_branch: null,
      status: "completed",
      conclusion: run.conclusion,
      app: run.app,
      pull_requests: run.pull_requests,
      before: null,
      after: run.head_sha,
      created_at: o.EPOCH,
      updated_at: o.EPOCH,
      url: `https://api.github.com/repos/${repo.owner}/${repo.name}/check-suites/${(run.check_suite as { id: number }).id}`,
    },
  };
  return p;
}

export function pushPayload(repo: RepoIds, options: { before: string; after: string; pusher: string; files: { added?: string[]; modified?: string[]; removed?: string[] }; branch?: string }): Obj {
  const p = base("push", undefined, repo, options.pusher);
  const html = `https://github.com/${repo.owner}/${repo.name}`;
  const commit = {
    id: options.after,
    tree_id: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
    distinct: true,
    message: "change governance",
    timestamp: "2025-06-02T10:00:00Z",
    url: `${html}/commit/${options.after}`,
    author: { name: options.pusher, email: `${options.pusher}@example.com`, username: options.pusher },
    committer: { name: options.pusher, email: `${options.pusher}@example.com`, username: options.pusher },
    added: options.files.added ?? [],
    removed: options.files.removed ?? [],
    modified: options.files.modified ?? [],
  };
  Object.assign(p, {
    ref: `refs/heads/${options.branch ?? repo.default_branch ?? "main"}`,
    before: options.before,
    after: options.after,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `${html}/compare/${options.before.slice(0, 12)}...${options.after.slice(0, 12)}`,
    commits: [commit],
    head_commit: commit,
    pusher: { name: options.pusher, email: `${options.pusher}@example.com` },
  });
  return p;
}

export function membershipPayload(action: "added" | "removed", org: string, slug: string, member: string): Obj {
  const p = examplePayload("membership", action);
  p.action = action;
  p.scope = "team";
  p.member = o.user(member);
  p.sender = o.user(org);
  p.team = o.team({ org, slug });
  p.organization = webhookOrganization(org);
  p.installation = { id: 1, node_id: o.nodeId("Installation", 1) };
  delete p.repository;
  return p;
}

export function issueCommentPayload(repo: RepoIds, issue: Obj, comment: Obj): Obj {
  const p = base("issue_comment", "created", repo, String((comment.user as Obj).login));
  p.action = "created";
  p.issue = webhookIssue(issue);
  p.comment = comment;
  delete p.changes;
  return p;
}

export function issuesPayload(action: string, repo: RepoIds, issue: Obj, sender: string, label?: Obj): Obj {
  const p = base("issues", action, repo, sender);
  p.action = action;
  p.issue = webhookIssue(issue);
  if (label) p.label = label;
  else delete p.label;
  if (action === "edited") p.changes = {};
  else delete p.changes;
  delete p.assignee;
  return p;
}

/**
 * `merge_group` checks_requested: GitHub's merge queue asks for the required checks on a merge
 * group (`gh-readonly-queue/<base>/pr-<n>-<base sha>`) whose head commit is `headSha`.
 */
export function mergeGroupPayload(repo: RepoIds, group: { pull: number; headSha: string; baseSha: string; base?: string; headRef?: string }, sender = "github-merge-queue[bot]"): Obj {
  const p = base("merge_group", "checks_requested", repo, sender);
  p.action = "checks_requested";
  const baseBranch = group.base ?? repo.default_branch ?? "main";
  const signature = { name: "GitHub", email: "noreply@github.com", date: "2025-06-02T10:00:00Z" };
  p.merge_group = mergeGroupObject({
    headSha: group.headSha,
    headRef: group.headRef ?? `refs/heads/gh-readonly-queue/${baseBranch}/pr-${group.pull}-${group.baseSha}`,
    baseSha: group.baseSha,
    baseRef: `refs/heads/${baseBranch}`,
    commit: { sha: group.headSha, treeSha: "4b825dc642cb6eb9a060e54bf8d69288fbee4904", message: `Merge pull request #${group.pull}`, author: signature, committer: signature },
  });
  return p;
}
