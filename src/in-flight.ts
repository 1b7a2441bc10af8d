import type { Probot } from "probot";
import { IdleWaiters } from "./idle-waiters.js";

/**
 * Counts event handlers that are running, so the end-to-end tests and the demo can wait until the
 * server has finished with every delivery, including one Probot already answered with
 * 202 "still processing" (it answers after 9 s and lets the handlers go on). Installed only in
 * test/demo mode, before any handler is registered: it wraps `app.on` and `app.onAny`.
 */
export class InFlight {
  #running = 0;
  readonly #idle = new IdleWaiters();

  get running(): number {
    return this.#running;
  }

  wrap<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      this.#running++;
      try {
        return await fn(...args);
      } finally {
        this.#running--;
        if (this.#running === 0) this.#idle.settle();
      }
    };
  }

  /** Resolves true once nothing runs (at once if nothing does), false after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean> {
    return this.#idle.wait(this.#running === 0, timeoutMs);
  }

  /** Wraps every handler registered on `app` from now on. */
  install(app: Probot): void {
    const on = app.on.bind(app);
    const onAny = app.onAny.bind(app);
    app.on = ((event: Parameters<Probot["on"]>[0], handler: (...args: unknown[]) => unknown) => on(event, this.wrap(handler) as never)) as Probot["on"];
    app.onAny = ((handler: (...args: unknown[]) => unknown) => onAny(this.wrap(handler) as never)) as Probot["onAny"];
  }
}
