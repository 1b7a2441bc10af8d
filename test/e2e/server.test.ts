/**
 * Server mode, end to end: `probot run dist/app.js` (what `npm start` runs) as a child process
 * against the local GitHub emulator. Health endpoint, webhook signatures, JSON logs with the
 * delivery id, the test-only controls and their production guard, and Probot's setup flow.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhook, startEmulator, type GitHubEmulator } from "../emulator/index.js";
import { expectWebhookViolation } from "../support/openapi/index.js";
import { BUILD_AND_START_TIMEOUT, DIST_APP, ensureBuilt, ROOT } from "./support/build.js";
import { CharterServer, freePort } from "./support/server.js";
import { repositoryGovernance, REPO } from "./support/world.js";

const START = "2025-06-02T10:00:00Z";
const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

let gh: GitHubEmulator;
let server: CharterServer;

beforeAll(async () => {
  await ensureBuilt();
  gh = await startEmulator({ startTime: START, quiet: true });
  gh.createRepo(REPO, { files: { "README.md": "# ingestion\n", ...repositoryGovernance() } });
  server = await CharterServer.start({ gheHost: gh.host, appId: gh.appId, now: START, entry: "probot-run" });
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await server?.stop();
  await gh?.stop();
});

/** A comment that Charter answers with a write (a "did you mean" reply), if the delivery is accepted. */
function typoComment(): { payload: Record<string, unknown>; issue: number } {
  const issue = gh.createIssue(REPO, { title: "Question", user: "rita-reporter" });
  const c = gh.addComment(REPO, issue.number, "/hlep", "rita-reporter");
  return { payload: gh.payloads.issueComment("created", REPO, c.id, { sender: "rita-reporter" }), issue: issue.number };
}

describe("server mode (probot run dist/app.js)", () => {
  it("answers GET /healthz with 200 and JSON { status, version }", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ status: "ok", version });
  });

  it("rejects unsigned and wrongly signed webhooks, and nothing reaches GitHub", async () => {
    const { payload, issue } = typoComment();
    gh.clearRequestLog();
    const unsigned = await gh.sendWebhook(server.webhookUrl, "issue_comment", payload);
    const wrong = await gh.sendWebhook(server.webhookUrl, "issue_comment", payload, { secret: "not-the-secret" });
    // signed with the right secret, but the body was changed on the way (into an `edited` without
    // `changes`: not a payload GitHub sends, so declared to the webhook guard)
    const { result: tampered } = await expectWebhookViolation(
      () =>
        gh.sendWebhook(server.webhookUrl, "issue_comment", { ...payload, action: "edited" }, {
          headers: { "x-hub-signature-256": signWebhook(JSON.stringify(payload), server.secret) },
        }),
      'missing required field "changes"',
    );
    expect(unsigned.status).toBe(400);
    expect([400, 401]).toContain(wrong.status);
    expect([400, 401]).toContain(tampered.status);
    expect(gh.requestLog).toEqual([]);
    expect(gh.listComments(REPO, issue).map((c) => c.user)).toEqual(["rita-reporter"]);

    // the same delivery, correctly signed, is handled: the rejections above were the signature's doing
    const signed = await gh.sendWebhook(server.webhookUrl, "issue_comment", payload, { secret: server.secret });
    expect(signed.status).toBe(200);
    const replies = gh.listComments(REPO, issue).filter((c) => c.user === gh.botLogin);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain("/help");
  });

  it("logs JSON, and every line logged while handling an event carries its delivery id", async () => {
    const { payload } = typoComment();
    const delivery = await gh.sendWebhook(server.webhookUrl, "issue_comment", payload, { secret: server.secret });
    expect(delivery.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200)); // let the last lines reach the pipe
    const nonJson = server.rawOutput.filter((l) => l.trim() !== "" && !l.trim().startsWith("{"));
    expect(nonJson).toEqual([]);
    const lines = server.linesFor(delivery.id);
    // Probot's HTTP line (req.id) and the event's own lines (id) both name the delivery
    expect(lines.some((l) => l.name === "http")).toBe(true);
    expect(lines.some((l) => l.name === "event" && l.msg === "received issue_comment.created")).toBe(true);
    // no event line without an id, except Probot's own line for a delivery it rejected before
    // reading it (bad signature); that request's HTTP line still carries the delivery id
    const withoutId = server.lines.filter((l) => l.name === "event" && typeof l.id !== "string");
    expect(withoutId.filter((l) => !JSON.stringify(l.err ?? l).includes("signature does not match"))).toEqual([]);
  });

  it("runs one reconcile pass on POST /charter/test/sweep in test mode, from the default branch", async () => {
    const { status, body } = await server.sweep(REPO);
    expect(status).toBe(200);
    expect(body.repo).toBe(REPO);
    expect(body.at).toBe(new Date(START).toISOString());
    expect(body.governanceSha).toBe(gh.branchSha(REPO));
    expect(body.errors).toEqual([]);
  });

  it("honours the clock file: the sweep sees the instant written in it", async () => {
    server.setTime("2025-06-02T10:45:00Z");
    const { body } = await server.sweep(REPO);
    expect(body.at).toBe("2025-06-02T10:45:00.000Z");
    server.setTime(START);
  });

  it("ignores the clock file and has no test endpoint in production", async () => {
    const dir = mkdtempSync(join(tmpdir(), "charter-prod-clock-"));
    const clock = join(dir, "clock");
    writeFileSync(clock, "2030-01-01T00:00:00Z\n");
    const prod = await CharterServer.start({ gheHost: gh.host, appId: gh.appId, now: START, entry: "probot-run", env: { NODE_ENV: "production", CHARTER_CLOCK_FILE: clock } });
    try {
      expect((await fetch(`${prod.url}/healthz`)).status).toBe(200);
      const res = await fetch(`${prod.url}/charter/test/sweep`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ owner: "acme", repo: "ingestion" }) });
      expect(res.status).toBe(404);
      expect(prod.lines.some((l) => l.level === 40 && String(l.msg).includes("CHARTER_CLOCK_FILE is set but ignored"))).toBe(true);
      expect(prod.lines.some((l) => String(l.msg).includes("Controllable clock"))).toBe(false);
    } finally {
      await prod.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("setup flow (no credentials)", () => {
  it("serves Probot's setup page from app.yml on /probot", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "charter-setup-"));
    copyFileSync(join(ROOT, "app.yml"), join(cwd, "app.yml"));
    copyFileSync(join(ROOT, "package.json"), join(cwd, "package.json"));
    const port = await freePort();
    const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: cwd, PORT: String(port), HOST: "127.0.0.1", NO_SMEE_SETUP: "true", LOG_LEVEL: "warn" };
    const child = spawn(process.execPath, [join(ROOT, "node_modules", "probot", "bin", "probot.js"), "run", DIST_APP], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    try {
      let html: string | undefined;
      const deadline = Date.now() + 20_000;
      while (html === undefined && Date.now() < deadline) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/probot`);
          if (res.status === 200) html = await res.text();
        } catch {
          await new Promise((r) => setTimeout(r, 150));
        }
      }
      expect(html, output).toBeDefined();
      // the page posts our manifest (app.yml) to GitHub's "create app from manifest" form
      const manifest = /name="manifest"[^>]*value="([^"]*)"/.exec(html!)?.[1] ?? /value='([^']*)'/.exec(html!)?.[1];
      expect(manifest, html).toBeDefined();
      const decoded = JSON.parse(manifest!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">")) as Record<string, unknown>;
      expect(decoded.name).toBe("Charter");
      expect(decoded.default_permissions).toMatchObject({ checks: "write", contents: "write", issues: "write", pull_requests: "write", members: "read" });
      expect(decoded.default_events).toEqual(expect.arrayContaining(["issues", "issue_comment", "pull_request", "pull_request_review", "push"]));
      // Probot fills the webhook URL in (smee.io channel or this server); app.yml must not override it
      expect((decoded.hook_attributes as { url: string }).url).toBe(`http://127.0.0.1:${port}/`);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
