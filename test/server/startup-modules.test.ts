/**
 * Start-up loads only what start-up needs (issue 12, item 6): `probot run ./dist/app.js` imports
 * Charter's app and loads it; the handler areas, the governance loader and its validators, zod,
 * the notification libraries, the calendar, the sweep and the engine's runtime are imported when
 * first used (src/handlers/lazy.ts, docs/architecture.md). A child process imports src/app.ts as
 * Probot does, loads it, and lists every module the ES module loader loaded (loader hooks,
 * test/support/loaded-modules/). Anything start-up should not import fails the test by name.
 */
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const run = promisify(execFile);

const CHILD = `
import { generateKeyPairSync } from "node:crypto";
import { Probot } from "probot";
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
const app = (await import(${JSON.stringify(pathToFileURL(join(ROOT, "src", "app.ts")).href)})).default;
const probot = new Probot({ appId: 1, privateKey, secret: "startup-test", logLevel: "fatal" });
await probot.load(app);
process.stdout.write(JSON.stringify(await globalThis.loadedModules()));
`;

/**
 * The same, started as `probot run ./dist/app.js` starts a server (probot's run(): a Server built
 * with Probot.defaults, then server.load(app); listening adds no module): Charter in server mode
 * creates the engine and its metrics, imports the engine's runtime and starts the engine, with a
 * production environment (a real webhook secret, no test controls). The engine's periodic jobs
 * are due 5 s (redelivery) and 10 s (safety net) later: the modules are listed before.
 */
const SERVER_CHILD = `
import { generateKeyPairSync } from "node:crypto";
import { Probot, Server } from "probot";
import { pino } from "pino";
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
const app = (await import(${JSON.stringify(pathToFileURL(join(ROOT, "src", "app.ts")).href)})).default;
const log = pino({ level: "fatal" });
const server = new Server({ Probot: Probot.defaults({ appId: 1, privateKey, secret: process.env.WEBHOOK_SECRET, log }), log, port: 1 });
await server.load(app);
process.stdout.write("\\nMODULES " + JSON.stringify(await globalThis.loadedModules()) + "\\n");
process.exit(0);
`;

/** Modules start-up must not import, by package or by path under src/. */
const NOT_AT_START = [
  ...["zod", "ajv", "ajv-formats", "bullmq", "ioredis", "nodemailer", "@slack/webhook", "standardwebhooks", "ical-generator", "date-holidays", "luxon"].map((p) => `node_modules/${p}/`),
  ...["handlers/signoff.ts", "handlers/incidents.ts", "handlers/killswitch.ts", "handlers/deployment.ts", "handlers/log-events.ts", "handlers/commands/", "load/load.ts", "load/validators.ts", "load/validators.generated.ts", "core/model/files.ts", "reconcile/", "engine/runtime.ts", "notify/senders.ts", "core/calendar/ical.ts", "core/oncall/", "core/signoff/"].map((p) => `/src/${p}`),
];

/**
 * What a server's start must not import either: each engine job kind's code, imported on its
 * first job (src/engine/jobs.ts), and prom-client, imported on the first count or scrape
 * (src/engine/metrics.ts). bullmq and ioredis load only with REDIS_URL.
 */
const NOT_AT_SERVER_START = [
  ...NOT_AT_START.filter((p) => !p.endsWith("/src/engine/runtime.ts")),
  "node_modules/prom-client/",
  "/src/engine/prometheus.ts",
  ...["github/incidents/", "github/deployment/", "github/records/", "handlers/signoff-run.ts", "handlers/signoff-timers.ts", "engine/next-due.ts", "engine/redelivery.ts", "core/incidents/", "core/killswitch/", "core/handoff/", "core/deployment/"].map((p) => `/src/${p}`),
];

async function loadedBy(child: string, env: Record<string, string>): Promise<string[]> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "--import", "./test/support/loaded-modules/register.mjs", "--input-type=module", "-e", child], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env }, maxBuffer: 16 * 2 ** 20 });
  // the server's own log lines may come first
  const json = stdout.includes("\nMODULES ") ? stdout.slice(stdout.lastIndexOf("\nMODULES ") + 9) : stdout;
  return (JSON.parse(json) as string[]).map((u) => (u.startsWith("file:") ? fileURLToPath(u) : u));
}

describe("start-up imports", () => {
  it("loading Charter as `probot run` does imports no handler area, loader, zod, ajv or notification library", async () => {
    const loaded = await loadedBy(CHILD, { NODE_ENV: "test" });
    // the recorder sees what start-up does load (so an empty list cannot pass)
    for (const expected of ["/src/app.ts", "/src/server.ts", "/src/handlers/lazy.ts", "node_modules/probot/"]) {
      expect(loaded.some((m) => m.includes(expected)), `${expected} is loaded`).toBe(true);
    }
    const early = loaded.filter((m) => NOT_AT_START.some((p) => m.includes(p))).map((m) => m.replace(ROOT, ""));
    expect(early, "imported at start-up, though only some events or paths need it").toEqual([]);
  }, 60_000);

  it("starting Charter as a server (`probot run`) imports the engine's runtime but no job kind's code", async () => {
    const loaded = await loadedBy(SERVER_CHILD, { WEBHOOK_SECRET: "0123456789abcdef0123456789abcdef", CHARTER_SEAL_KEYS: "0123456789abcdef0123456789abcdef" });
    // the server path ran to the end: the engine, its metrics and the runtime are loaded
    for (const expected of ["/src/server.ts", "/src/engine/index.ts", "/src/engine/memory.ts", "/src/engine/metrics.ts", "/src/engine/runtime.ts"]) {
      expect(loaded.some((m) => m.includes(expected)), `${expected} is loaded`).toBe(true);
    }
    const early = loaded.filter((m) => NOT_AT_SERVER_START.some((p) => m.includes(p))).map((m) => m.replace(ROOT, ""));
    expect(early, "imported when a server starts, though only the engine's jobs of some kind need it").toEqual([]);
  }, 60_000);
});
