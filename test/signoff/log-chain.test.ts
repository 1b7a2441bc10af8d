/**
 * Issue 14, item 8, through the app: the `Charter sign-off` check fails a pull request whose
 * `governance/state/log.yml` breaks the log's hash chain (an entry edited, reordered, removed, or
 * appended without `seq`/`prev`), whoever signs; a pull request that appends properly passes, and a
 * log already broken on the default branch does not block a pull request that did not break it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { appendLog, STATE_TEMPLATES } from "../../src/core/killswitch/state-text.js";
import type { LogEntry } from "../../src/core/model/state.js";
import { d9Files } from "../support/governance-mock.js";
import { closeWorld, phaseYml, SignoffWorld } from "./world.js";

afterEach(closeWorld);

const BODY = [
  "Rollback type: emergency",
  "",
  "**Date:** 2025-06-02",
  "**Time:** 10:00 UTC",
  "**Rolled back from:** P3",
  "**Rolled back to:** P2",
  "**Reason:** data at risk",
  "**Authorized by:** @oscar-oncall (Role: On-Call)",
  "**Approved by:** not required",
  "**Next steps:** investigate",
].join("\n");
const HISTORY: LogEntry[] = [
  { id: "activate-1", timestamp: "2025-06-01T08:00:00Z", action: "activate", actor: "olga-oncall", scope: "global", reason: "error rate 25%", severity: "P2", approval: "not required", notified: ["ana-owner"] },
  { id: "resume-2", timestamp: "2025-06-01T08:40:00Z", action: "resume", actor: "olga-oncall", scope: "global", reason: "recovered" },
  { id: "activate-3", timestamp: "2025-06-01T09:00:00Z", action: "activate", actor: "omar-oncall", scope: "workspace:acme", reason: "acme failing", severity: "P2", approval: "not required", notified: ["ana-owner"] },
];
/** The default branch's log: three entries Charter wrote (chained). */
const MAIN_LOG = appendLog(...HISTORY).edit(STATE_TEMPLATES["state/log.yml"]);
const ROLLBACK: LogEntry = { id: "rollback-9", timestamp: "2025-06-02T10:00:00Z", action: "rollback", actor: "oscar-oncall", from_phase: "P3", to_phase: "P2", rollback_type: "emergency" };

async function rollbackWith(log: string, mainLog = MAIN_LOG): Promise<SignoffWorld> {
  const w = await SignoffWorld.create({ governance: { "state/log.yml": mainLog } });
  w.openPull({ number: 140, author: "oscar-oncall", files: { "governance/state/phase.yml": phaseYml("P2"), "governance/state/log.yml": log }, body: BODY });
  w.review(140, "olga-oncall", "APPROVED");
  await w.pullEvent("opened", 140);
  return w;
}

describe("the log's hash chain in a pull request", () => {
  it("a rollback that appends its entry to the chain (as Charter does) passes", async () => {
    const w = await rollbackWith(appendLog(ROLLBACK).edit(MAIN_LOG));
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Rollback P3 → P2: Emergency (data at risk)" } });
  });

  it("a writer edits an earlier entry while appending: refused whoever signs, and the check names the entry", async () => {
    const edited = appendLog(ROLLBACK).edit(MAIN_LOG).replace("reason: recovered", "reason: never happened");
    const w = await rollbackWith(edited);
    for (const who of ["ana-owner", "sam-sre", "pat-pm"]) await w.submit(140, who, "APPROVED"); // even the owners of governance/
    const check = w.lastCheck();
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toMatch(/^Activation log chain refused: governance\/state\/log\.yml breaks its hash chain: entry 2 \(`resume-2`, 2025-06-01T08:40:00Z\) was edited/);
    expect(check.output.summary).toContain(
      "🚫 **Refused:** governance/state/log.yml breaks its hash chain: entry 2 (`resume-2`, 2025-06-01T08:40:00Z) was edited: it no longer matches the hash that entry 3 (`activate-3`, 2025-06-01T09:00:00Z) records of it (or that entry's `prev` was edited). Entries are only ever appended, each with `seq` and `prev` (`charter log --verify` prints the next ones); Charter's own writes and pull requests add them",
    );
  });

  it("an entry appended by hand without `seq` and `prev`, after the chain started: refused", async () => {
    const log = MAIN_LOG + `  - { id: rollback-9, timestamp: "2025-06-02T10:00:00Z", action: rollback, actor: oscar-oncall, from_phase: P3, to_phase: P2, rollback_type: emergency }\n`;
    const w = await rollbackWith(log);
    expect(w.lastCheck().output.title).toMatch(/^Activation log chain refused: .*entry 4 \(`rollback-9`, 2025-06-02T10:00:00Z\) carries no chain \(no `prev`\)/);
  });

  it("an entry removed from the middle (its number skipped): refused", async () => {
    const three = appendLog(ROLLBACK).edit(MAIN_LOG);
    const start = three.indexOf("  - id: resume-2");
    const removed = three.slice(0, start) + three.slice(three.indexOf("  - id: activate-3"));
    const w = await rollbackWith(removed);
    expect(w.lastCheck().output.summary).toContain("breaks its hash chain: the entry numbered 2 was removed: after entry 1 (`activate-1`, 2025-06-01T08:00:00Z) comes `activate-3`, numbered 3.");
  });

  it("a log already broken on the default branch does not block a pull request that did not break it: the check says so", async () => {
    const brokenMain = MAIN_LOG.replace("reason: recovered", "reason: edited on main by an administrator");
    const w = await rollbackWith(appendLog(ROLLBACK).edit(brokenMain), brokenMain);
    const check = w.lastCheck();
    expect(check.conclusion).toBe("success");
    expect(check.output.summary).toContain("**Activation log chain** ✅ passes.");
    expect(check.output.summary).toContain("⚠️ the log on the default branch is already broken, and this pull request does not change that: entry 2 (`resume-2`, 2025-06-01T08:40:00Z) was edited");
  });

  it("cutting off the default branch's last entry (the file's own chain still holds): refused whoever signs", async () => {
    const truncated = MAIN_LOG.slice(0, MAIN_LOG.indexOf("  - id: activate-3"));
    const w = await SignoffWorld.create({ governance: { "state/log.yml": MAIN_LOG } });
    w.openPull({ number: 150, author: "rita-release", files: { "governance/state/log.yml": truncated }, body: "tidy the log" });
    await w.pullEvent("opened", 150);
    for (const who of ["ana-owner", "sam-sre", "pat-pm"]) await w.submit(150, who, "APPROVED"); // the owners of governance/
    const check = w.lastCheck();
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toContain(
      "🚫 **Refused:** governance/state/log.yml rewrites the default branch's log, whose chain holds: entry 3 (`activate-3`, 2025-06-01T09:00:00Z) is removed. That log only ever grows by entries appended after its last one",
    );
  });

  it("an entry edited and every later link recomputed (a chain that holds on its own): refused whoever signs", async () => {
    const edited = HISTORY.map((e) => (e.id === "resume-2" ? { ...e, reason: "never happened" } : e));
    const rechained = appendLog(...edited).edit(STATE_TEMPLATES["state/log.yml"]);
    const w = await SignoffWorld.create({ governance: { "state/log.yml": MAIN_LOG } });
    w.openPull({ number: 151, author: "rita-release", files: { "governance/state/log.yml": rechained }, body: "tidy the log" });
    await w.pullEvent("opened", 151);
    for (const who of ["ana-owner", "sam-sre", "pat-pm"]) await w.submit(151, who, "APPROVED");
    const check = w.lastCheck();
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toMatch(/^Activation log chain refused: governance\/state\/log\.yml rewrites the default branch's log/);
    expect(check.output.summary).toContain("rewrites the default branch's log, whose chain holds: entry 2 (`resume-2`, 2025-06-01T08:40:00Z) is edited (and the links after it recomputed).");
  });

  it("a branch behind the default branch's log (its diff only appends) is not a rewrite", async () => {
    const older = appendLog(...HISTORY.slice(0, 2)).edit(STATE_TEMPLATES["state/log.yml"]);
    const w = await SignoffWorld.create({ governance: { "state/log.yml": MAIN_LOG } });
    // branched before activate-3 was appended on main: against its merge base it only appends
    w.openPull({ number: 153, author: "rita-release", files: { "governance/state/log.yml": appendLog(ROLLBACK).edit(older) }, patches: { "governance/state/log.yml": "@@ -20,0 +21,8 @@\n+  - id: rollback-9" }, body: "x" });
    await w.pullEvent("opened", 153);
    expect(w.lastCheck().output.summary).not.toContain("rewrites the default branch's log");
    expect(w.lastCheck().output.summary).not.toContain("Activation log chain");
  });

  it("a log already broken on the default branch may be repaired by its owners", async () => {
    const brokenMain = MAIN_LOG.replace("reason: recovered", "reason: edited on main by an administrator");
    const w = await SignoffWorld.create({ governance: { "state/log.yml": brokenMain } });
    w.openPull({ number: 152, author: "rita-release", files: { "governance/state/log.yml": MAIN_LOG }, body: "restore the log from git history" });
    await w.pullEvent("opened", 152);
    expect(w.lastCheck().conclusion).not.toBe("success");
    for (const who of ["ana-owner", "sam-sre", "pat-pm"]) await w.submit(152, who, "APPROVED");
    expect(w.lastCheck().conclusion).toBe("success");
  });

  it("a log without a chain yet (written before it existed) takes hand-appended entries as before", async () => {
    const legacyMain = d9Files()["state/log.yml"]!.replace("entries: []", "entries:\n  - { id: activate-1, timestamp: 2025-06-01T08:00:00Z, action: activate, actor: olga-oncall, scope: global, reason: r, severity: P2, approval: none, notified: [ana-owner] }");
    const w = await rollbackWith(legacyMain + "  - { id: rollback-9, timestamp: 2025-06-02T10:00:00Z, action: rollback, actor: oscar-oncall, from_phase: P3, to_phase: P2, rollback_type: emergency }\n", legacyMain);
    expect(w.lastCheck()).toMatchObject({ conclusion: "success" });
  });
});
