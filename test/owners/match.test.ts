import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OwnersRule } from "../../src/core/model/owners.js";
import { matchesPattern, owningRule } from "../../src/core/owners/match.js";

/** The definition: scan every rule from the last one up. owningRule must always agree with it. */
function bruteForce(rules: readonly OwnersRule[], path: string): OwnersRule | undefined {
  for (let i = rules.length - 1; i >= 0; i--) if (matchesPattern(rules[i]!.pattern, path)) return rules[i];
  return undefined;
}

const segment = fc.constantFrom("docs", "db", "migrations", "infra", "a", "b", "x.sql", "y.ts", "logs", "apps");
const patternSegment = fc.constantFrom("docs", "db", "migrations", "infra", "a", "b", "*", "**", "*.sql", "?.ts", "logs", "apps");
const pattern = fc
  .tuple(fc.boolean(), fc.array(patternSegment, { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([lead, segs, trail]) => `${lead ? "/" : ""}${segs.join("/")}${trail ? "/" : ""}`);
const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join("/"));

describe("OWNERS matching (last matching line wins)", () => {
  it("follows GitHub's CODEOWNERS examples", () => {
    const rules: OwnersRule[] = [
      { pattern: "*", owners: [{ kind: "role", id: "everyone-default" }], line: 1 },
      { pattern: "*.js", owners: [{ kind: "role", id: "js" }], line: 2 },
      { pattern: "/docs/", owners: [{ kind: "role", id: "docs" }], line: 3 },
      { pattern: "docs/*", owners: [{ kind: "role", id: "docs-direct" }], line: 4 },
      { pattern: "apps/", owners: [{ kind: "role", id: "apps" }], line: 5 },
      { pattern: "**/logs", owners: [{ kind: "role", id: "logs" }], line: 6 },
      { pattern: "/db/migrations/", owners: [{ kind: "role", id: "database-owner" }], line: 7 },
    ];
    const owner = (p: string) => owningRule(rules, p)?.owners[0];
    expect(owner("src/index.js")).toEqual({ kind: "role", id: "js" });
    expect(owner("docs/getting-started.md")).toEqual({ kind: "role", id: "docs-direct" });
    expect(owner("docs/build-app/troubleshooting.md")).toEqual({ kind: "role", id: "docs" });
    expect(owner("web/apps/x.ts")).toEqual({ kind: "role", id: "apps" });
    expect(owner("build/logs/today.txt")).toEqual({ kind: "role", id: "logs" });
    expect(owner("db/migrations/001.sql")).toEqual({ kind: "role", id: "database-owner" });
    expect(owner("README.md")).toEqual({ kind: "role", id: "everyone-default" });
  });

  it("the index never changes the answer: random OWNERS files and paths agree with a full scan", () => {
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 30 }), fc.array(path, { minLength: 1, maxLength: 20 }), (patterns, paths) => {
        const rules: OwnersRule[] = patterns.map((p, i) => ({ pattern: p, owners: [], line: i + 1 }));
        for (const p of paths) expect(owningRule(rules, p)).toBe(bruteForce(rules, p));
      }),
      { seed: 20251122, numRuns: 400 },
    );
  });
});
