/**
 * The pure pieces behind sign-off's hardening (#10), without GitHub: Charter's record of what the
 * description declares, confirmations read from review text, log entries matched to transitions,
 * the hidden-marker scan, and a property: nothing in a description written by someone other than
 * Charter changes a decision that no description line may select (a phase gate), and no hidden
 * marker changes a rollback's type.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Governance } from "../../src/core/model/governance.js";
import type { LogEntry } from "../../src/core/model/state.js";
import { confirmingTexts, reviewConfirms } from "../../src/core/signoff/confirmations.js";
import { hasHiddenRollbackMarker, rollbackDeclaration } from "../../src/core/signoff/declaration.js";
import { evaluateSignoff } from "../../src/core/signoff/evaluate.js";
import type { PullRequestFacts, ReviewFact } from "../../src/core/signoff/facts.js";
import { logEntryProblems } from "../../src/core/signoff/log-entries.js";
import { requestFact } from "../../src/core/signoff/request.js";
import { selectGates } from "../../src/core/signoff/select.js";
import { parseRecord, recordExternalId, selectionState, type Declaration } from "../../src/core/signoff/selection.js";
import { decodeRequest, requestScope } from "../../src/core/trust/request.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";
import { sealedRequest, TEST_IDENTITY } from "../support/identity.js";
import { GA_CONFIRMATION } from "./world.js";

const HEAD = "h".repeat(40);
const NOW = new Date("2025-06-02T10:00:00Z");
let D9: Governance;
beforeAll(async () => {
  const r = await loadGovernance(memorySource(d9Files()));
  if (!r.ok) throw new Error("D9 does not load");
  D9 = r.governance;
});

describe("Charter's record of what the description declares", () => {
  const planned: Declaration[] = [{ key: "rollback-type:P3->P2", value: "planned", what: "the rollback type", shown: "`planned`" }];
  const emergency: Declaration[] = [{ ...planned[0]!, value: "emergency" }];

  it("is new at the first evaluation, carries over while unchanged, and restarts when it changes", () => {
    const first = selectionState(planned, {}, NOW);
    expect(first).toMatchObject({ since: "2025-06-02T10:00:00.000Z", how: "first-seen" });
    const later = new Date("2025-06-02T11:00:00Z");
    expect(selectionState(planned, { head: first.record }, later)).toMatchObject({ since: "2025-06-02T10:00:00.000Z", how: "unchanged" });
    expect(selectionState(emergency, { head: first.record }, later)).toMatchObject({ since: "2025-06-02T11:00:00.000Z", how: "changed" });
    // a push: the previous head's record carries over when the declaration is the same
    expect(selectionState(planned, { before: first.record }, later)).toMatchObject({ since: "2025-06-02T10:00:00.000Z", how: "unchanged" });
    expect(selectionState(emergency, { before: first.record }, later)).toMatchObject({ since: "2025-06-02T11:00:00.000Z", how: "changed" });
    // nothing declared, nothing recorded: no record, no restriction
    expect(selectionState([], {}, later)).toEqual({ declarations: [] });
    // the spelling of a value does not matter, what it selects does
    expect(selectionState([{ ...planned[0]!, value: "PLANNED" }], { head: first.record }, later).how).toBe("unchanged");
  });

  it("round-trips through the check run's external_id; anything else is no record", () => {
    const r = { fingerprint: "abcdefghijklmnopqrstuv", since: "2025-06-02T10:00:00.000Z" };
    expect(parseRecord(recordExternalId(r))).toEqual(r);
    for (const bad of [undefined, null, "", "ci-run-7", "charter-selection:v1:abc", "charter-selection:v1:abc:not-a-date", `charter-selection:v1:${"a".repeat(300)}:2025-06-02T10:00:00Z`, "charter-selection:v1:a b:2025-06-02T10:00:00Z"]) {
      expect(parseRecord(bad)).toBeUndefined();
    }
  });
});

describe("a confirmation in the text of a review", () => {
  const text = "Client feedback acceptable, no blockers";
  it.each([
    ["- [x] Client feedback acceptable, no blockers", true],
    ["* [X]  client feedback ACCEPTABLE,  no blockers.", true],
    ["Client feedback acceptable, no blockers", true],
    ["- Client feedback acceptable, no blockers", true],
    ["Product Manager: Client feedback acceptable, no blockers", true],
    ["- [x] Product Manager: **Client feedback acceptable**, no blockers", true],
    ["- [ ] Client feedback acceptable, no blockers", false],
    ["> - [x] Client feedback acceptable, no blockers", false],
    ["<!-- - [x] Client feedback acceptable, no blockers -->", false],
    ["```\n- [x] Client feedback acceptable, no blockers\n```", false],
    ["Client feedback acceptable, no blockers? Not yet.", false],
    ["SRE Lead: Client feedback acceptable, no blockers", false],
    ["Client feedback acceptable", false],
  ])("%j → %s", (body, confirms) => {
    expect(reviewConfirms(body, text, "Product Manager")).toBe(confirms);
  });

  it("reads everything a review confirms in one pass: its ticked items and its own lines, not quotes, unticked items or links", () => {
    const said = confirmingTexts("- [x] Infra stable.\n- [ ] Rollback plan tested\n> Client feedback acceptable\nPM: **Docs** ready\n[Runbook](https://example.com)\n");
    expect(said).toContain("infra stable");
    expect(said).toContain("pm: docs ready");
    for (const not of ["rollback plan tested", "client feedback acceptable", "> client feedback acceptable", "[runbook](https://example.com)"]) expect(said).not.toContain(not);
  });

  it("reads a capped review text in linear time (1 MB of spaces and of one long line)", () => {
    const t0 = performance.now();
    expect(reviewConfirms(" ".repeat(1_000_000), text)).toBe(false);
    expect(reviewConfirms(`- [x] ${"a".repeat(1_000_000)}`, text)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});

describe("log entries a pull request appends", () => {
  const e = (fields: Partial<LogEntry>): LogEntry => ({ id: "x", timestamp: "2025-06-02T10:00:00Z", action: "rollback", actor: "oscar-oncall", ...fields });
  const rollback = { kind: "rollback" as const, from: "P3", to: "P2", type: "emergency" };
  const author = { login: "oscar-oncall", how: "the author of this pull request" };

  it("must record exactly the transitions, one each, by the expected actor", () => {
    expect(logEntryProblems([e({ from_phase: "P3", to_phase: "P2", rollback_type: "emergency" })], [rollback], author)).toEqual([]);
    expect(logEntryProblems([e({ action: "rollback-requested", from_phase: "P3", to_phase: "P2" })], [rollback], author)).toEqual([]);
    expect(logEntryProblems([e({ from_phase: "P3", to_phase: "P1" })], [rollback], author)[0]).toContain("it records `P3` → `P1`, and this pull request rolls back P3 → P2");
    expect(logEntryProblems([e({ from_phase: "P3", to_phase: "P2", rollback_type: "planned" })], [rollback], author)[0]).toContain("it names the rollback type `planned`, and the rollback is `emergency`");
    expect(logEntryProblems([e({ from_phase: "P3", to_phase: "P2", scope: "global" })], [rollback], author)[0]).toContain("a phase entry names no kill-switch scope");
    expect(logEntryProblems([e({ action: "activate", scope: "global" })], [rollback], author)[0]).toContain("records no transition");
    expect(logEntryProblems([e({ action: "resume", scope: "global" })], [{ kind: "resume", scope: "workspace:acme" }], author)[0]).toContain("it names the scope `global`, and this pull request resumes `workspace:acme`");
    expect(logEntryProblems([e({ from_phase: "P3", to_phase: "P2" })], [rollback], { why: "Charter cannot tell who asked for it" })[0]).toContain("and Charter cannot tell who asked for it");
    const twice = logEntryProblems([e({ id: "a", from_phase: "P3", to_phase: "P2" }), e({ id: "b", from_phase: "P3", to_phase: "P2" })], [rollback], author);
    expect(twice).toHaveLength(1);
    expect(twice[0]).toContain("a second time (one entry per transition)");
  });
});

describe("the hidden rollback marker and the sealed request", () => {
  it("finds a hidden rollback marker however it is spaced or cased, in linear time", () => {
    expect(hasHiddenRollbackMarker("<!--charter:rollback type=planned-->")).toBe(true);
    expect(hasHiddenRollbackMarker("x <!--\n\t CHARTER:Rollback type=planned -->")).toBe(true);
    expect(hasHiddenRollbackMarker("charter:rollback type=planned")).toBe(false);
    const t0 = performance.now();
    expect(hasHiddenRollbackMarker("<!--".repeat(250_000))).toBe(false);
    expect(hasHiddenRollbackMarker(`<!--${" ".repeat(1_000_000)}`)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it("a sealed request counts only on Charter's own pull request, for its head branch", () => {
    const marker = sealedRequest({ kind: "rollback", issue: 3, by: "ana-owner", from: "P3", to: "P2", rollbackType: "planned" }, "charter/rollback-p2-3");
    const decode = (head: string) => decodeRequest(marker, TEST_IDENTITY.keys, requestScope("acme/ingestion", head));
    expect(requestFact({ decoded: decode("charter/rollback-p2-3"), charterAuthored: true, author: "charter[bot]" })).toMatchObject({ kind: "charter", request: { rollbackType: "planned", by: "ana-owner" } });
    expect(requestFact({ decoded: decode("charter/rollback-p2-3"), charterAuthored: false, author: "mallory" })).toMatchObject({ kind: "ignored", charterAuthored: false });
    // the same marker on another branch does not verify
    expect(requestFact({ decoded: decode("charter/rollback-p2-4"), charterAuthored: true, author: "charter[bot]" })).toMatchObject({ kind: "ignored", charterAuthored: true });
    expect(requestFact({ decoded: undefined, charterAuthored: true, author: "charter[bot]" })).toEqual({ kind: "none" });
  });
});

describe("property: a description someone other than Charter writes", () => {
  const tokens = fc.constantFrom(
    "<!-- charter:rollback type=emergency -->",
    "<!--charter:rollback type=p1-incident-->",
    '<!-- charter:request {"kind":"rollback","issue":1,"by":"x","rollbackType":"emergency"} seal=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA -->',
    "- [x] Technical criteria met, system stable",
    "- [x] Client feedback acceptable, no blockers",
    "- [x] Infra stable, monitoring adequate, on-call trained",
    "<!--",
    "-->",
    "@acme/everyone",
    "| a | b |",
    "```",
    "\u202e",
    "Rollback type: planned",
    "\n",
    " ",
  );
  const body = fc.array(fc.oneof(tokens, fc.string({ maxLength: 12 }), fc.string({ unit: "grapheme", maxLength: 6 })), { maxLength: 24 }).map((parts) => parts.join(""));
  const gaFacts = (text: string): PullRequestFacts => ({
    number: 1,
    author: { login: "rita-release", type: "User" },
    headSha: HEAD,
    baseRef: "main",
    defaultBranch: "main",
    draft: false,
    body: text,
    labels: [],
    files: [{ filename: "governance/state/phase.yml", status: "modified" }],
    state: { base: { phase: D9.state.phase }, head: { phase: { kind: "valid", value: { ...D9.state.phase!, phase: "P4" } } } },
  });
  const approvals = (people: string[]): ReviewFact[] =>
    people.map((login, i) => ({ id: i + 1, login, userType: "User", state: "APPROVED", commitId: HEAD, submittedAt: "2025-06-02T09:00:00Z", association: "MEMBER", body: GA_CONFIRMATION[login] ?? "" }));

  it("never changes the GA gate's decision: signers, vetoes, confirmations, pass or fail", () => {
    const reviewSets = fc.subarray(["ana-owner", "pat-pm", "sam-sre", "paula-pm"]);
    fc.assert(
      fc.property(body, reviewSets, (text, people) => {
        const decide = (t: string) => {
          const f = gaFacts(t);
          const tree = evaluateSignoff({ governance: D9, facts: f, gates: selectGates(D9, f, NOW), reviews: approvals(people), now: NOW });
          return JSON.stringify(tree.gates.map((g) => [g.gate.key, g.passed, g.signers.map((s) => [s.status, s.signedBy]), g.vetoes.map((v) => v.login), g.confirmations.map((c) => [c.confirmed, c.confirmedBy])]));
        };
        expect(decide(text)).toBe(decide(""));
      }),
      { seed: 7_010_001, numRuns: 300 },
    );
  });

  it("never lets a hidden or unsealed marker choose a rollback's type", () => {
    fc.assert(
      fc.property(body, (text) => {
        const withMarkers = rollbackDeclaration({ body: text });
        const visibleOnly = rollbackDeclaration({ body: text.split("<!--")[0]! });
        if (withMarkers.kind === "claimed" && !text.includes("<!--")) expect(withMarkers.values).toEqual((visibleOnly as { values: string[] }).values);
        if (withMarkers.kind === "claimed") for (const v of withMarkers.values) expect(v.toLowerCase()).not.toContain("charter:");
        expect(withMarkers.kind).toBe("claimed");
      }),
      { seed: 7_010_002, numRuns: 300 },
    );
  });
});
