/**
 * The impact preview's pure core (src/core/diff/): bounds on what a proposal can make Charter
 * compute, and the comment's sealed marker.
 */
import { describe, expect, it } from "vitest";
import { encodeImpactMarker, hasImpactMarker, impactComment, impactScope } from "../../src/core/diff/comment.js";
import { governanceImpact } from "../../src/core/diff/index.js";
import { examplePath } from "../../src/core/diff/paths.js";
import { renderImpact } from "../../src/core/diff/render.js";
import { NO_SEAL_KEYS } from "../../src/core/trust/seal.js";
import type { Governance } from "../../src/core/model/governance.js";
import { loadGovernance } from "../../src/load/load.js";
import { proposedModel } from "../../src/load/proposed.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";
import { TEST_IDENTITY } from "../support/identity.js";

const AT = new Date("2025-06-02T00:00Z");
const load = async (files: Record<string, string>) => proposedModel(await loadGovernance(memorySource(files, "governance")));
const d9 = async () => (await load(d9Files())).governance!;
const NINA = (t: string) => t.replace("holders: [ana-owner]", "holders: [ana-owner, nina-owner]");

describe("bounds: a proposal cannot make the preview unbounded", () => {
  it("more grants than the budget: authority is not compared, and the words say so", async () => {
    const base = await d9();
    const head = await load({ ...d9Files(), "roles.yml": NINA(d9Files()["roles.yml"]!) });
    const report = governanceImpact(base, head, { at: AT, maxGrants: 50 });
    expect(report.authority).toEqual([]);
    expect(report.unchanged).toBe(false);
    expect(renderImpact(report, { base, head: head.governance!, style: "text" })).toMatch(
      /^== Who gains and who loses authority ==\n\nNot compared: the files name more than 50 people-and-authority pairs, more than Charter compares for a preview; run `charter diff` on them\.\n/,
    );
  });

  it("`everyone` named in thousands of OWNERS lines over thousands of roles stays within the budget (no out-of-memory)", async () => {
    const files = d9Files();
    let roles = "";
    for (let i = 0; i < 2000; i++) roles += `  r${i}:\n    title: Role ${i}\n    holders: [p${i}a, p${i}b]\n`;
    files["roles.yml"] = files["roles.yml"]!.replace("roles:\n", `roles:\n${roles}`);
    for (let i = 0; i < 2000; i++) files["OWNERS"] += `/dir${i}/ r${i} everyone\n`;
    const head = await load(files);
    expect(head.problems).toEqual([]);
    const report = governanceImpact(await d9(), head, { at: AT });
    expect(report.authoritySkipped).toMatch(/^the files name more than 100,000 people-and-authority pairs/);
    // OWNERS is compared up to 2,000 patterns (D9's 9 and the first 1,991 new ones); the rest is said
    expect(report.paths).toHaveLength(1991);
    expect(report.pathsSkipped).toBe("9 OWNERS patterns past the first 2,000 were not compared");
    expect(renderImpact(report, { base: await d9(), head: head.governance!, style: "text" })).toContain("- … and 1966 more patterns\n\nNot compared: 9 OWNERS patterns past the first 2,000 were not compared.\n");
  });

  it("more on-call tiers than the preview simulates: on-call is not simulated, and the words say so", async () => {
    const base = await d9();
    const head = await load({ ...d9Files(), "roles.yml": NINA(d9Files()["roles.yml"]!) });
    const report = governanceImpact(base, head, { at: AT, maxTiers: 2 });
    expect(report.oncall.skipped).toBe("the proposed oncall.yml has 3 tiers, more than the 2 Charter simulates for a preview; run `charter drill warnings` on it");
    expect(renderImpact(report, { base, head: head.governance!, style: "text" })).toContain("Not simulated: the proposed oncall.yml has 3 tiers");
  });
});

describe("the sealed marker", () => {
  const scope = impactScope("acme/ingestion", 21);
  const marker = encodeImpactMarker(TEST_IDENTITY.keys, scope);
  it("verifies where it was sealed, and nowhere else", () => {
    expect(hasImpactMarker(`words\n${marker}`, TEST_IDENTITY.keys, scope)).toBe(true);
    expect(hasImpactMarker(`words\n${marker}`, TEST_IDENTITY.keys, impactScope("acme/ingestion", 22))).toBe(false);
    expect(hasImpactMarker(`words\n${marker}`, TEST_IDENTITY.keys, impactScope("acme/other", 21))).toBe(false);
    expect(hasImpactMarker(marker.replace('{"v":1}', '{"v":2}'), TEST_IDENTITY.keys, scope)).toBe(false);
    expect(hasImpactMarker(marker.replace(/seal=\S+/, "seal=unsealed"), TEST_IDENTITY.keys, scope)).toBe(false);
    expect(hasImpactMarker(undefined, TEST_IDENTITY.keys, scope)).toBe(false);
  });
  it("a marker past GitHub's longest comment is not read", () => {
    expect(hasImpactMarker(`${"x".repeat(131_072)}${marker}`, TEST_IDENTITY.keys, scope)).toBe(false);
  });
  it("without seal keys (advisory mode) Charter writes `unsealed`, accepted only where no key exists", () => {
    const unsealed = encodeImpactMarker(NO_SEAL_KEYS, scope);
    expect(unsealed).toBe('<!-- charter:impact {"v":1} seal=unsealed -->');
    expect(hasImpactMarker(unsealed, NO_SEAL_KEYS, scope)).toBe(true);
    expect(hasImpactMarker(unsealed, TEST_IDENTITY.keys, scope)).toBe(false);
  });
});

describe("example paths of OWNERS patterns", () => {
  it.each([
    ["/infra/", "infra/file"],
    ["*.sql", "file.sql"],
    ["Dockerfile", "Dockerfile"],
    ["/governance/state/phase.yml", "governance/state/phase.yml"],
    ["docs/**/*.md", "docs/file.md"],
  ])("%s → %s", (pattern, path) => {
    expect(examplePath(pattern)).toBe(path);
  });
});

describe("unchanged models", () => {
  it("the same files: unchanged, and said in one sentence", async () => {
    const base: Governance = await d9();
    const report = governanceImpact(base, await load(d9Files()), { at: AT });
    expect(report.unchanged).toBe(true);
    expect(renderImpact(report, { base, style: "markdown" })).toBe("Nothing Charter acts on changes: no authority, owner, requirement, RACI accountability or on-call assignment moves (comments, documentary keys and layout may differ).");
  });
});

describe("the comment", () => {
  it("says when GitHub listed only the first 3,000 changed files (a governance file past them is not seen)", async () => {
    const base = await d9();
    const head = await load({ ...d9Files(), "roles.yml": NINA(d9Files()["roles.yml"]!) });
    const report = governanceImpact(base, head, { at: AT });
    const scope = impactScope("acme/ingestion", 5);
    const words = (truncated: boolean) => impactComment({ report, base, head: head.governance!, defaultBranch: "main", keys: TEST_IDENTITY.keys, scope, truncated });
    expect(words(true)).toContain("Nothing here is in force until it is merged and signed off.\n\n**⚠️ This pull request changes more files than GitHub lists (3,000):** a governance file past them is not seen here, so this preview may be incomplete.\n\n### Who gains");
    expect(words(false)).not.toContain("3,000");
    expect(words(true).endsWith(`\n${encodeImpactMarker(TEST_IDENTITY.keys, scope)}`)).toBe(true);
  });
});
