/**
 * What became of a write that failed: GitHub said it did not do it (a 4xx: not applied), or nobody
 * knows (a 5xx, a timeout, a connection lost: GitHub may have applied it).
 */
import { httpStatus } from "../client.js";
import { RequestTimeoutError } from "../octokit-options.js";

export type FailedWrite = "not-applied" | "unknown";

/** Whether a failed write may have been applied by GitHub. */
export function failedWrite(error: unknown): FailedWrite {
  if (error instanceof UnknownOutcomeError || error instanceof RequestTimeoutError) return "unknown";
  if ((error as { cause?: unknown } | null)?.cause instanceof RequestTimeoutError) return "unknown";
  const status = httpStatus(error);
  if (status === undefined || status >= 500) return "unknown";
  return "not-applied";
}

/** Whether an error left a write's outcome unknown: the work may be half done, a retry of the job must finish it. */
export function isUnknownOutcome(error: unknown): boolean {
  if (error instanceof UnknownOutcomeError || error instanceof RequestTimeoutError) return true;
  const status = httpStatus(error);
  if (status !== undefined) return status >= 500;
  // an Octokit error without a status (no answer at all); anything else is not GitHub's doing
  const name = (error as { name?: unknown } | null)?.name;
  return name === "HttpError" || name === "RequestError" || name === "AbortError" || (error as { cause?: unknown } | null)?.cause instanceof RequestTimeoutError;
}

/**
 * A create whose outcome is still unknown after Charter looked for it: GitHub may apply it later
 * (a timed-out write still in flight). The job fails so the engine retries it; the retry looks for
 * the object again before writing (src/github/writes/create.ts).
 */
export class UnknownOutcomeError extends Error {
  readonly status = undefined;
  constructor(
    readonly what: string,
    readonly key: string,
    override readonly cause: unknown,
  ) {
    super(`${what}: GitHub did not say whether it was created (key ${key}); not written again until Charter finds out`);
    this.name = "UnknownOutcomeError";
  }
}
