/**
 * What docs/getting-started.md and docs/deploy.md say about the first start, checked against the
 * behaviour: `node dist/main.js` (what `npm start` runs) without credentials is Probot's setup
 * flow. There Charter is not loaded yet, so /healthz answers 404 (only the configured app serves
 * it, and the container's HEALTHCHECK rightly fails), Probot's /ping answers PONG and /probot is
 * the registration page. And Probot finds the smee.io client it needs for local development.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIST_MAIN, ensureBuilt, ROOT } from "../e2e/support/build.js";
import { freePort } from "../e2e/support/server.js";

describe("the first start: Probot's setup mode", () => {
  let child: ChildProcess;
  let cwd: string;
  let port: number;
  let output = "";

  beforeAll(async () => {
    await ensureBuilt();
    cwd = mkdtempSync(join(tmpdir(), "charter-setup-"));
    port = await freePort();
    // as a newcomer runs it, minus the smee.io channel (no network here): NO_SMEE_SETUP=true
    const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: cwd, PORT: String(port), HOST: "127.0.0.1", NO_SMEE_SETUP: "true", LOG_LEVEL: "info" };
    child = spawn(process.execPath, [DIST_MAIN], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (await fetch(`http://127.0.0.1:${port}/ping`).then(() => true, () => false)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`setup mode did not start:\n${output}`);
  }, 300_000);

  afterAll(() => {
    child?.kill("SIGKILL");
    rmSync(cwd, { recursive: true, force: true });
  });

  it("serves the registration page, /ping answers PONG, /healthz answers 404 (Charter is not running yet)", async () => {
    const page = await fetch(`http://127.0.0.1:${port}/probot`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Register GitHub App");
    const ping = await fetch(`http://127.0.0.1:${port}/ping`);
    expect([ping.status, await ping.text()]).toEqual([200, "PONG"]);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(404);
    expect(output).toContain("Probot is in setup mode");
  });

  it("the docs say so", () => {
    const docs = ["docs/getting-started.md", "docs/container.md"].map((f) => readFileSync(join(ROOT, f), "utf8")).join("\n");
    expect(docs).toMatch(/setup mode[^.]*\/healthz[^.]*404/i);
  });
});

describe("smee.io for local development", () => {
  it("Probot's lazy import of smee-client (npx-import-light) finds the package installed with Charter's dev dependencies", async () => {
    const { npxImport } = (await import("npx-import-light")) as { npxImport: (pkg: string, options: { onlyPackageRunner: boolean }) => Promise<{ SmeeClient?: unknown }> };
    const smee = await npxImport("smee-client@5.0.0", { onlyPackageRunner: true });
    expect(typeof smee.SmeeClient).toBe("function");
  });
});
