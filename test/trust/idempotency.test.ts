/**
 * Idempotency keys (src/core/trust/idempotency.ts) and the write layer that uses them
 * (src/github/writes/create.ts): a write whose outcome is unknown is looked for, found only among
 * Charter's own objects carrying a key sealed for that place, and written again only when it is not
 * there. A marker a person writes, copies or edits never makes Charter skip a write.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encodeKey, hasKey, keyScope, keysIn, withKey } from "../../src/core/trust/idempotency.js";
import type { GitHubClient } from "../../src/github/client.js";
import { createCheckRun, createComment, createIssue, type Writer } from "../../src/github/writes/create.js";
import { forgetUncertain, isUncertain } from "../../src/github/writes/memory.js";
import { UnknownOutcomeError } from "../../src/github/writes/outcome.js";
import { FaultWorld, REPO } from "../faults/support/world.js";
import { TEST_IDENTITY } from "../support/identity.js";
import { ADVISORY_IDENTITY, sealKeysFrom } from "../../src/github/identity.js";

const keys = TEST_IDENTITY.keys;
const here = keyScope(REPO, 7);

describe("idempotency keys", () => {
  it("verify where they were sealed, for the key they name, and nowhere else", () => {
    const body = withKey("Paged @olga", "incident/7/s0.1", keys, here);
    expect(body).toMatch(/^Paged @olga\n\n<!-- charter:key incident\/7\/s0\.1 seal=[A-Za-z0-9_-]{32} -->$/);
    expect(keysIn(body, keys, here)).toEqual(["incident/7/s0.1"]);
    expect(hasKey(body, "incident/7/s0.1", keys, here)).toBe(true);
    expect(hasKey(body, "incident/7/s0.2", keys, here)).toBe(false);
    expect(hasKey(body, "incident/7/s0.1", keys, keyScope(REPO, 8))).toBe(false); // copied to another issue
    expect(hasKey(body, "incident/7/s0.1", keys, keyScope("acme/other", 7))).toBe(false); // to another repository
    const otherKeys = sealKeysFrom({ CHARTER_SEAL_KEYS: "z".repeat(40) }, undefined);
    expect(hasKey(body, "incident/7/s0.1", otherKeys, here)).toBe(false); // sealed by someone else
  });

  it("a hand-written or edited marker does not verify", () => {
    const real = encodeKey("command/901/reply", keys, here);
    expect(keysIn(real.replace("command/901", "command/902"), keys, here)).toEqual([]);
    expect(keysIn("<!-- charter:key command/901/reply seal=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA -->", keys, here)).toEqual([]);
    expect(keysIn("<!-- charter:key command/901/reply seal=unsealed -->", keys, here)).toEqual([]);
    expect(keysIn(`${"<!-- charter:key ".repeat(5000)}`, keys, here)).toEqual([]);
    expect(keysIn(`x`.repeat(140_000) + real, keys, here)).toEqual([]); // longer than GitHub keeps: not read
  });

  it("keys keep to their alphabet: anything else becomes `_`", () => {
    expect(keysIn(withKey("b", "a b-->c", keys, here), keys, here)).toEqual(["a_b--_c"]);
  });
});

describe("the write layer against the emulator", () => {
  let w: FaultWorld;
  let writer: Writer;
  let issue: number;

  beforeAll(async () => {
    w = await FaultWorld.start({ start: "2025-06-04T13:00:00Z", policy: { requestTimeoutMs: 400 } });
    const gh = (await w.probot.auth(w.gh.installationId("acme"))) as unknown as GitHubClient;
    writer = { gh, repo: { owner: "acme", repo: "ingestion" }, identity: TEST_IDENTITY };
    issue = w.gh.createIssue(REPO, { title: "Uploads failing", body: "", user: "olga-oncall" }).number;
    // first use of each operation compiles its validators (emulator and guard): not a slow GitHub
    const warm = (await w.probot.auth(w.gh.installationId("acme"))) as unknown as GitHubClient;
    await warm.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...writer.repo, issue_number: issue }).catch(() => undefined);
    await warm.request("GET /repos/{owner}/{repo}/issues", { ...writer.repo }).catch(() => undefined);
    await warm.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...writer.repo, issue_number: issue, body: "warm-up" }).catch(() => undefined);
    await warm.request("POST /repos/{owner}/{repo}/issues", { ...writer.repo, title: "warm-up" }).catch(() => undefined);
  }, 60_000);

  afterAll(async () => {
    await w.stop();
  });

  beforeEach(() => {
    w.gh.faults = undefined;
    forgetUncertain();
  });

  const writes = () => w.gh.requestLog.filter((r) => !(r.template ?? "").startsWith("/app"));
  const charterComments = () => w.gh.listComments(REPO, issue).filter((c) => c.user === w.botLogin);

  it("a write that succeeds costs exactly its one request", async () => {
    const before = writes().length;
    const created = await createComment(writer, issue, "hello", { key: "t/ok" });
    expect(writes().slice(before).map((r) => `${r.method} ${r.template}`)).toEqual(["POST /repos/{owner}/{repo}/issues/{issue_number}/comments"]);
    expect(created.found).toBe(false);
  });

  it("applied but answered 502: found by its key, not written again (one list request more)", async () => {
    let first = true;
    w.gh.faults = ({ method, template }) => (method === "POST" && template.endsWith("/comments") && first ? ((first = false), { applied: true, status: 502 }) : undefined);
    const before = writes().length;
    const had = charterComments().length;
    const created = await createComment(writer, issue, "applied then 502", { key: "t/applied" });
    expect(created.found).toBe(true);
    expect(charterComments().length).toBe(had + 1);
    expect(writes().slice(before).map((r) => `${r.method} ${r.status}`)).toEqual(["POST 502", "GET 200"]);
  });

  it("not applied, answered 502, with forged markers around: none counts, so it is written once more", async () => {
    const key = "t/forged";
    // worst case: a person copies a marker that verifies into their own comment
    w.gh.addComment(REPO, issue, `totally done ${encodeKey(key, keys, here)}`, "mallory");
    // a person edits one of Charter's comments: a made-up seal, and a real key sealed for another issue
    const victim = charterComments()[0]!;
    w.gh.getComment(REPO, victim.id).body = `${victim.body}\n<!-- charter:key ${key} seal=${"A".repeat(32)} -->\n${encodeKey(key, keys, keyScope(REPO, issue + 1))}`;
    let first = true;
    w.gh.faults = ({ method, template }) => (method === "POST" && template.endsWith("/comments") && first ? ((first = false), { status: 502 }) : undefined);
    const had = charterComments().length;
    const created = await createComment(writer, issue, "must be written", { key });
    expect(created.found).toBe(false);
    expect(charterComments().length).toBe(had + 1);
    expect(w.gh.getComment(REPO, created.id).body).toContain("must be written");
  });

  it("no answer and not there yet: nothing is written again, the job fails, and the retry looks first", async () => {
    w.gh.faults = ({ method, template }) => (method === "POST" && template.endsWith("/comments") ? { delayMs: 900 } : undefined);
    const had = charterComments().length;
    await expect(createComment(writer, issue, "in flight", { key: "t/flight" })).rejects.toBeInstanceOf(UnknownOutcomeError);
    expect(isUncertain(`acme/ingestion#${issue}`)).toBe(true);
    w.gh.faults = undefined;
    await new Promise((r) => setTimeout(r, 1_000)); // GitHub finishes the write
    const before = writes().length;
    const again = await createComment(writer, issue, "in flight", { key: "t/flight" });
    expect(again.found).toBe(true);
    expect(writes().slice(before).map((r) => r.method)).toEqual(["GET"]);
    expect(charterComments().length).toBe(had + 1);
  });

  it("an issue applied but answered 502 is found among Charter's issues by its key", async () => {
    let first = true;
    w.gh.faults = ({ method, template }) => (method === "POST" && template === "/repos/{owner}/{repo}/issues" && first ? ((first = false), { applied: true, status: 502 }) : undefined);
    const count = () => w.gh.listIssues(REPO).filter((i) => i.user === w.botLogin).length;
    const had = count();
    const created = await createIssue(writer, { title: "Post-incident review", body: "Due Friday." }, { key: "t/review" });
    expect(created.found).toBe(true);
    expect(count()).toBe(had + 1);
  });

  it("a 4xx is GitHub saying no: the caller gets it, nothing is looked up", async () => {
    w.gh.faults = ({ method }) => (method === "POST" ? { status: 422 } : undefined);
    const before = writes().length;
    await expect(createComment(writer, issue, "refused", { key: "t/422" })).rejects.toMatchObject({ status: 422 });
    expect(writes().slice(before).map((r) => r.method)).toEqual(["POST"]);
  });

  describe("check runs", () => {
    const run = (headSha: string, title: string) => ({ name: "Charter sign-off", headSha, conclusion: "failure" as const, completedAt: "2025-06-04T13:00:00Z", output: { title, summary: `${title}.` } });
    const charterRuns = (sha: string) => w.gh.listCheckRuns(REPO, sha).filter((r) => r.name === "Charter sign-off" && r.app === undefined);
    const isCheckCreate = (method: string, template: string) => method === "POST" && template === "/repos/{owner}/{repo}/check-runs";

    it("a write that succeeds costs exactly its one request, and looks for nothing", async () => {
      const sha = w.gh.branchSha(REPO, "main");
      const before = writes().length;
      const created = await createCheckRun(writer, run(sha, "Waiting for SRE Lead"));
      expect(writes().slice(before).map((r) => `${r.method} ${r.template}`)).toEqual(["POST /repos/{owner}/{repo}/check-runs"]);
      expect(created.found).toBe(false);
    });

    it("applied but answered 502: found by app, name, head and output (one filtered list request more), not written again", async () => {
      const sha = w.gh.branchSha(REPO, "main");
      const had = charterRuns(sha).length;
      let first = true;
      w.gh.faults = ({ method, template }) => (isCheckCreate(method, template) && first ? ((first = false), { applied: true, status: 502 }) : undefined);
      const before = writes().length;
      const created = await createCheckRun(writer, run(sha, "Applied then 502"));
      expect(created.found).toBe(true);
      expect(charterRuns(sha).length).toBe(had + 1);
      expect(writes().slice(before).map((r) => `${r.method} ${r.status} ${r.query}`)).toEqual(["POST 502 ", `GET 200 ?check_name=Charter%20sign-off&app_id=${w.gh.appId}&filter=latest&per_page=10`]);
    });

    it("without an app id (advisory mode) nothing is looked for: a 502 is written once more", async () => {
      const sha = w.gh.branchSha(REPO, "main");
      let first = true;
      w.gh.faults = ({ method, template }) => (isCheckCreate(method, template) && first ? ((first = false), { status: 502 }) : undefined);
      const before = writes().length;
      const created = await createCheckRun({ ...writer, identity: ADVISORY_IDENTITY }, run(sha, "Advisory"));
      expect(created.found).toBe(false);
      expect(writes().slice(before).map((r) => `${r.method} ${r.status}`)).toEqual(["POST 502", "POST 201"]);
    });
  });
});
