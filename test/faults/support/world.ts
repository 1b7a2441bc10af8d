/**
 * An in-process fault-injection world: the local GitHub emulator, the real Charter app on a Probot
 * instance pointed at it (`baseUrl`), served through Probot's own webhook middleware on loopback
 * (signature check, JSON parsing, the 9 s "still processing" answer), with Charter's bounded retry
 * policy (src/github/octokit-options.ts) at test speed, a ManualClock both sides share, and people
 * acting on GitHub. Like the end-to-end world (test/e2e/support/world.ts) it delivers the events
 * GitHub would send for what the app itself did ("echoes"), so a script plays out the same way.
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot } from "probot";
import { createCharter } from "../../../src/app.js";
import { ManualClock } from "../../../src/clock.js";
import type { GitHubClient } from "../../../src/github/client.js";
import { GovernanceCache } from "../../../src/github/governance.js";
import { charterOctokit, type RetryEvent, type RetryPolicy } from "../../../src/github/octokit-options.js";
import { sweepRepository, type RepositorySweep } from "../../../src/reconcile/runner.js";
import { startEmulator, type CheckRunRecord, type GitHubEmulator } from "../../emulator/index.js";
import { repositoryGovernance } from "../../e2e/support/world.js";
import { CharterEchoes } from "../../support/charter-echoes.js";
import { testIdentity } from "../../support/identity.js";

export const REPO = "acme/ingestion";
export const CHECK_NAME = "Charter sign-off";
const [OWNER, NAME] = REPO.split("/") as [string, string];

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED";

export interface Delivery {
  event: string;
  payload: Record<string, unknown>;
  id: string;
  /** An echo of something Charter did (not a person's action). */
  echo: boolean;
}

export interface DeliveryResult {
  event: string;
  action: string | undefined;
  id: string;
  /** The comment of an issue_comment delivery. */
  commentId?: number;
  status: number;
  durationMs: number;
}

export interface FaultWorldOptions {
  start: string;
  /** Retry policy overrides (default: 2 retries, 250 ms attempt timeout, waits scaled by 1/1000). */
  policy?: Partial<RetryPolicy>;
  /** Called instead of sending each delivery, to drop, duplicate or reorder them. */
  deliverVia?: (world: FaultWorld, delivery: Delivery) => Promise<void>;
}

let deliverySeq = 0;

/** A fresh RSA key in PKCS#1 PEM, as GitHub hands out for an app. */
function appKey(): string {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
}

const KEY = appKey();

export class FaultWorld {
  readonly deliveries: DeliveryResult[] = [];
  /** The last delivery per pull request number (for the reconcile's re-delivery). */
  readonly lastPullDelivery = new Map<number, Delivery>();
  /** What GitHub would send back for what Charter did (see `settle`). */
  private readonly echoes: CharterEchoes;

  private constructor(
    readonly gh: GitHubEmulator,
    readonly probot: Probot,
    readonly clock: ManualClock,
    readonly cache: GovernanceCache,
    private readonly server: Server,
    readonly webhookUrl: string,
    readonly secret: string,
    private readonly options: FaultWorldOptions,
    /** Every retry the bounded policy made. */
    readonly retries: RetryEvent[],
  ) {
    this.echoes = new CharterEchoes(gh, REPO);
  }

  static async start(options: FaultWorldOptions): Promise<FaultWorld> {
    const gh = await startEmulator({ startTime: options.start, quiet: true, conditionalRequests: true });
    gh.createRepo(REPO, {
      ownerType: "Organization",
      files: { "README.md": "# ingestion\n", ...repositoryGovernance() },
    });
    const clock = new ManualClock(options.start);
    const cache = new GovernanceCache();
    const secret = "fault-secret";
    const retries: RetryEvent[] = [];
    const Octokit = charterOctokit({
      writeSpacing: false,
      policy: {
        requestTimeoutMs: 250,
        waitScale: 0.001,
        ...options.policy,
        onRetry: (e) => {
          retries.push(e);
          options.policy?.onRetry?.(e);
        },
      },
    });
    const probot = new Probot({ appId: gh.appId, privateKey: KEY, secret, baseUrl: gh.apiUrl, Octokit, logLevel: "fatal" });
    const middleware = await createNodeMiddleware(createCharter({ clock, governance: cache, identity: testIdentity }), { probot, webhooksPath: "/api/github/webhooks" });
    const server = createServer((req, res) => {
      void middleware(req, res, () => res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
    return new FaultWorld(gh, probot, clock, cache, server, url, secret, options, retries);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.gh.stop();
  }

  /** Moves both clocks (Charter's and the emulator's timestamps) to `iso`. */
  at(iso: string): void {
    this.clock.set(iso);
    this.gh.setTime(iso);
  }

  get botLogin(): string {
    return this.gh.botLogin;
  }

  // ------------------------------------------------------------------ deliveries

  /** Signs and POSTs one delivery to the app (through `deliverVia` when the test wants to interfere). */
  async deliver(event: string, payload: Record<string, unknown>, echo = false, id?: string): Promise<void> {
    const delivery: Delivery = { event, payload, id: id ?? `d-${++deliverySeq}`, echo };
    const pr = pullNumberOf(event, payload);
    if (pr !== undefined) this.lastPullDelivery.set(pr, delivery);
    if (this.options.deliverVia) await this.options.deliverVia(this, delivery);
    else await this.send(delivery);
  }

  /** Sends a delivery as is (the same id for a redelivery). */
  async send(delivery: Delivery): Promise<DeliveryResult> {
    const d = await this.gh.sendWebhook(this.webhookUrl, delivery.event, delivery.payload, { secret: this.secret, deliveryId: delivery.id });
    const commentId = (delivery.payload.comment as { id?: number } | undefined)?.id;
    const result: DeliveryResult = { event: delivery.event, action: d.action, id: delivery.id, status: d.status, durationMs: d.durationMs, ...(commentId !== undefined ? { commentId } : {}) };
    this.deliveries.push(result);
    return result;
  }

  /**
   * Delivers what GitHub would send for what Charter did since the last look (pushes, pull
   * requests it opened, its comments), until it stops doing things.
   */
  async settle(rounds = 5): Promise<void> {
    for (let round = 0; round < rounds; round++) {
      const echoes = this.echoes.take();
      if (echoes.length === 0) return;
      for (const [event, payload] of echoes) await this.deliver(event, payload, true);
    }
  }

  // ------------------------------------------------------------------ people acting on GitHub

  async openIssue(login: string, input: { title: string; body: string; labels?: string[] }): Promise<number> {
    const issue = this.gh.createIssue(REPO, { title: input.title, body: input.body, user: login, labels: input.labels ?? [] });
    this.echoes.remember();
    await this.deliver("issues", this.gh.payloads.issues("opened", REPO, issue.number, { sender: login }));
    await this.settle();
    return issue.number;
  }

  /** Writes a comment (without delivering it) and returns the delivery GitHub would send. */
  writeComment(login: string, number: number, body: string): { id: number; delivery: () => Record<string, unknown> } {
    const c = this.gh.addComment(REPO, number, body, login);
    this.echoes.saw(c.id);
    return { id: c.id, delivery: () => this.gh.payloads.issueComment("created", REPO, c.id, { sender: login }) };
  }

  async comment(login: string, number: number, body: string): Promise<number> {
    const c = this.writeComment(login, number, body);
    await this.deliver("issue_comment", c.delivery());
    await this.settle();
    return c.id;
  }

  async openPullRequest(login: string, input: { branch: string; files: Record<string, string | null>; title: string; body: string }): Promise<number> {
    this.gh.commitFiles(REPO, input.branch, input.files, input.title, { author: login });
    const { issue } = this.gh.openPullRequest(REPO, { head: input.branch, title: input.title, body: input.body, user: login });
    this.echoes.remember();
    await this.deliver("pull_request", this.gh.payloads.pullRequest("opened", REPO, issue.number, { sender: login }));
    await this.settle();
    return issue.number;
  }

  async review(login: string, number: number, state: ReviewState, body = ""): Promise<number> {
    const r = this.gh.submitReview(REPO, number, { user: login, state, body });
    await this.deliver("pull_request_review", this.gh.payloads.pullRequestReview("submitted", REPO, number, r.id, { sender: login }));
    await this.settle();
    return r.id;
  }

  /** One reconcile pass, as the server's periodic sweep runs it. */
  async sweep(): Promise<RepositorySweep> {
    const installation = await this.probot.auth(this.gh.installationId(OWNER));
    const result = await sweepRepository(installation as unknown as GitHubClient, { owner: OWNER, repo: NAME }, { clock: this.clock, governance: this.cache, identity: testIdentity }, this.probot.log);
    await this.settle();
    return result;
  }

  /** The reconcile after faults: a sweep, then the last delivery of every pull request again (as a redelivery). */
  async reconcile(): Promise<void> {
    await this.sweep();
    for (const delivery of this.lastPullDelivery.values()) await this.send(delivery);
    await this.settle();
  }

  // ------------------------------------------------------------------ looking at GitHub

  botComments(number: number): string[] {
    return this.gh.botComments(REPO, number);
  }

  botReactions(commentId: number): string[] {
    return this.gh.botReactions(REPO, commentId);
  }

  /** The newest check run called `name` on the head of pull request `number`. */
  check(number: number, name = CHECK_NAME): CheckRunRecord | undefined {
    return this.gh.latestCheck(REPO, number, name);
  }

  file(path: string, ref?: string): string | undefined {
    return this.gh.getFile(REPO, path, ref);
  }
}

function pullNumberOf(event: string, payload: Record<string, unknown>): number | undefined {
  if (event === "pull_request" || event === "pull_request_review") return (payload.pull_request as { number?: number } | undefined)?.number;
  return undefined;
}
