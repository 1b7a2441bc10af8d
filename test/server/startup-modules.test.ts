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

/** Modules start-up must not import, by package or by path under src/. */
const NOT_AT_START = [
  ...["zod", "ajv", "ajv-formats", "bullmq", "ioredis", "nodemailer", "@slack/webhook", "standardwebhooks", "ical-generator", "date-holidays", "luxon"].map((p) => `node_modules/${p}/`),
  ...["handlers/signoff.ts", "handlers/incidents.ts", "handlers/killswitch.ts", "handlers/deployment.ts", "handlers/log-events.ts", "handlers/commands/", "load/load.ts", "load/validators.ts", "load/validators.generated.ts", "core/model/files.ts", "reconcile/", "engine/runtime.ts", "notify/senders.ts", "core/calendar/ical.ts", "core/oncall/", "core/signoff/"].map((p) => `/src/${p}`),
];

describe("start-up imports", () => {
  it("loading Charter as `probot run` does imports no handler area, loader, zod, ajv or notification library", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "--import", "./test/support/loaded-modules/register.mjs", "--input-type=module", "-e", CHILD], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", NODE_ENV: "test" }, maxBuffer: 16 * 2 ** 20 });
    const loaded = (JSON.parse(stdout) as string[]).map((u) => (u.startsWith("file:") ? fileURLToPath(u) : u));
    // the recorder sees what start-up does load (so an empty list cannot pass)
    for (const expected of ["/src/app.ts", "/src/server.ts", "/src/handlers/lazy.ts", "node_modules/probot/"]) {
      expect(loaded.some((m) => m.includes(expected)), `${expected} is loaded`).toBe(true);
    }
    const early = loaded.filter((m) => NOT_AT_START.some((p) => m.includes(p))).map((m) => m.replace(ROOT, ""));
    expect(early, "imported at start-up, though only some events or paths need it").toEqual([]);
  }, 60_000);
});
