/**
 * The engine: how Charter's work is queued and run. One interface, two implementations:
 *
 * - embedded (the default, src/engine/memory.ts): everything in this process, no datastore; a
 *   webhook is answered once its handlers are done (GitHub's record of a failed delivery is then
 *   the durable backlog the redelivery job works from);
 * - Redis (`REDIS_URL`, src/engine/redis.ts, BullMQ): every replica verifies and enqueues each
 *   delivery (the delivery id is the job id) and answers at once; workers on every replica process
 *   jobs at least once, one at a time per issue or pull request; timers are delayed jobs at their
 *   exact instant; periodic jobs run on one replica at a time.
 *
 * Handlers stay Probot handlers. Around each job the engine learns what is due next (timers.ts)
 * and schedules it; a handler may later return timers itself (`JobResult.timers`).
 */
import type { RepoRef } from "../github/client.js";

/** A webhook delivery as Probot's `webhooks.receive` takes it. */
export interface Delivery {
  /** X-GitHub-Delivery: the job id. A second delivery with the same id is dropped. */
  id: string;
  name: string;
  payload: unknown;
}

/** Something due at an instant on one issue: keyed by (repository, issue, step). */
export interface Timer {
  /**
   * `signoff`: a repository's timed sign-off work (expiring approvals, reminders, break-glass reviews); issue 0.
   * `handoff`: a repository's next on-call handoff message (issue 0). `deployment`: a deployment's
   * next status-update reminder (its issue). `calendar`: the daily publication of the on-call calendar (issue 0).
   */
  kind: "incident" | "approval" | "signoff" | "handoff" | "deployment" | "calendar";
  repo: RepoRef;
  installationId: number;
  defaultBranch: string;
  issue: number;
  /** What is due: a ladder step (`s1.2`), a repeat (`r1.3`), the acknowledgement deadline (`ack1`), a reminder (`u<ms>`), an approval (`approval-<scope>`). */
  step: string;
  /** Epoch ms (the injected clock's time). */
  dueAt: number;
  /** Found by the safety-net sweep: may open an incident Charter missed (a timer otherwise never opens one). */
  open?: boolean;
}

/** What a job may say it learned: timers to schedule (handlers may return these later, see timers.ts). */
export interface JobResult {
  timers?: Timer[];
}

export interface EngineHandlers {
  /** Run one delivery's handlers (Probot's `webhooks.receive`). Throws when a handler failed. */
  delivery(delivery: Delivery): Promise<JobResult | void>;
  /** Run a timer: re-read GitHub and act only if it is still due. */
  timer(timer: Timer): Promise<JobResult | void>;
  /** A periodic job by name (`sweep`, `redeliver`). */
  periodic(name: string): Promise<void>;
}

export interface PeriodicJob {
  name: string;
  everyMs: number;
  /** First run this long after start (embedded), default everyMs. */
  firstAfterMs?: number;
}

export interface EngineStats {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** A small shared store: sets and values with an optional time to live (Redis, or this process's memory). */
export interface EngineStore {
  /** Sets `key` only if absent; true when this call set it. */
  setOnce(key: string, value: string, ttlMs?: number): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** A hash: field → value. */
  hset(key: string, field: string, value: string): Promise<void>;
  hgetall(key: string): Promise<Record<string, string>>;
}

export interface EnqueueResult {
  /** false: a delivery with this id was already enqueued (a redelivery): dropped. */
  accepted: boolean;
  /** Embedded engine: settles when the handlers are done (rejects with their error). */
  done?: Promise<void>;
}

export interface Engine {
  readonly mode: "embedded" | "redis";
  /** Whether queued jobs survive this process (Redis): then a delivery is answered as soon as it is enqueued. */
  readonly durable: boolean;
  readonly store: EngineStore;
  start(handlers: EngineHandlers, periodic: PeriodicJob[]): Promise<void>;
  enqueueDelivery(delivery: Delivery): Promise<EnqueueResult>;
  /** Schedule a timer; false when the same (repository, issue, step) is already scheduled. */
  schedule(timer: Timer): Promise<boolean>;
  /** Timers scheduled and not yet run. */
  scheduled(): Promise<number>;
  stats(): Promise<Record<"deliveries" | "timers" | "periodic", EngineStats>>;
  /** Resolves true once no delivery is waiting or running (every replica's, with Redis), false after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Told about each job (metrics, logs). */
export interface JobObserver {
  started?(queue: "deliveries" | "timers" | "periodic", latenessMs: number): void;
  finished?(queue: "deliveries" | "timers" | "periodic", outcome: "done" | "failed" | "requeued"): void;
}

/** The job id of a timer: repository, issue, step (BullMQ ids cannot hold `:`). */
export function timerId(t: Pick<Timer, "repo" | "issue" | "step">): string {
  return `t|${t.repo.owner}/${t.repo.repo}|${t.issue}|${t.step}`.toLowerCase();
}
