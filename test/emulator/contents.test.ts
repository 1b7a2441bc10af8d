import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type GitHubEmulator } from "./index.js";

let gh: GitHubEmulator;
const repo = "acme/widgets";
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const client = (): Octokit => new Octokit({ baseUrl: gh.apiUrl, auth: "ghs_anything", log: quiet });

beforeAll(async () => {
  gh = await startEmulator({ quiet: true });
});
afterAll(async () => {
  await gh.stop();
});
beforeEach(() => {
  if (!gh.store.repos.has(repo)) gh.createRepo(repo, { files: { "governance/roles.yml": "roles: []\n", "README.md": "hi\n" } });
});

describe("contents API against the emulator (Octokit)", () => {
  it("reads a file at a ref as base64 with its blob sha", async () => {
    const res = await client().repos.getContent({ owner: "acme", repo: "widgets", path: "governance/roles.yml", ref: "main" });
    const data = res.data as { content: string; encoding: string; sha: string; path: string };
    expect(data.encoding).toBe("base64");
    expect(Buffer.from(data.content, "base64").toString("utf8")).toBe("roles: []\n");
    // what `printf 'roles: []\n' | git hash-object --stdin` prints
    expect(data.sha).toBe("1684f2fb7161079dc9c0025b08aa6d13122a86ca");
    expect(gh.violations).toEqual([]);
  });

  it("round-trips a PUT with the current sha, then answers 409 to a stale sha", async () => {
    const octokit = client();
    const first = await octokit.repos.getContent({ owner: "acme", repo: "widgets", path: "governance/roles.yml" });
    const staleSha = (first.data as { sha: string }).sha;
    const put = await octokit.repos.createOrUpdateFileContents({
      owner: "acme",
      repo: "widgets",
      path: "governance/roles.yml",
      message: "update roles",
      content: Buffer.from("roles: [lead]\n").toString("base64"),
      sha: staleSha,
    });
    expect(put.status).toBe(200);
    expect(put.data.commit.sha).toBe(gh.branchSha(repo));
    expect(gh.getFile(repo, "governance/roles.yml")).toBe("roles: [lead]\n");

    const conflict = await octokit.repos
      .createOrUpdateFileContents({
        owner: "acme",
        repo: "widgets",
        path: "governance/roles.yml",
        message: "lost update",
        content: Buffer.from("roles: [other]\n").toString("base64"),
        sha: staleSha,
      })
      .catch((e: { status?: number }) => e);
    expect((conflict as { status?: number }).status).toBe(409);
    expect(gh.getFile(repo, "governance/roles.yml")).toBe("roles: [lead]\n");
    expect(gh.violations).toEqual([]);
  });

  it("answers 422 when the file exists and no sha is given, 201 when creating", async () => {
    const octokit = client();
    const missingSha = await octokit.repos
      .createOrUpdateFileContents({ owner: "acme", repo: "widgets", path: "README.md", message: "m", content: Buffer.from("x").toString("base64") })
      .catch((e: { status?: number }) => e);
    expect((missingSha as { status?: number }).status).toBe(422);
    const created = await octokit.repos.createOrUpdateFileContents({
      owner: "acme",
      repo: "widgets",
      path: "governance/state/phase.yml",
      message: "create",
      content: Buffer.from("phase: P3\n").toString("base64"),
      branch: "main",
    });
    expect(created.status).toBe(201);
    expect(gh.getFile(repo, "governance/state/phase.yml")).toBe("phase: P3\n");
    const commit = await octokit.repos.getCommit({ owner: "acme", repo: "widgets", ref: created.data.commit.sha ?? "" });
    expect(commit.data.files?.map((f) => f.filename)).toEqual(["governance/state/phase.yml"]);
    expect(gh.violations).toEqual([]);
  });

  it("lists a directory, and reads the file as it was at an older commit", async () => {
    const octokit = client();
    const before = gh.branchSha(repo);
    gh.commitFiles(repo, "main", { "governance/oncall.yml": "schedules: []\n" }, "add oncall");
    const dir = await octokit.repos.getContent({ owner: "acme", repo: "widgets", path: "governance" });
    expect(Array.isArray(dir.data)).toBe(true);
    expect((dir.data as Array<{ name: string }>).map((e) => e.name)).toContain("oncall.yml");
    const old = await octokit.repos.getContent({ owner: "acme", repo: "widgets", path: "governance/oncall.yml", ref: before }).catch((e: { status?: number }) => e);
    expect((old as { status?: number }).status).toBe(404);
    expect(gh.violations).toEqual([]);
  });

  it("creates a branch with git refs and reads it back", async () => {
    const octokit = client();
    const sha = gh.branchSha(repo);
    await octokit.git.createRef({ owner: "acme", repo: "widgets", ref: "refs/heads/feature/x", sha });
    const ref = await octokit.git.getRef({ owner: "acme", repo: "widgets", ref: "heads/feature/x" });
    expect(ref.data.object.sha).toBe(sha);
    const branch = await octokit.repos.getBranch({ owner: "acme", repo: "widgets", branch: "feature/x" });
    expect(branch.data.commit.sha).toBe(sha);
    const r = await octokit.repos.get({ owner: "acme", repo: "widgets" });
    expect(r.data.default_branch).toBe("main");
    expect(gh.violations).toEqual([]);
  });

  it("serves the same API under / and /api/v3 and logs reads and writes", async () => {
    gh.clearRequestLog();
    const root = new Octokit({ baseUrl: gh.url, auth: "x", log: quiet });
    await root.repos.get({ owner: "acme", repo: "widgets" });
    await client().repos.get({ owner: "acme", repo: "widgets" });
    await client().issues.create({ owner: "acme", repo: "widgets", title: "t" });
    expect(gh.countRequests()).toBe(3);
    expect(gh.countRequests({ write: false })).toBe(2);
    expect(gh.countRequests({ write: true, template: "/repos/{owner}/{repo}/issues" })).toBe(1);
    expect(gh.requestLog.map((e) => e.path)).toEqual(["/repos/acme/widgets", "/repos/acme/widgets", "/repos/acme/widgets/issues"]);
  });
});
