/**
 * Promises waiting for something to go quiet (nothing running, nothing queued): the owner calls
 * `settle()` once it is quiet; a waiter resolves true then, or false after its timeout.
 */
export class IdleWaiters {
  #waiters: (() => void)[] = [];

  /** Resolves true at once when `quiet`, else at the next `settle()`, or false after `timeoutMs`. */
  wait(quiet: boolean, timeoutMs: number): Promise<boolean> {
    if (quiet) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      this.#waiters.push(done);
    });
  }

  /** It is quiet now: every waiter resolves true. */
  settle(): void {
    for (const w of this.#waiters.splice(0)) w();
  }
}
