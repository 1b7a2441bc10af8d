/**
 * A small GitHub for sign-off tests, behind nock: the default branch's governance files, pull
 * requests with files and reviews, incidents, teams, comments and the check runs Charter writes.
 * Every request Charter makes is recorded (and checked by the OpenAPI guard); responses are built
 * with test/emulator/objects.ts so they are schema-valid.
 */
import nock from "nock";
import { blobSha } from "../emulator/git.js";
import * as o from "../emulator/objects.js";
import { reviewDismissedEvent } from "../emulator/timeline.js";
import type { Logger } from "probot";
import { GovernanceCache } from "../../src/github/governance.js";
import type { CharterDeps } from "../../src/handlers/deps.js";
import { signoffTimersTask } from "../../src/handlers/signoff-timers.js";
import { sweepRepository } from "../../src/reconcile/runner.js";
import type { SweepReport, SweepTask } from "../../src/reconcile/task.js";
import { createTestApp, TestOctokit, type TestApp } from "../support/app-harness.js";
import { testIdentity } from "../support/identity.js";
import { d9Files } from "../support/governance-mock.js";
import { checkRunRerequestedPayload, issueCommentPayload, issuesPayload, membershipPayload, mergeGroupPayload, pullRequestPayload, pushPayload, reviewPayload } from "../support/signoff-payloads.js";

type Obj = Record<string, unknown>;

export const OWNER = "acme";
export const REPO = "ingestion";
export const FULL = `${OWNER}/${REPO}`;
export const REPO_URL = `https://github.com/${FULL}`;
const API = "https://api.github.com";
const REPO_IDS = { owner: OWNER, name: REPO, default_branch: "main" };

export interface CheckRunBody {
  name: string;
  head_sha: string;
  status: string;
  conclusion: string;
  completed_at: string;
  external_id?: string;
  output: { title: string; summary: string };
}

export interface PullState {
  number: number;
  author: string;
  headSha: string;
  base: string;
  body: string;
  draft: boolean;
  /** path → new content (null: removed) */
  files: Record<string, string | null>;
  renames: Record<string, string>;
  /**
   * path → the file's diff as GitHub lists it (against the merge base), when a test needs it apart
   * from the default branch's tip (a branch that is behind); otherwise computed from the tip.
   */
  patches: Record<string, string>;
  reviews: Obj[];
  /** `review_dismissed` events of the pull request's timeline. */
  timeline: Obj[];
  requested: string[];
  state: "open" | "closed";
  /** The head branch (Charter's pull requests: `charter/…`). */
  headRef: string;
  /** GitHub's `updated_at` of the pull request, when a test sets GitHub's clock apart from the app's. */
  updatedAt?: string;
  /** GitHub's `created_at`: when it was opened (the app's clock at `openPull`). */
  createdAt: string;
}

export interface PullInput {
  number?: number;
  author?: string;
  headSha?: string;
  base?: string;
  body?: string;
  draft?: boolean;
  files?: Record<string, string | null>;
  /** new path → old path */
  renames?: Record<string, string>;
  patches?: Record<string, string>;
  requested?: string[];
  headRef?: string;
  createdAt?: string;
}

/**
 * What each GA signer writes in their approving review: D9 §6.2's confirmation of their role
 * (a confirmation counts only in the text of the confirming holder's approving review).
 */
export const GA_CONFIRMATION: Record<string, string> = {
  "ana-owner": "- [x] Technical criteria met, system stable",
  "ben-owner": "- [x] Technical criteria met, system stable",
  "pat-pm": "- [x] Client feedback acceptable, no blockers",
  "paula-pm": "- [x] Client feedback acceptable, no blockers",
  "sam-sre": "- [x] Infra stable, monitoring adequate, on-call trained",
  "sid-sre": "- [x] Infra stable, monitoring adequate, on-call trained",
  srelead: "- [x] Infra stable, monitoring adequate, on-call trained",
};

/** An approving review's options for a GA signer: the review text carries their confirmation. */
export const confirming = (who: string) => ({ body: GA_CONFIRMATION[who] ?? "" });

/** A GA pull request description with D9 §6.2's confirmations ticked. */
export const GA_BODY = [
  "Moves the rollout to GA.",
  "",
  "- [x] Ingestion Owner: Technical criteria met, system stable",
  "- [x] Client feedback acceptable, no blockers",
  "- [x] SRE Lead: Infra stable, monitoring adequate, on-call trained",
].join("\n");

/** D9's phase.yml with another phase. */
export function phaseYml(phase: string): string {
  return d9Files()["state/phase.yml"]!.replace(/^phase: .*$/m, `phase: ${phase}`);
}

/** A naive unified diff (removed lines, then added lines) — enough for the log append check. */
function patchOf(before: string | undefined, after: string | null): string {
  const a = (before ?? "").split("\n");
  const b = (after ?? "").split("\n");
  const removed = a.filter((l) => !b.includes(l)).map((l) => `-${l}`);
  const added = b.filter((l) => !a.includes(l)).map((l) => `+${l}`);
  return [`@@ -1,${a.length} +1,${b.length} @@`, ...removed, ...added].join("\n");
}

/** How long the round-trip counter waits for more requests of the same round (generous: a shared, busy CPU). */
const ROUND_QUIET_MS = 60;

export class SignoffWorld {
  readonly requests: string[] = [];
  readonly checkRuns: CheckRunBody[] = [];
  /** Check runs other apps (or workflows) wrote, by app id: never Charter's. */
  readonly foreignChecks: (CheckRunBody & { appId: number })[] = [];
  readonly reviewRequests: { pr: number; reviewers: string[]; team_reviewers?: string[] }[] = [];
  readonly comments = new Map<number, Obj[]>();
  readonly reactions: { comment: number; content: string }[] = [];
  readonly pulls = new Map<number, PullState>();
  readonly teams = new Map<string, string[]>();
  /** Teams GitHub refuses to list, with its answer (default for unknown teams: 404). */
  readonly teamStatus = new Map<string, number>();
  incidents: Obj[] = [];
  governance: Record<string, string>;
  governanceSha: string;
  readonly blobs = new Map<string, string>();
  /** Requests no route answered (made by other areas' handlers). */
  readonly unrouted: string[] = [];
  private seq = 0;
  private sweepDeps: CharterDeps | undefined;
  private nextCommentId = 9000;
  private nextReviewId = 100;

  private constructor(
    readonly app: TestApp,
    files: Record<string, string>,
  ) {
    this.governance = files;
    this.governanceSha = "a".repeat(40);
    for (const text of Object.values(files)) this.blobs.set(blobSha(text), text);
  }

  static async create(options: { now?: string; governance?: Record<string, string | null>; governanceSha?: string; roundTrips?: boolean } = {}): Promise<SignoffWorld> {
    nock.disableNetConnect();
    const app = await createTestApp({ now: options.now ?? "2025-06-02T10:00:00Z" });
    const w = new SignoffWorld(app, d9Files(options.governance ?? {}));
    if (options.governanceSha) w.governanceSha = options.governanceSha;
    w.install(options.roundTrips);
    return w;
  }

  /** Change the governance files on the default branch (a new commit). */
  setGovernance(changes: Record<string, string | null>, sha: string): void {
    this.governance = d9Files(changes);
    this.governanceSha = sha;
    for (const text of Object.values(this.governance)) this.blobs.set(blobSha(text), text);
  }

  /** Forget what was recorded (to count the requests of one event). */
  reset(): void {
    this.requests.length = 0;
    this.roundTrips.length = 0;
    this.checkRuns.length = 0;
  }

  lastCheck(): CheckRunBody {
    const c = this.checkRuns.at(-1);
    if (!c) throw new Error(`no check run was written; requests: ${this.requests.join(", ")}`);
    return c;
  }

  // ------------------------------------------------------------------ pull requests and reviews

  openPull(input: PullInput): PullState {
    const number = input.number ?? 10 + this.pulls.size;
    const pr: PullState = {
      number,
      author: input.author ?? "rita-release",
      headSha: input.headSha ?? blobSha(`head ${number} ${this.seq++}`),
      base: input.base ?? "main",
      body: input.body ?? "",
      draft: input.draft ?? false,
      files: input.files ?? { "src/app.ts": "x" },
      renames: input.renames ?? {},
      patches: input.patches ?? {},
      reviews: [],
      timeline: [],
      requested: input.requested ?? [],
      state: "open",
      headRef: input.headRef ?? `feature-${number}`,
      createdAt: input.createdAt ?? this.app.clock.now().toISOString(),
    };
    for (const text of Object.values(pr.files)) if (text !== null) this.blobs.set(blobSha(text), text);
    this.pulls.set(number, pr);
    return pr;
  }

  pull(number: number): PullState {
    const pr = this.pulls.get(number);
    if (!pr) throw new Error(`no pull request #${number}`);
    return pr;
  }

  pullObject(number: number, simple = false): Obj {
    const pr = this.pull(number);
    return o.pullRequest(
      {
        repo: { owner: OWNER, name: REPO },
        number,
        user: pr.author,
        title: `Pull request ${number}`,
        body: pr.body,
        draft: pr.draft,
        state: pr.state,
        head: { ref: pr.headRef, sha: pr.headSha },
        base: { ref: pr.base, sha: this.governanceSha },
        requested_reviewers: pr.requested,
        changed_files: Object.keys(pr.files).length,
        created_at: pr.createdAt,
        ...(pr.updatedAt ? { updated_at: pr.updatedAt } : {}),
      },
      { simple },
    );
  }

  /** The app clock's instant, a millisecond later for every call (so reviews and dismissals keep their order). */
  private stamp(): string {
    return new Date(this.app.clock.now().getTime() + this.seq++).toISOString();
  }

  /** Add a review to the pull request (on its head unless `commit` is given). */
  review(number: number, user: string, state: o.ReviewState, options: { commit?: string; id?: number; body?: string; association?: string; at?: string } = {}): Obj {
    const pr = this.pull(number);
    const r = o.review({
      repo: FULL,
      pull_number: number,
      id: options.id ?? this.nextReviewId++,
      user,
      state,
      commit_id: options.commit ?? pr.headSha,
      submitted_at: options.at ?? this.stamp(),
      ...(options.body !== undefined ? { body: options.body } : {}),
      ...(options.association !== undefined ? { author_association: options.association } : {}),
    });
    pr.reviews.push(r);
    return r;
  }

  /**
   * `by` dismisses a review (GitHub: `PUT …/reviews/{id}/dismissals`): the review turns
   * `DISMISSED`, and the timeline records who dismissed it and what it was.
   */
  dismiss(number: number, reviewId: number, by = this.pull(number).author): Obj {
    const pr = this.pull(number);
    const r = pr.reviews.find((x) => x.id === reviewId);
    if (!r) throw new Error(`no review ${reviewId}`);
    pr.timeline.push(reviewDismissedEvent({ repo: FULL, issue_number: number, review_id: reviewId, state: String(r.state).toLowerCase() as "changes_requested", actor: by, created_at: this.stamp(), message: "dismissed" }));
    r.state = "DISMISSED";
    return r;
  }

  /** A new commit on the pull request's branch. */
  pushTo(number: number, files?: Record<string, string | null>): string {
    const pr = this.pull(number);
    pr.headSha = blobSha(`head ${number} ${this.seq++}`);
    if (files) {
      pr.files = { ...pr.files, ...files };
      for (const text of Object.values(files)) if (text !== null) this.blobs.set(blobSha(text), text);
    }
    return pr.headSha;
  }

  // ------------------------------------------------------------------ deliveries

  /** Deliver a `pull_request` event; `before`: the head a `synchronize` replaced. */
  async pullEvent(action: string, number: number, options: { changes?: Obj; label?: string; before?: string } = {}): Promise<void> {
    await this.app.receive("pull_request", pullRequestPayload(action, REPO_IDS, this.pullObject(number), options));
  }

  async reviewEvent(action: "submitted" | "dismissed" | "edited", number: number, review: Obj): Promise<void> {
    await this.app.receive("pull_request_review", reviewPayload(action, REPO_IDS, this.pullObject(number, true), review));
  }

  /** Submit a review and deliver its event. */
  async submit(number: number, user: string, state: o.ReviewState, options: { commit?: string; body?: string; association?: string } = {}): Promise<Obj> {
    const r = this.review(number, user, state, options);
    await this.reviewEvent("submitted", number, r);
    return r;
  }

  async rerequest(number: number, sender = "rita-release"): Promise<void> {
    const pr = this.pull(number);
    const run = o.checkRun({
      id: 555,
      name: "Charter sign-off",
      head_sha: pr.headSha,
      repo: FULL,
      conclusion: "failure",
      pull_requests: [o.pullRequestMinimal({ repo: { owner: OWNER, name: REPO }, number, head: { ref: `feature-${number}`, sha: pr.headSha }, base: { ref: pr.base, sha: this.governanceSha } })],
    });
    await this.app.receive("check_run", checkRunRerequestedPayload(REPO_IDS, run, sender));
  }

  /**
   * GitHub's merge queue builds a merge group for pull request `number` and asks for the checks
   * on its head commit (`merge_group.checks_requested`). Returns the group's head sha.
   */
  async enqueue(number: number, options: { headRef?: string; base?: string } = {}): Promise<string> {
    const group = blobSha(`merge group ${number} ${this.seq++}`);
    await this.app.receive("merge_group", mergeGroupPayload(REPO_IDS, { pull: number, headSha: group, baseSha: this.governanceSha, ...options }));
    return group;
  }

  /**
   * One pass of the reconcile sweep (by default only sign-off's timed work), as the server's
   * periodic sweeper runs it. `restart: true` forgets every in-memory hint first, as a restart does.
   */
  async sweep(options: { restart?: boolean; tasks?: SweepTask[] } = {}): Promise<SweepReport[]> {
    if (options.restart || !this.sweepDeps) this.sweepDeps = { clock: this.app.clock, governance: new GovernanceCache(), identity: testIdentity };
    const gh = new TestOctokit({ auth: "test-token" });
    const quiet = { child: () => quiet, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, trace() {} };
    const result = await sweepRepository(gh, { owner: OWNER, repo: REPO }, this.sweepDeps, quiet as unknown as Logger, { defaultBranch: "main", tasks: options.tasks ?? [signoffTimersTask] });
    if (result.errors.length > 0) throw new Error(`sweep failed: ${JSON.stringify(result.errors)}`);
    return result.reports;
  }

  /** Comments on issue or pull request `number`, oldest first. */
  commentsOn(number: number): Obj[] {
    return this.comments.get(number) ?? [];
  }

  /** The newest check run Charter wrote on `sha`. */
  checkOn(sha: string): CheckRunBody | undefined {
    return this.checkRuns.filter((c) => c.head_sha === sha).at(-1);
  }

  async pushGovernance(before: string, files: { added?: string[]; modified?: string[]; removed?: string[] }, pusher = "ana-owner"): Promise<void> {
    await this.app.receive("push", pushPayload(REPO_IDS, { before, after: this.governanceSha, pusher, files }));
  }

  async membership(action: "added" | "removed", team: string, member: string): Promise<void> {
    const [org, slug] = team.split("/");
    await this.app.receive("membership", membershipPayload(action, org!, slug!, member));
  }

  async comment(number: number, user: string, body: string): Promise<void> {
    const pr = this.pull(number);
    const id = this.nextCommentId++;
    const c = o.issueComment({ repo: FULL, issue_number: number, id, body, user });
    const issue = o.issue({ repo: FULL, number, title: `Pull request ${number}`, body: pr.body, user: pr.author, pull_request: { merged_at: null } });
    await this.app.receive("issue_comment", issueCommentPayload(REPO_IDS, issue, c));
  }

  openIncident(number: number, title: string, severity: string): Obj {
    const i = o.issue({ repo: FULL, number, title, user: "oscar-oncall", labels: ["incident", `severity: ${severity}`] });
    this.incidents.push(i);
    return i;
  }

  /**
   * Deliver an `issues` event. The incident handlers react to it too, against routes this world
   * does not fake; their failures are theirs (sign-off's outcome is asserted on the check runs).
   */
  async incidentEvent(action: string, issue: Obj): Promise<void> {
    await this.app.receive("issues", issuesPayload(action, REPO_IDS, issue, "oscar-oncall")).catch(() => undefined);
  }

  // ------------------------------------------------------------------ the fake API

  private entries(dir: string): Obj[] {
    const prefix = dir === "" ? "" : `${dir}/`;
    const names = new Map<string, "file" | "dir">();
    for (const path of Object.keys(this.governance)) {
      if (!path.startsWith(prefix)) continue;
      const [first, ...more] = path.slice(prefix.length).split("/");
      names.set(first!, more.length ? "dir" : "file");
    }
    return [...names].map(([n, type]) => {
      const rel = prefix + n;
      const text = this.governance[rel];
      return o.contentEntry({ repo: FULL, path: `governance/${rel}`, ref: this.governanceSha, type, sha: type === "file" ? blobSha(text!) : blobSha(rel), size: type === "file" ? Buffer.byteLength(text!) : 0 });
    });
  }

  private diffEntries(pr: PullState): Obj[] {
    return Object.entries(pr.files).map(([filename, text]) => {
      const baseText = filename.startsWith("governance/") ? this.governance[filename.slice("governance/".length)] : undefined;
      const renamedFrom = pr.renames[filename];
      return o.diffEntry({
        repo: FULL,
        filename,
        status: text === null ? "removed" : renamedFrom ? "renamed" : baseText === undefined ? "added" : "modified",
        sha: text === null ? null : blobSha(text),
        ref: pr.headSha,
        patch: pr.patches[filename] ?? patchOf(baseText, text),
        ...(renamedFrom ? { previous_filename: renamedFrom } : {}),
      });
    });
  }

  private route(method: string, url: string, body: Obj, headers: Record<string, string | string[] | undefined>): [number, unknown?, Record<string, string>?] {
    const u = new URL(url, API);
    const path = decodeURIComponent(u.pathname);
    const q = u.searchParams;
    const repoPath = `/repos/${FULL}`;
    const m = (re: RegExp) => re.exec(path);
    let x: RegExpExecArray | null;
    if (method === "GET" && path === `${repoPath}/branches/main`) {
      const etag = `"${this.governanceSha}"`;
      if (headers["if-none-match"] === etag) return [304, undefined, { etag }];
      return [200, o.branch({ repo: FULL, name: "main", commit: o.commit({ repo: FULL, sha: this.governanceSha }) }), { etag }];
    }
    if (method === "GET" && path === `${repoPath}/contents/governance`) return [200, this.entries("")];
    if (method === "GET" && path === `${repoPath}/contents/governance/state`) return [200, this.entries("state")];
    if (method === "GET" && (x = m(/^\/repos\/[^/]+\/[^/]+\/git\/blobs\/([0-9a-f]{40})$/))) {
      const text = this.blobs.get(x[1]!);
      if (text === undefined) return [404, o.apiError("Not Found")];
      return [200, { sha: x[1], node_id: `B_${x[1]!.slice(0, 8)}`, size: Buffer.byteLength(text), url: `${API}${path}`, content: Buffer.from(text).toString("base64"), encoding: "base64" }];
    }
    if (method === "GET" && (x = m(new RegExp(`^${repoPath}/pulls/(\\d+)/files$`)))) return [200, this.diffEntries(this.pull(Number(x[1])))];
    if (method === "GET" && (x = m(new RegExp(`^${repoPath}/pulls/(\\d+)/reviews$`)))) return [200, this.pull(Number(x[1])).reviews];
    if (method === "GET" && (x = m(new RegExp(`^${repoPath}/issues/(\\d+)/timeline$`)))) return [200, this.pull(Number(x[1])).timeline];
    if (method === "GET" && (x = m(new RegExp(`^${repoPath}/commits/([0-9a-f]{40})/check-runs$`)))) {
      // GitHub: filter by name and app, newest first; `latest` keeps the newest run per name and app
      const name = q.get("check_name");
      const appId = q.get("app_id");
      const all = [...this.checkRuns.map((c, i) => ({ c, id: 1001 + i, app: 1 })), ...this.foreignChecks.map((c, i) => ({ c, id: 5001 + i, app: c.appId }))];
      const runs = all
        .filter(({ c, app }) => c.head_sha === x![1] && (!name || c.name === name) && (!appId || String(app) === appId))
        .sort((a, b) => b.id - a.id)
        .filter((r, i, list) => q.get("filter") === "all" || list.findIndex((y) => y.app === r.app) === i)
        .map(({ c, id, app }) => o.checkRun({ id, name: c.name, head_sha: c.head_sha, repo: FULL, status: "completed", conclusion: c.conclusion as "success", app: { id: app, slug: app === 1 ? "charter" : `app-${app}` }, ...(c.external_id !== undefined ? { external_id: c.external_id } : {}), output: { title: c.output.title, summary: c.output.summary } }));
      return [200, { total_count: runs.length, check_runs: runs }];
    }
    if (method === "POST" && (x = m(new RegExp(`^${repoPath}/pulls/(\\d+)/requested_reviewers$`)))) {
      const n = Number(x[1]);
      const reviewers = (body.reviewers as string[] | undefined) ?? [];
      this.reviewRequests.push({ pr: n, reviewers, ...(body.team_reviewers ? { team_reviewers: body.team_reviewers as string[] } : {}) });
      this.pull(n).requested.push(...reviewers);
      return [201, this.pullObject(n, true)];
    }
    if (method === "GET" && (x = m(new RegExp(`^${repoPath}/pulls/(\\d+)$`)))) return [200, this.pullObject(Number(x[1]))];
    if (method === "GET" && path === `${repoPath}/pulls`) {
      const base = q.get("base");
      const open = [...this.pulls.values()].filter((p) => p.state === "open" && (!base || p.base === base));
      return [200, open.map((p) => this.pullObject(p.number, true))];
    }
    if (method === "POST" && path === `${repoPath}/check-runs`) {
      this.checkRuns.push(body as unknown as CheckRunBody);
      const out = body.output as { title: string; summary: string };
      return [201, o.checkRun({ id: 1000 + this.checkRuns.length, name: String(body.name), head_sha: String(body.head_sha), repo: FULL, status: "completed", conclusion: body.conclusion as "success", ...(body.external_id !== undefined ? { external_id: String(body.external_id) } : {}), output: { title: out.title, summary: out.summary } })];
    }
    if (method === "GET" && path === `${repoPath}/issues`) {
      const label = q.get("labels");
      return [200, this.incidents.filter((i) => i.state === "open" && (!label || (i.labels as Obj[]).some((l) => l.name === label)))];
    }
    if ((x = m(new RegExp(`^${repoPath}/issues/(\\d+)/comments$`)))) {
      const n = Number(x[1]);
      const list = this.comments.get(n) ?? [];
      if (method === "GET") return [200, list];
      const c = o.issueComment({ repo: FULL, issue_number: n, id: this.nextCommentId++, body: String(body.body), user: "charter[bot]" });
      list.push(c);
      this.comments.set(n, list);
      return [201, c];
    }
    if (method === "PATCH" && (x = m(new RegExp(`^${repoPath}/issues/comments/(\\d+)$`)))) {
      const id = Number(x[1]);
      for (const [, list] of this.comments) {
        const c = list.find((y) => y.id === id);
        if (c) {
          c.body = body.body;
          return [200, c];
        }
      }
      return [404, o.apiError("Not Found")];
    }
    if (method === "POST" && (x = m(new RegExp(`^${repoPath}/issues/comments/(\\d+)/reactions$`)))) {
      this.reactions.push({ comment: Number(x[1]), content: String(body.content) });
      return [201, o.reaction({ id: 1, content: body.content as "+1", user: "charter[bot]" })];
    }
    if (method === "GET" && (x = m(/^\/orgs\/([^/]+)\/teams\/([^/]+)\/members$/))) {
      const team = `${x[1]}/${x[2]}`.toLowerCase();
      const members = this.teams.get(team);
      if (this.teamStatus.get(team) === 403) return [403, o.apiError("Resource not accessible by integration")];
      if (!members) return [404, o.apiError("Not Found")];
      return [200, members.map((l) => o.user(l))];
    }
    if (method === "GET" && path === "/installation/repositories") {
      return [200, { total_count: 1, repositories: [o.repository({ owner: OWNER, name: REPO })] }];
    }
    // other areas' handlers (incidents, kill-switch) may react to the same events: not ours to fake
    this.unrouted.push(`${method} ${path}`);
    return [404, o.apiError(`world: no route for ${method} ${path}`)];
  }

  /**
   * Round trips, when counted (`create({ roundTrips: true })`): requests wait for their answer until
   * no new request arrived for ROUND_QUIET_MS, then all waiting are answered together. Requests
   * issued together form one round; a request that needs an earlier answer starts the next.
   */
  readonly roundTrips: string[][] = [];
  private waiting: (() => void)[] = [];
  private quiet: ReturnType<typeof setTimeout> | undefined;

  private install(countRounds = false): void {
    const handle = (verb: string, uri: string, requestBody: unknown, headers: Record<string, string>): [number, unknown, Record<string, string>] => {
      this.requests.push(`${verb} ${decodeURIComponent(uri)}`);
      const body = typeof requestBody === "string" && requestBody !== "" ? (JSON.parse(requestBody) as Obj) : ((requestBody as Obj) ?? {});
      const [status, payload, replyHeaders] = this.route(verb, uri, body, headers);
      return [status, payload === undefined ? "" : payload, replyHeaders ?? {}];
    };
    const any = (uri: string) => uri.startsWith("/");
    const scope = nock(API).persist();
    if (countRounds) {
      const later = (verb: string) =>
        function (this: nock.ReplyFnContext, uri: string, body: nock.Body, cb: (err: NodeJS.ErrnoException | null, result: nock.ReplyFnResult) => void) {
          const headers = this.req.headers as Record<string, string>;
          if (this_.waiting.length === 0) this_.roundTrips.push([]);
          this_.roundTrips.at(-1)!.push(`${verb} ${decodeURIComponent(uri)}`);
          this_.waiting.push(() => cb(null, handle(verb, uri, body, headers) as nock.ReplyFnResult));
          clearTimeout(this_.quiet);
          this_.quiet = setTimeout(() => {
            const answer = this_.waiting;
            this_.waiting = [];
            for (const reply of answer) reply();
          }, ROUND_QUIET_MS);
        };
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      const this_ = this;
      scope.get(any).reply(later("GET"));
      scope.post(any).reply(later("POST"));
      scope.patch(any).reply(later("PATCH"));
      return;
    }
    scope.get(any).reply(function (uri, body) {
      return handle("GET", uri, body, this.req.headers as Record<string, string>);
    });
    scope.post(any).reply(function (uri, body) {
      return handle("POST", uri, body, this.req.headers as Record<string, string>);
    });
    scope.patch(any).reply(function (uri, body) {
      return handle("PATCH", uri, body, this.req.headers as Record<string, string>);
    });
  }
}

export function closeWorld(): void {
  nock.cleanAll();
}
