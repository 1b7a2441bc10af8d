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
// With BENCH_SERVER=1 (Charter only), it then imports the engine's runtime (dist/engine/runtime.js)
// and prints "serverReadyMs": a server (`probot run`, with its HTTP server) imports it at start,
// the in-process load above (no HTTP server, like Actions and `probot receive`) does not. A build
// that imports it while loading (main before the lazy start) pays nothing more here.
//
//   node scripts/bench/cold-start.mjs charter|bare <private-key-file>
//   BENCH_APP=<path to another build's dist/app.js>   (e.g. main's, to compare)
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { pathToFileURL } from "node:url";

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
const probot = new Probot({ appId: Number(process.env.BENCH_APP_ID ?? 1), privateKey, secret: "bench", logLevel: "fatal", ...(baseUrl ? { baseUrl } : {}) });
await probot.load(app);
const readyMs = performance.now();
let firstEventMs;
let serverReadyMs;
if (process.env.BENCH_SERVER === "1" && kind === "charter") {
  await import(new URL("engine/runtime.js", appUrl).href);
  serverReadyMs = performance.now();
}
if (process.env.BENCH_EVENT_FILE) {
  const event = JSON.parse(readFileSync(process.env.BENCH_EVENT_FILE, "utf8"));
  await probot.receive({ id: `cold-${process.pid}`, name: event.name, payload: event.payload });
  firstEventMs = performance.now();
}
process.stdout.write(JSON.stringify({ kind, startMs: imported, readyMs, ...(firstEventMs !== undefined ? { firstEventMs } : {}), ...(serverReadyMs !== undefined ? { serverReadyMs } : {}) }) + "\n");
