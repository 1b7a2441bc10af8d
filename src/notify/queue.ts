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
  /**
   * Resolves true once nothing waits or runs; false after `timeoutMs`, or as soon as nothing runs
   * and nothing waiting is due within it.
   */
  idle(timeoutMs: number): Promise<boolean>;
  /** Jobs waiting or running. */
  readonly size: number;
}

/** The in-process queue: a timer per job (unref'd: it never keeps a process alive by itself). */
export class InProcessQueue implements DeliveryQueue {
  /** When each waiting job is due (ms since the epoch: the timers' own clock). */
  readonly #due = new Map<number, number>();
  #next = 0;
  #running = 0;
  readonly #idle = new IdleWaiters();

  get size(): number {
    return this.#due.size + this.#running;
  }

  enqueue(job: DeliveryJob, delayMs: number, run: (job: DeliveryJob) => Promise<void>): void {
    const id = this.#next++;
    const delay = Math.max(0, delayMs);
    this.#due.set(id, Date.now() + delay);
    const timer = setTimeout(() => {
      this.#due.delete(id);
      this.#running++;
      void run(job)
        .catch(() => undefined)
        .finally(() => {
          this.#running--;
          this.#settle();
        });
    }, delay);
    timer.unref?.();
  }

  /** Nothing runs, and nothing waiting is due by `deadline`: waiting longer would change nothing. */
  #quietUntil(deadline: number): boolean {
    return this.#running === 0 && [...this.#due.values()].every((due) => due > deadline);
  }

  #settle(): void {
    if (this.size === 0) this.#idle.settle();
    else this.#idle.release((deadline) => this.#quietUntil(deadline));
  }

  /**
   * True once nothing waits or runs. False as soon as nothing runs and every job still waiting is
   * due after `timeoutMs` (a retry scheduled beyond it): a caller that stops waiting then (a
   * GitHub Actions run) leaves that retry recorded for the next run, as it would at the timeout.
   */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.size > 0 && this.#quietUntil(Date.now() + timeoutMs)) return Promise.resolve(false);
    return this.#idle.wait(this.size === 0, timeoutMs);
  }
}
