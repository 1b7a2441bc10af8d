import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OwnersRule } from "../../src/core/model/owners.js";
import { matchesPattern, owningRule } from "../../src/core/owners/match.js";
import { parseOwners } from "../../src/core/owners/parse.js";
import { referenceMatches } from "./reference.js";

/** The definition: scan every rule from the last one up with the reference matcher. */
function reference(rules: readonly OwnersRule[], path: string): OwnersRule | undefined {
  for (let i = rules.length - 1; i >= 0; i--) if (referenceMatches(rules[i]!.pattern, path)) return rules[i];
  return undefined;
}

const segment = fc.constantFrom("docs", "db", "migrations", "infra", "a", "b", "x.sql", "y.ts", "logs", "apps", "*", "?", "a b", "f*o", "foo", "ab", "a\\b");
const patternSegment = fc.constantFrom("docs", "db", "migrations", "infra", "a", "b", "*", "**", "***", "*.sql", "?.ts", "logs", "apps", "f*", "*o", "f\\*o", "\\*", "\\?", "a\\ b", "a?", "**b", "a\\\\b", "", "foo");
const pattern = fc
  .tuple(fc.boolean(), fc.array(patternSegment, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean())
  .map(([lead, segs, trail, loneBackslash]) => `${lead ? "/" : ""}${segs.join("/")}${trail ? "/" : ""}${loneBackslash && !trail ? "\\" : ""}`)
  .filter((p) => p !== "");
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

  it("the fast matcher agrees with the reference matcher on random patterns (escapes, `*`, `?`, `**`, slashes) and paths", () => {
    fc.assert(
      fc.property(pattern, path, (p, f) => {
        expect(matchesPattern(p, f), `${p} vs ${f}`).toBe(referenceMatches(p, f));
      }),
      { seed: 20251123, numRuns: 20_000 },
    );
  });

  it("the index never changes the answer: random OWNERS files and paths agree with a full scan by the reference matcher", () => {
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 30 }), fc.array(path, { minLength: 1, maxLength: 20 }), (patterns, paths) => {
        const rules: OwnersRule[] = patterns.map((p, i) => ({ pattern: p, owners: [], line: i + 1 }));
        for (const p of paths) expect(owningRule(rules, p)).toBe(reference(rules, p));
      }),
      { seed: 20251122, numRuns: 400 },
    );
  });

  it("stays fast on a large OWNERS file: 10,000 lines, 3,000 paths, against scanning every line in the same run", () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => `/services/svc-${i}/ role-${i % 50}\n/services/svc-${i}/**/*.sql db-${i % 7}`).join("\n");
    const { rules } = parseOwners(`* default-owner\n*.md docs\n${lines}`);
    const paths = Array.from({ length: 3_000 }, (_, i) => `services/svc-${(i * 7) % 5_000}/src/module-${i}/file-${i}.${i % 3 ? "ts" : "sql"}`);
    const scan = (p: string) => {
      for (let i = rules.length - 1; i >= 0; i--) if (matchesPattern(rules[i]!.pattern, p)) return rules[i];
      return undefined;
    };
    owningRule(rules, paths[0]!); // builds the index once
    const t0 = performance.now();
    const indexed = paths.map((p) => owningRule(rules, p));
    const t1 = performance.now();
    const scanned = paths.slice(0, 300).map(scan);
    const t2 = performance.now();
    expect(indexed.slice(0, 300)).toEqual(scanned);
    for (const i of [0, 1, 2, 299]) expect(indexed[i]).toBe(reference(rules, paths[i]!));
    // per path, the index costs a small fraction of scanning every line
    expect((t1 - t0) / 3_000).toBeLessThan((t2 - t1) / 300 / 10);
  });
});
