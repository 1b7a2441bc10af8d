import { randomUUID } from "node:crypto";
import { checkWebhookDelivery } from "../support/openapi/webhook-guard.js";
import { signWebhook } from "./webhooks.js";

/**
 * Fault injection seam. `emulator.faults` is consulted once per valid request, before the route
 * handler runs. Return nothing to let the request through, or a Fault to delay it and/or answer
 * with a status of your choosing instead of the handler.
 *
 *   emulator.faults = ({ method, template, count }) =>
 *     method === "PUT" && template === "/repos/{owner}/{repo}/contents/{path}" && count === 1 ? { status: 409 } : undefined;
 */
export interface FaultContext {
  method: string; // upper case
  path: string;
  /** the query string with its `?` (or ""); optional so hand-written contexts need not set it */
  query?: string;
  template: string;
  operationId: string | undefined;
  /** 1 for the first request to this METHOD + template, 2 for the second, … */
  count: number;
  actor: string;
}

export interface Fault {
  /** answer with this status instead of running the handler */
  status?: number;
  /** response body for `status` (default: a GitHub-style `{ message }`) */
  body?: unknown;
  headers?: Record<string, string>;
  /** wait this long first (also applies when the handler then runs normally) */
  delayMs?: number;
  /**
   * Run the handler first (GitHub applied the request), then wait `delayMs` and/or answer
   * `status` instead of the handler's answer: the write happened, the caller cannot know it.
   */
  applied?: boolean;
}

export type FaultHook = (request: FaultContext) => Fault | undefined | void;

// ------------------------------------------------------------------------------------------------
// Seeded, random faults (issue 7). Everything below is built on the hook above and is deterministic
// for a given seed: the same seed and the same sequence of requests inject the same faults.
// ------------------------------------------------------------------------------------------------

/** A small, fast, seeded PRNG (mulberry32). Same seed, same sequence, on every platform. */
export class SeededRandom {
  #state: number;
  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** true with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[this.int(items.length)]!;
  }
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

export type InjectedFaultKind = "server-error" | "timeout" | "conflict" | "secondary-rate-limit" | "applied-server-error" | "applied-timeout";

export interface InjectedFault {
  kind: InjectedFaultKind;
  method: string;
  path: string;
  template: string;
  status?: number;
  delayMs?: number;
  retryAfter?: number;
}

export interface RandomFaultOptions {
  seed: number;
  /** Fraction of requests answered 500 or 502 (the handler does not run: nothing is applied). */
  serverErrors?: number;
  /**
   * Fraction of requests delayed by `timeoutDelayMs` before the handler runs (and is applied):
   * past the client's timeout, this is GitHub doing the work while the caller gave up.
   */
  timeouts?: number;
  timeoutDelayMs?: number;
  /**
   * Fraction of writes (POST, PUT, PATCH, DELETE) that GitHub applies and then answers 502: the
   * object exists, the caller is told the request failed (an unknown outcome).
   */
  appliedServerErrors?: number;
  /**
   * Fraction of writes that GitHub applies at once and whose answer is then held `timeoutDelayMs`:
   * past the client's timeout, the caller gives up on a write that already happened.
   */
  appliedTimeouts?: number;
  /** Fraction of contents writes (PUT/DELETE …/contents/{path}) answered 409 (a stale `sha`). */
  contentConflicts?: number;
  /** Fraction of requests answered 403 or 429 "secondary rate limit" with a `retry-after` header. */
  secondaryRateLimits?: number;
  /** The `retry-after` values (seconds) to choose from (default [1]). */
  retryAfterSeconds?: readonly number[];
  /** Requests that are never faulted (default: app authentication). */
  exempt?: (request: FaultContext) => boolean;
  /** At most this many faults in a row for the same METHOD + path (default 2): bounded retries of 2 then succeed. */
  maxConsecutive?: number;
}

export interface RandomFaults {
  hook: FaultHook;
  /** Every fault injected, in order. */
  readonly injected: InjectedFault[];
  /** Stop injecting (the hook lets everything through). */
  enabled: boolean;
}

const CONTENTS = "/repos/{owner}/{repo}/contents/{path}";

/** GitHub's words for a secondary rate limit: Octokit's throttling plugin recognises them. */
export const SECONDARY_RATE_LIMIT_MESSAGE = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";

const appAuth = (r: FaultContext): boolean => r.template.startsWith("/app");

const isWrite = (method: string): boolean => method === "POST" || method === "PUT" || method === "PATCH" || method === "DELETE";

/** FNV-1a, 32 bits: a stable hash of a request's identity. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A fault hook that injects, with the given probabilities, 500/502 answers, delays past the
 * client's timeout, 409 on content writes and 403/429 secondary rate limits with `retry-after`.
 *
 * Deterministic under concurrency: the draws for a request come from a PRNG seeded with the seed
 * and the request's identity (METHOD, path, query and how many times that exact request was seen),
 * not from one global sequence, so requests that race each other get the same faults on every run.
 * `maxConsecutive` bounds the faults in a row on one request, so a client that retries enough
 * eventually gets through.
 */
export function randomFaults(options: RandomFaultOptions): RandomFaults {
  const exempt = options.exempt ?? appAuth;
  const maxConsecutive = options.maxConsecutive ?? 2;
  const seen = new Map<string, number>();
  const streak = new Map<string, number>();
  const retryAfters = options.retryAfterSeconds ?? [1];
  const state: RandomFaults = {
    injected: [],
    enabled: true,
    hook: (request) => {
      if (!state.enabled || exempt(request)) return undefined;
      const key = `${request.method} ${request.path}${request.query ?? ""}`;
      const nth = (seen.get(key) ?? 0) + 1;
      seen.set(key, nth);
      const inRow = streak.get(key) ?? 0;
      const rng = new SeededRandom(fnv1a(`${options.seed}|${key}|${nth}`));
      const draws = { server: rng.next(), timeout: rng.next(), conflict: rng.next(), limit: rng.next(), which: rng.next(), applied: rng.next() };
      let fault: Fault | undefined;
      let record: InjectedFault | undefined;
      const base = { method: request.method, path: request.path, template: request.template };
      if (inRow < maxConsecutive) {
        const isContentWrite = request.template === CONTENTS && (request.method === "PUT" || request.method === "DELETE");
        if (draws.limit < (options.secondaryRateLimits ?? 0)) {
          const retryAfter = retryAfters[Math.floor(draws.which * retryAfters.length)]!;
          const status = draws.which < 0.5 ? 403 : 429;
          fault = { status, headers: { "retry-after": String(retryAfter) }, body: { message: SECONDARY_RATE_LIMIT_MESSAGE, documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits" } };
          record = { kind: "secondary-rate-limit", ...base, status, retryAfter };
        } else if (isContentWrite && draws.conflict < (options.contentConflicts ?? 0)) {
          fault = { status: 409, body: { message: `${decodeURIComponent(request.path.split("/contents/")[1] ?? "file")} does not match ${"0".repeat(40)}`, documentation_url: "https://docs.github.com/rest/repos/contents#create-or-update-file-contents" } };
          record = { kind: "conflict", ...base, status: 409 };
        } else if (isWrite(request.method) && draws.applied < (options.appliedServerErrors ?? 0)) {
          fault = { applied: true, status: 502, body: { message: "Server Error", documentation_url: "https://docs.github.com/rest" } };
          record = { kind: "applied-server-error", ...base, status: 502 };
        } else if (isWrite(request.method) && draws.applied < (options.appliedServerErrors ?? 0) + (options.appliedTimeouts ?? 0)) {
          const delayMs = options.timeoutDelayMs ?? 1_000;
          fault = { applied: true, delayMs };
          record = { kind: "applied-timeout", ...base, delayMs };
        } else if (draws.server < (options.serverErrors ?? 0)) {
          const status = draws.which < 0.5 ? 500 : 502;
          fault = { status, body: { message: status === 502 ? "Server Error" : "Internal Server Error", documentation_url: "https://docs.github.com/rest" } };
          record = { kind: "server-error", ...base, status };
        } else if (draws.timeout < (options.timeouts ?? 0)) {
          const delayMs = options.timeoutDelayMs ?? 1_000;
          fault = { delayMs };
          record = { kind: "timeout", ...base, delayMs };
        }
      }
      if (!fault || !record) {
        streak.delete(key);
        return undefined;
      }
      streak.set(key, inRow + 1);
      state.injected.push(record);
      return fault;
    },
  };
  return state;
}

// ------------------------------------------------------------------------------------------------
// Webhook delivery faults: what GitHub (or the network in between) does to deliveries.
// ------------------------------------------------------------------------------------------------

/** GitHub's limit on an issue or pull request comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** A comment body of exactly `length` characters (default: GitHub's limit) that starts with `start`. */
export function commentAtLimit(start: string, length = GITHUB_COMMENT_LIMIT): string {
  if (start.length >= length) return start.slice(0, length);
  const filler = " lorem ipsum dolor sit amet ✓";
  let body = start;
  while (body.length < length) body += filler;
  return body.slice(0, length);
}

export interface PlannedDelivery<T> {
  delivery: T;
  /** The same delivery id again (GitHub redelivers; at-least-once). */
  duplicate: boolean;
}

/**
 * The order GitHub might deliver `deliveries` in: each one duplicated with probability
 * `duplicates` (the copy arrives later, with the same delivery id), and neighbours swapped with
 * probability `reorder` (out-of-order delivery). Deterministic for a seed.
 */
export function planDeliveries<T>(deliveries: readonly T[], options: { seed: number; duplicates?: number; reorder?: number }): PlannedDelivery<T>[] {
  const rng = new SeededRandom(options.seed);
  const out: PlannedDelivery<T>[] = deliveries.map((delivery) => ({ delivery, duplicate: false }));
  for (let i = 0; i < deliveries.length; i++) {
    if (rng.chance(options.duplicates ?? 0)) {
      const at = Math.min(out.length, i + 1 + rng.int(3));
      out.splice(at, 0, { delivery: deliveries[i]!, duplicate: true });
    }
  }
  for (let i = 0; i + 1 < out.length; i++) {
    if (rng.chance(options.reorder ?? 0)) [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
  }
  return out;
}

export type BodyFault = "bad-signature" | "truncated" | "enormous" | "not-json";

/**
 * POSTs a webhook whose body or signature is damaged, the way the network or an attacker would:
 * `bad-signature` signs with the wrong secret; `truncated` cuts the signed JSON in half (signed as
 * sent, so only parsing can reject it); `enormous` pads the payload to `bytes` (default 25 MiB,
 * GitHub's cap) with a large unknown field, correctly signed; `not-json` sends signed garbage.
 * The payload before the damage must be one GitHub would send (checked by the webhook guard).
 */
export async function sendFaultyWebhook(
  targetUrl: string,
  event: string,
  payload: unknown,
  fault: BodyFault,
  options: { secret: string; deliveryId?: string; bytes?: number },
): Promise<{ status: number; response: string; durationMs: number }> {
  // the payload is GitHub's; only the damage in transit is the test's
  checkWebhookDelivery(event, payload, `the emulator (${fault}) → ${targetUrl}`);
  let body = JSON.stringify(payload);
  let secret = options.secret;
  switch (fault) {
    case "bad-signature":
      secret = `${options.secret}-wrong`;
      break;
    case "truncated":
      body = body.slice(0, Math.floor(body.length / 2));
      break;
    case "enormous": {
      const bytes = options.bytes ?? 25 * 1024 * 1024;
      const padding = Math.max(0, bytes - body.length - 32);
      body = JSON.stringify({ ...(payload as Record<string, unknown>), charter_fault_padding: "x".repeat(padding) });
      break;
    }
    case "not-json":
      body = "\u0000\u00ff not json {";
      break;
  }
  const started = performance.now();
  const res = await fetch(targetUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/emulator",
      "x-github-event": event,
      "x-github-delivery": options.deliveryId ?? randomUUID(),
      "x-hub-signature-256": signWebhook(body, secret),
    },
    body,
  });
  const response = await res.text();
  return { status: res.status, response, durationMs: performance.now() - started };
}
