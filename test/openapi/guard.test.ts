import { Octokit } from "@octokit/rest";
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectOpenApiViolation, openApiViolations, OpenApiViolationError, takeOpenApiViolations } from "../support/openapi/index.js";
import { checkRun } from "../emulator/objects.js";

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const octokit = () => new Octokit({ auth: "token", log: quiet });

describe("fetch guard (nock-mocked api.github.com)", () => {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
  });

  it("wraps globalThis.fetch outside nock, so mocked requests are validated", async () => {
    const scope = nock("https://api.github.com").post("/repos/o/r/check-runs").reply(201, {});
    const error = await octokit()
      .request("POST /repos/{owner}/{repo}/check-runs", { owner: "o", repo: "r", name: "Charter sign-off", head_sha: "a".repeat(40), colour: "red" })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    // Octokit wraps fetch failures in its RequestError; the guard's error is the cause
    expect((error as { cause?: unknown }).cause).toBeInstanceOf(OpenApiViolationError);
    expect(String((error as Error).message)).toMatch(/POST \/repos\/o\/r\/check-runs[\s\S]*unknown field "colour"/);
    // the request never reached nock
    expect(scope.isDone()).toBe(false);
    const recorded = takeOpenApiViolations();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.kind).toBe("request");
  });

  it("records the violation even when app code swallows the error", async () => {
    nock("https://api.github.com").post("/repos/o/r/check-runs").reply(201, {});
    await octokit()
      .request("POST /repos/{owner}/{repo}/check-runs", { owner: "o", repo: "r", name: "x", head_sha: "abc", conclusion: "passed" as unknown as "success" })
      .catch(() => undefined);
    expect(openApiViolations().map((v) => v.message).join("\n")).toMatch(/conclusion: "passed" is not one of/);
    takeOpenApiViolations();
  });

  it("expectOpenApiViolation asserts a violation happened, clears it and returns it", async () => {
    nock("https://api.github.com").post("/repos/o/r/check-runs").reply(201, {});
    const caught = await expectOpenApiViolation(
      () => octokit().request("POST /repos/{owner}/{repo}/check-runs", { owner: "o", repo: "r", name: "x", head_sha: "abc", colour: "red" }),
      /unknown field "colour"/,
    );
    expect(caught).toHaveLength(1);
    expect(openApiViolations()).toHaveLength(0);
  });

  it("expectOpenApiViolation fails when the request was valid", async () => {
    const body = checkRun({ id: 7, name: "Charter sign-off", head_sha: "a".repeat(40), status: "completed", conclusion: "success" });
    nock("https://api.github.com").post("/repos/o/r/check-runs").reply(201, body);
    await expect(
      expectOpenApiViolation(() =>
        octokit().request("POST /repos/{owner}/{repo}/check-runs", { owner: "o", repo: "r", name: "Charter sign-off", head_sha: "a".repeat(40), conclusion: "success" }),
      ),
    ).rejects.toThrow(/expected an OpenAPI violation, but none was recorded/);
  });

  it("lets a valid request and a schema-valid mocked response through", async () => {
    const body = checkRun({ id: 7, name: "Charter sign-off", head_sha: "a".repeat(40), status: "completed", conclusion: "success" });
    nock("https://api.github.com").post("/repos/o/r/check-runs").reply(201, body);
    const res = await octokit().checks.create({ owner: "o", repo: "r", name: "Charter sign-off", head_sha: "a".repeat(40), conclusion: "success" });
    expect(res.status).toBe(201);
    expect(res.data.id).toBe(7);
  });

  it("fails a mocked response that does not match the documented schema", async () => {
    nock("https://api.github.com").get("/repos/o/r/issues/1").reply(200, { id: 1, title: "incomplete" });
    const caught = await expectOpenApiViolation(() => octokit().issues.get({ owner: "o", repo: "r", issue_number: 1 }));
    expect(caught[0]?.kind).toBe("response");
    expect(caught[0]?.message).toMatch(/missing required field "number"/);
  });

  it("fails an endpoint GitHub does not have, before it is sent", async () => {
    const scope = nock("https://api.github.com").get("/repos/o/r/frobnicate").reply(200, {});
    await expectOpenApiViolation(() => octokit().request("GET /repos/{owner}/{repo}/frobnicate", { owner: "o", repo: "r" }), /unknown endpoint/);
    expect(scope.isDone()).toBe(false);
  });

  it("passes non-GitHub URLs through untouched", async () => {
    nock("https://example.test").post("/anything").reply(200, { colour: "red" });
    const res = await fetch("https://example.test/anything", { method: "POST", body: JSON.stringify({ colour: "red" }) });
    expect(await res.json()).toEqual({ colour: "red" });
    expect(openApiViolations()).toHaveLength(0);
  });

  it("is the outermost fetch, even after nock is restored and re-activated", async () => {
    nock.restore();
    nock.activate();
    // the setup file's beforeEach re-installs the guard; emulate the next test starting
    const { installFetchGuard } = await import("../support/openapi/index.js");
    installFetchGuard();
    const blocked = nock("https://api.github.com").post("/repos/o/r/check-runs").reply(201, {});
    await expectOpenApiViolation(
      () => octokit().request("POST /repos/{owner}/{repo}/check-runs", { owner: "o", repo: "r", name: "x", head_sha: "abc", colour: "red" }),
      /colour/,
    );
    expect(blocked.isDone()).toBe(false);
    nock.cleanAll();
    const body = checkRun({ id: 8, name: "x", head_sha: "abc" });
    nock("https://api.github.com").post("/repos/o/r/check-runs").reply(201, body);
    const res = await octokit().checks.create({ owner: "o", repo: "r", name: "x", head_sha: "abc" });
    expect(res.data.id).toBe(8);
  });
});
