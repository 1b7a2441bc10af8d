/**
 * npm run bench: what Charter costs per event, measured in one run against baselines measured in
 * the same run (see README "Benchmarks" for the method). Prints Markdown tables and writes
 * bench-results/bench.json and bench-results/bench.md.
 *
 * The local GitHub emulator (test/emulator) runs in this process; Charter and a bare Probot app run
 * in child processes (scripts/bench/child.ts), so CPU and memory are theirs alone.
 *
 * Knobs (environment): BENCH_REPEATS (repositories the event script is played on, i.e. CPU
 * samples per event; default 5), BENCH_DELAY_MS (delay added to every request on the latency run;
 * 25), BENCH_SWEEPS ("incidents:others,…"; default "1:0,100:0,1000:0,1:10000,100:10000"),
 * BENCH_MEMORY_TOTAL (10000), BENCH_COLD_RUNS (9), BENCH_SCALE_RUNS (5), BENCH_PARSE_RUNS (7),
 * BENCH_ACTION_RUNS (7), BENCH_WARMUP (repositories the event script is played on first, unmeasured
 * in both apps, before the BENCH_REPEATS measured ones: the warm table; default 0), BENCH_ENGINE_INCIDENTS (1000), BENCH_ENGINE_REPOS (200), BENCH_ENGINE_IDLE_REPOS
 * (2000), BENCH_SKIP ("events,sweep,memory,scale,governance,cold,parse,action,engine,octokit":
 * sections to leave out), BENCH_ONLY ("action", "parse", "engine", …: run only those sections; `npm run
 * bench:parse` runs the parse table alone, without a build).
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseOwners } from "../../src/core/owners/parse.js";
import { evaluateSignoff } from "../../src/core/signoff/evaluate.js";
import type { PullRequestFacts, ReviewFact } from "../../src/core/signoff/facts.js";
import { selectGates } from "../../src/core/signoff/select.js";
import type { Governance } from "../../src/core/model/governance.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { startEmulator, type GitHubEmulator, type RequestLogEntry } from "../../test/emulator/index.js";
import { DEFAULT_SWEEP_INTERVAL_SECONDS } from "../../src/engine/index.js";
import { GA_BODY, INCIDENT_BODY, PEOPLE, withPhase } from "../../test/e2e/support/stories.js";
import { repositoryGovernance } from "../../test/e2e/support/world.js";
import { largeModel } from "../bench-governance.js";
import { actionBench } from "./action.js";
import { engineBench } from "./engine.js";
import { octokitBench } from "./octokit.js";
import { CHARTER_EVENTS, type ChildReply, type ChildRequest } from "./protocol.js";
import { chainUntil, longestChain } from "./critical-path.js";
import { parseBench, parseTable } from "./parse.js";
import { ReplayServer, type RecordedExchange } from "./replay-server.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CHILD = join(ROOT, "scripts", "bench", "child.ts");
const COLD = join(ROOT, "scripts", "bench", "cold-start.mjs");
const env = process.env;
const REPEATS = Math.max(1, Number(env.BENCH_REPEATS ?? 5));
/** Repositories played before the measured ones of the warm table (Charter and the mirror alike). */
const WARMUP = Math.max(0, Math.floor(Number(env.BENCH_WARMUP ?? 0)));
const DELAY_MS = Math.max(5, Number(env.BENCH_DELAY_MS ?? 25));
const SWEEPS = (env.BENCH_SWEEPS ?? "1:0,100:0,1000:0,1:10000,100:10000").split(",").map((s) => s.split(":").map(Number) as [number, number]);
const MEMORY_TOTAL = Math.max(200, Number(env.BENCH_MEMORY_TOTAL ?? 10_000));
const COLD_RUNS = Math.max(1, Number(env.BENCH_COLD_RUNS ?? 9));
const SCALE_RUNS = Math.max(1, Number(env.BENCH_SCALE_RUNS ?? 5));
const SKIP = new Set((env.BENCH_SKIP ?? "").split(",").filter(Boolean));
const ONLY = new Set((env.BENCH_ONLY ?? "").split(",").filter(Boolean));
const ACTION_RUNS = Math.max(1, Number(env.BENCH_ACTION_RUNS ?? 7));
/** A part runs unless BENCH_SKIP names it, or BENCH_ONLY names others. */
const runs = (part: string) => !SKIP.has(part) && (ONLY.size === 0 || ONLY.has(part));
const T0 = "2025-06-02T10:00:00Z"; // Monday 12:00 Berlin: olga-oncall is primary, omar-oncall secondary (governance/oncall.yml)
const MISSING = "n/a (feature missing)";

// ------------------------------------------------------------------------------------------ helpers

const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (us: number) => us / 1000;
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const ratio2 = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : "n/a");
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(1)}×` : "n/a");

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** App authentication is once per installation per hour (Probot caches the token): not an event's cost. */
const isAuth = (e: RequestLogEntry) => (e.template ?? "").startsWith("/app") || e.template === "/repos/{owner}/{repo}/installation";

interface Counts {
  reads: number;
  notModified: number;
  writes: number;
}
function counts(entries: readonly RequestLogEntry[]): Counts {
  const own = entries.filter((e) => !isAuth(e));
  return {
    reads: own.filter((e) => !e.write && e.status !== 304).length,
    notModified: own.filter((e) => e.status === 304).length,
    writes: own.filter((e) => e.write).length,
  };
}
const counted = (c: Counts) => c.reads + c.writes; // 304s do not count against GitHub's rate limit

class Child {
  private seq = 0;
  private readonly waiting = new Map<number, (r: ChildReply) => void>();
  private constructor(private readonly proc: ChildProcess) {
    proc.on("message", (m: ChildReply & { id: number }) => {
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
    });
  }

  static async start(kind: "charter" | "bare" | "mirror", childEnv: Record<string, string>, gcExposed = false): Promise<Child> {
    const proc = fork(CHILD, [], {
      // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each child (node --cpu-prof), to see where its time goes;
      // BENCH_TRACE_GC=1: each child's collections on stdout (node --trace-gc)
      execArgv: ["--import", "tsx", ...(env.BENCH_TRACE_GC ? ["--trace-gc"] : []), ...(gcExposed ? ["--expose-gc"] : []), ...(env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", env.BENCH_CPU_PROF] : [])],
      env: { ...process.env, ...childEnv, BENCH_APP: kind, NODE_ENV: "production", LOG_LEVEL: "fatal" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const child = new Child(proc);
    await new Promise<void>((resolve, reject) => {
      child.waiting.set(0, () => resolve());
      proc.once("exit", (code) => reject(new Error(`bench child (${kind}) exited with ${code} before it was ready`)));
    });
    return child;
  }

  call(msg: ChildRequest): Promise<ChildReply> {
    const id = ++this.seq;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.proc.send({ ...msg, id });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((r) => this.proc.once("exit", r));
    await this.call({ cmd: "exit" });
    await exited;
  }
}

// ------------------------------------------------------------------------------------------ per event

interface EventRow {
  label: string;
  event: string;
  present: boolean;
  counts?: Counts;
  /** The requests of the first sample, in order: METHOD template status. */
  requests?: string[];
  roundTrips?: number;
  roundTripsAll?: number;
  /** The latency run's requests as intervals (start–end ms, METHOD template status), by start. */
  timeline?: string[];
  wallMs?: number;
  /** One sample per repository, in the order played (warm-up repositories first when BENCH_WARMUP > 0). */
  charterCpuUs: number[];
  bareCpuUs: number[];
  /** The mirror app: the same requests as Charter, no logic. */
  mirrorCpuUs: number[];
  /**
   * Charter's work on each repository, as far as the bench can see it: the requests (METHOD
   * template status, sorted: requests made together may finish in any order) and its governance
   * cache's hits and misses. Every repository's must be the same (asserted).
   */
  work: string[];
  errors: string[];
}

interface World {
  gh: GitHubEmulator;
  charter: Child;
  bare: Child;
  mirror: Child;
  replay: ReplayServer;
  rows: Map<string, EventRow>;
}

const OLGA = PEOPLE.primary;

async function at(w: World, iso: string): Promise<void> {
  w.gh.setTime(iso);
  await w.charter.call({ cmd: "clock", at: iso });
}
const plus = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

/** The event script, on one repository. `latency`: the run with a delay on every request (round trips). */
async function playEvents(w: World, repo: string, mode: { latency: boolean; record: boolean }): Promise<void> {
  const { gh } = w;
  gh.createRepo(repo, { ownerType: "Organization", files: { "README.md": "# ingestion\n", ...repositoryGovernance() } });
  await at(w, plus(0));
  await w.charter.call({ cmd: "sweep", owner: repo.split("/")[0]!, repo: repo.split("/")[1]! }); // loads governance: events below find it cached

  const step = async (label: string, event: string, payload: Record<string, unknown>, present: () => boolean): Promise<void> => {
    const before = gh.requestLog.length;
    const reply = await w.charter.call({ cmd: "live", event, payload, exchanges: !mode.latency, ...(mode.record ? { key: label } : {}) });
    const entries = gh.requestLog.slice(before).filter((e) => !isAuth(e));
    const row = w.rows.get(label) ?? { label, event, present: true, charterCpuUs: [], bareCpuUs: [], mirrorCpuUs: [], work: [], errors: [] };
    w.rows.set(label, row);
    if (reply.error) row.errors.push(reply.error.split("\n")[0]!.slice(0, 200));
    if (mode.latency) {
      const intervals = entries.map((e) => ({ start: e.at - e.durationMs, end: e.at, write: e.write }));
      row.roundTrips = chainUntil(intervals, (i) => i.write);
      // the request graph as it ran: each request's start and end (ms from the first start), +DELAY_MS each
      const t0 = Math.min(...intervals.map((i) => i.start));
      row.timeline = entries.map((e) => `${String(Math.round(e.at - e.durationMs - t0)).padStart(5)}–${String(Math.round(e.at - t0)).padEnd(5)} ${e.method} ${e.template ?? e.path} ${e.status}`).sort((a, b) => Number.parseInt(a) - Number.parseInt(b));
      row.roundTripsAll = longestChain(intervals);
      row.wallMs = reply.wallMs;
      return;
    }
    row.present &&= present();
    row.counts ??= counts(entries);
    row.requests ??= entries.map((e) => `${e.method} ${e.template ?? e.path} ${e.status}`);
    row.charterCpuUs.push(reply.cpuUs ?? Number.NaN);
    row.work.push(JSON.stringify({ requests: entries.map((e) => `${e.method} ${e.template ?? e.path} ${e.status}`).sort(), cache: reply.cache ?? {} }));
    const bare = await w.bare.call({ cmd: "live", event, payload });
    row.bareCpuUs.push(bare.cpuUs ?? Number.NaN);
    // the child records each exchange under "METHOD /path?query": the replay server and the mirror
    // want the path alone (with the method left on, every mirror request went to a path nobody
    // serves and was answered 404 with a 74-byte body, before 2026-12-06 23:30 UTC)
    const script = ((reply.exchanges ?? []) as (RecordedExchange & { requestBody?: string; requestHeaders?: Record<string, string> })[]).map((e) => ({ ...e, url: e.url.replace(/^[A-Z]+ /, "") }));
    w.replay.load(script);
    const mirror = await w.mirror.call({ cmd: "live", event, payload, script });
    if (mirror.error) row.errors.push(`mirror: ${mirror.error.slice(0, 200)}`);
    row.mirrorCpuUs.push(mirror.cpuUs ?? Number.NaN);
  };

  const bot = gh.botLogin;
  const botSaid = (issue: number, after: number) => gh.listComments(repo, issue).some((c) => c.user === bot && c.id > after);
  const answered = (issue: number, commentId: number) => () => gh.getComment(repo, commentId).reactions.some((r) => r.user === bot) || botSaid(issue, commentId);

  // An incident, and each of its commands
  const incident = gh.createIssue(repo, { title: "Uploads failing for all workspaces", body: INCIDENT_BODY, user: PEOPLE.reporter, labels: ["incident"] });
  await step("incident opened", "issues", gh.payloads.issues("opened", repo, incident.number, { sender: PEOPLE.reporter }), () => botSaid(incident.number, 0));
  const commands: [number, string, string][] = [
    [2, "/update", "/update investigating Upload workers stopped after the config push; rolling back"],
    [3, "/severity", "/severity P2 Uploads recovering for most workspaces"],
    [4, "/page", "/page sre-lead Need eyes on the upload workers"],
    [5, "/commander", `/commander @${PEOPLE.secondary}`],
    [6, "/escalate", "/escalate Still failing for the largest client"],
    [7, "/ack", "/ack"],
    [20, "/resolve", "/resolve Root cause: a config push disabled the upload workers. Rolled back."],
    [21, "/reopen", "/reopen"],
  ];
  for (const [minute, label, body] of commands) {
    await at(w, plus(minute));
    const c = gh.addComment(repo, incident.number, body, OLGA);
    await step(label, "issue_comment", gh.payloads.issueComment("created", repo, c.id, { sender: OLGA }), answered(incident.number, c.id));
  }

  // The kill-switch: activate first (the reason names the repository, so no two repositories' state
  // files are the same text: a governance load caches by blob sha, and the bench must not hit it
  // across repositories where a real deployment would not), then a resume that needs sign-off (a pull request).
  // The scope names the repository too: the resume pull request's killswitch.yml (the switch off)
  // was the same blob in every repository, parsed by the first repository's push alone (until 2026-12-06 23:45 UTC)
  const scope = `workspace:${repo.split("/")[1]!}`;
  await at(w, plus(30));
  const act = gh.addComment(repo, incident.number, `/killswitch activate ${scope} data-corruption Checksums of ingested batches differ (${repo})`, OLGA);
  await step("/killswitch activate", "issue_comment", gh.payloads.issueComment("created", repo, act.id, { sender: OLGA }), () => (gh.getFile(repo, "governance/state/killswitch.yml") ?? "").includes(scope));
  await at(w, plus(40));
  const resume = gh.addComment(repo, incident.number, `/killswitch resume ${scope} --verified "Investigation complete"`, OLGA);
  await step("/killswitch resume", "issue_comment", gh.payloads.issueComment("created", repo, resume.id, { sender: OLGA }), answered(incident.number, resume.id));

  // A pull request (the GA gate), a review, a push to the default branch touching governance/
  await at(w, plus(50));
  const phaseYml = gh.getFile(repo, "governance/state/phase.yml") ?? "version: 1\nphase: P3\n";
  // the proposed phase.yml names the repository (as the kill-switch's reason and the push's roles.yml
  // do): the same text in every repository was one blob, fetched and parsed by the first
  // repository's "PR opened" alone and cached for every later one (until 2026-12-06 23:45 UTC)
  gh.commitFiles(repo, "ga-p4", { "governance/state/phase.yml": `${withPhase(phaseYml, "P4").trimEnd()}\n# GA of ${repo}\n` }, "GA", { author: PEOPLE.releaseManager });
  const { issue: pr } = gh.openPullRequest(repo, { head: "ga-p4", title: "GA: P3 → P4", body: GA_BODY, user: PEOPLE.releaseManager });
  const checks = () => gh.listCheckRuns(repo, gh.getPullRequest(repo, pr.number).pull.headSha).length;
  await step("PR opened", "pull_request", gh.payloads.pullRequest("opened", repo, pr.number, { sender: PEOPLE.releaseManager }), () => checks() > 0);
  await at(w, plus(55));
  const checksBefore = checks();
  const review = gh.submitReview(repo, pr.number, { user: PEOPLE.owner, state: "APPROVED", body: "Technical criteria met" });
  await step("review submitted", "pull_request_review", gh.payloads.pullRequestReview("submitted", repo, pr.number, review.id, { sender: PEOPLE.owner }), () => checks() > checksBefore);
  await at(w, plus(60));
  const before = gh.branchSha(repo);
  const roles = gh.getFile(repo, "governance/roles.yml")!;
  gh.commitFiles(repo, "main", { "governance/roles.yml": `${roles.trimEnd()}\n# reviewed ${plus(60)} in ${repo}\n` }, "Review roles", { author: PEOPLE.owner });
  const requestsBefore = gh.requestLog.length; // (the change names the repository: a new blob everywhere, as in life)
  await step("push to default branch (governance/)", "push", gh.payloads.push(repo, "main", { before, sender: PEOPLE.owner }), () => gh.requestLog.length > requestsBefore);
}

// ------------------------------------------------------------------------------------------ sweeps

interface SweepRow {
  incidents: number;
  others: number;
  phase: string;
  counts: Counts;
  /** Distinct requests of the pass: METHOD template status × times. */
  requests: string[];
  cpuMs: number;
  wallMs: number;
  actions: number;
  error?: string;
}

async function sweeps(w: World): Promise<{ rows: SweepRow[]; present: boolean }> {
  const rows: SweepRow[] = [];
  let present = false;
  for (const [n, others] of SWEEPS) {
    const repo = `acme/sweep-${n}-${others}`;
    const [owner, name] = repo.split("/") as [string, string];
    w.gh.createRepo(repo, { ownerType: "Organization", files: { "README.md": "# ingestion\n", ...repositoryGovernance() } });
    await at(w, plus(0));
    for (let i = 0; i < others; i++) w.gh.createIssue(repo, { title: `Feature request ${i}`, body: "Please add dark mode.", user: PEOPLE.reporter });
    for (let i = 0; i < n; i++) w.gh.createIssue(repo, { title: `Incident ${i}`, body: INCIDENT_BODY, user: PEOPLE.reporter, labels: ["incident"] });
    const measure = async (phase: string, fresh = false) => {
      const before = w.gh.requestLog.length;
      const r = await w.charter.call({ cmd: "sweep", owner, repo: name, fresh });
      const entries = w.gh.requestLog.slice(before).filter((e) => !isAuth(e));
      const c = counts(entries);
      const tally = new Map<string, number>();
      for (const e of entries) tally.set(`${e.method} ${e.template ?? e.path} ${e.status}`, (tally.get(`${e.method} ${e.template ?? e.path} ${e.status}`) ?? 0) + 1);
      rows.push({ incidents: n, others, phase, counts: c, requests: [...tally].map(([k, v]) => `${k} ×${v}`), cpuMs: ms(r.cpuUs ?? Number.NaN), wallMs: r.wallMs ?? Number.NaN, actions: r.actions?.length ?? 0, ...(r.error ? { error: r.error.slice(0, 200) } : {}) });
      return r;
    };
    process.stderr.write(`  sweep: ${n} open incidents, ${others} other open issues…\n`);
    const first = await measure("1st pass: starts every incident");
    present ||= (first.actions?.length ?? 0) > 0 || w.gh.listComments(repo, n > 0 ? others + 1 : 1).length > 0;
    await measure("2nd pass, nothing due");
    await measure("3rd pass, nothing due (steady state)");
    await measure("after a restart (caches empty), nothing due", true);
  }
  return { rows, present };
}

// ------------------------------------------------------------------------------------------ memory and throughput

interface MemoryResult {
  kind: string;
  memory: NonNullable<ChildReply["memory"]>;
  cpuUsPerDelivery: number;
  error?: string;
}

async function memoryRun(gh: GitHubEmulator, childEnv: Record<string, string>): Promise<MemoryResult[]> {
  const repo = "acme/memory";
  gh.createRepo(repo, { ownerType: "Organization", files: { "README.md": "# ingestion\n", ...repositoryGovernance() } });
  gh.setTime(plus(0));
  const charter = await Child.start("charter", childEnv, true);
  const bare = await Child.start("bare", childEnv, true);
  try {
    await charter.call({ cmd: "clock", at: plus(0) });
    const incident = gh.createIssue(repo, { title: "Uploads failing", body: INCIDENT_BODY, user: PEOPLE.reporter, labels: ["incident"] });
    await charter.call({ cmd: "live", event: "issues", payload: gh.payloads.issues("opened", repo, incident.number, { sender: PEOPLE.reporter }) });
    gh.commitFiles(repo, "ga-p4", { "governance/state/phase.yml": withPhase(gh.getFile(repo, "governance/state/phase.yml")!, "P4") }, "GA", { author: PEOPLE.releaseManager });
    const { issue: pr } = gh.openPullRequest(repo, { head: "ga-p4", title: "GA", body: GA_BODY, user: PEOPLE.releaseManager });
    await charter.call({ cmd: "live", event: "pull_request", payload: gh.payloads.pullRequest("opened", repo, pr.number, { sender: PEOPLE.releaseManager }) });
    const review = gh.submitReview(repo, pr.number, { user: PEOPLE.sre, state: "COMMENTED", body: "Looking" });
    const status = gh.addComment(repo, incident.number, "/killswitch status", OLGA);
    const chat = gh.addComment(repo, incident.number, "Workers restarted, watching the error rate", PEOPLE.secondary);
    const plain = gh.createIssue(repo, { title: "Dark mode", body: "Please", user: PEOPLE.reporter });
    // The steady-state mix: a review re-evaluating the GA gate, a status command, a comment on an
    // incident, an ordinary issue opened. Each delivered live twice; the second is recorded.
    const cycle = [
      { key: "m-review", event: "pull_request_review", payload: gh.payloads.pullRequestReview("submitted", repo, pr.number, review.id, { sender: PEOPLE.sre }) },
      { key: "m-status", event: "issue_comment", payload: gh.payloads.issueComment("created", repo, status.id, { sender: OLGA }) },
      { key: "m-chat", event: "issue_comment", payload: gh.payloads.issueComment("created", repo, chat.id, { sender: PEOPLE.secondary }) },
      { key: "m-plain", event: "issues", payload: gh.payloads.issues("opened", repo, plain.number, { sender: PEOPLE.reporter }) },
    ];
    for (const d of cycle) {
      await charter.call({ cmd: "live", event: d.event, payload: d.payload });
      await charter.call({ cmd: "live", key: d.key, event: d.event, payload: d.payload });
    }
    const checkpoints = [100, 1_000, Math.round(MEMORY_TOTAL / 2), MEMORY_TOTAL].filter((c, i, a) => c <= MEMORY_TOTAL && a.indexOf(c) === i);
    process.stderr.write(`  memory: ${MEMORY_TOTAL} deliveries to Charter and to the bare app…\n`);
    const results: MemoryResult[] = [];
    for (const [kind, child] of [["charter", charter], ["bare", bare]] as const) {
      const r = await child.call({ cmd: "memory", cycle, total: MEMORY_TOTAL, checkpoints });
      results.push({ kind, memory: r.memory ?? [], cpuUsPerDelivery: r.cpuUsPerDelivery ?? Number.NaN, ...(r.error ? { error: r.error.slice(0, 200) } : {}) });
    }
    return results;
  } finally {
    await charter.stop();
    await bare.stop();
  }
}

// ------------------------------------------------------------------------------------------ governance at scale

interface ScaleRow {
  model: string;
  roles: number;
  ownersLines: number;
  files: number;
  gates: number;
  baselineMs: number;
  evaluateMs: number;
}

async function timed(fn: () => unknown, runs: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

async function governanceAtScale(): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  const head = "c".repeat(40);
  const at = new Date(plus(0));
  const scenario = async (model: string, files: Record<string, string>, paths: (i: number) => string, approvers: string[]) => {
    const loaded = await loadGovernance(memorySource(files));
    if (!loaded.ok) throw new Error(`${model} does not load: ${loaded.diagnostics[0]?.message}`);
    const g: Governance = loaded.governance;
    const facts: PullRequestFacts = {
      number: 1,
      author: { login: "rob-release", type: "User" },
      headSha: head,
      baseRef: "main",
      defaultBranch: "main",
      draft: false,
      body: GA_BODY,
      labels: [],
      files: Array.from({ length: 3_000 }, (_, i) => ({ filename: paths(i), status: "modified" as const })),
      state: { base: { phase: g.state.phase, killswitch: g.state.killswitch, log: g.state.log }, head: {} },
    };
    const reviews: ReviewFact[] = approvers.map((login, i) => ({ id: i + 1, login, userType: "User", state: "APPROVED", commitId: head, submittedAt: plus(i) }));
    const owners = files.OWNERS ?? "";
    let gates = 0;
    const evaluateMs = await timed(() => {
      const selected = selectGates(g, facts, at);
      gates = selected.length;
      evaluateSignoff({ governance: g, facts, gates: selected, reviews, now: at, incidents: [] });
    }, SCALE_RUNS);
    const baselineMs = await timed(() => parseOwners(owners), SCALE_RUNS);
    rows.push({ model, roles: Object.keys(g.roles.roles).length, ownersLines: owners.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#")).length, files: facts.files.length, gates, baselineMs, evaluateMs });
  };
  const pad = (n: number) => String(n).padStart(4, "0");
  await scenario("large (2,000 roles, 5,000 OWNERS lines)", largeModel(), (i) => `services/svc-${pad((i * 7) % 5_000)}/${i % 3 === 0 ? "db/schema.sql" : `src/file-${i}.ts`}`, Array.from({ length: 40 }, (_, i) => `user-${i + 1}`));
  const d9: Record<string, string> = {};
  for (const [path, text] of Object.entries(repositoryGovernance())) d9[path.replace(/^governance\//, "")] = text;
  await scenario("D9 (governance/)", d9, (i) => (i % 3 === 0 ? `db/migrations/${i}.sql` : i % 3 === 1 ? `infra/module-${i}.tf` : `src/pkg-${i}/index.ts`), ["ana-owner", "sam-sre", "dora-db", "pat-pm"]);
  return rows;
}

// ------------------------------------------------------------------------------------------ cold start

type ColdKind = "charter" | "bare" | "compare";
interface ColdFigures {
  kind: ColdKind;
  /** spawn → exit, import → ready only (ms) */
  wallMs: number[];
  /** process start → ready, in-process clock (ms) */
  readyMs: number[];
  /** process start → the first event handled (`probot.receive` of a pull_request_review), in-process clock (ms) */
  firstEventMs: number[];
  /** spawn → exit of those runs (ms) */
  firstEventWallMs: number[];
  /** process start → a server started as `probot run` does (Server + server.load: Charter's engine, metrics and runtime) (ms) */
  serverReadyMs: number[];
  /** process start → that server, then every engine job kind's code imported: what its first jobs (redelivery 5 s, safety net 10 s after start) import, at most (ms; the bare app and a build that imports it all at start: serverReadyMs) */
  jobsReadyMs: number[];
  /** process start → the first event handled by that server (delivered signed, as GitHub does: for Charter through the engine's delivery job) (ms) */
  serverFirstEventMs: number[];
}

/**
 * Cold start (scripts/bench/cold-start.mjs), alternated: Charter, the bare app and, with
 * BENCH_COLD_COMPARE=<a checkout with a built dist/> (e.g. main's), that build. Each kind is
 * measured twice per round: import to ready alone, and ready + a first event handled (a
 * `pull_request_review` approving a new GA pull request, against the emulator): what start-up
 * defers, the first event pays, and this row shows it. Each Charter first event must have written
 * its check run, or the bench stops.
 */
async function coldStart(keyFile: string, gh: GitHubEmulator): Promise<ColdFigures[] | undefined> {
  if (!existsSync(join(ROOT, "dist", "app.js"))) return undefined;
  const compare = env.BENCH_COLD_COMPARE ? join(env.BENCH_COLD_COMPARE, "dist", "app.js") : undefined;
  if (compare && !existsSync(compare)) throw new Error(`BENCH_COLD_COMPARE: ${compare} does not exist (build that checkout first)`);
  const kinds: ColdKind[] = compare ? ["bare", "charter", "compare"] : ["bare", "charter"];
  const out = new Map<ColdKind, ColdFigures>(kinds.map((k) => [k, { kind: k, wallMs: [], readyMs: [], firstEventMs: [], firstEventWallMs: [], serverReadyMs: [], jobsReadyMs: [], serverFirstEventMs: [] }]));
  const repo = "acme/cold-bench";
  gh.createRepo(repo, { files: { "README.md": "# cold start\n", ...repositoryGovernance() } });
  let n = 0;
  const prepare = (dir: string) => {
    n++;
    const phase = gh.getFile(repo, "governance/state/phase.yml")!;
    gh.commitFiles(repo, `cold-${n}`, { "governance/state/phase.yml": withPhase(phase, "P4") }, "GA", { author: "rob-release" });
    const { issue, pull } = gh.openPullRequest(repo, { head: `cold-${n}`, title: `GA ${n}`, body: GA_BODY, user: "rob-release" });
    const review = gh.submitReview(repo, issue.number, { user: "ana-owner", state: "APPROVED" });
    const payload = gh.payloads.pullRequestReview("submitted", repo, issue.number, review.id, { sender: "ana-owner" });
    const file = join(dir, "event.json");
    writeFileSync(file, JSON.stringify({ name: "pull_request_review", payload }));
    return { file, headSha: pull.headSha };
  };
  const once = (kind: ColdKind, withEvent: boolean, server = false) =>
    new Promise<void>((resolve, reject) => {
      const dir = mkdtempSync(join(tmpdir(), "charter-cold-"));
      const event = withEvent ? prepare(dir) : undefined;
      const childEnv: Record<string, string> = { PATH: process.env.PATH ?? "", BENCH_EVENTS: JSON.stringify(CHARTER_EVENTS) };
      if (kind === "compare") childEnv.BENCH_APP = compare!;
      if (server) Object.assign(childEnv, { BENCH_SERVER: "1", WEBHOOK_SECRET: "cold-bench-0123456789abcdef0123456789" }); // a production environment: a real secret, no test controls
      if (event) Object.assign(childEnv, { BENCH_EVENT_FILE: event.file, BENCH_BASE_URL: gh.apiUrl, BENCH_APP_ID: String(gh.appId) });
      const started = performance.now();
      const prof = env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", join(env.BENCH_CPU_PROF, `cold-${kind}${event ? "-first-event" : ""}`)] : [];
      const proc = spawn(process.execPath, [...prof, COLD, kind === "bare" ? "bare" : "charter", keyFile], { cwd: dir, env: childEnv, stdio: ["ignore", "pipe", "inherit"] });
      let text = "";
      proc.stdout!.on("data", (c: Buffer) => (text += c.toString()));
      proc.on("exit", (code) => {
        if (code !== 0) return reject(new Error(`cold start (${kind}${event ? ", first event" : ""}) exited with ${code}`));
        const wall = performance.now() - started;
        const r = JSON.parse(text.trim().split("\n").at(-1)!) as { readyMs: number; firstEventMs?: number; serverReadyMs?: number; jobsReadyMs?: number; serverFirstEventMs?: number };
        const f = out.get(kind)!;
        if (server && event) {
          if (kind !== "bare" && !gh.listCheckRuns(repo, event.headSha).some((c) => c.name === "Charter sign-off")) return reject(new Error(`cold start (${kind}, server): the first event wrote no Charter sign-off check`));
          f.serverFirstEventMs.push(r.serverFirstEventMs!);
        } else if (server) {
          f.serverReadyMs.push(r.serverReadyMs!);
          f.jobsReadyMs.push(r.jobsReadyMs!);
        }
        else if (event) {
          if (kind !== "bare" && !gh.listCheckRuns(repo, event.headSha).some((c) => c.name === "Charter sign-off")) return reject(new Error(`cold start (${kind}): the first event wrote no Charter sign-off check`));
          f.firstEventMs.push(r.firstEventMs!);
          f.firstEventWallMs.push(wall);
        } else {
          f.wallMs.push(wall);
          f.readyMs.push(r.readyMs);
        }
        resolve();
      });
    });
  for (const k of kinds) await once(k, false); // warm the file system cache for each
  for (const k of kinds) await once(k, true);
  for (const k of kinds) await once(k, false, true);
  for (const k of kinds) await once(k, true, true);
  for (const f of out.values()) for (const a of [f.wallMs, f.readyMs, f.firstEventMs, f.firstEventWallMs, f.serverReadyMs, f.jobsReadyMs, f.serverFirstEventMs]) a.length = 0;
  for (let i = 0; i < COLD_RUNS; i++) {
    for (const k of kinds) await once(k, false);
    for (const k of kinds) await once(k, true);
    for (const k of kinds) await once(k, false, true);
    for (const k of kinds) await once(k, true, true);
  }
  return [...out.values()];
}

// ------------------------------------------------------------------------------------------ bench:governance

interface GovernanceFigures {
  model: string;
  yamlParseMs: number;
  validateMs: number;
  ratio: number;
}

async function governanceParse(): Promise<GovernanceFigures[] | undefined> {
  const code = await new Promise<number | null>((resolve) => {
    const proc = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "bench-governance.ts")], { cwd: ROOT, env: { ...process.env, BENCH_RUNS: env.BENCH_RUNS ?? "11", BENCH_LARGE_RUNS: env.BENCH_LARGE_RUNS ?? "3" }, stdio: ["ignore", "ignore", "inherit"] });
    proc.on("exit", resolve);
  });
  if (code !== 0) return undefined;
  const json = JSON.parse(await readFile(join(ROOT, "bench-results", "governance.json"), "utf8")) as { rows: GovernanceFigures[] };
  return json.rows.map((r) => ({ model: r.model, yamlParseMs: r.yamlParseMs, validateMs: r.validateMs, ratio: r.ratio }));
}

// ------------------------------------------------------------------------------------------ the day's budget

interface Budget {
  assumptions: string[];
  perDay: Record<string, number>;
  totalPerDay: number;
  averageHourPct: number;
  peakHourPct: number;
}

/** The safety net's passes a day at its default interval (src/engine/index.ts). */
const SAFETY_NET_PASSES_PER_DAY = 86_400 / DEFAULT_SWEEP_INTERVAL_SECONDS;
const SWEEPS_LABEL = `${SAFETY_NET_PASSES_PER_DAY} safety-net passes (every ${DEFAULT_SWEEP_INTERVAL_SECONDS / 60} minutes), counted as full reconcile passes (an upper bound), about 4 incidents open at a time`;

function budget(rows: Map<string, EventRow>, sweep: SweepRow[]): Budget | undefined {
  const cost = (label: string) => {
    const r = rows.get(label);
    return r?.present && r.counts ? counted(r.counts) : undefined;
  };
  const steady = sweep.find((s) => s.incidents === 1 && s.others === 0 && s.phase.startsWith("3rd"));
  const steady100 = sweep.find((s) => s.incidents === 100 && s.others === 0 && s.phase.startsWith("3rd"));
  // each further open incident adds this much to a steady pass (measured between 1 and 100 open incidents)
  const perOpenIncident = steady && steady100 ? (counted(steady100.counts) - counted(steady.counts)) / 99 : 0;
  const AVERAGE_OPEN = 4; // 50 incidents a day, open about 2 hours each: about 4 open at any time
  const needed = ["PR opened", "review submitted", "incident opened", "/ack", "/update", "/resolve", "/escalate", "/killswitch activate", "/killswitch resume", "push to default branch (governance/)"];
  if (needed.some((l) => cost(l) === undefined) || !steady) return undefined;
  const c = (l: string) => cost(l)!;
  const perDay: Record<string, number> = {
    "200 pull requests opened or pushed to (cost of PR opened)": 200 * c("PR opened"),
    "300 reviews submitted": 300 * c("review submitted"),
    "50 incidents opened": 50 * c("incident opened"),
    "50 × /ack, 100 × /update, 50 × /resolve": 50 * c("/ack") + 100 * c("/update") + 50 * c("/resolve"),
    "50 escalation pages (cost of /escalate)": 50 * c("/escalate"),
    "2 kill-switch activations and 2 resumes": 2 * c("/killswitch activate") + 2 * c("/killswitch resume"),
    "5 pushes to the default branch touching governance/": 5 * c("push to default branch (governance/)"),
    [SWEEPS_LABEL]: Math.round(SAFETY_NET_PASSES_PER_DAY * (counted(steady.counts) + (AVERAGE_OPEN - 1) * perOpenIncident)),
  };
  const totalPerDay = Object.values(perDay).reduce((a, b) => a + b, 0);
  return {
    assumptions: [
      "one governed repository; 500 pull request events (200 opened/synchronize, 300 reviews) and 50 incidents (each: opened, /ack, 2 × /update, /resolve, one escalation page), 2 kill-switch activations with resume, 5 governance pushes",
      `the safety net every ${DEFAULT_SWEEP_INTERVAL_SECONDS} s (CHARTER_SWEEP_INTERVAL_SECONDS default), each pass counted as a full reconcile pass of the repository (the sweep table's steady state, 3rd pass of a warm process, plus what each further open incident adds to a pass, measured between 1 and 100 open incidents, with 4 open on average): an upper bound, since a pass after a cold start's first makes one search request per installation (GitHub's search limit, not this one) and reconciles only the incidents changed since the previous pass; timers (escalation pages, reminders) are counted in the events they page for; a conditional request answered 304 is free`,
      "peak hour: a quarter of the day's events in one hour (sweeps spread evenly)",
      "app authentication (an installation token per hour) and the per-pass installation listing are left out: a few requests an hour",
    ],
    perDay,
    totalPerDay,
    averageHourPct: (totalPerDay / 24 / 5_000) * 100,
    peakHourPct: (((totalPerDay - perDay[SWEEPS_LABEL]!) / 4 + perDay[SWEEPS_LABEL]! / 24) / 5_000) * 100,
  };
}

// ------------------------------------------------------------------------------------------ main

/** BENCH_ONLY: leave the rest of the emulator-backed parts out. */
class SkipRest extends Error {}

async function main(): Promise<void> {
  const started = performance.now();
  const machine = { nproc: cpus().length, cpu: cpus()[0]?.model ?? "unknown", memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() };
  process.stderr.write(`bench: ${machine.nproc} CPUs (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}\n`);
  const gh = await startEmulator({ quiet: true, guard: false, startTime: T0, conditionalRequests: true });
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  const keyFile = join(mkdtempSync(join(tmpdir(), "charter-bench-")), "key.pem");
  writeFileSync(keyFile, privateKey);
  const childEnv = { BENCH_BASE_URL: gh.apiUrl, BENCH_APP_ID: String(gh.appId), BENCH_PRIVATE_KEY: privateKey, BENCH_NOW: T0 };
  const result: Record<string, unknown> = { machine };
  const md: string[] = [];
  try {
    // 0. the bundled action: spawn to check written, against a bare Probot start
    if (runs("action")) {
      process.stderr.write(`  the bundled action: ${ACTION_RUNS} runs…\n`);
      const a = await actionBench(gh, { root: ROOT, keyFile, runs: ACTION_RUNS });
      const rows = [
        ["bundle: `node dist-action/index.mjs`, spawn to check written", `${fmt(median(a.bundleToCheckMs), 0)} ms`, ratio(median(a.bundleToCheckMs), median(a.bareProbotMs))],
        ["bundle: spawn to exit", `${fmt(median(a.bundleExitMs), 0)} ms`, ratio(median(a.bundleExitMs), median(a.bareProbotMs))],
        ...(a.distToCheckMs
          ? [
              ["unbundled: `node dist/actions/main.js`, spawn to check written (after checkout, npm ci, build)", `${fmt(median(a.distToCheckMs), 0)} ms`, ratio(median(a.distToCheckMs), median(a.bareProbotMs))],
              ["unbundled: spawn to exit", `${fmt(median(a.distExitMs!), 0)} ms`, ratio(median(a.distExitMs!), median(a.bareProbotMs))],
            ]
          : []),
        ["bare Probot start (baseline): spawn to exit", `${fmt(median(a.bareProbotMs), 0)} ms`, "1.0×"],
      ];
      md.push(
        `### Actions mode: one event through the bundled action (${a.runs} runs each, median)`,
        "",
        table(["what", "time", "vs bare Probot start"], rows),
        "",
        `A \`pull_request_review\` (one approval on a new GA pull request) with the workflow token, the bundle (${(a.bundleBytes / 2 ** 20).toFixed(2)} MiB) alone in a fresh directory, against the emulator on loopback; "check written" is when the emulator received the check run's write.`,
        "",
      );
      result.action = a;
    }
    // 0b. the production Octokit's own queue: sequential reads with throttling on, before/after
    if (runs("octokit")) {
      process.stderr.write("  Octokit's throttling queue…\n");
      const rows = await octokitBench(gh);
      md.push(
        "### Octokit: a read through the production queue (write spacing on), against the emulator",
        "",
        table(
          ["latency added", "Octokit", "sequential read, median", "queue's own time per read"],
          rows.map((r) => [`${r.latencyMs} ms`, r.variant, `${fmt(r.perReadMs, 2)} ms`, `${fmt(r.overheadMs, 2)} ms`]),
        ),
        "",
      );
      result.octokit = rows;
    }
    if (ONLY.size > 0 && !ONLY.has("events") && !ONLY.has("memory")) throw new SkipRest();
    // 1. events: requests, round trips, CPU against the bare app
    if (runs("events")) await eventsSection(gh, childEnv, result, md);
    // 2. memory and throughput
    if (runs("memory")) await memorySection(gh, childEnv, result, md);
  } catch (error) {
    if (!(error instanceof SkipRest)) throw error;
  } finally {
    await gh.stop();
  }
  await laterSections(result, md, keyFile);
  await finish(started, machine, result, md);
}

async function eventsSection(gh: GitHubEmulator, childEnv: Record<string, string>, result: Record<string, unknown>, md: string[]): Promise<void> {
  // the same method in the three children (scripts/bench/child.ts): no source-mapped stack traces,
  // as in production (BENCH_SOURCE_MAPS=1 to keep tsx's); BENCH_GC_BEFORE=minor|major: garbage
  // collected before each measured delivery (off by default: it measured no narrower spread)
  const method = { BENCH_SOURCE_MAPS: env.BENCH_SOURCE_MAPS ?? "0", BENCH_GC_BEFORE: env.BENCH_GC_BEFORE ?? "none" };
  const gc = method.BENCH_GC_BEFORE !== "none";
  const charter = await Child.start("charter", { ...childEnv, ...method }, gc);
  const bare = await Child.start("bare", { ...childEnv, ...method }, gc);
  const replay = await ReplayServer.start(new URL(gh.apiUrl).origin);
  const mirror = await Child.start("mirror", { ...childEnv, ...method, BENCH_BASE_URL: replay.apiUrl }, gc);
  const w: World = { gh, charter, bare, mirror, replay, rows: new Map() };
  let sweepResult: { rows: SweepRow[]; present: boolean } = { rows: [], present: false };
  try {
    // BENCH_WARMUP=W: W + BENCH_REPEATS repositories, each event's samples one per repository in
    // the order played; the cold table is the first BENCH_REPEATS (what W = 0 measures: the same
    // repositories played the same way in a fresh process), the warm table the last BENCH_REPEATS
    for (let r = 0; r < WARMUP + REPEATS; r++) {
      process.stderr.write(`  events: repository ${r + 1} of ${WARMUP + REPEATS}${WARMUP ? ` (${WARMUP} before the warm table's ${REPEATS})` : ""}…\n`);
      await playEvents(w, `acme/bench-${r}`, { latency: false, record: false });
    }
    process.stderr.write(`  events: latency run (${DELAY_MS} ms added to every request)…\n`);
    gh.faults = ({ path }) => (path.startsWith("/repos/acme/latency") ? { delayMs: DELAY_MS } : undefined);
    await playEvents(w, "acme/latency", { latency: true, record: false });
    gh.faults = undefined;
    if (runs("sweep")) sweepResult = await sweeps(w);
  } finally {
    await charter.stop();
    await bare.stop();
    await mirror.stop();
    await replay.stop();
  }
  const allRows = [...w.rows.values()];
  assertSameWork(allRows);
  const cold = (xs: number[]) => xs.slice(0, REPEATS);
  const warm = (xs: number[]) => xs.slice(WARMUP, WARMUP + REPEATS);
  const rows = allRows.map((r) => ({ ...r, charterCpuUs: cold(r.charterCpuUs), bareCpuUs: cold(r.bareCpuUs), mirrorCpuUs: cold(r.mirrorCpuUs) }));
  const eventTable = table(
    ["event", "reads", "304 (free)", "writes", "round trips to decision (all)", "wall, +" + DELAY_MS + " ms/request", "CPU Charter (median)", "CPU same requests, no logic", "ratio", "CPU bare Probot", "ratio"],
    rows.map((r) =>
      r.present && r.counts
        ? [r.label, String(r.counts.reads), String(r.counts.notModified), String(r.counts.writes), `${r.roundTrips ?? "?"} (${r.roundTripsAll ?? "?"})`, `${fmt(r.wallMs ?? Number.NaN, 0)} ms`, `${fmt(ms(median(r.charterCpuUs)), 2)} ms`, `${fmt(ms(median(r.mirrorCpuUs)), 2)} ms`, ratio2(median(r.charterCpuUs), median(r.mirrorCpuUs)), `${fmt(ms(median(r.bareCpuUs)), 3)} ms`, ratio(median(r.charterCpuUs), median(r.bareCpuUs))]
        : [r.label, MISSING, "", "", "", "", "", "", "", "", ""],
    ),
  );
  md.push("### Requests, round trips and CPU per event", "", eventTable, "");
  const errors = rows.filter((r) => r.errors.length).map((r) => `${r.label}: ${[...new Set(r.errors)].join(" | ")}`);
  if (errors.length) md.push("Handler errors during the run:", "", ...errors.map((e) => `- ${e}`), "");
  result.events = rows.map((r) => ({ ...r, work: undefined, charterCpuMsMedian: ms(median(r.charterCpuUs)), bareCpuMsMedian: ms(median(r.bareCpuUs)), mirrorCpuMsMedian: ms(median(r.mirrorCpuUs)), ratioToMirror: median(r.charterCpuUs) / median(r.mirrorCpuUs) }));
  if (WARMUP > 0) {
    const present = allRows.filter((r) => r.present && r.counts);
    md.push(
      `### CPU per event, cold and warm (${REPEATS} repositories each, median; warm: after ${WARMUP} repositories played first)`,
      "",
      table(
        ["event", "cold: Charter", "cold: same requests, no logic", "cold ratio", "warm: Charter", "warm: same requests, no logic", "warm ratio"],
        present.map((r) => [r.label, `${fmt(ms(median(cold(r.charterCpuUs))), 2)} ms`, `${fmt(ms(median(cold(r.mirrorCpuUs))), 2)} ms`, ratio2(median(cold(r.charterCpuUs)), median(cold(r.mirrorCpuUs))), `${fmt(ms(median(warm(r.charterCpuUs))), 2)} ms`, `${fmt(ms(median(warm(r.mirrorCpuUs))), 2)} ms`, ratio2(median(warm(r.charterCpuUs)), median(warm(r.mirrorCpuUs)))]),
      ),
      "",
      "Each repository's CPU in the order played (Charter / same requests, no logic), to see where the samples stop falling:",
      "",
      table(
        ["repository", "all events", ...TREND.map((l) => l)],
        Array.from({ length: WARMUP + REPEATS }, (_, i) => {
          const pair = (r: EventRow | undefined) => (r ? `${fmt(ms(r.charterCpuUs[i]!), 1)} / ${fmt(ms(r.mirrorCpuUs[i]!), 1)} ms` : "n/a");
          const sum = (xs: (r: EventRow) => number) => present.reduce((t, r) => t + xs(r), 0);
          const tag = i < WARMUP && i < REPEATS ? " (cold)" : i < WARMUP ? "" : i < REPEATS ? " (cold, warm)" : " (warm)";
          return [`${i + 1}${tag}`, `${fmt(ms(sum((r) => r.charterCpuUs[i]!)), 1)} / ${fmt(ms(sum((r) => r.mirrorCpuUs[i]!)), 1)} ms`, ...TREND.map((l) => pair(present.find((r) => r.label === l)))];
        }),
      ),
      "",
    );
    result.eventsWarm = { warmup: WARMUP, repeats: REPEATS, rows: allRows.map((r) => ({ label: r.label, charterCpuUs: r.charterCpuUs, mirrorCpuUs: r.mirrorCpuUs, bareCpuUs: r.bareCpuUs, charterCpuMsMedian: ms(median(warm(r.charterCpuUs))), mirrorCpuMsMedian: ms(median(warm(r.mirrorCpuUs))), ratioToMirror: median(warm(r.charterCpuUs)) / median(warm(r.mirrorCpuUs)) })) };
  }

  if (sweepResult.rows.length) {
    const floor = sweepResult.rows.find((s) => s.incidents === 1 && s.phase.startsWith("3rd"));
    md.push(
      "### Sweep (one reconcile pass over one repository)",
      "",
      sweepResult.present
        ? table(
            ["open incidents", "other open issues", "pass", "reads", "304", "writes", "CPU", "CPU vs 1-incident steady pass", "wall"],
            sweepResult.rows.map((s) => [String(s.incidents), String(s.others), s.phase, String(s.counts.reads), String(s.counts.notModified), String(s.counts.writes), `${fmt(s.cpuMs)} ms`, floor ? ratio(s.cpuMs, floor.cpuMs) : "n/a", `${fmt(s.wallMs, 0)} ms`]),
          )
        : `incident sweep: ${MISSING}`,
      "",
    );
    result.sweeps = sweepResult;
  }

}

/** The rows the per-repository trend shows (with the sum over every event). */
const TREND = ["push to default branch (governance/)", "/killswitch activate", "/killswitch resume"];

/**
 * Every repository's delivery of an event must have made the same requests (method, template,
 * status: so the same reads, 304s and writes) and hit and missed Charter's governance cache the same
 * way: a warm-up that made a later repository's work cached (or evicted what it hits) fails the bench.
 */
function assertSameWork(rows: readonly EventRow[]): void {
  const differences: string[] = [];
  for (const r of rows) {
    const i = r.work.findIndex((x) => x !== r.work[0]);
    if (i < 0) continue;
    const a = JSON.parse(r.work[0]!) as { requests: string[]; cache: Record<string, number> };
    const b = JSON.parse(r.work[i]!) as { requests: string[]; cache: Record<string, number> };
    const only = (x: string[], y: string[]) => x.filter((e) => !y.includes(e));
    differences.push(`${r.label}: repository ${i + 1} differs from repository 1: requests only in 1 [${only(a.requests, b.requests).join(", ")}], only in ${i + 1} [${only(b.requests, a.requests).join(", ")}], cache ${JSON.stringify(a.cache)} vs ${JSON.stringify(b.cache)}`);
  }
  if (differences.length) throw new Error(`the events bench's repositories did not all do the same work:\n${differences.join("\n")}`);
}

async function memorySection(gh: GitHubEmulator, childEnv: Record<string, string>, result: Record<string, unknown>, md: string[]): Promise<void> {
  const mem = await memoryRun(gh, childEnv);
  const rssAt = (m: MemoryResult, n: number) => m.memory.find((x) => x.after === n);
  const mb = (b: number | undefined) => (b === undefined ? "n/a" : `${(b / 2 ** 20).toFixed(1)} MiB`);
  md.push(
    `### Memory after ${MEMORY_TOTAL.toLocaleString("en")} deliveries, and deliveries per second on one core`,
    "",
    table(
      ["app", `RSS after ${mem[0]?.memory.map((x) => x.after.toLocaleString("en")).join(" / ")}`, "RSS ratio", "JS heap after the same", "heap ratio", "CPU per delivery", "deliveries/s on one core"],
      mem.map((m) => {
        const a = rssAt(m, 100);
        const b = rssAt(m, MEMORY_TOTAL);
        return [m.kind === "charter" ? "Charter" : "bare Probot", m.memory.map((x) => mb(x.rss)).join(" / "), a && b ? ratio(b.rss, a.rss) : "n/a", m.memory.map((x) => mb(x.heapUsed)).join(" / "), a && b ? ratio(b.heapUsed, a.heapUsed) : "n/a", `${fmt(ms(m.cpuUsPerDelivery), 3)} ms`, fmt(1e6 / m.cpuUsPerDelivery, 0)];
      }),
    ),
    "",
  );
  const c = mem.find((m) => m.kind === "charter");
  const b = mem.find((m) => m.kind === "bare");
  if (c && b) md.push(`On this mix (a review re-evaluating the GA gate, \`/killswitch status\`, a comment on an incident, an ordinary issue opened; GitHub replayed in-process) Charter uses ${ratio(c.cpuUsPerDelivery, b.cpuUsPerDelivery)} the bare app's CPU per delivery.${c.error ? ` (first handler error: ${c.error})` : ""}`, "");
  result.memory = mem;
}

async function laterSections(result: Record<string, unknown>, md: string[], keyFile: string): Promise<void> {
  // 3. governance at scale
  if (runs("scale")) {
    process.stderr.write("  governance at scale…\n");
    const scale = await governanceAtScale();
    md.push(
      "### Governance at scale: which gates apply to a pull request of 3,000 files, and its sign-off",
      "",
      table(
        ["model", "roles", "OWNERS lines", "PR files", "gates", "parse OWNERS (baseline)", "select gates + evaluate sign-off", "ratio"],
        scale.map((s) => [s.model, String(s.roles), String(s.ownersLines), String(s.files), String(s.gates), `${fmt(s.baselineMs, 2)} ms`, `${fmt(s.evaluateMs, 1)} ms`, ratio(s.evaluateMs, s.baselineMs)]),
      ),
      "",
    );
    result.scale = scale;
  }

  // 4. parse + validate (npm run bench:governance)
  if (runs("governance")) {
    process.stderr.write("  bench:governance…\n");
    const figures = await governanceParse();
    md.push(
      "### Loading governance (from `npm run bench:governance`)",
      "",
      figures
        ? table(["model", "yaml.parse (baseline)", "Charter parse + validate", "ratio"], figures.map((f) => [f.model, `${fmt(f.yamlParseMs)} ms`, `${fmt(f.validateMs)} ms`, `${f.ratio.toFixed(1)}×`]))
        : "bench:governance failed",
      "",
    );
    result.governance = figures;
  }

  // 5. cold start
  if (runs("cold")) {
    process.stderr.write("  cold start…\n");
    const coldGh = await startEmulator({ quiet: true, guard: false, startTime: T0, conditionalRequests: true });
    const cold = await coldStart(keyFile, coldGh).finally(() => coldGh.stop());
    if (cold) {
      const c = cold.find((x) => x.kind === "charter")!;
      const b = cold.find((x) => x.kind === "bare")!;
      const m = cold.find((x) => x.kind === "compare");
      const row = (label: string, f: ColdFigures) => [label, `${fmt(median(f.readyMs), 0)} ms`, `${fmt(median(f.wallMs), 0)} ms`, `${fmt(median(f.serverReadyMs), 0)} ms`, `${fmt(median(f.jobsReadyMs), 0)} ms`, `${fmt(median(f.firstEventMs), 0)} ms`, `${fmt(median(f.firstEventWallMs), 0)} ms`, `${fmt(median(f.serverFirstEventMs), 0)} ms`];
      const ratios = (label: string, f: ColdFigures) => [label, ratio(median(f.readyMs), median(b.readyMs)), ratio(median(f.wallMs), median(b.wallMs)), ratio(median(f.serverReadyMs), median(b.serverReadyMs)), ratio(median(f.jobsReadyMs), median(b.jobsReadyMs)), ratio(median(f.firstEventMs), median(b.firstEventMs)), ratio(median(f.firstEventWallMs), median(b.firstEventWallMs)), ratio(median(f.serverFirstEventMs), median(b.serverFirstEventMs))];
      md.push(
        `### Cold start (import to ready, and ready + a first event handled; ${COLD_RUNS} runs each, alternated, median)`,
        "",
        table(
          ["app", "process start to ready (in-process clock)", "spawn to exit (wall)", "process start to a server started (as `probot run`)", "that server + every engine job kind's code and the metrics library (its first jobs, at most)", "process start to first event handled (in-process clock)", "spawn to exit, with the event (wall)", "process start to a server's first event handled (delivered signed; Charter: through the engine's delivery job)"],
          [
            row("Charter (dist/app.js)", c),
            ...(m ? [row(`compared build (${env.BENCH_COLD_COMPARE})`, m)] : []),
            row("bare Probot app", b),
            ratios("Charter / bare", c),
            ...(m ? [ratios("compared build / bare", m)] : []),
          ],
        ),
        "",
        "The first event is a `pull_request_review` approving a new GA pull request, delivered with `probot.receive` against the emulator; Charter reads the governance and writes the sign-off check (the bare app's handler does nothing: the difference is Charter's whole first event, work included). A server's start is measured as `probot run` starts one (a Server built with Probot.defaults, then server.load of the app, in a production environment; listening left out for both apps): Charter then also creates the engine and its metrics' counters, imports the engine's runtime and starts the engine, which the in-process load (no HTTP server: Actions, `probot receive`) does not. The next column then imports every engine job kind's code (dist/engine/jobs.js) and the metrics library (prom-client, dist/engine/prometheus.js, imported on the first count or scrape since 2026-12-07): what the server's first jobs import (redelivery 5 s and the safety net 10 s after start, and the timers the safety net schedules), at most; a build without those modules imported them at start. The last column delivers the same first event to such a server as GitHub does (signed, through Probot's verifyAndReceive): for Charter the engine's delivery job, its handlers and what is learned after them.",
        "",
      );
      result.coldStart = cold;
    } else md.push("### Cold start", "", "n/a: dist/app.js is missing (npm run build)", "");
  }

  // 5b. the engine: timers, replicas on Redis, the safety net (scripts/bench/engine.ts)
  if (runs("engine")) {
    process.stderr.write("  the engine (replicas on Redis, timers, safety net)…\n");
    const e = await engineBench();
    md.push(...e.md);
    result.engine = e.result;
  }

  // 6. parsing user text: 1 MB of whitespace and a 1 MB heading, against reading the same bytes
  if (runs("parse")) {
    process.stderr.write("  parsing user text…\n");
    const rows = parseBench();
    md.push("### Parsing user text: 1 MB of whitespace and a 1 MB heading", "", parseTable(rows), "");
    result.parse = rows;
  }
}

async function finish(started: number, machine: { nproc: number; cpu: string; memoryGiB: number; node: string; date: string }, result: Record<string, unknown>, md: string[]): Promise<void> {
  // 7. the day's budget
  const events = new Map(((result.events as EventRow[] | undefined) ?? []).map((r) => [r.label, r]));
  const b = ONLY.size > 0 ? undefined : budget(events, (result.sweeps as { rows: SweepRow[] } | undefined)?.rows ?? []);
  if (ONLY.size > 0) {
    // BENCH_ONLY: no day's budget (it needs every event)
  } else if (b) {
    md.push(
      "### Rate-limit budget for a busy day (5,000 requests per hour per installation)",
      "",
      table(["what", "requests per day"], [...Object.entries(b.perDay).map(([k, v]) => [k, String(v)]), ["total", String(b.totalPerDay)]]),
      "",
      `Average hour: ${fmt(b.averageHourPct)} % of the limit; peak hour: ${fmt(b.peakHourPct)} %. Assumptions: ${b.assumptions.join("; ")}.`,
      "",
    );
  } else md.push("### Rate-limit budget", "", `${MISSING}: some event it needs was not measured`, "");
  result.budget = b;

  const duration = (performance.now() - started) / 1000;
  result.durationSeconds = duration;
  const header = `Machine: ${machine.nproc} CPUs (${machine.cpu}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.date.slice(0, 10)}. Bench took ${fmt(duration, 0)} s.`;
  const text = [header, "", ...md].join("\n");
  console.log(text);
  const dir = join(ROOT, "bench-results");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "bench.json"), JSON.stringify(result, null, 2) + "\n");
  await writeFile(join(dir, "bench.md"), text + "\n");
  process.stderr.write(`wrote bench-results/bench.json and bench-results/bench.md\n`);
}

try {
  await main();
} catch (error) {
  console.error(`bench: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
}
