/**
 * The engine's timers for handoff messages, deployment reminders and the calendar (not the 15-minute
 * safety net): each at its exact instant, computed from the injected clock, across the spring DST
 * change (Monday 09:00 Europe/Berlin is 08:00Z, then 07:00Z) and a week boundary (Sunday → Monday),
 * and a deployment window across the night of the change.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dueReminder, newState, signGo, statusUpdate, type DeploymentState } from "../../src/core/deployment/state.js";
import type { Governance } from "../../src/core/model/governance.js";
import { calendarTimer, deploymentTimers, handoffTimer } from "../../src/engine/next-due.js";
import { loadGovernance } from "../../src/load/load.js";
import { directorySource } from "../../src/load/source.js";
import { ManualClock } from "../../src/clock.js";

const where = { repo: { owner: "acme", repo: "ingestion" }, installationId: 7, defaultBranch: "main" };
let d9: Governance;
let day: Governance;
beforeAll(async () => {
  const load = async (dir: string) => {
    const r = await loadGovernance(directorySource(join(import.meta.dirname, "..", "..", dir), "governance"));
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    return r.governance;
  };
  d9 = await load("governance");
  day = await load("examples/deployment-day/governance");
});

describe("the handoff timer", () => {
  it("Sunday evening before the change → Monday 09:00 CET (08:00Z); after it ran, the next Monday 09:00 CEST (07:00Z)", () => {
    const clock = new ManualClock("2025-03-23T20:00:00Z"); // Sunday
    const first = handoffTimer(d9, clock.now(), clock.now().getTime(), where)!;
    expect(first).toMatchObject({ kind: "handoff", issue: 0, dueAt: Date.parse("2025-03-24T08:00:00Z"), step: `handoff-${Date.parse("2025-03-24T08:00:00Z")}` });
    clock.set("2025-03-24T08:00:00Z"); // the timer fires and the task runs at its instant
    const second = handoffTimer(d9, clock.now(), clock.now().getTime(), where)!;
    expect(new Date(second.dueAt).toISOString()).toBe("2025-03-31T07:00:00.000Z"); // across the week and the DST change
  });

  it("a process that never ran it catches up a handoff missed within `late` (1h), now; after `late`, the next one", () => {
    expect(handoffTimer(d9, new Date("2025-03-31T07:30:00Z"), undefined, where)).toMatchObject({ dueAt: Date.parse("2025-03-31T07:30:00Z") });
    expect(handoffTimer(d9, new Date("2025-03-31T08:30:00Z"), undefined, where)).toMatchObject({ dueAt: Date.parse("2025-04-07T07:00:00Z") });
  });

  it("no timer without handoff_messages", () => {
    expect(handoffTimer({ ...d9, oncall: { ...d9.oncall!, handoff_messages: undefined } }, new Date("2025-03-23T20:00:00Z"), 0, where)).toBeUndefined();
  });
});

describe("the deployment reminder timer", () => {
  it("every 5 minutes after the last update, in UTC, straight through the night of the change and Sunday → Monday", () => {
    const d = day.deployments!.deployments.production!;
    const ctx = (iso: string) => ({ g: day, d, repo: "acme/shop", issue: 9, url: "u", title: "t", now: new Date(iso) });
    // Sunday 2025-03-30 00:58Z; Berlin's clocks jump 02:00 → 03:00 CEST at 01:00Z
    let s: DeploymentState = newState("production");
    const go = signGo(ctx("2025-03-30T00:58:00Z"), s, { login: "dana-lead" });
    if ("refused" in go) throw new Error(go.refused);
    s = go.state;
    const timers = (iso: string) => deploymentTimers(new Map([[9, dueReminder(d, s, new Date(iso)).next!]]), where);
    expect(timers("2025-03-30T00:59:00Z")).toEqual([{ kind: "deployment", ...where, issue: 9, step: `deployment-${Date.parse("2025-03-30T01:03:00Z")}`, dueAt: Date.parse("2025-03-30T01:03:00Z") }]);
    const up = statusUpdate(ctx("2025-03-30T01:02:00Z"), s, { login: "dana-lead" }, "half way");
    if ("refused" in up) throw new Error(up.refused);
    s = up.state;
    expect(new Date(timers("2025-03-30T01:02:30Z")[0]!.dueAt).toISOString()).toBe("2025-03-30T01:07:00.000Z");
    // Sunday 23:58Z → Monday: the week boundary changes nothing either
    const late = statusUpdate(ctx("2025-03-30T23:58:00Z"), s, { login: "dana-lead" }, "still going");
    if ("refused" in late) throw new Error(late.refused);
    s = late.state;
    expect(new Date(timers("2025-03-30T23:59:00Z")[0]!.dueAt).toISOString()).toBe("2025-03-31T00:03:00.000Z");
  });
});

describe("the calendar timer", () => {
  it("at once in a process that has not published yet, then daily at 00:00 UTC", () => {
    const g = { ...d9, oncall: { ...d9.oncall!, calendar: { branch: "charter-calendar" } } };
    expect(calendarTimer(g, new Date("2025-03-30T12:34:00Z"), undefined, where)).toMatchObject({ kind: "calendar", dueAt: Date.parse("2025-03-30T12:34:00Z") });
    expect(calendarTimer(g, new Date("2025-03-30T12:34:00Z"), Date.parse("2025-03-30T12:34:00Z"), where)).toMatchObject({ dueAt: Date.parse("2025-03-31T00:00:00Z") });
    expect(calendarTimer(d9, new Date("2025-03-30T12:34:00Z"), undefined, where)).toBeUndefined();
  });
});
