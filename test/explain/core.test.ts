import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { explain, renderRaci } from "../../src/core/explain/index.js";
import type { Governance } from "../../src/core/model/governance.js";
import { loadGovernance } from "../../src/load/load.js";
import { directorySource } from "../../src/load/source.js";
import { ROOT } from "./support.js";

/** The renderers are pure: the app's `/explain` calls them with a model and an instant. */
const at = new Date("2025-03-10T10:00Z");
let g: Governance;
beforeAll(async () => {
  const r = await loadGovernance(directorySource(join(ROOT, "governance"), "governance"));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  g = r.governance;
});

function variant(edit: (a: NonNullable<Governance["authority"]>) => void): Governance {
  const copy = structuredClone(g);
  edit(copy.authority!);
  return copy;
}

describe("explain(): gates beyond D9's shape", () => {
  it("with allow_skip, a skip lists every gate along the way", () => {
    const r = explain(variant((a) => (a.phases!.allow_skip = true)), "gate", ["P0", "P2"], { at });
    expect(r.ok).toBe(true);
    const text = r.ok ? r.text : "";
    expect(text).toContain("# P0 → P2 skips P1");
    expect(text).toContain("every gate along the way applies");
    expect(text).toContain("## Phase gate P0 → P1");
    expect(text).toContain("## Phase gate P1 → P2");
  });

  it("a move with no gate falls back to OWNERS; veto by named roles and four eyes off are explained", () => {
    const v = variant((a) => {
      a.phases!.gates = a.phases!.gates.filter((x) => x.from !== "P1");
      a.phases!.gates[0]!.veto = ["sre-lead"];
      a.phases!.gates[0]!.distinct = false;
    });
    const none = explain(v, "gate", ["P1", "P2"], { at });
    expect(none.ok && none.text).toContain("authority.yml defines no gate from P1 to P2. Charter falls back to OWNERS (fail safe)");
    const p0 = explain(v, "gate", ["P0", "P1"], { at });
    expect(p0.ok && p0.text).toContain("- Veto: only SRE Lead can veto");
    expect(p0.ok && p0.text).toContain("- Four eyes: off: one person who holds several required roles signs for all of them.");
  });

  it("reports failures as data: unknown (exit 1) versus usage (exit 2)", () => {
    expect(explain(g, "severity", ["P9"], { at })).toEqual({ ok: false, kind: "unknown", message: "unknown severity `P9`. Known: P1, P2, P3." });
    expect(explain(g, "resume", [], { at })).toMatchObject({ ok: false, kind: "usage" });
    expect(explain(g, "nonsense", [], { at })).toMatchObject({ ok: false, kind: "usage" });
  });
});

describe("renderRaci()", () => {
  it("without raci.columns, uses every role the activities name, in roles.yml order", () => {
    const v = variant((a) => delete a.raci!.columns);
    const r = renderRaci(v);
    expect(r.ok && r.text).toContain("| Activity | Ingestion Owner | On-Call | SRE Lead | Product Manager | Support Lead |");
  });

  it("marks a role not involved with —, gives `everyone` to roles named nowhere, joins two letters with /", () => {
    const v = variant((a) => {
      a.raci!.activities = { x: { title: "Drill", R: ["on-call"], A: ["on-call"], I: ["everyone"] }, y: { title: "Audit", A: ["sre-lead"] } };
    });
    const r = renderRaci(v);
    const text = r.ok ? r.text : "";
    expect(text).toContain("| Drill | I | R/A | I | I | I |");
    expect(text).toContain("| Audit | — | — | A | — | — |");
  });
});
