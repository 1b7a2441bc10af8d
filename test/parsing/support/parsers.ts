/**
 * Every parser of user-editable text, in ONE list read by both `test/parsing/linear.test.ts` (the
 * attack input against a benign input of the same length) and `scripts/bench/parse.ts` (1 MB of
 * whitespace and a 1 MB heading against reading the same bytes), so the two cannot cover different
 * parsers. A parser added here is tested and benchmarked; one that is not here is neither.
 *
 * User-editable text: pull request descriptions and review texts, the incident and deployment
 * forms, comments and the commands in them, Charter's own comments and pull requests (anyone with
 * write access can edit them), the governance files (OWNERS, durations, the log), file paths.
 *
 * Each entry says how its input is capped before it is parsed (see src/core/text/limits.ts):
 * - `parameter`: the parser takes its cap as a parameter; `parse` lifts it, `charter` keeps it;
 * - `caller`: the parser has no cap of its own, its caller caps the text first; `parse` is the
 *   parser alone, `charter` the caller's check and the parser;
 * - `inside`: the parser caps inside (it cannot be lifted from outside): it is measured at the cap;
 * - `none`: no cap (a file already merged, a local file the CLI prints).
 */
import { join } from "node:path";
import { parseCommand, restAfter } from "../../../src/core/commands/parse.js";
import { parseDeploymentForm } from "../../../src/core/deployment/form.js";
import { hasImpactMarker } from "../../../src/core/diff/comment.js";
import { parseDuration } from "../../../src/core/duration.js";
import { areaKey, parseIncidentForm, severityWord } from "../../../src/core/incidents/form.js";
import { decodeDone, decodeState } from "../../../src/core/incidents/marker.js";
import { alignedTable } from "../../../src/core/killswitch/log.js";
import { matchVerified, parseResumeArgs } from "../../../src/core/killswitch/resume.js";
import type { ResumeRule } from "../../../src/core/model/authority.js";
import type { DeploymentsFile } from "../../../src/core/model/deployments.js";
import type { Governance } from "../../../src/core/model/governance.js";
import { parseOverrideArgs, parseSwapArgs } from "../../../src/core/oncall/swap/args.js";
import { matchesPattern } from "../../../src/core/owners/match.js";
import { parseOwners } from "../../../src/core/owners/parse.js";
import { decodeRecord } from "../../../src/core/records/marker.js";
import { declarationCandidates, isTicked, missingFormFields, rollbackDeclarations, taskItems } from "../../../src/core/signoff/body.js";
import { confirmingTexts } from "../../../src/core/signoff/confirmations.js";
import type { PullRequestFacts } from "../../../src/core/signoff/facts.js";
import { decodeReminded } from "../../../src/core/signoff/reminders.js";
import { selectGates } from "../../../src/core/signoff/select.js";
import { GITHUB_BODY_CHARACTERS, MAX_BODY_UNITS, MAX_COMMAND_LINE, MAX_DURATION_CHARS, MAX_PATH_UNITS, overCap } from "../../../src/core/text/limits.js";
import { keysIn } from "../../../src/core/trust/idempotency.js";
import { decodeRequest } from "../../../src/core/trust/request.js";
import { loadGovernance } from "../../../src/load/load.js";
import { directorySource, memorySource } from "../../../src/load/source.js";
import { d9Files } from "../../support/governance-mock.js";
import { TEST_IDENTITY } from "../../support/identity.js";
import { pullRequestFacts } from "../../support/pull-request-facts.js";

/** How a parser's input is capped before it is parsed. `units`: UTF-16 code units (String#length). */
export type Cap =
  | { kind: "parameter" | "caller" | "inside"; units: number; what: string }
  | { kind: "none"; what: string };

export interface UserTextParser {
  /** What is parsed, and the function: "rollback sign-off form (`missingFormFields`)". */
  name: string;
  cap: Cap;
  /** The parser on `text`, its cap lifted (`parameter`) or its caller's cap not applied (`caller`). */
  parse: (text: string) => unknown;
  /** The same call as Charter makes it, with the cap. */
  charter: (text: string) => unknown;
  /** Bench: the text around the 1 MB (or the cap's length) of user text, where this parser reads it. */
  bench: { prefix: string; suffix?: string };
  /**
   * Linear test: the input that makes (or made) a backtracking regular expression super-linear,
   * and a benign input of the same length, both read by `parse`. The benign input is `x`s unless
   * given; a marker reader's is the same text with every marker broken (`charter;`), since a
   * string search skips through `x`s many characters at a time, faster than any parser reads.
   */
  linear: { what: string; attack: string; benign?: string };
}

/** The form fields of D9's rollback sign-off. */
export const FORM = ["Date", "Time", "Rolled back from", "Rolled back to", "Reason", "Authorized by", "Approved by", "Next steps"];
/** Markers are read with Charter's seal keys (the tests' app), for one issue of one repository. */
export const SEALING = { keys: TEST_IDENTITY.keys, repo: "acme/ingestion" };
export const NOW = new Date("2025-06-02T10:00:00Z");
/** A seal of the right length that does not verify: the decoders check it (an HMAC over the payload). */
const BAD_SEAL = ` seal=${"A".repeat(32)} -->`;
/** A pattern of many `*`: what a backtracking glob (or a regex built from one) is slowest on. */
const PATTERN = "/**/*x*x*x*x*x*x*x*x*y";
const NO_LIMITS = { body: Number.POSITIVE_INFINITY, line: Number.POSITIVE_INFINITY };
const INF = Number.POSITIVE_INFINITY;

/** Long enough that a quadratic parser takes seconds and a cubic one hours; within GitHub's body limit. */
export const N = 20_000;
const spaces = (n: number) => " ".repeat(n);
const xs = (n: number) => "x".repeat(n);
/** `unit` repeated to about `n` characters. */
const repeated = (unit: string, n: number) => unit.repeat(Math.floor(n / unit.length));

const fmt = (n: number) => n.toLocaleString("en");
const BODY = `${fmt(MAX_BODY_UNITS)} (a body: GitHub's ${fmt(GITHUB_BODY_CHARACTERS)} characters)`;
const FIRST_64K = (what: string) => `${fmt(GITHUB_BODY_CHARACTERS)} (the first ${fmt(GITHUB_BODY_CHARACTERS)} of ${what} are read)`;
const COMMAND_LINE = `${fmt(MAX_COMMAND_LINE)} (a command line)`;

/** A pull request moving governance/state/phase.yml from P3 back to P2: a rollback, whose description Charter reads. */
export function rollbackFacts(g: Governance, body: string): PullRequestFacts {
  return pullRequestFacts(g, {
    number: 7,
    author: { login: "rob-release", type: "User" },
    body,
    files: [{ filename: "governance/state/phase.yml", status: "modified" }],
    head: { phase: { kind: "valid", value: { ...g.state.phase!, phase: "P2" } } },
  });
}

let d9: Promise<Governance> | undefined;
/** D9's governance (test/support/governance-mock.ts), loaded once. */
export function d9Governance(): Promise<Governance> {
  d9 ??= loadGovernance(memorySource(d9Files())).then((r) => {
    if (!r.ok) throw new Error("D9 governance must load");
    return r.governance;
  });
  return d9;
}

async function deploymentsFile(): Promise<DeploymentsFile> {
  const dir = join(import.meta.dirname, "..", "..", "..", "examples", "deployment-day", "governance");
  const r = await loadGovernance(directorySource(dir, "governance"));
  if (!r.ok || !r.governance.deployments) throw new Error("the deployment-day example must load, with deployments.yml");
  return r.governance.deployments;
}

/** The list. Async only to load the governance files some parsers need (D9, the deployment-day example). */
export async function userTextParsers(): Promise<UserTextParser[]> {
  const D9 = await d9Governance();
  const deployments = await deploymentsFile();
  const resumeRule: ResumeRule = D9.authority?.kill_switch?.resume[0] ?? { title: "t", when: {}, who: ["on-call"], verify: ["Investigation complete"] };
  const step = resumeRule.verify[0]!;
  const swap = (t: string, limits?: typeof NO_LIMITS) => {
    const c = parseCommand(t, limits);
    return c && parseSwapArgs(c.args);
  };
  const override = (t: string, limits?: typeof NO_LIMITS) => {
    const c = parseCommand(t, limits);
    return c && parseOverrideArgs(c.args, (n) => restAfter(c, n));
  };
  const reminderScope = "reminded:acme/ingestion#7";
  const requestScope = "request:acme/ingestion:charter/resume-global";

  return [
    {
      name: "comment command (`parseCommand`)",
      cap: { kind: "parameter", units: MAX_COMMAND_LINE, what: `${BODY}; ${COMMAND_LINE}` },
      parse: (t) => parseCommand(t, NO_LIMITS),
      charter: (t) => parseCommand(t),
      bench: { prefix: "/update investigating " },
      linear: { what: "blank lines of spaces before the command", attack: `${`${spaces(100)}\n`.repeat(N / 100)}/ack`, benign: `${`${xs(100)}\n`.repeat(N / 100)}/ack` },
    },
    {
      name: "rollback sign-off form (`missingFormFields`)",
      cap: { kind: "parameter", units: MAX_BODY_UNITS, what: BODY },
      parse: (t) => missingFormFields(t, FORM, INF),
      charter: (t) => missingFormFields(t, FORM),
      bench: { prefix: "Rollback type: planned\nReason:\n" },
      linear: { what: "a description line of spaces", attack: `Rollback type: planned\n${spaces(N)}\nDate: 2025-06-02`, benign: `Rollback type: planned\n${xs(N)}\nDate: 2025-06-02` },
    },
    {
      name: "rollback type (`rollbackDeclarations`)",
      cap: { kind: "parameter", units: MAX_BODY_UNITS, what: BODY },
      parse: (t) => rollbackDeclarations(t, INF),
      charter: (t) => rollbackDeclarations(t),
      bench: { prefix: "Rollback type: planned\n" },
      linear: { what: "a description line of spaces", attack: `Rollback type: planned\n${spaces(N)}`, benign: `Rollback type: planned\n${xs(N)}` },
    },
    {
      name: "rollback type value (`declarationCandidates`)",
      cap: { kind: "caller", units: GITHUB_BODY_CHARACTERS, what: FIRST_64K("the description") },
      parse: (t) => declarationCandidates(t),
      charter: (t) => declarationCandidates(t.slice(0, GITHUB_BODY_CHARACTERS)),
      bench: { prefix: "Planned (bug found) " },
      linear: { what: "a value with a long run of tabs", attack: `a${"\t".repeat(N)}b`, benign: `a${xs(N)}b` },
    },
    {
      name: "rollback gate (`selectGates`)",
      cap: { kind: "inside", units: GITHUB_BODY_CHARACTERS, what: `${FIRST_64K("the description")}; over ${fmt(MAX_BODY_UNITS)} the gate is refused` },
      parse: (t) => selectGates(D9, rollbackFacts(D9, t), NOW),
      charter: (t) => selectGates(D9, rollbackFacts(D9, t), NOW),
      bench: { prefix: "Rollback type: " },
      linear: { what: "an unknown type made of spaces between two letters", attack: `Rollback type: x${spaces(N)}y`, benign: `Rollback type: x${xs(N)}y` },
    },
    {
      name: "task items (`taskItems`)",
      cap: { kind: "parameter", units: MAX_BODY_UNITS, what: BODY },
      parse: (t) => taskItems(t, INF),
      charter: (t) => taskItems(t),
      bench: { prefix: "- [x] " },
      linear: { what: "a ticked item of spaces ending in a line separator", attack: `- [x] ${spaces(N)}a\u2028b`, benign: `- [x] ${xs(N)}a\u2028b` },
    },
    {
      name: "ticked in the description (`isTicked`)",
      cap: { kind: "parameter", units: MAX_BODY_UNITS, what: BODY },
      parse: (t) => isTicked(t, "Infra stable", undefined, INF),
      charter: (t) => isTicked(t, "Infra stable"),
      bench: { prefix: "- [x] " },
      linear: { what: "many list markers and spaces", attack: `${"- ".repeat(N / 2)}[x] ${spaces(10)}`, benign: `${"xx".repeat(N / 2)}[x] ${spaces(10)}` },
    },
    {
      name: "confirmations in a review (`confirmingTexts`)",
      cap: { kind: "inside", units: GITHUB_BODY_CHARACTERS, what: FIRST_64K("a review") },
      parse: (t) => confirmingTexts(t),
      charter: (t) => confirmingTexts(t),
      bench: { prefix: "- [x] " },
      linear: { what: "a ticked item of spaces and dots", attack: `- [x] a${" .".repeat(N / 2)}`, benign: `- [x] a${"xy".repeat(N / 2)}` },
    },
    {
      name: "incident form (`parseIncidentForm`)",
      cap: { kind: "parameter", units: MAX_BODY_UNITS, what: BODY },
      parse: (t) => parseIncidentForm(t, INF),
      charter: (t) => parseIncidentForm(t),
      bench: { prefix: "### Severity\n\nP1\n\n" },
      linear: { what: "a heading of 60,000 characters, mostly spaces", attack: `### Severity\n\nP1\n\n### x${spaces(60_000)}y\n\ntext`, benign: `### Severity\n\nP1\n\n### x${xs(60_000)}y\n\ntext` },
    },
    {
      name: "severity answer (`severityWord`)",
      cap: { kind: "caller", units: MAX_BODY_UNITS, what: `${BODY}: the incident form` },
      parse: (t) => severityWord(t),
      charter: (t) => (overCap(t, MAX_BODY_UNITS) ? undefined : severityWord(t)),
      bench: { prefix: "P1" },
      linear: { what: "a word ending in a long run of `(`", attack: `P1${"(".repeat(N)}x`, benign: `P1${xs(N)}x` },
    },
    {
      name: "service area (`areaKey`)",
      cap: { kind: "caller", units: MAX_BODY_UNITS, what: `${BODY}: the incident form` },
      parse: (t) => areaKey(t),
      charter: (t) => (overCap(t, MAX_BODY_UNITS) ? undefined : areaKey(t)),
      bench: { prefix: "Billing " },
      linear: { what: "dashes and punctuation", attack: `a${"-!".repeat(N / 2)}b`, benign: `a${"xy".repeat(N / 2)}b` },
    },
    {
      name: "deployment form (`parseDeploymentForm`)",
      cap: { kind: "inside", units: MAX_BODY_UNITS, what: `${BODY}; a longer body is not read` },
      parse: (t) => parseDeploymentForm(t, deployments),
      charter: (t) => parseDeploymentForm(t, deployments),
      bench: { prefix: "### Deployment\n\nproduction\n\n### Planned start (UTC)\n\n" },
      linear: { what: "a heading of 60,000 characters, mostly spaces", attack: `### Deployment\n\nproduction\n\n### x${spaces(60_000)}y\n\ntext`, benign: `### Deployment\n\nproduction\n\n### x${xs(60_000)}y\n\ntext` },
    },
    {
      name: "incident state marker (`decodeState`)",
      cap: { kind: "inside", units: GITHUB_BODY_CHARACTERS, what: FIRST_64K("a comment") },
      parse: (t) => decodeState(t, SEALING, 1),
      charter: (t) => decodeState(t, SEALING, 1),
      bench: { prefix: "<!-- charter:incident {", suffix: BAD_SEAL },
      linear: { what: "unclosed markers, as a writer may edit Charter's comment", attack: `${repeated(" --><!-- charter:incident {", N)} -->` },
    },
    {
      name: "done marker (`decodeDone`)",
      cap: { kind: "inside", units: GITHUB_BODY_CHARACTERS, what: FIRST_64K("a comment") },
      parse: (t) => decodeDone(t, SEALING, 1),
      charter: (t) => decodeDone(t, SEALING, 1),
      bench: { prefix: "<!-- charter:done {", suffix: BAD_SEAL },
      linear: { what: "unclosed markers", attack: `${repeated("-><!-- charter:done {", N)}->` },
    },
    {
      name: "record marker (`decodeRecord`)",
      cap: { kind: "inside", units: GITHUB_BODY_CHARACTERS, what: FIRST_64K("a comment") },
      parse: (t) => decodeRecord(t, SEALING.keys, SEALING.repo, 1),
      charter: (t) => decodeRecord(t, SEALING.keys, SEALING.repo, 1),
      bench: { prefix: "<!-- charter:record {", suffix: BAD_SEAL },
      linear: { what: "unclosed markers", attack: `${repeated(" --><!-- charter:record {", N)} -->` },
    },
    {
      name: "request marker of a Charter pull request (`decodeRequest`)",
      cap: { kind: "inside", units: GITHUB_BODY_CHARACTERS, what: FIRST_64K("the description") },
      parse: (t) => decodeRequest(t, SEALING.keys, requestScope),
      charter: (t) => decodeRequest(t, SEALING.keys, requestScope),
      bench: { prefix: "<!-- charter:request {", suffix: BAD_SEAL },
      linear: { what: "markers that are never closed", attack: repeated("<!-- charter:request {} seal=", N), benign: repeated("<!-- charter;request {} seal=", N) },
    },
    {
      name: "reminder marker (`decodeReminded`)",
      cap: { kind: "inside", units: MAX_BODY_UNITS, what: `${fmt(MAX_BODY_UNITS)} (the first ${fmt(MAX_BODY_UNITS)} units of a comment are read)` },
      parse: (t) => decodeReminded(t, SEALING.keys, reminderScope),
      charter: (t) => decodeReminded(t, SEALING.keys, reminderScope),
      bench: { prefix: "<!-- charter:reminded {", suffix: BAD_SEAL },
      linear: { what: "markers that are never closed", attack: repeated("<!-- charter:reminded ", N), benign: repeated("<!-- charter;reminded ", N) },
    },
    {
      name: "idempotency keys (`keysIn`)",
      cap: { kind: "inside", units: MAX_BODY_UNITS, what: `${BODY}; a longer body is not read` },
      parse: (t) => keysIn(t, SEALING.keys, "key:acme/ingestion#1"),
      charter: (t) => keysIn(t, SEALING.keys, "key:acme/ingestion#1"),
      bench: { prefix: "<!-- charter:key ", suffix: BAD_SEAL },
      linear: { what: "markers that are never closed", attack: repeated("<!-- charter:key ", N), benign: repeated("<!-- charter;key ", N) },
    },
    {
      name: "impact comment marker (`hasImpactMarker`)",
      cap: { kind: "inside", units: MAX_BODY_UNITS, what: `${fmt(MAX_BODY_UNITS)} (the first ${fmt(MAX_BODY_UNITS)} units of a comment are read)` },
      parse: (t) => hasImpactMarker(t, SEALING.keys, "impact:acme/ingestion#7"),
      charter: (t) => hasImpactMarker(t, SEALING.keys, "impact:acme/ingestion#7"),
      bench: { prefix: "<!-- charter:impact ", suffix: BAD_SEAL },
      linear: { what: "markers that are never closed", attack: repeated("<!-- charter:impact ", N), benign: repeated("<!-- charter;impact ", N) },
    },
    {
      name: "kill-switch arguments (`parseResumeArgs`)",
      cap: { kind: "caller", units: MAX_COMMAND_LINE, what: COMMAND_LINE },
      parse: (t) => parseResumeArgs(t),
      charter: (t) => (overCap(t, MAX_COMMAND_LINE) ? undefined : parseResumeArgs(t)),
      bench: { prefix: 'global --verified "' },
      linear: { what: "quotes and spaces", attack: `global --verified "${spaces(N)}`, benign: `global --verified "${xs(N)}` },
    },
    {
      name: "kill-switch verification steps (`matchVerified`)",
      cap: { kind: "caller", units: MAX_COMMAND_LINE, what: COMMAND_LINE },
      parse: (t) => matchVerified(resumeRule, [t]),
      charter: (t) => (overCap(t, MAX_COMMAND_LINE) ? undefined : matchVerified(resumeRule, [t])),
      bench: { prefix: step },
      linear: { what: "a step ending in a long run of `!`", attack: `x${"!".repeat(N)}y`, benign: `x${xs(N)}y` },
    },
    {
      name: "on-call swap (`parseCommand` → `parseSwapArgs`)",
      cap: { kind: "parameter", units: MAX_COMMAND_LINE, what: `${COMMAND_LINE}, by \`parseCommand\`` },
      parse: (t) => swap(t, NO_LIMITS),
      charter: (t) => swap(t),
      bench: { prefix: "/swap @ana-owner @pat-pm 2025-06-02T10:00 " },
      linear: {
        what: "a run of spaces between the instants",
        attack: `/swap @ana-owner @pat-pm 2025-06-02T10:00${spaces(N)}2025-06-02T11:00`,
        benign: `/swap @ana-owner @pat-pm 2025-06-02T10:00${xs(N)}2025-06-02T11:00`,
      },
    },
    {
      name: "on-call override (`parseCommand` → `parseOverrideArgs`)",
      cap: { kind: "parameter", units: MAX_COMMAND_LINE, what: `${COMMAND_LINE}, by \`parseCommand\`` },
      parse: (t) => override(t, NO_LIMITS),
      charter: (t) => override(t),
      bench: { prefix: "/override 2025-06-02T10:00 2025-06-02T11:00 urgent " },
      linear: {
        what: "an urgent reason after a run of spaces",
        attack: `/override 2025-06-02T10:00 2025-06-02T11:00 urgent${spaces(N)}x`,
        benign: `/override 2025-06-02T10:00 2025-06-02T11:00 urgent ${xs(N)}`,
      },
    },
    {
      name: "log table (`alignedTable`)",
      cap: { kind: "none", what: "none: `charter log` prints the local governance/state/log.yml" },
      parse: (t) => alignedTable(["when", "what"], [["now", t]]),
      charter: (t) => alignedTable(["when", "what"], [["now", t]]),
      bench: { prefix: "activate global: " },
      linear: { what: "a cell with a long run of spaces", attack: `a${spaces(N)}b`, benign: `a${xs(N)}b` },
    },
    {
      name: `OWNERS path match (\`matchesPattern\`, \`${PATTERN}\`)`,
      cap: { kind: "caller", units: MAX_PATH_UNITS, what: `${fmt(MAX_PATH_UNITS)} (a path; a longer one refuses the gate)` },
      parse: (t) => matchesPattern(PATTERN, t),
      charter: (t) => !overCap(t, MAX_PATH_UNITS) && matchesPattern(PATTERN, t),
      bench: { prefix: "src/" },
      linear: { what: "a long file name against a pattern of many `*`", attack: `src/${"x".repeat(4_000)}`, benign: `src/${"c".repeat(4_000)}` },
    },
    {
      name: "OWNERS file (`parseOwners`)",
      cap: { kind: "none", what: "none: the default branch's OWNERS, merged after review" },
      parse: (t) => parseOwners(t),
      charter: (t) => parseOwners(t),
      bench: { prefix: "/docs/ " },
      linear: { what: "a line of spaces", attack: `${spaces(N)}x sre-lead`, benign: `${xs(N)}x sre-lead` },
    },
    {
      name: "duration (`parseDuration`)",
      cap: { kind: "inside", units: MAX_DURATION_CHARS, what: `${MAX_DURATION_CHARS} (a longer text is not a duration)` },
      parse: (t) => parseDuration(t),
      charter: (t) => parseDuration(t),
      bench: { prefix: "1h" },
      linear: { what: "units that fail at the last character (at the cap)", attack: `${"1m".repeat(MAX_DURATION_CHARS / 2 - 1)}1!`, benign: "1m".repeat(MAX_DURATION_CHARS / 2) },
    },
  ];
}
