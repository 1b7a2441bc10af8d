import type { RepoRef } from "../github/client.js";
import { IdleWaiters } from "../idle-waiters.js";

/** Deliveries of one incident to attempt: the ids of its outbox (`s1.1@pager-secondary`). */
export interface DeliveryJob {
  repo: RepoRef;
  issue: number;
  ids: string[];
}

/**
 * Where sends wait and run, away from the GitHub writes that recorded them. The default runs them
 * in this process (timers for retries). An engine can back it with durable delayed jobs (the job is
 * plain data; `run` reads the incident's record from GitHub, sends what is still to send and records
 * the outcome there), so nothing depends on this process staying up: what is not recorded as sent
 * is found again by the next event or sweep (see src/core/notify/outbox.ts).
 */
export interface DeliveryQueue {
  /** Run `job` after `delayMs` (0: now), in the background. */
  enqueue(job: DeliveryJob, delayMs: number, run: (job: DeliveryJob) => Promise<void>): void;
  /** Resolves true once nothing waits or runs, false after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean>;
  /** Jobs waiting or running. */
  readonly size: number;
}

/** The in-process queue: a timer per job (unref'd: it never keeps a process alive by itself). */
export class InProcessQueue implements DeliveryQueue {
  #waiting = 0;
  #running = 0;
  readonly #idle = new IdleWaiters();

  get size(): number {
    return this.#waiting + this.#running;
  }

  enqueue(job: DeliveryJob, delayMs: number, run: (job: DeliveryJob) => Promise<void>): void {
    this.#waiting++;
    const timer = setTimeout(() => {
      this.#waiting--;
      this.#running++;
      void run(job)
        .catch(() => undefined)
        .finally(() => {
          this.#running--;
          this.#settle();
        });
    }, Math.max(0, delayMs));
    timer.unref?.();
  }

  #settle(): void {
    if (this.size === 0) this.#idle.settle();
  }

  idle(timeoutMs: number): Promise<boolean> {
    return this.#idle.wait(this.size === 0, timeoutMs);
  }
}
