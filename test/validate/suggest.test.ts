/**
 * "Did you mean" hints: the same answers as the plain search over every candidate, and a long word
 * (a description line someone filled) answered without an edit distance per candidate.
 */
import { describe, expect, it } from "vitest";
import { closest, editDistance, type SuggestOptions } from "../../src/core/validate/suggest.js";

/** The definition: the strictly or first closest candidate, if within max(2, ⌊longer length / 3⌋). */
function reference(word: string, candidates: string[], options: SuggestOptions = {}): string | undefined {
  const scored = candidates.map((c) => ({ c, d: editDistance(word.toLowerCase(), c.toLowerCase()) }));
  const min = Math.min(...scored.map((s) => s.d));
  const first = scored.find((s) => s.d === min);
  if (!first || (options.unique && scored.some((s) => s.d === min && s.c !== first.c))) return undefined;
  return min <= Math.max(2, Math.floor(Math.max(word.length, first.c.length) / 3)) ? first.c : undefined;
}

describe("closest", () => {
  it("answers as the definition does, for words of every length against candidates of every length (seeded)", () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const word = (n: number) => Array.from({ length: n }, () => "abcde"[rnd(5)]).join("");
    for (let i = 0; i < 3000; i++) {
      const candidates = Array.from({ length: 1 + rnd(5) }, () => word(1 + rnd(12)));
      const w = word(rnd(30));
      for (const unique of [false, true]) expect(closest(w, candidates, { unique }), `${w} among ${candidates.join(",")}`).toBe(reference(w, candidates, { unique }));
    }
  });

  it("a 65,536-character word gets no suggestion (nothing that long is a typo); the bound at its edge", () => {
    const types = ["emergency", "p1-incident", "planned"];
    expect(closest("x".repeat(65_536), types)).toBeUndefined();
    // the bound is exact at its edge: 1.5 × 11 + 3 = 19.5 characters
    expect(closest("p1-incidentxxxxxxxx", types)).toBeUndefined();
    expect(closest("p1-incidnt", types)).toBe("p1-incident");
  });
});
