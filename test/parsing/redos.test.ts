/**
 * The ReDoS gate (hardening issue #10, "linear parsing only"): `npm test` fails when any regular
 * expression in src/ can backtrack super-linearly, naming file:line and an attack string. Every
 * RegExp literal and every `RegExp(...)`/`new RegExp(...)` is found by parsing the TypeScript and
 * checked with recheck. A RegExp built from a run-time value cannot be checked and fails the gate
 * too, unless it is listed below with the reason it is safe (none is today: OWNERS patterns, the
 * one dynamic RegExp there was, are now matched without regular expressions).
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe as group, expect, it } from "vitest";
import { check, describe, regexesIn, regexesUnder, type Verdict } from "./support/regexes.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Findings accepted on purpose: `file:line text` → why it is safe. recheck answers `unknown` only
 * when it cannot analyse a pattern (a timeout, or a feature it does not support); each such entry
 * must say why the pattern is linear anyway. Empty: every RegExp in src/ is analysed and safe.
 */
const ALLOWED: Record<string, string> = {};

const key = (v: Verdict) => `${v.found.where} ${v.found.text}`;

group("ReDoS gate: every RegExp in src/ runs in linear time", () => {
  it("finds the regular expressions of src/ (a sanity check of the scan itself)", () => {
    const found = regexesUnder(ROOT, "src");
    expect(found.length).toBeGreaterThan(100);
    expect(found.map((f) => f.where)).toEqual(expect.arrayContaining([expect.stringMatching(/^src\/core\/signoff\/body\.ts:\d+$/)]));
  });

  it("no RegExp in src/ is vulnerable, dynamic or unknown (except the justified ones listed here)", { timeout: 300_000 }, () => {
    const verdicts = regexesUnder(ROOT, "src").map(check);
    const bad = verdicts.filter((v) => v.status !== "safe" && ALLOWED[key(v)] === undefined);
    expect(bad.map(describe), "super-linear or unchecked regular expressions in src/").toEqual([]);
    const stale = Object.keys(ALLOWED).filter((k) => !verdicts.some((v) => v.status !== "safe" && key(v) === k));
    expect(stale, "allow-list entries that no longer match a finding: remove them").toEqual([]);
  });
});

group("the gate catches what it must (a test of the checker)", () => {
  const planted = [
    "// a file someone might add to src/",
    "const FIELD = /^\\s*([^:]+?)\\s*:\\s*(.*)$/; // the cubic rollback-form line parser of #10",
    "const HEADING = /^###\\s+(.+?)\\s*$/;",
    "const built = new RegExp(\"^(a|a)*$\");",
    "const fromInput = (s: string) => new RegExp(s);",
    "const safe = /^[a-z][a-z0-9-]*$/;",
    "const notARegex = 6 / 3 / 2; // a division",
  ].join("\n");

  it("names file:line, the complexity and an attack string for each super-linear RegExp, and flags a dynamic one", { timeout: 60_000 }, () => {
    const found = regexesIn("src/planted.ts", planted);
    expect(found.map((f) => f.where)).toEqual(["src/planted.ts:2", "src/planted.ts:3", "src/planted.ts:4", "src/planted.ts:5", "src/planted.ts:6"]);
    const verdicts = found.map(check);
    expect(verdicts.map((v) => v.status)).toEqual(["vulnerable", "vulnerable", "vulnerable", "dynamic", "safe"]);
    const lines = verdicts.filter((v) => v.status !== "safe").map(describe);
    expect(lines[0]).toMatch(/^src\/planted\.ts:2 \/\^\\s\*\(\[\^:\]\+\?\)\\s\*:\\s\*\(\.\*\)\$\/ is vulnerable: polynomial \(degree \d\), attack .+/);
    expect(lines[1]).toMatch(/^src\/planted\.ts:3 .* is vulnerable: polynomial .*, attack .+/);
    expect(lines[2]).toMatch(/^src\/planted\.ts:4 new RegExp\("\^\(a\|a\)\*\$"\) is vulnerable: exponential, attack .+/);
    expect(lines[3]).toBe("src/planted.ts:5 new RegExp(s) is dynamic: built from a value known only at run time: its pattern cannot be checked");
  });
});
