import { describe, expect, it } from "vitest";
import { checkRun, issue, repository } from "../emulator/objects.js";
import { validateRequest, validateResponse, validatorStats } from "../support/openapi/index.js";

const SHA = "a".repeat(40);

describe("validateRequest", () => {
  it("reports an invented body field even though the schema does not forbid extra properties", () => {
    const started = performance.now();
    const r = validateRequest({ method: "POST", url: "https://api.github.com/repos/o/r/check-runs", body: JSON.stringify({ name: "x", head_sha: SHA, colour: "red" }) });
    const firstMs = performance.now() - started;
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual(['body: unknown field "colour" (not in the operation\'s schema)']);
    expect(r.operation).toEqual({ method: "POST", template: "/repos/{owner}/{repo}/check-runs", operationId: "checks/create" });

    // timing figures for the report (first call loads and indexes the description)
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) validateRequest({ method: "POST", url: "/repos/o/r/check-runs", body: { name: "x", head_sha: SHA, conclusion: "success", output: { title: "t", summary: "s" } } });
    const perCallMs = (performance.now() - t0) / n;
    console.log(`[openapi timing] first call ${firstMs.toFixed(0)} ms; per call after ${(perCallMs * 1000).toFixed(0)} µs;`, validatorStats());
    expect(perCallMs).toBeLessThan(1);
  });

  it("reports invented fields in nested objects and in every branch of a combinator", () => {
    const nested = validateRequest({ method: "POST", url: "/repos/o/r/check-runs", body: { name: "x", head_sha: SHA, output: { title: "t", summary: "s", colour: "red" } } });
    expect(nested.problems).toEqual(['body/output: unknown field "colour" (not in the operation\'s schema)']);
    // PATCH issue: labels items are oneOf(string | object{name,...})
    const combo = validateRequest({ method: "PATCH", url: "/repos/o/r/issues/1", body: { labels: [{ name: "a", colour: "red" }] } });
    expect(combo.ok).toBe(false);
    expect(combo.problems.join("\n")).toContain('unknown field "colour"');
    expect(validateRequest({ method: "PATCH", url: "/repos/o/r/issues/1", body: { labels: ["a", { name: "b" }], state: "closed", state_reason: "not_planned" } }).ok).toBe(true);
  });

  it("reports a bad enum value and a wrong type", () => {
    const r = validateRequest({ method: "POST", url: "/repos/o/r/check-runs", body: { name: "x", head_sha: SHA, conclusion: "passed" } });
    expect(r.problems).toEqual(['body/conclusion: "passed" is not one of ["action_required","cancelled","failure","neutral","success","skipped","stale","timed_out"]']);
    const t = validateRequest({ method: "POST", url: "/repos/o/r/issues", body: { title: "x", labels: "not-an-array" } });
    expect(t.problems.join("\n")).toMatch(/body\/labels: "not-an-array" must be array/);
  });

  it("reports missing required body fields and a missing body", () => {
    expect(validateRequest({ method: "POST", url: "/repos/o/r/check-runs", body: { name: "x" } }).problems).toEqual(['body: missing required field "head_sha"']);
    expect(validateRequest({ method: "POST", url: "/repos/o/r/check-runs" }).problems).toEqual(["body: missing (this operation requires a JSON request body)"]);
  });

  it("reports unknown endpoints, and a known path with the wrong method", () => {
    expect(validateRequest({ method: "GET", url: "/repos/o/r/frobnicate" }).problems).toEqual(["unknown endpoint: GET /repos/o/r/frobnicate is not in GitHub's REST API description"]);
    expect(validateRequest({ method: "DELETE", url: "/repos/o/r/issues/1" }).problems[0]).toMatch(/exists only for GET, PATCH/);
  });

  it("validates query parameters: unknown names, enums, types", () => {
    const r = validateRequest({ method: "GET", url: "/repos/o/r/issues?state=bogus&per_page=x&colour=red" });
    expect(r.problems).toEqual(expect.arrayContaining(['query: unknown parameter "colour"', '/query/state: "bogus" is not one of ["open","closed","all"]', '/query/per_page: "x" must be integer']));
    expect(validateRequest({ method: "GET", url: "/repos/o/r/issues?state=all&labels=a,b&per_page=100&page=2&sort=updated" }).ok).toBe(true);
  });

  it("validates path parameters", () => {
    expect(validateRequest({ method: "GET", url: "/repos/o/r/issues/abc" }).problems.join()).toMatch(/issue_number: "abc" must be integer/);
  });

  it("matches templates: literal segments win, multi-segment params, encoded slashes, GHES prefix", () => {
    expect(validateRequest({ method: "GET", url: "/repos/o/r/issues/comments" }).operation?.operationId).toBe("issues/list-comments-for-repo");
    expect(validateRequest({ method: "GET", url: "/repos/o/r/issues/12" }).operation?.operationId).toBe("issues/get");
    const contents = validateRequest({ method: "GET", url: "http://127.0.0.1:9/api/v3/repos/o/r/contents/governance/roles.yml?ref=main" });
    expect(contents.ok).toBe(true);
    expect(contents.params).toEqual({ owner: "o", repo: "r", path: "governance/roles.yml" });
    expect(validateRequest({ method: "GET", url: "/repos/o/r/git/ref/heads%2Ffeature%2Fx" }).params.ref).toBe("heads/feature/x");
    expect(validateRequest({ method: "GET", url: "/repos/o/r/branches/feature/x/protection" }).operation?.template).toBe("/repos/{owner}/{repo}/branches/{branch}/protection");
    expect(validateRequest({ method: "GET", url: "/repos/o/r/branches/feature/x" }).params.branch).toBe("feature/x");
  });
});

describe("validateResponse", () => {
  it("accepts schema-valid bodies and extra fields", () => {
    expect(validateResponse({ method: "GET", url: "/repos/o/r/issues/1", status: 200, body: { ...issue({ repo: "o/r", number: 1 }), brand_new_field: 1 } }).problems).toEqual([]);
    expect(validateResponse({ method: "GET", url: "/repos/o/r", status: 200, body: repository({ owner: "o", name: "r" }, { full: true }) }).problems).toEqual([]);
  });

  it("reports missing required fields and wrong types", () => {
    const body = { ...checkRun({ id: 1, name: "x", head_sha: SHA }), status: "done" } as Record<string, unknown>;
    delete body.head_sha;
    const r = validateResponse({ method: "POST", url: "/repos/o/r/check-runs", status: 201, body });
    expect(r.problems).toEqual(expect.arrayContaining(['response: missing required field "head_sha"', expect.stringMatching(/response\/status: "done" is not one of/)]));
  });

  it("reports an undocumented success status, allows 304 on GET and error statuses", () => {
    expect(validateResponse({ method: "GET", url: "/repos/o/r/issues/1", status: 201, body: {} }).problems[0]).toMatch(/status 201 is not documented/);
    expect(validateResponse({ method: "GET", url: "/repos/o/r/issues/1", status: 304 }).ok).toBe(true);
    expect(validateResponse({ method: "GET", url: "/repos/o/r/issues/1", status: 502, body: { message: "bad gateway" } }).ok).toBe(true);
    expect(validateResponse({ method: "POST", url: "/repos/o/r/check-runs", status: 304 }).ok).toBe(false);
  });

  it("reports a missing body where one is documented", () => {
    expect(validateResponse({ method: "GET", url: "/repos/o/r/issues/1", status: 200 }).problems).toEqual(["response body: missing (status 200 documents a JSON body)"]);
  });
});
