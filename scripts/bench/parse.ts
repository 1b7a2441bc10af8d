/**
 * Parse time of every user-text parser on 1 MB of whitespace and on a 1 MB heading, as a ratio to
 * reading the same bytes (splitting them into lines and looking at every character once), both
 * measured in the same run, alternately. A linear parser stays within a small multiple of the
 * reading; a backtracking one is thousands of times slower (or does not finish).
 *
 * Charter never parses 1 MB of user text: every parser refuses a text over its cap first (GitHub's
 * 65,536 characters for a body or comment, 2,000 for a command line). The caps are lifted here
 * (each parser takes its cap as a parameter) to measure the parsing itself; the last column is the
 * same call with the cap, as Charter runs it.
 *
 * `npm run bench:parse` runs only this table (no build, a few seconds); `npm run bench` includes it
 * (skip it with BENCH_SKIP=parse). Knob: BENCH_PARSE_RUNS (median of this many runs; default 7).
 */
import { pathToFileURL } from "node:url";
import { parseCommand } from "../../src/core/commands/parse.js";
import { areaKey, parseIncidentForm, severityWord } from "../../src/core/incidents/form.js";
import { decodeDone, decodeState } from "../../src/core/incidents/marker.js";
import { TEST_IDENTITY } from "../../test/support/identity.js";
import { parseResumeArgs } from "../../src/core/killswitch/resume.js";
import { matchesPattern } from "../../src/core/owners/match.js";
import { parseOwners } from "../../src/core/owners/parse.js";
import { declarationCandidates, missingFormFields, rollbackDeclarations, taskItems } from "../../src/core/signoff/body.js";
import { MAX_PATH_UNITS, overCap } from "../../src/core/text/limits.js";

const MB = 1 << 20;
const RUNS = Math.max(3, Number(process.env.BENCH_PARSE_RUNS ?? 7));
const FORM = ["Date", "Time", "Rolled back from", "Rolled back to", "Reason", "Authorized by", "Approved by", "Next steps"];
const NO_CAP = Number.POSITIVE_INFINITY;
/** Markers are read with Charter's seal keys, for one issue; they cap what they read at GitHub's comment size themselves. */
const SEALING = { keys: TEST_IDENTITY.keys, repo: "acme/ingestion" };

/** The two inputs: a line of whitespace ending in a letter (what made the old regexes backtrack), and a heading of the same shape. */
const INPUTS = {
  "1 MB of whitespace": (prefix: string) => `${prefix}${" \t".repeat((MB - prefix.length) / 2 - 1)} x`,
  "1 MB heading": (prefix: string) => `${prefix}### x${" ".repeat(MB - prefix.length - 6)}y`,
} as const;

interface Parser {
  name: string;
  /** Put the input where this parser reads it (a description line, a command line, …). */
  prefix: string;
  parse: (text: string) => unknown;
  /** The same call as Charter makes it, with the cap. */
  capped: (text: string) => unknown;
}

const PARSERS: Parser[] = [
  { name: "comment command (`parseCommand`)", prefix: "/update investigating ", parse: (t) => parseCommand(t, { body: NO_CAP, line: NO_CAP }), capped: (t) => parseCommand(t) },
  { name: "rollback sign-off form (`missingFormFields`)", prefix: "Rollback type: planned\nReason:\n", parse: (t) => missingFormFields(t, FORM, NO_CAP), capped: (t) => missingFormFields(t, FORM) },
  { name: "rollback type (`rollbackDeclarations`)", prefix: "Rollback type: planned\n", parse: (t) => rollbackDeclarations(t, NO_CAP), capped: (t) => rollbackDeclarations(t) },
  { name: "rollback type value (`declarationCandidates`)", prefix: "Planned (bug found) ", parse: (t) => declarationCandidates(t), capped: (t) => declarationCandidates(t.slice(0, 65_536)) },
  { name: "task items, confirmations (`taskItems`)", prefix: "- [x] ", parse: (t) => taskItems(t, NO_CAP), capped: (t) => taskItems(t) },
  { name: "incident form (`parseIncidentForm`)", prefix: "### Severity\n\nP1\n\n", parse: (t) => parseIncidentForm(t, NO_CAP), capped: (t) => parseIncidentForm(t) },
  { name: "severity answer (`severityWord`)", prefix: "P1", parse: (t) => severityWord(t), capped: (t) => severityWord(t.slice(0, 65_536)) },
  { name: "service area (`areaKey`)", prefix: "Billing ", parse: (t) => areaKey(t), capped: (t) => areaKey(t.slice(0, 65_536)) },
  { name: "incident state marker (`decodeState`)", prefix: "<!-- charter:incident {", parse: (t) => decodeState(t, SEALING, 1), capped: (t) => decodeState(t, SEALING, 1) },
  { name: "done marker (`decodeDone`)", prefix: "<!-- charter:done {", parse: (t) => decodeDone(t, SEALING, 1), capped: (t) => decodeDone(t, SEALING, 1) },
  { name: "kill-switch arguments (`parseResumeArgs`)", prefix: 'global --verified "', parse: (t) => parseResumeArgs(t), capped: (t) => parseResumeArgs(t.slice(0, 2_000)) },
  { name: "OWNERS file (`parseOwners`)", prefix: "/docs/ ", parse: (t) => parseOwners(t), capped: (t) => parseOwners(t) },
  { name: "OWNERS path match (`matchesPattern`, `/**/*x*y`)", prefix: "src/", parse: (t) => matchesPattern("/**/*x*y", t), capped: (t) => !overCap(t, MAX_PATH_UNITS) && matchesPattern("/**/*x*y", t) },
];

/** Reading the bytes: split into lines and look at every character once. */
function read(text: string): number {
  let nonSpace = 0;
  for (const line of text.split("\n")) for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) > 32) nonSpace++;
  return nonSpace;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export interface ParseRow {
  parser: string;
  input: string;
  readMs: number;
  parseMs: number;
  ratio: number;
  cappedMs: number;
}

export function parseBench(): ParseRow[] {
  const rows: ParseRow[] = [];
  for (const p of PARSERS) {
    for (const [input, make] of Object.entries(INPUTS)) {
      const text = make(p.prefix);
      p.parse(text); // warm
      read(text);
      const readTimes: number[] = [];
      const parseTimes: number[] = [];
      const cappedTimes: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        readTimes.push(time(() => read(text)));
        parseTimes.push(time(() => p.parse(text)));
        cappedTimes.push(time(() => p.capped(text)));
      }
      const readMs = median(readTimes);
      const parseMs = median(parseTimes);
      rows.push({ parser: p.name, input, readMs, parseMs, ratio: parseMs / readMs, cappedMs: median(cappedTimes) });
    }
  }
  return rows;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

export function parseTable(rows: readonly ParseRow[]): string {
  return table(
    ["parser", "input", "reading the bytes (baseline)", "parse, cap lifted", "ratio", "with the cap, as Charter runs"],
    rows.map((r) => [r.parser, r.input, `${r.readMs.toFixed(2)} ms`, `${r.parseMs.toFixed(2)} ms`, `${r.ratio.toFixed(1)}×`, `${r.cappedMs.toFixed(2)} ms`]),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const started = performance.now();
  const rows = parseBench();
  console.log(`### Parsing user text: 1 MB of whitespace and a 1 MB heading (median of ${RUNS} runs, Node ${process.version})\n`);
  console.log(parseTable(rows));
  console.log(`\nTook ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}
