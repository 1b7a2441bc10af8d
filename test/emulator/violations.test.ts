import { request } from "node:http";
import { Octokit } from "@octokit/rest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectOpenApiViolation, setFetchGuardEnabled } from "../support/openapi/index.js";
import { startEmulator, type GitHubEmulator } from "./index.js";

let gh: GitHubEmulator;
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A raw HTTP call that bypasses the fetch guard, so the emulator itself sees the bad request. */
function raw(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    const req = request(`${gh.url}${path}`, { method, headers: { "content-type": "application/json", authorization: "token t" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}

beforeAll(async () => {
  gh = await startEmulator({ quiet: true });
  gh.createRepo("acme/app");
});
afterAll(async () => {
  await gh.stop();
});
afterEach(() => {
  gh.violations.length = 0;
  gh.faults = undefined;
});

describe("emulator-side validation", () => {
  it("answers 404 to an endpoint GitHub does not have and records a violation", async () => {
    const caught = await expectOpenApiViolation(async () => {
      const res = await raw("GET", "/api/v3/repos/acme/app/frobnicate");
      expect(res.status).toBe(404);
    });
    expect(caught[0]?.source).toBe("emulator");
    expect(gh.violations.map((v) => v.kind)).toEqual(["unknown-endpoint"]);
    expect(gh.violations[0]?.message).toMatch(/GET \/repos\/acme\/app\/frobnicate/);
  });

  it("answers 422 to an invented body field and records a violation", async () => {
    const sha = gh.branchSha("acme/app");
    await expectOpenApiViolation(async () => {
      const res = await raw("POST", "/repos/acme/app/check-runs", { name: "x", head_sha: sha, colour: "red" });
      expect(res.status).toBe(422);
      expect(res.body).toContain("colour");
    });
    expect(gh.violations).toHaveLength(1);
    expect(gh.violations[0]).toMatchObject({ kind: "invalid-request", status: 422 });
    expect(gh.listCheckRuns("acme/app")).toHaveLength(0);
  });

  it("answers 422 to a bad enum value", async () => {
    const sha = gh.branchSha("acme/app");
    await expectOpenApiViolation(async () => {
      const res = await raw("POST", "/repos/acme/app/check-runs", { name: "x", head_sha: sha, conclusion: "passed" });
      expect(res.status).toBe(422);
    }, /conclusion: "passed" is not one of/);
  });

  it("answers 400 to a body that is not JSON", async () => {
    await expectOpenApiViolation(async () => {
      const res = await raw("POST", "/repos/acme/app/issues", "{not json");
      expect(res.status).toBe(400);
    });
    expect(gh.violations[0]?.kind).toBe("invalid-request");
  });

  it("records endpoints that exist on GitHub but that the emulator does not implement", async () => {
    await expectOpenApiViolation(async () => {
      const res = await raw("GET", "/repos/acme/app/releases");
      expect(res.status).toBe(404);
    });
    expect(gh.violations[0]?.kind).toBe("unimplemented");
  });

  it("records a response that does not match the documented schema (here, an injected one)", async () => {
    gh.faults = ({ template }) => (template === "/repos/{owner}/{repo}" ? { status: 200, body: { id: "not a number" } } : undefined);
    const previous = setFetchGuardEnabled(false); // let the emulator be the one to notice
    try {
      await expectOpenApiViolation(() => new Octokit({ baseUrl: gh.apiUrl, auth: "t", log: quiet }).repos.get({ owner: "acme", repo: "app" }));
    } finally {
      setFetchGuardEnabled(previous);
    }
    expect(gh.violations[0]?.kind).toBe("invalid-response");
    expect(gh.violations[0]?.problems.join("\n")).toMatch(/id: "not a number" must be integer/);
  });

  it("the fetch guard stops a bad request before it reaches the emulator", async () => {
    gh.clearRequestLog();
    const octokit = new Octokit({ baseUrl: gh.apiUrl, auth: "t", log: quiet });
    const caught = await expectOpenApiViolation(() => octokit.request("POST /repos/{owner}/{repo}/check-runs", { owner: "acme", repo: "app", name: "x", head_sha: "abc", colour: "red" }));
    expect(caught.map((v) => v.source)).toEqual(["fetch-guard"]);
    expect(gh.requestLog).toHaveLength(0);
  });
});

describe("fault injection", () => {
  it("overrides the status of the first PUT to a file and lets the retry through", async () => {
    gh.faults = ({ method, template, count }) => (method === "PUT" && template === "/repos/{owner}/{repo}/contents/{path}" && count === 1 ? { status: 409 } : undefined);
    const octokit = new Octokit({ baseUrl: gh.apiUrl, auth: "t", log: quiet });
    const put = () =>
      octokit.repos.createOrUpdateFileContents({ owner: "acme", repo: "app", path: "state.yml", message: "m", content: Buffer.from("a: 1\n").toString("base64") });
    const first = await put().catch((e: { status: number }) => e);
    expect((first as { status: number }).status).toBe(409);
    expect(gh.getFile("acme/app", "state.yml")).toBeUndefined();
    const second = await put();
    expect(second.status).toBe(201);
    expect(gh.getFile("acme/app", "state.yml")).toBe("a: 1\n");
    expect(gh.violations).toEqual([]);
  });

  it("delays a request", async () => {
    gh.faults = () => ({ delayMs: 120 });
    const started = performance.now();
    await new Octokit({ baseUrl: gh.apiUrl, auth: "t", log: quiet }).repos.get({ owner: "acme", repo: "app" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(gh.violations).toEqual([]);
  });
});
