// Cold start, measured by `npm run bench` in a fresh process per run: import Probot and the app
// (Charter's built dist/app.js, what `probot run` loads, or a bare app that registers the same
// events), construct Probot, load the app. Prints the milliseconds since the process started
// (performance.now(): node's own start-up included) at "ready". Plain JavaScript, so no loader
// (tsx) distorts either side.
//
// With BENCH_EVENT_FILE (a JSON file { name, payload }) and BENCH_BASE_URL (the emulator), it then
// delivers that one event with `probot.receive` and prints the milliseconds at "first event
// handled" too: what start-up left for the first event (handler modules, the governance loader,
// zod, …) is paid there, so deferring it cannot hide it.
//
// With BENCH_SERVER=1 it starts a server instead, as `probot run` does (probot's run(): a Server
// built with Probot.defaults, then server.load(app); listening on a port is left out, the same for
// both apps), and prints "serverReadyMs": Charter in server mode also creates the engine and its
// metrics, imports the engine's runtime (dist/engine/runtime.js) and starts the engine. For
// Charter it then imports every engine job kind's code (dist/engine/jobs.js, loadAllJobCode) and
// prints "jobsReadyMs": what a server's first jobs import (the first redelivery pass 5 s after
// start, the first safety-net pass 10 s after start and the timers it schedules), at most. A build
// without dist/engine/jobs.js (main before the lazy job code) imported it all at start: its
// jobsReadyMs is its serverReadyMs. It also loads the metrics library (prom-client), which a build
// with dist/engine/prometheus.js imports on the first count or scrape instead of at start. With BENCH_SERVER=1 and BENCH_EVENT_FILE it instead delivers
// the event to that server as GitHub does (signed, through Probot's verifyAndReceive: for Charter
// the engine's delivery job, its handlers and what is learned after them) and prints
// "serverFirstEventMs".
//
//   node scripts/bench/cold-start.mjs charter|bare <private-key-file>
//   BENCH_APP=<path to another build's dist/app.js>   (e.g. main's, to compare)
import { createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const kind = process.argv[2];
const privateKey = readFileSync(process.argv[3], "utf8");
const imported = performance.now();
const { Probot } = await import("probot");
let app;
const appUrl = process.env.BENCH_APP ? pathToFileURL(resolve(process.env.BENCH_APP)).href : new URL("../../dist/app.js", import.meta.url).href;
if (kind === "charter") {
  app = (await import(appUrl)).default;
} else {
  const events = JSON.parse(process.env.BENCH_EVENTS ?? "[]");
  app = (probot) => {
    probot.on(events, async () => {});
  };
}
const baseUrl = process.env.BENCH_BASE_URL;
const appId = Number(process.env.BENCH_APP_ID ?? 1);
if (process.env.BENCH_SERVER === "1") {
  // the logger probot run builds (probot's getLog: pino through @probot/pino's transform), quiet as the other runs
  const [{ Server }, { pino }, { getTransformStream }] = await Promise.all([import("probot"), import("pino"), import("@probot/pino")]);
  const transform = await getTransformStream({});
  transform.pipe(pino.destination(1));
  const log = pino({ level: "fatal", name: "probot", messageKey: "msg" }, transform);
  const server = new Server({ Probot: Probot.defaults({ appId, privateKey, secret: process.env.WEBHOOK_SECRET, log, ...(baseUrl ? { baseUrl } : {}) }), log });
  let serverProbot;
  await server.load(async (probot, options) => {
    serverProbot = probot;
    return app(probot, options);
  });
  const serverReadyMs = performance.now();
  if (process.env.BENCH_EVENT_FILE) {
    // the first event as GitHub delivers it to the server: signed, verified, then (Charter) through the engine's delivery job
    const event = JSON.parse(readFileSync(process.env.BENCH_EVENT_FILE, "utf8"));
    const body = JSON.stringify(event.payload);
    const signature = `sha256=${createHmac("sha256", process.env.WEBHOOK_SECRET).update(body).digest("hex")}`;
    await serverProbot.webhooks.verifyAndReceive({ id: `cold-${process.pid}`, name: event.name, payload: body, signature });
    process.stdout.write("\n" + JSON.stringify({ kind, startMs: imported, serverReadyMs, serverFirstEventMs: performance.now() }) + "\n");
    process.exit(0);
  }
  let jobsReadyMs = serverReadyMs;
  if (kind === "charter") {
    const jobs = new URL("engine/jobs.js", appUrl);
    if (existsSync(fileURLToPath(jobs))) {
      await (await import(jobs.href)).loadAllJobCode();
      jobsReadyMs = performance.now();
    }
    // and prom-client, which a build with dist/engine/prometheus.js imports on the first count (a
    // job's lateness, a delivery, a request) or scrape, not at start
    const prometheus = new URL("engine/prometheus.js", appUrl);
    if (existsSync(fileURLToPath(prometheus))) {
      await (await import(new URL("engine/metrics.js", appUrl).href)).charterMetrics().load();
      jobsReadyMs = performance.now();
    }
  }
  process.stdout.write("\n" + JSON.stringify({ kind, startMs: imported, serverReadyMs, jobsReadyMs }) + "\n");
  process.exit(0); // the engine's periodic jobs would keep the process alive
}
const probot = new Probot({ appId, privateKey, secret: "bench", logLevel: "fatal", ...(baseUrl ? { baseUrl } : {}) });
await probot.load(app);
const readyMs = performance.now();
let firstEventMs;
if (process.env.BENCH_EVENT_FILE) {
  const event = JSON.parse(readFileSync(process.env.BENCH_EVENT_FILE, "utf8"));
  await probot.receive({ id: `cold-${process.pid}`, name: event.name, payload: event.payload });
  firstEventMs = performance.now();
}
process.stdout.write(JSON.stringify({ kind, startMs: imported, readyMs, ...(firstEventMs !== undefined ? { firstEventMs } : {}) }) + "\n");
