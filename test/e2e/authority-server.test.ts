/**
 * The real server process refuses to start on a configuration that would let anyone act through
 * it (hardening issue #10, item 14): no WEBHOOK_SECRET outside test/demo mode (Probot would verify
 * deliveries with its public default `development`), a known-weak secret, or invalid
 * CHARTER_SEAL_KEYS. A clear message, a non-zero exit, no stack trace, and nothing listening. Both
 * ways to start it: `node dist/main.js` (npm start) and `probot run dist/app.js`.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type GitHubEmulator } from "../emulator/index.js";
import { BUILD_AND_START_TIMEOUT, DIST_APP, DIST_MAIN, ensureBuilt, ROOT } from "./support/build.js";
import { CharterServer, freePort, generateAppKey } from "./support/server.js";
import { REPO, repositoryGovernance } from "./support/world.js";

const START = "2025-06-02T10:00:00Z";
let gh: GitHubEmulator;

beforeAll(async () => {
  await ensureBuilt();
  gh = await startEmulator({ startTime: START, quiet: true });
  gh.createRepo(REPO, { files: { "README.md": "# ingestion\n", ...repositoryGovernance() } });
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await gh?.stop();
});

interface Exit {
  code: number | null;
  output: string;
  /** Whether anything answered on the port meanwhile. */
  listened: boolean;
}

/** Starts the built server with `env` (a minimal environment, as in production) and waits for it to exit. */
async function startAndExit(entry: "main" | "probot-run", env: Record<string, string | undefined>): Promise<Exit> {
  const cwd = mkdtempSync(join(tmpdir(), "charter-refuse-"));
  const port = await freePort();
  const base: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: cwd, APP_ID: String(gh.appId), PRIVATE_KEY: generateAppKey(), GHE_HOST: gh.host, GHE_PROTOCOL: "http", HOST: "127.0.0.1", PORT: String(port), NO_SMEE_SETUP: "true", LOG_LEVEL: "info" };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  const args = entry === "probot-run" ? [join(ROOT, "node_modules", "probot", "bin", "probot.js"), "run", DIST_APP] : [DIST_MAIN];
  const child = spawn(process.execPath, args, { cwd, env: base, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  let listened = false;
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const poll = setInterval(() => {
    fetch(`http://127.0.0.1:${port}/healthz`).then(() => (listened = true), () => undefined);
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  clearInterval(poll);
  rmSync(cwd, { recursive: true, force: true });
  return { code, output, listened };
}

function expectRefused(exit: Exit, words: RegExp): void {
  expect(exit.code, exit.output).toBe(1);
  expect(exit.output).toContain("Charter refuses to start:");
  expect(exit.output).toMatch(words);
  expect(exit.output).toContain("Nothing was started.");
  // no stack trace: no "    at fn (file:line)" lines, no "Error:" dump
  expect(exit.output).not.toMatch(/^\s+at .+:\d+/m);
  expect(exit.listened).toBe(false);
}

describe("the server refuses to start without a real webhook secret (#10 item 14)", () => {
  it("NODE_ENV=production without WEBHOOK_SECRET: refused (npm start's node dist/main.js)", async () => {
    const exit = await startAndExit("main", { NODE_ENV: "production" });
    expectRefused(exit, /WEBHOOK_SECRET is not set: Probot would then accept deliveries signed with its public default `development`/);
    // production logs are JSON: the refusal is one JSON line at level fatal
    const line = exit.output.split("\n").find((l) => l.includes("Charter refuses to start"))!;
    expect(JSON.parse(line)).toMatchObject({ level: 60, name: "charter" });
  });

  it("no NODE_ENV and no WEBHOOK_SECRET, through `probot run dist/app.js`: refused too", async () => {
    const exit = await startAndExit("probot-run", { LOG_FORMAT: "pretty" });
    expectRefused(exit, /WEBHOOK_SECRET is not set/);
  });

  it("WEBHOOK_SECRET=development (Probot's public default, set explicitly): refused", async () => {
    const exit = await startAndExit("main", { NODE_ENV: "production", WEBHOOK_SECRET: "development" });
    expectRefused(exit, /WEBHOOK_SECRET is `development`, a publicly known value/);
  });

  it("a short CHARTER_SEAL_KEYS entry: refused, even in test mode", async () => {
    const exit = await startAndExit("main", { NODE_ENV: "test", WEBHOOK_SECRET: "4f1c0d7e9a3b5c2d8e6f1a0b9c8d7e6f", CHARTER_SEAL_KEYS: "too-short" });
    expectRefused(exit, /CHARTER_SEAL_KEYS entry 1 has 9 characters; use at least 32 random characters/);
  });

  it("a real secret starts normally in production, and a delivery signed with `development` is refused", async () => {
    const server = await CharterServer.start({ gheHost: gh.host, appId: gh.appId, now: START, env: { NODE_ENV: "production", CHARTER_CLOCK_FILE: undefined } });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const issue = gh.createIssue(REPO, { title: "Question", user: "rita-reporter" });
      const c = gh.addComment(REPO, issue.number, "/hlep", "rita-reporter");
      gh.clearRequestLog();
      const forged = await gh.sendWebhook(server.webhookUrl, "issue_comment", gh.payloads.issueComment("created", REPO, c.id, { sender: "rita-reporter" }), { secret: "development" });
      expect([400, 401]).toContain(forged.status);
      expect(gh.requestLog).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
