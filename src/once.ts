/**
 * `run` once, its promise shared by every caller while it is pending and after it resolves; a
 * rejection is forgotten, so the next call runs it again (a failed import or request is retried by
 * the next event, job or scrape, never cached as a failure).
 */
export function onceUntilFailure<T>(run: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= run().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
