/**
 * The activation log's hash chain (issue 14, item 8): each entry carries `seq` and `prev`; the
 * first entry edited, reordered or removed is named, and Charter's own writes extend the chain.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { appendLog, STATE_TEMPLATES } from "../../src/core/killswitch/state-text.js";
import { breakWords, chainHead, chainOnto, GENESIS, nextLink, verifyChain } from "../../src/core/log/chain.js";
import type { LogEntry } from "../../src/core/model/state.js";

function entry(i: number, extra: Partial<LogEntry> = {}): LogEntry {
  const minutes = String(i % 60).padStart(2, "0");
  return { id: `activate-${i}`, timestamp: `2025-06-02T10:${minutes}:00Z`, action: "activate", actor: "olga-oncall", scope: "global", reason: `entry ${i}`, ...extra };
}
const log = (n: number, from = 1) => chainOnto([], Array.from({ length: n }, (_, i) => entry(i + from)));

describe("the chain", () => {
  it("each entry carries its position and the hash of everything before it", () => {
    const [a, b, c] = log(3);
    expect(a).toMatchObject({ seq: 1, prev: GENESIS });
    expect(b).toMatchObject({ seq: 2, prev: nextLink(GENESIS, a!) });
    expect(c).toMatchObject({ seq: 3, prev: nextLink(nextLink(GENESIS, a!), b!) });
    expect(GENESIS).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(verifyChain([a!, b!, c!])).toEqual({ count: 3, startsAt: 1, head: chainHead([a!, b!, c!]) });
  });

  it("the hash is of the values: key order and YAML formatting do not matter", () => {
    const [a, b] = log(2);
    const reordered = Object.fromEntries(Object.entries(a!).reverse()) as LogEntry;
    expect(verifyChain([reordered, b!]).broken).toBeUndefined();
  });

  it("an edited entry in the middle is named, and the entry that noticed", () => {
    const entries = log(10);
    entries[4] = { ...entries[4]!, reason: "nothing happened" };
    const r = verifyChain(entries);
    expect(r.broken).toMatchObject({ kind: "edited", position: 5, entry: { id: "activate-5" }, other: { position: 6 } });
    expect(breakWords(r.broken!)).toBe("entry 5 (`activate-5`, 2025-06-02T10:05:00Z) was edited: it no longer matches the hash that entry 6 (`activate-6`, 2025-06-02T10:06:00Z) records of it (or that entry's `prev` was edited)");
  });

  it("an edited actor, timestamp or number is an edit too", () => {
    for (const change of [{ actor: "mallory" }, { timestamp: "2025-06-01T00:00:00Z" }, { seq: 40 }] as Partial<LogEntry>[]) {
      const entries = log(10);
      entries[3] = { ...entries[3]!, ...change };
      expect(verifyChain(entries).broken).toMatchObject({ kind: "edited", position: 4, entry: { id: "activate-4" } });
    }
  });

  it("a removed entry is named by its number, between the two around it", () => {
    const entries = log(10);
    entries.splice(6, 1);
    const r = verifyChain(entries);
    expect(r.broken).toMatchObject({ kind: "removed", position: 7, found: 8, other: { position: 6, entry: { id: "activate-6" } } });
    expect(breakWords(r.broken!)).toBe("the entry numbered 7 was removed: after entry 6 (`activate-6`, 2025-06-02T10:06:00Z) comes `activate-8`, numbered 8");
  });

  it("reordered entries: the first out of place is named", () => {
    const entries = log(10);
    [entries[2], entries[3]] = [entries[3]!, entries[2]!];
    const r = verifyChain(entries);
    expect(r.broken).toMatchObject({ kind: "reordered", position: 4, entry: { id: "activate-3", seq: 3 }, other: { entry: { id: "activate-4" } } });
    expect(breakWords(r.broken!)).toContain("entries were reordered: entry 4 (`activate-3`, 2025-06-02T10:03:00Z) is numbered 3 but stands at position 4, after `activate-4` (numbered 4)");
  });

  it("an inserted entry without a chain, or with a forged one claiming an existing number", () => {
    const plain = log(5);
    plain.splice(2, 0, entry(99));
    expect(verifyChain(plain).broken).toMatchObject({ kind: "unchained", position: 3, entry: { id: "activate-99" } });

    const forged = log(5);
    const fake = { ...entry(99), seq: 3, prev: forged[2]!.prev }; // copies the number and link of the entry it displaces
    forged.splice(2, 0, fake);
    expect(verifyChain(forged).broken).toMatchObject({ kind: "inserted", position: 3, entry: { id: "activate-99" }, other: { position: 4, entry: { id: "activate-3" } } });
  });

  it("an edited `prev` breaks the chain where it stands", () => {
    const entries = log(6);
    entries[3] = { ...entries[3]!, prev: `sha256:${"0".repeat(64)}` };
    const r = verifyChain(entries);
    expect(r.broken).toMatchObject({ kind: "edited", position: 3, other: { position: 4, entry: { id: "activate-4" } } });
    expect(breakWords(r.broken!)).toContain("(or that entry's `prev` was edited)");
  });

  it("migration: entries from before the chain are covered by the first chained entry; after it every entry is chained", () => {
    const legacy = [entry(1), entry(2), entry(3)];
    const chained = [...legacy, ...chainOnto(legacy, [entry(4), entry(5)])];
    expect(chained[3]).toMatchObject({ seq: 4, prev: chainHead(legacy) });
    expect(verifyChain(chained)).toMatchObject({ count: 5, startsAt: 4 });
    expect(verifyChain(chained).broken).toBeUndefined();
    // a legacy entry edited afterwards: the first chained entry notices
    const edited = chained.map((e, i) => (i === 1 ? { ...e, reason: "changed" } : e));
    const r = verifyChain(edited);
    expect(r.broken).toMatchObject({ kind: "before-chain", position: 4 });
    expect(breakWords(r.broken!)).toBe("the entries before the chain started (1 to 3) were edited, reordered or removed: entry 4 (`activate-4`, 2025-06-02T10:04:00Z), the first chained entry, records a different hash of them");
    // an entry appended by hand without the chain after it started
    expect(verifyChain([...chained, entry(6)]).broken).toMatchObject({ kind: "unchained", position: 6 });
    // a log that never started its chain holds
    expect(verifyChain(legacy)).toEqual({ count: 3, head: chainHead(legacy) });
  });

  it("Charter's writes extend the chain, legacy log or not, and a retried write adds nothing", () => {
    const legacyText = STATE_TEMPLATES["state/log.yml"].replace("entries: []", `entries:\n  - { id: old-1, timestamp: "2025-06-01T00:00:00Z", action: activate, actor: olga-oncall, scope: global }`);
    const once = appendLog(entry(1)).edit(legacyText);
    const twice = appendLog(entry(1), entry(2)).edit(once);
    const entries = (parse(twice) as { entries: LogEntry[] }).entries;
    expect(entries.map((e) => [e.id, e.seq])).toEqual([["old-1", undefined], ["activate-1", 2], ["activate-2", 3]]);
    expect(verifyChain(entries)).toMatchObject({ count: 3, startsAt: 2 });
    expect(verifyChain(entries).broken).toBeUndefined();
    expect(appendLog(entry(2)).edit(twice)).toBe(twice);
  });

  it("verifies 10,000 entries in linear time", () => {
    const entries = log(10_000);
    entries[7_000] = { ...entries[7_000]!, actor: "mallory" };
    const t = performance.now();
    expect(verifyChain(entries).broken).toMatchObject({ kind: "edited", position: 7_001 });
    expect(performance.now() - t).toBeLessThan(2_000);
  });
});
