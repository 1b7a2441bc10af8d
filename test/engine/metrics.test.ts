/** GET /metrics: Prometheus text, behind a bearer token when CHARTER_METRICS_TOKEN is set. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { MemoryEngine } from "../../src/engine/memory.js";
import { CharterMetrics } from "../../src/engine/metrics.js";
import { charterHttpHandler } from "../../src/http.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function serve(env: Record<string, string>): Promise<string> {
  const metrics = new CharterMetrics();
  const engine = new MemoryEngine(systemClock, metrics.observer);
  metrics.attach(engine);
  metrics.deliveries.inc({ event: "issues", outcome: "enqueued" });
  const handler = charterHttpHandler({ env, log: console as unknown as Logger, sweep: async () => ({ repo: "", at: "", reports: [], errors: [] }), engine, metrics });
  server = createServer((req, res) => void handler(req, res).then((done) => done || res.writeHead(404).end()));
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

describe("GET /metrics", () => {
  it("counts what happened before prom-client loaded (it loads on the first count or scrape, not at start)", async () => {
    const metrics = new CharterMetrics();
    metrics.deliveries.inc({ event: "push", outcome: "enqueued" });
    metrics.deliveries.inc({ event: "push", outcome: "enqueued" });
    metrics.requests.inc({ method: "GET", status: "304" });
    metrics.rateLimit.set({ resource: "core" }, 4_321);
    metrics.observer.started?.("timers", 1_500);
    metrics.sweeps.inc();
    const { text } = await metrics.scrape();
    expect(text).toContain('charter_webhook_deliveries_total{event="push",outcome="enqueued"} 2');
    expect(text).toContain('charter_github_requests_total{method="GET",status="304"} 1');
    expect(text).toContain('charter_github_rate_limit_remaining{resource="core"} 4321');
    expect(text).toContain('charter_job_lateness_seconds_bucket{le="2",queue="timers"} 1');
    expect(text).toContain("charter_sweeps_total 1");
    // after loading, counts go straight to the registry
    metrics.deliveries.inc({ event: "push", outcome: "duplicate" });
    expect((await metrics.scrape()).text).toContain('charter_webhook_deliveries_total{event="push",outcome="duplicate"} 1');
  });

  it("answers in the Prometheus text format", async () => {
    const res = await fetch(await serve({}));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('charter_webhook_deliveries_total{event="issues",outcome="enqueued"} 1');
    expect(text).toContain('charter_jobs_waiting{queue="timers"} 0');
    expect(text).toContain("# TYPE charter_job_lateness_seconds histogram");
  });

  it("with CHARTER_METRICS_TOKEN, refuses a request without the token or with another one", async () => {
    const url = await serve({ CHARTER_METRICS_TOKEN: "s3cret-metrics-token" });
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer s3cret-metrics-tokem" } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: "Bearer s3cret-metrics-token" } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("charter_webhook_deliveries_total");
  });

  it("keeps at most 100,000 counts while prom-client loads: a flood of deliveries in that window cannot grow memory without bound", async () => {
    const metrics = new CharterMetrics();
    for (let i = 0; i < 100_005; i++) metrics.deliveries.inc({ event: "issues", outcome: "refused" });
    const { text } = await metrics.scrape();
    expect(text).toContain('charter_webhook_deliveries_total{event="issues",outcome="refused"} 100000');
  });

  it("answers 500 and logs why when the metrics library cannot be loaded (no stack trace in the answer)", async () => {
    class Unloadable extends CharterMetrics {
      override load(): Promise<never> {
        return Promise.reject(new Error("Cannot find package 'prom-client'"));
      }
    }
    const errors: unknown[][] = [];
    const log = { error: (...args: unknown[]) => errors.push(args) } as unknown as Logger;
    const handler = charterHttpHandler({ env: {}, log, sweep: async () => ({ repo: "", at: "", reports: [], errors: [] }), metrics: new Unloadable() });
    server = createServer((req, res) => void handler(req, res).then((done) => done || res.writeHead(404).end()));
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("500: the metrics could not be read; see the server's log\n");
    expect(String(errors[0]?.[1])).toMatch(/^GET \/metrics failed/);
  });
});
