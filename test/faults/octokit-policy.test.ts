/**
 * The bounded retry policy (src/github/octokit-options.ts): the decision as a pure function, then
 * the Octokit class Probot is given, against the emulator with faults, counting the requests each
 * logical operation made. Waits are scaled down (waitScale) so the suite stays fast; the decisions
 * are made on GitHub's real values.
 */
import { ProbotOctokit } from "probot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { charterOctokit, DEFAULT_RETRY_POLICY, retryDecision, safeToRepeat, type FailedAttempt, type RetryEvent } from "../../src/github/octokit-options.js";
import { SECONDARY_RATE_LIMIT_MESSAGE, startEmulator, type Fault, type FaultContext, type FaultHook, type GitHubEmulator } from "../emulator/index.js";

/** A hook that answers `fault` to the first `n` requests matching `match` (its own count: the emulator's `count` spans the file). */
function firstN(n: number, match: (r: FaultContext) => boolean, fault: Fault): FaultHook {
  let seen = 0;
  return (r) => (match(r) && ++seen <= n ? fault : undefined);
}

const failure = (over: Partial<FailedAttempt>): FailedAttempt => ({ method: "GET", url: "/repos/o/r", status: 500, headers: {}, message: "", timedOut: false, now: Date.parse("2025-06-02T10:00:00Z"), ...over });
const secondary = (retryAfter?: number, status = 403): Partial<FailedAttempt> => ({ status, message: SECONDARY_RATE_LIMIT_MESSAGE, headers: retryAfter === undefined ? {} : { "retry-after": String(retryAfter) } });

describe("retryDecision", () => {
  it("waits out a secondary rate limit only when GitHub asks for at most 60 s, at most twice", () => {
    expect(retryDecision(failure(secondary(30)), 1)).toEqual({ retry: true, reason: "secondary-rate-limit", waitMs: 30_000 });
    expect(retryDecision(failure(secondary(60, 429)), 2)).toEqual({ retry: true, reason: "secondary-rate-limit", waitMs: 60_000 });
    expect(retryDecision(failure(secondary(61)), 1)).toMatchObject({ retry: false, why: "GitHub asks to wait 61s, more than 60s" });
    expect(retryDecision(failure(secondary(1)), 3)).toMatchObject({ retry: false, why: "gave up after 2 retries" });
    // no retry-after: GitHub says wait at least a minute
    expect(retryDecision(failure(secondary(undefined, 429)), 1)).toEqual({ retry: true, reason: "secondary-rate-limit", waitMs: 60_000 });
    // a rate limit was not processed: POSTs may be repeated
    expect(retryDecision(failure({ ...secondary(5), method: "POST", url: "/repos/o/r/issues/1/comments" }), 1)).toMatchObject({ retry: true });
  });

  it("waits for the primary limit's reset only when it is within 60 s", () => {
    const now = Date.parse("2025-06-02T10:00:00Z");
    const primary = (resetInSeconds: number) => failure({ status: 403, message: "API rate limit exceeded", headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + resetInSeconds) } });
    expect(retryDecision(primary(30), 1)).toEqual({ retry: true, reason: "rate-limit", waitMs: 31_000 });
    expect(retryDecision(primary(3600), 1)).toMatchObject({ retry: false });
    expect(retryDecision(failure({ status: 403, message: "Resource not accessible by integration" }), 1)).toMatchObject({ retry: false, why: "403 is not a rate limit" });
  });

  it("retries 5xx, network errors and timeouts only for requests that are safe to repeat", () => {
    expect(retryDecision(failure({ status: 502 }), 1)).toEqual({ retry: true, reason: "server-error", waitMs: 500 });
    expect(retryDecision(failure({ status: 500 }), 2)).toEqual({ retry: true, reason: "server-error", waitMs: 1000 });
    expect(retryDecision(failure({ status: undefined }), 1)).toMatchObject({ retry: true, reason: "network" });
    // a contents write is settled by the state writer, which reads the file back (src/github/state-files.ts)
    expect(retryDecision(failure({ status: undefined, timedOut: true, method: "PUT", url: "/repos/o/r/contents/governance%2Fstate%2Flog.yml" }), 1)).toMatchObject({ retry: false });
    expect(retryDecision(failure({ status: undefined, timedOut: true, method: "PUT", url: "/repos/o/r/topics" }), 1)).toMatchObject({ retry: true, reason: "timeout" });
    expect(retryDecision(failure({ status: 502, method: "POST", url: "/repos/{owner}/{repo}/issues/{issue_number}/comments" }), 1)).toMatchObject({ retry: false });
    expect(retryDecision(failure({ status: undefined, timedOut: true, method: "POST", url: "/repos/o/r/issues/7/comments" }), 1)).toMatchObject({ retry: false });
    expect(retryDecision(failure({ status: 502, method: "POST", url: "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions" }), 1)).toMatchObject({ retry: true });
  });

  it("does not retry client errors: 409 (the state writer re-reads), 404, 422", () => {
    for (const status of [400, 401, 404, 409, 410, 422]) expect(retryDecision(failure({ status, method: "PUT" }), 1)).toMatchObject({ retry: false });
  });

  it("knows which POSTs are idempotent", () => {
    expect(safeToRepeat("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels")).toBe(true);
    expect(safeToRepeat("POST", "/repos/o/r/labels")).toBe(true);
    // a repeated create is a second run: the write layer looks for Charter's first (test/faults/applied-writes.test.ts)
    expect(safeToRepeat("POST", "/repos/o/r/check-runs")).toBe(false);
    expect(safeToRepeat("PATCH", "/repos/o/r/check-runs/12")).toBe(true);
    expect(safeToRepeat("POST", "/repos/o/r/pulls/3/requested_reviewers")).toBe(true);
    expect(safeToRepeat("POST", "https://api.github.com/repos/o/r/issues")).toBe(false);
    expect(safeToRepeat("POST", "/repos/o/r/pulls")).toBe(false);
    expect(safeToRepeat("POST", "/repos/o/r/issues/3/comments")).toBe(false);
    expect(safeToRepeat("PATCH", "/repos/o/r/issues/comments/5")).toBe(true);
  });

  it("defaults: 2 retries, 60 s at most, 10 s per attempt", () => {
    expect(DEFAULT_RETRY_POLICY).toMatchObject({ retries: 2, maxRetryAfterSeconds: 60, requestTimeoutMs: 10_000 });
  });
});

describe("charterOctokit against the emulator", () => {
  const repo = { owner: "acme", repo: "ops" };
  let gh: GitHubEmulator;
  let retries: RetryEvent[];
  const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const client = (requestTimeoutMs = 5_000) => {
    const Octokit = charterOctokit({ writeSpacing: false, policy: { waitScale: 0.001, requestTimeoutMs, onRetry: (e) => retries.push(e) } });
    return new Octokit({ baseUrl: gh.apiUrl, auth: { token: "t" }, log: silent } as ConstructorParameters<typeof ProbotOctokit>[0]);
  };
  /** Requests the emulator saw for METHOD + template. */
  const seen = (method: string, template: string) => gh.requestLog.filter((e) => e.method === method && e.template === template).length;

  beforeAll(async () => {
    gh = await startEmulator({ quiet: true });
    gh.createRepo("acme/ops", { files: { "README.md": "x\n" } });
    gh.createIssue("acme/ops", { title: "t", user: "alice" });
  });
  afterAll(async () => {
    await gh.stop();
  });
  beforeEach(() => {
    gh.clearRequestLog();
    gh.faults = undefined;
    retries = [];
  });

  it("a GET answered 502 twice succeeds on the third attempt (3 requests)", async () => {
    gh.faults = firstN(2, (r) => r.template === "/repos/{owner}/{repo}", { status: 502 });
    const { data } = await client().request("GET /repos/{owner}/{repo}", repo);
    expect(data.full_name).toBe("acme/ops");
    expect(seen("GET", "/repos/{owner}/{repo}")).toBe(3);
    expect(retries.map((r) => [r.reason, r.retry])).toEqual([["server-error", 1], ["server-error", 2]]);
  });

  it("a GET that keeps failing gives up after 3 attempts", async () => {
    gh.faults = ({ template }) => (template === "/repos/{owner}/{repo}/branches/{branch}" ? { status: 500 } : undefined);
    await expect(client().request("GET /repos/{owner}/{repo}/branches/{branch}", { ...repo, branch: "main" })).rejects.toMatchObject({ status: 500 });
    expect(seen("GET", "/repos/{owner}/{repo}/branches/{branch}")).toBe(3);
  });

  it("a comment POST answered 502 is not repeated (1 request): it may have been applied", async () => {
    gh.faults = ({ method, template }) => (method === "POST" && template === "/repos/{owner}/{repo}/issues/{issue_number}/comments" ? { status: 502 } : undefined);
    await expect(client().request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: 1, body: "hi" })).rejects.toMatchObject({ status: 502 });
    expect(seen("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments")).toBe(1);
    expect(retries).toEqual([]);
  });

  it("a comment POST hit by a secondary rate limit (retry-after 1) is repeated once", async () => {
    gh.faults = firstN(1, (r) => r.method === "POST", { status: 429, headers: { "retry-after": "1" }, body: { message: SECONDARY_RATE_LIMIT_MESSAGE } });
    await client().request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: 1, body: "hello" });
    expect(seen("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments")).toBe(2);
    expect(gh.listComments("acme/ops", 1).filter((c) => c.body === "hello")).toHaveLength(1);
    expect(retries).toMatchObject([{ reason: "secondary-rate-limit", retry: 1, waitMs: 1 }]);
  });

  it("a secondary rate limit asking for 120 s fails at once (1 request), without waiting", async () => {
    gh.faults = ({ template }) => (template === "/repos/{owner}/{repo}" ? { status: 403, headers: { "retry-after": "120" }, body: { message: SECONDARY_RATE_LIMIT_MESSAGE } } : undefined);
    const started = performance.now();
    await expect(client().request("GET /repos/{owner}/{repo}", repo)).rejects.toMatchObject({ status: 403 });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(seen("GET", "/repos/{owner}/{repo}")).toBe(1);
  });

  it("an attempt GitHub holds past the timeout is abandoned and repeated (GET: 2 requests)", async () => {
    await client().request("GET /repos/{owner}/{repo}", repo); // compile the validators first: this is about GitHub's delay
    gh.clearRequestLog();
    gh.faults = firstN(1, (r) => r.template === "/repos/{owner}/{repo}", { delayMs: 800 });
    const { data } = await client(300).request("GET /repos/{owner}/{repo}", repo);
    expect(data.name).toBe("ops");
    expect(retries).toMatchObject([{ reason: "timeout", retry: 1 }]);
    await new Promise((r) => setTimeout(r, 900));
    expect(seen("GET", "/repos/{owner}/{repo}")).toBe(2);
  });

  it("pagination retries each page on its own", async () => {
    for (let i = 0; i < 5; i++) gh.addComment("acme/ops", 1, `c${i}`, "bob");
    gh.faults = firstN(2, (r) => r.template === "/repos/{owner}/{repo}/issues/{issue_number}/comments" && /[?&]page=2\b/.test(r.query ?? ""), { status: 502 });
    const all = await client().paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: 1, per_page: 2 });
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(retries.length).toBeGreaterThan(0);
    expect(new Set(retries.map((r) => r.operation)).size).toBe(1);
  });

  it("for comparison: Probot's default Octokit repeats a secondary rate limit without a cap", async () => {
    // five secondary limits in a row, then success: Probot's defaults keep going (6 requests);
    // Charter's policy stops after 3 attempts.
    gh.faults = firstN(5, (r) => r.template === "/repos/{owner}/{repo}", { status: 403, headers: { "retry-after": "1" }, body: { message: SECONDARY_RATE_LIMIT_MESSAGE } });
    const probotDefault = new ProbotOctokit({ baseUrl: gh.apiUrl, auth: { token: "t" }, log: silent, throttle: { retryAfterBaseValue: 1 }, retry: { retryAfterBaseValue: 1 } } as ConstructorParameters<typeof ProbotOctokit>[0]);
    await probotDefault.request("GET /repos/{owner}/{repo}", repo);
    expect(seen("GET", "/repos/{owner}/{repo}")).toBe(6);

    gh.clearRequestLog();
    gh.faults = ({ template }) => (template === "/repos/{owner}/{repo}" ? { status: 403, headers: { "retry-after": "1" }, body: { message: SECONDARY_RATE_LIMIT_MESSAGE } } : undefined);
    await expect(client().request("GET /repos/{owner}/{repo}", repo)).rejects.toMatchObject({ status: 403 });
    expect(seen("GET", "/repos/{owner}/{repo}")).toBe(3);
  });
});
