/**
 * The real Charter app (Probot, createCharter) against the stateful fake GitHub of the incident
 * tests (nock), with a real Notifier sending to real loopback receivers (test/notify/support/
 * receivers.ts). Restarting makes a new process: new caches, a new notifier (nothing in flight),
 * the same GitHub, the same receivers.
 */
import nock from "nock";
import { Probot } from "probot";
import { createCharter } from "../../../src/app.js";
import { ManualClock } from "../../../src/clock.js";
import type { RetryPolicy } from "../../../src/core/notify/outbox.js";
import { GovernanceCache } from "../../../src/github/governance.js";
import type { CharterDeps } from "../../../src/handlers/deps.js";
import { Notifier } from "../../../src/notify/notifier.js";
import type { DeliveryQueue } from "../../../src/notify/queue.js";
import { incidentSweepTask } from "../../../src/reconcile/incidents.js";
import { sweepRepository, type RepositorySweep } from "../../../src/reconcile/runner.js";
import { FakeGitHub, type IssueRec } from "../../incidents/support/fake-github.js";
import { TestOctokit } from "../../support/app-harness.js";
import { d9Files, OWNER, REPO } from "../../support/governance-mock.js";
import { testIdentity } from "../../support/identity.js";

export const FAST_RETRY: RetryPolicy = { delaysMs: [40, 80] };

export interface NotifyWorldOptions {
  t0: string;
  /** notify.yml (added to D9's files) */
  notify: string;
  env: Record<string, string>;
  files?: Record<string, string>;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** A queue for the first process (e.g. one that never runs: the process dies before sending). */
  queue?: DeliveryQueue;
}

export interface NotifyWorld {
  gh: FakeGitHub;
  clock: ManualClock;
  t0: Date;
  readonly notifier: Notifier;
  at(minutes: number): void;
  open(input: Partial<IssueRec>): Promise<IssueRec>;
  say(issue: number, user: string, body: string): Promise<number>;
  deliver(name: string, payload: unknown, id?: string): Promise<void>;
  sweep(): Promise<RepositorySweep>;
  /** Wait until every send (and retry) of this process is done. */
  settle(): Promise<void>;
  restart(options?: { queue?: DeliveryQueue }): Promise<void>;
}

/** A queue whose jobs never run: the process stops right after recording what to send. */
export const DEAD_QUEUE: DeliveryQueue = { enqueue: () => undefined, idle: async () => true, size: 0 };

export async function notifyWorld(options: NotifyWorldOptions): Promise<NotifyWorld> {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  const clock = new ManualClock(options.t0);
  const t0 = new Date(options.t0);
  const gh = new FakeGitHub(clock).install({ ...(options.files ?? d9Files()), "notify.yml": options.notify });
  let deliveries = 0;
  const make = async (queue?: DeliveryQueue) => {
    const notifier = new Notifier({ env: options.env, clock, retry: options.retry ?? FAST_RETRY, timeoutMs: options.timeoutMs ?? 1_000, ...(queue ? { queue } : {}) });
    const deps: CharterDeps = { clock, governance: new GovernanceCache(), identity: testIdentity, notify: notifier };
    const probot = new Probot({ githubToken: "test-token", Octokit: TestOctokit, logLevel: "fatal" });
    await probot.load(createCharter(deps));
    return { notifier, deps, probot };
  };
  let p = await make(options.queue);
  const deliver = (name: string, payload: unknown, id?: string) => p.probot.receive({ id: id ?? `d-${++deliveries}`, name, payload } as Parameters<Probot["receive"]>[0]);
  return {
    gh,
    clock,
    t0,
    get notifier() {
      return p.notifier;
    },
    at: (minutes) => clock.set(new Date(t0.getTime() + minutes * 60_000)),
    async open(input) {
      const issue = gh.addIssue(input);
      await deliver("issues", gh.issuesPayload("opened", issue.number));
      return issue;
    },
    async say(issue, user, body) {
      const c = gh.addComment(issue, user, body);
      await deliver("issue_comment", gh.commentPayload(c.id));
      return c.id;
    },
    deliver,
    sweep: () => sweepRepository(new TestOctokit({ auth: "test-token" }), { owner: OWNER, repo: REPO }, p.deps, p.probot.log, { defaultBranch: "main", tasks: [incidentSweepTask] }),
    async settle() {
      if (!(await p.notifier.idle(15_000))) throw new Error("sends still running after 15 s");
    },
    async restart(o = {}) {
      p = await make(o.queue);
    },
  };
}
