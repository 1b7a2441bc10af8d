/**
 * How Charter's Octokit talks to GitHub when GitHub misbehaves: one bounded retry policy, applied
 * to every request the app makes (server and Actions entry points pass `charterOctokit()` as
 * Probot's `Octokit` option).
 *
 * Probot's defaults retry rate limits without a cap (its throttling handlers answer "retry" to
 * every secondary rate limit, whatever the `retry-after`) and @octokit/plugin-retry retries 409,
 * 429 and 5xx three times, POSTs included, so a comment whose response was lost is posted again.
 * Here instead, in one place:
 *
 * - 403/429 secondary rate limits and exhausted primary limits: retried at most `retries` times,
 *   and only when GitHub asks to wait at most `maxRetryAfterSeconds` (`retry-after`, or the
 *   primary limit's reset); the request was not processed, so any method may be retried.
 * - 5xx answers, network errors and attempts that exceed `requestTimeoutMs`: retried at most
 *   `retries` times with a short backoff, but only for requests that are safe to repeat (GET,
 *   HEAD, PUT, PATCH, DELETE, and POSTs whose repeat creates nothing new that a person would see:
 *   reactions, labels (on issues and of the repository), assignees, requested reviewers, refs, check
 *   runs, installation tokens). A comment or a check run is not
 *   re-POSTed after an unknown outcome: the event fails, and the reconcile sweep (level-triggered,
 *   it recomputes from GitHub what is missing) finishes the work without duplicating it.
 * - everything else (4xx, including 409 on contents writes, which the state writer handles by
 *   re-reading) is not retried here.
 *
 * Octokit's throttling plugin stays on outside test/demo mode for its write spacing (GitHub asks
 * integrators to space content-creating requests), on prompt limiters (octokit-throttle.ts: the
 * same limits without ~11 ms of idle timers per request); its own retry handlers are off, so
 * retries are counted in one place. @octokit/plugin-retry is off.
 */
import { ProbotOctokit } from "probot";
import { promptThrottleOptions } from "./octokit-throttle.js";

export interface RetryPolicy {
  /** Retries after the first attempt (so at most retries + 1 attempts per request). */
  retries: number;
  /** Wait at most this long for a rate limit; a longer `retry-after` fails the request at once. */
  maxRetryAfterSeconds: number;
  /** Abort an attempt that takes longer than this (0: no timeout). */
  requestTimeoutMs: number;
  /** Backoff before retry n (1-based) of a 5xx, network error or timeout. */
  backoffMs: (retry: number) => number;
  /** Multiply every wait (rate limits and backoff) by this; tests use a small factor. */
  waitScale: number;
  /** Told about each retry (logs, tests). */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  /** Numbers each logical request (one call of octokit.request, or one page of paginate) per Octokit class. */
  operation: number;
  method: string;
  url: string;
  /** 1 for the first retry. */
  retry: number;
  reason: RetryReason;
  status: number | undefined;
  waitMs: number;
}

export type RetryReason = "secondary-rate-limit" | "rate-limit" | "server-error" | "timeout" | "network";

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 2,
  maxRetryAfterSeconds: 60,
  requestTimeoutMs: 10_000,
  backoffMs: (retry) => 500 * 2 ** (retry - 1),
  waitScale: 1,
};

/** What failed, as far as the retry decision needs to know. */
export interface FailedAttempt {
  method: string;
  /** Path (or URL) of the request, e.g. `/repos/o/r/issues/comments/1/reactions`. */
  url: string;
  /** HTTP status, or undefined when no response came back (network error, timeout). */
  status: number | undefined;
  headers: Record<string, string | undefined>;
  message: string;
  timedOut: boolean;
  /** Epoch ms now (for `x-ratelimit-reset`). */
  now: number;
}

export type RetryDecision = { retry: false; why: string } | { retry: true; reason: RetryReason; waitMs: number };

/**
 * POSTs whose repeat creates nothing new a person would see. Matched against the path, which is
 * either expanded (`/repos/o/r/issues/7/labels`) or Octokit's route template (`…/{issue_number}/labels`).
 */
const IDEMPOTENT_POSTS: RegExp[] = [
  /\/app\/installations\/[^/]+\/access_tokens$/,
  /\/reactions$/, // an existing reaction is answered 200
  /\/issues\/[^/]+\/labels$/,
  /\/issues\/[^/]+\/assignees$/,
  /^(?:\/api\/v3)?\/repos\/[^/]+\/[^/]+\/labels$/, // creating a repository label: a repeat is 422 already_exists
  /\/pulls\/[^/]+\/requested_reviewers$/,
  /\/git\/refs$/, // a repeat is 422 "Reference already exists", which callers treat as done
  // not check runs: a repeat is a second run; the write layer looks for Charter's own first (src/github/writes/create.ts)
];

const CONTENTS_WRITE = /\/repos\/[^/]+\/[^/]+\/contents\//;

/** Whether repeating the request after an unknown outcome cannot create a second object. */
export function safeToRepeat(method: string, url: string): boolean {
  const m = method.toUpperCase();
  // A contents write repeated after it was applied fails on its stale sha, and the writer would take
  // its own commit for someone else's: the state writer settles it by reading the file back.
  if (m === "PUT" && CONTENTS_WRITE.test(pathOf(url))) return false;
  if (m === "GET" || m === "HEAD" || m === "PUT" || m === "PATCH" || m === "DELETE") return true;
  if (m !== "POST") return false;
  const path = pathOf(url);
  return IDEMPOTENT_POSTS.some((re) => re.test(path));
}

function pathOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url, "http://github.invalid").pathname);
  } catch {
    return url.split("?")[0] ?? url;
  }
}

/** The retry policy as a pure function: should attempt `retry` (1-based) happen, and after how long? */
export function retryDecision(failure: FailedAttempt, retry: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetryDecision {
  if (retry > policy.retries) return { retry: false, why: `gave up after ${policy.retries} retries` };
  const { status, headers } = failure;
  if (status === 403 || status === 429) {
    const retryAfter = Number(headers["retry-after"]);
    const secondary = /secondary rate/i.test(failure.message) || (Number.isFinite(retryAfter) && headers["retry-after"] !== undefined);
    const primary = headers["x-ratelimit-remaining"] === "0";
    if (!secondary && !primary) return { retry: false, why: `${status} is not a rate limit` };
    let seconds: number;
    if (Number.isFinite(retryAfter) && headers["retry-after"] !== undefined) seconds = retryAfter;
    else if (primary && headers["x-ratelimit-reset"] !== undefined) seconds = Math.max(0, Math.ceil((Number(headers["x-ratelimit-reset"]) * 1000 - failure.now) / 1000) + 1);
    else seconds = 60; // GitHub: without retry-after, wait at least one minute
    if (!(seconds <= policy.maxRetryAfterSeconds)) return { retry: false, why: `GitHub asks to wait ${seconds}s, more than ${policy.maxRetryAfterSeconds}s` };
    return { retry: true, reason: secondary ? "secondary-rate-limit" : "rate-limit", waitMs: seconds * 1000 * policy.waitScale };
  }
  const unknownOutcome = failure.timedOut || status === undefined || status >= 500;
  if (!unknownOutcome) return { retry: false, why: `${status} is not retried` };
  if (!safeToRepeat(failure.method, failure.url)) return { retry: false, why: `${failure.method} ${pathOf(failure.url)} may have been applied; the sweep finishes it` };
  const reason: RetryReason = failure.timedOut ? "timeout" : status === undefined ? "network" : "server-error";
  return { retry: true, reason, waitMs: policy.backoffMs(retry) * policy.waitScale };
}

interface RequestErrorLike {
  status?: number;
  message?: string;
  name?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

interface EndpointOptions {
  method: string;
  url: string;
  request?: { signal?: AbortSignal; [key: string]: unknown };
  [key: string]: unknown;
}

interface HookHost {
  hook: { wrap(name: "request", wrapper: (request: (options: EndpointOptions) => Promise<unknown>, options: EndpointOptions) => Promise<unknown>): void };
}

/** Thrown for an attempt abandoned after `requestTimeoutMs`. */
export class RequestTimeoutError extends Error {
  readonly status = undefined;
  constructor(readonly method: string, readonly url: string, readonly timeoutMs: number) {
    super(`${method} ${url}: no answer from GitHub within ${timeoutMs} ms`);
    this.name = "RequestTimeoutError";
  }
}

/**
 * One attempt, abandoned after `timeoutMs`: the fetch is aborted, and the attempt is raced against
 * the timer too, so the timeout holds even where a fetch implementation ignores its signal. An
 * abandoned attempt's late outcome is ignored.
 */
async function attemptWithTimeout<T>(run: (signal: AbortSignal | undefined) => Promise<T>, timeoutMs: number, callerSignal: AbortSignal | undefined, what: { method: string; url: string }): Promise<T> {
  if (!(timeoutMs > 0)) return run(callerSignal);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Built only when it happens: an Error's stack costs more than the rest of an attempt's bookkeeping.
      const timeoutError = new RequestTimeoutError(what.method, what.url, timeoutMs);
      controller.abort(timeoutError);
      reject(timeoutError);
    }, timeoutMs);
  });
  const signal = callerSignal ? AbortSignal.any([controller.signal, callerSignal]) : controller.signal;
  const attempt = run(signal);
  attempt.catch(() => undefined); // the loser of the race must not become an unhandled rejection
  try {
    return await Promise.race([attempt, expired]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The Octokit plugin that applies `policy` around every request (outermost, so it sees the final outcome of each attempt). */
export function boundedRetryPlugin(policy: RetryPolicy): (octokit: HookHost) => void {
  let operations = 0;
  return (octokit) => {
    octokit.hook.wrap("request", async (request, options) => {
      const operation = ++operations;
      for (let retry = 1; ; retry++) {
        const callerSignal = options.request?.signal;
        try {
          return await attemptWithTimeout((signal) => request({ ...options, request: { ...options.request, ...(signal ? { signal } : {}) } }), policy.requestTimeoutMs, callerSignal, options);
        } catch (error) {
          if (callerSignal?.aborted) throw error;
          const e = error as RequestErrorLike;
          const timedOut = error instanceof RequestTimeoutError || (e as { cause?: unknown }).cause instanceof RequestTimeoutError;
          const hasResponse = e.response !== undefined;
          if (hasResponse && e.status !== undefined && e.status < 400) throw error; // 304 and friends
          const failure: FailedAttempt = {
            method: options.method,
            url: options.url,
            status: hasResponse ? e.status : undefined,
            headers: e.response?.headers ?? {},
            message: `${e.message ?? ""} ${JSON.stringify((e.response?.data as { message?: unknown } | undefined)?.message ?? "")}`,
            timedOut,
            now: Date.now(),
          };
          const decision = retryDecision(failure, retry, policy);
          if (!decision.retry) throw error;
          policy.onRetry?.({ operation, method: options.method, url: options.url, retry, reason: decision.reason, status: failure.status, waitMs: decision.waitMs });
          await sleep(decision.waitMs);
        }
      }
    });
  };
}

export interface CharterOctokitOptions {
  /**
   * Octokit's write spacing (its throttling plugin: one write a second, one notification-creating
   * write every three): on for github.com; test/demo mode against the local emulator turns it off.
   */
  writeSpacing?: boolean;
  /** The throttling plugin on prompt limiters (octokit-throttle.ts; default). `false`: its own, for the bench's before/after. */
  promptQueue?: boolean;
  policy?: Partial<RetryPolicy>;
}

/**
 * The Octokit class to give Probot (`new Probot({ Octokit })`, `run(app, { Octokit })`): Probot's
 * own, with the bounded retry policy above and its unbounded retries off.
 */
export function charterOctokit(options: CharterOctokitOptions = {}): typeof ProbotOctokit {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const writeSpacing = options.writeSpacing ?? true;
  const withPolicy = ProbotOctokit.plugin(boundedRetryPlugin(policy) as unknown as Parameters<typeof ProbotOctokit.plugin>[0]);
  return withPolicy.defaults((instance: Record<string, unknown>) => ({
    ...instance,
    retry: { enabled: false },
    throttle: {
      ...(instance.throttle as Record<string, unknown> | undefined),
      // The same limits without Bottleneck's idle timers (octokit-throttle.ts).
      ...(writeSpacing && options.promptQueue !== false ? promptThrottleOptions(instance.throttle as Record<string, unknown> | undefined) : {}),
      enabled: writeSpacing,
      // The plugin above decides: the throttling plugin never retries by itself.
      onRateLimit: () => false,
      onSecondaryRateLimit: () => false,
    },
  })) as unknown as typeof ProbotOctokit;
}
