/**
 * Parse time of every user-text parser on 1 MB of whitespace and on a 1 MB heading, as a ratio to
 * reading the same bytes (splitting them into lines and looking at every character once), both
 * measured in the same run, alternately. A linear parser stays within a small multiple of the
 * reading; a backtracking one is thousands of times slower (or does not finish).
 *
 * The parsers are those of `test/parsing/linear.test.ts`, from the one list both read
 * (`test/parsing/support/parsers.ts`): a parser is in both or in neither.
 *
 * Charter never parses 1 MB of user text: every parser, or its caller, refuses or cuts a text over
 * its cap first (GitHub's 65,536 characters for a body or comment, 2,000 for a command line, 4,096
 * for a path, 64 for a duration). Where the parser takes its cap as a parameter, or its caller
 * applies it, the cap is lifted here to measure the parsing itself. Where the parser caps inside
 * (it reads only the first 65,536 characters, or refuses a longer text), it cannot be lifted from
 * outside: that row is measured on a text as long as the cap, against reading those bytes, and
 * says so. The `cap` column says which; the last columns are Charter's own call on the 1 MB text.
 *
 * `npm run bench:parse` runs only this table (no build; 10 to 25 s); `npm run bench` includes it
 * (skip it with BENCH_SKIP=parse). Knob: BENCH_PARSE_RUNS (median of this many runs; default 7).
 */
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { repetitionsFor } from "../../test/parsing/support/cost.js";
import { userTextParsers, type Cap, type UserTextParser } from "../../test/parsing/support/parsers.js";

const MB = 1 << 20;
const RUNS = Math.max(3, Number(process.env.BENCH_PARSE_RUNS ?? 7));
/** Each measurement repeats a call until reading the bytes takes at least this long (small inputs: a duration's 64 characters). */
const MIN_MS = 2;

/** The parsers, shared with test/parsing/linear.test.ts. */
export const PARSERS: readonly UserTextParser[] = await userTextParsers();

/** The two inputs, `size` units long: a line of whitespace ending in a letter (what made the old regexes backtrack), and a heading of the same shape. */
const INPUTS = {
  whitespace: (prefix: string, suffix: string, size: number) => {
    const fill = size - prefix.length - suffix.length - 2;
    return `${prefix}${" \t".repeat(Math.ceil(fill / 2)).slice(0, fill)} x${suffix}`;
  },
  heading: (prefix: string, suffix: string, size: number) => `${prefix}### x${" ".repeat(size - prefix.length - suffix.length - 6)}y${suffix}`,
} as const;

const units = (n: number) => (n === MB ? "1 MB" : `${n.toLocaleString("en")} characters`);

/** How long the measured text is: 1 MB, or the cap when the parser caps inside. */
export function measuredSize(cap: Cap): number {
  return cap.kind === "inside" && cap.units < MB ? cap.units : MB;
}

/** The cap, as the table shows it (`capNotes` says what each one is). */
export function capText(cap: Cap): string {
  if (cap.kind === "none") return "none";
  const n = cap.units.toLocaleString("en");
  return { parameter: `${n}, lifted`, caller: `${n} (by the caller), lifted`, inside: `${n}, inside: measured at it` }[cap.kind];
}

/**
 * The texts of one parser: each input at the measured size, at half that size (how the time grows
 * with the input: twice the input, twice the time when linear, four times when quadratic), and at
 * 1 MB (for Charter's own call).
 */
export function benchInputs(p: UserTextParser): { input: string; text: string; half: string; full: string }[] {
  const size = measuredSize(p.cap);
  const suffix = p.bench.suffix ?? "";
  return (["whitespace", "heading"] as const).map((kind) => ({
    input: `${units(size)} ${kind === "whitespace" ? "of whitespace" : "heading"}`,
    text: INPUTS[kind](p.bench.prefix, suffix, size),
    half: INPUTS[kind](p.bench.prefix, suffix, size / 2),
    full: INPUTS[kind](p.bench.prefix, suffix, MB),
  }));
}

/** Reading the bytes: split into lines and look at every character once. */
function read(text: string): number {
  let nonSpace = 0;
  for (const line of text.split("\n")) for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) > 32) nonSpace++;
  return nonSpace;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Time of one call of `fn`: `reps` calls, divided. */
function time(fn: () => unknown, reps: number): number {
  const t = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t) / reps;
}

export interface ParseRow {
  parser: string;
  input: string;
  /** How the parser's input is capped (see `capText`). */
  cap: string;
  /** Length of the measured text: 1 MB, or the cap when the parser caps inside. */
  units: number;
  /** Reading the measured text (the baseline). */
  readMs: number;
  /** The parser on it, cap lifted where it can be. */
  parseMs: number;
  ratio: number;
  /**
   * The parse time on the measured text over that on half of it (fastest runs of each: the least
   * disturbed by other load on the machine): about 2 when linear, 4 when quadratic.
   */
  growth: number;
  /** Charter's own call, with the cap, on the 1 MB text. */
  cappedMs: number;
  /** Reading the 1 MB text. */
  fullReadMs: number;
  cappedRatio: number;
}

export function parseBench(): ParseRow[] {
  const rows: ParseRow[] = [];
  for (const p of PARSERS) {
    for (const { input, text, half, full } of benchInputs(p)) {
      p.parse(text); // warm
      p.parse(half);
      p.charter(full);
      const reps = repetitionsFor(() => read(text), MIN_MS);
      const halfReps = 2 * reps;
      const fullReps = text === full ? reps : repetitionsFor(() => read(full), MIN_MS);
      const readTimes: number[] = [];
      const parseTimes: number[] = [];
      const halfTimes: number[] = [];
      const fullReadTimes: number[] = [];
      const cappedTimes: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        readTimes.push(time(() => read(text), reps));
        parseTimes.push(time(() => p.parse(text), reps));
        halfTimes.push(time(() => p.parse(half), halfReps));
        if (text !== full) fullReadTimes.push(time(() => read(full), fullReps));
        cappedTimes.push(time(() => p.charter(full), fullReps));
      }
      const readMs = median(readTimes);
      const parseMs = median(parseTimes);
      const fullReadMs = text === full ? readMs : median(fullReadTimes);
      const cappedMs = median(cappedTimes);
      rows.push({ parser: p.name, input, cap: capText(p.cap), units: text.length, readMs, parseMs, ratio: parseMs / readMs, growth: Math.min(...parseTimes) / Math.min(...halfTimes), cappedMs, fullReadMs, cappedRatio: cappedMs / fullReadMs });
    }
  }
  return rows;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

const ms = (x: number) => `${x < 0.01 ? x.toFixed(4) : x.toFixed(2)} ms`;
const times = (x: number) => `${x < 0.1 ? x.toFixed(2) : x.toFixed(1)}×`;

export function parseTable(rows: readonly ParseRow[]): string {
  return table(
    ["parser", "input", "cap", "reading the bytes (baseline)", "parse", "ratio", "parse, twice the input", "1 MB, as Charter runs it (with the cap)", "× reading 1 MB"],
    rows.map((r) => [r.parser, r.input, r.cap, ms(r.readMs), ms(r.parseMs), times(r.ratio), times(r.growth), ms(r.cappedMs), times(r.cappedRatio)]),
  );
}

/** The caps in words, one line per parser. */
export function capNotes(): string {
  return PARSERS.map((p) => `- ${p.name}: ${p.cap.kind === "none" ? p.cap.what : `${p.cap.what} (${p.cap.kind === "parameter" ? "a parameter of the parser" : p.cap.kind === "caller" ? "checked by its caller" : "inside the parser"})`}`).join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const started = performance.now();
  const load = loadavg();
  const rows = parseBench();
  const after = loadavg();
  console.log(`### Parsing user text: 1 MB of whitespace and a 1 MB heading (${PARSERS.length} parsers, median of ${RUNS} runs, Node ${process.version})\n`);
  console.log(parseTable(rows));
  console.log(`\nCaps:\n${capNotes()}`);
  const worst = [...rows].sort((a, b) => b.ratio - a.ratio).slice(0, 3);
  console.log(`\nWorst ratios: ${worst.map((r) => `${r.parser}, ${r.input}: ${times(r.ratio)}`).join("; ")}.`);
  console.log(`Took ${((performance.now() - started) / 1000).toFixed(1)} s on ${new Date().toISOString().slice(0, 10)}; load average (1 min) ${load[0]!.toFixed(1)} before, ${after[0]!.toFixed(1)} after.`);
}
