/**
 * `charter report` end to end: a history written into the emulator in Charter's real formats (the
 * sealed state marker in Charter's status comment, Charter's action comments with their sealed
 * `done` markers, people's command comments, Charter's sealed sign-off pull request with reviews,
 * governance/state/log.yml on the default branch), read back through the real CLI as the GitHub App.
 *
 * Incident records are made by the real transitions (openIncident, planPass at each due instant,
 * acknowledge, resolveIncident) on the repository's own D9 governance, so the ladder, pages and
 * deadlines are what Charter would have recorded.
 *
 * - A fixed week (2025-06-02 to 06-09) of four incidents, a kill-switch activation resumed by a
 *   sign-off pull request, and forged records: every figure worked out by hand below.
 * - 200 incidents from a seeded generator (May 2025): aggregates checked against formulas applied
 *   to the generator's own plan (not the report's code), and the GitHub requests counted.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReportCommand } from "../../src/cli/commands/report.js";
import type { CliIO } from "../../src/cli/command.js";
import { ManualClock } from "../../src/clock.js";
import { encodeDone } from "../../src/core/incidents/marker.js";
import { nextDueAt } from "../../src/core/incidents/due.js";
import { statusCommentBody } from "../../src/core/incidents/messages.js";
import { planPass } from "../../src/core/incidents/pass.js";
import type { IncidentState } from "../../src/core/incidents/state.js";
import { acknowledge, isRefused, openIncident, resolveIncident } from "../../src/core/incidents/transitions.js";
import type { Governance } from "../../src/core/model/governance.js";
import type { Report } from "../../src/core/report/build.js";
import { loadGovernance } from "../../src/load/load.js";
import { directorySource } from "../../src/load/source.js";
import { SeededRandom, startEmulator, type GitHubEmulator } from "../emulator/index.js";
import { TestOctokit } from "../support/app-harness.js";
import { sealedRequest, TEST_IDENTITY, TEST_SEAL_SECRET } from "../support/identity.js";

const ROOT = join(import.meta.dirname, "..", "..");
const REPO = "acme/ingestion";
const SEALING = { keys: TEST_IDENTITY.keys, repo: REPO };
const MIN = 60_000;
const HOUR = 3_600_000;
const BOT = "charter[bot]";

let gh: GitHubEmulator;
let g: Governance;
let env: Record<string, string>;
let out: string;

/** What an incident's people do, in minutes after it opened. */
interface Plan {
  severity: "P1" | "P2" | "P3";
  openedAt: number;
  ackAfter?: number;
  /** Who acknowledges (default: the first person of the latest page before the acknowledgement). */
  ackBy?: string;
  resolveAfter?: number;
}

function issueNumberFor(plan: Plan): number {
  gh.setTime(new Date(plan.openedAt).toISOString());
  return gh.createIssue(REPO, { title: `Ingestion ${plan.severity} at ${new Date(plan.openedAt).toISOString()}`, user: "rita-reporter", labels: ["incident", `severity: ${plan.severity}`] }).number;
}

/** Run the real transitions on the plan and write the result to GitHub as Charter and its people would have. */
function record(plan: Plan): { number: number; state: IncidentState } {
  const inc = g.incidents!;
  const number = issueNumberFor(plan);
  const opened = new Date(plan.openedAt);
  const comments: { at: number; body: string; user: string }[] = [];
  let state = openIncident({ g, now: opened }, { inc, issue: { number, title: `Ingestion ${plan.severity}`, author: "rita-reporter" }, severity: plan.severity, openedAt: opened, zone: "Europe/Berlin" }).state;
  let now = plan.openedAt;
  const runUntil = (t: number) => {
    for (let guard = 0; guard < 100; guard++) {
      const next = nextDueAt(state, new Date(now));
      if (next === undefined || next >= t) return;
      const pass = planPass({ g, now: new Date(next) }, state);
      if (pass.lines.length > 0) comments.push({ at: next, user: BOT, body: `${pass.lines.join("\n")}\n\n${encodeDone(pass.done, SEALING, number)}` });
      state = pass.state;
      now = Math.max(now, next);
    }
    throw new Error("the ladder did not settle");
  };
  const ackAt = plan.ackAfter !== undefined ? plan.openedAt + plan.ackAfter * MIN : undefined;
  const resolveAt = plan.resolveAfter !== undefined ? plan.openedAt + plan.resolveAfter * MIN : undefined;
  if (ackAt !== undefined) {
    runUntil(ackAt);
    const by = plan.ackBy ?? state.pages.filter((p) => p.people.length > 0).at(-1)!.people[0]!;
    comments.push({ at: ackAt, user: by, body: "/ack" });
    const t = acknowledge({ g, now: new Date(ackAt) }, state, by);
    if (isRefused(t)) throw new Error(t.refused);
    state = t.state;
    now = ackAt;
  }
  runUntil(resolveAt ?? plan.openedAt + 8 * HOUR);
  if (resolveAt !== undefined) {
    comments.push({ at: resolveAt, user: "ana-owner", body: "/resolve disk full on the ingest node" });
    const r = resolveIncident({ g, now: new Date(resolveAt) }, inc, state, "ana-owner", { rootCause: "disk full on the ingest node", resolution: "freed space" });
    if ("refused" in r) throw new Error(r.refused);
    state = r.outcome(r.review ? 9000 + number : undefined).state;
  }
  // The status comment is Charter's first comment; it was last edited at the last change.
  gh.setTime(opened.toISOString());
  const status = gh.addComment(REPO, number, statusCommentBody(state, SEALING), BOT);
  for (const c of comments.sort((a, b) => a.at - b.at)) {
    gh.setTime(new Date(c.at).toISOString());
    gh.addComment(REPO, number, c.body, c.user);
  }
  gh.setTime(new Date(Math.max(now, resolveAt ?? 0, plan.openedAt)).toISOString());
  gh.editComment(REPO, status.id, statusCommentBody(state, SEALING));
  return { number, state };
}

function io(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (t) => lines.push(t), err: (t) => errors.push(t), env, cwd: out };
}

const command = createReportCommand({ Octokit: TestOctokit, clock: new ManualClock("2025-06-10T12:00:00Z") });

async function report(...args: string[]): Promise<{ report: Report; errors: string[] }> {
  const cli = io();
  const code = await command.run(["--repo", REPO, "--dir", join(ROOT, "governance"), "--json", ...args], cli);
  expect(cli.errors.filter((e) => !e.startsWith("charter report: "))).toEqual([]);
  expect(code).toBe(0);
  return { report: JSON.parse(cli.lines.join("\n")) as Report, errors: cli.errors };
}

const t = (iso: string) => Date.parse(iso);
const generated: Plan[] = [];

beforeAll(async () => {
  const loaded = await loadGovernance(directorySource(join(ROOT, "governance"), "governance"));
  if (!loaded.ok) throw new Error("the repository's governance/ does not load");
  g = loaded.governance;
  out = mkdtempSync(join(tmpdir(), "charter-report-"));
  gh = await startEmulator({ quiet: true, startTime: "2025-04-01T00:00:00Z" });
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  env = { APP_ID: "1", PRIVATE_KEY: privateKey, CHARTER_SEAL_KEYS: TEST_SEAL_SECRET, GITHUB_API_URL: gh.apiUrl };
  const log = [
    "version: 1",
    "entries:",
    "  - { id: activate-50, timestamp: 2025-06-03T08:00:00Z, action: activate, actor: olga-oncall, scope: global, scenario: data-corruption, severity: P1, reason: checksum mismatches, link: https://github.com/acme/ingestion/issues/50#issuecomment-1 }",
    "  - { id: resume-51, timestamp: 2025-06-03T09:00:00Z, action: resume, actor: ana-owner, scope: global, reason: resumed after 1h, approval: sign-off on the pull request, link: https://github.com/acme/ingestion/issues/50#issuecomment-2 }",
    "",
  ].join("\n");
  gh.createRepo(REPO, { files: { "governance/state/log.yml": log, "README.md": "ingestion\n" } });

  // 200 incidents in May, from a seeded generator.
  const rnd = new SeededRandom(20250501);
  for (let i = 0; i < 200; i++) {
    const severity = rnd.pick(["P1", "P1", "P1", "P2", "P2", "P2", "P2", "P3", "P3", "P3"] as const);
    const openedAt = t("2025-05-01T00:00:00Z") + rnd.int(28 * 24 * 60) * MIN;
    const ackAfter = rnd.chance(0.1) ? undefined : 1 + rnd.int(40);
    const resolveAfter = rnd.chance(0.05) ? undefined : (ackAfter ?? 0) + 5 + rnd.int(300);
    generated.push({ severity, openedAt, ...(ackAfter !== undefined ? { ackAfter } : {}), ...(resolveAfter !== undefined ? { resolveAfter } : {}) });
  }
  for (const plan of [...generated].sort((a, b) => a.openedAt - b.openedAt)) record(plan);
}, 120_000);

afterAll(async () => {
  await gh?.stop();
  rmSync(out, { recursive: true, force: true });
});

describe("a fixed week, by hand", () => {
  // The D9 rotation (governance/oncall.yml, weekly from Mon 2025-01-06 09:00 Europe/Berlin): the
  // week from Mon 2025-06-02 09:00 CEST is week 21, so primary = participants[21 mod 4 = 1] =
  // olga-oncall and secondary = omar-oncall. Every severity has ack_within 15m.
  let numbers: { A: number; B: number; C: number; D: number };
  let stateA: IncidentState;
  beforeAll(() => {
    // A: P1 Mon 10:00Z (12:00 CEST); olga paged 10:00, acks 10:05, resolved 11:00. TTA 5, TTR 60, met.
    const a = record({ severity: "P1", openedAt: t("2025-06-02T10:00:00Z"), ackAfter: 5, resolveAfter: 60 });
    stateA = a.state;
    numbers = {
      A: a.number,
      // B: P1 Sat 02:00Z (04:00 CEST); olga paged 02:00, omar (+15m) 02:15, omar acks 02:25 (before +30m), resolved 04:00. TTA 25, TTR 120, missed.
      B: record({ severity: "P1", openedAt: t("2025-06-07T02:00:00Z"), ackAfter: 25, ackBy: "omar-oncall", resolveAfter: 120 }).number,
      // C: P2 Wed 14:00Z (16:00 CEST); olga paged 14:00, nobody acks, omar paged at +30m (until resolved) 14:30, resolved 14:50. TTR 50, missed.
      C: record({ severity: "P2", openedAt: t("2025-06-04T14:00:00Z"), resolveAfter: 50 }).number,
      // D: P3 Thu 09:00Z (11:00 CEST); olga paged 09:00, acks 09:10, still open on Mon 06-09 00:00Z. TTA 10, met.
      D: record({ severity: "P3", openedAt: t("2025-06-05T09:00:00Z"), ackAfter: 10 }).number,
    };
    // The kill-switch's resume went through Charter's sign-off pull request: opened 09:00, sam approves 10:45, merged 11:30.
    gh.setTime("2025-06-03T09:00:00Z");
    gh.commitFiles(REPO, "charter/resume-global-51", { "governance/state/killswitch.yml": "version: 1\nswitches:\n  global: { active: false }\n" });
    const body = `## Resume the kill-switch \`global\`\n\n${sealedRequest({ kind: "resume", issue: 50, by: "ana-owner", scope: "global" }, "charter/resume-global-51", REPO)}`;
    const { pull } = gh.openPullRequest(REPO, { head: "charter/resume-global-51", title: "Kill-switch: resume global", body, user: BOT });
    gh.setTime("2025-06-03T10:45:00Z");
    gh.submitReview(REPO, pull.number, { user: "sam-sre", state: "APPROVED" });
    gh.setTime("2025-06-03T11:30:00Z");
    gh.mergePullRequest(REPO, pull.number, "sam-sre");
    // Forgeries: a person's pull request carrying a copy of the sealed request is not Charter's.
    gh.setTime("2025-06-04T09:00:00Z");
    gh.commitFiles(REPO, "charter/resume-global-51-copy", { "notes.md": "x\n" });
    const forgedPull = gh.openPullRequest(REPO, { head: "charter/resume-global-51-copy", title: "Kill-switch: resume global", body, user: "mallory" }).pull;
    gh.submitReview(REPO, forgedPull.number, { user: "sam-sre", state: "APPROVED" });
    gh.mergePullRequest(REPO, forgedPull.number, "sam-sre");
  });

  it("MTTA, MTTR and compliance per severity, pages and after-hours hours per person, sign-off lead time and kill-switch time", async () => {
    const { report: r } = await report("--since", "2025-06-02", "--until", "2025-06-09");
    expect(r.totals).toEqual({ incidents: 4, acknowledged: 3, resolved: 3, open: 1, pages: 6 });
    // Escalated past the first step: B (omar at +15) and C (omar at +30, a P2 step that runs until resolved).
    expect(r.severities.map((s) => [s.severity, s.incidents, s.mtta.mean, s.mtta.median, s.mttr.mean, s.compliance.met, s.compliance.missed, s.compliance.rate, s.escalated])).toEqual([
      ["P1", 2, 15, 15, 90, 1, 1, 0.5, 1], // TTA 5 and 25; TTR 60 and 120
      ["P2", 1, null, null, 50, 0, 1, 0, 1],
      ["P3", 1, 10, 10, null, 1, 0, 1, 0],
    ]);
    // olga: paged in A (12:00 CEST Mon, working), B (04:00 CEST Sat, after hours), C (16:00 CEST Wed), D (11:00 CEST Thu): 4 pages, 1 after hours.
    //   Responding: A 10:00-11:00Z (1 h), C 14:00-14:50Z (50 min), D Thu 09:00Z to the end Mon 00:00Z (87 h, which contains B): 88 h 50 min.
    //   After hours, Berlin: A 0, C 0, D Thu 11:00 CEST → Mon 02:00 CEST is 87 h less working Thu 11-18 (7 h) and Fri 09-18 (9 h) = 71 h.
    // omar: paged in B at 02:15Z (after hours) and C at 14:30Z (working): 2 pages, 1 after hours.
    //   Responding: B 02:15-04:00Z (1 h 45 min, all after hours: Saturday), C 14:30-14:50Z (20 min, working): 2 h 5 min, 1 h 45 min after hours.
    expect(r.people).toEqual([
      { login: "olga-oncall", zone: "Europe/Berlin", pages: 4, afterHoursPages: 1, respondingHours: 88 + 50 / 60, afterHoursHours: 71 },
      { login: "omar-oncall", zone: "Europe/Berlin", pages: 2, afterHoursPages: 1, respondingHours: 2 + 5 / 60, afterHoursHours: 1.75 },
    ]);
    // Resume: opened 09:00, sam's approval 10:45 (1.75 h), merged 11:30 (2.5 h); the forged copy is not counted.
    expect(r.gates).toEqual([
      { gate: "resume global", count: 1, leadTime: { count: 1, mean: 1.75, median: 1.75, p90: 1.75, max: 1.75 }, toMerge: { count: 1, mean: 2.5, median: 2.5, p90: 2.5, max: 2.5 }, unsigned: 0, pending: 0 },
    ]);
    // Activated 08:00 (logged), resumed when the pull request merged at 11:30, not when it was asked for (09:00): 3.5 h.
    expect(r.killSwitch).toEqual([{ scope: "global", activations: 1, activeHours: 3.5, longestHours: 3.5, activeAtEnd: false }]);
    expect(r.episodes.map((e) => [e.issue, e.severity, e.tta, e.ttr, e.compliance])).toEqual([
      [numbers.A, "P1", 5, 60, "met"],
      [numbers.C, "P2", undefined, 50, "missed"],
      [numbers.D, "P3", 10, undefined, "met"],
      [numbers.B, "P1", 25, 120, "missed"],
    ]);
  });

  it("forged state markers are not counted: a person's or another app's copy of Charter's record, and Charter's record edited by someone", async () => {
    const before = (await report("--since", "2025-06-02", "--until", "2025-06-09")).report;
    const statusA = gh.listComments(REPO, numbers.A).find((c) => c.user === BOT)!;
    gh.setTime("2025-06-06T12:00:00Z");
    // mallory (with write access) copies incident A's whole status comment, seal and all, onto a new "incident"
    const x = gh.createIssue(REPO, { title: "Ingestion P1 copy", user: "mallory", labels: ["incident", "severity: P1"] });
    gh.addComment(REPO, x.number, statusA.body, "mallory");
    // another app posts the same on another issue
    const y = gh.createIssue(REPO, { title: "Ingestion P1 other app", user: "mallory", labels: ["incident"] });
    gh.addComment(REPO, y.number, statusA.body, "other-app[bot]");
    // mallory replays an earlier record of incident A that Charter really sealed (before anyone acknowledged) as the newest comment on A
    const { acks: _acks, resolution: _resolution, ...opening } = stateA;
    gh.addComment(REPO, numbers.A, statusCommentBody({ ...opening, acks: [] }, SEALING), "mallory");
    // someone edits Charter's own record of incident B to move the acknowledgement earlier
    const statusB = gh.listComments(REPO, numbers.B).find((c) => c.user === BOT)!;
    const original = statusB.body;
    gh.editComment(REPO, statusB.id, original.replace('"at":"2025-06-07T02:25:00.000Z"', '"at":"2025-06-07T02:05:00.000Z"'));
    expect(gh.getComment(REPO, statusB.id).body).not.toBe(original);
    try {
      const { report: r, errors } = await report("--since", "2025-06-02", "--until", "2025-06-09");
      expect(r.episodes.map((e) => [e.issue, e.tta, e.ttr])).toEqual([
        [numbers.A, 5, 60],
        [numbers.C, undefined, 50],
        [numbers.D, 10, undefined],
      ]);
      expect(r.severities.find((s) => s.severity === "P1")!.incidents).toBe(1);
      expect(errors).toEqual([
        "charter report: 3 incident records in comments Charter did not write were not counted",
        `charter report: #${numbers.B} not counted: the marker's seal does not verify: someone other than Charter changed the comment, or the marker was copied from elsewhere`,
      ]);
      expect(before.totals.incidents).toBe(4);
      // the report itself says what it left out (JSON here; a "Not counted" section in Markdown)
      expect(r.notCounted).toEqual(errors.map((e) => e.slice("charter report: ".length)));
    } finally {
      gh.editComment(REPO, statusB.id, original);
    }
  });

  it("an incident whose labels were removed still counts", async () => {
    gh.setTime("2025-06-08T12:00:00Z");
    gh.updateIssue(REPO, numbers.D, { labels: [] }, "mallory");
    const { report: r } = await report("--since", "2025-06-02", "--until", "2025-06-09");
    expect(r.episodes.map((e) => e.issue)).toEqual([numbers.A, numbers.C, numbers.D, numbers.B]);
  });

  it("Markdown by default, with the Mermaid xychart; CSV; an SVG file", async () => {
    const cli = io();
    expect(await command.run(["--repo", REPO, "--dir", join(ROOT, "governance"), "--since", "2025-06-02", "--until", "2025-06-09", "--svg", "load.svg"], cli)).toBe(0);
    const md = cli.lines.join("\n");
    expect(md).toContain("# Charter report: acme/ingestion");
    expect(md).toContain("| P1 | 2 | 15m / 15m / 25m | 1h 30m / 1h 30m / 2h | 50% (1 of 2) | 1 |");
    expect(md).toContain('```mermaid\nxychart-beta\n    title "Mean minutes to acknowledge (bars) and to resolve (line), by severity"\n    x-axis ["P1", "P2", "P3"]\n    y-axis "minutes" 0 --> 99\n    bar [15, 0, 10]\n    line [90, 50, 0]\n```');
    expect(md).toContain('    x-axis ["olga-oncall", "omar-oncall"]\n    y-axis "pages / hours" 0 --> 79\n    bar [4, 2]\n    line [71, 1.8]');
    expect(md).toContain("| resume global | 1 | 1h 45m / 1h 45m / 1h 45m | 2h 30m / 2h 30m / 2h 30m | 0 | 0 |");
    expect(md).toContain("| global | 1 | 3h 30m | 3h 30m | no |");
    const svg = readFileSync(join(out, "load.svg"), "utf8");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain("<title>olga-oncall: pages 4</title>");
    const csv = io();
    expect(await command.run(["--repo", REPO, "--dir", join(ROOT, "governance"), "--since", "2025-06-02", "--until", "2025-06-09", "--csv"], csv)).toBe(0);
    expect(csv.lines.join("\n").split("\n")).toEqual(expect.arrayContaining(["severity,P1,mtta_minutes_mean,15", "person,olga-oncall,after_hours_hours,71", "kill_switch,global,active_hours,3.5"]));
  });
});

describe("errors", () => {
  it("a repository the app is not installed on: said in words, exit 1, no stack trace", async () => {
    const cli = io();
    const { main } = await import("../../src/cli/main.js");
    expect(await main(["report", "--repo", "acme/elsewhere", "--dir", join(ROOT, "governance")], cli)).toBe(1);
    expect(cli.errors).toEqual(["charter report: the GitHub App 1 is not installed on acme/elsewhere (or the repository does not exist)"]);
  });
});

describe("200 generated incidents", () => {
  it("aggregates match formulas applied to the generator's plan, and the GitHub requests are counted", async () => {
    gh.clearRequestLog();
    const { report: r } = await report("--since", "2025-05-01", "--until", "2025-05-31");
    const requests = gh.requestLog.map((e) => `${e.method} ${e.template}`);

    const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);
    const median = (v: number[]) => {
      const s = [...v].sort((a, b) => a - b);
      return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    expect(r.totals.incidents).toBe(200);
    for (const severity of ["P1", "P2", "P3"] as const) {
      const plans = generated.filter((p) => p.severity === severity);
      const acked = plans.filter((p) => p.ackAfter !== undefined).map((p) => p.ackAfter!);
      const resolved = plans.filter((p) => p.resolveAfter !== undefined).map((p) => p.resolveAfter!);
      const met = plans.filter((p) => p.ackAfter !== undefined && p.ackAfter <= 15).length;
      const missed = plans.filter((p) => (p.ackAfter !== undefined ? p.ackAfter > 15 : p.resolveAfter === undefined || p.resolveAfter > 15)).length;
      const row = r.severities.find((s) => s.severity === severity)!;
      expect(row.incidents).toBe(plans.length);
      expect(row.acknowledged).toBe(acked.length);
      expect(row.resolved).toBe(resolved.length);
      expect(row.mtta.mean).toBeCloseTo(mean(acked)!, 9);
      expect(row.mtta.median).toBe(median(acked));
      expect(row.mttr.mean).toBeCloseTo(mean(resolved)!, 9);
      expect(row.mttr.median).toBe(median(resolved));
      expect([row.compliance.met, row.compliance.missed]).toEqual([met, missed]);
      // D9: P1's second step is at +15m until acknowledged, P2's at +30m until resolved, P3 has one step.
      const ever = (v: number | undefined) => v ?? Number.POSITIVE_INFINITY;
      const escalated = plans.filter((p) => (severity === "P1" ? Math.min(ever(p.ackAfter), ever(p.resolveAfter)) > 15 : severity === "P2" ? ever(p.resolveAfter) > 30 : false)).length;
      expect(row.escalated).toBe(escalated);
      expect(row.compliance.rate).toBeCloseTo(met / (met + missed), 12);
    }
    // The chart a person looks at: the same means, as the Markdown's first xychart draws them.
    const cli = io();
    expect(await command.run(["--repo", REPO, "--dir", join(ROOT, "governance"), "--since", "2025-05-01", "--until", "2025-05-31", "--svg", "may.svg"], cli)).toBe(0);
    const oneDecimal = (v: number) => Math.round(v * 10) / 10;
    const bySeverity = (["P1", "P2", "P3"] as const).map((severity) => generated.filter((p) => p.severity === severity));
    const ackMeans = bySeverity.map((plans) => mean(plans.flatMap((p) => (p.ackAfter !== undefined ? [p.ackAfter] : []))) ?? 0);
    const resolveMeans = bySeverity.map((plans) => mean(plans.flatMap((p) => (p.resolveAfter !== undefined ? [p.resolveAfter] : []))) ?? 0);
    const [bars, lines] = [ackMeans.map(oneDecimal), resolveMeans.map(oneDecimal)];
    const top = Math.ceil((Math.max(...ackMeans, ...resolveMeans) * 11) / 10);
    expect(cli.lines.join("\n")).toContain(
      `xychart-beta\n    title "Mean minutes to acknowledge (bars) and to resolve (line), by severity"\n    x-axis ["P1", "P2", "P3"]\n    y-axis "minutes" 0 --> ${top}\n    bar [${bars.join(", ")}]\n    line [${lines.join(", ")}]\n`,
    );
    const svg = readFileSync(join(out, "may.svg"), "utf8");
    for (const person of r.people) expect(svg).toContain(`<title>${person.login}: pages ${person.pages}</title>`);

    // Every page names at least one person; the per-person counts add up to the pages' people.
    expect(r.people.reduce((n, p) => n + p.pages, 0)).toBeGreaterThanOrEqual(r.totals.pages);
    expect(r.people.every((p) => p.afterHoursHours <= p.respondingHours + 1e-9 && p.afterHoursPages <= p.pages)).toBe(true);
    expect(r.people.map((p) => p.login).sort()).toEqual(expect.arrayContaining(["olga-oncall", "omar-oncall", "opal-oncall", "oscar-oncall"]));

    // Cost: app auth (3), comments updated since --since (100 a page), closed pull requests (one page), reviews of Charter's merged requests, the log.
    const comments = gh.store.repos.get(REPO)!.issues;
    const since = "2025-05-01T00:00:00Z";
    const nComments = [...comments.values()].flatMap((i) => i.comments).filter((c) => c.updatedAt >= since).length;
    const byTemplate = (tpl: string) => requests.filter((x) => x.endsWith(` ${tpl}`)).length;
    expect(byTemplate("/repos/{owner}/{repo}/issues/comments")).toBe(Math.ceil(nComments / 100));
    expect(byTemplate("/repos/{owner}/{repo}/pulls")).toBe(1);
    expect(byTemplate("/repos/{owner}/{repo}/pulls/{pull_number}/reviews")).toBe(1);
    expect(byTemplate("/repos/{owner}/{repo}/contents/{path}")).toBe(1);
    expect(requests.length).toBe(3 + Math.ceil(nComments / 100) + 1 + 1 + 1);
    console.log(`charter report over 200 incidents: ${requests.length} GitHub requests (${nComments} comments updated since ${since}): ${JSON.stringify(requests.reduce<Record<string, number>>((m, x) => ({ ...m, [x]: (m[x] ?? 0) + 1 }), {}))}`);
  });
});
