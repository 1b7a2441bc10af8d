/**
 * The sign-off core, without GitHub: review semantics, four eyes, the description, which gates
 * apply, and a property: random review histories never count an author, a bot, a stale or a
 * superseded review.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Governance } from "../../src/core/model/governance.js";
import type { LogEntry } from "../../src/core/model/state.js";
import { declarationCandidates, isFieldFilled, isTicked, missingFormFields, rollbackDeclarations, taskItems } from "../../src/core/signoff/body.js";
import { evaluateSignoff } from "../../src/core/signoff/evaluate.js";
import type { PullRequestFacts, ReviewFact, ReviewState } from "../../src/core/signoff/facts.js";
import { maximumMatching } from "../../src/core/signoff/matching.js";
import { raciPlan } from "../../src/core/signoff/raci.js";
import { reviewerStandings } from "../../src/core/signoff/reviews.js";
import { selectGates } from "../../src/core/signoff/select.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";
import { pullRequestFacts } from "../support/pull-request-facts.js";
import { GA_CONFIRMATION, phaseYml } from "./world.js";

const HEAD = "h".repeat(40);
const OLD = "0".repeat(40);
const NOW = new Date("2025-06-02T10:00:00Z");

async function load(changes: Record<string, string | null> = {}): Promise<Governance> {
  const r = await loadGovernance(memorySource(d9Files(changes)));
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join("\n"));
  return r.governance;
}

let D9: Governance;
beforeAll(async () => {
  D9 = await load();
});

let nextId = 1;
function rv(login: string, state: ReviewState, options: { commit?: string; at?: string; type?: string; id?: number; body?: string; association?: string } = {}): ReviewFact {
  const id = options.id ?? nextId++;
  return {
    id,
    login,
    userType: options.type ?? (login.endsWith("[bot]") ? "Bot" : "User"),
    state,
    commitId: options.commit ?? HEAD,
    submittedAt: options.at ?? new Date(Date.parse("2025-06-02T09:00:00Z") + id * 1000).toISOString(),
    association: options.association ?? "MEMBER",
    ...(options.body !== undefined ? { body: options.body } : {}),
  };
}

/** A GA signer's approval of the head, confirming their role's D9 §6.2 confirmation in its text. */
const approves = (login: string, options: Parameters<typeof rv>[2] = {}) => rv(login, "APPROVED", { body: GA_CONFIRMATION[login.toLowerCase()] ?? "", ...options });

const facts = (g: Governance, input: Parameters<typeof pullRequestFacts>[1] = {}): PullRequestFacts => pullRequestFacts(g, { headSha: HEAD, ...input });

const phaseMove = (g: Governance, to: string, body = "") =>
  facts(g, { body, files: [{ filename: "governance/state/phase.yml", status: "modified" }], head: { phase: { kind: "valid", value: { ...g.state.phase!, phase: to } } } });

describe("each reviewer's standing (GitHub semantics)", () => {
  it("only the latest review counts; a comment replaces neither an approval nor a change request; a dismissal removes", () => {
    const s = reviewerStandings(
      [rv("ana-owner", "APPROVED"), rv("ana-owner", "COMMENTED"), rv("pat-pm", "CHANGES_REQUESTED"), rv("pat-pm", "COMMENTED"), rv("sam-sre", "APPROVED"), rv("sam-sre", "DISMISSED")],
      { headSha: HEAD, author: "rita-release" },
    );
    expect(s.map((x) => [x.login, x.verdict])).toEqual([
      ["ana-owner", "approved"],
      ["pat-pm", "changes-requested"],
      ["sam-sre", "dismissed"],
    ]);
  });

  it("orders by submission time, then id, whatever order GitHub lists them in; logins compare case-insensitively", () => {
    const later = rv("SreLead", "CHANGES_REQUESTED", { at: "2025-06-02T09:30:00Z", id: 1 });
    const earlier = rv("srelead", "APPROVED", { at: "2025-06-02T09:10:00Z", id: 2 });
    expect(reviewerStandings([later, earlier], { headSha: HEAD, author: "x" }).map((x) => [x.login, x.verdict])).toEqual([["SreLead", "changes-requested"]]);
    const tieA = rv("dora-db", "APPROVED", { at: "2025-06-02T09:10:00Z", id: 8 });
    const tieB = rv("dora-db", "CHANGES_REQUESTED", { at: "2025-06-02T09:10:00Z", id: 7 });
    expect(reviewerStandings([tieA, tieB], { headSha: HEAD, author: "x" })[0]!.verdict).toBe("approved");
  });

  it("an approval of an older commit is stale; the author and bots never count, whatever the case", () => {
    const s = reviewerStandings([rv("ana-owner", "APPROVED", { commit: OLD }), rv("Rita-Release", "APPROVED"), rv("renovate[bot]", "APPROVED"), rv("ci-helper", "APPROVED", { type: "Bot" })], { headSha: HEAD, author: "rita-release" });
    expect(s.map((x) => x.verdict)).toEqual(["stale", "author", "bot", "bot"]);
  });

  it("pending reviews are not submitted", () => {
    expect(reviewerStandings([{ ...rv("ana-owner", "PENDING"), submittedAt: null }], { headSha: HEAD, author: "x" })).toEqual([]);
  });
});

describe("four eyes: a maximum matching of people to roles", () => {
  it("finds the assignment that satisfies the most roles", () => {
    // a can sign both roles, b only the first: a must take the second
    expect(maximumMatching([["a", "b"], ["a"]])).toEqual(["b", "a"]);
    expect(maximumMatching([["a"], ["a"]])).toEqual(["a", undefined]);
    expect(maximumMatching([["a", "b", "c"], ["a", "b"], ["a"]])).toEqual(["c", "b", "a"]);
  });
});

describe("the description", () => {
  it("counts ticked task items a reader sees: not inside HTML comments or code blocks", () => {
    const body = ["- [x] Visible", "<!-- - [x] Hidden -->", "```", "- [x] Code", "```", "* [X]   Spaced    Out", "- [ ] Open"].join("\n");
    expect(taskItems(body)).toEqual([
      { text: "Visible", ticked: true },
      { text: "Spaced    Out", ticked: true },
      { text: "Open", ticked: false },
    ]);
    expect(isTicked(body, "hidden")).toBe(false);
    expect(isTicked(body, "code")).toBe(false);
    expect(isTicked(body, "spaced out")).toBe(true);
  });

  it("accepts a role's confirmation as the text or as 'Role title: text', case- and space-insensitively", () => {
    expect(isTicked("- [x] sre lead:  Infra STABLE, monitoring adequate, on-call trained", "Infra stable, monitoring adequate, on-call trained", "SRE Lead")).toBe(true);
    expect(isTicked("- [x] Infra stable, monitoring adequate, on-call trained", "Infra stable, monitoring adequate, on-call trained", "SRE Lead")).toBe(true);
    expect(isTicked("- [x] PM: Infra stable, monitoring adequate, on-call trained", "Infra stable, monitoring adequate, on-call trained", "SRE Lead")).toBe(false);
  });

  it("reads the D9 §6.4 form: `Field: value`, `**Field:** value`, or a ticked item below the field", () => {
    const body = ["**Date:** 2025-06-02", "Time: ____________", "Rolled back from: P___", "Rolled back to: P3", "Reason:", "- [x] Error rate exceeded threshold", "- [ ] Other: ____", "", "Authorized by: @ana-owner (Role: Ingestion Owner)", "Next steps:", "- [ ] Investigation assigned to: ____"].join("\n");
    expect(isFieldFilled(body, "Date")).toBe(true);
    expect(missingFormFields(body, ["Date", "Time", "Rolled back from", "Rolled back to", "Reason", "Authorized by", "Approved by", "Next steps"])).toEqual(["Time", "Rolled back from", "Approved by", "Next steps"]);
  });

  it("finds the rollback type in the hidden marker and in a `Rollback type:` line", () => {
    expect(rollbackDeclarations("<!-- charter:rollback type=planned -->\nRollback type: **Planned (bug found)** (`planned`). Requested by @a.")).toEqual(["planned", "Planned (bug found) (`planned`). Requested by @a."]);
    expect(declarationCandidates("Planned (bug found) (`planned`)")).toContain("planned");
  });
});

describe("which gates apply", () => {
  it("P3 → P4 is D9's GA gate: Ingestion Owner, PM, SRE Lead, freeze, confirmations", () => {
    const [gate, ...rest] = selectGates(D9, phaseMove(D9, "P4"), NOW);
    expect(rest).toEqual([]);
    expect(gate).toMatchObject({ key: "phase:P3->P4", kind: "phase", title: "Phase gate P3 → P4 (GA)", freeze: true, activity: "ga-sign-off", distinct: true, veto: "any-approver" });
    expect(gate!.signers.map((s) => (s.kind === "role" ? s.role : ""))).toEqual(["ingestion-owner", "product-manager", "sre-lead"]);
    expect(gate!.confirmations).toHaveLength(3);
  });

  it("skipping phases is refused (allow_skip: false), saying how to move", async () => {
    const g = await load({ "state/phase.yml": phaseYml("P1") });
    const [gate] = selectGates(g, phaseMove(g, "P3"), NOW);
    expect(gate!.kind).toBe("refused");
    expect(gate!.refusal).toBe("skipping P2 is not allowed (authority.yml phases.allow_skip is false); move one phase at a time: P1 → P2, P2 → P3");
  });

  it("a rollback needs its declared type's decision makers and the sign-off form; without a type it is refused", () => {
    const [refused] = selectGates(D9, phaseMove(D9, "P2"), NOW);
    expect(refused!.refusal).toMatch(/^a rollback must declare its type in the description: add a line `Rollback type: <type>` \(one of `emergency`, `p1-incident`, `planned`, `client-request`\)$/);
    const [typo] = selectGates(D9, phaseMove(D9, "P2", "Rollback type: planed"), NOW);
    expect(typo!.refusal).toMatch(/unknown rollback type `planed`\. Did you mean `planned`\?.*\. Fix the `Rollback type:` line of the description$/);
    const [two] = selectGates(D9, phaseMove(D9, "P2", "Rollback type: planned\nRollback type: emergency"), NOW);
    expect(two!.refusal).toMatch(/more than one rollback type/);
    const [planned] = selectGates(D9, phaseMove(D9, "P2", "Rollback type: **Planned (bug found)** (`planned`)"), NOW);
    expect(planned).toMatchObject({ kind: "rollback", title: "Rollback P3 → P2: Planned (bug found)", form: ["Date", "Time", "Rolled back from", "Rolled back to", "Reason", "Authorized by", "Approved by", "Next steps"] });
    expect(planned!.signers).toEqual([{ kind: "role", role: "ingestion-owner" }, { kind: "role", role: "product-manager" }]);
    // any role of the rollback authority vetoes any rollback, whatever type is declared
    expect(planned!.veto).toEqual(["on-call", "ingestion-owner", "product-manager"]);
  });

  // built in memory: the validator insists an active switch records since, by and scenario
  const resume = async (sw: Record<string, unknown>) => {
    const g: Governance = { ...D9, state: { ...D9.state, killswitch: { version: 1, switches: { global: { active: true, by: "oscar-oncall", ...sw } } } } };
    const f = facts(g, { files: [{ filename: "governance/state/killswitch.yml", status: "modified" }], head: { killswitch: { kind: "valid", value: { version: 1, switches: { global: { active: false } } } } } });
    return selectGates(g, f, NOW);
  };

  it("a kill-switch resume needs the first matching resume rule (D9 §5.3), its verify steps ticked", async () => {
    const short = await resume({ since: "2025-06-02T09:30:00Z", scenario: "error-rate-20" });
    expect(short.map((x) => [x.title, x.signers, x.confirmations])).toEqual([["Resume kill-switch `global`: < 1 hour pause", [{ kind: "role", role: "on-call" }], [{ text: "Test upload passes" }]]]);
    const long = await resume({ since: "2025-06-02T08:00:00Z", scenario: "error-rate-20" });
    expect(long[0]!.title).toBe("Resume kill-switch `global`: > 1 hour pause");
    const unknownStart = await resume({ scenario: "error-rate-20" });
    expect(unknownStart[0]!.title).toBe("Resume kill-switch `global`: > 1 hour pause");
    const integrity = await resume({ since: "2025-06-02T09:50:00Z", scenario: "data-corruption" });
    expect(integrity[0]!.signers.map((s) => (s.kind === "role" ? s.role : ""))).toEqual(["ingestion-owner", "sre-lead", "product-manager"]);
    const rolledBack = await resume({ since: "2025-06-02T09:50:00Z", scenario: "error-rate-20", rolled_back: true });
    expect(rolledBack[0]!.title).toBe("Resume kill-switch `global`: Rollback");
  });

  it("a pause is measured in elapsed time: across the Berlin DST change 50 minutes are under an hour", () => {
    const g: Governance = { ...D9, state: { ...D9.state, killswitch: { version: 1, switches: { global: { active: true, by: "oscar-oncall", scenario: "error-rate-20", since: "2025-03-30T00:30:00Z" } } } } };
    const f = facts(g, { files: [{ filename: "governance/state/killswitch.yml", status: "modified" }], head: { killswitch: { kind: "valid", value: { version: 1, switches: { global: { active: false } } } } } });
    // 01:30 CET → 03:20 CEST on the wall clock, 50 minutes in fact
    expect(selectGates(g, f, new Date("2025-03-30T01:20:00Z"))[0]!.title).toBe("Resume kill-switch `global`: < 1 hour pause");
    expect(selectGates(g, f, new Date("2025-03-30T01:30:00Z"))[0]!.title).toBe("Resume kill-switch `global`: > 1 hour pause");
  });

  it("on-call signers are whoever is on call at evaluation: last week's on-call stops signing at the Monday 09:00 Berlin handoff", () => {
    const g: Governance = { ...D9, state: { ...D9.state, killswitch: { version: 1, switches: { global: { active: true, by: "olga-oncall", scenario: "error-rate-20", since: "2025-06-02T06:30:00Z" } } } } };
    const f = facts(g, { files: [{ filename: "governance/state/killswitch.yml", status: "modified" }], head: { killswitch: { kind: "valid", value: { version: 1, switches: { global: { active: false } } } } } });
    const at = (iso: string) => {
      const now = new Date(iso);
      return evaluateSignoff({ governance: g, facts: f, gates: selectGates(g, f, now), reviews: [rv("oscar-oncall", "APPROVED", { body: "- [x] Test upload passes" })], now });
    };
    expect(at("2025-06-02T06:59:00Z").passed).toBe(true); // 08:59 CEST: oscar is still primary
    const after = at("2025-06-02T07:01:00Z"); // 09:01 CEST: olga and omar are on call
    expect(after.passed).toBe(false);
    expect(after.gates[0]!.signers[0]!.couldSign).toEqual(["olga-oncall", "omar-oncall"]);
  });

  it("activating a kill-switch by hand, or editing the phase file without a move, needs the owners of governance/ (fail safe)", () => {
    const activate = facts(D9, { files: [{ filename: "governance/state/killswitch.yml", status: "modified" }], head: { killswitch: { kind: "valid", value: { version: 1, switches: { global: { active: true } } } } } });
    const [g1] = selectGates(D9, activate, NOW);
    expect(g1).toMatchObject({ key: "owners:17", title: "OWNERS /governance/" });
    expect(g1!.reasons[1]).toBe("the kill-switch `global` is activated by hand: no resume rule governs this change, so the owners of governance/ sign (fail safe)");
    const edit = facts(D9, { files: [{ filename: "governance/state/phase.yml", status: "modified" }], head: { phase: { kind: "valid", value: { ...D9.state.phase!, by: "mallory" } } } });
    expect(selectGates(D9, edit, NOW)[0]!.reasons[1]).toBe("governance/state/phase.yml changes but the phase stays P3: no phase transition governs this change, so the owners of governance/ sign (fail safe)");
  });

  it("log entries appended with a transition belong to it; a hand edit of the log needs the OWNERS of governance/", () => {
    const entry = { id: "e1", timestamp: "2025-06-02T10:00:00Z", action: "advance-requested" as const, actor: "rita-release", from_phase: "P3", to_phase: "P4" };
    const withLog = phaseMove(D9, "P4");
    withLog.files.push({ filename: "governance/state/log.yml", status: "modified", patch: "@@ -1 +1 @@\n-entries: []\n+entries:\n+  - id: e1" });
    withLog.state.head.log = { kind: "valid", value: { version: 1, entries: [entry] } };
    expect(selectGates(D9, withLog, NOW).map((x) => x.key)).toEqual(["phase:P3->P4"]);
    const byHand = facts(D9, { files: [{ filename: "governance/state/log.yml", status: "modified", patch: "+  - id: e1" }], head: { log: { kind: "valid", value: { version: 1, entries: [{ ...entry, action: "activate" }] } } } });
    expect(selectGates(D9, byHand, NOW).map((x) => x.key)).toEqual(["owners:17"]);
    // without a diff, every entry of the default branch must still be there
    const older = { id: "e0", timestamp: "2025-06-01T10:00:00Z", action: "resume" as const, actor: "ana-owner" };
    const g: Governance = { ...D9, state: { ...D9.state, log: { version: 1, entries: [older] } } };
    const noPatch = (entries: LogEntry[]) => {
      const f = phaseMove(g, "P4");
      f.files.push({ filename: "governance/state/log.yml", status: "modified" });
      f.state.head.log = { kind: "valid", value: { version: 1, entries } };
      return selectGates(g, f, NOW).map((x) => x.key);
    };
    expect(noPatch([older, entry])).toEqual(["phase:P3->P4"]);
    expect(noPatch([entry])).toEqual(["phase:P3->P4", "owners:17"]);
    expect(noPatch([{ ...older, actor: "mallory" }, entry])).toEqual(["phase:P3->P4", "owners:17"]);
  });

  it("paths need every owner on their OWNERS line, renames count both paths, unowned governance is refused", async () => {
    const f = facts(D9, { files: [{ filename: "db/migrations/001.sql", status: "added" }, { filename: "ops/main.tf", status: "renamed", previousFilename: "infra/main.tf" }, { filename: "README.md", status: "modified" }] });
    expect(selectGates(D9, f, NOW).map((x) => [x.title, x.signers])).toEqual([
      ["OWNERS /infra/", [{ kind: "role", role: "sre-lead" }]],
      ["OWNERS *.sql", [{ kind: "role", role: "database-owner" }]],
    ]);
    const g = await load({ OWNERS: "/db/ database-owner @acme/dba\n/governance/\n" });
    const roles = facts(g, { files: [{ filename: "governance/roles.yml", status: "modified" }] });
    const [refused] = selectGates(g, roles, NOW);
    expect(refused!.refusal).toBe("nobody owns these governance files, so nobody can sign their change: add a `/governance/` line with owners to governance/OWNERS");
    const dba = selectGates(g, facts(g, { files: [{ filename: "db/x.sql", status: "added" }] }), NOW);
    expect(dba[0]!.signers).toEqual([{ kind: "role", role: "database-owner" }, { kind: "team", team: "acme/dba" }]);
  });
});

describe("evaluation", () => {
  const ga = () => phaseMove(D9, "P4", ["- [x] Technical criteria met, system stable", "- [x] Client feedback acceptable, no blockers", "- [x] Infra stable, monitoring adequate, on-call trained"].join("\n"));
  const evaluate = (f: PullRequestFacts, reviews: ReviewFact[], g = D9, extra: Partial<Parameters<typeof evaluateSignoff>[0]> = {}) => evaluateSignoff({ governance: g, facts: f, gates: selectGates(g, f, NOW), reviews, now: NOW, ...extra });

  it("builds the tree: signed, missing with who could sign, vetoed, stale", () => {
    const t = evaluate(ga(), [approves("ana-owner"), rv("pat-pm", "CHANGES_REQUESTED", { commit: OLD }), approves("sam-sre", { commit: OLD })]);
    const [gate] = t.gates;
    expect(t.passed).toBe(false);
    expect(gate!.signers.map((s) => [s.label, s.status, s.signedBy, s.vetoedBy, s.staleApprovals.map((a) => a.login), s.couldSign])).toEqual([
      ["Ingestion Owner", "signed", "ana-owner", [], [], ["ben-owner"]],
      ["Product Manager", "vetoed", undefined, ["pat-pm"], [], ["pat-pm", "paula-pm"]],
      ["SRE Lead", "missing", undefined, [], ["sam-sre"], ["sam-sre", "sid-sre"]],
    ]);
    expect(gate!.vetoes).toMatchObject([{ login: "pat-pm", as: ["Product Manager"], possibly: [], reviewId: expect.any(Number), commitId: OLD, onOlderCommit: true }]);
    expect(gate!.vetoes[0]!.dismissed).toBeUndefined();
  });

  it("four eyes: one person holding two roles signs one of them; `distinct: false` lets them sign both", async () => {
    const roles = d9Files()["roles.yml"]!.replace("holders: [sam-sre]", "holders: [sam-sre, pat-pm]");
    const g = await load({ "roles.yml": roles });
    const t = evaluate(ga(), [approves("ana-owner"), approves("pat-pm")], g);
    expect(t.gates[0]!.signers.map((s) => [s.label, s.status, s.signedBy])).toEqual([
      ["Ingestion Owner", "signed", "ana-owner"],
      ["Product Manager", "signed", "pat-pm"],
      ["SRE Lead", "missing", undefined],
    ]);
    expect(t.gates[0]!.signers[2]!.signsElsewhere).toEqual([{ login: "pat-pm", as: "Product Manager" }]);
    const lax = await load({ "roles.yml": roles, "authority.yml": d9Files()["authority.yml"]!.replace("      veto: any-approver\n      freeze: true", "      veto: any-approver\n      distinct: false\n      freeze: true") });
    // pat-pm signs as both; the SRE Lead's confirmation is theirs to give, in their review
    expect(evaluate(ga(), [approves("ana-owner"), rv("pat-pm", "APPROVED", { body: `${GA_CONFIRMATION["pat-pm"]}\n${GA_CONFIRMATION["sam-sre"]}` })], lax).passed).toBe(true);
  });

  it("teams expand from the members given; unknown teams sign nobody in", async () => {
    const g = await load({ "roles.yml": d9Files()["roles.yml"]!.replace("holders: [sam-sre]", "holders: [acme/sre]") });
    const reviews = [approves("ana-owner"), approves("pat-pm"), rv("tess-sre", "APPROVED", { body: GA_CONFIRMATION["sam-sre"] })];
    expect(evaluate(ga(), reviews, g, { teams: new Map([["acme/sre", ["tess-sre"]]]) }).passed).toBe(true);
    const unknown = evaluate(ga(), reviews, g);
    expect(unknown.passed).toBe(false);
    expect(unknown.gates[0]!.signers[2]!.holders.unresolvedTeams).toEqual(["acme/sre"]);
  });

  it("freezes a freezing gate while a freezing incident is open or a kill-switch is active", async () => {
    const all = [approves("ana-owner"), approves("pat-pm"), approves("sam-sre")];
    expect(evaluate(ga(), all).passed).toBe(true);
    const frozen = evaluate(ga(), all, D9, { incidents: [{ number: 7, title: "Ingestion down", url: "u", severity: "P1" }] });
    expect(frozen.gates[0]!.freeze).toEqual([{ kind: "incident", number: 7, title: "Ingestion down", url: "u", severity: "P1" }]);
    const g = await load({ "state/killswitch.yml": "version: 1\nswitches:\n  global: { active: true, since: 2025-06-02T09:00:00Z, by: oscar-oncall, scenario: error-rate-20 }\n" });
    expect(evaluate(ga(), all, g).gates[0]!.freeze).toEqual([{ kind: "kill-switch", scope: "global", since: "2025-06-02T09:00:00Z", by: "oscar-oncall" }]);
  });

  it("RACI: asks Accountable holders who have not signed and Consulted holders, never the author or someone already asked", async () => {
    const g = await load({ "state/phase.yml": phaseYml("P0") });
    const f = { ...phaseMove(g, "P1"), author: { login: "pat-pm", type: "User" } };
    const gates = selectGates(g, f, NOW);
    const tree = evaluateSignoff({ governance: g, facts: f, gates, reviews: [], now: NOW });
    const plan = raciPlan({ governance: g, facts: f, gates, tree, now: NOW, alreadyRequested: ["SAM-SRE"], org: "acme" });
    // go-no-go-decision: A ingestion-owner, C on-call + sre-lead, R product-manager, I support-lead
    expect(plan.activities).toEqual([{ id: "go-no-go-decision", title: "Go/No-Go decision" }]);
    expect(plan.reviewers).toEqual(["ana-owner", "olga-oncall", "omar-oncall"]);
    expect(plan.informed).toEqual([{ role: "support-lead", title: "Support Lead", people: ["sue-support"] }]);
  });
});

describe("property: random review histories", () => {
  const PEOPLE = ["ana-owner", "ANA-OWNER", "ben-owner", "pat-pm", "paula-pm", "sam-sre", "sid-sre", "rita-release", "Rita-Release", "renovate[bot]", "mallory"];
  const STATES: ReviewState[] = ["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"];
  const review = fc.record({
    who: fc.constantFrom(...PEOPLE),
    state: fc.constantFrom(...STATES),
    onHead: fc.boolean(),
    minute: fc.integer({ min: 0, max: 30 }),
    id: fc.integer({ min: 1, max: 10_000 }),
  });

  /** A reference model: each reviewer's latest approval/change request/dismissal, in order. */
  function decisive(reviews: ReviewFact[], login: string): ReviewFact | undefined {
    const mine = reviews
      .filter((r) => r.login.toLowerCase() === login.toLowerCase() && r.state !== "PENDING" && r.state !== "COMMENTED")
      .sort((a, b) => Date.parse(a.submittedAt!) - Date.parse(b.submittedAt!) || a.id - b.id);
    return mine.at(-1);
  }

  it("never counts an author, a bot, a stale or a superseded review", () => {
    fc.assert(
      fc.property(fc.uniqueArray(review, { selector: (r) => r.id, maxLength: 14 }), (history) => {
        const reviews: ReviewFact[] = history.map((h) => ({
          id: h.id,
          login: h.who,
          userType: h.who.endsWith("[bot]") ? "Bot" : "User",
          state: h.state,
          commitId: h.onHead ? HEAD : OLD,
          submittedAt: h.state === "PENDING" ? null : new Date(Date.parse("2025-06-02T09:00:00Z") + h.minute * 60_000).toISOString(),
          association: "MEMBER",
          body: GA_CONFIRMATION[h.who.toLowerCase()] ?? "",
        }));
        const f = phaseMove(D9, "P4", "- [x] Technical criteria met, system stable\n- [x] Client feedback acceptable, no blockers\n- [x] Infra stable, monitoring adequate, on-call trained");
        const tree = evaluateSignoff({ governance: D9, facts: f, gates: selectGates(D9, f, NOW), reviews, now: NOW });
        const signed = tree.gates.flatMap((g) => g.signers.flatMap((s) => (s.signedBy ? [s.signedBy] : [])));
        for (const who of signed) {
          expect(who.toLowerCase()).not.toBe("rita-release");
          expect(who.endsWith("[bot]")).toBe(false);
          const latest = decisive(reviews, who);
          expect(latest?.state).toBe("APPROVED");
          expect(latest?.commitId).toBe(HEAD);
        }
        // four eyes: nobody signs twice in a gate
        expect(new Set(signed.map((s) => s.toLowerCase())).size).toBe(signed.length);
        // a standing change request by a holder of a required role always blocks
        const vetoers = ["ana-owner", "ben-owner", "pat-pm", "paula-pm", "sam-sre", "sid-sre"].filter((p) => decisive(reviews, p)?.state === "CHANGES_REQUESTED");
        if (vetoers.length > 0) expect(tree.passed).toBe(false);
        // passing means each role has a distinct, valid approver
        if (tree.passed) expect(signed).toHaveLength(3);
      }),
      { numRuns: 400 },
    );
  });
});
