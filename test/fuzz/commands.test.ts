/**
 * Fuzzing the comment-command parser (src/core/commands/parse.ts) with fast-check, fixed seeds.
 * The brief's rules: a command is an exact token at the start of the first non-blank line
 * (`/ack` is not `/acknowledge`), bad input never throws, and what is parsed is what was typed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommand, restAfter } from "../../src/core/commands/parse.js";

const SEED = 7_000_001;
const RUNS = 2_000;

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
const word = fc.stringMatching(/^[^\s]{1,12}$/);
const space = fc.constantFrom(" ", "  ", "\t", " \t ");
const blankLines = fc.array(fc.constantFrom("", " ", "\t", "  \t"), { maxLength: 3 }).map((ls) => ls.map((l) => `${l}\n`).join(""));
const anyText = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "grapheme", maxLength: 80 }), fc.string({ unit: "binary", maxLength: 80 }));

/** `/name arg1  arg2\tdetails…` as a person might type it. */
const typed = fc.record({ name, args: fc.array(word, { maxLength: 6 }), seps: fc.array(space, { minLength: 6, maxLength: 6 }), lead: blankLines, indent: fc.constantFrom("", " ", "\t"), details: fc.string({ maxLength: 60 }) });

describe("parseCommand, fuzzed", () => {
  it("never throws, whatever the input (strings of any unit, non-strings)", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.anything()), (input) => {
        const parsed = parseCommand(input);
        if (parsed !== undefined) expect(typeof input).toBe("string");
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("what it parses is what the first non-blank line says: a lower-case name as a whole token, args without whitespace, text on one line", () => {
    fc.assert(
      fc.property(anyText, (input) => {
        const parsed = parseCommand(input);
        if (parsed === undefined) return;
        expect(parsed.name).toMatch(/^[a-z][a-z0-9-]*$/);
        const first = input.replace(/\r\n?/g, "\n").split("\n").find((l) => l.trim() !== "")!.trim();
        expect(first.startsWith(`/${parsed.name}`)).toBe(true);
        const after = first.slice(parsed.name.length + 1);
        expect(after === "" || /^\s/.test(after)).toBe(true);
        expect(parsed.text).toBe(after.trim());
        expect(parsed.text).not.toMatch(/\n/);
        for (const a of parsed.args) expect(a).toMatch(/^\S+$/);
        expect(parsed.args.join(" ")).toBe(parsed.text.split(/\s+/).filter(Boolean).join(" "));
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it("round trip: a typed command parses back to its name and words, whatever the blank lines, indentation, tabs and line endings", () => {
    fc.assert(
      fc.property(typed, fc.boolean(), (t, crlf) => {
        const line = `/${t.name}${t.args.map((a, i) => `${t.seps[i]}${a}`).join("")}`;
        let body = `${t.lead}${t.indent}${line}\n${t.details}`;
        if (crlf) body = body.replace(/\n/g, "\r\n");
        const parsed = parseCommand(body);
        expect(parsed?.name).toBe(t.name);
        expect(parsed?.args).toEqual(t.args);
        expect(parsed?.details).toBe(t.details.replace(/\r\n?/g, "\n").trim());
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
  });

  it("exact tokens: `/name` followed by more name characters or punctuation is never `name`", () => {
    fc.assert(
      fc.property(name, fc.stringMatching(/^[a-z0-9\-!?.,:;/_'"]{1,6}$/), fc.string({ maxLength: 20 }), (n, glued, rest) => {
        const parsed = parseCommand(`/${n}${glued} ${rest}`);
        expect(parsed?.name).not.toBe(n);
      }),
      { seed: SEED + 3, numRuns: RUNS },
    );
  });

  it("a command must lead: text before it on its line, upper case, or a quote makes it not a command", () => {
    fc.assert(
      fc.property(name, fc.constantFrom("> ", "see ", "`", "*", "-", "\\"), (n, prefix) => {
        expect(parseCommand(`${prefix}/${n}`)).toBeUndefined();
        expect(parseCommand(`/${n.toUpperCase()}X`)?.name).not.toBe(n);
      }),
      { seed: SEED + 4, numRuns: 500 },
    );
  });

  it("restAfter(n) is the text after the first n words, with its inner spacing kept", () => {
    fc.assert(
      fc.property(typed, fc.nat({ max: 7 }), (t, n) => {
        const parsed = parseCommand(`/${t.name}${t.args.map((a, i) => `${t.seps[i]}${a}`).join("")}`)!;
        const rest = restAfter(parsed, n);
        expect(rest.split(/\s+/).filter(Boolean)).toEqual(t.args.slice(n));
        expect(parsed.text.endsWith(rest)).toBe(true);
      }),
      { seed: SEED + 5, numRuns: RUNS },
    );
  });

  it("a command line longer than 2,000 characters is not parsed but refused in words (bounded work per comment), at any body size up to GitHub's 65,536", () => {
    fc.assert(
      fc.property(name, fc.integer({ min: 2_001, max: 65_536 }), (n, length) => {
        const line = `/${n} ${"x".repeat(Math.max(0, length - n.length - 2))}`;
        expect(parseCommand(line)).toEqual({ name: n, args: [], text: "", details: "", refused: "the command line is longer than 2,000 characters, so Charter does not read it" });
        expect(parseCommand(`/${n} ok\n${"y".repeat(length)}`)?.name).toBe(n);
      }),
      { seed: SEED + 6, numRuns: 50 },
    );
  });
});
