import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  activationAuthority,
  activitiesForPath,
  activity,
  findGateByTitle,
  findPhase,
  pathOwners,
  phaseGate,
  raciLettersOf,
  resumeAuthority,
  rollbackAuthority,
} from "../../src/core/authority/lookup.js";
import type { Governance } from "../../src/core/model/governance.js";
import { loadGovernance } from "../../src/load/load.js";
import { directorySource } from "../../src/load/source.js";

const root = join(import.meta.dirname, "..", "..");
const HOUR = 3_600_000;
const MIN = 60_000;

let g: Governance;
beforeAll(async () => {
  const result = await loadGovernance(directorySource(join(root, "governance"), "governance"));
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  g = result.governance;
});

/** A copy of D9 with authority.yml changed by `edit` (the lookups are pure functions of the model). */
function variant(edit: (a: NonNullable<Governance["authority"]>) => void): Governance {
  const copy = structuredClone(g);
  edit(copy.authority!);
  return copy;
}

/** 1-based line of the OWNERS line that starts with `prefix`, read from the file itself. */
function ownersLine(prefix: string): number {
  const lines = readFileSync(join(root, "governance", "OWNERS"), "utf8").split("\n");
  const i = lines.findIndex((l) => l.startsWith(prefix));
  if (i < 0) throw new Error(`test setup: no OWNERS line starts with ${prefix}`);
  return i + 1;
}

describe("phaseGate (D9 §6.1)", () => {
  it("finds the GA gate P3 → P4 with its required roles and position", () => {
    const r = phaseGate(g, "P3", "P4");
    expect(r.kind).toBe("gate");
    if (r.kind !== "gate") return;
    expect(r.index).toBe(3);
    expect(r.gate.title).toBe("GA");
    expect(r.gate.require).toEqual(["ingestion-owner", "product-manager", "sre-lead"]);
    expect(r.gate.veto).toBe("any-approver");
  });

  it("finds P0 → P1 (Ingestion Owner alone) and P1 → P2 (Owner and PM)", () => {
    const a = phaseGate(g, "P0", "P1");
    const b = phaseGate(g, "P1", "P2");
    expect(a.kind === "gate" && a.gate.require).toEqual(["ingestion-owner"]);
    expect(a.kind === "gate" && a.index).toBe(0);
    expect(b.kind === "gate" && b.gate.require).toEqual(["ingestion-owner", "product-manager"]);
  });

  it("calls a move backwards a rollback", () => {
    expect(phaseGate(g, "P4", "P3")).toEqual({ kind: "rollback", from: "P4", to: "P3" });
    expect(phaseGate(g, "P2", "P0")).toEqual({ kind: "rollback", from: "P2", to: "P0" });
  });

  it("reports a skip with the skipped phases, not allowed in D9", () => {
    const r = phaseGate(g, "P1", "P4");
    expect(r.kind).toBe("skip");
    if (r.kind !== "skip") return;
    expect(r.skipped).toEqual(["P2", "P3"]);
    expect(r.allowed).toBe(false);
    expect(r.gates.map((x) => x.index)).toEqual([1, 2, 3]);
  });

  it("marks a skip allowed when phases.allow_skip is true, listing every gate along the way", () => {
    const r = phaseGate(variant((a) => (a.phases!.allow_skip = true)), "P0", "P2");
    expect(r).toMatchObject({ kind: "skip", skipped: ["P1"], allowed: true });
    expect(r.kind === "skip" && r.gates.map((x) => `${x.gate.from}->${x.gate.to}`)).toEqual(["P0->P1", "P1->P2"]);
  });

  it("prefers a gate defined for exactly the skipping move", () => {
    const v = variant((a) => a.phases!.gates.push({ from: "P0", to: "P2", require: ["sre-lead"] }));
    const r = phaseGate(v, "P0", "P2");
    expect(r.kind === "gate" && r.index).toBe(4);
  });

  it("answers no-gate for the next phase without a gate, and for the same phase", () => {
    const v = variant((a) => (a.phases!.gates = a.phases!.gates.filter((x) => x.from !== "P1")));
    expect(phaseGate(v, "P1", "P2")).toEqual({ kind: "no-gate", from: "P1", to: "P2" });
    expect(phaseGate(g, "P2", "P2")).toEqual({ kind: "no-gate", from: "P2", to: "P2" });
  });

  it("rejects a phase that is not in phases.order, compared exactly, with a suggestion", () => {
    expect(phaseGate(g, "P3", "P9")).toEqual({ kind: "unknown-phase", phase: "P9", known: ["P0", "P1", "P2", "P3", "P4"] });
    expect(phaseGate(g, "p3", "P4")).toMatchObject({ kind: "unknown-phase", phase: "p3", suggestion: "P3" });
  });

  it("knows no phase when authority.yml defines none", () => {
    const v = variant((a) => delete a.phases);
    expect(phaseGate(v, "P0", "P1")).toEqual({ kind: "unknown-phase", phase: "P0", known: [] });
  });

  it("finds phases by name in any case or by title, and gates by title", () => {
    expect(findPhase(g, "p2")).toBe("P2");
    expect(findPhase(g, "GA")).toBe("P4");
    expect(findPhase(g, "beta")).toBeUndefined();
    expect(findGateByTitle(g, "ga")?.index).toBe(3);
  });
});

describe("rollbackAuthority (D9 §6.3)", () => {
  it("emergency: On-Call decides immediately, everyone informed after", () => {
    const r = rollbackAuthority(g, "emergency");
    expect(r).toMatchObject({ ok: true, id: "emergency", title: "Emergency (data at risk)", decide: ["on-call"], approve: [], consult: [], inform: ["everyone"], informWhen: "after", immediate: true, activity: "rollback-decision" });
  });

  it("P1 incident: On-Call and Owner decide, PM informed; found by title", () => {
    expect(rollbackAuthority(g, "P1 incident")).toMatchObject({ ok: true, id: "p1-incident", decide: ["on-call", "ingestion-owner"], inform: ["product-manager"], immediate: false, informWhen: "before" });
  });

  it("planned: Owner decides with PM approval; client request: Owner + PM, Support informed", () => {
    expect(rollbackAuthority(g, "planned")).toMatchObject({ ok: true, decide: ["ingestion-owner"], approve: ["product-manager"], immediate: false });
    expect(rollbackAuthority(g, "client-request")).toMatchObject({ ok: true, decide: ["ingestion-owner", "product-manager"], inform: ["support-lead"] });
  });

  it("answers an unknown type with a did-you-mean and the known types", () => {
    const r = rollbackAuthority(g, "emergncy");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.suggestion).toBe("emergency");
    expect(r.known).toEqual(["emergency", "p1-incident", "planned", "client-request"]);
    expect(r.message).toBe("unknown rollback type `emergncy`. Did you mean `emergency`? Known: emergency, p1-incident, planned, client-request.");
  });
});

describe("resumeAuthority (D9 §5.3)", () => {
  it("a 2h pause: Ingestion Owner, Test upload passes and Metrics check (rule 3)", () => {
    const r = resumeAuthority(g, { pausedMs: 2 * HOUR });
    expect(r.ok && r.index).toBe(2);
    expect(r.ok && r.rule.who).toEqual(["ingestion-owner"]);
    expect(r.ok && r.rule.verify).toEqual(["Test upload passes", "Metrics check"]);
  });

  it("exactly 1h counts as the long pause; 59m as the short one (On-Call, Test upload passes)", () => {
    expect(resumeAuthority(g, { pausedMs: HOUR })).toMatchObject({ ok: true, index: 2 });
    const short = resumeAuthority(g, { pausedMs: 59 * MIN });
    expect(short).toMatchObject({ ok: true, index: 3, rule: { who: ["on-call"], verify: ["Test upload passes"] } });
  });

  it("after a rollback: Owner + PM, Full P0 revalidation, whatever the length", () => {
    expect(resumeAuthority(g, { pausedMs: 10 * MIN, afterRollback: true })).toMatchObject({ ok: true, index: 1, rule: { who: ["ingestion-owner", "product-manager"], verify: ["Full P0 revalidation"] } });
  });

  it("a data-integrity event wins over everything: Owner + SRE Lead + PM, Investigation complete", () => {
    expect(resumeAuthority(g, { pausedMs: 5 * MIN, dataIntegrity: true, afterRollback: true })).toMatchObject({
      ok: true,
      index: 0,
      rule: { who: ["ingestion-owner", "sre-lead", "product-manager"], verify: ["Investigation complete"] },
    });
  });

  it("matches a scope condition against global or workspace:<name>", () => {
    const v = variant((a) => a.kill_switch!.resume.unshift({ title: "Workspace", when: { scope: "workspace" }, who: ["sre-lead"], verify: ["Workspace check"] }));
    expect(resumeAuthority(v, { pausedMs: 2 * HOUR, scope: "workspace:acme" })).toMatchObject({ ok: true, index: 0 });
    expect(resumeAuthority(v, { pausedMs: 2 * HOUR, scope: "global" })).toMatchObject({ ok: true, index: 3 });
  });

  it("says so when no rule matches", () => {
    const v = variant((a) => (a.kill_switch!.resume = [{ title: "short", when: { paused_under: "1h" }, who: ["on-call"], verify: ["x"] }]));
    const r = resumeAuthority(v, { pausedMs: 2 * HOUR });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain("no resume rule");
  });
});

describe("activationAuthority (D9 §5.1)", () => {
  it("suspected data corruption: anyone, no approval, everyone immediately, a data-integrity event", () => {
    expect(activationAuthority(g, "data-corruption")).toMatchObject({
      ok: true,
      who: ["anyone"],
      approval: { kind: "none" },
      notify: { roles: ["everyone"], within: "0m", withinMs: 0 },
      severity: "P1",
      dataIntegrity: true,
    });
  });

  it("error rate > 10%: On-Call, Owner approves within 15 min, PM within 15 min", () => {
    expect(activationAuthority(g, "error-rate-10")).toMatchObject({
      ok: true,
      who: ["on-call"],
      approval: { kind: "within", roles: ["ingestion-owner"], within: "15m", withinMs: 15 * MIN },
      notify: { roles: ["product-manager"], withinMs: 15 * MIN },
      dataIntegrity: false,
    });
  });

  it("planned maintenance: Owner, PM 24h in advance, everyone 24h in advance", () => {
    expect(activationAuthority(g, "planned-maintenance")).toMatchObject({
      ok: true,
      who: ["ingestion-owner"],
      approval: { kind: "in_advance", roles: ["product-manager"], inAdvance: "24h", inAdvanceMs: 24 * HOUR },
      notify: { roles: ["everyone"], inAdvance: "24h", inAdvanceMs: 24 * HOUR },
    });
  });

  it("finds a scenario by title and reads approval without timing as before activation", () => {
    expect(activationAuthority(g, "Error rate > 20%")).toMatchObject({ ok: true, id: "error-rate-20", approval: { kind: "none" } });
    const v = variant((a) => (a.kill_switch!.activation["client-request"]!.approval = { roles: ["product-manager"] }));
    expect(activationAuthority(v, "client-request")).toMatchObject({ ok: true, approval: { kind: "in_advance", inAdvance: "0m", inAdvanceMs: 0 } });
  });

  it("answers an unknown scenario with a did-you-mean", () => {
    expect(activationAuthority(g, "data-coruption")).toMatchObject({ ok: false, suggestion: "data-corruption", what: "kill-switch scenario" });
  });
});

describe("pathOwners (governance/OWNERS, last match wins)", () => {
  it("gives a migration to the Database Owner by the later *.sql line, the earlier line overridden", () => {
    const r = pathOwners(g, "db/migrations/0001_init.sql");
    expect(r?.rule.pattern).toBe("*.sql");
    expect(r?.rule.line).toBe(ownersLine("*.sql"));
    expect(r?.roles).toEqual(["database-owner"]);
    expect(r?.overridden.map((x) => x.line)).toEqual([ownersLine("/db/migrations/")]);
  });

  it("normalises ./ and leading slashes; infra belongs to the SRE Lead", () => {
    expect(pathOwners(g, "./infra/main.tf")).toMatchObject({ path: "infra/main.tf", roles: ["sre-lead"], users: [], teams: [] });
    expect(pathOwners(g, "/infra/main.tf")?.rule.line).toBe(ownersLine("/infra/"));
  });

  it("gives governance/ to three roles, and the phase state file to nobody (its gate governs it)", () => {
    expect(pathOwners(g, "governance/roles.yml")?.roles).toEqual(["ingestion-owner", "sre-lead", "product-manager"]);
    const state = pathOwners(g, "governance/state/phase.yml");
    expect(state?.owners).toEqual([]);
    expect(state?.rule.line).toBe(ownersLine("/governance/state/phase.yml"));
  });

  it("returns undefined for a path no line matches", () => {
    expect(pathOwners(g, "README.md")).toBeUndefined();
  });

  it("splits users and teams from roles", () => {
    const v = structuredClone(g);
    v.owners.push({ pattern: "/docs/", owners: [{ kind: "user", login: "alice" }, { kind: "team", team: "acme/docs" }, { kind: "role", id: "support-lead" }], line: 99 });
    expect(pathOwners(v, "docs/a.md")).toMatchObject({ roles: ["support-lead"], users: ["alice"], teams: ["acme/docs"] });
  });
});

describe("activity (D9 §2.1 RACI)", () => {
  it("GA sign-off: A Owner, R SRE Lead and PM, I On-Call and Support", () => {
    expect(activity(g, "ga-sign-off")).toMatchObject({ ok: true, id: "ga-sign-off", title: "GA sign-off", stage: "GA", A: ["ingestion-owner"], R: ["sre-lead", "product-manager"], C: [], I: ["on-call", "support-lead"] });
  });

  it("finds an activity by title, and suggests for a typo", () => {
    expect(activity(g, "Rollback decision")).toMatchObject({ ok: true, id: "rollback-decision", C: ["sre-lead", "product-manager"] });
    expect(activity(g, "ga-signoff")).toMatchObject({ ok: false, suggestion: "ga-sign-off" });
  });

  it("finds the activities whose paths match a path", () => {
    expect(activitiesForPath(g, "config/flags/beta.yml").map((a) => a.id)).toEqual(["feature-flag-config"]);
    expect(activitiesForPath(g, "src/index.ts")).toEqual([]);
  });

  it("gives a role's letters, with `everyone` counting only for roles named nowhere else", () => {
    const a = g.authority!.raci!.activities["test-upload"]!;
    expect(raciLettersOf(a, "ingestion-owner")).toEqual(["R"]);
    expect(raciLettersOf({ title: "x", A: ["sre-lead"], I: ["everyone"] }, "sre-lead")).toEqual(["A"]);
    expect(raciLettersOf({ title: "x", A: ["sre-lead"], I: ["everyone"] }, "support-lead")).toEqual(["I"]);
  });
});
