/**
 * A local GitHub: an HTTP server on 127.0.0.1 (random port) with in-memory state, speaking the
 * REST API under `/` and `/api/v3/`, validating everything against GitHub's OpenAPI description.
 *
 *   const gh = await startEmulator();
 *   gh.createRepo("acme/widgets", { files: { "governance/roles.yml": "…" } });
 *   const octokit = new Octokit({ baseUrl: gh.apiUrl, auth: "x" });
 *   …
 *   expect(gh.violations).toEqual([]);
 *   await gh.stop();
 */
import { withoutKeys } from "../support/keys.js";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { recordOpenApiViolation, registerGitHubApiBase } from "../support/openapi/guard.js";
import type { FaultHook } from "./faults.js";
import type { ReviewState, Urls } from "./objects.js";
import { PayloadBuilders } from "./payloads.js";
import { Renderer } from "./render.js";
import { createRequestHandler, type RequestLogEntry, type ServerHost } from "./server.js";
import { EmulatorStore, type CheckRunRecord, type CommentRecord, type IssueRecord, type PullRecord, type RepoState, type ReviewRecord, type TeamRecord } from "./store.js";
import type { EmulatorViolation } from "./validate.js";
import { sendWebhook, type WebhookDelivery, type WebhookOptions } from "./webhooks.js";

export interface EmulatorOptions {
  appId?: number;
  appSlug?: string;
  /** fixed start time (default: real time); then use setTime/advanceTime */
  startTime?: Date | string;
  /** do not print violations to stderr */
  quiet?: boolean;
  /**
   * register the emulator's base URL with the fetch guard and report violations to it, so the
   * setup file's afterEach fails the test (default true)
   */
  guard?: boolean;
  /**
   * GitHub's conditional requests: every GET 200 carries an ETag, and a request whose
   * If-None-Match names it is answered 304 with no body (free against GitHub's rate limit).
   * Off by default; the benchmarks turn it on to count requests as GitHub would.
   */
  conditionalRequests?: boolean;
}

export interface RequestFilter {
  write?: boolean;
  method?: string;
  /** OpenAPI template, e.g. `/repos/{owner}/{repo}/contents/{path}` */
  template?: string;
  operationId?: string;
}

function splitRepo(fullName: string): [string, string] {
  const [owner, name, ...rest] = fullName.split("/");
  if (!owner || !name || rest.length) throw new Error(`expected "owner/name", got "${fullName}"`);
  return [owner, name];
}

export class GitHubEmulator implements ServerHost {
  readonly store: EmulatorStore;
  readonly render: Renderer;
  readonly payloads: PayloadBuilders;
  readonly violations: EmulatorViolation[] = [];
  readonly requestLog: RequestLogEntry[] = [];
  readonly deliveries: WebhookDelivery[] = [];
  /** The app's webhook URL (its settings): where a redelivery goes; the original URL when unset. */
  hookUrl: string | undefined;
  /** consulted per valid request; see faults.ts */
  faults: FaultHook | undefined;
  readonly appId: number;
  readonly conditionalRequests: boolean;
  private server: Server | undefined;
  private port = 0;
  private offsetMs = 0;
  private fixedMs: number | undefined;
  private unregister: (() => void) | undefined;

  constructor(private readonly options: EmulatorOptions = {}) {
    this.appId = options.appId ?? 1;
    this.conditionalRequests = options.conditionalRequests ?? false;
    if (options.startTime !== undefined) this.fixedMs = new Date(options.startTime).getTime();
    this.store = new EmulatorStore(() => this.now(), options.appSlug ?? "charter");
    this.render = new Renderer(this.store, () => this.urls, this.appId);
    this.payloads = new PayloadBuilders(this.store, this.render);
    this.store.ensureUser(this.store.botLogin, "Bot");
    this.store.hookDeliveries.redeliver = async (r) => {
      await this.sendWebhook(this.hookUrl ?? r.request.url, r.event, r.request.payload, { ...(r.request.secret !== undefined ? { secret: r.request.secret } : {}), deliveryId: r.guid, redelivery: true });
    };
  }

  // ------------------------------------------------------------------ lifecycle

  async start(): Promise<this> {
    if (this.server) return this;
    const server = createServer(createRequestHandler(this));
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    if (this.options.guard !== false) this.unregister = registerGitHubApiBase(this.url);
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.unregister?.();
    this.unregister = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** `http://127.0.0.1:PORT` (REST paths also work directly under it). */
  get url(): string {
    if (!this.server) throw new Error("emulator not started");
    return `http://127.0.0.1:${this.port}`;
  }

  /** `http://127.0.0.1:PORT/api/v3`: what Probot uses with GHE_HOST=`host`, GHE_PROTOCOL=http. */
  get apiUrl(): string {
    return `${this.url}/api/v3`;
  }

  /** `127.0.0.1:PORT`, for GHE_HOST. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  get urls(): Urls {
    const base = this.server ? this.url : "http://127.0.0.1";
    return { api: base, html: base };
  }

  // ------------------------------------------------------------------ violations and the request log

  recordViolation(v: EmulatorViolation): void {
    this.violations.push(v);
    if (!this.options.quiet) process.stderr.write(`[github-emulator] ${v.message}\n`);
    if (this.options.guard !== false) {
      recordOpenApiViolation({
        kind: v.kind === "invalid-response" ? "response" : "request",
        method: v.method,
        url: v.path,
        status: v.status,
        problems: v.problems,
        message: v.message,
        source: "emulator",
      });
    }
  }

  /** Number of logged requests matching `filter` (all when omitted). */
  countRequests(filter: RequestFilter = {}): number {
    return this.requestLog.filter(
      (e) =>
        (filter.write === undefined || e.write === filter.write) &&
        (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
        (filter.template === undefined || e.template === filter.template) &&
        (filter.operationId === undefined || e.operationId === filter.operationId),
    ).length;
  }

  clearRequestLog(): void {
    this.requestLog.length = 0;
  }

  // ------------------------------------------------------------------ time

  now(): Date {
    return new Date((this.fixedMs ?? Date.now()) + this.offsetMs);
  }

  /** Freezes the emulator's clock at `time` (timestamps of everything created from now on). */
  setTime(time: Date | string): void {
    this.fixedMs = new Date(time).getTime();
    this.offsetMs = 0;
  }

  advanceTime(ms: number): void {
    this.offsetMs += ms;
  }

  // ------------------------------------------------------------------ auth

  /** A token that makes REST calls act as `login` (e.g. to open an issue as a person). */
  tokenFor(login: string): string {
    this.store.ensureUser(login);
    const token = `ghu_${randomBytes(12).toString("hex")}`;
    this.store.tokens.set(token, login);
    return token;
  }

  installationId(owner: string): number {
    return this.store.installationFor(owner);
  }

  /** The app's bot login, e.g. `charter[bot]` (the actor for installation tokens and unknown tokens). */
  get botLogin(): string {
    return this.store.botLogin;
  }

  // ------------------------------------------------------------------ repositories and files

  createRepo(fullName: string, options: { defaultBranch?: string; private?: boolean; files?: Record<string, string>; ownerType?: "User" | "Organization" } = {}): RepoState {
    const [owner, name] = splitRepo(fullName);
    return this.store.createRepo({ owner, name, ...options });
  }

  repo(fullName: string): RepoState {
    const [owner, name] = splitRepo(fullName);
    return this.store.repo(owner, name);
  }

  /** Commits files (null deletes) to `branch` (created from the default branch if missing); returns the commit sha. */
  commitFiles(fullName: string, branch: string, files: Record<string, string | null>, message = "Update files", options: { author?: string } = {}): string {
    return this.store.commitFiles(this.repo(fullName), branch, files, message, options.author).sha;
  }

  createBranch(fullName: string, branch: string, from?: string): string {
    const repo = this.repo(fullName);
    const sha = this.store.resolveRef(repo, from ?? repo.defaultBranch).sha;
    this.store.createBranch(repo, branch, sha);
    return sha;
  }

  branchSha(fullName: string, branch?: string): string {
    const repo = this.repo(fullName);
    return this.store.branchTip(repo, branch ?? repo.defaultBranch);
  }

  /** File content at `ref` (branch or sha; default branch when omitted), or undefined. */
  getFile(fullName: string, path: string, ref?: string): string | undefined {
    const repo = this.repo(fullName);
    return this.store.git.fileAt(this.store.resolveRef(repo, ref).sha, path)?.content;
  }

  // ------------------------------------------------------------------ issues and comments

  createIssue(fullName: string, input: { title: string; body?: string; user: string; labels?: string[]; assignees?: string[] }): IssueRecord {
    return this.store.createIssue(this.repo(fullName), input);
  }

  getIssue(fullName: string, number: number): IssueRecord {
    return this.store.issue(this.repo(fullName), number);
  }

  updateIssue(fullName: string, number: number, patch: Parameters<EmulatorStore["updateIssue"]>[2], actor: string): IssueRecord {
    const repo = this.repo(fullName);
    const issue = this.store.issue(repo, number);
    this.store.updateIssue(repo, issue, patch, actor);
    return issue;
  }

  /** Issues (and pull requests) in the repository, by number. */
  listIssues(fullName: string): IssueRecord[] {
    return [...this.repo(fullName).issues.values()];
  }

  addLabels(fullName: string, number: number, labels: string[]): IssueRecord {
    const repo = this.repo(fullName);
    const issue = this.store.issue(repo, number);
    this.store.addLabels(repo, issue, labels);
    return issue;
  }

  createLabel(fullName: string, name: string, color?: string, description?: string): void {
    this.store.createLabel(this.repo(fullName), name, color, description ?? null);
  }

  addComment(fullName: string, number: number, body: string, user: string): CommentRecord {
    const repo = this.repo(fullName);
    return this.store.addComment(repo, this.store.issue(repo, number), body, user);
  }

  editComment(fullName: string, commentId: number, body: string): CommentRecord {
    return this.store.editComment(this.repo(fullName), commentId, body);
  }

  listComments(fullName: string, number: number): CommentRecord[] {
    return [...this.getIssue(fullName, number).comments];
  }

  getComment(fullName: string, commentId: number): CommentRecord {
    return this.store.comment(this.repo(fullName), commentId).comment;
  }

  // ------------------------------------------------------------------ pull requests, reviews, checks

  openPullRequest(fullName: string, input: { head: string; base?: string; title: string; body?: string; user: string; draft?: boolean }): { issue: IssueRecord; pull: PullRecord } {
    return this.store.openPullRequest(this.repo(fullName), input);
  }

  getPullRequest(fullName: string, number: number): { issue: IssueRecord; pull: PullRecord } {
    return this.store.pull(this.repo(fullName), number);
  }

  /** Adds a submitted review as `user` on `commitId` (default: the current head). */
  submitReview(fullName: string, number: number, input: { user: string; state: ReviewState; commitId?: string; body?: string }): ReviewRecord {
    return this.store.submitReview(this.repo(fullName), number, input);
  }

  /** `by` dismisses review `reviewId` (recorded in the pull request's timeline). */
  dismissReview(fullName: string, number: number, reviewId: number, by?: string, message?: string): ReviewRecord {
    return this.store.dismissReview(this.repo(fullName), number, reviewId, by, message ?? null);
  }

  /** `login` merges pull request `number` (a merge commit on its base), as the merge button does. */
  mergePullRequest(fullName: string, number: number, login: string): string {
    return this.store.merge(this.repo(fullName), number, { login }).sha;
  }

  /** GitHub's merge queue builds a merge group for pull request `number` (see `EmulatorStore.createMergeGroup`). */
  createMergeGroup(fullName: string, number: number): ReturnType<EmulatorStore["createMergeGroup"]> {
    return this.store.createMergeGroup(this.repo(fullName), number);
  }

  /** Check runs on `ref` (default: the default branch tip), newest first. */
  listCheckRuns(fullName: string, ref?: string): CheckRunRecord[] {
    const repo = this.repo(fullName);
    const sha = this.store.resolveRef(repo, ref).sha;
    return [...repo.checkRuns.values()].filter((r) => r.headSha === sha).sort((a, b) => b.id - a.id);
  }

  // ------------------------------------------------------------------ what the app wrote

  /** Bodies of the comments the app wrote on issue or pull request `number`, oldest first, as people read them (without Charter's hidden idempotency keys). */
  botComments(fullName: string, number: number): string[] {
    return this.listComments(fullName, number).filter((c) => c.user.toLowerCase() === this.botLogin.toLowerCase()).map((c) => withoutKeys(c.body));
  }

  /** Reactions the app put on comment `commentId`. */
  botReactions(fullName: string, commentId: number): string[] {
    return this.getComment(fullName, commentId).reactions.filter((r) => r.user.toLowerCase() === this.botLogin.toLowerCase()).map((r) => r.content);
  }

  /** The newest check run called `name` on the head of pull request `number`. */
  latestCheck(fullName: string, number: number, name: string): CheckRunRecord | undefined {
    return this.listCheckRuns(fullName, this.getPullRequest(fullName, number).pull.headSha).find((r) => r.name === name);
  }

  // ------------------------------------------------------------------ teams

  setTeamMembers(org: string, slug: string, members: string[], name?: string): TeamRecord {
    return this.store.setTeamMembers(org, slug, members, name);
  }

  // ------------------------------------------------------------------ webhooks

  /**
   * Signs and POSTs `payload` to `targetUrl`; the delivery is appended to `deliveries` and recorded
   * as the app's hook delivery (GET /app/hook/deliveries). A server that cannot be reached is a
   * delivery with status 0 here and `status_code` 502 ("failed to connect") in the record.
   */
  async sendWebhook(targetUrl: string, event: string, payload: unknown, options: WebhookOptions & { redelivery?: boolean } = {}): Promise<WebhookDelivery> {
    const { redelivery, ...webhookOptions } = options;
    const guid = webhookOptions.deliveryId ?? randomUUID();
    const p = payload as { action?: string; installation?: { id?: number }; repository?: { id?: number } } | null;
    let delivery: WebhookDelivery;
    try {
      delivery = await sendWebhook(targetUrl, event, payload, { ...webhookOptions, deliveryId: guid });
    } catch (error) {
      // only "nobody answered" is a delivery that failed to connect; anything else (the webhook guard refusing the payload) is the caller's error
      if (!(error instanceof TypeError && /fetch failed/.test(error.message))) throw error;
      delivery = { id: guid, event, action: p?.action, url: targetUrl, status: 0, response: `failed to connect: ${(error as Error).message}`, durationMs: 0 };
    }
    this.deliveries.push(delivery);
    this.store.hookDeliveries.record({
      guid,
      deliveredAt: this.now().toISOString().replace(/\.\d{3}Z$/, "Z"),
      redelivery: redelivery ?? false,
      durationSeconds: delivery.durationMs / 1000,
      status: delivery.status === 0 ? "failed to connect" : delivery.status < 400 ? "OK" : `Invalid HTTP Response: ${delivery.status}`,
      statusCode: delivery.status === 0 ? 502 : delivery.status,
      event,
      action: p?.action ?? null,
      installationId: p?.installation?.id ?? null,
      repositoryId: p?.repository?.id ?? null,
      request: { url: targetUrl, payload, ...(webhookOptions.secret !== undefined ? { secret: webhookOptions.secret } : {}) },
    });
    return delivery;
  }

  /** Lets the emulator's clock run in real time again (after setTime). */
  useRealTime(): void {
    this.fixedMs = undefined;
    this.offsetMs = 0;
  }
}

/** Creates and starts an emulator. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<GitHubEmulator> {
  return new GitHubEmulator(options).start();
}
