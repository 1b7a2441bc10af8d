/**
 * Editing state/killswitch.yml as text: a text whose value and switch lines are known (Charter
 * wrote it, or the loader read it) has only the changed switches' lines rewritten, and nothing is
 * parsed. The result must read exactly as the document path writes it, every other line kept byte
 * for byte; any text these rules do not cover (anchors, tags, flow style, keys at another column,
 * a comment after a switch on its line) takes the document path. And the first entry of an empty
 * log (`entries: []`, as Charter starts a new one) is written as text too.
 */
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { appendLog, editSwitches, STATE_TEMPLATES, validatedStateText } from "../../src/core/killswitch/state-text.js";
import { verifyChain } from "../../src/core/log/chain.js";
import { KillSwitchStateFile, LogFile, type LogEntry, type Switch } from "../../src/core/model/state.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { parseYaml } from "../../src/load/yaml-document.js";
import { d9Files } from "../support/governance-mock.js";

const KS = "state/killswitch.yml";
/** The file's value as the loader reads it (strictly: a duplicate key or any syntax error fails). */
const valueOf = (text: string) => {
  const doc = parseYaml(text);
  expect(doc.syntaxErrors, text).toEqual([]);
  return KillSwitchStateFile.parse(doc.value);
};
/** Another text (not remembered: an edit as text parses it once). */
const unremembered = (text: string) => `${text}\n`;
/** The same value in a text only the document path edits: one naming its YAML version (test below). */
const documentPath = (text: string) => (text.startsWith("%YAML") ? text : `%YAML 1.2\n---\n${text}`);
/** Taken as text: Charter's splice remembers the result's switch lines and keeps no yaml document. */
const spliced = (text: string) => validatedStateText(KS, text)?.switchesAt !== undefined && validatedStateText(KS, text)?.document === undefined;

const REASONS = ["checksums differ", " \n\n", "key: value", "# not a comment", "null", "0x1F", "üñïçødé ✓", "\u2028", '"double"', "'single'", "a  #b", "- dash", "[flow]"];
const on = (i: number, extra: Partial<Switch> = {}): Switch => ({
  active: true,
  since: "2025-06-02T10:30:00Z",
  by: "olga-oncall",
  scenario: "data-corruption",
  reason: REASONS[i % REASONS.length],
  severity: "P1",
  approval: { status: "pending", roles: ["ingestion-owner", "pm"], due: "2025-06-02T11:30:00Z" },
  notified: ["@ana", "@pat"],
  link: `https://github.com/o/r/issues/1#issuecomment-${i}`,
  ...extra,
});

async function loaded(ks: string): Promise<string> {
  const result = await loadGovernance(memorySource({ ...d9Files(), [KS]: ks }, "governance"));
  expect(result.ok).toBe(true);
  return ks;
}

describe("editing kill-switches as text", () => {
  it("reads exactly as the document path writes it, over a run of activations, changes and removals, keeping every other line", async () => {
    const start = await loaded(`${d9Files()[KS]!.trimEnd()}\n# kept: a comment after the switches\n`);
    let fast = start;
    let slow = start;
    const scopes = ["global", "workspace:eu-1", "workspace:us-2", "workspace:ap-3"];
    for (let i = 0; i < 60; i++) {
      const scope = scopes[(i * 7) % scopes.length]!;
      const update = (s: Record<string, Switch>) => {
        const next = { ...s };
        if (i % 5 === 4 && scope !== "global") delete next[scope];
        else next[scope] = i % 3 === 0 ? { active: false } : on(i, i % 4 === 0 ? { approval: { status: "approved", by: "ana-owner", at: "2025-06-02T10:45:00Z" }, rolled_back: true } : {});
        return next;
      };
      const next = editSwitches(update).edit(fast);
      slow = editSwitches(update).edit(documentPath(slow));
      expect(slow.startsWith("%YAML 1.2\n---\n")).toBe(true);
      expect(valueOf(next), `step ${i}`).toEqual(valueOf(slow));
      expect(validatedStateText(KS, next)?.raw).toEqual(parseYaml(next).value);
      expect(next, `step ${i}`).toContain("# kept: a comment after the switches\n");
      if (next !== fast) expect(spliced(next), `step ${i}`).toBe(true);
      fast = next;
    }
    expect(fast.startsWith(d9Files()[KS]!.split("switches:")[0]!)).toBe(true); // the header, byte for byte
  });

  it("reads as the document path writes it from files written by hand in every layout it takes (comments between switches, blank lines, CRLF, no final newline, block and inline switches)", () => {
    const next = (() => {
      let a = 20261207;
      return () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 4294967296);
    })();
    // reasons whose text runs over several lines: a block scalar (with a blank line and deeper lines), a folded plain scalar
    const REASON_TEXTS = [(i: number) => `    reason: r${i}`, (i: number) => `    reason: |\n      r${i}\n\n        deeper\n      last`, (i: number) => `    reason: >-\n      r${i}\n      folded`, (i: number) => `    reason: r${i}\n      continued on the next line`];
    const switchText = (scope: string, i: number) =>
      next() < 0.5
        ? `  ${scope}: { active: ${i % 2 === 0}, reason: "r${i}" }`
        : `  ${scope}:\n    active: ${i % 2 === 0}\n${next() < 0.5 ? "    # a note inside\n" : ""}${REASON_TEXTS[Math.floor(next() * REASON_TEXTS.length)]!(i)}`;
    let asText = 0;
    for (let round = 0; round < 150; round++) {
      const scopes = ["global", "workspace:a", "workspace:b", "workspace:c"].filter(() => next() < 0.7);
      if (scopes.length === 0) continue;
      const lines = ["# by hand", "version: 1", `switches:${next() < 0.3 ? "  # the switches" : ""}`];
      scopes.forEach((scope, i) => {
        if (next() < 0.3) lines.push(next() < 0.5 ? "" : "  # between");
        lines.push(switchText(scope, i));
      });
      if (next() < 0.3) lines.push("# after");
      let text = lines.join("\n") + (next() < 0.8 ? "\n" : "");
      if (next() < 0.2) text = text.replaceAll("\n", "\r\n");
      const target = ["global", "workspace:a", "workspace:d"][round % 3]!;
      const update = (s: Record<string, Switch>) => (round % 5 === 4 && Object.keys(s).length > 1 ? Object.fromEntries(Object.entries(s).filter(([k]) => k !== scopes[0])) : { ...s, [target]: on(round) });
      const fast = editSwitches(update).edit(text);
      const slow = editSwitches(update).edit(documentPath(text));
      expect(valueOf(fast), `round ${round}: ${JSON.stringify(text)}`).toEqual(valueOf(slow));
      if (spliced(fast)) asText++;
    }
    expect(asText).toBeGreaterThan(100); // most of these layouts are edited as text (CRLF lines with an inline switch are not)
  });

  it("rewrites only the lines of the switch that changed", async () => {
    const start = await loaded(d9Files()[KS]!);
    const one = editSwitches((s) => ({ ...s, "workspace:eu-1": on(1) })).edit(start);
    const two = editSwitches((s) => ({ ...s, "workspace:us-2": on(2) })).edit(one);
    const three = editSwitches((s) => ({ ...s, "workspace:eu-1": { active: false } })).edit(two);
    expect(three.split("workspace:us-2:")[1]).toBe(two.split("workspace:us-2:")[1]); // the switch after it, untouched
    expect(three).toContain("  workspace:eu-1:\n    active: false\n  workspace:us-2:\n");
    expect(spliced(three)).toBe(true);
    expect(editSwitches((s) => s).edit(three)).toBe(three); // nothing changed, nothing written
  });

  it("fills an empty `switches: {}` (the text Charter starts the file with) as text, even with keys after it", async () => {
    for (const template of [STATE_TEMPLATES[KS], STATE_TEMPLATES[KS].replace("version: 1\n", "") + "version: 1\n"]) {
      const start = await loaded(template);
      const next = editSwitches((s) => ({ ...s, global: on(0) })).edit(start);
      expect(spliced(next)).toBe(true);
      expect(valueOf(next)).toEqual(valueOf(editSwitches((s) => ({ ...s, global: on(0) })).edit(documentPath(template))));
      expect(next.startsWith(template.slice(0, template.indexOf("switches:")))).toBe(true);
    }
  });

  it("takes the document path for texts whose lines these rules do not cover, with the same result", async () => {
    const base = d9Files()[KS]!;
    const cases: Record<string, string> = {
      "a %YAML 1.1 directive (1.1 reads a plain timestamp as a date)": `%YAML 1.1\n---\n${base}`,
      "an anchor and an alias": `${base.trimEnd()}\n  workspace:eu-1: &off { active: false }\n  workspace:us-2: *off\n`,
      "a tag": base.replace("global: { active: false }", "global: !!map { active: false }"),
      "switches in flow style": base.replace("switches:\n  global: { active: false }", "switches: { global: { active: false } }"),
      "keys at column 4": base.replace("  global:", "    global:"),
      "a comment after a switch on its line": base.replace("{ active: false }", "{ active: false } # off"),
    };
    for (const [label, text] of Object.entries(cases)) {
      await loaded(text);
      expect(validatedStateText(KS, text)?.switchesAt, label).toBeUndefined();
      const update = (s: Record<string, Switch>) => ({ ...s, global: on(3) });
      const next = editSwitches(update).edit(text);
      expect(spliced(next), label).toBe(false);
      expect(valueOf(next), label).toEqual(valueOf(editSwitches(update).edit(documentPath(text))));
    }
  });

  it("leaves removing the last switch to the document path (an empty block map would read as null)", async () => {
    const start = await loaded(STATE_TEMPLATES[KS]);
    const one = editSwitches(() => ({ global: on(0) })).edit(start);
    const none = editSwitches(() => ({})).edit(one);
    expect(valueOf(none).switches).toEqual({});
  });

  it("edits as text a file the loader read long ago and reads again (its value cached, its memo of state texts since filled by others)", async () => {
    const base = await loaded(`${d9Files()[KS]!}# read first\n`);
    for (let i = 0; i < 40; i++) editSwitches((s) => ({ ...s, global: on(i) })).edit(unremembered(base) + `# ${i}\n`);
    expect(validatedStateText(KS, base)).toBeUndefined(); // pushed out by forty newer texts
    await loaded(base); // the loader's cache still knows it: remembered again, document and all
    expect(validatedStateText(KS, base)?.switchesAt).toBeDefined();
    expect(spliced(editSwitches((s) => ({ ...s, global: on(1) })).edit(base))).toBe(true);
  });

  it("edits as text a text it has not seen, once it has read it as the loader would", () => {
    const text = unremembered(d9Files()[KS]!);
    expect(validatedStateText(KS, text)).toBeUndefined();
    const next = editSwitches((s) => ({ ...s, "workspace:eu-1": on(5) })).edit(text);
    expect(spliced(next)).toBe(true);
    expect(next.startsWith(d9Files()[KS]!) && next.endsWith("\n\n")).toBe(true); // the new switch's lines after the last, the blank line after it kept
    expect(() => editSwitches((s) => s).edit("switches: [")).toThrow(/not valid YAML/); // unreadable: the document path says why
  });

  it("refuses a switch the file's schema refuses, naming the field, and changes nothing", async () => {
    const start = await loaded(d9Files()[KS]!);
    expect(() => editSwitches((s) => ({ ...s, "workspace:eu-1": { ...on(1), since: "yesterday" } })).edit(start)).toThrow(/state\/killswitch\.yml would be invalid at switches\.workspace:eu-1\.since/);
    expect(validatedStateText(KS, start)?.switchesAt).toBeDefined();
  });
});

describe("the first entry of an empty log", () => {
  const entry = (id: string, reason = "checksums differ"): LogEntry => ({ id, timestamp: "2025-06-02T10:00:00Z", action: "activate", actor: "olga-oncall", scope: "global", reason, severity: "P2", approval: "none", notified: ["ana-owner"] });

  it("replaces `entries: []` at the end of the file with the items, as the document path would write them", async () => {
    const template = STATE_TEMPLATES["state/log.yml"];
    await loadGovernance(memorySource({ ...d9Files(), "state/log.yml": template }, "governance"));
    expect(validatedStateText("state/log.yml", template)?.emptyListAt).toBe(template.indexOf("[]"));
    const next = appendLog(entry("first", "key: value # not a comment")).edit(template);
    expect(next.startsWith(`${template.slice(0, template.indexOf("entries:"))}entries:\n  - id: first\n`)).toBe(true);
    const viaDocument = appendLog(entry("first", "key: value # not a comment")).edit(documentPath(template));
    expect(LogFile.parse(parseDocument(next).toJS())).toEqual(LogFile.parse(parseDocument(viaDocument).toJS()));
    const after = appendLog(entry("second")).edit(next);
    expect(after.startsWith(next)).toBe(true); // and the next one is appended after it
    expect(verifyChain(LogFile.parse(parseDocument(after).toJS()).entries).broken).toBeUndefined();
  });

  it("appends to a log that declares `%YAML 1.1` so that it still reads as written (1.1 reads a plain timestamp as a date)", async () => {
    const log = `%YAML 1.1\n---\nversion: 1\nentries:\n  - id: by-hand\n    timestamp: "2025-06-01T09:00:00Z"\n    action: advance\n    actor: ana-owner\n`;
    const loaded = await loadGovernance(memorySource({ ...d9Files(), "state/log.yml": log }, "governance"));
    expect(loaded.ok).toBe(true);
    const next = appendLog(entry("after")).edit(log);
    const read = parseYaml(next);
    expect(read.syntaxErrors).toEqual([]);
    expect(LogFile.parse(read.value).entries.map((e) => [e.id, e.timestamp])).toEqual([["by-hand", "2025-06-01T09:00:00Z"], ["after", "2025-06-02T10:00:00Z"]]);
  });

  it("takes the document path when `entries: []` is not last, has a comment after it, or the file names its YAML version", async () => {
    const template = STATE_TEMPLATES["state/log.yml"];
    for (const text of [template.replace("version: 1\nentries: []\n", "entries: []\nversion: 1\n"), template.replace("entries: []", "entries: [] # empty"), `%YAML 1.2\n---\n${template}`]) {
      await loadGovernance(memorySource({ ...d9Files(), "state/log.yml": text }, "governance"));
      expect(validatedStateText("state/log.yml", text)?.emptyListAt, text).toBeUndefined();
      const next = appendLog(entry("first")).edit(text);
      expect(LogFile.parse(parseDocument(next).toJS()).entries.map((e) => e.id)).toEqual(["first"]);
    }
  });
});
