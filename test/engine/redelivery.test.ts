/**
 * Missed deliveries, against the emulator's GET /app/hook/deliveries and POST …/attempts (every
 * request validated against GitHub's OpenAPI description): each delivery that failed is
 * redelivered once, with its own delivery id; one that succeeded, or was redelivered, is not.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryEngine } from "../../src/engine/memory.js";
import { redeliverMissed, type AppClient } from "../../src/engine/redelivery.js";
import { systemClock } from "../../src/clock.js";
import { startEmulator, type GitHubEmulator } from "../emulator/index.js";

let gh: GitHubEmulator | undefined;
let server: Server | undefined;
afterEach(async () => {
  await gh?.stop();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  gh = undefined;
  server = undefined;
});

/** A receiver that answers 200 and records the delivery ids it got. */
async function receiver(): Promise<{ url: string; got: string[] }> {
  const got: string[] = [];
  server = createServer((req, res) => {
    got.push(String(req.headers["x-github-delivery"]));
    req.resume();
    req.on("end", () => res.writeHead(200).end("ok"));
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, got };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("redeliverMissed", () => {
  it("asks GitHub once to redeliver each delivery that failed, and never one that succeeded", async () => {
    gh = await startEmulator();
    gh.createRepo("acme/ingestion", { ownerType: "Organization" });
    const issue = gh.createIssue("acme/ingestion", { title: "t", body: "b", user: "olga-oncall" });
    const payload = () => gh!.payloads.issues("opened", "acme/ingestion", issue.number, { sender: "olga-oncall" });
    const up = await receiver();
    const ok = await gh.sendWebhook(up.url, "issues", payload(), { secret: "s" });
    const down = await gh.sendWebhook("http://127.0.0.1:9/", "issues", payload(), { secret: "s" });
    expect(ok.status).toBe(200);
    expect(down.status).toBe(0);
    // the failed one is redelivered to the receiver's address from now on (as if the server came back at the same URL)
    gh.store.hookDeliveries.records.find((r) => r.guid === down.id)!.request.url = up.url;

    const app = new Octokit({ baseUrl: gh.apiUrl, auth: "app-jwt" }) as unknown as AppClient;
    const engine = new MemoryEngine(systemClock);
    const first = await redeliverMissed(app, engine.store, new Date());
    expect(first.redelivered.map((r) => r.guid)).toEqual([down.id]);
    await sleep(200);
    expect(up.got).toEqual([ok.id, down.id]);
    expect(gh.countRequests({ operationId: "apps/redeliver-webhook-delivery" })).toBe(1);

    // the next run: the redelivery succeeded, and the engine remembers it asked: nothing more
    const second = await redeliverMissed(app, engine.store, new Date());
    expect(second.redelivered).toEqual([]);
    expect(gh.countRequests({ operationId: "apps/redeliver-webhook-delivery" })).toBe(1);
    // a fresh process (empty store) sees the redelivery in GitHub's record: still at most once
    const third = await redeliverMissed(app, new MemoryEngine(systemClock).store, new Date());
    expect(third.redelivered).toEqual([]);
    expect(gh.violations).toEqual([]);
  });

  it("pages through the deliveries with GitHub's cursor, and stops at the previous run", async () => {
    gh = await startEmulator();
    gh.createRepo("acme/ingestion", { ownerType: "Organization" });
    const issue = gh.createIssue("acme/ingestion", { title: "t", body: "b", user: "olga-oncall" });
    for (let i = 0; i < 130; i++) await gh.sendWebhook("http://127.0.0.1:9/", "issues", gh.payloads.issues("opened", "acme/ingestion", issue.number, { sender: "olga-oncall" }));
    const app = new Octokit({ baseUrl: gh.apiUrl, auth: "app-jwt" }) as unknown as AppClient;
    const engine = new MemoryEngine(systemClock);
    gh.store.hookDeliveries.redeliver = async () => {};
    const report = await redeliverMissed(app, engine.store, new Date());
    expect(report.listed).toBe(130);
    expect(report.redelivered).toHaveLength(130);
    expect(gh.countRequests({ operationId: "apps/list-webhook-deliveries" })).toBe(2);
    expect(gh.violations).toEqual([]);
  });
});
