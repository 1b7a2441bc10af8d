/**
 * Charter's own writer of state nodes (src/core/killswitch/state-emit.ts) is trusted without
 * parsing what it writes: every value it takes must read back, under the loader's parser, as
 * exactly that value, in every place it writes one (a block mapping's value, a flow list's item, a
 * flow mapping's value, two levels deep). Checked here over strings built from the characters YAML
 * treats specially (indicators, quotes, escapes, blanks, line breaks, controls, U+2028, the BOM,
 * lone and paired surrogates), with a fixed seed so a failure names its input every time.
 */
import { describe, expect, it } from "vitest";
import { emitListItem, emitScalar, emitSwitchPair } from "../../src/core/killswitch/state-emit.js";
import { parseYaml } from "../../src/load/yaml-document.js";

const read = (text: string): unknown => {
  const doc = parseYaml(text);
  expect(doc.syntaxErrors, text).toEqual([]);
  return doc.value;
};

const PIECES = [..." -:#,[]{}&*!|>'\"%@`?.\\\t\n\r~+=/();<$^_", "a", "Z", "0", "1", "9", "e", "x", "o", "\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u00a0", "\u2028", "\u2029", "\ufeff", "\ud800", "\udfff", "😀", "é", "✓", "\ufffe", "\uffff", "  ", ": ", " #", "- ", "---", "..."];
const WORDS = ["null", "Null", "~", "true", "False", "yes", "No", "on", "OFF", "y", "1e3", "0x1F", "0o17", ".inf", "-.inf", ".nan", "-1", "+1", "1_000", "12:30", "1.5", "2025-06-02", "2025-06-02T10:30:00Z", "https://github.com/o/r/issues/1#issuecomment-2", "a #b", "a: b", "a:", "a:b", "- x", "? x", "---", "...", "", " ", "a ", " a", "a  b", "workspace:eu-1", "@ana", "charter[bot]"];

/** A small seeded generator (mulberry32): the same strings on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function strings(count: number): string[] {
  const next = random(20261207);
  const out = [...WORDS];
  while (out.length < count) {
    let s = next() < 0.5 ? "" : "a";
    const length = Math.floor(next() * 7);
    for (let i = 0; i < length; i++) s += PIECES[Math.floor(next() * PIECES.length)];
    out.push(s);
  }
  return out;
}

describe("state-emit: text that reads back as the value, by construction", () => {
  it("every string reads back exactly, as a block value, in a flow list, in a flow map and two levels deep", () => {
    for (const s of strings(20_000)) {
      const e = emitScalar(s)!;
      expect(e, JSON.stringify(s)).toBeDefined();
      expect(e.includes("\n") || e.includes("\r"), JSON.stringify(s)).toBe(false); // one line, nothing folded
      expect(read(`k: ${e}\n`), JSON.stringify(s)).toEqual({ k: s });
      expect(read(`k: [ ${e}, ${e} ]\n`), JSON.stringify(s)).toEqual({ k: [s, s] });
      expect(read(`k: { a: ${e}, b: [ ${e} ] }\n`), JSON.stringify(s)).toEqual({ k: { a: s, b: [s] } });
    }
  });

  it("writes the words YAML reads as something else quoted, and ordinary values plain", () => {
    for (const word of ["null", "true", "No", "on", "1e3", "0x1F", "12:30", "1_000", "", " a", "a ", "a: b", "a #b", "@ana"]) expect(emitScalar(word), word).toMatch(/^"/);
    for (const word of ["olga-oncall", "2025-06-02T10:30:00Z", "https://github.com/o/r/issues/1#issuecomment-2", "workspace:eu-1", "Checksums differ (x/y)", "data-corruption"]) expect(emitScalar(word), word).toBe(word);
    expect(emitScalar("line\nbreak\u2028")).toBe('"line\\u000Abreak\\u2028"');
  });

  it("declines what it cannot write exactly (no null, no fractions, nothing three levels deep), so the caller takes the yaml library's path", () => {
    expect(emitScalar(null)).toBeUndefined();
    expect(emitScalar(1.5)).toBeUndefined();
    expect(emitScalar(Number.NaN)).toBeUndefined();
    expect(emitScalar(2 ** 60)).toBeUndefined();
    expect(emitSwitchPair("global", { active: true, deep: { a: { b: [1] } } })).toBeUndefined();
    expect(emitSwitchPair("global", { active: true, list: [[["x"]]] })).toBeUndefined();
    expect(emitSwitchPair("global", { "a key: with colon": true })).toBeUndefined();
    expect(emitSwitchPair("global", {})).toBeUndefined(); // an empty block map reads as null
  });

  it("writes a switch as one pair at column 2 and a log entry as one item at column 2, each reading back as given", () => {
    const next = random(7);
    const all = strings(400);
    const pick = () => all[Math.floor(next() * all.length)]!;
    for (let i = 0; i < 200; i++) {
      const sw = { active: next() < 0.5, since: "2025-06-02T10:30:00Z", by: "olga-oncall", reason: pick(), approval: { status: "pending", roles: [pick(), pick()], due: pick() }, notified: [pick()], rolled_back: true };
      const pair = emitSwitchPair("workspace:eu-1", sw)!;
      expect(pair.startsWith("  workspace:eu-1:\n    active: ")).toBe(true);
      expect(read(`version: 1\nswitches:\n${pair}`)).toEqual({ version: 1, switches: { "workspace:eu-1": sw } });
      const entry = { id: pick() || "x", timestamp: "2025-06-02T10:30:00Z", action: "activate", reason: pick(), notified: [], seq: i + 1 };
      const item = emitListItem(entry)!;
      expect(item.startsWith("  - id: ")).toBe(true);
      expect(read(`entries:\n${item}${item}`)).toEqual({ entries: [entry, entry] });
    }
  });
});
