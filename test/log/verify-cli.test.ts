/**
 * `charter log --verify` (issue 14, item 8): on a 1,000-entry log written by Charter, an entry
 * edited in the middle of the file is named with its line; removed and reordered entries too.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { main } from "../../src/cli/main.js";
import { appendLog, STATE_TEMPLATES } from "../../src/core/killswitch/state-text.js";
import { chainHead } from "../../src/core/log/chain.js";
import type { LogEntry } from "../../src/core/model/state.js";

function entry(i: number): LogEntry {
  const t = new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString().replace(".000Z", "Z");
  const kinds = ["activate", "approve", "resume"] as const;
  return { id: `${kinds[i % 3]}-${1000 + i}`, timestamp: t, action: kinds[i % 3]!, actor: i % 2 ? "olga-oncall" : "ana-owner", scope: i % 5 ? "global" : "workspace:acme", reason: `reason ${i}` };
}
const THOUSAND = Array.from({ length: 1000 }, (_, i) => entry(i + 1));
/** The file Charter writes for 1,000 entries (one write; each entry chained onto the ones before it). */
const TEXT = appendLog(...THOUSAND).edit(STATE_TEMPLATES["state/log.yml"]);

function dir(text: string): string {
  const d = mkdtempSync(join(tmpdir(), "charter-log-verify-"));
  mkdirSync(join(d, "state"));
  writeFileSync(join(d, "state", "log.yml"), text);
  return d;
}

async function verify(text: string, ...more: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["log", "--verify", dir(text), ...more], { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, cwd: process.cwd() });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** The text with entry `id`'s line `field: …` replaced. */
function editField(text: string, id: string, field: string, value: string): string {
  const start = text.indexOf(`- id: ${id}\n`);
  const at = text.indexOf(`    ${field}: `, start);
  const end = text.indexOf("\n", at);
  return text.slice(0, at) + `    ${field}: ${value}` + text.slice(end);
}

/** The line (1-based) where entry `id` starts. */
const lineOf = (text: string, id: string) => text.slice(0, text.indexOf(`- id: ${id}\n`)).split("\n").length;

describe("charter log --verify", () => {
  it("a 1,000-entry log written by Charter holds, and the head is printed for the next entry", async () => {
    const r = await verify(TEXT);
    expect(r.code).toBe(0);
    const head = chainHead((parse(TEXT) as { entries: LogEntry[] }).entries);
    expect(r.out).toMatch(new RegExp(`/state/log\\.yml: the hash chain holds: 1000 entries, chained from entry 1; the next entry is seq 1001 with prev ${head}\\.$`));
  });

  it("finds an entry edited in the middle of a 1,000-entry log: its number, id, time and line", async () => {
    const edited = editField(TEXT, "resume-1500", "reason", "nothing to see here");
    const r = await verify(edited);
    expect(r.code).toBe(1);
    const line = lineOf(edited, "resume-1500");
    expect(r.err.split("\n")[0]).toBe(
      `${r.err.split(":")[0]}:${line}:5: the hash chain is broken: entry 500 (\`resume-1500\`, 2025-01-21T20:00:00Z) was edited: it no longer matches the hash that entry 501 (\`activate-1501\`, 2025-01-21T21:00:00Z) records of it (or that entry's \`prev\` was edited).`,
    );
    expect(r.err).toContain("git log -p -- state/log.yml");
  });

  it("a removed or reordered entry in the middle is named; --json says the same", async () => {
    const start = TEXT.indexOf("- id: activate-1600\n");
    const end = TEXT.indexOf("  - id: ", start + 1);
    const removed = TEXT.slice(0, start - 2) + TEXT.slice(end);
    const r = await verify(removed);
    expect(r.code).toBe(1);
    expect(r.err).toContain("the hash chain is broken: the entry numbered 600 was removed: after entry 599 (`resume-1599`, 2025-01-25T23:00:00Z) comes `approve-1601`, numbered 601.");

    const a = TEXT.indexOf("  - id: approve-1700\n");
    const b = TEXT.indexOf("  - id: resume-1701\n");
    const c = TEXT.indexOf("  - id: ", b + 1);
    const swapped = TEXT.slice(0, a) + TEXT.slice(b, c) + TEXT.slice(a, b) + TEXT.slice(c);
    const j = await verify(swapped, "--json");
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out)).toMatchObject({ ok: false, count: 1000, startsAt: 1, broken: { kind: "reordered", position: 701, id: "approve-1700" } });
  });

  it("a log from before the chain: holds, and says the chain starts with the next entry", async () => {
    const legacy = STATE_TEMPLATES["state/log.yml"].replace("entries: []", "entries:\n  - { id: old-1, timestamp: 2025-06-01T00:00:00Z, action: activate, actor: olga-oncall, scope: global }");
    const r = await verify(legacy);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/: 1 entry, none chained yet: the chain starts with the next entry Charter writes \(the next entry is seq 2 with prev sha256:[0-9a-f]{64}\)\.$/);
  });

  it("--verify takes no filters", async () => {
    const r = await verify(TEXT, "--since", "24h");
    expect(r.code).toBe(2);
    expect(r.err).toContain("--verify checks the whole log: it takes no --scope or --since");
  });
});
