/**
 * The Redis engine (REDIS_URL): BullMQ queues shared by every replica.
 *
 * - `deliveries`: each replica verifies a delivery's signature and enqueues it with the delivery
 *   id as job id, behind a marker set with SET NX (kept 3 days, GitHub's redelivery window): a
 *   redelivery of an id already enqueued is dropped. The webhook is answered at once. Jobs are
 *   retried with backoff (at least once); a stalled job (its replica died) is picked up again
 *   by another replica after its BullMQ lock lapses.
 * - `timers`: delayed jobs at their due instant, job id = (repository, issue, step): scheduling the
 *   same step twice keeps one job.
 * - `periodic`: BullMQ job schedulers (the safety-net sweep, the redelivery job): one job per
 *   period whichever replica adds it, run by one worker; a lease per name keeps a slow run from
 *   overlapping the next.
 *
 * One at a time per issue or pull request, across replicas: BullMQ's groups are a Pro feature, so
 * each job takes a lease on its key in Redis (SET NX PX, renewed while it runs, released by
 * compare-and-delete). A job that finds the key taken goes back to the delayed set for 50–150 ms
 * and is tried again; it never holds a worker slot while it waits. A replica killed mid-job stops
 * renewing: its lease lapses within LEASE_MS and its job is recovered as stalled. Within a replica
 * jobs with the same key also queue in memory first, so most never meet a taken lease. Order is
 * not guaranteed (GitHub does not order deliveries either): handlers reconcile from what GitHub
 * shows, so what matters is that two jobs never act on the same issue at once.
 */
import { randomUUID } from "node:crypto";
import { DelayedError, Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Clock } from "../clock.js";
import { maybeRetry } from "../github/writes/retry.js";
import { KeyChains } from "./chain.js";
import { deliveryKey, timerKey } from "./keys.js";
import { timerId, type Delivery, type Engine, type EngineHandlers, type EngineStats, type EngineStore, type EnqueueResult, type JobObserver, type PeriodicJob, type Timer } from "./types.js";

export const LEASE_MS = 10_000;
const SEEN_TTL_MS = 3 * 24 * 3600_000;
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

type QueueName = "deliveries" | "timers" | "periodic";

class RedisStore implements EngineStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}
  private k(key: string): string {
    return `${this.prefix}:${key}`;
  }
  async setOnce(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const r = ttlMs ? await this.redis.set(this.k(key), value, "PX", ttlMs, "NX") : await this.redis.set(this.k(key), value, "NX");
    return r === "OK";
  }
  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.k(key))) ?? undefined;
  }
  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs) await this.redis.set(this.k(key), value, "PX", ttlMs);
    else await this.redis.set(this.k(key), value);
  }
  async delete(key: string): Promise<void> {
    await this.redis.del(this.k(key));
  }
  async hset(key: string, field: string, value: string): Promise<void> {
    await this.redis.hset(this.k(key), field, value);
  }
  async hgetall(key: string): Promise<Record<string, string>> {
    return this.redis.hgetall(this.k(key));
  }
}

export interface RedisEngineOptions {
  url: string;
  /** Namespace of every key (queues, markers, leases): `charter` by default. */
  prefix?: string;
  /** Jobs run at once per replica, per queue. */
  concurrency?: number;
  observer?: JobObserver;
  /** false: schedule nothing (CHARTER_TIMERS=off). */
  timers?: boolean;
  log?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

export class RedisEngine implements Engine {
  readonly mode = "redis" as const;
  readonly durable = true;
  readonly store: EngineStore;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #queues: Record<QueueName, Queue>;
  readonly #workers: Worker[] = [];
  readonly #chains = new KeyChains();
  readonly #observer: JobObserver;

  constructor(
    private readonly clock: Clock,
    private readonly options: RedisEngineOptions,
  ) {
    this.#prefix = options.prefix ?? "charter";
    this.#redis = new Redis(options.url, { maxRetriesPerRequest: null });
    this.#redis.on("error", (err) => options.log?.error({ err }, "Redis connection error"));
    this.store = new RedisStore(this.#redis, this.#prefix);
    this.#observer = options.observer ?? {};
    const queue = (name: QueueName) => new Queue(name, { connection: this.#redis, prefix: this.#prefix });
    this.#queues = { deliveries: queue("deliveries"), timers: queue("timers"), periodic: queue("periodic") };
  }

  async start(handlers: EngineHandlers, periodic: PeriodicJob[]): Promise<void> {
    const concurrency = this.options.concurrency ?? 8;
    const worker = (name: QueueName, run: (job: Job) => Promise<unknown>, n: number) => {
      const w = new Worker(name, run, { connection: this.#redis, prefix: this.#prefix, concurrency: n, lockDuration: LEASE_MS, stalledInterval: LEASE_MS / 2, maxStalledCount: 3 });
      w.on("error", (err) => this.options.log?.error({ err, queue: name }, "queue worker error"));
      this.#workers.push(w);
    };
    worker("deliveries", (job) => this.#keyed(job, "deliveries", deliveryKey(job.data as Delivery), Date.now() - job.timestamp, async () => {
      try {
        // a retried job's creates may exist already: it looks before it writes (src/github/writes/retry.ts)
        const result = await maybeRetry(job.attemptsMade > 0, () => handlers.delivery(job.data as Delivery));
        for (const t of result?.timers ?? []) await this.schedule(t);
      } catch (error) {
        // the last attempt failed: forget the delivery id, so a redelivery from GitHub runs again
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await this.store.delete(`seen:${job.id}`).catch(() => undefined);
        throw error;
      }
    }), concurrency);
    worker("timers", (job) => {
      const t = job.data as Timer;
      return this.#keyed(job, "timers", timerKey(t), this.clock.now().getTime() - t.dueAt, async () => {
        const result = await maybeRetry(job.attemptsMade > 0, () => handlers.timer(t));
        for (const next of result?.timers ?? []) if (timerId(next) !== job.id) await this.schedule(next);
      });
    }, concurrency);
    worker("periodic", (job) => this.#keyed(job, "periodic", `periodic|${job.name}`, 0, () => handlers.periodic(job.name), { skipWhenTaken: true }), 1);
    // a periodic job turned off (interval 0) stops for every replica: its scheduler is removed
    const wanted = new Set(periodic.map((p) => p.name));
    for (const s of await this.#queues.periodic.getJobSchedulers()) if (s.key && !wanted.has(s.key)) await this.#queues.periodic.removeJobScheduler(s.key);
    for (const p of periodic) {
      await this.#queues.periodic.upsertJobScheduler(p.name, { every: p.everyMs }, { name: p.name, data: {}, opts: { removeOnComplete: true, removeOnFail: 50 } });
    }
  }

  /** Runs `fn` holding the lease on `key` (in this process first, then in Redis); requeues the job when another replica holds it. */
  async #keyed(job: Job, queue: QueueName, key: string | undefined, latenessMs: number, fn: () => Promise<unknown>, options: { skipWhenTaken?: boolean } = {}): Promise<void> {
    const body = async () => {
      if (key === undefined) return this.#observed(job, queue, latenessMs, fn);
      const lease = `${this.#prefix}:lease:${key}`;
      const token = randomUUID();
      if ((await this.#redis.set(lease, token, "PX", LEASE_MS, "NX")) !== "OK") {
        if (options.skipWhenTaken) return;
        this.#observer.finished?.(queue, "requeued");
        await job.moveToDelayed(Date.now() + 50 + Math.floor(Math.random() * 100), job.token);
        throw new DelayedError();
      }
      const renew = setInterval(() => void this.#redis.eval(RENEW, 1, lease, token, String(LEASE_MS)).catch(() => undefined), LEASE_MS / 3);
      try {
        await this.#observed(job, queue, latenessMs, fn);
      } finally {
        clearInterval(renew);
        await this.#redis.eval(RELEASE, 1, lease, token).catch(() => undefined);
      }
    };
    await this.#chains.run(key, body);
  }

  async #observed(job: Job, queue: QueueName, latenessMs: number, fn: () => Promise<unknown>): Promise<void> {
    if (job.attemptsMade === 0) this.#observer.started?.(queue, latenessMs);
    try {
      await fn();
      this.#observer.finished?.(queue, "done");
    } catch (error) {
      this.#observer.finished?.(queue, "failed");
      throw error;
    }
  }

  async enqueueDelivery(delivery: Delivery): Promise<EnqueueResult> {
    if (!(await this.store.setOnce(`seen:${delivery.id}`, "1", SEEN_TTL_MS))) return { accepted: false };
    try {
      await this.#queues.deliveries.add(delivery.name, delivery, {
        jobId: delivery.id.replaceAll(":", "_"),
        attempts: 5,
        backoff: { type: "exponential", delay: 1000 },
        removeOnComplete: { age: 3600, count: 1000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
    } catch (error) {
      await this.store.delete(`seen:${delivery.id}`).catch(() => undefined);
      throw error;
    }
    return { accepted: true };
  }

  async schedule(timer: Timer): Promise<boolean> {
    if (this.options.timers === false) return false;
    const id = timerId(timer);
    const q = this.#queues.timers;
    const existing = await q.getJob(id);
    if (existing) {
      const state = await existing.getState();
      if (state !== "completed" && state !== "failed" && state !== "unknown") return false;
      await existing.remove().catch(() => undefined);
    }
    await q.add("timer", timer, { jobId: id, delay: Math.max(0, timer.dueAt - this.clock.now().getTime()), attempts: 5, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: true, removeOnFail: { age: 24 * 3600 } });
    return true;
  }

  async scheduled(): Promise<number> {
    const c = await this.#queues.timers.getJobCounts("waiting", "delayed", "prioritized");
    return (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
  }

  async stats(): Promise<Record<QueueName, EngineStats>> {
    const one = async (q: Queue): Promise<EngineStats> => {
      const c = await q.getJobCounts("waiting", "active", "delayed", "failed", "prioritized");
      return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
    };
    const [deliveries, timers, periodic] = await Promise.all([one(this.#queues.deliveries), one(this.#queues.timers), one(this.#queues.periodic)]);
    return { deliveries, timers, periodic };
  }

  async idle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await this.#queues.deliveries.getJobCounts("waiting", "active", "delayed", "prioritized");
      if ((c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) === 0) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#workers.map((w) => w.close()));
    await Promise.allSettled(Object.values(this.#queues).map((q) => q.close()));
    await this.#redis.quit().catch(() => undefined);
  }
}
