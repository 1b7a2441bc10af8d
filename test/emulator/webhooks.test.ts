import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateWebhook } from "../support/openapi/validator.js";
import { signWebhook, startEmulator, type GitHubEmulator } from "./index.js";

let gh: GitHubEmulator;
const full = "acme/ops";

beforeAll(async () => {
  gh = await startEmulator({ quiet: true });
  gh.createRepo(full);
});
afterAll(async () => {
  expect(gh.violations).toEqual([]);
  await gh.stop();
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("webhook sending", () => {
  it("signs the exact body with HMAC-SHA256 and sets the GitHub headers", async () => {
    let received: { headers: IncomingHttpHeaders; body: string } | undefined;
    const { server, url } = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
        res.writeHead(202).end("ok");
      });
    });
    try {
      const issue = gh.createIssue(full, { title: "t", user: "alice" });
      const payload = gh.payloads.issues("opened", full, issue.number);
      const delivery = await gh.sendWebhook(`${url}/hook`, "issues", payload, { secret: "s3cret" });
      expect(delivery.status).toBe(202);
      expect(received).toBeDefined();
      const { headers, body } = received as { headers: IncomingHttpHeaders; body: string };
      const expected = `sha256=${createHmac("sha256", "s3cret").update(body).digest("hex")}`;
      expect(headers["x-hub-signature-256"]).toBe(expected);
      expect(headers["x-hub-signature-256"]).not.toBe(`sha256=${createHmac("sha256", "other").update(body).digest("hex")}`);
      expect(headers["x-github-event"]).toBe("issues");
      expect(headers["x-github-delivery"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(headers["x-github-delivery"]).toBe(delivery.id);
      expect(headers["content-type"]).toBe("application/json");
      expect(JSON.parse(body)).toEqual(payload);
      expect(gh.deliveries).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it("signWebhook matches a known HMAC-SHA256 test vector", () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
    expect(signWebhook("what do ya want for nothing?", "Jefe")).toBe("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });
});

describe("payload builders", () => {
  it("agree with emulator state and keep the real example's shape", () => {
    const issue = gh.createIssue(full, { title: "P1: ingestion down", user: "alice", labels: ["severity: P1"] });
    const comment = gh.addComment(full, issue.number, "/ack", "bob");
    const opened = gh.payloads.issues("opened", full, issue.number);
    expect(opened).toMatchObject({
      action: "opened",
      issue: { number: issue.number, id: issue.id, title: "P1: ingestion down", user: { login: "alice", type: "User" } },
      repository: { full_name: full, default_branch: "main" },
      sender: { login: "alice" },
      installation: { id: gh.installationId("acme") },
    });
    const labeled = gh.payloads.issues("labeled", full, issue.number, { label: "severity: P1", sender: "charter[bot]" });
    expect(labeled).toMatchObject({ action: "labeled", label: { name: "severity: P1" }, sender: { login: "charter[bot]", type: "Bot" } });
    const created = gh.payloads.issueComment("created", full, comment.id);
    expect(created).toMatchObject({ action: "created", comment: { id: comment.id, body: "/ack", user: { login: "bob" } }, issue: { number: issue.number } });
    const edited = gh.payloads.issueComment("edited", full, comment.id, { changes: { body: { from: "/ac" } } });
    expect(edited).toMatchObject({ action: "edited", changes: { body: { from: "/ac" } } });

    const head = gh.commitFiles(full, "ga", { "x.txt": "1\n" }, "x", { author: "pm" });
    const { issue: prIssue } = gh.openPullRequest(full, { head: "ga", title: "GA", user: "pm" });
    const pr = gh.payloads.pullRequest("opened", full, prIssue.number);
    expect(pr).toMatchObject({ action: "opened", number: prIssue.number, pull_request: { number: prIssue.number, head: { sha: head, ref: "ga" }, user: { login: "pm" } } });
    const next = gh.commitFiles(full, "ga", { "y.txt": "2\n" }, "y", { author: "pm" });
    const sync = gh.payloads.pullRequest("synchronize", full, prIssue.number);
    expect(sync).toMatchObject({ action: "synchronize", before: head, after: next });
    const review = gh.submitReview(full, prIssue.number, { user: "sre", state: "APPROVED" });
    const submitted = gh.payloads.pullRequestReview("submitted", full, prIssue.number, review.id);
    expect(submitted).toMatchObject({ action: "submitted", review: { id: review.id, state: "approved", commit_id: next, user: { login: "sre" } } });
    const push = gh.payloads.push(full, "ga");
    expect(push).toMatchObject({ ref: "refs/heads/ga", before: head, after: next, head_commit: { id: next, added: ["y.txt"] } });
    gh.setTeamMembers("acme", "sre", ["sre"]);
    const membership = gh.payloads.membership("added", "acme", "sre", "sre");
    expect(membership).toMatchObject({ action: "added", member: { login: "sre" }, team: { slug: "sre" }, installation: { id: gh.installationId("acme") } });
  });

  it("match GitHub's published webhook schemas (x-webhooks in the OpenAPI description)", () => {
    const issue = gh.createIssue(full, { title: "t", user: "alice", labels: ["x"] });
    const comment = gh.addComment(full, issue.number, "/ack", "bob");
    gh.commitFiles(full, "feat", { "z.txt": "z\n" }, "z", { author: "dev" });
    const { issue: prIssue } = gh.openPullRequest(full, { head: "feat", title: "feat", user: "dev" });
    const review = gh.submitReview(full, prIssue.number, { user: "sre", state: "CHANGES_REQUESTED" });
    const run = gh.store.createCheckRun(gh.repo(full), { name: "Charter sign-off", headSha: gh.branchSha(full, "feat") });
    gh.setTeamMembers("acme", "leads", ["lee"]);
    const cases: Array<[string, string | undefined, unknown]> = [
      ["issues", "opened", gh.payloads.issues("opened", full, issue.number)],
      ["issues", "labeled", gh.payloads.issues("labeled", full, issue.number, { label: "x" })],
      ["issue_comment", "created", gh.payloads.issueComment("created", full, comment.id)],
      ["issue_comment", "edited", gh.payloads.issueComment("edited", full, comment.id)],
      ["pull_request", "opened", gh.payloads.pullRequest("opened", full, prIssue.number)],
      ["pull_request", "synchronize", gh.payloads.pullRequest("synchronize", full, prIssue.number)],
      ["pull_request", "edited", gh.payloads.pullRequest("edited", full, prIssue.number, { changes: { title: { from: "x" } } })],
      ["pull_request", "reopened", gh.payloads.pullRequest("reopened", full, prIssue.number)],
      ["pull_request", "ready_for_review", gh.payloads.pullRequest("ready_for_review", full, prIssue.number)],
      ["pull_request", "labeled", gh.payloads.pullRequest("labeled", full, prIssue.number, { label: "x" })],
      ["pull_request_review", "submitted", gh.payloads.pullRequestReview("submitted", full, prIssue.number, review.id)],
      ["pull_request_review", "edited", gh.payloads.pullRequestReview("edited", full, prIssue.number, review.id)],
      ["check_run", "rerequested", gh.payloads.checkRun("rerequested", full, run.id)],
      ["push", undefined, gh.payloads.push(full, "feat")],
      ["membership", "added", gh.payloads.membership("added", "acme", "leads", "lee")],
    ];
    const dismissedReview = gh.dismissReview(full, prIssue.number, review.id);
    cases.push(["pull_request_review", "dismissed", gh.payloads.pullRequestReview("dismissed", full, prIssue.number, dismissedReview.id)]);
    const failures = cases.map(([event, action, payload]) => [`${event}.${action ?? ""}`, validateWebhook(event, action, payload)] as const).filter(([, problems]) => problems.length > 0);
    expect(failures).toEqual([]);
  });
});

describe("Probot against the emulator", () => {
  it("verifies the signature, authenticates as the installation and writes back", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const probot = new Probot({ appId: gh.appId, privateKey, secret: "webhook-secret", baseUrl: gh.apiUrl, logLevel: "fatal" });
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on("issue_comment.created", async (context) => {
          await context.octokit.rest.reactions.createForIssueComment(context.repo({ comment_id: context.payload.comment.id, content: "+1" }));
          await context.octokit.rest.issues.createComment(context.issue({ body: `ack by ${context.payload.comment.user?.login}` }));
        });
      },
      { probot, webhooksPath: "/api/github/webhooks" },
    );
    const { server, url } = await listen((req, res) => {
      void middleware(req, res, () => res.writeHead(404).end());
    });
    try {
      const issue = gh.createIssue(full, { title: "incident", user: "alice" });
      const comment = gh.addComment(full, issue.number, "/ack", "bob");
      const payload = gh.payloads.issueComment("created", full, comment.id);
      gh.clearRequestLog();
      const bad = await gh.sendWebhook(`${url}/api/github/webhooks`, "issue_comment", payload, { secret: "wrong" });
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(gh.listComments(full, issue.number)).toHaveLength(1);

      const ok = await gh.sendWebhook(`${url}/api/github/webhooks`, "issue_comment", payload, { secret: "webhook-secret" });
      expect(ok.status).toBe(200);
      expect(gh.listComments(full, issue.number).map((c) => [c.user, c.body])).toEqual([
        ["bob", "/ack"],
        ["charter[bot]", "ack by bob"],
      ]);
      expect(gh.getComment(full, comment.id).reactions.map((r) => [r.user, r.content])).toEqual([["charter[bot]", "+1"]]);
      expect(gh.requestLog.map((e) => `${e.method} ${e.template ?? e.path} ${e.status}`)).toEqual([
        "POST /app/installations/{installation_id}/access_tokens 201",
        "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions 201",
        "POST /repos/{owner}/{repo}/issues/{issue_number}/comments 201",
      ]);
    } finally {
      server.close();
    }
  });
});
