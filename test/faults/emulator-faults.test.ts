/** The emulator's fault seam as the fault tests use it: seeded faults, delivery plans, conditional requests. */
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commentAtLimit, GITHUB_COMMENT_LIMIT, planDeliveries, randomFaults, SeededRandom, startEmulator, type FaultContext, type GitHubEmulator } from "../emulator/index.js";

const request = (method: string, path: string, query = ""): FaultContext => ({ method, path, query, template: path.replace(/\d+/g, "{n}"), operationId: undefined, count: 1, actor: "charter[bot]" });

describe("randomFaults", () => {
  it("is deterministic per request, whatever the order requests arrive in", () => {
    const paths = Array.from({ length: 200 }, (_, i) => `/repos/acme/ops/issues/${i}`);
    const a = randomFaults({ seed: 9, serverErrors: 0.2, secondaryRateLimits: 0.1 });
    const b = randomFaults({ seed: 9, serverErrors: 0.2, secondaryRateLimits: 0.1 });
    const forward = paths.map((p) => a.hook(request("GET", p)) ?? null);
    const backward = [...paths].reverse().map((p) => b.hook(request("GET", p)) ?? null).reverse();
    expect(backward).toEqual(forward);
    expect(forward.filter(Boolean).length).toBeGreaterThan(20);
    const other = randomFaults({ seed: 10, serverErrors: 0.2, secondaryRateLimits: 0.1 });
    expect(paths.map((p) => other.hook(request("GET", p)) ?? null)).not.toEqual(forward);
  });

  it("never faults the same request more than maxConsecutive times in a row, and leaves app authentication alone", () => {
    const f = randomFaults({ seed: 1, serverErrors: 1, maxConsecutive: 2 });
    const r = request("GET", "/repos/acme/ops");
    expect([f.hook(r), f.hook(r), f.hook(r)].map((x) => x?.status ?? 200)).toEqual([expect.any(Number), expect.any(Number), 200]);
    expect(f.hook(request("POST", "/app/installations/1/access_tokens"))).toBeUndefined();
    f.enabled = false;
    expect(f.hook(request("GET", "/repos/acme/other"))).toBeUndefined();
  });

  it("answers secondary rate limits the way Octokit recognises them, and 409 only on contents writes", () => {
    const limits = randomFaults({ seed: 3, secondaryRateLimits: 1, retryAfterSeconds: [7] });
    const fault = limits.hook(request("GET", "/repos/acme/ops"))!;
    expect([403, 429]).toContain(fault.status);
    expect(fault.headers).toEqual({ "retry-after": "7" });
    expect((fault.body as { message: string }).message).toMatch(/secondary rate limit/);
    const conflicts = randomFaults({ seed: 3, contentConflicts: 1 });
    expect(conflicts.hook({ ...request("PUT", "/repos/acme/ops/contents/a.yml"), template: "/repos/{owner}/{repo}/contents/{path}" })?.status).toBe(409);
    expect(conflicts.hook(request("PUT", "/repos/acme/ops/topics"))).toBeUndefined();
  });
});

describe("planDeliveries and comment bodies", () => {
  it("keeps every delivery, adds duplicates after their original, and is the same for the same seed", () => {
    const ds = Array.from({ length: 50 }, (_, i) => i);
    const plan = planDeliveries(ds, { seed: 5, duplicates: 0.3, reorder: 0.2 });
    expect(plan).toEqual(planDeliveries(ds, { seed: 5, duplicates: 0.3, reorder: 0.2 }));
    expect(new Set(plan.map((p) => p.delivery))).toEqual(new Set(ds));
    expect(plan.filter((p) => p.duplicate).length).toBeGreaterThan(5);
    expect(plan.map((p) => p.delivery)).not.toEqual(ds);
  });

  it("commentAtLimit is exactly GitHub's limit and starts with the command", () => {
    const body = commentAtLimit("/ack\n");
    expect(body).toHaveLength(GITHUB_COMMENT_LIMIT);
    expect(body.startsWith("/ack\n")).toBe(true);
    expect(new SeededRandom(1).next()).toBe(new SeededRandom(1).next());
  });
});

describe("conditional requests (startEmulator({ conditionalRequests: true }))", () => {
  let gh: GitHubEmulator;
  beforeAll(async () => {
    gh = await startEmulator({ quiet: true, conditionalRequests: true });
    gh.createRepo("acme/ops", { files: { "a.txt": "1\n" } });
  });
  afterAll(async () => {
    await gh.stop();
  });

  it("sends an ETag, answers 304 to a matching If-None-Match, and 200 once the resource changed", async () => {
    const octokit = new Octokit({ baseUrl: gh.apiUrl, auth: "t" });
    const route = "GET /repos/{owner}/{repo}/branches/{branch}" as const;
    const params = { owner: "acme", repo: "ops", branch: "main" };
    const first = await octokit.request(route, params);
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    await expect(octokit.request(route, { ...params, headers: { "if-none-match": etag } })).rejects.toMatchObject({ status: 304 });
    gh.commitFiles("acme/ops", "main", { "a.txt": "2\n" });
    const after = await octokit.request(route, { ...params, headers: { "if-none-match": etag } });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(gh.requestLog.map((e) => e.status)).toEqual([200, 304, 200]);
  });
});
