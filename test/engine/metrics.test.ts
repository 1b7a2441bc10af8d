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
});
