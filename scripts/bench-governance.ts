/**
 * npm run bench:governance
 *
 * How long Charter takes to parse and validate a governance directory (loadGovernance: YAML with
 * positions, JSON Schema, zod, OWNERS, every cross-file check), as a ratio to parsing the same YAML
 * with yaml.parse and no validation, measured in the same run: a warm-up, then N runs alternating
 * the two; the ratio is the median of the per-run ratios.
 * Two models: the project's own D9 files, and a generated large one (2,000 roles, 5,000 OWNERS lines,
 * 50 rotations, and gates, severities, activities in proportion). Prints a table and writes
 * bench-results/governance.json. BENCH_RUNS (default 21) and BENCH_LARGE_RUNS (default 5) set N.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "yaml";
import { GOVERNANCE_FILE_NAMES, OWNERS_FILE } from "../src/core/model/files.js";
import { crossCheck } from "../src/core/validate/cross-check.js";
import { formatDiagnostic } from "../src/load/diagnostic.js";
import { loadGovernance } from "../src/load/load.js";
import { memorySource } from "../src/load/source.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

type Files = Record<string, string>;

function d9(): Files {
  const files: Files = {};
  for (const name of GOVERNANCE_FILE_NAMES) {
    const path = join(root, "governance", name);
    if (existsSync(path)) files[name] = readFileSync(path, "utf8");
  }
  return files;
}

const pad = (n: number, width = 4) => String(n).padStart(width, "0");

/** A large, valid governance directory. Sizes are chosen in proportion to D9 (9 roles, 4 gates, 3 severities). */
export function largeModel(size = { roles: 2000, owners: 5000, schedules: 25, tiersPerSchedule: 2, gates: 800, severities: 600, activities: 2000 }): Files {
  const role = (i: number) => `role-${pad(i % size.roles)}`;
  const zones = ["Europe/Berlin", "America/New_York", "UTC", "Asia/Tokyo", "Australia/Sydney"];
  const tiers: string[] = [];

  let oncall = "version: 1\nschedules:\n";
  for (let s = 0; s < size.schedules; s++) {
    oncall += `  sched-${pad(s, 2)}:\n    title: Schedule ${s}\n    timezone: ${zones[s % zones.length]}\n    tiers:\n`;
    for (let t = 0; t < size.tiersPerSchedule; t++) {
      tiers.push(`sched-${pad(s, 2)}/tier-${t}`);
      const people = Array.from({ length: 4 + (s % 4) }, (_, p) => `eng-${s}-${t}-${p}`);
      oncall += `      tier-${t}:\n        title: Tier ${t}\n        response: ${15 * (t + 1)}m\n        coverage: always\n        layers:\n`;
      oncall += `          - { name: weekly, rotation: weekly, handoff: { day: monday, time: "09:00" }, start: 2025-01-06, participants: [${people.join(", ")}] }\n`;
    }
  }

  let roles = "version: 1\nroles:\n";
  for (let i = 0; i < size.roles; i++) {
    roles += `  ${role(i)}:\n    title: Role ${i}\n    group: ${i % 2 ? "technical" : "business"}\n    responsibility: Responsibility number ${i}\n`;
    if (i % 20 === 0) roles += `    oncall: ${tiers[(i / 20) % tiers.length]}\n`;
    else roles += `    holders: [user-${i}${i % 7 === 0 ? `, org/team-${i}` : ""}]\n    backups: [backup-${i}]\n`;
  }

  const owners: string[] = ["# generated"];
  for (let i = 0; i < size.owners; i++) {
    const who = i % 10 === 0 ? `@user-${i} @org/team-${i % 50}` : `${role(i)} ${role(i + 1)}`;
    owners.push(`/services/svc-${pad(i)}/${i % 3 === 0 ? "**/*.sql" : ""}   ${who}`);
  }

  let incidents = 'version: 1\nlabel: { name: incident, color: d73a4a }\ndefault_severity: S0001\nseverities:\n';
  for (let i = 0; i < size.severities; i++) {
    incidents += `  S${pad(i)}:\n    label: "severity: S${pad(i)}"\n    description: Severity ${i}\n    ack_within: 15m\n    assign: ${tiers[i % tiers.length]}\n    escalation:\n`;
    incidents += `      - { after: 0m, notify: [${tiers[i % tiers.length]}] }\n      - { after: 15m, notify: [${role(i)}] }\n      - { after: 1h, notify: [${role(i + 1)}, ${role(i + 2)}], until: resolved }\n`;
    incidents += `    updates_every: 30m\n    review: { required: ${i % 2 === 0}, within: 5d, owner: ${role(i + 3)} }\n`;
  }
  incidents += "commands:\n";
  for (const cmd of ["ack", "escalate", "severity", "update", "resolve", "reopen", "commander", "page"]) incidents += `  ${cmd}: [assignees, ${tiers[0]}, role-0001]\n`;
  incidents += "templates:\n  start: |\n    {{severity}} at {{time}}: {{impact}} ({{oncall}})\n  update: |\n    {{status}}: {{findings}}, next {{next_update}}\n  resolved: |\n    Resolved after {{duration}}: {{root_cause}}\n";

  let authority = "version: 1\nraci:\n  activities:\n";
  for (let i = 0; i < size.activities; i++) authority += `    act-${pad(i)}: { title: Activity ${i}, A: [${role(i)}], R: [${role(i + 1)}], C: [${role(i + 2)}], I: [${role(i + 3)}, everyone] }\n`;
  const phases = Array.from({ length: size.gates + 1 }, (_, i) => `P${pad(i)}`);
  authority += `phases:\n  order: [${phases.join(", ")}]\n  gates:\n`;
  for (let i = 0; i < size.gates; i++) {
    authority += `    - { from: ${phases[i]}, to: ${phases[i + 1]}, require: [${role(3 * i + 1)}, ${role(3 * i + 2)}, ${role(3 * i + 3)}], veto: any-approver, activity: act-${pad(i % size.activities)}, confirmations: [{ role: ${role(3 * i + 1)}, text: Ready }] }\n`;
  }
  authority += "rollback:\n  types:\n";
  for (let i = 0; i < 100; i++) authority += `    rb-${i}: { title: Rollback ${i}, decide: [${role(i + 1)}], approve: [${role(i + 2)}], inform: [everyone], activity: act-${pad(i)} }\n`;
  authority += "kill_switch:\n  activation:\n";
  for (let i = 0; i < 100; i++) {
    authority += `    scenario-${i}: { title: Scenario ${i}, who: [${role(i + 1)}], approval: ${i % 2 ? `{ roles: [${role(i + 2)}], within: 15m }` : "none"}, notify: { roles: [everyone], within: 5m }, severity: S${pad(i % size.severities)}${i === 0 ? ", data_integrity: true" : ""} }\n`;
  }
  authority += "  log_fields: [timestamp, actor, reason, severity, scope, approval, notified]\n  resume:\n";
  authority += `    - { title: Data integrity, when: { data_integrity: true }, who: [${role(1)}, ${role(2)}], verify: [Investigation complete] }\n`;
  for (let h = 0; h < 20; h++) authority += `    - { title: "${h}h to ${h + 1}h", when: { paused_at_least: ${h}h, paused_under: ${h + 1}h }, who: [${role(h + 5)}], verify: [Test upload passes] }\n`;
  authority += `    - { title: Longer, when: {}, who: [${role(3)}], verify: [Metrics check] }\n`;
  authority += "decisions:\n";
  for (let i = 0; i < 500; i++) authority += `  decision-${i}: { title: Decision ${i}, authority: [${role(i)}], consult: [${role(i + 1)}] }\n`;

  const phase = `version: 1\nphase: ${phases[size.gates / 2]}\nsince: 2025-01-20T09:00:00Z\nby: user-1\n`;
  let killswitch = "version: 1\nswitches:\n  global: { active: false }\n";
  for (let i = 0; i < 50; i++) killswitch += `  workspace:ws-${i}: { active: false }\n`;
  let log = "version: 1\nentries:\n";
  for (let i = 0; i < 2000; i++) {
    log += `  - { id: e-${i}, timestamp: 2025-02-03T10:00Z, action: activate, actor: user-${i % 50}, reason: Reason ${i}, severity: S0001, scope: "workspace:ws-${i % 50}", approval: none, notified: [everyone], scenario: scenario-${i % 100} }\n`;
  }

  return {
    "roles.yml": roles,
    "oncall.yml": oncall,
    "incidents.yml": incidents,
    "authority.yml": authority,
    "state/phase.yml": phase,
    "state/killswitch.yml": killswitch,
    "state/log.yml": log,
    [OWNERS_FILE]: owners.join("\n") + "\n",
  };
}

function stats(times: number[]): { median: number; min: number; max: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return { median: sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

async function time(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Warm up, then run the baseline and the measured work alternately N times, so that a change of
 * machine load during the run affects both alike; the ratio is the median of the per-run ratios.
 */
async function compare(baseline: () => unknown, measured: () => unknown, warmup: number, runs: number) {
  for (let i = 0; i < warmup; i++) {
    await baseline();
    await measured();
  }
  const base: number[] = [];
  const work: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const b = await time(baseline);
    const w = await time(measured);
    base.push(b);
    work.push(w);
    ratios.push(w / b);
  }
  return { baseline: stats(base), measured: stats(work), ratio: stats(ratios) };
}

interface Row {
  model: string;
  files: number;
  bytes: number;
  lines: number;
  counts: Record<string, number>;
  runs: number;
  yamlParseMs: number;
  validateMs: number;
  validateMinMs: number;
  validateMaxMs: number;
  crossCheckMs: number;
  /** Median of the per-run ratios (charter ÷ yaml.parse, measured back to back). */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
}

async function bench(model: string, files: Files, warmup: number, runs: number): Promise<Row> {
  const first = await loadGovernance(memorySource(files));
  if (!first.ok) {
    const shown = first.diagnostics.slice(0, 10).map(formatDiagnostic).join("\n  ");
    throw new Error(`the ${model} model does not validate, so the benchmark would measure an early exit:\n  ${shown}`);
  }
  const g = first.governance;
  const yamlTexts = Object.entries(files).filter(([name]) => name.endsWith(".yml")).map(([, text]) => text);
  const { baseline, measured: validate, ratio } = await compare(() => yamlTexts.forEach((t) => parse(t)), () => loadGovernance(memorySource(files)), warmup, runs);
  const crossTimes: number[] = [];
  for (let i = 0; i < runs; i++) crossTimes.push(await time(() => crossCheck(g)));
  const cross = stats(crossTimes);
  const texts = Object.values(files);
  return {
    model,
    files: texts.length,
    bytes: texts.reduce((n, t) => n + Buffer.byteLength(t), 0),
    lines: texts.reduce((n, t) => n + t.split("\n").length, 0),
    counts: {
      roles: Object.keys(g.roles.roles).length,
      ownersRules: g.owners.length,
      rotations: Object.values(g.oncall?.schedules ?? {}).reduce((n, s) => n + Object.values(s.tiers).reduce((m, t) => m + t.layers.length, 0), 0),
      gates: g.authority?.phases?.gates.length ?? 0,
      severities: Object.keys(g.incidents?.severities ?? {}).length,
      activities: Object.keys(g.authority?.raci?.activities ?? {}).length,
      logEntries: g.state.log?.entries.length ?? 0,
    },
    runs,
    yamlParseMs: baseline.median,
    validateMs: validate.median,
    validateMinMs: validate.min,
    validateMaxMs: validate.max,
    crossCheckMs: cross.median,
    ratio: ratio.median,
    ratioMin: ratio.min,
    ratioMax: ratio.max,
  };
}

function table(rows: Row[]): string {
  const head = ["model", "files", "size", "yaml.parse (median)", "charter parse+validate (median)", "ratio (min–max)", "of which cross-file checks", "runs"];
  const body = rows.map((r) => [
    r.model,
    String(r.files),
    `${(r.bytes / 1024).toFixed(1)} KiB, ${r.lines} lines`,
    `${r.yamlParseMs.toFixed(1)} ms`,
    `${r.validateMs.toFixed(1)} ms (min ${r.validateMinMs.toFixed(1)}, max ${r.validateMaxMs.toFixed(1)})`,
    `${r.ratio.toFixed(2)}× (${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)})`,
    `${r.crossCheckMs.toFixed(1)} ms`,
    String(r.runs),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

async function main(): Promise<void> {
  // BENCH_RUNS / BENCH_LARGE_RUNS: how many measured runs (the median is reported).
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 21));
  const largeRuns = Math.max(1, Number(process.env.BENCH_LARGE_RUNS ?? 5));
  const rows = [await bench("D9 (governance/)", d9(), 5, runs), await bench("large (generated)", largeModel(), 1, largeRuns)];
  console.log(table(rows));
  for (const r of rows) console.log(`${r.model}: ${Object.entries(r.counts).map(([k, v]) => `${v} ${k}`).join(", ")}`);
  const out = join(root, "bench-results", "governance.json");
  await mkdir(dirname(out), { recursive: true });
  const result = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? "unknown", cpus: cpus().length, baseline: "yaml.parse of every YAML file (OWNERS is not YAML)", rows };
  await writeFile(out, JSON.stringify(result, null, 2) + "\n");
  console.log(`\nwrote ${out.slice(root.length + 1)}`);
}

// Run only as a script, so that largeModel() can be imported (e.g. to profile a single check).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await main();
  } catch (error) {
    console.error(`bench:governance: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
