/**
 * A job the engine runs again after a failure (a BullMQ retry, a timer's next attempt, GitHub's
 * redelivery of a delivery that failed here): its creates may already exist, so inside it every
 * keyed create looks for its key before writing (src/github/writes/create.ts). A first attempt
 * looks for nothing.
 */
import { AsyncLocalStorage } from "node:async_hooks";

const retrying = new AsyncLocalStorage<boolean>();

/** Run `work` as the retry of a job that failed. */
export function asRetry<T>(work: () => Promise<T>): Promise<T> {
  return retrying.run(true, work);
}

/** Whether the current job is a retry. */
export function inRetry(): boolean {
  return retrying.getStore() === true;
}

/** Run `work` as a retry when `retry` says so. */
export function maybeRetry<T>(retry: boolean, work: () => Promise<T>): Promise<T> {
  return retry ? asRetry(work) : work();
}
