/**
 * Parsing user text in linear time (hardening issue #10, item 15). Every parser that reads text a
 * user wrote (pull request descriptions, the incident form, comments, commands, Charter's own
 * comments as a writer may edit them, OWNERS paths) is given the input that made a backtracking
 * regular expression super-linear, and a benign input of the same length: the attack must cost
 * about the same (a generous bound, measured in the same run; no absolute time). The parsers and
 * their inputs are listed once, in ./support/parsers.ts, which `npm run bench:parse` reads too.
 *
 * Before the rewrite, the rollback-form line parser was cubic (1,000 spaces: 3.2 s) and the
 * incident-form heading quadratic (60,000 characters: 3.5 s); at the lengths below each of these
 * tests ran for minutes to hours.
 */
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/core/commands/parse.js";
import { parseDuration } from "../../src/core/duration.js";
import { parseIncidentForm } from "../../src/core/incidents/form.js";
import { decodeDone, decodeState } from "../../src/core/incidents/marker.js";
import { isTicked, missingFormFields, rollbackDeclarations, taskItems } from "../../src/core/signoff/body.js";
import { selectGates } from "../../src/core/signoff/select.js";
import { LINEAR_BOUND, relativeCost } from "./support/cost.js";
import { d9Governance, FORM, NOW, rollbackFacts, SEALING, userTextParsers } from "./support/parsers.js";

/** The same list the bench reads (scripts/bench/parse.ts): a parser is in both or in neither. */
const PARSERS = await userTextParsers();
const D9 = await d9Governance();

describe("every user-text parser runs in linear time (#10 item 15)", () => {
  it.each(PARSERS.map((p) => [`${p.name}: ${p.linear.what}`, p] as const))("%s", (name, p) => {
    const attack = p.linear.attack;
    const benign = p.linear.benign ?? "x".repeat(attack.length);
    expect(benign.length, `${name}: the benign input has the attack's length`).toBe(attack.length);
    const ratio = relativeCost(() => p.parse(attack), () => p.parse(benign));
    expect(ratio, `${name}: the attack input cost ${ratio.toFixed(1)}× the benign input of the same length`).toBeLessThan(LINEAR_BOUND);
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
