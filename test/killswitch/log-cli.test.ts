/** `charter log`: the history of kill-switch and phase changes, as an aligned table and as JSON. */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { appendLog } from "../../src/core/killswitch/state-text.js";
import type { LogEntry } from "../../src/core/model/state.js";

const ENTRIES: LogEntry[] = [
  { id: "activate-1", timestamp: "2025-06-02T10:00:00Z", action: "activate", actor: "olga-oncall", scope: "global", scenario: "error-rate-10", severity: "P2", reason: "error rate 12%", approval: "pending: Ingestion Owner within 15m (due 2025-06-02T10:15:00Z)", notified: ["pat-pm", "ana-owner"] },
  { id: "approve-2", timestamp: "2025-06-02T10:06:00Z", action: "approve", actor: "ana-owner", scope: "global", approval: "approved by ana-owner (Ingestion Owner)", notified: ["olga-oncall"] },
  { id: "rollback-3", timestamp: "2025-06-02T11:00:00Z", action: "rollback", actor: "olga-oncall", reason: "data at risk", approval: "not required", from_phase: "P3", to_phase: "P2", rollback_type: "emergency" },
  { id: "resume-4", timestamp: "2025-06-03T09:00:00Z", action: "resume", actor: "ana-owner", scope: "workspace:acme", reason: "resumed after 23h", verified: ["Full P0 revalidation"] },
];

function dir(entries: LogEntry[] = ENTRIES): string {
  const d = mkdtempSync(join(tmpdir(), "charter-log-"));
  mkdirSync(join(d, "state"));
  writeFileSync(join(d, "state", "log.yml"), appendLog(...entries).edit(undefined));
  return d;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["log", ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, cwd: process.cwd() });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("charter log", () => {
  it("prints an aligned table, oldest first", async () => {
    const r = await run([dir()]);
    expect(r.code).toBe(0);
    const lines = r.out.split("\n");
    expect(lines[0]).toMatch(/^timestamp +action +scope \/ phase +actor +scenario +severity +approval +notified +reason$/);
    expect(lines[1]).toMatch(/^-{20} {2}-{8} {2}-+/);
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      ["2025-06-02T10:00:00Z", "activate", "global", "olga-oncall"],
      ["2025-06-02T10:06:00Z", "approve", "global", "ana-owner"],
      ["2025-06-02T11:00:00Z", "rollback", "P3 → P2 (emergency)", "olga-oncall"],
      ["2025-06-03T09:00:00Z", "resume", "workspace:acme", "ana-owner"],
    ]);
    // columns line up: every row's action starts where the header's does
    const col = lines[0]!.indexOf("action");
    for (const l of lines.slice(2)) expect(l.slice(col).startsWith(l.slice(col).trimStart())).toBe(true);
    expect(lines[5]).toContain("resumed after 23h; verified: Full P0 revalidation");
  });

  it("--json, --scope and --since filter", async () => {
    const d = dir();
    const all = JSON.parse((await run([d, "--json"])).out) as LogEntry[];
    expect(all.map((e) => e.id)).toEqual(["activate-1", "approve-2", "rollback-3", "resume-4"]);
    expect((JSON.parse((await run([d, "--json", "--scope", "global"])).out) as LogEntry[]).map((e) => e.id)).toEqual(["activate-1", "approve-2"]);
    expect((JSON.parse((await run([d, "--json", "--scope", "phase"])).out) as LogEntry[]).map((e) => e.id)).toEqual(["rollback-3"]);
    expect((JSON.parse((await run([d, "--json", "--since", "2025-06-02T10:30Z"])).out) as LogEntry[]).map((e) => e.id)).toEqual(["rollback-3", "resume-4"]);
    expect((JSON.parse((await run([d, "--json", "--since", "2025-06-03"])).out) as LogEntry[]).map((e) => e.id)).toEqual(["resume-4"]);
  });

  it("bad options are usage errors; an invalid log is located", async () => {
    expect((await run([dir(), "--scope", "galaxy"])).code).toBe(2);
    expect((await run([dir(), "--since", "yesterday"])).err).toContain("--since `yesterday` is not an instant");
    const d = dir();
    writeFileSync(join(d, "state", "log.yml"), "version: 1\nentries:\n  - id: x\n    action: explode\n");
    const r = await run([d]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/state\/log\.yml:3:5: /);
  });

  it("no log yet", async () => {
    const d = mkdtempSync(join(tmpdir(), "charter-log-"));
    expect((await run([d])).out).toContain("No log yet");
    expect((await run([d, "--json"])).out).toBe("[]");
  });
});
