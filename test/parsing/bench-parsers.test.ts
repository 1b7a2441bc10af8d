/**
 * `npm run bench:parse` (scripts/bench/parse.ts) and the linear-time tests (./linear.test.ts) read
 * the same list of user-text parsers (./support/parsers.ts): this checks that the bench really does,
 * and that each of its rows measures what it says (the input's length, the cap).
 */
import { describe, expect, it } from "vitest";
import { benchInputs, capText, measuredSize, PARSERS } from "../../scripts/bench/parse.js";
import { userTextParsers } from "./support/parsers.js";

const MB = 1 << 20;
const SHARED = await userTextParsers();

describe("the parse bench and the linear-time tests cover the same parsers", () => {
  it("the bench's parsers are the shared list's, every one named once", () => {
    expect(PARSERS.map((p) => p.name)).toEqual(SHARED.map((p) => p.name));
    expect(new Set(SHARED.map((p) => p.name)).size).toBe(SHARED.length);
  });

  it.each(PARSERS.map((p) => [p.name, p] as const))("%s: its inputs are as long as its row says, where the parser reads them", (_name, p) => {
    const size = measuredSize(p.cap);
    // a parser that caps inside is measured at its cap, and its row says so; every other one on 1 MB
    if (p.cap.kind === "inside") {
      expect(size).toBe(Math.min(p.cap.units, MB));
      expect(capText(p.cap)).toMatch(/inside: measured at it/);
    } else expect(size).toBe(MB);
    if (p.cap.kind !== "none") expect(capText(p.cap)).toContain(p.cap.units.toLocaleString("en"));
    for (const { input, text, half, full } of benchInputs(p)) {
      expect(input).toContain(size === MB ? "1 MB" : size.toLocaleString("en"));
      expect([text.length, half.length, full.length]).toEqual([size, size / 2, MB]);
      for (const t of [text, half, full]) {
        expect(t.startsWith(p.bench.prefix)).toBe(true);
        expect(t.endsWith(p.bench.suffix ?? "")).toBe(true);
      }
    }
  });
});
