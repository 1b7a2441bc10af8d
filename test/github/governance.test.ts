import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/load/diagnostic.js";
import { GovernanceCache, governanceFromDefaultBranch, type GovernanceSnapshot } from "../../src/github/governance.js";
import { incidentCaches } from "../../src/github/incidents/cache.js";
import { incidentGovernance } from "../../src/github/incidents/list.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { governanceCacheRepos } from "../../src/server.js";
import { TestOctokit } from "../support/app-harness.js";
import { API, d9Files, mockGovernance, OWNER, REPO } from "../support/governance-mock.js";

const repo = { owner: OWNER, repo: REPO };
const gh = () => new TestOctokit({ auth: "test-token" });

describe("governance from the default branch", () => {
  let requests: string[];
  beforeEach(() => {
    nock.disableNetConnect();
    requests = [];
    nock.emitter.on("no match", (req: { method?: string; path?: string }) => requests.push(`UNMATCHED ${req.method} ${req.path}`));
  });
  afterEach(() => {
    nock.cleanAll();
    nock.emitter.removeAllListeners("no match");
  });
  const count = (scope: nock.Scope) => scope.on("request", (req: { method: string; path: string }) => requests.push(`${req.method} ${req.path}`));

  it("reads every governance file once, then costs one request while the branch has not moved", async () => {
    const { scope, sha } = mockGovernance({ files: d9Files() });
    count(scope);
    const cache = new GovernanceCache();
    const first = await governanceFromDefaultBranch(gh(), repo, "main", cache);
    expect(first.result.ok).toBe(true);
    expect(first.sha).toBe(sha);
    expect(first.present).toBe(true);
    // branch + 2 directory listings + 8 files (5 top-level, 3 state)
    expect(requests.filter((r) => r.includes("/branches/"))).toHaveLength(1);
    expect(requests.filter((r) => r.includes("/contents/"))).toHaveLength(2);
    expect(requests.filter((r) => r.includes("/git/blobs/"))).toHaveLength(8);
    requests.length = 0;
    const second = await governanceFromDefaultBranch(gh(), repo, "main", cache);
    expect(second).toBe(first);
    expect(requests).toEqual([`GET /repos/${OWNER}/${REPO}/branches/main`]);
  });

  it("treats 304 Not Modified as 'unchanged' and sends the etag it was given", async () => {
    const cache = new GovernanceCache();
    const { sha } = mockGovernance({ files: d9Files() });
    await governanceFromDefaultBranch(gh(), repo, "main", cache);
    nock.cleanAll();
    const conditional = nock(API, { reqheaders: { "if-none-match": `"${sha}"` } }).get(`/repos/${OWNER}/${REPO}/branches/main`).reply(304);
    const again = await governanceFromDefaultBranch(gh(), repo, "main", cache);
    expect(conditional.isDone()).toBe(true);
    expect(again.sha).toBe(sha);
    expect(again.result.ok).toBe(true);
  });

  it("re-reads only the files whose blob changed when the branch moves", async () => {
    const cache = new GovernanceCache();
    mockGovernance({ files: d9Files(), sha: "1".repeat(40) });
    await governanceFromDefaultBranch(gh(), repo, "main", cache);
    nock.cleanAll();
    const phase = d9Files()["state/phase.yml"]!.replace("phase: P3", "phase: P4");
    const { scope } = mockGovernance({ files: d9Files({ "state/phase.yml": phase }), sha: "2".repeat(40) });
    count(scope);
    const moved = await governanceFromDefaultBranch(gh(), repo, "main", cache);
    expect(moved.result.ok && moved.result.governance.state.phase?.phase).toBe("P4");
    expect(requests.filter((r) => r.includes("/git/blobs/"))).toHaveLength(1);
  });

  it("returns located diagnostics for invalid files instead of throwing", async () => {
    const roles = d9Files()["roles.yml"]!.replace("title: SRE Lead", "titel: SRE Lead");
    mockGovernance({ files: d9Files({ "roles.yml": roles }) });
    const snap = await governanceFromDefaultBranch(gh(), repo, "main", new GovernanceCache());
    expect(snap.result.ok).toBe(false);
    const lines = snap.result.diagnostics.map(formatDiagnostic);
    const line = roles.split("\n").findIndex((l) => l.includes("titel:")) + 1;
    expect(lines).toContain(`governance/roles.yml:${line}:5: unknown key \`titel\` in \`roles.sre-lead\` (did you mean \`title\`?)`);
  });

  it("says when the default branch has no governance directory", async () => {
    const sha = "b".repeat(40);
    mockGovernance({ files: {}, sha });
    nock.cleanAll();
    const { branch, commit } = await import("../emulator/objects.js");
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/branches/main`)
      .reply(200, branch({ repo: `${OWNER}/${REPO}`, name: "main", commit: commit({ repo: `${OWNER}/${REPO}`, sha }) }))
      .get(`/repos/${OWNER}/${REPO}/contents/governance`)
      .query({ ref: sha })
      .reply(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest/repos/contents#get-repository-content" });
    const snap = await governanceFromDefaultBranch(gh(), repo, "main", new GovernanceCache());
    expect(snap.present).toBe(false);
    expect(snap.result.ok).toBe(false);
    expect(snap.result.diagnostics.map(formatDiagnostic)).toEqual([
      "governance/roles.yml:1:1: governance/roles.yml is missing (every governance directory needs roles.yml; see docs/governance.md)",
    ]);
  });

  it("after a push, lists governance/state/ with governance/ (one round trip) when the last read had it", async () => {
    const cache = new GovernanceCache();
    mockGovernance({ files: d9Files(), sha: "1".repeat(40) });
    await governanceFromDefaultBranch(gh(), repo, "main", cache);
    nock.cleanAll();
    cache.invalidate(repo); // what the push handler does
    const { scope } = mockGovernance({ files: d9Files({ "roles.yml": `${d9Files()["roles.yml"]!}# reviewed\n` }), sha: "2".repeat(40) });
    const events: string[] = [];
    scope.on("request", (req: { path: string }) => events.push(`request ${decodeURIComponent(req.path.split("?")[0]!)}`));
    scope.on("replied", (req: { path: string }) => events.push(`replied ${decodeURIComponent(req.path.split("?")[0]!)}`));
    const moved = await governanceFromDefaultBranch(gh(), repo, "main", cache);
    expect(moved.result.ok).toBe(true);
    expect(Object.keys(moved.blobs).filter((p) => p.startsWith("state/")).sort()).toEqual(["state/killswitch.yml", "state/log.yml", "state/phase.yml"]);
    const at = (e: string) => events.indexOf(e);
    expect(at(`request /repos/${OWNER}/${REPO}/contents/governance/state`)).toBeGreaterThan(-1);
    // the state/ listing went out before governance/'s answer came back
    expect(at(`request /repos/${OWNER}/${REPO}/contents/governance/state`)).toBeLessThan(at(`replied /repos/${OWNER}/${REPO}/contents/governance`));
  });

  it("does not use an early state/ listing once governance/ no longer has state/, and stops asking for it", async () => {
    const cache = new GovernanceCache();
    mockGovernance({ files: d9Files(), sha: "1".repeat(40) });
    await governanceFromDefaultBranch(gh(), repo, "main", cache);
    nock.cleanAll();
    cache.invalidate(repo);
    const withoutState = Object.fromEntries(Object.entries(d9Files()).filter(([p]) => !p.startsWith("state/")));
    const { scope } = mockGovernance({ files: withoutState, sha: "2".repeat(40) });
    count(scope);
    const gone = await governanceFromDefaultBranch(gh(), repo, "main", cache);
    expect(Object.keys(gone.blobs).some((p) => p.startsWith("state/"))).toBe(false);
    expect(gone.result.ok && gone.result.governance.state.phase).toBeUndefined();
    nock.cleanAll();
    cache.invalidate(repo);
    requests.length = 0;
    const { scope: third } = mockGovernance({ files: withoutState, sha: "3".repeat(40) });
    count(third);
    await governanceFromDefaultBranch(gh(), repo, "main", cache);
    expect(requests.filter((r) => r.includes("/contents/"))).toEqual([`GET /repos/${OWNER}/${REPO}/contents/governance?ref=${"3".repeat(40)}`]);
  });

  it("keeps the snapshots of a bounded number of repositories, forgetting the least recently used: a forgotten one is read again", async () => {
    const seen: string[] = [];
    for (const name of ["a", "b", "c"]) {
      const { scope } = mockGovernance({ files: d9Files(), repo: name });
      scope.on("request", (req: { method: string; path: string; headers: Record<string, string | undefined> }) => {
        const what = req.path.includes("/branches/") ? (req.headers["if-none-match"] ? "branch (conditional)" : "branch") : req.path.includes("/contents/") ? "listing" : "blob";
        seen.push(`${req.path.split("/")[3]} ${what}`);
      });
    }
    const cache = new GovernanceCache({ snapshots: 2 });
    const load = async (name: string) => {
      seen.length = 0;
      const snapshot = await governanceFromDefaultBranch(gh(), { owner: OWNER, repo: name }, "main", cache);
      expect(snapshot.result.ok).toBe(true);
      return [...new Set(seen)];
    };
    expect(await load("a")).toEqual(["a branch", "a listing", "a blob"]);
    expect(await load("b")).toEqual(["b branch", "b listing"]); // the same texts: kept by blob sha
    expect(await load("a")).toEqual(["a branch (conditional)"]); // a is now the most recently used
    expect(await load("c")).toEqual(["c branch", "c listing"]); // b, the least recently used, is forgotten
    expect(await load("a")).toEqual(["a branch (conditional)"]);
    expect(await load("b")).toEqual(["b branch", "b listing"]); // read again, unconditionally
  });

  it("the incidents' last valid model per repository (used while main's governance is invalid) is kept for as many repositories, no more", async () => {
    const cache = new GovernanceCache({ snapshots: 2 });
    const caches = incidentCaches(cache);
    const loaded = await loadGovernance(memorySource(d9Files()));
    if (!loaded.ok) throw new Error("D9 must load");
    const valid = (): GovernanceSnapshot => ({ sha: "1".repeat(40), branch: "main", present: true, result: loaded, blobs: {} });
    const broken: GovernanceSnapshot = { sha: "2".repeat(40), branch: "main", present: true, result: { ok: false, diagnostics: [] }, blobs: {} };
    for (const name of ["a", "b", "c"]) expect(incidentGovernance(valid(), caches, { owner: OWNER, repo: name })?.stale).toBe(false);
    // main broken everywhere: b and c still run on their last valid model; a, the oldest, was forgotten
    expect(incidentGovernance(broken, caches, { owner: OWNER, repo: "a" })).toBeUndefined();
    expect(incidentGovernance(broken, caches, { owner: OWNER, repo: "b" })).toMatchObject({ stale: true });
    expect(incidentGovernance(broken, caches, { owner: OWNER, repo: "c" })).toMatchObject({ stale: true });
  });

  it("keeps 1,000 repositories' snapshots unless CHARTER_GOVERNANCE_CACHE_REPOS says otherwise (a whole number >= 1)", () => {
    const warnings: string[] = [];
    expect(governanceCacheRepos({})).toBe(1_000);
    expect(governanceCacheRepos({ CHARTER_GOVERNANCE_CACHE_REPOS: " 5000 " })).toBe(5_000);
    for (const bad of ["0", "-3", "2.5", "many"]) expect(governanceCacheRepos({ CHARTER_GOVERNANCE_CACHE_REPOS: bad }, (m) => warnings.push(m))).toBe(1_000);
    expect(warnings).toEqual(["0", "-3", "2.5", "many"].map((bad) => `CHARTER_GOVERNANCE_CACHE_REPOS="${bad}" is not a whole number of repositories (>= 1); using 1000`));
  });

  it("remembers whether state/ existed for a bounded number of repositories (the oldest goes first)", () => {
    const cache = new GovernanceCache({ repos: 2 });
    cache.setStateDir("acme/a", true);
    cache.setStateDir("acme/b", false);
    cache.setStateDir("acme/c", true);
    expect(cache.hadStateDir("acme/a")).toBeUndefined();
    expect(cache.hadStateDir("acme/b")).toBe(false);
    expect(cache.hadStateDir("acme/c")).toBe(true);
  });
});
