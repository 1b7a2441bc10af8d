/**
 * Promises waiting for something to go quiet (nothing running, nothing queued): the owner calls
 * `settle()` once it is quiet; a waiter resolves true then, or false after its timeout. An owner
 * that can tell nothing will happen before a waiter's deadline calls `release` to answer false
 * early.
 */
export class IdleWaiters {
  #waiters: { deadline: number; done: (idle: boolean) => void }[] = [];

  /** Resolves true at once when `quiet`, else at the next `settle()`, or false after `timeoutMs`. */
  wait(quiet: boolean, timeoutMs: number): Promise<boolean> {
    if (quiet) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        deadline: Date.now() + timeoutMs,
        done: (idle: boolean) => {
          clearTimeout(timer);
          resolve(idle);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** It is quiet now: every waiter resolves true. */
  settle(): void {
    for (const w of this.#waiters.splice(0)) w.done(true);
  }

  /** Waiters whose deadline (ms since the epoch) `nothingBefore` says nothing happens by resolve false now. */
  release(nothingBefore: (deadline: number) => boolean): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (!nothingBefore(w.deadline)) return true;
      w.done(false);
      return false;
    });
  }
}
