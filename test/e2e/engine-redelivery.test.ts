/**
 * A webhook GitHub delivered while Charter was down is processed after the restart, by the
 * redelivery job (GET /app/hook/deliveries, POST …/attempts), once; and GET /metrics says so.
 * The embedded engine (no Redis): the single process is "every replica".
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { INCIDENT_BODY, PEOPLE, STORY_TIMES } from "./support/stories.js";
import { REPO, World } from "./support/world.js";
import { eventually } from "./support/eventually.js";

let w: World;

beforeAll(async () => {
  await ensureBuilt();
  w = await World.start({ start: STORY_TIMES.incident, serverEnv: { CHARTER_REDELIVERY_INTERVAL_SECONDS: "1", WEBHOOK_SECRET: randomBytes(16).toString("hex") } });
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
});

describe("a webhook delivered while Charter is down", () => {
  it("is redelivered once after the restart and opens the incident", async () => {
    const url = w.server.webhookUrl;
    await w.server.stop();
    const issue = w.gh.createIssue(REPO, { title: "Uploads failing", body: INCIDENT_BODY, user: PEOPLE.reporter, labels: ["incident"] });
    const missed = await w.gh.sendWebhook(url, "issues", w.gh.payloads.issues("opened", REPO, issue.number, { sender: PEOPLE.reporter }), { secret: w.server.secret });
    expect(missed.status).toBe(0); // nobody listening
    expect(w.botComments(issue.number)).toEqual([]);

    await w.restartServer();
    w.gh.hookUrl = w.server.webhookUrl; // the app's webhook URL: where GitHub redelivers
    const opened = () => w.botComments(issue.number).some((c) => c.includes("charter:incident"));
    expect(await eventually(opened, 20_000, 100), w.server.rawOutput.slice(-20).join("\n")).toBe(true);
    expect(w.gh.countRequests({ operationId: "apps/redeliver-webhook-delivery" })).toBe(1);
    // the attempt is recorded once Charter answered it, after the handlers commented
    const records = () => w.gh.store.hookDeliveries.records.filter((r) => r.guid === missed.id);
    expect(await eventually(() => records().length === 2, 10_000, 100)).toBe(true);
    const attempts = records();
    expect(attempts.map((a) => [a.redelivery, a.statusCode])).toEqual([
      [false, 502],
      [true, 200],
    ]);

    // later runs of the job find nothing more to redeliver: the incident was opened once
    await new Promise((r) => setTimeout(r, 2_500));
    expect(w.gh.countRequests({ operationId: "apps/redeliver-webhook-delivery" })).toBe(1);
    expect(w.botComments(issue.number).filter((c) => c.includes("charter:incident"))).toHaveLength(1);
  }, 60_000);

  it("GET /metrics counts the delivery, the redelivery and Charter's requests to GitHub", async () => {
    const res = await fetch(`${w.server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toMatch(/charter_webhook_deliveries_total\{event="issues",outcome="enqueued"\} 1/);
    expect(text).toMatch(/charter_redeliveries_total 1/);
    expect(text).toMatch(/charter_github_requests_total\{method="POST",status="201"\} \d+/);
    expect(text).toMatch(/charter_github_rate_limit_remaining\{resource="core"\} 4999/);
    expect(text).toMatch(/charter_jobs_waiting\{queue="deliveries"\} 0/);
    expect(text).toMatch(/charter_job_lateness_seconds_bucket\{le="1",queue="deliveries"\} 1/);
    expect(text).not.toMatch(/acme|ingestion|olga/); // no repository or person in a label
  });

  it("made only requests GitHub's API describes", () => {
    expect(w.violations).toEqual([]);
  });
});
