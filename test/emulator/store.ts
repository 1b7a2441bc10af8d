/**
 * The emulator's in-memory state and the domain operations on it. Route handlers and the
 * programmatic test API both go through these methods, so they agree on every rule
 * (optimistic concurrency, issue/PR numbering, label casing, review staleness, merges).
 */
import { HookDeliveries } from "./hook-deliveries.js";
import { GitStore, type CommitObject, type Signature } from "./git.js";
import { HttpError, notFound, unprocessable } from "./errors.js";
import { isBotLogin, stableId } from "./objects.js";
import type { ReactionContent, ReviewState } from "./objects.js";

export interface UserRecord {
  login: string;
  id: number;
  type: "User" | "Bot" | "Organization";
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface ReactionRecord {
  id: number;
  content: ReactionContent;
  user: string;
  createdAt: string;
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
  reactions: ReactionRecord[];
}

export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: string;
  state: "open" | "closed";
  stateReason: "completed" | "reopened" | "not_planned" | "duplicate" | null;
  /** label names as stored on the repo label */
  labels: string[];
  assignees: string[];
  locked: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  isPull: boolean;
  comments: CommentRecord[];
  reactions: ReactionRecord[];
}

export interface ReviewRecord {
  id: number;
  user: string;
  state: ReviewState;
  commitId: string;
  body: string;
  submittedAt: string;
  /** Set when the review was dismissed: who, when, why, and what it was (the timeline's `review_dismissed`). */
  dismissal?: { id: number; by: string; at: string; message: string | null; previousState: ReviewState; commitId: string };
}

export interface PullRecord {
  number: number;
  id: number;
  headRef: string;
  baseRef: string;
  /** last known head/base tips (used once the PR is closed or the branch is gone) */
  headSha: string;
  baseSha: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  requestedReviewers: string[];
  reviews: ReviewRecord[];
}

export interface CheckRunRecord {
  id: number;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required" | null;
  startedAt: string | null;
  completedAt: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** The app that wrote it; absent: the emulator's own app (Charter). Only that app may update it. */
  app?: { id: number; slug: string };
}

export interface RepoState {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  private: boolean;
  defaultBranch: string;
  branches: Map<string, string>;
  labels: Map<string, LabelRecord>; // key: lower-case name
  issues: Map<number, IssueRecord>;
  pulls: Map<number, PullRecord>;
  checkRuns: Map<number, CheckRunRecord>;
  nextNumber: number;
  createdAt: string;
  pushedAt: string;
}

export interface TeamRecord {
  org: string;
  slug: string;
  name: string;
  members: string[];
}

export type Clock = () => Date;

export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export class EmulatorStore {
  readonly git = new GitStore();
  readonly users = new Map<string, UserRecord>();
  readonly repos = new Map<string, RepoState>();
  readonly teams = new Map<string, TeamRecord>(); // key: org/slug lower-case
  readonly installations = new Map<string, number>(); // owner lower-case → installation id
  readonly tokens = new Map<string, string>(); // token → login acting
  readonly tokenInstallations = new Map<string, number>(); // installation token → its installation
  /** The app's webhook deliveries (GET /app/hook/deliveries). */
  readonly hookDeliveries = new HookDeliveries();
  private ids = 1000;

  constructor(
    private readonly clock: Clock,
    readonly appSlug: string,
  ) {}

  get botLogin(): string {
    return `${this.appSlug}[bot]`;
  }

  nextId(): number {
    return ++this.ids;
  }

  now(): string {
    return isoSeconds(this.clock());
  }

  // ------------------------------------------------------------- users, teams, installations

  ensureUser(login: string, type?: UserRecord["type"]): UserRecord {
    const key = login.toLowerCase();
    let u = this.users.get(key);
    if (!u) {
      u = { login, id: stableId(`user:${key}`), type: type ?? (isBotLogin(login) ? "Bot" : "User") };
      this.users.set(key, u);
    } else if (type && u.type !== type) {
      u.type = type;
    }
    return u;
  }

  installationFor(owner: string): number {
    const key = owner.toLowerCase();
    let id = this.installations.get(key);
    if (id === undefined) {
      id = 10_000 + this.installations.size + 1;
      this.installations.set(key, id);
    }
    return id;
  }

  setTeamMembers(org: string, slug: string, members: string[], name?: string): TeamRecord {
    const key = `${org}/${slug}`.toLowerCase();
    members.forEach((m) => this.ensureUser(m));
    const team: TeamRecord = { org, slug, name: name ?? this.teams.get(key)?.name ?? slug, members: [...members] };
    this.teams.set(key, team);
    return team;
  }

  team(org: string, slug: string): TeamRecord {
    const t = this.teams.get(`${org}/${slug}`.toLowerCase());
    if (!t) throw notFound();
    return t;
  }

  // ------------------------------------------------------------- repositories and git

  createRepo(input: { owner: string; name: string; defaultBranch?: string; private?: boolean; files?: Record<string, string>; ownerType?: UserRecord["type"] }): RepoState {
    const fullName = `${input.owner}/${input.name}`;
    const key = fullName.toLowerCase();
    if (this.repos.has(key)) throw unprocessable("Repository creation failed.", [{ resource: "Repository", code: "custom", field: "name", message: "name already exists on this account" }]);
    this.ensureUser(input.owner, input.ownerType ?? "Organization");
    this.installationFor(input.owner);
    const now = this.now();
    const repo: RepoState = {
      id: stableId(`repo:${key}`),
      owner: input.owner,
      name: input.name,
      fullName,
      private: input.private ?? false,
      defaultBranch: input.defaultBranch ?? "main",
      branches: new Map(),
      labels: new Map(),
      issues: new Map(),
      pulls: new Map(),
      checkRuns: new Map(),
      nextNumber: 1,
      createdAt: now,
      pushedAt: now,
    };
    this.repos.set(key, repo);
    const root = this.git.commit({
      parent: undefined,
      changes: input.files ?? { "README.md": `# ${input.name}\n` },
      message: "Initial commit",
      author: this.signature(input.owner),
      login: input.owner,
    });
    repo.branches.set(repo.defaultBranch, root.sha);
    return repo;
  }

  repo(owner: string, name: string): RepoState {
    const r = this.repos.get(`${owner}/${name}`.toLowerCase());
    if (!r) throw notFound();
    return r;
  }

  signature(login: string): Signature {
    return { name: login, email: `${login.replace(/\[bot\]$/, "")}@users.noreply.github.test`, date: this.now() };
  }

  /** Resolves a branch name, `heads/x`, `refs/heads/x`, or a (possibly abbreviated) commit sha. */
  resolveRef(repo: RepoState, ref: string | undefined): CommitObject {
    const name = (ref ?? repo.defaultBranch).replace(/^refs\//, "").replace(/^heads\//, "");
    const tip = repo.branches.get(name);
    const c = tip ? this.git.getCommit(tip) : this.git.resolveSha(name);
    if (!c) throw new HttpError(404, `No commit found for the ref ${ref ?? repo.defaultBranch}`);
    return c;
  }

  branchTip(repo: RepoState, branch: string): string {
    const tip = repo.branches.get(branch);
    if (!tip) throw new HttpError(404, "Branch not found");
    return tip;
  }

  createBranch(repo: RepoState, branch: string, sha: string): void {
    if (repo.branches.has(branch)) throw unprocessable("Reference already exists");
    if (!this.git.getCommit(sha)) throw unprocessable("Object does not exist");
    repo.branches.set(branch, sha);
  }

  /** Commits `changes` on `branch` (creating the branch from the default branch if missing). */
  commitFiles(repo: RepoState, branch: string, changes: Record<string, string | null>, message: string, login?: string): CommitObject {
    let parent = repo.branches.get(branch);
    if (parent === undefined) parent = this.branchTip(repo, repo.defaultBranch);
    const author = login ?? repo.owner;
    const c = this.git.commit({ parent, changes, message, author: this.signature(author), login: author });
    this.moveBranch(repo, branch, c.sha);
    return c;
  }

  moveBranch(repo: RepoState, branch: string, sha: string): void {
    repo.branches.set(branch, sha);
    repo.pushedAt = this.now();
    for (const pr of repo.pulls.values()) {
      const issue = repo.issues.get(pr.number);
      if (issue?.state !== "open") continue;
      if (pr.headRef === branch) pr.headSha = sha;
      if (pr.baseRef === branch) pr.baseSha = sha;
    }
  }

  /**
   * The contents API write: optimistic concurrency on the blob sha.
   * Returns the new commit and whether the file was created.
   */
  putContent(repo: RepoState, input: { path: string; content: string; message: string; sha?: string; branch?: string; login: string }): { commit: CommitObject; created: boolean } {
    const branch = input.branch ?? repo.defaultBranch;
    const tip = repo.branches.get(branch);
    if (!tip) throw new HttpError(404, `Branch ${branch} not found`);
    const existing = this.git.fileAt(tip, input.path);
    if (existing && input.sha === undefined) throw unprocessable('Invalid request.\n\n"sha" wasn\'t supplied.');
    if (existing && input.sha !== existing.sha) throw new HttpError(409, `${input.path} does not match ${input.sha}`);
    if (!existing && input.sha !== undefined) throw new HttpError(409, `${input.path} does not match ${input.sha}`);
    const c = this.git.commit({ parent: tip, changes: { [input.path]: input.content }, message: input.message, author: this.signature(input.login), login: input.login });
    this.moveBranch(repo, branch, c.sha);
    return { commit: c, created: !existing };
  }

  deleteContent(repo: RepoState, input: { path: string; message: string; sha: string; branch?: string; login: string }): CommitObject {
    const branch = input.branch ?? repo.defaultBranch;
    const tip = this.branchTip(repo, branch);
    const existing = this.git.fileAt(tip, input.path);
    if (!existing) throw notFound();
    if (existing.sha !== input.sha) throw new HttpError(409, `${input.path} does not match ${input.sha}`);
    const c = this.git.commit({ parent: tip, changes: { [input.path]: null }, message: input.message, author: this.signature(input.login), login: input.login });
    this.moveBranch(repo, branch, c.sha);
    return c;
  }

  // ------------------------------------------------------------- labels

  ensureLabel(repo: RepoState, name: string, color?: string, description?: string | null): LabelRecord {
    const key = name.toLowerCase();
    let l = repo.labels.get(key);
    if (!l) {
      l = { id: this.nextId(), name, color: color ?? "ededed", description: description ?? null };
      repo.labels.set(key, l);
    }
    return l;
  }

  createLabel(repo: RepoState, name: string, color?: string, description?: string | null): LabelRecord {
    if (repo.labels.has(name.toLowerCase())) {
      throw unprocessable("Validation Failed", [{ resource: "Label", code: "already_exists", field: "name" }]);
    }
    return this.ensureLabel(repo, name, color, description);
  }

  label(repo: RepoState, name: string): LabelRecord {
    const l = repo.labels.get(name.toLowerCase());
    if (!l) throw notFound();
    return l;
  }

  addLabels(repo: RepoState, issue: IssueRecord, names: string[]): void {
    for (const name of names) {
      const l = this.ensureLabel(repo, name);
      if (!issue.labels.some((n) => n.toLowerCase() === l.name.toLowerCase())) issue.labels.push(l.name);
    }
    issue.updatedAt = this.now();
  }

  removeLabel(repo: RepoState, issue: IssueRecord, name: string): void {
    const idx = issue.labels.findIndex((n) => n.toLowerCase() === name.toLowerCase());
    if (idx === -1) throw new HttpError(404, "Label does not exist");
    issue.labels.splice(idx, 1);
    issue.updatedAt = this.now();
  }

  // ------------------------------------------------------------- issues and comments

  createIssue(repo: RepoState, input: { title: string; body?: string | null; user: string; labels?: string[]; assignees?: string[]; isPull?: boolean }): IssueRecord {
    this.ensureUser(input.user);
    const now = this.now();
    const issue: IssueRecord = {
      id: this.nextId(),
      number: repo.nextNumber++,
      title: input.title,
      body: input.body ?? null,
      user: input.user,
      state: "open",
      stateReason: null,
      labels: [],
      assignees: [],
      locked: false,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      closedBy: null,
      isPull: input.isPull ?? false,
      comments: [],
      reactions: [],
    };
    repo.issues.set(issue.number, issue);
    if (input.labels?.length) this.addLabels(repo, issue, input.labels);
    if (input.assignees?.length) this.addAssignees(issue, input.assignees);
    return issue;
  }

  issue(repo: RepoState, number: number): IssueRecord {
    const i = repo.issues.get(number);
    if (!i) throw notFound();
    return i;
  }

  updateIssue(
    repo: RepoState,
    issue: IssueRecord,
    patch: { title?: string; body?: string | null; state?: "open" | "closed"; state_reason?: IssueRecord["stateReason"]; labels?: string[]; assignees?: string[] },
    actor: string,
  ): void {
    const now = this.now();
    if (patch.title !== undefined) issue.title = patch.title;
    if (patch.body !== undefined) issue.body = patch.body;
    if (patch.state !== undefined && patch.state !== issue.state) {
      issue.state = patch.state;
      if (patch.state === "closed") {
        issue.closedAt = now;
        issue.closedBy = actor;
        issue.stateReason = patch.state_reason ?? "completed";
      } else {
        issue.closedAt = null;
        issue.closedBy = null;
        issue.stateReason = patch.state_reason ?? "reopened";
      }
    } else if (patch.state_reason !== undefined) {
      issue.stateReason = patch.state_reason;
    }
    if (patch.labels !== undefined) {
      issue.labels = [];
      this.addLabels(repo, issue, patch.labels);
    }
    if (patch.assignees !== undefined) {
      issue.assignees = [];
      this.addAssignees(issue, patch.assignees);
    }
    issue.updatedAt = now;
  }

  addAssignees(issue: IssueRecord, logins: string[]): void {
    for (const login of logins) {
      this.ensureUser(login);
      if (!issue.assignees.some((a) => a.toLowerCase() === login.toLowerCase())) issue.assignees.push(login);
    }
    issue.updatedAt = this.now();
  }

  removeAssignees(issue: IssueRecord, logins: string[]): void {
    const drop = new Set(logins.map((l) => l.toLowerCase()));
    issue.assignees = issue.assignees.filter((a) => !drop.has(a.toLowerCase()));
    issue.updatedAt = this.now();
  }

  addComment(repo: RepoState, issue: IssueRecord, body: string, user: string): CommentRecord {
    this.ensureUser(user);
    const now = this.now();
    const c: CommentRecord = { id: this.nextId(), issueNumber: issue.number, body, user, createdAt: now, updatedAt: now, reactions: [] };
    issue.comments.push(c);
    issue.updatedAt = now;
    return c;
  }

  /** Finds a comment anywhere in the repository. */
  comment(repo: RepoState, id: number): { issue: IssueRecord; comment: CommentRecord } {
    for (const issue of repo.issues.values()) {
      const comment = issue.comments.find((c) => c.id === id);
      if (comment) return { issue, comment };
    }
    throw notFound();
  }

  deleteComment(repo: RepoState, id: number): void {
    const { issue } = this.comment(repo, id);
    issue.comments = issue.comments.filter((c) => c.id !== id);
    issue.updatedAt = this.now();
  }

  editComment(repo: RepoState, id: number, body: string): CommentRecord {
    const { comment } = this.comment(repo, id);
    comment.body = body;
    comment.updatedAt = this.now();
    return comment;
  }

  /** Adds a reaction; returns it and whether it was new (GitHub answers 200 for an existing one). */
  react(target: { reactions: ReactionRecord[] }, content: ReactionContent, user: string): { reaction: ReactionRecord; created: boolean } {
    this.ensureUser(user);
    const existing = target.reactions.find((r) => r.content === content && r.user.toLowerCase() === user.toLowerCase());
    if (existing) return { reaction: existing, created: false };
    const reaction: ReactionRecord = { id: this.nextId(), content, user, createdAt: this.now() };
    target.reactions.push(reaction);
    return { reaction, created: true };
  }

  // ------------------------------------------------------------- pull requests and reviews

  openPullRequest(repo: RepoState, input: { head: string; base?: string; title: string; body?: string | null; user: string; draft?: boolean }): { issue: IssueRecord; pull: PullRecord } {
    const base = input.base ?? repo.defaultBranch;
    const headRef = input.head.includes(":") ? (input.head.split(":")[1] ?? input.head) : input.head;
    const headSha = repo.branches.get(headRef);
    const baseSha = repo.branches.get(base);
    if (!headSha || !baseSha) {
      throw unprocessable("Validation Failed", [{ resource: "PullRequest", code: "invalid", field: headSha ? "base" : "head" }]);
    }
    if (headSha === baseSha || this.git.isAncestor(headSha, baseSha)) {
      throw unprocessable("Validation Failed", [{ resource: "PullRequest", code: "custom", message: `No commits between ${base} and ${headRef}` }]);
    }
    for (const pr of repo.pulls.values()) {
      if (pr.headRef === headRef && pr.baseRef === base && repo.issues.get(pr.number)?.state === "open") {
        throw unprocessable("Validation Failed", [{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${repo.owner}:${headRef}.` }]);
      }
    }
    const issue = this.createIssue(repo, { title: input.title, body: input.body ?? null, user: input.user, isPull: true });
    const pull: PullRecord = {
      number: issue.number,
      id: this.nextId(),
      headRef,
      baseRef: base,
      headSha,
      baseSha,
      draft: input.draft ?? false,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      requestedReviewers: [],
      reviews: [],
    };
    repo.pulls.set(issue.number, pull);
    return { issue, pull };
  }

  pull(repo: RepoState, number: number): { issue: IssueRecord; pull: PullRecord } {
    const pull = repo.pulls.get(number);
    const issue = repo.issues.get(number);
    if (!pull || !issue) throw notFound();
    return { issue, pull };
  }

  changedFiles(pull: PullRecord): ReturnType<GitStore["diff"]> {
    const base = this.git.mergeBase(pull.headSha, pull.baseSha) ?? pull.baseSha;
    return this.git.diff(base, pull.headSha);
  }

  commitsOf(pull: PullRecord): CommitObject[] {
    const base = this.git.mergeBase(pull.headSha, pull.baseSha) ?? pull.baseSha;
    const out: CommitObject[] = [];
    let sha: string | undefined = pull.headSha;
    while (sha && sha !== base) {
      const c = this.git.getCommit(sha);
      if (!c) break;
      out.unshift(c);
      sha = c.parents[0];
    }
    return out;
  }

  submitReview(repo: RepoState, number: number, input: { user: string; state: ReviewState; commitId?: string; body?: string }): ReviewRecord {
    const { issue, pull } = this.pull(repo, number);
    if (issue.state !== "open" && input.state !== "DISMISSED") throw unprocessable("Can not review a closed pull request");
    if ((input.state === "APPROVED" || input.state === "CHANGES_REQUESTED") && input.user.toLowerCase() === issue.user.toLowerCase()) {
      throw unprocessable(`Can not ${input.state === "APPROVED" ? "approve" : "request changes on"} your own pull request`);
    }
    this.ensureUser(input.user);
    const r: ReviewRecord = { id: this.nextId(), user: input.user, state: input.state, commitId: input.commitId ?? pull.headSha, body: input.body ?? "", submittedAt: this.now() };
    pull.reviews.push(r);
    pull.requestedReviewers = pull.requestedReviewers.filter((u) => u.toLowerCase() !== input.user.toLowerCase());
    return r;
  }

  /** `by` dismisses a review (GitHub records who, only in the pull request's timeline). */
  dismissReview(repo: RepoState, number: number, reviewId: number, by = "ghost", message: string | null = null): ReviewRecord {
    const { pull } = this.pull(repo, number);
    const r = pull.reviews.find((x) => x.id === reviewId);
    if (!r) throw notFound();
    if (r.state === "PENDING") throw unprocessable("Can not dismiss a pending review");
    if (r.state === "DISMISSED") throw unprocessable("Can not dismiss a dismissed review");
    this.ensureUser(by);
    r.dismissal = { id: this.nextId(), by, at: this.now(), message, previousState: r.state, commitId: pull.headSha };
    r.state = "DISMISSED";
    return r;
  }

  requestReviewers(repo: RepoState, number: number, reviewers: string[]): void {
    const { issue, pull } = this.pull(repo, number);
    for (const login of reviewers) {
      if (login.toLowerCase() === issue.user.toLowerCase()) throw unprocessable("Review cannot be requested from pull request author.");
      this.ensureUser(login);
      if (!pull.requestedReviewers.some((u) => u.toLowerCase() === login.toLowerCase())) pull.requestedReviewers.push(login);
    }
  }

  /** Merges head into base: the base branch gets every change the head made since the merge base. */
  merge(repo: RepoState, number: number, input: { sha?: string; commitTitle?: string; mergeMethod?: "merge" | "squash" | "rebase"; login: string }): CommitObject {
    const { issue, pull } = this.pull(repo, number);
    if (issue.state !== "open" || pull.merged) throw new HttpError(405, "Pull Request is not mergeable");
    if (pull.draft) throw new HttpError(405, "Pull Request is still a draft");
    if (input.sha !== undefined && input.sha !== pull.headSha) throw new HttpError(409, "Head branch was modified. Review and try the merge again.");
    const changes: Record<string, string | null> = {};
    for (const f of this.changedFiles(pull)) changes[f.path] = f.sha === null ? null : (this.git.blob(f.sha) ?? "");
    const baseTip = this.branchTip(repo, pull.baseRef);
    const message = input.commitTitle ?? `Merge pull request #${number} from ${repo.owner}/${pull.headRef}`;
    const c = this.git.commit({
      parent: baseTip,
      extraParents: input.mergeMethod === "squash" || input.mergeMethod === "rebase" ? [] : [pull.headSha],
      changes,
      message,
      author: this.signature(input.login),
      login: input.login,
    });
    this.moveBranch(repo, pull.baseRef, c.sha);
    const now = this.now();
    pull.merged = true;
    pull.mergedAt = now;
    pull.mergedBy = input.login;
    pull.mergeCommitSha = c.sha;
    issue.state = "closed";
    issue.closedAt = now;
    issue.closedBy = input.login;
    issue.stateReason = "completed";
    issue.updatedAt = now;
    return c;
  }

  /**
   * GitHub's merge queue: a merge group for pull request `number`, the pull request merged onto
   * the tip of its base on the branch `gh-readonly-queue/<base>/pr-<n>-<base sha>` (what GitHub
   * builds when the pull request is queued, before it sends `merge_group.checks_requested`).
   */
  createMergeGroup(repo: RepoState, number: number, login = "github-merge-queue[bot]"): { headSha: string; headRef: string; baseSha: string; baseRef: string; commit: CommitObject } {
    const { issue, pull } = this.pull(repo, number);
    if (issue.state !== "open" || pull.merged) throw new HttpError(422, "Pull request is not open");
    const changes: Record<string, string | null> = {};
    for (const f of this.changedFiles(pull)) changes[f.path] = f.sha === null ? null : (this.git.blob(f.sha) ?? "");
    const baseSha = this.branchTip(repo, pull.baseRef);
    const commit = this.git.commit({ parent: baseSha, extraParents: [pull.headSha], changes, message: `Merge pull request #${number} from ${repo.owner}/${pull.headRef}`, author: this.signature(issue.user), login });
    const branch = `gh-readonly-queue/${pull.baseRef}/pr-${number}-${baseSha}`;
    repo.branches.set(branch, commit.sha);
    return { headSha: commit.sha, headRef: `refs/heads/${branch}`, baseSha, baseRef: `refs/heads/${pull.baseRef}`, commit };
  }

  // ------------------------------------------------------------- check runs

  createCheckRun(repo: RepoState, input: Partial<CheckRunRecord> & { name: string; headSha: string }): CheckRunRecord {
    const now = this.now();
    const conclusion = input.conclusion ?? null;
    const status = conclusion ? "completed" : (input.status ?? "queued");
    const run: CheckRunRecord = {
      id: this.nextId(),
      name: input.name,
      headSha: input.headSha,
      status,
      conclusion,
      startedAt: input.startedAt ?? now,
      completedAt: status === "completed" ? (input.completedAt ?? now) : null,
      externalId: input.externalId ?? null,
      detailsUrl: input.detailsUrl ?? null,
      output: { title: input.output?.title ?? null, summary: input.output?.summary ?? null, text: input.output?.text ?? null },
      ...(input.app ? { app: input.app } : {}),
    };
    repo.checkRuns.set(run.id, run);
    return run;
  }

  checkRun(repo: RepoState, id: number): CheckRunRecord {
    const run = repo.checkRuns.get(id);
    if (!run) throw notFound();
    return run;
  }

  updateCheckRun(repo: RepoState, id: number, patch: Partial<Omit<CheckRunRecord, "id" | "headSha" | "app">>): CheckRunRecord {
    const run = this.checkRun(repo, id);
    if (patch.name !== undefined) run.name = patch.name;
    if (patch.detailsUrl !== undefined) run.detailsUrl = patch.detailsUrl;
    if (patch.externalId !== undefined) run.externalId = patch.externalId;
    if (patch.startedAt !== undefined) run.startedAt = patch.startedAt;
    if (patch.output) run.output = { ...run.output, ...patch.output };
    if (patch.conclusion) {
      run.conclusion = patch.conclusion;
      run.status = "completed";
    } else if (patch.status !== undefined) {
      run.status = patch.status;
      if (patch.status !== "completed") run.conclusion = null;
    }
    if (run.status === "completed") run.completedAt = patch.completedAt ?? run.completedAt ?? this.now();
    else run.completedAt = null;
    return run;
  }
}
