/** Renders the emulator's records as REST API objects (through the schema-shaped builders). */
import type { CommitObject } from "./git.js";
import * as o from "./objects.js";
import type { CheckRunRecord, CommentRecord, EmulatorStore, IssueRecord, PullRecord, RepoState, ReviewRecord } from "./store.js";

type Obj = Record<string, unknown>;

export class Renderer {
  constructor(
    private readonly store: EmulatorStore,
    private readonly urls: () => o.Urls,
    readonly appId: number,
  ) {}

  user(login: string): Obj {
    const u = this.store.ensureUser(login);
    return o.user({ login: u.login, id: u.id, type: u.type, urls: this.urls() });
  }

  repoInput(repo: RepoState): o.RepoInput {
    const owner = this.store.ensureUser(repo.owner);
    return {
      owner: repo.owner,
      name: repo.name,
      id: repo.id,
      private: repo.private,
      default_branch: repo.defaultBranch,
      ownerType: owner.type === "Bot" ? "User" : owner.type,
      urls: this.urls(),
      created_at: repo.createdAt,
      pushed_at: repo.pushedAt,
    };
  }

  repository(repo: RepoState, full = false): Obj {
    const out = o.repository(this.repoInput(repo), { full });
    const open = [...repo.issues.values()].filter((i) => i.state === "open").length;
    out.open_issues_count = open;
    out.open_issues = open;
    return out;
  }

  app(): Obj {
    return o.app({ id: this.appId, slug: this.store.appSlug, urls: this.urls() });
  }

  installation(owner: string): Obj {
    const u = this.store.ensureUser(owner);
    return o.installation({
      id: this.store.installationFor(owner),
      account: u.login,
      accountType: u.type === "Organization" ? "Organization" : "User",
      appId: this.appId,
      appSlug: this.store.appSlug,
      urls: this.urls(),
    });
  }

  label(repo: RepoState, name: string): Obj {
    const l = this.store.ensureLabel(repo, name);
    return o.label({ repo: repo.fullName, name: l.name, id: l.id, color: l.color, description: l.description, urls: this.urls() });
  }

  private association(repo: RepoState, login: string): string {
    return login.toLowerCase() === repo.owner.toLowerCase() ? "OWNER" : isBot(login) ? "NONE" : "MEMBER";
  }

  issue(repo: RepoState, issue: IssueRecord): Obj {
    const pull = repo.pulls.get(issue.number);
    const out = o.issue({
      repo: repo.fullName,
      number: issue.number,
      id: issue.id,
      title: issue.title,
      body: issue.body,
      user: issue.user,
      state: issue.state,
      state_reason: issue.stateReason,
      labels: [],
      assignees: [],
      comments: issue.comments.length,
      locked: issue.locked,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      closed_by: issue.closedBy,
      author_association: this.association(repo, issue.user),
      urls: this.urls(),
      ...(pull ? { pull_request: { merged_at: pull.mergedAt } } : {}),
    });
    out.user = this.user(issue.user);
    out.labels = issue.labels.map((n) => this.label(repo, n));
    const assignees = issue.assignees.map((a) => this.user(a));
    out.assignees = assignees;
    out.assignee = assignees[0] ?? null;
    out.closed_by = issue.closedBy ? this.user(issue.closedBy) : null;
    out.reactions = o.reactionRollup(`${this.urls().api}/repos/${repo.fullName}/issues/${issue.number}/reactions`, counts(issue.reactions));
    return out;
  }

  comment(repo: RepoState, c: CommentRecord): Obj {
    const out = o.issueComment({
      repo: repo.fullName,
      issue_number: c.issueNumber,
      id: c.id,
      body: c.body,
      user: c.user,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: this.association(repo, c.user),
      urls: this.urls(),
    });
    out.user = this.user(c.user);
    // GitHub records the app that wrote a comment with an installation token; nothing else sets it.
    // The emulator's own app is `this.app()`; any other `<slug>[bot]` is an app of its own.
    out.performed_via_github_app = c.user.toLowerCase() === this.store.botLogin.toLowerCase() ? this.app() : o.botApp(c.user, this.urls());
    out.reactions = o.reactionRollup(`${this.urls().api}/repos/${repo.fullName}/issues/comments/${c.id}/reactions`, counts(c.reactions));
    return out;
  }

  commit(repo: RepoState, c: CommitObject, withFiles = false): Obj {
    const files = withFiles && c.parents[0] ? this.store.git.diff(c.parents[0], c.sha).map((f) => this.diffEntry(repo, f, c.sha)) : withFiles ? [] : undefined;
    const out = o.commit({
      repo: repo.fullName,
      sha: c.sha,
      tree_sha: c.treeSha,
      message: c.message,
      parents: c.parents,
      author: c.author,
      committer: c.committer,
      login: null,
      urls: this.urls(),
      ...(files ? { files } : {}),
    });
    if (c.login) {
      out.author = this.user(c.login);
      out.committer = this.user(c.login);
    }
    return out;
  }

  diffEntry(repo: RepoState, f: { path: string; status: "added" | "removed" | "modified"; sha: string | null; additions: number; deletions: number }, ref: string): Obj {
    return o.diffEntry({ repo: repo.fullName, filename: f.path, status: f.status, sha: f.sha, ref, additions: f.additions, deletions: f.deletions, urls: this.urls() });
  }

  private prInput(repo: RepoState, issue: IssueRecord, pull: PullRecord): o.PullRequestInput {
    const files = this.store.changedFiles(pull);
    return {
      repo: this.repoInput(repo),
      number: pull.number,
      id: pull.id,
      title: issue.title,
      body: issue.body,
      user: issue.user,
      state: issue.state,
      draft: pull.draft,
      head: { ref: pull.headRef, sha: pull.headSha },
      base: { ref: pull.baseRef, sha: pull.baseSha },
      merged: pull.merged,
      merged_at: pull.mergedAt,
      merged_by: pull.mergedBy,
      merge_commit_sha: pull.mergeCommitSha,
      mergeable: issue.state === "open" ? !pull.draft : null,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      commits: this.store.commitsOf(pull).length,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      changed_files: files.length,
      comments: issue.comments.length,
      author_association: this.association(repo, issue.user),
      urls: this.urls(),
    };
  }

  pullRequest(repo: RepoState, issue: IssueRecord, pull: PullRecord, simple = false): Obj {
    const out = o.pullRequest(this.prInput(repo, issue, pull), { simple });
    const repoObj = this.repository(repo);
    for (const side of ["head", "base"] as const) {
      const s = out[side] as Obj;
      s.repo = repoObj;
      s.user = repoObj.owner;
    }
    out.user = this.user(issue.user);
    out.labels = issue.labels.map((n) => this.label(repo, n));
    const assignees = issue.assignees.map((a) => this.user(a));
    out.assignees = assignees;
    out.assignee = assignees[0] ?? null;
    out.requested_reviewers = pull.requestedReviewers.map((r) => this.user(r));
    if (!simple && pull.mergedBy) out.merged_by = this.user(pull.mergedBy);
    return out;
  }

  review(repo: RepoState, pull: PullRecord, r: ReviewRecord): Obj {
    const out = o.review({
      repo: repo.fullName,
      pull_number: pull.number,
      id: r.id,
      user: r.user,
      state: r.state,
      commit_id: r.commitId,
      body: r.body,
      submitted_at: r.submittedAt,
      author_association: this.association(repo, r.user),
      urls: this.urls(),
    });
    out.user = this.user(r.user);
    return out;
  }

  checkRun(repo: RepoState, run: CheckRunRecord): Obj {
    const pulls = [...repo.pulls.values()].filter((p) => p.headSha === run.headSha && repo.issues.get(p.number)?.state === "open");
    return o.checkRun({
      id: run.id,
      repo: repo.fullName,
      name: run.name,
      head_sha: run.headSha,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      external_id: run.externalId,
      details_url: run.detailsUrl,
      output: run.output,
      app: run.app ?? { id: this.appId, slug: this.store.appSlug },
      urls: this.urls(),
      pull_requests: pulls.map((p) =>
        o.pullRequestMinimal({ repo: this.repoInput(repo), number: p.number, id: p.id, head: { ref: p.headRef, sha: p.headSha }, base: { ref: p.baseRef, sha: p.baseSha }, urls: this.urls() }),
      ),
    });
  }

  team(t: { org: string; slug: string; name: string }): Obj {
    return o.team({ org: t.org, slug: t.slug, name: t.name, urls: this.urls() });
  }
}

function isBot(login: string): boolean {
  return login.endsWith("[bot]");
}

function counts(reactions: Array<{ content: string }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of reactions) out[r.content] = (out[r.content] ?? 0) + 1;
  return out;
}
