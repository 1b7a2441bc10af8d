/**
 * Parsing user text in linear time (hardening issue #10, item 15). Every parser that reads text a
 * user wrote (pull request descriptions, the incident form, comments, commands, Charter's own
 * comments as a writer may edit them, OWNERS paths) is given the input that made a backtracking
 * regular expression super-linear, and a benign input of the same length: the attack must cost
 * about the same (a generous bound, measured in the same run; no absolute time).
 *
 * Before the rewrite, the rollback-form line parser was cubic (1,000 spaces: 3.2 s) and the
 * incident-form heading quadratic (60,000 characters: 3.5 s); at the lengths below each of these
 * tests ran for minutes to hours.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/core/commands/parse.js";
import { parseDuration } from "../../src/core/duration.js";
import { areaKey, parseIncidentForm, severityWord } from "../../src/core/incidents/form.js";
import { decodeDone, decodeState } from "../../src/core/incidents/marker.js";
import { alignedTable } from "../../src/core/killswitch/log.js";
import { matchVerified, parseResumeArgs } from "../../src/core/killswitch/resume.js";
import type { Governance } from "../../src/core/model/governance.js";
import { matchesPattern } from "../../src/core/owners/match.js";
import { parseOwners } from "../../src/core/owners/parse.js";
import { declarationCandidates, isTicked, missingFormFields, rollbackDeclarations, taskItems } from "../../src/core/signoff/body.js";
import type { PullRequestFacts } from "../../src/core/signoff/facts.js";
import { selectGates } from "../../src/core/signoff/select.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";
import { pullRequestFacts } from "../support/pull-request-facts.js";
import { LINEAR_BOUND, relativeCost } from "./support/cost.js";
import { TEST_IDENTITY } from "../support/identity.js";

const SEALING = { keys: TEST_IDENTITY.keys, repo: "acme/ingestion" };

/** Long enough that a quadratic parser takes seconds and a cubic one hours; within GitHub's body limit. */
const N = 20_000;
const spaces = (n: number) => " ".repeat(n);
const xs = (n: number) => "x".repeat(n);
const FORM = ["Date", "Time", "Rolled back from", "Rolled back to", "Reason", "Authorized by", "Approved by", "Next steps"];
const NOW = new Date("2025-06-02T10:00:00Z");

let D9: Governance;
beforeAll(async () => {
  const r = await loadGovernance(memorySource(d9Files()));
  if (!r.ok) throw new Error("D9 governance must load");
  D9 = r.governance;
});

/** A pull request moving governance/state/phase.yml from P3 back to P2: a rollback, whose description Charter reads. */
function rollbackFacts(g: Governance, body: string): PullRequestFacts {
  return pullRequestFacts(g, {
    number: 7,
    author: { login: "rob-release", type: "User" },
    body,
    files: [{ filename: "governance/state/phase.yml", status: "modified" }],
    head: { phase: { kind: "valid", value: { ...g.state.phase!, phase: "P2" } } },
  });
}

interface Case {
  parser: string;
  attack: () => unknown;
  baseline: () => unknown;
}

const cases = (): Case[] => [
  {
    parser: "rollback sign-off form (missingFormFields): a description line of spaces",
    attack: () => missingFormFields(`Rollback type: planned\n${spaces(N)}\nDate: 2025-06-02`, FORM),
    baseline: () => missingFormFields(`Rollback type: planned\n${xs(N)}\nDate: 2025-06-02`, FORM),
  },
  {
    parser: "rollback type (rollbackDeclarations): a description line of spaces",
    attack: () => rollbackDeclarations(`Rollback type: planned\n${spaces(N)}`),
    baseline: () => rollbackDeclarations(`Rollback type: planned\n${xs(N)}`),
  },
  {
    parser: "rollback type (declarationCandidates): a value with a long run of tabs",
    attack: () => declarationCandidates(`a${"\t".repeat(N)}b`),
    baseline: () => declarationCandidates(`a${xs(N)}b`),
  },
  {
    parser: "rollback gate (selectGates): an unknown type made of spaces between two letters",
    attack: () => selectGates(D9, rollbackFacts(D9, `Rollback type: x${spaces(N)}y`), NOW),
    baseline: () => selectGates(D9, rollbackFacts(D9, `Rollback type: x${xs(N)}y`), NOW),
  },
  {
    parser: "task items (taskItems): a ticked item of spaces ending in a line separator",
    attack: () => taskItems(`- [x] ${spaces(N)}a\u2028b`),
    baseline: () => taskItems(`- [x] ${xs(N)}a\u2028b`),
  },
  {
    parser: "confirmations (isTicked): many list markers and spaces",
    attack: () => isTicked(`${"- ".repeat(N / 2)}[x] ${spaces(10)}`, "Infra stable"),
    baseline: () => isTicked(`${"xx".repeat(N / 2)}[x] ${spaces(10)}`, "Infra stable"),
  },
  {
    parser: "incident form heading (parseIncidentForm): 60,000 characters, mostly spaces",
    attack: () => parseIncidentForm(`### Severity\n\nP1\n\n### x${spaces(60_000)}y\n\ntext`),
    baseline: () => parseIncidentForm(`### Severity\n\nP1\n\n### x${xs(60_000)}y\n\ntext`),
  },
  {
    parser: "severity answer (severityWord): a word ending in a long run of `(`",
    attack: () => severityWord(`P1${"(".repeat(N)}x`),
    baseline: () => severityWord(`P1${xs(N)}x`),
  },
  {
    parser: "service area (areaKey): dashes and punctuation",
    attack: () => areaKey(`a${"-!".repeat(N / 2)}b`),
    baseline: () => areaKey(`a${"xy".repeat(N / 2)}b`),
  },
  {
    parser: "comment command (parseCommand): blank lines of spaces before the command",
    attack: () => parseCommand(`${`${spaces(100)}\n`.repeat(N / 100)}/ack`),
    baseline: () => parseCommand(`${`${xs(100)}\n`.repeat(N / 100)}/ack`),
  },
  {
    parser: "incident state marker (decodeState): unclosed markers, as a writer may edit Charter's comment",
    attack: () => decodeState(" --><!-- charter:incident {".repeat(N / 27) + " -->", SEALING, 1),
    baseline: () => decodeState(xs(Math.floor(N / 27) * 27 + 4), SEALING, 1),
  },
  {
    parser: "done marker (decodeDone): unclosed markers",
    attack: () => decodeDone("-><!-- charter:done {".repeat(N / 21) + "->", SEALING, 1),
    baseline: () => decodeDone(xs(Math.floor(N / 21) * 21 + 2), SEALING, 1),
  },
  {
    parser: "kill-switch verification steps (matchVerified): a step ending in a long run of `!`",
    attack: () => matchVerified({ title: "t", who: [], verify: ["Investigation complete"] } as never, [`x${"!".repeat(N)}y`]),
    baseline: () => matchVerified({ title: "t", who: [], verify: ["Investigation complete"] } as never, [`x${xs(N)}y`]),
  },
  {
    parser: "kill-switch arguments (parseResumeArgs): quotes and spaces",
    attack: () => parseResumeArgs(`global --verified "${spaces(N)}`),
    baseline: () => parseResumeArgs(`global --verified "${xs(N)}`),
  },
  {
    parser: "log table (alignedTable): a cell with a long run of spaces",
    attack: () => alignedTable(["when", "what"], [["now", `a${spaces(N)}b`]]),
    baseline: () => alignedTable(["when", "what"], [["now", `a${xs(N)}b`]]),
  },
  {
    parser: "OWNERS path match (matchesPattern): a long file name against a pattern of many `*`",
    attack: () => matchesPattern("/**/*a*a*a*a*a*a*a*a*b", `src/${"a".repeat(4_000)}`),
    baseline: () => matchesPattern("/**/*a*a*a*a*a*a*a*a*b", `src/${"c".repeat(4_000)}`),
  },
  {
    parser: "OWNERS file (parseOwners): a line of spaces",
    attack: () => parseOwners(`${spaces(N)}x sre-lead`),
    baseline: () => parseOwners(`${xs(N)}x sre-lead`),
  },
];

describe("every user-text parser runs in linear time (#10 item 15)", () => {
  it.each(cases().map((c) => [c.parser, c] as const))("%s", (_name, c) => {
    const ratio = relativeCost(c.attack, c.baseline);
    expect(ratio, `${c.parser}: the attack input cost ${ratio.toFixed(1)}× the benign input of the same length`).toBeLessThan(LINEAR_BOUND);
  });
});

describe("every user-supplied text is capped before it is parsed, and refused in words (#10 item 15)", () => {
  const OVER = "x".repeat(140_000); // more than GitHub keeps in a body (65,536 characters)

  it("a description longer than GitHub allows is not read: nothing ticked, no form field filled, no rollback type, and the gate says why", () => {
    const body = `- [x] Infra stable\nRollback type: planned\nDate: 2025-06-02\n${OVER}`;
    expect(taskItems(body)).toEqual([]);
    expect(isTicked(body, "Infra stable")).toBe(false);
    expect(missingFormFields(body, FORM)).toEqual(FORM);
    expect(rollbackDeclarations(body)).toEqual([]);
    const gates = selectGates(D9, rollbackFacts(D9, body), NOW);
    expect(gates.map((g) => g.refusal)).toContain("the description is longer than GitHub allows (65,536 characters), so Charter does not read it: shorten it to sign this pull request");
  });

  it("an incident form longer than GitHub allows is not read: no severity taken from it, and the impact says why", () => {
    expect(parseIncidentForm(`### Severity\n\nP0\n\n### Impact\n\n${OVER}`)).toEqual({
      impact: "(not read: the issue body is longer than GitHub allows (65,536 characters), so Charter does not read it)",
    });
  });

  it("a comment longer than GitHub allows, or a command line over 2,000 characters, is a refused command, not a silent one", () => {
    expect(parseCommand(`/ack\n${OVER}`)).toEqual({ name: "ack", args: [], text: "", details: "", refused: "the comment is longer than GitHub allows (65,536 characters), so Charter does not read it" });
    expect(parseCommand(`/update investigating ${"x".repeat(2_100)}`)).toEqual({ name: "update", args: [], text: "", details: "", refused: "the command line is longer than 2,000 characters, so Charter does not read it" });
    expect(parseCommand(OVER)).toBeUndefined();
  });

  it("a marker in a comment longer than GitHub allows is not read", () => {
    const body = `<!-- charter:incident {"v":1} -->${OVER}`;
    expect(decodeState(body, SEALING, 1)).toMatchObject({ ok: false });
    expect(decodeDone(`<!-- charter:done {"keys":[]} -->${OVER}`, SEALING, 1)).toBeUndefined();
  });

  it("a changed path longer than 4,096 characters is not matched against OWNERS: the gate is refused, saying why", () => {
    const long = `src/${"a".repeat(5_000)}.ts`;
    const facts = { ...rollbackFacts(D9, ""), files: [{ filename: long, status: "added" as const }], state: { base: { phase: D9.state.phase, killswitch: D9.state.killswitch, log: D9.state.log }, head: {} } };
    const refusals = selectGates(D9, facts, NOW).map((g) => g.refusal);
    expect(refusals).toEqual([expect.stringMatching(/^the pull request changes a path longer than 4,096 characters, so Charter does not read it and cannot tell who owns it: shorten the path \(src\/a{70,}…\)$/)]);
  });

  it("a duration longer than 64 characters is not a duration", () => {
    expect(parseDuration(`${"1".repeat(70)}m`)).toBeUndefined();
    expect(parseDuration("1h30m")).toBe(5_400_000);
  });
});
