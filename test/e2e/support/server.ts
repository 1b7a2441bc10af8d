/**
 * Runs the REAL Charter server as a child process from the built code (`node dist/main.js`, or
 * `probot run dist/app.js` as `npm start` does), configured like a GitHub App pointed at a GitHub Enterprise host (the
 * emulator): APP_ID, a private key generated now, WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL=http.
 *
 * The working directory is a fresh temp directory, because Probot copies a `.env` from its working
 * directory over the environment: a developer's own .env must not leak into a test or the demo.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST_APP, DIST_MAIN, ROOT } from "./build.js";

export interface ServerOptions {
  /** `127.0.0.1:PORT` of the emulator (GHE_HOST). */
  gheHost: string;
  appId: number;
  /** Initial instant of the controllable clock. */
  now: string;
  /** Extra environment (wins over the defaults; undefined removes a default). */
  env?: Record<string, string | undefined>;
  /**
   * How to start it: `main` = `node dist/main.js` (Probot's run, no client-side throttling in test
   * mode: the default, for speed); `probot-run` = `probot run dist/app.js`, exactly `npm start`.
   */
  entry?: "main" | "probot-run";
  /** Listen on this port (default: a free one). */
  port?: number;
}

export interface LogLine {
  level?: number;
  msg?: string;
  name?: string;
  id?: string;
  [key: string]: unknown;
}

/** A free TCP port on loopback (Probot's PORT cannot be 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh RSA key in the PEM form GitHub hands out for an app (PKCS#1). Never written to the repository. */
export function generateAppKey(): string {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return privateKey.export({ type: "pkcs1", format: "pem" }).toString();
}

export class CharterServer {
  readonly lines: LogLine[] = [];
  readonly rawOutput: string[] = [];
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly secret: string,
    readonly clockFile: string,
    private readonly cwd: string,
  ) {
    this.exited = new Promise((resolve) => child.once("exit", (code) => {
      this.exitCode = code;
      resolve(code);
    }));
    let buffer = "";
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        this.rawOutput.push(line);
        try {
          const parsed = JSON.parse(line) as unknown;
          if (parsed && typeof parsed === "object") this.lines.push(parsed as LogLine);
        } catch {
          // not JSON (e.g. a stack trace printed by node itself): kept in rawOutput
        }
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
  }

  /** Webhook URL (Probot's default path). */
  get webhookUrl(): string {
    return `${this.url}/api/github/webhooks`;
  }

  /** Moves the server's clock: it reads this file on every "now". */
  setTime(iso: string): void {
    writeFileSync(this.clockFile, `${iso}\n`);
  }

  static async start(options: ServerOptions): Promise<CharterServer> {
    const port = options.port ?? (await freePort());
    const cwd = mkdtempSync(join(tmpdir(), "charter-server-"));
    const clockFile = join(cwd, "clock");
    writeFileSync(clockFile, `${options.now}\n`);
    const secret = options.env?.WEBHOOK_SECRET ?? randomBytes(16).toString("hex");
    const env: Record<string, string> = {};
    // a minimal, explicit environment: nothing from the developer's shell decides how the server runs
    for (const key of ["PATH", "HOME", "TMPDIR", "SYSTEMROOT", "LANG", "TZ"]) if (process.env[key] !== undefined) env[key] = process.env[key]!;
    Object.assign(env, {
      NODE_ENV: "test",
      APP_ID: String(options.appId),
      PRIVATE_KEY: generateAppKey(),
      WEBHOOK_SECRET: secret,
      GHE_HOST: options.gheHost,
      GHE_PROTOCOL: "http",
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_FORMAT: "json",
      LOG_LEVEL: "debug",
      NO_SMEE_SETUP: "true",
      CHARTER_CLOCK_FILE: clockFile,
      // nothing timed runs on its own: tests drive the sweep (POST /charter/test/sweep), and turn
      // timers and the redelivery job on where they test them
      CHARTER_SWEEP_INTERVAL_SECONDS: "0",
      CHARTER_TIMERS: "off",
      CHARTER_REDELIVERY_INTERVAL_SECONDS: "0",
    });
    for (const [k, v] of Object.entries(options.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    const args = options.entry === "probot-run" ? [join(ROOT, "node_modules", "probot", "bin", "probot.js"), "run", DIST_APP] : [DIST_MAIN];
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const server = new CharterServer(child, `http://127.0.0.1:${port}`, secret, clockFile, cwd);
    try {
      await server.waitHealthy();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  async waitHealthy(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exitCode !== undefined) throw new Error(`Charter server exited with ${this.exitCode} before it was healthy:\n${this.rawOutput.slice(-30).join("\n")}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`Charter server not healthy after ${timeoutMs} ms:\n${this.rawOutput.slice(-30).join("\n")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Runs one reconcile pass over `owner/repo` now (the test/demo-only endpoint). */
  async sweep(fullName: string): Promise<{ status: number; body: SweepResult }> {
    const [owner, repo] = fullName.split("/");
    const res = await fetch(`${this.url}/charter/test/sweep`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ owner, repo }) });
    return { status: res.status, body: (await res.json()) as SweepResult };
  }

  /**
   * Waits until no event handler runs in the server: a delivery's handlers may outlive its HTTP
   * answer (Probot answers 202 "still processing" after 9 s and lets them finish).
   */
  async idle(): Promise<void> {
    const res = await fetch(`${this.url}/charter/test/idle`);
    if (res.status !== 200) throw new Error(`Charter server still busy after 60 s: ${await res.text()}`);
  }

  /** Log lines written while handling delivery `id`. */
  linesFor(deliveryId: string): LogLine[] {
    return this.lines.filter((l) => l.id === deliveryId || (l.req as { id?: string } | undefined)?.id === deliveryId);
  }

  /** Log lines at warn (40) or above. */
  problems(): LogLine[] {
    return this.lines.filter((l) => (l.level ?? 0) >= 40);
  }

  async stop(): Promise<void> {
    if (this.exitCode === undefined) {
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 3000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.cwd, { recursive: true, force: true });
  }
}

export interface SweepResult {
  repo?: string;
  at?: string;
  governanceSha?: string;
  skipped?: string;
  reports?: { task: string; actions: string[] }[];
  errors?: { task: string; message: string }[];
  error?: string;
}
