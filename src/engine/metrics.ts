/**
 * GET /metrics' counts (src/engine/prometheus.ts holds the Prometheus registry). prom-client is
 * imported on the first count or scrape, not when a server starts (it was a third of a server's
 * start-up); a count made while it loads is applied when it has, so none is lost. No repository,
 * issue or person appears in a label.
 */
import { onceUntilFailure } from "../once.js";
import type { PrometheusMetrics } from "./prometheus.js";
import type { Engine, JobObserver } from "./types.js";

type Operation = (m: PrometheusMetrics) => void;

/** Counts made before prom-client has loaded, applied in order when it has (bounded: loading takes milliseconds). */
const MAX_PENDING = 100_000;

export class CharterMetrics {
  #engine: Engine | undefined;
  #loaded: PrometheusMetrics | undefined;
  readonly #pending: Operation[] = [];

  readonly deliveries = { inc: (labels: { event: string; outcome: string }) => this.#record((m) => m.deliveries.inc(labels)) };
  readonly jobs = { inc: (labels: { queue: string; outcome: string }) => this.#record((m) => m.jobs.inc(labels)) };
  readonly lateness = { observe: (labels: { queue: string }, seconds: number) => this.#record((m) => m.lateness.observe(labels, seconds)) };
  readonly requests = { inc: (labels: { method: string; status: string }) => this.#record((m) => m.requests.inc(labels)) };
  readonly rateLimit = { set: (labels: { resource: string }, value: number) => this.#record((m) => m.rateLimit.set(labels, value)) };
  readonly sweeps = { inc: (by = 1) => this.#record((m) => m.sweeps.inc(by)) };
  readonly redeliveries = { inc: (by = 1) => this.#record((m) => m.redeliveries.inc(by)) };

  #record(operation: Operation): void {
    if (this.#loaded) {
      operation(this.#loaded);
      return;
    }
    if (this.#pending.length < MAX_PENDING) this.#pending.push(operation);
    this.load().catch(() => undefined); // a failed import is reported by the next scrape
  }

  /** Import prom-client and build the registry (once; a failed import is tried again next time). */
  load(): Promise<PrometheusMetrics> {
    return this.#load();
  }
  readonly #load = onceUntilFailure(async () => {
    const { PrometheusMetrics } = await import("./prometheus.js");
    const metrics = new PrometheusMetrics(() => this.#engine);
    for (const operation of this.#pending.splice(0)) operation(metrics);
    this.#loaded = metrics;
    return metrics;
  });

  /** The Prometheus text of every metric, and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    const metrics = await this.load();
    return { contentType: metrics.registry.contentType, text: await metrics.registry.metrics() };
  }

  attach(engine: Engine): void {
    this.#engine = engine;
  }

  get observer(): JobObserver {
    return {
      started: (queue, latenessMs) => this.lateness.observe({ queue }, Math.max(0, latenessMs) / 1000),
      finished: (queue, outcome) => this.jobs.inc({ queue, outcome }),
    };
  }

  /** An Octokit plugin that counts every request and keeps the rate limit remaining. */
  octokitPlugin(): (octokit: { hook: { wrap(name: "request", fn: (request: (o: { method: string }) => Promise<unknown>, options: { method: string }) => Promise<unknown>): void } }) => void {
    return (octokit) => {
      octokit.hook.wrap("request", async (request, options) => {
        const seen = (status: number, headers: Record<string, string | undefined> | undefined) => {
          this.requests.inc({ method: options.method, status: String(status) });
          const remaining = Number(headers?.["x-ratelimit-remaining"]);
          if (headers?.["x-ratelimit-remaining"] !== undefined && Number.isFinite(remaining)) this.rateLimit.set({ resource: headers["x-ratelimit-resource"] ?? "core" }, remaining);
        };
        try {
          const response = (await request(options)) as { status: number; headers?: Record<string, string | undefined> };
          seen(response.status, response.headers);
          return response;
        } catch (error) {
          const e = error as { status?: number; response?: { headers?: Record<string, string | undefined> } };
          seen(e.response ? (e.status ?? 0) : 0, e.response?.headers);
          throw error;
        }
      });
    };
  }
}

let shared: CharterMetrics | undefined;

/** The process's metrics (one registry per process: main.ts's Octokit plugin and the server share it). */
export function charterMetrics(): CharterMetrics {
  shared ??= new CharterMetrics();
  return shared;
}
