// Cold start, measured by `npm run bench` in a fresh process per run: import Probot and the app
// (Charter's built dist/app.js, what `probot run` loads, or a bare app that registers the same
// events), construct Probot, load the app. Prints the milliseconds since the process started
// (performance.now(): node's own start-up included) at "ready". Plain JavaScript, so no loader
// (tsx) distorts either side.
//
//   node scripts/bench/cold-start.mjs charter|bare <private-key-file>
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import process from "node:process";

const kind = process.argv[2];
const privateKey = readFileSync(process.argv[3], "utf8");
const imported = performance.now();
const { Probot } = await import("probot");
let app;
if (kind === "charter") {
  app = (await import("../../dist/app.js")).default;
} else {
  const events = JSON.parse(process.env.BENCH_EVENTS ?? "[]");
  app = (probot) => {
    probot.on(events, async () => {});
  };
}
const probot = new Probot({ appId: 1, privateKey, secret: "bench", logLevel: "fatal" });
await probot.load(app);
process.stdout.write(JSON.stringify({ kind, startMs: imported, readyMs: performance.now() }) + "\n");
