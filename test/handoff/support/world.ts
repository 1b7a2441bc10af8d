/**
 * An in-process world for handoffs, deployments and event notifications: the local GitHub
 * emulator (every request checked against GitHub's OpenAPI description), the real Charter app on a
 * Probot instance pointed at it, served through Probot's webhook middleware on loopback, a
 * ManualClock both share, a real Notifier sending to real loopback receivers, and people acting on
 * GitHub. Like the end-to-end world it delivers the events GitHub would send for what the app did
 * ("echoes"). `restart()` makes a new process (new caches and memory, nothing in flight) on the same
 * GitHub; `replica()` a second process beside the first.
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot } from "probot";
import { createCharter } from "../../../src/app.js";
import { ManualClock } from "../../../src/clock.js";
import type { GitHubClient } from "../../../src/github/client.js";
import { GovernanceCache } from "../../../src/github/governance.js";
import type { CharterDeps } from "../../../src/handlers/deps.js";
import { Notifier } from "../../../src/notify/notifier.js";
import { sweepRepository, type RepositorySweep } from "../../../src/reconcile/runner.js";
import type { SweepTask } from "../../../src/reconcile/task.js";
import { startEmulator, type GitHubEmulator } from "../../emulator/index.js";
import { repositoryGovernance } from "../../e2e/support/world.js";
import { TestOctokit } from "../../support/app-harness.js";
import { CharterEchoes } from "../../support/charter-echoes.js";
import { testIdentity } from "../../support/identity.js";

export const REPO = "acme/ingestion";
const [OWNER, NAME] = REPO.split("/") as [string, string];

const KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

export interface Process {
  deps: CharterDeps;
  probot: Probot;
  notifier: Notifier;
  server: Server;
  url: string;
}

export interface WorldOptions {
  start: string;
  /** Files of the repository (default: this checkout's governance/ and a README). */
  files?: Record<string, string>;
  /** The server's environment for the channels' secrets. */
  env?: Record<string, string>;
  tasks?: SweepTask[];
}

let seq = 0;

export class World {
  readonly clock: ManualClock;
  readonly processes: Process[] = [];
  /** What GitHub would send back for what Charter did (see `settle`). */
  private readonly echoes: CharterEchoes;

  private constructor(
    readonly gh: GitHubEmulator,
    public p: Process,
    private readonly options: WorldOptions,
    clock: ManualClock,
  ) {
    this.clock = clock;
    this.processes.push(p);
    this.echoes = new CharterEchoes(gh, REPO);
  }

  static async start(options: WorldOptions): Promise<World> {
    const gh = await startEmulator({ startTime: options.start, quiet: true });
    gh.createRepo(REPO, { ownerType: "Organization", files: options.files ?? { "README.md": "# ingestion\n", ...repositoryGovernance({ notify: true }) } });
    const clock = new ManualClock(options.start);
    return new World(gh, await World.process(gh, clock, options), options, clock);
  }

  private static async process(gh: GitHubEmulator, clock: ManualClock, options: WorldOptions): Promise<Process> {
    const notifier = new Notifier({ env: options.env ?? {}, clock, retry: { delaysMs: [50, 100] }, timeoutMs: 2_000 });
    const deps: CharterDeps = { clock, governance: new GovernanceCache(), identity: testIdentity, notify: notifier };
    const probot = new Probot({ appId: gh.appId, privateKey: KEY, secret: "world-secret", baseUrl: gh.apiUrl, Octokit: TestOctokit, logLevel: "fatal" });
    const middleware = await createNodeMiddleware(createCharter(deps), { probot, webhooksPath: "/api/github/webhooks" });
    const server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    return { deps, probot, notifier, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks` };
  }

  /** A fresh process on the same GitHub (the old one stops: nothing of its memory survives). */
  async restart(): Promise<void> {
    await this.settleChannels();
    this.p = await World.process(this.gh, this.clock, this.options);
    this.processes.push(this.p);
  }

  /** Another process beside the current one (a replica). */
  async replica(): Promise<Process> {
    const r = await World.process(this.gh, this.clock, this.options);
    this.processes.push(r);
    return r;
  }

  async stop(): Promise<void> {
    for (const p of this.processes) {
      await p.notifier.idle(5_000);
      p.server.closeAllConnections();
      await new Promise<void>((resolve) => p.server.close(() => resolve()));
    }
    await this.gh.stop();
  }

  at(iso: string): void {
    this.clock.set(iso);
    this.gh.setTime(new Date(iso).toISOString());
  }

  get now(): Date {
    return this.clock.now();
  }

  get botLogin(): string {
    return this.gh.botLogin;
  }

  async deliver(event: string, payload: Record<string, unknown>, options: { id?: string; to?: Process } = {}): Promise<number> {
    const d = await this.gh.sendWebhook((options.to ?? this.p).url, event, payload, { secret: "world-secret", deliveryId: options.id ?? `w-${++seq}` });
    return d.status;
  }

  /** Delivers what GitHub would send for what Charter did (pushes, pull requests it opened, its comments). */
  async settle(rounds = 5): Promise<void> {
    for (let round = 0; round < rounds; round++) {
      const echoes = this.echoes.take();
      if (echoes.length === 0) return;
      for (const [event, payload] of echoes) await this.deliver(event, payload);
    }
  }

  async openIssue(login: string, input: { title: string; body: string; labels?: string[] }): Promise<number> {
    const issue = this.gh.createIssue(REPO, { title: input.title, body: input.body, user: login, labels: input.labels ?? [] });
    this.echoes.remember();
    await this.deliver("issues", this.gh.payloads.issues("opened", REPO, issue.number, { sender: login }));
    await this.settle();
    return issue.number;
  }

  async comment(login: string, number: number, body: string): Promise<number> {
    const c = this.gh.addComment(REPO, number, body, login);
    this.echoes.saw(c.id);
    await this.deliver("issue_comment", this.gh.payloads.issueComment("created", REPO, c.id, { sender: login }));
    await this.settle();
    return c.id;
  }

  async review(login: string, number: number, state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED", body = ""): Promise<number> {
    const r = this.gh.submitReview(REPO, number, { user: login, state, body });
    await this.deliver("pull_request_review", this.gh.payloads.pullRequestReview("submitted", REPO, number, r.id, { sender: login }));
    await this.settle();
    return r.id;
  }

  async merge(login: string, number: number): Promise<void> {
    const repo = this.gh.repo(REPO);
    const { pull } = this.gh.getPullRequest(REPO, number);
    const before = this.gh.branchSha(REPO, pull.baseRef);
    this.gh.store.merge(repo, number, { login, mergeMethod: "merge" });
    this.echoes.remember();
    await this.deliver("pull_request", this.gh.payloads.pullRequest("closed", REPO, number, { sender: login }));
    await this.deliver("push", this.gh.payloads.push(REPO, pull.baseRef, { before, sender: login }));
    await this.settle();
  }

  /** One reconcile pass by process `p` (default: the current one). */
  async sweep(p: Process = this.p, tasks?: SweepTask[]): Promise<RepositorySweep> {
    const installation = await p.probot.auth(this.gh.installationId(OWNER));
    const result = await sweepRepository(installation as unknown as GitHubClient, { owner: OWNER, repo: NAME }, p.deps, p.probot.log, { defaultBranch: "main", ...((tasks ?? this.options.tasks) ? { tasks: tasks ?? this.options.tasks } : {}) });
    await this.settle();
    return result;
  }

  /** Wait until every process's sends (and retries) are done. */
  async settleChannels(): Promise<void> {
    for (const p of this.processes) if (!(await p.notifier.idle(15_000))) throw new Error("sends still running after 15 s");
  }

  botComments(number: number): string[] {
    return this.gh.botComments(REPO, number);
  }

  issues() {
    return [...this.gh.repo(REPO).issues.values()];
  }

  get violations() {
    return this.gh.violations;
  }
}
