/**
 * Fuzzing the governance loader, fixed seeds. Extends test/validate/property.test.ts (textual
 * edits of one D9 file) with what it does not cover:
 *
 * - structure-aware mutations: parse a D9 file, change, delete, rename or duplicate a value at a
 *   random path, write it back as YAML; several files at once;
 * - whole files replaced by random YAML, by random bytes, or removed;
 * - a model that still loads must never crash what runs on it: which gates apply to a pull
 *   request, the sign-off evaluation and the check run's rendering (a valid but odd model is
 *   exactly what the app meets in a repository);
 * - YAML alias bombs and deep nesting answer quickly;
 * - random OWNERS lines: parseOwners never throws and locates every problem.
 */
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import type { Governance } from "../../src/core/model/governance.js";
import { parseOwners } from "../../src/core/owners/parse.js";
import { signoffCheck } from "../../src/core/signoff/check.js";
import { evaluateSignoff } from "../../src/core/signoff/evaluate.js";
import type { PullRequestFacts, ReviewFact } from "../../src/core/signoff/facts.js";
import { selectGates } from "../../src/core/signoff/select.js";
import { d9Texts, load } from "../validate/support.js";

const SEED = 7_000_101;
const base = d9Texts();
const yamlNames = Object.keys(base).filter((n) => n.endsWith(".yml")).sort();
const NOW = new Date("2025-06-04T13:00:00Z");
const HEAD = "h".repeat(40);

type Path = (string | number)[];

/** Every path to a value in a parsed document (objects and arrays included). */
function paths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

type Mutation = { kind: "set"; at: number; value: unknown } | { kind: "delete"; at: number } | { kind: "rename"; at: number; to: string } | { kind: "duplicate"; at: number };

const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom("", "P1", "P9", "15m", "-5m", "0m", "999999h", "anyone", "everyone", "on-call", "@ghost", "org/", "/", "*", "**", "../x", "__proto__", "constructor", "Europe/Nowhere", "25:00", "monday", "2025-02-30", null, true, 0, -1, 1e308, [], {}),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(), value: oddValue }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("rename" as const), at: fc.nat(), to: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("__proto__", "who", "roles", "holders", "after", "P1", "global")) }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat() }),
);

function mutate(doc: unknown, m: Mutation): unknown {
  const all = paths(doc).filter((p) => p.length > 0);
  if (all.length === 0) return doc;
  const path = all[m.at % all.length]!;
  const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], doc) as Record<string | number, unknown> | unknown[];
  const key = path[path.length - 1]!;
  switch (m.kind) {
    case "set":
      (parent as Record<string | number, unknown>)[key] = m.value;
      break;
    case "delete":
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, unknown>)[key as string];
      break;
    case "rename":
      if (!Array.isArray(parent)) {
        const value = (parent as Record<string, unknown>)[key as string];
        delete (parent as Record<string, unknown>)[key as string];
        Object.defineProperty(parent, m.to, { value, enumerable: true, configurable: true, writable: true });
      }
      break;
    case "duplicate":
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(parent[key as number]));
      break;
  }
  return doc;
}

/** A pull request that touches every kind of thing the gates look at: the phase, the switches, the log, owned paths. */
function facts(g: Governance, body: string): PullRequestFacts {
  return {
    number: 1,
    author: { login: "rita-release", type: "User" },
    headSha: HEAD,
    baseRef: "main",
    defaultBranch: "main",
    draft: false,
    body,
    labels: [],
    files: [
      { filename: "governance/state/phase.yml", status: "modified" },
      { filename: "governance/roles.yml", status: "modified" },
      { filename: "db/migrations/001.sql", status: "added" },
      { filename: "infra/main.tf", status: "renamed", previousFilename: "infra/old.tf" },
    ],
    state: { base: { phase: g.state.phase, killswitch: g.state.killswitch, log: g.state.log }, head: g.state.phase ? { phase: { kind: "valid", value: { ...g.state.phase, phase: "P4" } } } : {} },
  };
}

const REVIEWERS = ["ana-owner", "ben-owner", "pat-pm", "sam-sre", "rita-release", "olga-oncall", "dora-db", "renovate[bot]"];
const reviews = fc.array(
  fc.record({ who: fc.constantFrom(...REVIEWERS), state: fc.constantFrom("APPROVED" as const, "CHANGES_REQUESTED" as const, "COMMENTED" as const, "DISMISSED" as const), head: fc.boolean(), minute: fc.nat({ max: 60 }) }),
  { maxLength: 8 },
);

/** Whatever loads must evaluate: gates, sign-off, and the check run's text, without throwing. */
function evaluateAll(g: Governance, history: { who: string; state: ReviewFact["state"]; head: boolean; minute: number }[]): void {
  const f = facts(g, "- [x] Technical criteria met, system stable\nRollback type: emergency\n");
  const gates = selectGates(g, f, NOW);
  const rs: ReviewFact[] = history.map((h, i) => ({ id: i + 1, login: h.who, userType: h.who.endsWith("[bot]") ? "Bot" : "User", state: h.state, commitId: h.head ? HEAD : "0".repeat(40), submittedAt: new Date(NOW.getTime() - (60 - h.minute) * 60_000).toISOString() }));
  const tree = evaluateSignoff({ governance: g, facts: f, gates, reviews: rs, now: NOW, incidents: [] });
  const out = signoffCheck(tree, { repoUrl: "https://github.com/acme/ingestion", branch: "main", sha: "a".repeat(40) });
  expect(["success", "failure", "action_required", "neutral"]).toContain(out.conclusion);
  expect(out.summary.length).toBeLessThanOrEqual(65_535);
}

function locatedIn(files: Record<string, string>, result: Awaited<ReturnType<typeof load>>): void {
  expect(result.ok || result.diagnostics.length > 0).toBe(true);
  for (const d of result.diagnostics) {
    const file = d.file.replace(/^governance\//, "");
    const lines = (files[file] ?? "").split("\n");
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    if (files[file] !== undefined) expect(d.line).toBeLessThanOrEqual(lines.length);
    expect(d.message.length).toBeGreaterThan(0);
  }
}

describe("the governance loader, fuzzed", () => {
  it("structure-aware mutations of several D9 files: never throws, diagnostics located, and a model that loads evaluates", async () => {
    let loaded = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...yamlNames), fc.array(mutation, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 3 }), reviews, async (edits, history) => {
        const files = { ...base };
        for (const [name, ms] of edits) files[name] = stringify(ms.reduce(mutate, parse(files[name]!) as unknown));
        const result = await load(files);
        locatedIn(files, result);
        if (result.ok) {
          loaded++;
          evaluateAll(result.governance, history);
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
    // the property is only meaningful if some mutated models still load
    expect(loaded).toBeGreaterThan(10);
  }, 240_000);

  it("files replaced by random YAML or random bytes, or removed: never throws, diagnostics located", async () => {
    const replacement = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => stringify(v)),
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.constantFrom("\uFEFFversion: 1\r\nroles: {}\r\n", "version: 1\n\0\n", "%YAML 1.1\n---\n!!python/object:os.system ls\n", "- - - - - - - - -\n", "version: 2\n", "a: &a [*a]\n"),
      fc.constant(null),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...Object.keys(base)), replacement), { minLength: 1, maxLength: 4 }), async (edits) => {
        const files: Record<string, string> = { ...base };
        for (const [name, text] of edits) {
          if (text === null) delete files[name];
          else files[name] = text;
        }
        locatedIn(files, await load(files));
      }),
      { seed: SEED + 1, numRuns: 80 },
    );
  }, 240_000);

  it("alias bombs and deep nesting are refused or loaded quickly (no exponential work)", async () => {
    const laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 10; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
    const deep = `version: 1\nroles: ${"[".repeat(5_000)}${"]".repeat(5_000)}\n`;
    for (const text of [`version: 1\n${laughs.join("\n")}\nroles: *j\n`, deep]) {
      const started = performance.now();
      const result = await load({ ...base, "roles.yml": text });
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(result.ok).toBe(false);
      locatedIn({ ...base, "roles.yml": text }, result);
    }
  }, 30_000);

  it("random OWNERS lines: parseOwners never throws, and every problem names a line of the file", () => {
    const token = fc.oneof(
      fc.constantFrom("*", "**", "/", "/services/", "*.sql", "docs/**", "!x", "\\#x", "[abc]", "@alice", "@acme/dba", "@", "@/", "sre-lead", "ingestion-owner", "role:x", "#", "# comment", "\t"),
      fc.string({ maxLength: 10 }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(token, { maxLength: 5 }).map((t) => t.join(" ")), { maxLength: 30 }), (lines) => {
        const text = lines.join("\n");
        const { rules, problems } = parseOwners(text);
        expect(Array.isArray(rules)).toBe(true);
        for (const p of problems) {
          const line = p.line;
          if (line !== undefined) {
            expect(line).toBeGreaterThanOrEqual(1);
            expect(line).toBeLessThanOrEqual(Math.max(1, lines.length));
          }
        }
      }),
      { seed: SEED + 2, numRuns: 1_000 },
    );
  });
});
