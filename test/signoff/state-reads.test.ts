/**
 * The reads a pull request's gates could need, known from the model and the changed files before
 * the proposed state files are read (src/core/signoff/state-reads.ts): never fewer than the real
 * gates need, and none for a move whose gates cannot need them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Governance } from "../../src/core/model/governance.js";
import type { PullRequestFacts } from "../../src/core/signoff/facts.js";
import { pullRequestActivities } from "../../src/core/signoff/raci.js";
import { selectGates } from "../../src/core/signoff/select.js";
import { declarationsOf } from "../../src/core/signoff/selection.js";
import { readsStateCouldNeed } from "../../src/core/signoff/state-reads.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";
import { pullRequestFacts } from "../support/pull-request-facts.js";
import { phaseYml } from "./world.js";

const NOW = new Date("2025-06-02T10:00:00Z");
const PHASE = { filename: "governance/state/phase.yml", status: "modified" as const };

async function load(changes: Record<string, string | null> = {}): Promise<Governance> {
  const r = await loadGovernance(memorySource(d9Files(changes)));
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join("\n"));
  return r.governance;
}

const facts = (g: Governance, files: PullRequestFacts["files"], head: PullRequestFacts["state"]["head"], body = ""): PullRequestFacts => pullRequestFacts(g, { files, head, body });

/** What the real gates need, as the handler decides it once the proposed text is known. */
function needed(g: Governance, f: PullRequestFacts) {
  const gates = selectGates(g, f, NOW);
  const activities = pullRequestActivities(g, f, gates);
  return {
    reviews: gates.some((x) => x.signers.length > 0) || activities.length > 0,
    incidents: gates.some((x) => x.freeze),
    records: declarationsOf(gates).length > 0,
    informed: activities.length > 0,
  };
}

let models: Map<string, Governance>;
beforeAll(async () => {
  models = new Map();
  for (const phase of ["P0", "P1", "P2", "P3", "P4"]) models.set(phase, await load({ "state/phase.yml": phaseYml(phase) }));
});

describe("reads the gates could need before the proposed state files are read", () => {
  it("a pull request proposing no state file reads nothing ahead", () => {
    const g = models.get("P3")!;
    expect(readsStateCouldNeed(g, { files: [{ filename: "services/api/main.ts", status: "modified" }], raci: true })).toEqual({ reviews: false, incidents: false, records: false, informed: false });
  });

  it("never fewer than the real gates need, for every phase a pull request can propose from every phase (and a name outside the order, and an invalid file)", () => {
    for (const [from, g] of models) {
      const ahead = readsStateCouldNeed(g, { files: [PHASE], raci: true });
      const proposals: PullRequestFacts["state"]["head"][] = [
        ...["P0", "P1", "P2", "P3", "P4", "P9"].map((to) => ({ phase: { kind: "valid" as const, value: { ...g.state.phase!, phase: to } } })),
        { phase: { kind: "invalid" as const, message: "line 1, column 1: bad" } },
        { phase: { kind: "removed" as const } },
      ];
      for (const head of proposals)
        for (const body of ["", "Rollback type: planned"]) {
          const need = needed(g, facts(g, [PHASE], head, body));
          for (const read of ["reviews", "incidents", "records", "informed"] as const) if (need[read]) expect({ from, head, read, ahead: ahead[read] }).toEqual({ from, head, read, ahead: true });
        }
    }
  });

  it("from P3 (GA next, rollbacks behind): everything, since the GA gate freezes and is an activity and a rollback declares its type", () => {
    expect(readsStateCouldNeed(models.get("P3")!, { files: [PHASE], raci: true })).toEqual({ reviews: true, incidents: true, records: true, informed: true });
  });

  it("from P0: no freezing incidents and no records (only P0 → P1 can follow, which does not freeze, and nothing is behind); the Informed comment only on events that mention", () => {
    const g = models.get("P0")!;
    expect(readsStateCouldNeed(g, { files: [PHASE], raci: true })).toEqual({ reviews: true, incidents: false, records: false, informed: true });
    expect(readsStateCouldNeed(g, { files: [PHASE], raci: false })).toEqual({ reviews: true, incidents: false, records: false, informed: false });
  });

  it("from P1: the P1 → P2 gate does not freeze (D9 allows no skips), so no incidents; a rollback to P0 is an activity, so the Informed comment", () => {
    const g = models.get("P1")!;
    expect(readsStateCouldNeed(g, { files: [PHASE], raci: true })).toMatchObject({ incidents: false, informed: true });
  });
});
