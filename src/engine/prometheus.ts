/**
 * The Prometheus registry behind GET /metrics (prom-client), loaded by src/engine/metrics.ts on
 * the first count or scrape: deliveries, jobs waiting, delayed, active and failed per queue (read
 * from the engine at scrape time: every replica's, with Redis), job lateness, GitHub requests by
 * method and status, the rate limit remaining, and Node's process metrics (from when it loads).
 * No repository, issue or person appears in a label.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Engine } from "./types.js";

export class PrometheusMetrics {
  readonly registry = new Registry();
  readonly deliveries = new Counter({ name: "charter_webhook_deliveries_total", help: "Webhook deliveries received, by event and outcome (enqueued, duplicate, refused)", labelNames: ["event", "outcome"], registers: [this.registry] });
  readonly jobs = new Counter({ name: "charter_jobs_total", help: "Jobs run by this replica, by queue and outcome", labelNames: ["queue", "outcome"], registers: [this.registry] });
  readonly lateness = new Histogram({
    name: "charter_job_lateness_seconds",
    help: "How late a job started: for timers, start minus the due instant; for deliveries, start minus enqueue",
    labelNames: ["queue"],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300],
    registers: [this.registry],
  });
  readonly requests = new Counter({ name: "charter_github_requests_total", help: "Requests to GitHub's API, by method and status (0: no answer)", labelNames: ["method", "status"], registers: [this.registry] });
  readonly rateLimit = new Gauge({ name: "charter_github_rate_limit_remaining", help: "x-ratelimit-remaining of the last GitHub answer, by resource", labelNames: ["resource"], registers: [this.registry] });
  readonly sweeps = new Counter({ name: "charter_sweeps_total", help: "Safety-net sweeps run by this replica", registers: [this.registry] });
  readonly redeliveries = new Counter({ name: "charter_redeliveries_total", help: "Failed deliveries this replica asked GitHub to redeliver", registers: [this.registry] });
  constructor(engine: () => Engine | undefined) {
    collectDefaultMetrics({ register: this.registry, prefix: "charter_" });
    const registry = this.registry;
    for (const [state, help] of [
      ["waiting", "Jobs waiting to run"],
      ["active", "Jobs running"],
      ["delayed", "Jobs scheduled for later (timers, retries)"],
      ["failed", "Jobs that failed every attempt"],
    ] as const) {
      new Gauge({
        name: `charter_jobs_${state}`,
        help: `${help}, by queue (with Redis: every replica's)`,
        labelNames: ["queue"],
        registers: [registry],
        async collect() {
          const stats = await engine()?.stats().catch(() => undefined);
          if (!stats) return;
          for (const [queue, s] of Object.entries(stats)) this.set({ queue }, s[state]);
        },
      });
    }
  }
}
