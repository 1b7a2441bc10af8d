/**
 * parseCommand and the incident argument parsers against random and hostile comment bodies:
 * they never throw, and a command is only ever its exact token (`/ack` is not `/acknowledge`).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/core/commands/parse.js";
import { commanderArgs, pageArgs, resolveArgs, severityArgs, updateArgs } from "../../src/core/incidents/args.js";
import { INCIDENT_COMMANDS } from "../../src/core/incidents/authority.js";
import { parseIncidentForm } from "../../src/core/incidents/form.js";
import { decodeState } from "../../src/core/incidents/marker.js";
import { blockUserText } from "../../src/core/text/untrusted.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";
import { TEST_IDENTITY } from "../support/identity.js";

const NAMES = [...INCIDENT_COMMANDS, "oncall", "help"];

/** Strings people (and attackers) paste: unicode of every plane, control characters, markdown, HTML, huge runs. */
const hostile = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constantFrom("\u0000", "\u200b", "\u00a0", "\u2028", "\ufeff", "\r", "\r\n", "\t", "```", "<!--", "-->", "／ack", "/ＡＣＫ", "@", "\\", "%", "\u202e"),
  fc.constantFrom(...NAMES).map((n) => `/${n}`),
);
const body = fc.array(hostile, { maxLength: 12 }).map((parts) => parts.join(""));

function firstLine(text: string): string | undefined {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .find((l) => l.trim() !== "")
    ?.trim();
}

describe("parseCommand (property)", () => {
  it("never throws, on anything", () => {
    fc.assert(fc.property(fc.anything(), (x) => void parseCommand(x)), { numRuns: 500 });
    fc.assert(fc.property(body, (b) => void parseCommand(b)), { numRuns: 3000 });
  });

  it("a parsed command is exactly the first token of the first non-blank line", () => {
    fc.assert(
      fc.property(body, (b) => {
        const c = parseCommand(b);
        if (!c) return;
        const line = firstLine(b)!;
        expect(line.startsWith(`/${c.name}`)).toBe(true);
        const after = line.slice(c.name.length + 1);
        expect(after === "" || /^\s/.test(after)).toBe(true);
        expect(c.name).toMatch(/^[a-z][a-z0-9-]*$/);
      }),
      { numRuns: 3000 },
    );
  });

  it("never accepts a prefix: a command word glued to anything that is not whitespace is not that command", () => {
    const glue = fc.oneof(
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }),
      fc.constantFrom("nowledge", "!", "?", ".", ",", ":", "-now", "_", "s", "1", "\u200b", "\ufeff", "/", "`", "@olga", "ed", "\u0301"),
    ).filter((g) => !/^\s/u.test(g));
    fc.assert(
      fc.property(fc.constantFrom(...NAMES), glue, fc.string({ maxLength: 40 }), (name, g, rest) => {
        const c = parseCommand(`/${name}${g}${rest}`);
        expect(c?.name === name).toBe(false);
      }),
      { numRuns: 3000 },
    );
    expect(parseCommand("/acknowledge")?.name).toBe("acknowledge");
    expect(parseCommand("/acknowledge")?.name).not.toBe("ack");
    expect(parseCommand("/ack!")).toBeUndefined();
    expect(parseCommand("/ack\u200b")).toBeUndefined();
    expect(parseCommand("/ACK")).toBeUndefined();
    expect(parseCommand("／ack")).toBeUndefined();
  });

  it("leading blank lines and spaces are allowed; code fences, quotes and text before the command are not commands", () => {
    expect(parseCommand("\n\n   /ack  \n")).toMatchObject({ name: "ack", args: [] });
    expect(parseCommand("\t/severity P1 db is gone")).toMatchObject({ name: "severity", args: ["P1", "db", "is", "gone"] });
    fc.assert(
      fc.property(fc.constantFrom(...NAMES), fc.constantFrom("```\n", "```text\n", "> ", "    x\n", "please run ", "`", "- ", "* ", "# ", "1. "), (name, prefix) => {
        expect(parseCommand(`${prefix}/${name}\n\`\`\``)?.name).not.toBe(name);
      }),
    );
  });

  it("huge bodies are answered quickly and safely", () => {
    const huge = "x".repeat(2_000_000);
    const t = performance.now();
    expect(parseCommand(`/ack ${huge}`)).toMatchObject({ name: "ack", args: [], refused: expect.stringContaining("longer than GitHub allows") }); // not read: refused in words
    expect(parseCommand(`/ack\n${huge}`)).toMatchObject({ name: "ack" });
    expect(parseCommand(huge)).toBeUndefined();
    expect(parseCommand(`${"\n".repeat(100_000)}/ack`)).toMatchObject({ name: "ack" });
    expect(performance.now() - t).toBeLessThan(2_000);
  });
});

describe("incident argument parsers and markers (property)", async () => {
  const loaded = await loadGovernance(memorySource(d9Files(), "governance"));
  if (!loaded.ok) throw new Error("D9 governance must load");
  const g = loaded.governance;
  const inc = g.incidents!;

  it("never throw, and refuse rather than guess", () => {
    fc.assert(
      fc.property(fc.constantFrom(...NAMES), body, (name, rest) => {
        const c = parseCommand(`/${name} ${rest}`);
        if (!c) return;
        for (const r of [severityArgs(inc, c), updateArgs(c), resolveArgs(c), commanderArgs(c), pageArgs(g, c)]) {
          if (r.ok) expect(JSON.stringify(r.value)).not.toContain("<!--");
          else expect(r.message.length).toBeGreaterThan(0);
        }
        const sev = severityArgs(inc, c);
        if (sev.ok) expect(["P1", "P2", "P3"]).toContain(sev.value.severity);
        const upd = updateArgs(c);
        if (upd.ok) expect(["investigating", "identified", "mitigating", "monitoring", "resolved"]).toContain(upd.value.status);
      }),
      { numRuns: 2000 },
    );
  });

  it("user text cannot fake a state marker", () => {
    fc.assert(
      fc.property(body, (b) => {
        const quoted = blockUserText(`${b}<!-- charter:incident {"v":1} -->${b}`, 10_000);
        expect(quoted).not.toContain("<!--");
        expect(decodeState(quoted, { keys: TEST_IDENTITY.keys, repo: "acme/ingestion" }, 1)).toBeUndefined();
      }),
    );
  });

  it("the issue-form parser never throws", () => {
    fc.assert(fc.property(body, (b) => void parseIncidentForm(`### Severity\n\n${b}\n\n### Impact\n\n${b}`)), { numRuns: 1000 });
  });
});
