/**
 * Per-key async lock: work on one incident runs one at a time within this process, so a sweep
 * and a webhook (or two sweeps) never both page the same step. Across processes there is no lock:
 * see docs/incidents.md ("Running more than one Charter").
 */
const tails = new Map<string, Promise<unknown>>();

export async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(fn);
  tails.set(key, run);
  try {
    return await run;
  } finally {
    if (tails.get(key) === run) tails.delete(key);
  }
}
