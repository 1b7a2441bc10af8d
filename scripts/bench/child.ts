/**
 * The measured process of `npm run bench`: Charter (or a bare Probot app that registers the same
 * events and does nothing) on its own Probot instance, driven by the parent over IPC. Keeping the
 * app in its own process means process.cpuUsage() and the resident memory are the app's alone:
 * the local GitHub emulator (and its OpenAPI validation) runs in the parent.
 *
 * GitHub is answered in one of two ways, switchable per message:
 * - live: the emulator in the parent (loopback HTTP, no added delay). A delivery given a `key` has
 *   its exchanges recorded for the replay.
 * - replay (the memory run): an in-process fake that answers each request with the response the
 *   emulator gave to the same request during the recorded delivery (or the last one seen for the
 *   same URL, or for the same URL with numbers ignored). No network, so 10,000 deliveries take
 *   seconds; the fake's own cost (a map lookup, a Response) is counted in, and is small.
 *
 * Environment: BENCH_APP=charter|bare, BENCH_BASE_URL (the emulator's /api/v3), BENCH_APP_ID,
 * BENCH_PRIVATE_KEY, BENCH_NOW (initial clock).
 */
import { Probot } from "probot";
import { createCharter } from "../../src/app.js";
import { ManualClock } from "../../src/clock.js";
import type { GitHubClient } from "../../src/github/client.js";
import { GovernanceCache } from "../../src/github/governance.js";
import { charterOctokit } from "../../src/github/octokit-options.js";
import { sweepRepository } from "../../src/reconcile/runner.js";
import { CHARTER_EVENTS, type ChildReply, type ChildRequest } from "./protocol.js";
import { testIdentity } from "../../test/support/identity.js";

interface Exchange {
  method: string;
  url: string;
  status: number;
  headers: [string, string][];
  body: string;
  /** What was sent (the mirror app sends the same). */
  requestBody?: string;
  requestHeaders?: Record<string, string>;
}

const normalise = (url: string) => url.replace(/^https?:\/\/[^/]+/, "").replace(/\d+/g, "#");

class SwitchableFetch {
  mode: "live" | "replay" = "live";
  /** Exchanges of each live delivery, by key. */
  readonly recorded = new Map<string, Exchange[]>();
  readonly last = new Map<string, Exchange>();
  readonly lastNormalised = new Map<string, Exchange>();
  private recording: Exchange[] | undefined;
  private script: Exchange[] = [];
  misses = 0;

  begin(key: string | undefined, script: Exchange[] = []): void {
    this.recording = key === undefined ? undefined : [];
    if (key !== undefined) this.recorded.set(key, this.recording!);
    this.script = [...script];
  }

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const key = `${method} ${url.replace(/^https?:\/\/[^/]+/, "")}`;
    if (this.mode === "live") {
      const res = await globalThis.fetch(input, init);
      const body = res.status === 204 || res.status === 304 ? "" : await res.clone().text();
      const sent = init?.headers ? Object.fromEntries(new Headers(init.headers as ConstructorParameters<typeof Headers>[0])) : {};
      const conditional = sent["if-none-match"] ?? sent["if-modified-since"];
      const exchange: Exchange = {
        method,
        url: key,
        status: res.status,
        headers: [...res.headers],
        body,
        ...(typeof init?.body === "string" ? { requestBody: init.body } : {}),
        ...(conditional ? { requestHeaders: Object.fromEntries(Object.entries(sent).filter(([k]) => k.startsWith("if-"))) } : {}),
      };
      this.recording?.push(exchange);
      this.last.set(key, exchange);
      this.lastNormalised.set(normalise(key), exchange);
      return res;
    }
    const i = this.script.findIndex((e) => e.url === key);
    const hit = i >= 0 ? this.script.splice(i, 1)[0] : (this.last.get(key) ?? this.lastNormalised.get(normalise(key)));
    if (!hit) {
      this.misses++;
      return new Response(JSON.stringify({ message: "Not Found", documentation_url: "https://docs.github.com/rest" }), { status: 404, headers: { "content-type": "application/json" } });
    }
    return new Response(hit.status === 204 || hit.status === 304 ? null : hit.body, { status: hit.status, headers: hit.headers });
  };
}

const kind = process.env.BENCH_APP === "bare" ? "bare" : process.env.BENCH_APP === "mirror" ? "mirror" : "charter";
/** The mirror app's requests for the next delivery: what Charter sent for the same event. */
let mirrorScript: (Exchange & { data?: unknown })[] = [];
const clock = new ManualClock(process.env.BENCH_NOW ?? "2025-06-02T10:00:00Z");
/**
 * The governance cache, counting its hits and misses (blob texts by sha, loaded models by the shas
 * of their files): the parent checks that every repository's delivery of an event hit and missed
 * exactly as every other's, so a warm-up (BENCH_WARMUP) leaves the measured work the same.
 */
class CountingGovernanceCache extends GovernanceCache {
  readonly counts = { blobHit: 0, blobMiss: 0, resultHit: 0, resultMiss: 0 };
  override blob(sha: string): string | undefined {
    const text = super.blob(sha);
    this.counts[text === undefined ? "blobMiss" : "blobHit"]++;
    return text;
  }
  override result(signature: string): ReturnType<GovernanceCache["result"]> {
    const result = super.result(signature);
    this.counts[result === undefined ? "resultMiss" : "resultHit"]++;
    return result;
  }
}
let cache = new CountingGovernanceCache();
const charterCache = cache;
const fake = new SwitchableFetch();
const Octokit = charterOctokit({ writeSpacing: false, policy: { requestTimeoutMs: 120_000 } });
const probot = new Probot({
  appId: Number(process.env.BENCH_APP_ID ?? 1),
  privateKey: process.env.BENCH_PRIVATE_KEY ?? "",
  secret: "bench",
  baseUrl: process.env.BENCH_BASE_URL,
  Octokit,
  logLevel: "fatal",
  request: { fetch: fake.fetch },
});

if (kind === "charter") {
  await probot.load(createCharter({ clock, governance: cache, identity: testIdentity }));
} else if (kind === "mirror") {
  // No logic: the same requests Charter made for this event, in the same order, with the same
  // bodies, through the same Octokit, answered (by the parent's replay server) as they were.
  await probot.load((app) => {
    app.on([...CHARTER_EVENTS], async (context) => {
      for (const e of mirrorScript) {
        try {
          await context.octokit.request({ method: e.method as "GET", url: e.url.replace(/^\/api\/v3/, ""), headers: e.requestHeaders ?? {}, ...(e.data === undefined ? {} : { data: e.data }) });
        } catch {
          // a 304 or 404 as Charter got it
        }
      }
    });
  });
} else {
  await probot.load((app) => {
    app.on([...CHARTER_EVENTS], async () => {});
  });
}

/**
 * BENCH_CPU_PROF_EVENT=<event> (with BENCH_CPU_PROF=<dir>): a V8 CPU profile of each delivery of
 * that event alone (node:inspector, started before and stopped after the measured window), one file
 * per delivery: `<dir>/<app>-<event>-<n>.cpuprofile`. To see where one event's time goes. With
 * BENCH_HEAP_PROF=1 also `<n>.heapprofile`: the bytes each function allocated in that delivery.
 */
const profileEvent = process.env.BENCH_CPU_PROF_EVENT;
const profileDir = process.env.BENCH_CPU_PROF;
let profiled = 0;
async function profiling<T>(event: string, run: () => Promise<T>): Promise<T> {
  if (!profileEvent || !profileDir || event !== profileEvent) return run();
  const { Session } = await import("node:inspector/promises");
  const { writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  const n = ++profiled;
  // every allocation sampled, the ones already collected included: what the delivery makes the GC do
  const allocations = process.env.BENCH_HEAP_PROF === "1";
  if (allocations) await session.post("HeapProfiler.startSampling", { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  try {
    return await run();
  } finally {
    if (allocations) {
      const { profile } = await session.post("HeapProfiler.stopSampling");
      writeFileSync(`${profileDir}/${kind}-${event}-${n}.heapprofile`, JSON.stringify(profile));
    }
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(`${profileDir}/${kind}-${event}-${n}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
}

/**
 * The events section's method (the same in all three children, set by scripts/bench/run.ts):
 * BENCH_SOURCE_MAPS=0 turns off the source-mapped stack traces tsx turns on (production runs
 * `node dist/main.js` without them; every Error's stack otherwise walks the source maps of the
 * modules loaded), and BENCH_GC_BEFORE=minor|major collects garbage before each measured delivery
 * (with --expose-gc), so a delivery is not charged for collecting what the previous one left.
 */
if (process.env.BENCH_SOURCE_MAPS === "0") process.setSourceMapsEnabled(false);
const gcBefore = process.env.BENCH_GC_BEFORE === "minor" || process.env.BENCH_GC_BEFORE === "major" ? process.env.BENCH_GC_BEFORE : undefined;
const collect = (globalThis as { gc?: (o?: { type: string; execution: string }) => void }).gc;
function collectBeforeMeasuring(): void {
  if (gcBefore && collect) collect({ type: gcBefore, execution: "sync" });
}

let seq = 0;
async function receive(event: string, payload: unknown): Promise<{ cpuUs: number; wallMs: number; error?: string }> {
  return profiling(event, () => receiveMeasured(event, payload));
}
async function receiveMeasured(event: string, payload: unknown): Promise<{ cpuUs: number; wallMs: number; error?: string }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let error: string | undefined;
  try {
    await probot.receive({ id: `bench-${++seq}`, name: event, payload } as Parameters<Probot["receive"]>[0]);
  } catch (e) {
    const errors = (e as { errors?: unknown[] }).errors;
    error = errors ? errors.map((x) => (x as Error).message).join("; ") : (e as Error).message;
  }
  const used = process.cpuUsage(cpu);
  return { cpuUs: used.user + used.system, wallMs: performance.now() - started, ...(error ? { error } : {}) };
}

/** Numbers in ids change from one delivery to the next, so per-key caches see new keys (a leak shows). */
function vary(payload: unknown, n: number): unknown {
  const p = structuredClone(payload) as { comment?: { id: number }; review?: { id: number }; issue?: { number: number } };
  if (p.comment) p.comment.id += n * 10;
  if (p.review) p.review.id += n * 10;
  return p;
}

async function handle(msg: ChildRequest): Promise<ChildReply> {
  switch (msg.cmd) {
    case "clock":
      clock.set(msg.at);
      return { ok: true };
    case "live": {
      fake.mode = "live";
      fake.begin(msg.key ?? (msg.exchanges ? "" : undefined));
      // the request bodies parsed before the measured window (Charter builds its own as part of its work; the mirror's are given)
      if (msg.script) mirrorScript = (msg.script as Exchange[]).map((e) => ({ ...e, ...(e.requestBody === undefined ? {} : { data: JSON.parse(e.requestBody) as unknown }) }));
      collectBeforeMeasuring();
      const cacheBefore = { ...charterCache.counts };
      const r = await receive(msg.event, msg.payload);
      const cacheCounts = Object.fromEntries(Object.entries(charterCache.counts).map(([k, v]) => [k, v - cacheBefore[k as keyof typeof cacheBefore]]).filter(([, v]) => v !== 0));
      mirrorScript = [];
      const exchanges = msg.exchanges ? (fake.recorded.get(msg.key ?? "") ?? []).filter((e) => !/^\/api\/v3\/app\b|\/installation$/.test(e.url.split("?")[0]!)) : undefined;
      return { ok: !r.error, cpuUs: r.cpuUs, wallMs: r.wallMs, ...(r.error ? { error: r.error } : {}), ...(exchanges ? { exchanges } : {}), ...(kind === "charter" ? { cache: cacheCounts } : {}) };
    }
    case "sweep": {
      fake.mode = "live";
      fake.begin(undefined);
      if (msg.fresh) cache = new CountingGovernanceCache(); // a restarted process: nothing remembered
      const installation = await (await probot.auth()).request("GET /repos/{owner}/{repo}/installation", { owner: msg.owner, repo: msg.repo });
      const gh = (await probot.auth(installation.data.id)) as unknown as GitHubClient;
      const cpu = process.cpuUsage();
      const started = performance.now();
      // as the periodic sweep runs it: the default branch comes with the installation's repository listing
      const result = await sweepRepository(gh, { owner: msg.owner, repo: msg.repo }, { clock, governance: cache, identity: testIdentity }, probot.log, { defaultBranch: "main" });
      const used = process.cpuUsage(cpu);
      const actions = result.reports.flatMap((r) => r.actions);
      return { ok: result.errors.length === 0, cpuUs: used.user + used.system, wallMs: performance.now() - started, actions, ...(result.errors.length ? { error: result.errors.map((e) => `${e.task}: ${e.message}`).join("; ") } : {}) };
    }
    case "memory": {
      const gc = (globalThis as { gc?: () => void }).gc;
      const measure = (after: number) => {
        gc?.();
        gc?.();
        const m = process.memoryUsage();
        return { after, rss: m.rss, heapUsed: m.heapUsed, external: m.external };
      };
      fake.mode = "replay";
      const memory: NonNullable<ChildReply["memory"]> = [];
      const cpu = process.cpuUsage();
      let error: string | undefined;
      for (let n = 1; n <= msg.total; n++) {
        const d = msg.cycle[(n - 1) % msg.cycle.length]!;
        fake.begin(undefined, fake.recorded.get(d.key) ?? []);
        const r = await receive(d.event, vary(d.payload, n));
        error ??= r.error;
        if (msg.checkpoints.includes(n)) memory.push(measure(n));
      }
      const used = process.cpuUsage(cpu);
      fake.mode = "live";
      return { ok: true, memory, cpuUsPerDelivery: (used.user + used.system) / msg.total, ...(error ? { error } : {}) };
    }
    case "exit":
      setImmediate(() => process.exit(0));
      return { ok: true };
  }
}

process.on("message", (msg: ChildRequest & { id: number }) => {
  void handle(msg).then(
    (reply) => process.send?.({ id: msg.id, ...reply }),
    (error: unknown) => process.send?.({ id: msg.id, ok: false, error: (error as Error).stack ?? String(error) }),
  );
});
process.send?.({ id: 0, ok: true });
