/**
 * The swap gate in the sign-off core (src/core/signoff/swap.ts): who signs Charter's swap and
 * override pull requests, and what makes the gate fall back to the owners of governance/.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Governance } from "../../src/core/model/governance.js";
import type { OncallFile } from "../../src/core/model/oncall.js";
import { drillWarnings } from "../../src/core/drill/warnings/index.js";
import { overridesDigest, type PlacedOverride } from "../../src/core/oncall/swap/digest.js";
import { parseInstantArg } from "../../src/core/oncall/swap/instant.js";
import { parseOverrideArgs, parseSwapArgs } from "../../src/core/oncall/swap/args.js";
import { evaluateSignoff } from "../../src/core/signoff/evaluate.js";
import type { PullRequestFacts, ReviewFact, ReviewState } from "../../src/core/signoff/facts.js";
import { selectGates } from "../../src/core/signoff/select.js";
import type { RequestMarker } from "../../src/core/trust/request.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";

const HEAD = "h".repeat(40);
const NOW = new Date("2025-06-02T10:00:00Z");
let D9: Governance;

beforeAll(async () => {
  const r = await loadGovernance(memorySource(d9Files()));
  if (!r.ok) throw new Error("D9 does not load");
  D9 = r.governance;
});

const SWAP: PlacedOverride[] = [
  { schedule: "ingestion", override: { tier: "primary", from: "2025-06-09T09:00+02:00", until: "2025-06-16T09:00+02:00", who: "oscar-oncall", replaces: "omar-oncall", reason: "swap omar-oncall ↔ oscar-oncall (#7)" } },
];

function withAdded(base: OncallFile, list: readonly PlacedOverride[]): OncallFile {
  const out = structuredClone(base);
  for (const p of list) out.schedules[p.schedule]!.overrides = [...(out.schedules[p.schedule]!.overrides ?? []), p.override];
  return out;
}

function swapFacts(by: string, options: { added?: PlacedOverride[]; sealed?: PlacedOverride[]; people?: string[] } = {}): PullRequestFacts {
  const request: RequestMarker = { kind: "swap", issue: 7, by, people: options.people ?? ["omar-oncall", "oscar-oncall"], change: overridesDigest(options.sealed ?? SWAP) };
  return {
    number: 40,
    author: { login: "charter[bot]", type: "Bot" },
    headSha: HEAD,
    baseRef: "main",
    defaultBranch: "main",
    draft: false,
    body: "",
    labels: [],
    files: [{ filename: "governance/oncall.yml", status: "modified" }],
    state: { base: { oncall: D9.oncall! }, head: { oncall: { kind: "valid", value: withAdded(D9.oncall!, options.added ?? SWAP) } } },
    request: { kind: "charter", request },
  };
}

let id = 1;
const rv = (login: string, state: ReviewState = "APPROVED"): ReviewFact => ({ id: id++, login, userType: "User", state, commitId: HEAD, submittedAt: "2025-06-02T09:00:00Z", association: "MEMBER" });

function verdict(facts: PullRequestFacts, reviews: ReviewFact[]) {
  const gates = selectGates(D9, facts, NOW);
  return { gates, tree: evaluateSignoff({ governance: D9, facts, gates, reviews, now: NOW }) };
}

describe("who signs a swap", () => {
  it("a third person's approval does not count; the SRE Lead's counts on behalf of one person, not two", () => {
    const facts = swapFacts("sam-sre");
    const { gates } = verdict(facts, []);
    expect(gates.map((g) => g.key)).toEqual(["oncall:swap"]);
    expect(verdict(facts, [rv("ana-owner"), rv("rita-reporter")]).tree.passed).toBe(false);
    expect(verdict(facts, [rv("omar-oncall"), rv("sid-sre")]).tree.passed).toBe(true); // sid-sre (SRE Lead backup) for oscar
    expect(verdict(facts, [rv("sid-sre")]).tree.passed).toBe(false); // one person stands in for one
  });

  it("the requester's consent is their request: the other person's approval passes it; the requester's own review never counts", () => {
    const facts = swapFacts("omar-oncall");
    expect(selectGates(D9, facts, NOW)[0]!.signers).toEqual([{ kind: "user", login: "oscar-oncall", onBehalf: ["sre-lead"] }]);
    const own = verdict(facts, [rv("omar-oncall")]).tree;
    expect(own.passed).toBe(false);
    expect(own.ignored).toContainEqual({ login: "omar-oncall", why: "asked Charter for this pull request (its sealed request): their own review never counts" });
    expect(verdict(facts, [rv("oscar-oncall")]).tree.passed).toBe(true);
  });

  it("a change request by a person involved blocks it", () => {
    expect(verdict(swapFacts("omar-oncall"), [rv("oscar-oncall", "CHANGES_REQUESTED"), rv("sid-sre")]).tree.passed).toBe(false);
  });

  it("overrides other than the sealed ones: the owners of governance/ sign instead", () => {
    const extra: PlacedOverride = { schedule: "ingestion", override: { ...SWAP[0]!.override, until: "2025-06-23T09:00+02:00" } };
    const { gates, tree } = verdict(swapFacts("omar-oncall", { added: [extra] }), [rv("oscar-oncall")]);
    expect(gates.map((g) => g.key)).toEqual(["owners:17"]);
    expect(gates[0]!.reasons.join("\n")).toContain("are not those of the swap Charter's sealed request asked for");
    expect(tree.passed).toBe(false);
  });

  it("a change beyond the overrides (a rotation edited) is not a swap either", () => {
    const facts = swapFacts("omar-oncall");
    const head = facts.state.head.oncall!;
    if (head.kind !== "valid") throw new Error("valid");
    head.value.schedules.ingestion!.tiers.primary!.layers[0]!.participants = ["omar-oncall"];
    expect(selectGates(D9, facts, NOW).map((g) => g.key)).toEqual(["owners:17"]);
  });
});

describe("the validator and the drill flag a swap that puts one person in two tiers", () => {
  it("the swap gate shows the double-tier warning (it does not block: the people involved decide)", () => {
    const double: PlacedOverride[] = [{ schedule: "ingestion", override: { tier: "primary", from: "2025-06-10T09:00+02:00", until: "2025-06-11T09:00+02:00", who: "opal-oncall", replaces: "omar-oncall", reason: "override: opal-oncall covers omar-oncall (#7)" } }];
    const facts = swapFacts("opal-oncall", { added: double, sealed: double, people: ["opal-oncall", "omar-oncall"] });
    const { gates, tree } = verdict(facts, [rv("omar-oncall")]);
    expect(gates[0]!.notices).toEqual([expect.stringContaining("Warning: `opal-oncall` is on call for `ingestion/primary` and `ingestion/secondary` at once")]);
    expect(tree.passed).toBe(true);
  });

  it("the swap gate says when the swap puts someone on call while they are unavailable", () => {
    const away: OncallFile = { ...D9.oncall!, unavailable: [{ who: "oscar-oncall", from: "2025-06-10", to: "2025-06-12", reason: "vacation" }] };
    const facts = swapFacts("omar-oncall");
    facts.state = { base: { oncall: away }, head: { oncall: { kind: "valid", value: withAdded(away, SWAP) } } };
    const gates = selectGates({ ...D9, oncall: away }, facts, NOW);
    expect(gates.map((g) => g.key)).toEqual([gates[0]!.key]);
    expect(gates[0]!.kind).toBe("oncall");
    expect(gates[0]!.notices).toEqual([
      "Warning: `overrides.1` of schedule `ingestion` puts `oscar-oncall` on call for `ingestion/primary` from Tue 2025-06-10 00:00 CEST to Fri 2025-06-13 00:00 CEST, while they are unavailable (vacation): an override is an explicit choice and is not skipped, so pages would reach them",
    ]);
  });

  it("after an override puts the secondary on the primary tier, `charter validate`'s warnings name it", () => {
    const merged = { ...D9, oncall: withAdded(D9.oncall!, [{ schedule: "ingestion", override: { tier: "primary", from: "2025-06-10T09:00+02:00", until: "2025-06-11T09:00+02:00", who: "opal-oncall", replaces: "omar-oncall", reason: "override: opal-oncall covers omar-oncall (#7)" } }]) };
    const warnings = drillWarnings(merged, { from: NOW, until: new Date("2025-07-28T10:00:00Z") }).filter((w) => w.kind === "two-tiers");
    expect(warnings.map((w) => w.message)).toContainEqual(expect.stringContaining("`opal-oncall` is on call for `ingestion/primary` and `ingestion/secondary` at once"));
  });
});

describe("parsers of user text: bounded and linear", () => {
  it("a 40-character cap on instants, and a long hostile word is refused at once", () => {
    const start = performance.now();
    expect(parseInstantArg("2".repeat(100_000), "Europe/Berlin")).toMatchObject({ ok: false });
    expect(parseOverrideArgs(["2025-06-09", "2025-06-10", `@${"a-".repeat(50_000)}`], () => "").ok).toBe(false);
    expect(parseSwapArgs(["@a", `@${"-".repeat(100_000)}`, "x", "y"]).ok).toBe(false);
    expect(performance.now() - start).toBeLessThan(200);
  });

  it("instants: local in the zone, with an offset, a date alone; DST gaps and repeats refused", () => {
    expect(parseInstantArg("2025-03-30T03:00", "Europe/Berlin")).toEqual({ ok: true, at: new Date("2025-03-30T01:00:00Z"), local: true });
    expect(parseInstantArg("2025-10-26T03:00", "Europe/Berlin")).toEqual({ ok: true, at: new Date("2025-10-26T02:00:00Z"), local: true });
    expect(parseInstantArg("2025-11-02T01:30-05:00", "America/New_York")).toEqual({ ok: true, at: new Date("2025-11-02T06:30:00Z"), local: false });
    expect(parseInstantArg("2025-06-09", "Europe/Berlin")).toEqual({ ok: true, at: new Date("2025-06-08T22:00:00Z"), local: true });
    expect(parseInstantArg("2025-03-09T02:30", "America/New_York")).toMatchObject({ ok: false, message: expect.stringContaining("does not exist in America/New_York") });
    expect(parseInstantArg("2025-11-02T01:30", "America/New_York")).toMatchObject({ ok: false, message: expect.stringContaining("happens twice in America/New_York") });
    expect(parseInstantArg("2025-02-30", "Europe/Berlin")).toMatchObject({ ok: false });
  });
});
