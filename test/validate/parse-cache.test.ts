/**
 * What a load parses again: a file whose text (blob) changed is parsed and validated again; an
 * unchanged one is not (the same model object comes back), OWNERS included.
 */
import { describe, expect, it } from "vitest";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";

const load = async (files: Record<string, string>) => {
  const r = await loadGovernance(memorySource(files));
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("; "));
  return r.governance;
};

describe("governance parsed once per file text", () => {
  it("reuses an unchanged OWNERS (and roles.yml) when another file changes", async () => {
    const first = await load(d9Files());
    const second = await load(d9Files({ "state/phase.yml": d9Files()["state/phase.yml"]!.replace("phase: P3", "phase: P4") }));
    expect(second.state.phase?.phase).toBe("P4");
    expect(second.owners).toBe(first.owners);
    expect(second.roles).toBe(first.roles);
  });

  it("parses and validates a changed OWNERS again", async () => {
    const base = await load(d9Files());
    const owners = `${d9Files()["OWNERS"]!}/docs/ @pat-pm\n`;
    const changed = await load(d9Files({ OWNERS: owners }));
    expect(changed.owners).not.toBe(base.owners);
    expect(changed.owners.at(-1)).toMatchObject({ pattern: "/docs/" });
    const broken = await loadGovernance(memorySource(d9Files({ OWNERS: `${owners}/x/ not-an-owner!\n` })));
    expect(broken.ok).toBe(false);
  });

  it("is bounded: after many different OWNERS texts the first is parsed again", async () => {
    const text = d9Files()["OWNERS"]!;
    const first = await load(d9Files());
    for (let i = 0; i < 300; i++) await load(d9Files({ OWNERS: `${text}# ${i}\n` }));
    const again = await load(d9Files({ OWNERS: text }));
    expect(again.owners).toEqual(first.owners);
    expect(again.owners).not.toBe(first.owners);
  });
});
