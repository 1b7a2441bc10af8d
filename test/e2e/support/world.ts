/**
 * A governed repository on the local GitHub emulator, the REAL Charter server process, a clock both
 * share, and people acting on GitHub. Every human action changes the emulator's state the way the
 * web UI would and then delivers the signed webhook GitHub would send; the server answers only
 * when its handlers are done, so when an action returns, Charter's reaction is in the emulator.
 *
 * GitHub also delivers events for what the app itself does (a commit to main, a pull request it
 * opens, a label it adds). After each action the world compares the emulator's state with what it
 * saw before and delivers those events too ("settling"), until nothing new happens. Each change is
 * written to the transcript in words, which is what the demo prints.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { startEmulator, type GitHubEmulator } from "../../emulator/index.js";
import type { CheckRunRecord, IssueRecord } from "../../emulator/index.js";
import { ROOT } from "./build.js";
import { CharterServer, type ServerOptions, type SweepResult } from "./server.js";
import { Transcript } from "./transcript.js";

export const REPO = "acme/ingestion";
export const CHECK_NAME = "Charter sign-off";

type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED";

/** Every file under the checkout's governance/ directory, keyed by repository path (notify.yml only when asked: it sends outside GitHub). */
export function repositoryGovernance(options: { notify?: boolean } = {}): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(ROOT, path).split("\\").join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(join(ROOT, "governance"));
  if (!options.notify) delete files["governance/notify.yml"];
  return files;
}

interface IssueView {
  state: string;
  labels: string[];
  assignees: string[];
  comments: Map<number, string>; // id -> body
  reactions: Set<string>; // commentId:content:user
}

interface Snapshot {
  branches: Map<string, string>;
  issues: Map<number, IssueView>;
  checks: Map<number, string>; // id -> status|conclusion|title
}

export interface DeliveryRecord {
  event: string;
  action: string | undefined;
  id: string;
  status: number;
  response: string;
  /** true for events that echo something Charter did */
  echo: boolean;
}

export interface WorldOptions {
  /** Initial instant of the shared clock. */
  start: string;
  /** Register the emulator with the test fetch guard (vitest: true; demo: false). */
  guard?: boolean;
  /** Print emulator violations to stderr. */
  verbose?: boolean;
  /** Extra environment for the server. */
  serverEnv?: ServerOptions["env"];
  entry?: ServerOptions["entry"];
  /** Files of the governed repository (default: this checkout's governance/ and a README). */
  files?: Record<string, string>;
}

export class World {
  readonly transcript = new Transcript();
  readonly deliveries: DeliveryRecord[] = [];
  private seen: Snapshot;

  private constructor(
    readonly gh: GitHubEmulator,
    public server: CharterServer,
    private nowIso: string,
    private readonly serverOptions: Omit<ServerOptions, "now">,
  ) {
    this.seen = this.snapshot();
  }

  static async start(options: WorldOptions): Promise<World> {
    const gh = await startEmulator({ startTime: options.start, quiet: !options.verbose, guard: options.guard ?? true });
    let server: CharterServer | undefined;
    try {
      gh.createRepo(REPO, {
        ownerType: "Organization",
        files: options.files ?? {
          "README.md": "# ingestion\n\nThe ingestion service, governed by Charter (see governance/).\n",
          ...repositoryGovernance(),
        },
      });
      const serverOptions = { gheHost: gh.host, appId: gh.appId, env: options.serverEnv, entry: options.entry };
      server = await CharterServer.start({ ...serverOptions, now: options.start });
      const world = new World(gh, server, options.start, serverOptions);
      world.transcript.clock = options.start;
      return world;
    } catch (error) {
      await server?.stop();
      await gh.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.gh.stop();
  }

  get now(): string {
    return this.nowIso;
  }

  get botLogin(): string {
    return this.gh.botLogin;
  }

  /** Moves the shared clock (server clock file and emulator timestamps) to `iso`. */
  at(iso: string): void {
    this.nowIso = new Date(iso).toISOString();
    this.server.setTime(this.nowIso);
    this.gh.setTime(this.nowIso);
    this.transcript.clock = this.nowIso;
  }

  /** Moves the shared clock forward. */
  advanceMinutes(minutes: number): void {
    this.at(new Date(Date.parse(this.nowIso) + minutes * 60_000).toISOString());
  }

  // ------------------------------------------------------------------ deliveries

  private async deliver(event: string, payload: Record<string, unknown>, echo: boolean): Promise<DeliveryRecord> {
    const d = await this.gh.sendWebhook(this.server.webhookUrl, event, payload, { secret: this.server.secret });
    // 202 = Probot's "still processing" after 9 s: the handlers go on; wait for them either way
    await this.server.idle();
    if (d.status === 202) await new Promise((r) => setTimeout(r, 100)); // let late log lines arrive
    const record: DeliveryRecord = { event, action: d.action, id: d.id, status: d.status, response: d.response, echo };
    this.deliveries.push(record);
    const handlerErrors = this.server.linesFor(d.id).filter((l) => (l.level ?? 0) >= 50 && l.name !== "http");
    if (d.status >= 300 || handlerErrors.length > 0) {
      this.transcript.problem(`GitHub delivered ${event}${d.action ? `.${d.action}` : ""} and Charter answered ${d.status}${handlerErrors.length ? `, logging: ${handlerErrors.map((l) => describeError(l)).join("; ")}` : `: ${d.response.trim().slice(0, 300)}`}`);
      record.status = d.status >= 300 ? d.status : 500;
    }
    return record;
  }

  /** Deliveries Charter failed on (an error answer, or an error logged by a handler after a 202). */
  failedDeliveries(): DeliveryRecord[] {
    return this.deliveries.filter((d) => d.status >= 300);
  }

  private snapshot(): Snapshot {
    const repo = this.gh.repo(REPO);
    const issues = new Map<number, IssueView>();
    for (const issue of repo.issues.values()) {
      issues.set(issue.number, {
        state: issue.state,
        labels: [...issue.labels],
        assignees: [...issue.assignees],
        comments: new Map(issue.comments.map((c) => [c.id, c.body])),
        reactions: new Set(issue.comments.flatMap((c) => c.reactions.map((r) => `${c.id}:${r.content}:${r.user}`))),
      });
    }
    const checks = new Map<number, string>();
    for (const run of repo.checkRuns.values()) checks.set(run.id, `${run.status}|${run.conclusion ?? ""}|${run.output.title ?? ""}|${run.output.summary ?? ""}`);
    return { branches: new Map(repo.branches), issues, checks };
  }

  /**
   * Narrates what Charter changed since the last look and delivers the events GitHub would send
   * for it, until Charter stops changing things (at most `rounds` times).
   */
  private async settle(rounds = 6): Promise<void> {
    for (let round = 0; round < rounds; round++) {
      const before = this.seen;
      const after = this.snapshot();
      this.seen = after;
      const echoes: [string, Record<string, unknown>][] = [];
      const repo = this.gh.repo(REPO);
      const bot = this.botLogin;

      for (const [branch, sha] of after.branches) {
        const old = before.branches.get(branch);
        if (old === sha) continue;
        const commit = this.gh.store.git.getCommit(sha);
        const files = old ? this.gh.store.git.diff(old, sha).map((f) => f.path) : [];
        this.transcript.charter(`committed to \`${branch}\`: "${commit?.message.split("\n")[0] ?? sha}"${files.length ? ` (${files.join(", ")})` : ""}`);
        echoes.push(["push", this.gh.payloads.push(REPO, branch, { before: old ?? "0000000000000000000000000000000000000000", sender: bot })]);
        for (const pull of repo.pulls.values()) {
          if (pull.headRef === branch && repo.issues.get(pull.number)?.state === "open" && old) {
            echoes.push(["pull_request", this.gh.payloads.pullRequest("synchronize", REPO, pull.number, { before: old, after: sha, sender: bot })]);
          }
        }
      }

      for (const [number, view] of after.issues) {
        const old = before.issues.get(number);
        const issue = this.gh.getIssue(REPO, number);
        const kind = issue.isPull ? "pull request" : "issue";
        if (!old) {
          // only the app can have created it: people's issues are snapshotted before settling
          this.transcript.charter(`opened ${kind} #${number}: "${issue.title}"`);
          if (issue.isPull) echoes.push(["pull_request", this.gh.payloads.pullRequest("opened", REPO, number, { sender: bot })]);
          else echoes.push(["issues", this.gh.payloads.issues("opened", REPO, number, { sender: bot })]);
        }
        const oldLabels = new Set((old?.labels ?? []).map((l) => l.toLowerCase()));
        const newLabels = new Set(view.labels.map((l) => l.toLowerCase()));
        const added = view.labels.filter((l) => !oldLabels.has(l.toLowerCase()));
        const removed = (old?.labels ?? []).filter((l) => !newLabels.has(l.toLowerCase()));
        if (added.length) this.transcript.charter(`labelled #${number}: ${added.map((l) => `\`${l}\``).join(", ")}`);
        if (removed.length) this.transcript.charter(`removed label(s) from #${number}: ${removed.map((l) => `\`${l}\``).join(", ")}`);
        for (const l of added) echoes.push(["issues", this.gh.payloads.issues("labeled", REPO, number, { sender: bot, label: l })]);
        for (const l of removed) {
          // the label is gone from the issue; the payload names it anyway, as GitHub's does
          const p = this.gh.payloads.issues("labeled", REPO, number, { sender: bot, label: l });
          p.action = "unlabeled";
          echoes.push(["issues", p]);
        }
        const oldAssignees = new Set((old?.assignees ?? []).map((a) => a.toLowerCase()));
        const newAssignees = view.assignees.filter((a) => !oldAssignees.has(a.toLowerCase()));
        const dropped = (old?.assignees ?? []).filter((a) => !view.assignees.some((x) => x.toLowerCase() === a.toLowerCase()));
        if (newAssignees.length) this.transcript.charter(`assigned #${number} to ${newAssignees.map((a) => `@${a}`).join(", ")}`);
        if (dropped.length) this.transcript.charter(`unassigned ${dropped.map((a) => `@${a}`).join(", ")} from #${number}`);
        if (old && old.state !== view.state) {
          this.transcript.charter(`${view.state === "closed" ? "closed" : "reopened"} ${kind} #${number}`);
          if (issue.isPull) echoes.push(["pull_request", this.gh.payloads.pullRequest(view.state === "closed" ? "closed" : "reopened", REPO, number, { sender: bot })]);
          else echoes.push(["issues", this.gh.payloads.issues(view.state === "closed" ? "closed" : "reopened", REPO, number, { sender: bot })]);
        }
        for (const [id, body] of view.comments) {
          const was = old?.comments.get(id);
          if (was === body) continue;
          const comment = issue.comments.find((c) => c.id === id);
          if (!comment || comment.user.toLowerCase() !== bot.toLowerCase()) continue;
          if (was === undefined) {
            this.transcript.charterComment(number, body);
            echoes.push(["issue_comment", this.gh.payloads.issueComment("created", REPO, id, { sender: bot })]);
          } else {
            this.transcript.charterComment(number, body, was);
            echoes.push(["issue_comment", this.gh.payloads.issueComment("edited", REPO, id, { sender: bot, changes: { body: { from: was } } })]);
          }
        }
        for (const r of view.reactions) {
          if (old?.reactions.has(r)) continue;
          const [commentId, content, user] = r.split(":");
          if (user?.toLowerCase() !== bot.toLowerCase()) continue;
          const comment = issue.comments.find((c) => String(c.id) === commentId);
          this.transcript.charter(`reacted ${reactionEmoji(content ?? "")} to @${comment?.user ?? "?"}'s \`${(comment?.body ?? "").split("\n")[0]!.slice(0, 60)}\``);
        }
      }

      for (const [id, sig] of after.checks) {
        if (before.checks.get(id) === sig) continue;
        const run = repo.checkRuns.get(id)!;
        this.transcript.check(run, this.prNumbersFor(run.headSha));
      }

      if (echoes.length === 0) return;
      for (const [event, payload] of echoes) await this.deliver(event, payload, true);
    }
    this.transcript.problem(`Charter was still changing things after ${rounds} rounds of its own events`);
  }

  private prNumbersFor(sha: string): number[] {
    return [...this.gh.repo(REPO).pulls.values()].filter((p) => p.headSha === sha).map((p) => p.number);
  }

  // ------------------------------------------------------------------ people acting on GitHub

  /** `login` opens an issue (e.g. from the incident form); the `issues.opened` webhook follows. */
  async openIssue(login: string, input: { title: string; body: string; labels?: string[] }): Promise<number> {
    const issue = this.gh.createIssue(REPO, { title: input.title, body: input.body, user: login, labels: input.labels ?? [] });
    this.seen = this.snapshot();
    this.transcript.human(login, `opens issue #${issue.number} "${input.title}"${input.labels?.length ? ` (labels ${input.labels.map((l) => `\`${l}\``).join(", ")})` : ""}`);
    await this.deliver("issues", this.gh.payloads.issues("opened", REPO, issue.number, { sender: login }), false);
    await this.settle();
    return issue.number;
  }

  /** `login` comments on issue or pull request `number`; `issue_comment.created` follows. */
  async comment(login: string, number: number, body: string): Promise<number> {
    const c = this.gh.addComment(REPO, number, body, login);
    this.seen = this.snapshot();
    this.transcript.human(login, `comments on #${number}: \`${body.split("\n")[0]}\``);
    await this.deliver("issue_comment", this.gh.payloads.issueComment("created", REPO, c.id, { sender: login }), false);
    await this.settle();
    return c.id;
  }

  /** `login` pushes `files` to a new branch and opens a pull request; `pull_request.opened` follows. */
  async openPullRequest(login: string, input: { branch: string; files: Record<string, string | null>; title: string; body: string; message?: string }): Promise<number> {
    this.gh.commitFiles(REPO, input.branch, input.files, input.message ?? input.title, { author: login });
    const { issue } = this.gh.openPullRequest(REPO, { head: input.branch, title: input.title, body: input.body, user: login });
    this.seen = this.snapshot();
    this.transcript.human(login, `opens pull request #${issue.number} "${input.title}" (changes ${Object.keys(input.files).map((f) => `\`${f}\``).join(", ")})`);
    await this.deliver("pull_request", this.gh.payloads.pullRequest("opened", REPO, issue.number, { sender: login }), false);
    await this.settle();
    return issue.number;
  }

  /** `login` submits a review on the current head; `pull_request_review.submitted` follows. */
  async review(login: string, number: number, state: ReviewState, body = ""): Promise<number> {
    const r = this.gh.submitReview(REPO, number, { user: login, state, body });
    this.seen = this.snapshot();
    const verb = state === "APPROVED" ? "approves" : state === "CHANGES_REQUESTED" ? "requests changes on" : "comments on";
    this.transcript.human(login, `${verb} pull request #${number}${body ? `: "${body}"` : ""}`);
    await this.deliver("pull_request_review", this.gh.payloads.pullRequestReview("submitted", REPO, number, r.id, { sender: login }), false);
    await this.settle();
    return r.id;
  }

  /** `login` dismisses review `reviewId` (as the web UI's "Dismiss review"); `pull_request_review.dismissed` follows. */
  async dismissReview(login: string, number: number, reviewId: number, message = "Dismissed"): Promise<void> {
    const r = this.gh.dismissReview(REPO, number, reviewId, login, message);
    this.seen = this.snapshot();
    this.transcript.human(login, `dismisses @${r.user}'s review on pull request #${number}: "${message}"`);
    await this.deliver("pull_request_review", this.gh.payloads.pullRequestReview("dismissed", REPO, number, reviewId, { sender: login }), false);
    await this.settle();
  }

  /** `login` edits the description of pull request `number`; `pull_request.edited` follows. */
  async editPullRequestBody(login: string, number: number, body: string): Promise<void> {
    const from = this.issue(number).body ?? "";
    this.gh.updateIssue(REPO, number, { body }, login);
    this.seen = this.snapshot();
    this.transcript.human(login, `edits the description of pull request #${number}`);
    await this.deliver("pull_request", this.gh.payloads.pullRequest("edited", REPO, number, { sender: login, changes: { body: { from } } }), false);
    await this.settle();
  }

  /** `login` merges pull request `number`; `pull_request.closed` and the `push` to the base follow. */
  async merge(login: string, number: number): Promise<string> {
    const repo = this.gh.repo(REPO);
    const { pull } = this.gh.getPullRequest(REPO, number);
    const before = this.gh.branchSha(REPO, pull.baseRef);
    const commit = this.gh.store.merge(repo, number, { login, mergeMethod: "merge" });
    this.seen = this.snapshot();
    this.transcript.human(login, `merges pull request #${number} into \`${pull.baseRef}\``);
    await this.deliver("pull_request", this.gh.payloads.pullRequest("closed", REPO, number, { sender: login }), false);
    await this.deliver("push", this.gh.payloads.push(REPO, pull.baseRef, { before, sender: login }), false);
    await this.settle();
    return commit.sha;
  }

  /**
   * Stops Charter's server and starts a fresh process at the current time: empty caches and a new
   * app private key (seal keys stay those of CHARTER_SEAL_KEYS, if the world set them), as a
   * restart or a redeploy does.
   */
  async restartServer(): Promise<void> {
    await this.server.stop();
    this.server = await CharterServer.start({ ...this.serverOptions, now: this.nowIso });
  }

  /** `login` edits comment `commentId` (anyone with write access can edit anyone's, Charter's too); `issue_comment.edited` follows. */
  async editComment(login: string, commentId: number, body: string): Promise<void> {
    const before = this.gh.getComment(REPO, commentId).body;
    this.gh.editComment(REPO, commentId, body);
    this.seen = this.snapshot();
    this.transcript.human(login, `edits comment ${commentId}`);
    await this.deliver("issue_comment", this.gh.payloads.issueComment("edited", REPO, commentId, { sender: login, changes: { body: { from: before } } }), false);
    await this.settle();
  }

  /** `login` (triage access) removes `label` from issue `number`; `issues.unlabeled` follows. */
  async removeLabel(login: string, number: number, label: string): Promise<void> {
    const issue = this.gh.getIssue(REPO, number);
    this.gh.updateIssue(REPO, number, { labels: issue.labels.filter((l) => l.toLowerCase() !== label.toLowerCase()) }, login);
    this.seen = this.snapshot();
    this.transcript.human(login, `removes the label \`${label}\` from #${number}`);
    await this.deliver("issues", this.gh.payloads.issues("unlabeled", REPO, number, { sender: login, label }), false);
    await this.settle();
  }

  /**
   * GitHub's merge queue takes pull request `number`: it builds the merge group (the pull request
   * on the default branch's tip, on `gh-readonly-queue/…`) and asks for the required checks on it
   * (`merge_group.checks_requested`). Returns the group's head commit.
   */
  async enqueue(number: number): Promise<string> {
    const group = this.gh.createMergeGroup(REPO, number);
    await this.deliver("merge_group", this.gh.payloads.mergeGroup(REPO, group), false);
    await this.settle();
    return group.headSha;
  }

  /** The newest check run called `name` on commit `sha`. */
  checkOn(sha: string, name = CHECK_NAME): CheckRunRecord | undefined {
    return this.gh.listCheckRuns(REPO, sha).find((r) => r.name === name);
  }

  /** The periodic reconcile, run now (the server's test/demo-only endpoint). */
  async sweep(): Promise<SweepResult> {
    this.transcript.sweep();
    const { status, body } = await this.server.sweep(REPO);
    if (status !== 200) this.transcript.problem(`the sweep answered ${status}: ${body.error ?? JSON.stringify(body)}`);
    for (const e of body.errors ?? []) this.transcript.problem(`sweep task ${e.task} failed: ${e.message}`);
    await this.settle();
    return body;
  }

  // ------------------------------------------------------------------ looking at GitHub

  issue(number: number): IssueRecord {
    return this.gh.getIssue(REPO, number);
  }

  /** Comments on `number` written by Charter, oldest first. */
  botComments(number: number): string[] {
    return this.gh.botComments(REPO, number);
  }

  /** Reactions Charter put on comment `commentId`. */
  botReactions(commentId: number): string[] {
    return this.gh.botReactions(REPO, commentId);
  }

  /** The newest check run called `name` on the head of pull request `number`. */
  check(number: number, name = CHECK_NAME): CheckRunRecord | undefined {
    return this.gh.latestCheck(REPO, number, name);
  }

  /** A file on the default branch (or `ref`). */
  file(path: string, ref?: string): string | undefined {
    return this.gh.getFile(REPO, path, ref);
  }

  get violations() {
    return this.gh.violations;
  }
}

function describeError(line: Record<string, unknown>): string {
  const err = line.err as { message?: string; type?: string } | undefined;
  return `${String(line.msg ?? "")}${err?.message && err.message !== line.msg ? ` (${err.type ?? "Error"}: ${err.message})` : ""}`.slice(0, 400);
}

function reactionEmoji(content: string): string {
  const map: Record<string, string> = { "+1": "👍", "-1": "👎", laugh: "😄", confused: "😕", heart: "❤️", hooray: "🎉", rocket: "🚀", eyes: "👀" };
  return map[content] ?? content;
}
