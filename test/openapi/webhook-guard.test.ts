/**
 * The webhook guard (test/support/openapi/webhook-guard.ts, on for the whole suite through
 * test/setup/webhook-guard.ts): every payload a test delivers must validate against GitHub's
 * webhook schema for its event and action, or the delivery is refused and the test fails.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runAction } from "../../src/actions/run.js";
import * as o from "../emulator/objects.js";
import { startEmulator, type GitHubEmulator } from "../emulator/index.js";
import { sendFaultyWebhook } from "../emulator/faults.js";
import { FakeGitHub } from "../incidents/support/fake-github.js";
import { commentEvent, pullClosedEvent, pullEvent, reviewEvent } from "../killswitch/payloads.js";
import { FakeGitHub as KillSwitchGitHub, type PullRecord } from "../killswitch/fake-github.js";
import { d9Files } from "../support/governance-mock.js";
import { createTestApp } from "../support/app-harness.js";
import { ManualClock } from "../../src/clock.js";
import {
  checkRunRerequestedPayload,
  issueCommentPayload,
  issuesPayload,
  membershipPayload,
  pullRequestPayload,
  pushPayload,
  reviewPayload,
  type RepoIds,
  mergeGroupPayload,
} from "../support/signoff-payloads.js";
import { expectWebhookViolation, takeWebhookViolations, validateWebhook, webhookViolations, WebhookViolationError } from "../support/openapi/index.js";

type Obj = Record<string, unknown>;
const REPO: RepoIds = { owner: "acme", name: "ingestion" };
const FULL = "acme/ingestion";

/** A real-shaped `issue_comment.created`: `/ack` by bob on incident #7. */
function ackPayload(): Obj {
  const issue = o.issue({ repo: FULL, number: 7, title: "INCIDENT: ingestion down", user: "olga-oncall", labels: ["incident"] });
  const comment = o.issueComment({ repo: FULL, issue_number: 7, id: 101, body: "/ack", user: "bob" });
  return issueCommentPayload(REPO, issue, comment);
}

/** The problems of the one violation the guard recorded, cleared so the afterEach check stays green. */
function takeOne(): { event: string; action: string | undefined; source: string; problems: string[]; message: string } {
  const taken = takeWebhookViolations();
  expect(taken).toHaveLength(1);
  return taken[0]!;
}

describe("the webhook guard on probot.receive", () => {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    takeWebhookViolations();
  });

  it("a real-shaped payload is delivered", async () => {
    const payload = ackPayload();
    expect(validateWebhook("issue_comment", "created", payload)).toEqual([]);
    const app = await createTestApp();
    const seen: string[] = [];
    app.probot.webhooks.onAny(({ name }) => void seen.push(name));
    // Charter then reads governance from nock'd GitHub, which answers nothing: its errors are not the point
    await app.receive("issue_comment", payload).catch(() => undefined);
    expect(seen).toEqual(["issue_comment"]);
    expect(webhookViolations()).toEqual([]);
  });

  it("an invented field (issue.closed_by, which only the REST issue has) is refused before any handler runs, naming event, path and message", async () => {
    const payload = ackPayload();
    (payload.issue as Obj).closed_by = o.user("ana-owner");
    const app = await createTestApp();
    const seen: string[] = [];
    app.probot.webhooks.onAny(({ name }) => void seen.push(name));

    const error = await app.receive("issue_comment", payload).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebhookViolationError);
    expect((error as Error).message).toBe(
      ["GitHub webhook schema violation: issue_comment.created delivered by probot.receive", `  - payload/issue: unknown field "closed_by" (not in the operation's schema)`].join("\n"),
    );
    expect(seen).toEqual([]);
    const v = takeOne();
    expect([v.event, v.action, v.source]).toEqual(["issue_comment", "created", "probot.receive"]);
  });

  it("a missing required field (a hand-built comment without performed_via_github_app) is refused", async () => {
    const payload = ackPayload();
    delete (payload.comment as Obj).performed_via_github_app;
    const app = await createTestApp();
    await expect(app.receive("issue_comment", payload)).rejects.toThrow(/issue_comment\.created[\s\S]*payload\/comment: missing required field "performed_via_github_app"/);
    expect(takeOne().problems).toEqual(['payload/comment: missing required field "performed_via_github_app"']);
  });

  it("a partial organization (4 of its 12 required fields) is refused", async () => {
    const payload = membershipPayload("added", "acme", "sre", "sam-sre");
    payload.organization = { login: "acme", id: 1, node_id: "MDEyOk9yZ2FuaXphdGlvbjE=", url: "https://api.github.com/orgs/acme" };
    const app = await createTestApp();
    await expect(app.receive("membership", payload)).rejects.toThrow(WebhookViolationError);
    const { problems } = takeOne();
    expect(problems.filter((p) => p.startsWith("payload/organization: missing required field"))).toHaveLength(8);
  });

  it("a wrong type is refused (a review id as a string)", async () => {
    const pr = o.pullRequest({ repo: { owner: "acme", name: "ingestion" }, number: 3, user: "pat-pm", head: { ref: "ga", sha: "a".repeat(40) }, base: { ref: "main", sha: "b".repeat(40) } }, { simple: true });
    const review = o.review({ id: 9, user: "sam-sre", state: "APPROVED", commit_id: "a".repeat(40), repo: FULL, pull_number: 3 });
    const payload = reviewPayload("submitted", REPO, pr, review);
    expect(validateWebhook("pull_request_review", "submitted", payload)).toEqual([]);
    (payload.review as Obj).id = "9";
    const app = await createTestApp();
    await expect(app.receive("pull_request_review", payload)).rejects.toThrow(WebhookViolationError);
    expect(takeOne().problems).toEqual(['payload/review/id: "9" must be integer']);
  });

  it("a refused delivery that the caller swallows is still recorded, so the setup file's afterEach fails the test", async () => {
    const payload = ackPayload();
    payload.colour = "red";
    const app = await createTestApp();
    await app.receive("issue_comment", payload).catch(() => undefined);
    expect(webhookViolations().map((v) => v.message).join("\n")).toMatch(/payload: unknown field "colour"/);
  });

  it("an event without a schema is refused", async () => {
    const app = await createTestApp();
    await expect(app.receive("issue_comment_v2", { action: "created" })).rejects.toThrow(/no webhook schema for issue_comment_v2\.created/);
  });

  it("expectWebhookViolation delivers a deliberate bad payload, and fails when nothing was wrong", async () => {
    const payload = ackPayload();
    delete payload.sender;
    const app = await createTestApp();
    const seen: string[] = [];
    app.probot.webhooks.onAny(({ name }) => void seen.push(name));
    const { violations } = await expectWebhookViolation(() => app.receive("issue_comment", payload).catch(() => undefined), /missing required field "sender"/);
    expect(violations).toHaveLength(1);
    expect(seen).toEqual(["issue_comment"]); // delivered: the test means it
    expect(webhookViolations()).toEqual([]);
    await expect(expectWebhookViolation(() => app.receive("issue_comment", ackPayload()).catch(() => undefined))).rejects.toThrow(/expected a webhook schema violation/);
  });
});

describe("the webhook guard on the emulator's signed deliveries and on Actions mode's event file", () => {
  let gh: GitHubEmulator;
  let hits = 0;
  let url = "";
  let server: ReturnType<typeof createServer>;
  let dir: string;

  beforeAll(async () => {
    nock.enableNetConnect("127.0.0.1");
    gh = await startEmulator({ quiet: true });
    gh.createRepo(FULL);
    server = createServer((_req, res) => {
      hits++;
      res.writeHead(202).end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
    dir = mkdtempSync(join(tmpdir(), "charter-webhook-guard-"));
  });
  afterAll(async () => {
    server.close();
    await gh.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    takeWebhookViolations();
    vi.restoreAllMocks();
  });

  it("an invented field is refused before anything is signed or sent", async () => {
    const issue = gh.createIssue(FULL, { title: "t", user: "alice" });
    const payload = gh.payloads.issues("opened", FULL, issue.number);
    (payload.issue as Obj).closed_by = null;
    const before = { hits, deliveries: gh.deliveries.length };
    await expect(gh.sendWebhook(url, "issues", payload, { secret: "s" })).rejects.toThrow(/issues\.opened delivered by the emulator → http:\/\/127\.0\.0\.1:\d+\/api\/github\/webhooks\n {2}- payload\/issue: unknown field "closed_by"/);
    expect({ hits, deliveries: gh.deliveries.length }).toEqual(before);
    // the same payload as GitHub builds it goes through
    const ok = await gh.sendWebhook(url, "issues", gh.payloads.issues("opened", FULL, issue.number), { secret: "s" });
    expect(ok.status).toBe(202);
    takeOne();
  });

  it("a damaged delivery (fault injection) still starts from a payload GitHub would send", async () => {
    const issue = gh.createIssue(FULL, { title: "t", user: "alice" });
    const payload = gh.payloads.issues("opened", FULL, issue.number);
    delete payload.repository;
    await expect(sendFaultyWebhook(url, "issues", payload, "truncated", { secret: "s" })).rejects.toThrow(/payload: missing required field "repository"/);
    takeOne();
  });

  it("Actions mode: an event file with an invented field fails the step with the guard's message", async () => {
    const issue = gh.createIssue(FULL, { title: "P1: down", user: "alice" });
    const payload = gh.payloads.issues("opened", FULL, issue.number);
    delete payload.installation;
    payload.charter_invented = true;
    const eventPath = join(dir, "event.json");
    writeFileSync(eventPath, JSON.stringify(payload));
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const result = await runAction({
      GITHUB_EVENT_NAME: "issues",
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: FULL,
      GITHUB_TOKEN: gh.tokenFor("github-actions[bot]"),
      GITHUB_API_URL: gh.apiUrl,
      NODE_ENV: "test",
      LOG_LEVEL: "fatal",
    });
    expect(result.exitCode).toBe(1);
    expect(result.outcome).toMatch(/issues\.opened delivered by probot\.receive\n {2}- payload: unknown field "charter_invented"/);
    takeOne();
  });
});

describe("every payload builder validates, for every action it builds", () => {
  const sha = (c: string) => c.repeat(40);
  const pr = (simple = false) => o.pullRequest({ repo: { owner: "acme", name: "ingestion" }, number: 3, user: "pat-pm", head: { ref: "ga", sha: sha("a") }, base: { ref: "main", sha: sha("b") } }, { simple });
  const issue = () => o.issue({ repo: FULL, number: 7, title: "INCIDENT", user: "olga-oncall", labels: ["incident"], assignees: ["olga-oncall"], state: "closed", closed_by: "ana-owner" });

  it("test/support/signoff-payloads.ts", () => {
    const review = o.review({ id: 9, user: "sam-sre", state: "CHANGES_REQUESTED", commit_id: sha("a"), repo: FULL, pull_number: 3 });
    const run = o.checkRun({ id: 5, name: "Charter sign-off", head_sha: sha("a"), status: "completed", conclusion: "failure" });
    const cases: Array<[string, Obj]> = [
      ...(["opened", "edited", "synchronize", "reopened", "ready_for_review", "labeled", "closed"] as const).map((a) => ["pull_request", pullRequestPayload(a, REPO, pr(), a === "edited" ? { changes: { body: { from: "x" } } } : {})] as [string, Obj]),
      ...(["submitted", "dismissed", "edited"] as const).map((a) => ["pull_request_review", reviewPayload(a, REPO, pr(true), review)] as [string, Obj]),
      ["check_run", checkRunRerequestedPayload(REPO, run, "pat-pm")],
      ["merge_group", mergeGroupPayload(REPO, { pull: 3, headSha: sha("d"), baseSha: sha("b") })],
      ["push", pushPayload(REPO, { before: sha("b"), after: sha("c"), pusher: "ana-owner", files: { modified: ["governance/roles.yml"] } })],
      ["membership", membershipPayload("added", "acme", "sre", "sam-sre")],
      ["membership", membershipPayload("removed", "acme", "sre", "sam-sre")],
      ["issue_comment", issueCommentPayload(REPO, issue(), o.issueComment({ repo: FULL, issue_number: 7, id: 1, body: "/ack", user: "olga-oncall" }))],
      ["issue_comment", issueCommentPayload(REPO, issue(), o.issueComment({ repo: FULL, issue_number: 7, id: 2, body: "status", user: "charter[bot]" }))],
      ...(["opened", "edited", "closed", "reopened", "labeled", "unlabeled"] as const).map(
        (a) => ["issues", issuesPayload(a, REPO, issue(), "olga-oncall", a.endsWith("labeled") ? o.label({ repo: FULL, name: "incident" }) : undefined)] as [string, Obj],
      ),
    ];
    expect(failures(cases)).toEqual([]);
  });

  it("test/incidents/support/fake-github.ts", () => {
    const fake = new FakeGitHub(new ManualClock("2025-06-02T10:00:00Z"));
    const i = fake.addIssue({ title: "P1: down", user: "olga-oncall", labels: ["incident", "severity: P1"], assignees: ["olga-oncall"] });
    const human = fake.addComment(i.number, "bob", "/ack");
    const cases: Array<[string, Obj]> = [
      ...(["opened", "labeled", "unlabeled", "closed", "reopened", "edited"] as const).map((a) => ["issues", fake.issuesPayload(a, i.number, { label: "incident" })] as [string, Obj]),
      ["issue_comment", fake.commentPayload(human.id)],
      ["issue_comment", fake.commentPayload(human.id, "edited")],
    ];
    expect(failures(cases)).toEqual([]);
  });

  it("test/killswitch/payloads.ts", () => {
    const fake = new KillSwitchGitHub(d9Files());
    const record: PullRecord = { number: 100, title: "Resume", head: "main", base: "main", body: "resume", headSha: fake.branches.get("main")!, state: "open" };
    const cases: Array<[string, Obj]> = [
      ["issue_comment", commentEvent({ body: "/killswitch activate global", user: "olga-oncall" }).payload],
      ["pull_request", pullEvent(fake, record, "opened")],
      ["pull_request", pullEvent(fake, record, "edited", "ana-owner")],
      ["pull_request", pullClosedEvent(fake, record, { merged: true })],
      ["pull_request", pullClosedEvent(fake, record, { merged: false })],
      ["pull_request_review", reviewEvent(fake, record, { id: 4, login: "ana-owner", state: "APPROVED", commitId: record.headSha })],
    ];
    expect(failures(cases)).toEqual([]);
  });

  it("test/emulator/payloads.ts (what the e2e, fault and Actions worlds deliver)", async () => {
    const gh = await startEmulator({ quiet: true });
    try {
      gh.setTeamMembers("acme", "sre", ["sam"]);
      gh.createRepo(FULL);
      const i = gh.createIssue(FULL, { title: "P1", user: "alice", labels: ["incident"], assignees: ["alice"] });
      const human = gh.addComment(FULL, i.number, "/ack", "bob");
      const bot = gh.addComment(FULL, i.number, "status", "charter[bot]");
      gh.commitFiles(FULL, "ga", { "x.txt": "1\n" }, "x", { author: "pm" });
      const { issue: p } = gh.openPullRequest(FULL, { head: "ga", title: "GA", user: "pm" });
      const review = gh.submitReview(FULL, p.number, { user: "sre", state: "APPROVED" });
      const run = gh.store.createCheckRun(gh.repo(FULL), { name: "Charter sign-off", headSha: gh.branchSha(FULL, "ga") });
      const cases: Array<[string, Obj]> = [
        ...(["opened", "edited", "closed", "reopened", "labeled", "unlabeled", "assigned", "unassigned"] as const).map((a) => ["issues", gh.payloads.issues(a, FULL, i.number, { label: "incident", assignee: "alice" })] as [string, Obj]),
        ...(["created", "edited", "deleted"] as const).map((a) => ["issue_comment", gh.payloads.issueComment(a, FULL, human.id)] as [string, Obj]),
        ["issue_comment", gh.payloads.issueComment("created", FULL, bot.id)],
        ...(["opened", "synchronize", "edited", "reopened", "ready_for_review", "labeled", "unlabeled", "closed"] as const).map((a) => ["pull_request", gh.payloads.pullRequest(a, FULL, p.number, { label: "x" })] as [string, Obj]),
        ...(["submitted", "edited", "dismissed"] as const).map((a) => ["pull_request_review", gh.payloads.pullRequestReview(a, FULL, p.number, review.id)] as [string, Obj]),
        ...(["rerequested", "created", "completed", "requested_action"] as const).map((a) => ["check_run", gh.payloads.checkRun(a, FULL, run.id, { requestedAction: "rerun" })] as [string, Obj]),
        ["push", gh.payloads.push(FULL, "ga")],
        ...(["added", "removed"] as const).map((a) => ["membership", gh.payloads.membership(a, "acme", "sre", "sam")] as [string, Obj]),
      ];
      expect(failures(cases)).toEqual([]);
    } finally {
      await gh.stop();
    }
  });
});

function failures(cases: Array<[string, Obj]>): Array<[string, string[]]> {
  return cases
    .map(([event, payload]) => [`${event}.${String(payload.action ?? "")}`, validateWebhook(event, payload.action as string | undefined, payload)] as [string, string[]])
    .filter(([, problems]) => problems.length > 0);
}
