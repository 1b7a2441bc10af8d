/**
 * A property of `/swap` (src/core/oncall/swap/plan.ts): for any window (across DST changes, not on
 * handoff boundaries) and any two people of D9's rotations, the overrides it writes make every tier
 * answer exactly as before with the two people exchanged inside the window, and exactly as before
 * outside it.
 */
import fc from "fast-check";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import type { Governance } from "../../src/core/model/governance.js";
import { OncallFile } from "../../src/core/model/oncall.js";
import { whoIsOnCall } from "../../src/core/oncall/resolve.js";
import { planSwap } from "../../src/core/oncall/swap/plan.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";

let D9: Governance;
let TEXT: string;
beforeAll(async () => {
  const files = d9Files();
  TEXT = files["oncall.yml"]!;
  const r = await loadGovernance(memorySource(files));
  if (!r.ok) throw new Error("D9 does not load");
  D9 = r.governance;
});

const PEOPLE = ["oscar-oncall", "olga-oncall", "omar-oncall", "opal-oncall"];
const TIERS = ["ingestion/primary", "ingestion/secondary", "ingestion/owner"];
const HOUR = 3_600_000;
const BASE = Date.parse("2025-03-01T00:00:00Z");

describe("/swap: the two people are exchanged inside the window, nothing changes outside", () => {
  it("holds for random windows across DST and random pairs", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 24 * 300 }), fc.integer({ min: 1, max: 24 * 20 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), (startHour, hours, i, step) => {
        const a = PEOPLE[i]!;
        const b = PEOPLE[(i + step) % 4]!;
        const from = new Date(BASE + startHour * HOUR + 17 * 60_000); // 17 minutes past: never a handoff
        const to = new Date(from.getTime() + hours * HOUR);
        const command = { name: "swap", args: [`@${a}`, `@${b}`, from.toISOString().replace(".000", ""), to.toISOString().replace(".000", "")], text: "", details: "" };
        const plan = planSwap(D9, command, { actor: a, at: new Date(BASE), link: "https://github.com/acme/ingestion/issues/7#issuecomment-1", cause: 1, issue: 7, association: "MEMBER" });
        if (!plan.ok) {
          expect(plan.message).toMatch(/nothing to swap|both on call/);
          return;
        }
        if (plan.kind !== "pull-request") throw new Error(plan.kind);
        const after = OncallFile.parse(parse(plan.pr.edits[0]!.edit(TEXT)));
        const swap = (w: string) => (w === a ? b : w === b ? a : w);
        const instants = [from.getTime(), to.getTime() - 60_000, to.getTime(), from.getTime() - 60_000];
        for (let t = from.getTime(); t < to.getTime(); t += 5 * HOUR) instants.push(t);
        for (const t of instants) {
          const inside = t >= from.getTime() && t < to.getTime();
          for (const tier of TIERS) {
            const before = whoIsOnCall(D9.oncall, tier, new Date(t)).who;
            const now = whoIsOnCall(after, tier, new Date(t)).who;
            expect(now, `${tier} at ${new Date(t).toISOString()}`).toEqual(inside ? before.map(swap) : before);
          }
        }
      }),
      { numRuns: 40, seed: 14_2 },
    );
  });
});
