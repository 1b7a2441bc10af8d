/**
 * Webhook payload builders. Each starts from a real example payload in
 * `@octokit/webhooks-examples` for that event and action, and overrides repository, sender,
 * installation and the event's subject (issue, comment, pull request, review, check run, …)
 * with the emulator's current objects, so ids, numbers, shas and logins agree with its state.
 */
import { createRequire } from "node:module";
import * as o from "./objects.js";
import type { Renderer } from "./render.js";
import type { EmulatorStore, RepoState } from "./store.js";

type Obj = Record<string, unknown>;

interface ExampleGroup {
  name: string;
  actions: string[];
  examples: Obj[];
}

let examples: ExampleGroup[] | undefined;

function loadExamples(): ExampleGroup[] {
  if (!examples) {
    const require = createRequire(import.meta.url);
    examples = require("@octokit/webhooks-examples/api.github.com/index.json") as ExampleGroup[];
  }
  return examples;
}

/** A deep copy of a real example payload for `event` (and `action`), preferring one with an installation. */
export function examplePayload(event: string, action?: string): Obj {
  const group = loadExamples().find((g) => g.name === event);
  if (!group) throw new Error(`@octokit/webhooks-examples has no "${event}" event`);
  const matching = group.examples.filter((e) => action === undefined || e.action === action);
  // some actions have no example (e.g. pull_request.edited): start from the plain `opened` envelope,
  // which carries no field of another action (an `assigned` example's `assignee`)
  const opened = group.examples.filter((e) => e.action === "opened");
  const pool = matching.length ? matching : opened.length ? opened : group.examples;
  const pick = pool.find((e) => e.installation) ?? pool[0];
  if (!pick) throw new Error(`@octokit/webhooks-examples has no "${event}" example`);
  const copy = structuredClone(pick);
  if (action !== undefined) copy.action = action;
  return copy;
}

/**
 * The envelope of a delivery: a real example for `event`.`action` with the repository, sender and
 * installation replaced, and the organization when the owner is one (`organization` is the full
 * `organization-simple-webhooks` object, never a partial one). Builders then set the subject.
 */
export function webhookEnvelope(event: string, action: string | undefined, parts: { repository: Obj; sender: Obj; installationId: number; organization?: Obj }): Obj {
  const p = examplePayload(event, action);
  if (action !== undefined) p.action = action;
  p.repository = parts.repository;
  p.sender = parts.sender;
  p.installation = { id: parts.installationId, node_id: o.nodeId("Installation", parts.installationId) };
  if (parts.organization) p.organization = parts.organization;
  else delete p.organization;
  delete p.enterprise;
  return p;
}

/**
 * A REST issue (test/emulator/objects.ts `issue`) as webhook payloads carry it. GitHub's webhook
 * schemas have no `closed_by` on an issue (only the REST object has it), and list
 * `user_view_type` on an issue's users in some events and not others (not on `issue.user` of
 * `issue_comment`, not on `assignees` of `issues.labeled`): both are left out.
 */
export function webhookIssue(issue: Obj): Obj {
  const out: Obj = { ...issue };
  delete out.closed_by;
  const plain = (u: unknown): unknown => {
    if (u === null || typeof u !== "object") return u;
    const copy = { ...(u as Obj) };
    delete copy.user_view_type;
    return copy;
  };
  if ("user" in out) out.user = plain(out.user);
  if ("assignee" in out) out.assignee = plain(out.assignee);
  if (Array.isArray(out.assignees)) out.assignees = out.assignees.map(plain);
  return out;
}

/**
 * The pull request of a `pull_request_review` delivery. GitHub's schema for the `edited` action lists
 * an older, shorter repository object under `base.repo` and `head.repo` than `submitted` and
 * `dismissed` do (no `has_discussions`, which `submitted` requires, and no
 * `web_commit_signoff_required`): for `edited` both are left out.
 */
export function webhookReviewPullRequest(action: string, pr: Obj): Obj {
  if (action !== "edited") return pr;
  const out: Obj = { ...pr };
  for (const side of ["base", "head"] as const) {
    const ref = out[side] as Obj | undefined;
    if (!ref || typeof ref.repo !== "object" || ref.repo === null) continue;
    const repo: Obj = { ...(ref.repo as Obj) };
    delete repo.has_discussions;
    delete repo.web_commit_signoff_required;
    out[side] = { ...ref, repo };
  }
  return out;
}

/** An organization as webhook payloads carry it (`organization-simple-webhooks`: all 12 required fields), from its user object. */
/** The `merge_group` object of a `merge_group` event (GitHub's `merge-group` schema). */
export function mergeGroupObject(group: { headSha: string; headRef: string; baseSha: string; baseRef: string; commit: { sha: string; treeSha: string; message: string; author: { name: string; email: string; date: string }; committer: { name: string; email: string; date: string } } }): Obj {
  const c = group.commit;
  return {
    head_sha: group.headSha,
    head_ref: group.headRef,
    base_sha: group.baseSha,
    base_ref: group.baseRef,
    head_commit: { id: c.sha, tree_id: c.treeSha, message: c.message, timestamp: c.committer.date, author: { name: c.author.name, email: c.author.email }, committer: { name: c.committer.name, email: c.committer.email } },
  };
}

export function webhookOrganization(login: string, urls: o.Urls = o.GITHUB_URLS): Obj {
  return orgObject(o.user({ login, type: "Organization", urls }));
}

export type IssuesAction = "opened" | "edited" | "closed" | "reopened" | "labeled" | "unlabeled" | "assigned" | "unassigned";
export type PullRequestAction = "opened" | "synchronize" | "edited" | "reopened" | "ready_for_review" | "labeled" | "unlabeled" | "closed";

export interface SenderOption {
  /** login of the user/bot that caused the event (default: the subject's author) */
  sender?: string;
}

export class PayloadBuilders {
  constructor(
    private readonly store: EmulatorStore,
    private readonly render: Renderer,
  ) {}

  private repo(fullName: string): RepoState {
    const [owner = "", name = ""] = fullName.split("/");
    return this.store.repo(owner, name);
  }

  private base(event: string, action: string | undefined, repo: RepoState, sender: string): Obj {
    const owner = this.store.ensureUser(repo.owner);
    return webhookEnvelope(event, action, {
      repository: this.render.repository(repo),
      sender: this.render.user(sender),
      installationId: this.store.installationFor(repo.owner),
      ...(owner.type === "Organization" ? { organization: orgObject(this.render.user(repo.owner)) } : {}),
    });
  }

  /** `issues` with action opened, labeled (pass `label`), closed, … */
  issues(action: IssuesAction, repoName: string, number: number, options: SenderOption & { label?: string; assignee?: string; changes?: Obj } = {}): Obj {
    const repo = this.repo(repoName);
    const issue = this.store.issue(repo, number);
    const p = this.base("issues", action, repo, options.sender ?? issue.user);
    p.action = action;
    p.issue = webhookIssue(this.render.issue(repo, issue));
    if (action === "labeled" || action === "unlabeled") p.label = this.render.label(repo, options.label ?? issue.labels.at(-1) ?? "label");
    else delete p.label;
    if (action === "assigned" || action === "unassigned") p.assignee = this.render.user(options.assignee ?? issue.assignees.at(-1) ?? issue.user);
    else delete p.assignee;
    if (action === "edited") p.changes = options.changes ?? {};
    else delete p.changes;
    return p;
  }

  /** `issue_comment` created/edited (edited: pass `changes: { body: { from } }`). */
  issueComment(action: "created" | "edited" | "deleted", repoName: string, commentId: number, options: SenderOption & { changes?: Obj } = {}): Obj {
    const repo = this.repo(repoName);
    const { issue, comment } = this.store.comment(repo, commentId);
    const p = this.base("issue_comment", action, repo, options.sender ?? comment.user);
    p.action = action;
    p.issue = webhookIssue(this.render.issue(repo, issue));
    p.comment = this.render.comment(repo, comment);
    if (action === "edited") p.changes = options.changes ?? { body: { from: "" } };
    else delete p.changes;
    return p;
  }

  /**
   * `merge_group` checks_requested for a group the store built (`EmulatorStore.createMergeGroup`):
   * the group's head commit, its branch and its base, as GitHub's merge queue sends them.
   */
  mergeGroup(repoName: string, group: { headSha: string; headRef: string; baseSha: string; baseRef: string; commit: { sha: string; treeSha: string; message: string; author: { name: string; email: string; date: string }; committer: { name: string; email: string; date: string } } }, options: SenderOption = {}): Obj {
    const repo = this.repo(repoName);
    const p = this.base("merge_group", "checks_requested", repo, options.sender ?? "github-merge-queue[bot]");
    p.action = "checks_requested";
    p.merge_group = mergeGroupObject(group);
    return p;
  }

  /** `pull_request` opened/synchronize (pass before/after)/edited/reopened/ready_for_review/labeled/closed. */
  pullRequest(action: PullRequestAction, repoName: string, number: number, options: SenderOption & { label?: string; before?: string; after?: string; changes?: Obj } = {}): Obj {
    const repo = this.repo(repoName);
    const { issue, pull } = this.store.pull(repo, number);
    const p = this.base("pull_request", action, repo, options.sender ?? issue.user);
    p.action = action;
    p.number = number;
    p.pull_request = this.render.pullRequest(repo, issue, pull);
    if (action === "labeled" || action === "unlabeled") p.label = this.render.label(repo, options.label ?? issue.labels.at(-1) ?? "label");
    else delete p.label;
    if (action === "synchronize") {
      p.before = options.before ?? this.store.git.getCommit(pull.headSha)?.parents[0] ?? pull.baseSha;
      p.after = options.after ?? pull.headSha;
    } else {
      delete p.before;
      delete p.after;
    }
    if (action === "edited") p.changes = options.changes ?? {};
    else delete p.changes;
    return p;
  }

  /** `pull_request_review` submitted/dismissed/edited for review `reviewId`. */
  pullRequestReview(action: "submitted" | "dismissed" | "edited", repoName: string, number: number, reviewId: number, options: SenderOption & { changes?: Obj } = {}): Obj {
    const repo = this.repo(repoName);
    const { issue, pull } = this.store.pull(repo, number);
    const r = pull.reviews.find((x) => x.id === reviewId);
    if (!r) throw new Error(`no review ${reviewId} on ${repoName}#${number}`);
    const p = this.base("pull_request_review", action, repo, options.sender ?? r.user);
    p.action = action;
    const review = this.render.review(repo, pull, r);
    // webhook reviews use lower-case states
    review.state = String(review.state).toLowerCase();
    p.review = review;
    p.pull_request = webhookReviewPullRequest(action, this.render.pullRequest(repo, issue, pull, true));
    if (action === "edited") p.changes = options.changes ?? {};
    else delete p.changes;
    return p;
  }

  /** `check_run` (e.g. rerequested) for run `checkRunId`. */
  checkRun(action: "rerequested" | "created" | "completed" | "requested_action", repoName: string, checkRunId: number, options: SenderOption & { requestedAction?: string } = {}): Obj {
    const repo = this.repo(repoName);
    const run = this.store.checkRun(repo, checkRunId);
    const p = this.base("check_run", action, repo, options.sender ?? repo.owner);
    p.action = action;
    const rendered = this.render.checkRun(repo, run);
    rendered.check_suite = {
      id: (rendered.check_suite as { id: number }).id,
      head_sha: run.headSha,
      head_branch: [...repo.branches].find(([, sha]) => sha === run.headSha)?.[0] ?? null,
      status: run.status,
      conclusion: run.conclusion,
      app: rendered.app,
      pull_requests: rendered.pull_requests,
      before: null,
      after: run.headSha,
      created_at: run.startedAt,
      updated_at: run.completedAt ?? run.startedAt,
      url: `${(rendered.url as string).replace(/check-runs\/\d+$/, "")}check-suites/${(rendered.check_suite as { id: number }).id}`,
    };
    p.check_run = rendered;
    if (action === "requested_action") p.requested_action = { identifier: options.requestedAction ?? "" };
    else delete p.requested_action;
    return p;
  }

  /** `push` of `branch` from `before` to its current tip (default: the tip's parent). */
  push(repoName: string, branch: string, options: SenderOption & { before?: string } = {}): Obj {
    const repo = this.repo(repoName);
    const after = this.store.branchTip(repo, branch);
    const head = this.store.git.getCommit(after);
    const before = options.before ?? head?.parents[0] ?? "0000000000000000000000000000000000000000";
    const pusher = options.sender ?? head?.login ?? repo.owner;
    const p = this.base("push", undefined, repo, pusher);
    const commits: Obj[] = [];
    let sha: string | undefined = after;
    while (sha && sha !== before && commits.length < 20) {
      const c = this.store.git.getCommit(sha);
      if (!c) break;
      const files = c.parents[0] ? this.store.git.diff(c.parents[0], c.sha) : [];
      commits.unshift({
        id: c.sha,
        tree_id: c.treeSha,
        distinct: true,
        message: c.message,
        timestamp: c.committer.date,
        url: `${(p.repository as Obj).html_url as string}/commit/${c.sha}`,
        author: { name: c.author.name, email: c.author.email, username: c.login ?? c.author.name },
        committer: { name: c.committer.name, email: c.committer.email, username: c.login ?? c.committer.name },
        added: files.filter((f) => f.status === "added").map((f) => f.path),
        removed: files.filter((f) => f.status === "removed").map((f) => f.path),
        modified: files.filter((f) => f.status === "modified").map((f) => f.path),
      });
      sha = c.parents[0];
    }
    Object.assign(p, {
      ref: `refs/heads/${branch}`,
      before,
      after,
      created: false,
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `${(p.repository as Obj).html_url as string}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
      commits,
      head_commit: commits.at(-1) ?? null,
      pusher: { name: pusher, email: this.store.signature(pusher).email },
    });
    return p;
  }

  /** `membership` added/removed: `member` joined or left team `org/slug`. */
  membership(action: "added" | "removed", org: string, slug: string, member: string, options: SenderOption = {}): Obj {
    const p = examplePayload("membership", action);
    const t = this.store.team(org, slug);
    p.action = action;
    p.scope = "team";
    p.member = this.render.user(member);
    p.sender = this.render.user(options.sender ?? org);
    p.team = this.render.team(t);
    p.organization = orgObject(this.render.user(org));
    p.installation = { id: this.store.installationFor(org), node_id: o.nodeId("Installation", this.store.installationFor(org)) };
    delete p.repository;
    return p;
  }
}

function orgObject(u: Obj): Obj {
  const api = String(u.url).replace(/\/users\//, "/orgs/");
  return {
    login: u.login,
    id: u.id,
    node_id: u.node_id,
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: u.avatar_url,
    description: null,
  };
}
