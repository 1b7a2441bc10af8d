import { systemClock, type Clock } from "../clock.js";
import { parseDuration } from "../core/duration.js";
import type { AttemptOutcome } from "../core/notify/outbox.js";
import { DEFAULT_RETRY, type RetryPolicy } from "../core/notify/retry.js";
import type { RepoRef } from "../github/client.js";
import { onceUntilFailure } from "../once.js";
import { InProcessQueue, type DeliveryJob, type DeliveryQueue } from "./queue.js";
// the senders (and their message formats) load with the first message sent, not at start-up
import type * as SendersModule from "./senders.js";
import type { Env, SendInput, Sender } from "./senders.js";

/** The senders and their libraries, imported with the first send (once, not on every send). */
const sendersModule = onceUntilFailure(() => import("./senders.js"));

export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

export interface NotifierOptions {
  /** Where secrets are read from (the server's environment). */
  env: Env;
  /** Charter's clock: the instants recorded in GitHub. */
  clock: Clock;
  /** The real time, for what receivers check against their own clocks (a signed webhook's timestamp). Default: the system clock. */
  wallClock?: Clock;
  queue?: DeliveryQueue;
  retry?: RetryPolicy;
  timeoutMs?: number;
  senders?: Record<SendInput["channel"]["kind"], Sender>;
  fetch?: typeof fetch;
}

/**
 * Sends messages to channels outside GitHub for this process: what is being sent now (so a
 * second trigger does not send it again), the retry policy, the per-attempt timeout, the queue
 * sends wait in. What was sent is recorded in GitHub by the callers (src/github/outbox.ts).
 */
export class Notifier {
  readonly env: Env;
  readonly clock: Clock;
  readonly wallClock: Clock;
  readonly queue: DeliveryQueue;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly #senders: Record<SendInput["channel"]["kind"], Sender> | undefined;
  readonly #fetch: typeof fetch | undefined;
  readonly #claimed = new Set<string>();

  constructor(options: NotifierOptions) {
    this.env = options.env;
    this.clock = options.clock;
    this.wallClock = options.wallClock ?? systemClock;
    this.queue = options.queue ?? new InProcessQueue();
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
    this.#senders = options.senders;
    this.#fetch = options.fetch;
  }

  static #key(repo: RepoRef, issue: number, id: string): string {
    return `${repo.owner}/${repo.repo}#${issue}/${id}`.toLowerCase();
  }

  /** Deliveries of this incident this process is sending, or will retry. */
  inFlight(repo: RepoRef, issue: number): Set<string> {
    const prefix = `${repo.owner}/${repo.repo}#${issue}/`.toLowerCase();
    const out = new Set<string>();
    for (const k of this.#claimed) if (k.startsWith(prefix)) out.add(k.slice(prefix.length));
    return out;
  }

  /** Mark deliveries as this process's (before anything else can look at them). */
  claim(repo: RepoRef, issue: number, ids: readonly string[]): void {
    for (const id of ids) this.#claimed.add(Notifier.#key(repo, issue, id.toLowerCase()));
  }

  release(repo: RepoRef, issue: number, ids: readonly string[]): void {
    for (const id of ids) this.#claimed.delete(Notifier.#key(repo, issue, id.toLowerCase()));
  }

  /** Claim `job`'s deliveries and run `run` for them after `delayMs`, in the background. */
  dispatch(job: DeliveryJob, delayMs: number, run: (job: DeliveryJob) => Promise<void>): void {
    if (job.ids.length === 0) return;
    this.claim(job.repo, job.issue, job.ids);
    this.queue.enqueue(job, delayMs, run);
  }

  /** One attempt to one channel. Never throws. */
  async send(input: Omit<SendInput, "now">): Promise<AttemptOutcome> {
    const now = this.wallClock.now();
    let senders: typeof SendersModule;
    try {
      senders = await sendersModule();
    } catch {
      return { ok: false, error: "could not load Charter's senders", retryable: true };
    }
    return senders.send({ ...input, now }, { env: this.env, timeoutMs: this.timeoutMs, ...(this.#fetch ? { fetch: this.#fetch } : {}) }, this.#senders ?? senders.SENDERS);
  }

  /** Resolves once nothing is waiting or being sent (tests; GitHub Actions before the run ends), false after `timeoutMs`. */
  idle(timeoutMs = 60_000): Promise<boolean> {
    return this.queue.idle(timeoutMs);
  }
}

/**
 * The retry delays and the attempt timeout from the environment:
 * `CHARTER_NOTIFY_RETRY` (`10s,30s,2m,5m`: the delay before each retry; `none` for no retries) and
 * `CHARTER_NOTIFY_TIMEOUT` (`10s`). Bad values are said in `warn` and the defaults used.
 */
export function notifyPolicyFromEnv(env: Env, warn: (message: string) => void = () => {}): { retry: RetryPolicy; timeoutMs: number } {
  let retry = DEFAULT_RETRY;
  const raw = env.CHARTER_NOTIFY_RETRY?.trim();
  if (raw) {
    if (raw === "none" || raw === "0") retry = { delaysMs: [] };
    else {
      const delays = raw.split(",").map((x) => parseDuration(x.trim()));
      if (delays.every((d): d is number => d !== undefined && d > 0) && delays.length <= 20) retry = { delaysMs: delays };
      else warn(`CHARTER_NOTIFY_RETRY="${raw.slice(0, 100)}" is not a list of delays such as 10s,30s,2m,5m; using ${DEFAULT_RETRY.delaysMs.map((d) => `${d / 1000}s`).join(",")}`);
    }
  }
  let timeoutMs = DEFAULT_SEND_TIMEOUT_MS;
  const t = env.CHARTER_NOTIFY_TIMEOUT?.trim();
  if (t) {
    const ms = parseDuration(t);
    if (ms !== undefined && ms > 0) timeoutMs = ms;
    else warn(`CHARTER_NOTIFY_TIMEOUT="${t.slice(0, 100)}" is not a duration such as 10s; using ${DEFAULT_SEND_TIMEOUT_MS / 1000}s`);
  }
  return { retry, timeoutMs };
}

/** The notifier of a process, configured from its environment. */
export function notifierFromEnv(env: Env, clock: Clock, warn?: (message: string) => void): Notifier {
  return new Notifier({ env, clock, ...notifyPolicyFromEnv(env, warn) });
}
