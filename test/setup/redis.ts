/**
 * vitest globalSetup: a private redis-server for the tests that need Redis, on a free port on
 * loopback, with no persistence, stopped when the run ends. Its URL is CHARTER_TEST_REDIS_URL
 * (test/support/redis.ts); tests use it with a prefix of their own, never another Redis.
 * When redis-server is not installed the run goes on and those tests fail with how to get it
 * (`npm test` installs it: scripts/ensure-redis.sh).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

let child: ChildProcess | undefined;
let dir: string | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      const port = typeof a === "object" && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function setup(): Promise<void> {
  if (process.env.CHARTER_TEST_REDIS_URL) return; // an instance given from outside (a developer's)
  if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status !== 0) {
    process.env.CHARTER_TEST_REDIS_MISSING = "redis-server is not installed: run `npm test` (it installs Debian's redis-server) or install it yourself";
    return;
  }
  const port = await freePort();
  dir = mkdtempSync(join(tmpdir(), "charter-redis-"));
  child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--loglevel", "warning"], { stdio: "ignore" });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ping = spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" });
    if (ping.stdout?.trim() === "PONG") break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the tests' redis-server did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  process.env.CHARTER_TEST_REDIS_URL = `redis://127.0.0.1:${port}`;
}

export async function teardown(): Promise<void> {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}
