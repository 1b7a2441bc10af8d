/**
 * Appending to state/log.yml as text: a log whose value is known (Charter wrote it, or the loader
 * read it) and whose `entries` list ends the file takes new entries after its last line, without
 * the whole log being parsed and written again. The result must read exactly as the document path
 * would write it: the same entries, the same chain, nothing else changed; any other log takes the
 * document path.
 */
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { appendableAt, appendLog, STATE_TEMPLATES, validatedStateText } from "../../src/core/killswitch/state-text.js";
import { verifyChain } from "../../src/core/log/chain.js";
import { LogFile, type LogEntry } from "../../src/core/model/state.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";

const entry = (id: string, reason = "checksums differ"): LogEntry => ({ id, timestamp: "2025-06-02T10:00:00Z", action: "activate", actor: "olga-oncall", scope: "global", reason, severity: "P2", approval: "none", notified: ["ana-owner"] });
const valueOf = (text: string) => LogFile.parse(parseDocument(text).toJS());
/** The same log read as the document path reads it: a text no edit wrote, so not remembered. */
const unremembered = (text: string) => `${text}\n`;

/** Texts people and fuzzers write into a reason: the ones yaml quotes, folds or chomps. */
const NASTY = [" \n\n", "trailing space ", "line\nbreak", "# not a comment", "key: value", "- dash", "'single'", '"double"', "|", ">-", "---", "...", "tab\there", "üñïçødé ✓", "\u2028", "null", "true", "0x1F", "1e3", "&anchor", "*alias", "[flow]", "{map}", "!tag", "%directive", "@at", "`tick`", "a  #b", "\\backslash", "  leading"];

describe("appending to the log as text", () => {
  it("reads exactly as the document path writes it, for reasons yaml treats specially, and keeps the chain", () => {
    let fast = appendLog(entry("first")).edit(d9Files()["state/log.yml"]!); // the document path, remembered
    let slow = fast;
    NASTY.forEach((reason, i) => {
      const e = entry(`nasty-${i}`, reason);
      const next = appendLog(e).edit(fast);
      expect(next.startsWith(fast), JSON.stringify(reason)).toBe(true); // taken as text, every earlier byte kept
      const viaDocument = appendLog(e).edit(unremembered(slow));
      expect(valueOf(next)).toEqual(valueOf(viaDocument));
      fast = next;
      slow = viaDocument;
    });
    const entries = valueOf(fast).entries;
    expect(entries.map((e) => e.reason)).toEqual([...valueOf(d9Files()["state/log.yml"]!).entries.map((e) => e.reason), "checksums differ", ...NASTY]);
    expect(verifyChain(entries).broken).toBeUndefined();
  });

  it("writes after the last line of a remembered log (every earlier byte kept) and remembers the result", () => {
    const start = appendLog(entry("a")).edit(d9Files()["state/log.yml"]!);
    const next = appendLog(entry("b"), entry("c")).edit(start);
    expect(next.startsWith(start)).toBe(true);
    expect(next.slice(start.length)).toMatch(/^ {2}- id: b\n[\s\S]* {2}- id: c\n/);
    expect(validatedStateText("state/log.yml", next)?.value).toEqual(valueOf(next));
    // a retried write adds nothing
    expect(appendLog(entry("b")).edit(next)).toBe(next);
  });

  it("stays proportional to what is appended on a log of 2,000 entries (the text is extended, not rewritten)", () => {
    let text = STATE_TEMPLATES["state/log.yml"];
    const batch = Array.from({ length: 2_000 }, (_, i) => entry(`bulk-${i}`, `reason ${i}`));
    text = appendLog(...batch).edit(text);
    const next = appendLog(entry("one-more")).edit(text);
    expect(next.startsWith(text)).toBe(true);
    expect(next.length - text.length).toBeLessThan(600);
    const entries = valueOf(next).entries;
    expect(entries).toHaveLength(2_001);
    expect(verifyChain(entries).broken).toBeUndefined();
  });

  it("appends as text to a log the loader read, and takes the document path for logs that do not end with their list", async () => {
    const files = d9Files();
    const mine = `${STATE_TEMPLATES["state/log.yml"].replace("entries: []", "entries:")}\n  - id: hand-written\n    timestamp: 2025-06-01T09:00:00Z\n    action: advance\n    actor: ana-owner\n`;
    const loaded = await loadGovernance(memorySource({ ...files, "state/log.yml": mine }, "governance"));
    expect(loaded.ok).toBe(true);
    expect(appendLog(entry("after-load")).edit(mine).startsWith(mine)).toBe(true);

    const cases = {
      "a comment after the list": `${mine}# kept at the end\n`,
      "a key after the list": mine.replace("version: 1\n", "") + "version: 1\n",
      "items at column 0": mine.replace("\n  - id: hand-written\n    timestamp: 2025-06-01T09:00:00Z\n    action: advance\n    actor: ana-owner\n", "\n- id: hand-written\n  timestamp: 2025-06-01T09:00:00Z\n  action: advance\n  actor: ana-owner\n"),
    };
    for (const [label, text] of Object.entries(cases)) {
      expect(appendableAt(parseDocument(text), text).appendAt, label).not.toBe(2);
      await loadGovernance(memorySource({ ...files, "state/log.yml": text }, "governance")); // remembered by the loader
      const next = appendLog(entry(`x-${label.length}`)).edit(text);
      expect(valueOf(next).entries.map((e) => e.id), label).toEqual(["hand-written", `x-${label.length}`]);
      if (label === "a comment after the list") expect(next).toContain("# kept at the end");
    }
  });
});
