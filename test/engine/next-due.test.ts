/**
 * What the engine schedules after a job: the incident's next due instant and its step, from the
 * pure core (src/core/incidents/due.ts), for opening, acknowledgement, a severity change and
 * resolution; and the kill-switch approval deadlines from the state file.
 */
import { describe, expect, it } from "vitest";
import { planPass } from "../../src/core/incidents/pass.js";
import { acknowledge, changeSeverity, openIncident, resolveIncident, type Outcome } from "../../src/core/incidents/transitions.js";
import type { Governance } from "../../src/core/model/governance.js";
import { approvalTimers, incidentTimer } from "../../src/engine/next-due.js";
import { timerId } from "../../src/engine/types.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";

const T0 = new Date("2025-06-04T10:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const where = { repo: { owner: "acme", repo: "ingestion" }, installationId: 7, defaultBranch: "main" };

async function model(changes: Record<string, string | null> = {}): Promise<Governance> {
  const r = await loadGovernance(memorySource(d9Files(changes), "governance"));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics.slice(0, 3)));
  return r.governance;
}

describe("incidentTimer", () => {
  it("after opening a P1: the acknowledgement deadline and step 2, both at 15 minutes", async () => {
    const g = await model();
    const s = openIncident({ g, now: T0 }, { inc: g.incidents!, issue: { number: 4, title: "Down", author: "rita" }, severity: "P1", openedAt: T0, zone: "Europe/Berlin" }).state;
    const t = incidentTimer(s, T0, where)!;
    expect(t).toMatchObject({ kind: "incident", issue: 4, dueAt: at(15).getTime(), installationId: 7 });
    expect(["ack1", "s1.1"]).toContain(t.step);
    expect(timerId(t)).toBe(`t|acme/ingestion|4|${t.step}`);
  });

  it("after acknowledging: the next is the status-update reminder (the ladder's steps until acknowledged stop)", async () => {
    const g = await model();
    const opened = openIncident({ g, now: T0 }, { inc: g.incidents!, issue: { number: 4, title: "Down", author: "rita" }, severity: "P1", openedAt: T0, zone: "Europe/Berlin" }).state;
    const acked = (acknowledge({ g, now: at(5) }, opened, "olga-oncall") as Outcome).state;
    const t = incidentTimer(acked, at(5), where)!;
    expect(t.dueAt).toBe(at(30).getTime()); // P1 updates_every: 30m; steps after 15m stop at /ack... except those `until: resolved`
    expect(t.step).toMatch(/^(u|s1\.)/);
  });

  it("after a severity change: a step of the new ladder (a new key, so the old timer is stale and does nothing)", async () => {
    const g = await model();
    const opened = openIncident({ g, now: T0 }, { inc: g.incidents!, issue: { number: 4, title: "Down", author: "rita" }, severity: "P2", openedAt: T0, zone: "Europe/Berlin" }).state;
    const before = incidentTimer(opened, at(10), where)!;
    const changed = changeSeverity({ g, now: at(10) }, g.incidents!, opened, "P1", "sam-sre", "worse") as Outcome;
    const after = incidentTimer(planPass({ g, now: at(10) }, changed.state).state, at(10), where)!;
    expect(timerId(after)).not.toBe(timerId(before));
    expect(after.dueAt).toBeGreaterThan(at(10).getTime());
  });

  it("after resolving: nothing", async () => {
    const g = await model();
    const opened = openIncident({ g, now: T0 }, { inc: g.incidents!, issue: { number: 4, title: "Down", author: "rita" }, severity: "P3", openedAt: T0, zone: "Europe/Berlin" }).state;
    const effect = resolveIncident({ g, now: at(20) }, g.incidents!, opened, "olga-oncall", { resolution: "fixed" }, undefined);
    const outcome = "outcome" in effect && typeof effect.outcome === "function" ? effect.outcome() : (effect as unknown as Outcome);
    expect(incidentTimer(outcome.state, at(20), where)).toBeUndefined();
  });
});

describe("approvalTimers", () => {
  it("one timer per activation whose approval is pending, at its deadline, on the issue it came from", async () => {
    const killswitch = [
      "version: 1",
      "switches:",
      "  global:",
      "    active: true",
      "    since: 2025-06-04T10:00:00Z",
      "    by: olga-oncall",
      "    scenario: data-corruption",
      "    link: https://github.com/acme/ingestion/issues/12#issuecomment-5",
      "    approval: { status: pending, due: 2025-06-04T10:15:00Z, roles: [ingestion-owner] }",
      "",
    ].join("\n");
    const g = await model({ "state/killswitch.yml": killswitch });
    const timers = approvalTimers(g, where);
    expect(timers).toEqual([{ kind: "approval", ...where, issue: 12, step: "approval-global-2025-06-04T10_00_00Z", dueAt: at(15).getTime() }]);
    const approved = await model({ "state/killswitch.yml": killswitch.replace("status: pending", "status: approved") });
    expect(approvalTimers(approved, where)).toEqual([]);
  });

  it("an urgent on-call override waiting for approvals: a timer at its deadline on its issue, none once approved or escalated", async () => {
    const log = (extra: string) =>
      [
        "version: 1",
        "entries:",
        "  - { id: oncall-override-5, timestamp: 2025-06-04T10:00:00Z, action: oncall-override, actor: omar-oncall, notified: [olga-oncall], issue: 12, review_due: 2025-06-04T14:00:00Z }",
        extra,
        "",
      ].join("\n");
    const pending = await model({ "state/log.yml": log("") });
    expect(approvalTimers(pending, where)).toEqual([{ kind: "approval", ...where, issue: 12, step: "override-oncall-override-5", dueAt: at(240).getTime() }]);
    const approved = await model({ "state/log.yml": log("  - { id: oncall-override-approved-6, timestamp: 2025-06-04T11:00:00Z, action: oncall-override-approved, actor: olga-oncall, role: olga-oncall, ref: oncall-override-5 }") });
    expect(approvalTimers(approved, where)).toEqual([]);
    const escalated = await model({ "state/log.yml": log("  - { id: oncall-override-overdue-oncall-override-5, timestamp: 2025-06-04T14:00:00Z, action: oncall-override-overdue, actor: 'charter[bot]', ref: oncall-override-5 }") });
    expect(approvalTimers(escalated, where)).toEqual([]);
  });
});
