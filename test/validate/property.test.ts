/**
 * Property: whatever a random edit does to a D9 governance file, loadGovernance answers (never
 * throws), and every diagnostic points inside the file it names: line ≥ 1, column ≥ 1, the line
 * exists and the column is at most one past its end.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { d9Texts, load } from "./support.js";

const base = d9Texts();
const names = Object.keys(base).sort();

type Mutation =
  | { kind: "delete-line"; line: number }
  | { kind: "duplicate-line"; line: number }
  | { kind: "swap-chars"; at: number }
  | { kind: "indent"; line: number; by: number }
  | { kind: "tab"; line: number }
  | { kind: "replace-value"; line: number; value: string }
  | { kind: "insert"; at: number; text: string };

const yamlSnippet = fc.oneof(
  fc.constantFrom("", "[", "]", "{", "}", "{a: [b", "*a", "&a x", "!!binary x", "!tag y", "~", "null", "1e3", "0", "-1", "'", '"', "- x", "? x", "|", ">-", "x: y: z", "@bob", "#", "%YAML 1.2", "---", "...", "\t", "[[[[[]]]]]", "{ from: P9, to: P9 }", "P1", "15 mins", "9am", "ingestion/none", "__proto__", "constructor"),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete-line" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate-line" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("swap-chars" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("indent" as const), line: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant("tab" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("replace-value" as const), line: fc.nat(), value: yamlSnippet }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: yamlSnippet }),
);

function apply(text: string, m: Mutation): string {
  const lines = text.split("\n");
  const pick = (n: number) => n % Math.max(lines.length, 1);
  switch (m.kind) {
    case "delete-line":
      lines.splice(pick(m.line), 1);
      return lines.join("\n");
    case "duplicate-line": {
      const i = pick(m.line);
      lines.splice(i, 0, lines[i] ?? "");
      return lines.join("\n");
    }
    case "swap-chars": {
      if (text.length < 2) return text;
      const i = m.at % (text.length - 1);
      return text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
    }
    case "indent": {
      const i = pick(m.line);
      const line = lines[i] ?? "";
      lines[i] = m.by >= 0 ? " ".repeat(m.by) + line : line.replace(new RegExp(`^ {0,${-m.by}}`), "");
      return lines.join("\n");
    }
    case "tab": {
      const i = pick(m.line);
      lines[i] = "\t" + (lines[i] ?? "");
      return lines.join("\n");
    }
    case "replace-value": {
      const i = pick(m.line);
      const line = lines[i] ?? "";
      const colon = line.indexOf(": ");
      lines[i] = colon === -1 ? m.value : line.slice(0, colon + 2) + m.value;
      return lines.join("\n");
    }
    case "insert": {
      const i = m.at % (text.length + 1);
      return text.slice(0, i) + m.text + text.slice(i);
    }
  }
}

describe("random edits of the D9 files", () => {
  it("never make loadGovernance throw, and every diagnostic is inside its file", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (name, mutations) => {
        const files = { ...base, [name]: mutations.reduce(apply, base[name]!) };
        const result = await load(files);
        expect(result.ok || result.diagnostics.length > 0).toBe(true);
        for (const d of result.diagnostics) {
          const file = d.file.replace(/^governance\//, "");
          expect(names).toContain(file);
          const lines = (files[file] ?? "").split("\n");
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines.length);
          expect(d.column).toBeLessThanOrEqual((lines[d.line - 1] ?? "").length + 1);
          expect(d.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  }, 180_000);
});
