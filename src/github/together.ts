/**
 * Independent requests issued together, as `Promise.all`, except that it waits for every one
 * before it answers: a handler never returns (or fails) while one of its writes is still in
 * flight. Throws the first failure (in argument order) once all have settled.
 */
export async function together<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> | T[K] }): Promise<T> {
  const settled = await Promise.allSettled(promises as readonly unknown[]);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
