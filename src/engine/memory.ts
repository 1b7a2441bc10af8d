/**
 * The embedded engine: one process, no datastore. Deliveries run as soon as they arrive and the
 * webhook is answered when they are done (a crash then leaves GitHub with a failed delivery, which
 * the redelivery job redelivers); one at a time per issue or pull request; a delivery id seen
 * before is dropped while remembered (forgotten when its handlers failed, so a redelivery runs).
 * Timers follow the injected clock: a ticker fires each one once the clock reaches its instant
 * (so the test/demo clock file moves them too), retried with backoff when they fail.
 */
import type { Clock } from "../clock.js";
import { IdleWaiters } from "../idle-waiters.js";
import { maybeRetry } from "../github/writes/retry.js";
import { KeyChains } from "./chain.js";
import { deliveryKey, timerKey } from "./keys.js";
import { timerId, type Delivery, type Engine, type EngineHandlers, type EngineStats, type EngineStore, type EnqueueResult, type JobObserver, type PeriodicJob, type Timer } from "./types.js";

const SEEN_MAX = 20_000;
const TIMER_ATTEMPTS = 5;

class MemoryStore implements EngineStore {
  readonly #values = new Map<string, { value: string; until: number }>();
  readonly #hashes = new Map<string, Map<string, string>>();
  #live(key: string): string | undefined {
    const v = this.#values.get(key);
    if (!v) return undefined;
    if (v.until <= Date.now()) {
      this.#values.delete(key);
      return undefined;
    }
    return v.value;
  }
  async setOnce(key: string, value: string, ttlMs?: number): Promise<boolean> {
    if (this.#live(key) !== undefined) return false;
    await this.set(key, value, ttlMs);
    return true;
  }
  async get(key: string): Promise<string | undefined> {
    return this.#live(key);
  }
  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.#values.set(key, { value, until: ttlMs ? Date.now() + ttlMs : Infinity });
    if (this.#values.size > SEEN_MAX) this.#values.delete(this.#values.keys().next().value as string);
  }
  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }
  async hset(key: string, field: string, value: string): Promise<void> {
    let h = this.#hashes.get(key);
    if (!h) this.#hashes.set(key, (h = new Map()));
    h.set(field, value);
  }
  async hgetall(key: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.#hashes.get(key) ?? []);
  }
}

interface PendingTimer {
  id: string;
  timer: Timer;
  attempts: number;
  /** When to try (the injected clock's ms): the due instant, later after a failure. */
  at: number;
}

const empty = (): EngineStats => ({ waiting: 0, active: 0, delayed: 0, failed: 0 });

export class MemoryEngine implements Engine {
  readonly mode = "embedded" as const;
  readonly durable = false;
  readonly store: EngineStore = new MemoryStore();
  readonly #chains = new KeyChains();
  readonly #seen = new Set<string>();
  /** Deliveries that failed here: GitHub's redelivery of one runs as a retry (it looks before it writes). */
  readonly #failed = new Set<string>();
  readonly #timers = new Map<string, PendingTimer>();
  readonly #intervals: NodeJS.Timeout[] = [];
  readonly #stats = { deliveries: empty(), timers: empty(), periodic: empty() };
  #handlers: EngineHandlers | undefined;
  #ticker: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #idle = new IdleWaiters();

  constructor(
    private readonly clock: Clock,
    private readonly observer: JobObserver = {},
    private readonly options: { tickMs?: number; timers?: boolean } = {},
  ) {}

  async start(handlers: EngineHandlers, periodic: PeriodicJob[]): Promise<void> {
    this.#handlers = handlers;
    for (const job of periodic) {
      let running = false;
      const run = async () => {
        if (running || this.#closed) return; // one at a time: a pass that overruns delays the next
        running = true;
        this.#stats.periodic.active++;
        try {
          await handlers.periodic(job.name);
          this.observer.finished?.("periodic", "done");
        } catch {
          this.#stats.periodic.failed++;
          this.observer.finished?.("periodic", "failed");
        } finally {
          running = false;
          this.#stats.periodic.active--;
        }
      };
      const first = setTimeout(() => {
        void run();
        const every = setInterval(() => void run(), job.everyMs);
        every.unref();
        this.#intervals.push(every);
      }, job.firstAfterMs ?? job.everyMs);
      first.unref();
      this.#intervals.push(first);
    }
    this.#arm();
  }

  async enqueueDelivery(delivery: Delivery): Promise<EnqueueResult> {
    if (this.#seen.has(delivery.id)) return { accepted: false };
    this.#seen.add(delivery.id);
    if (this.#seen.size > SEEN_MAX) this.#seen.delete(this.#seen.values().next().value as string);
    const handlers = this.#handlers;
    if (!handlers) throw new Error("the engine is not started");
    const s = this.#stats.deliveries;
    s.waiting++;
    const enqueued = Date.now();
    const retry = this.#failed.delete(delivery.id);
    const done = this.#chains.run(deliveryKey(delivery), async () => {
      s.waiting--;
      s.active++;
      this.observer.started?.("deliveries", Date.now() - enqueued);
      try {
        const result = await maybeRetry(retry, () => handlers.delivery(delivery));
        for (const t of result?.timers ?? []) await this.schedule(t);
        this.observer.finished?.("deliveries", "done");
      } catch (error) {
        s.failed++;
        this.#seen.delete(delivery.id); // a redelivery of a failed delivery runs again
        this.#failed.add(delivery.id);
        if (this.#failed.size > SEEN_MAX) this.#failed.delete(this.#failed.values().next().value as string);
        this.observer.finished?.("deliveries", "failed");
        throw error;
      } finally {
        s.active--;
        this.#maybeIdle();
      }
    });
    done.catch(() => undefined);
    return { accepted: true, done };
  }

  async schedule(timer: Timer): Promise<boolean> {
    if (this.options.timers === false || this.#closed) return false;
    const id = timerId(timer);
    if (this.#timers.has(id)) return false;
    this.#timers.set(id, { id, timer, attempts: 0, at: timer.dueAt });
    this.#arm();
    return true;
  }

  async scheduled(): Promise<number> {
    return this.#timers.size;
  }

  async stats(): Promise<Record<"deliveries" | "timers" | "periodic", EngineStats>> {
    const now = this.clock.now().getTime();
    let delayed = 0;
    let waiting = 0;
    for (const t of this.#timers.values()) {
      if (t.at > now) delayed++;
      else waiting++;
    }
    return { deliveries: { ...this.#stats.deliveries }, timers: { ...this.#stats.timers, delayed, waiting }, periodic: { ...this.#stats.periodic } };
  }

  idle(timeoutMs: number): Promise<boolean> {
    return this.#idle.wait(this.#noDeliveries(), timeoutMs);
  }

  #noDeliveries(): boolean {
    return this.#stats.deliveries.waiting + this.#stats.deliveries.active === 0;
  }

  #maybeIdle(): void {
    if (this.#noDeliveries()) this.#idle.settle();
  }

  /** The ticker: wakes at the next due instant (at most `tickMs` later, so a clock that jumps is noticed). */
  #arm(): void {
    if (this.#closed || !this.#handlers) return;
    if (this.#ticker) clearTimeout(this.#ticker);
    this.#ticker = undefined;
    if (this.#timers.size === 0) return;
    const now = this.clock.now().getTime();
    let next = Infinity;
    for (const t of this.#timers.values()) next = Math.min(next, t.at);
    const wait = Math.max(0, Math.min(next - now, this.options.tickMs ?? 1000));
    this.#ticker = setTimeout(() => this.#tick(), wait);
    this.#ticker.unref();
  }

  #tick(): void {
    this.#ticker = undefined;
    const now = this.clock.now().getTime();
    for (const t of [...this.#timers.values()]) {
      if (t.at > now || t.attempts < 0) continue;
      void this.#fire(t, now);
    }
    this.#arm();
  }

  async #fire(t: PendingTimer, now: number): Promise<void> {
    const handlers = this.#handlers!;
    const s = this.#stats.timers;
    t.attempts = -1 - t.attempts; // negative while running: not fired twice
    await this.#chains.run(timerKey(t.timer), async () => {
      s.active++;
      this.observer.started?.("timers", now - t.timer.dueAt);
      const attempt = -t.attempts; // 1-based
      try {
        this.#timers.delete(t.id); // a timer the job schedules for the same step is a new one
        const result = await maybeRetry(attempt > 1, () => handlers.timer(t.timer));
        for (const next of result?.timers ?? []) await this.schedule(next);
        this.observer.finished?.("timers", "done");
      } catch {
        if (attempt < TIMER_ATTEMPTS && !this.#timers.has(t.id)) {
          this.#timers.set(t.id, { ...t, attempts: attempt, at: this.clock.now().getTime() + 1000 * 2 ** (attempt - 1) });
          this.observer.finished?.("timers", "requeued");
        } else {
          s.failed++;
          this.observer.finished?.("timers", "failed");
        }
      } finally {
        s.active--;
      }
    });
    this.#arm();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#ticker) clearTimeout(this.#ticker);
    for (const i of this.#intervals) clearTimeout(i);
  }
}
