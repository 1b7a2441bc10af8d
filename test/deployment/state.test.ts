/** The deployment day's core: who may do what, and when a missed status update is reminded. */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dueReminder, newState, raiseAlert, remind, signGo, statusUpdate, tick, type DeploymentContext, type DeploymentState } from "../../src/core/deployment/state.js";
import type { Governance } from "../../src/core/model/governance.js";
import { loadGovernance } from "../../src/load/load.js";
import { directorySource } from "../../src/load/source.js";

let g: Governance;
beforeAll(async () => {
  const r = await loadGovernance(directorySource(join(import.meta.dirname, "..", "..", "examples", "deployment-day", "governance"), "governance"));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  g = r.governance;
});

const ctx = (iso: string): DeploymentContext => ({ g, d: g.deployments!.deployments.production!, repo: "acme/shop", issue: 7, url: "https://github.com/acme/shop/issues/7", title: "Deploy", now: new Date(iso) });
const ok = (r: ReturnType<typeof tick>): DeploymentState => {
  if ("refused" in r) throw new Error(r.refused);
  return r.state;
};

describe("who may", () => {
  it("tick an item: the holders of its owner role, a backup holder too; nobody else", () => {
    const s = newState("production");
    expect(tick(ctx("2025-11-11T04:40Z"), s, { login: "quinn-qa" }, "backup-taken")).toEqual({ refused: "`backup-taken` (Production backup taken) is ticked by the DevOps Engineer only." });
    expect(tick(ctx("2025-11-11T04:40Z"), s, { login: "dana-lead", association: "OWNER" }, "backup-taken")).toHaveProperty("refused");
    expect(ok(tick(ctx("2025-11-11T04:40Z"), s, { login: "Dora-Ops" }, "backup-taken")).done["backup-taken"]).toEqual({ by: "Dora-Ops", at: "2025-11-11T04:40:00.000Z" });
  });

  it("the on-call item: whoever is on call at that instant (oncall.yml), not last week's person", () => {
    const s = newState("production");
    // week of 2025-11-10: olly primary, ola backup; both hold on-call. Week of 2025-11-03: the same two, swapped.
    expect(ok(tick(ctx("2025-11-11T05:20Z"), s, { login: "olly-oncall" }, "oncall-monitoring")).done["oncall-monitoring"]!.by).toBe("olly-oncall");
    expect(tick(ctx("2025-11-11T05:20Z"), s, { login: "dev-ops" }, "oncall-monitoring")).toHaveProperty("refused");
  });

  it("raise an alert: people who hold a role; not a passer-by with access", () => {
    const s = ok(signGo(ctx("2025-11-11T04:50Z"), newState("production"), { login: "dana-lead" }));
    expect(raiseAlert(ctx("2025-11-11T05:00Z"), s, { login: "random-member", association: "MEMBER" }, { severity: "high", type: "x", details: "" })).toEqual({ refused: "alerts are raised by people who hold a role in `governance/roles.yml`." });
    expect(raiseAlert(ctx("2025-11-11T05:00Z"), s, { login: "quinn-qa" }, { severity: "high", type: "x", details: "" })).not.toHaveProperty("refused");
  });

  it("post a status update: the lead, and only once the gate is signed go", () => {
    const s = newState("production");
    expect(statusUpdate(ctx("2025-11-11T04:45Z"), s, { login: "dana-lead" }, "x")).toEqual({ refused: "the window opens when the go/no-go gate is signed (`/go`)." });
    const go = ok(signGo(ctx("2025-11-11T04:50Z"), s, { login: "dana-lead" }));
    expect(statusUpdate(ctx("2025-11-11T04:52Z"), go, { login: "dev-ops" }, "x")).toEqual({ refused: "status updates are posted by the Deployment Lead." });
  });
});

describe("when a missed status update is reminded", () => {
  const d = () => g.deployments!.deployments.production!;
  it("nothing before go; then every 5 minutes after the last update, once per due instant", () => {
    const s0 = newState("production");
    expect(dueReminder(d(), s0, new Date("2025-11-11T05:00Z"))).toEqual({});
    const s1 = ok(signGo(ctx("2025-11-11T04:50Z"), s0, { login: "dana-lead" }));
    expect(dueReminder(d(), s1, new Date("2025-11-11T04:54:59Z"))).toEqual({ next: Date.parse("2025-11-11T04:55:00Z") });
    const due = dueReminder(d(), s1, new Date("2025-11-11T04:57:00Z"));
    expect(due).toEqual({ at: Date.parse("2025-11-11T04:55:00Z"), next: Date.parse("2025-11-11T05:00:00Z") });
    const s2 = remind(ctx("2025-11-11T04:57Z"), s1, due.at!).state;
    expect(dueReminder(d(), s2, new Date("2025-11-11T04:59:59Z"))).toEqual({ next: Date.parse("2025-11-11T05:00:00Z") });
    // hours late (Charter was down): one reminder for the latest due instant, not one per missed slot
    expect(dueReminder(d(), s2, new Date("2025-11-11T07:02:00Z"))).toEqual({ at: Date.parse("2025-11-11T07:00:00Z"), next: Date.parse("2025-11-11T07:05:00Z") });
    // an update resets the cadence
    const s3 = ok(statusUpdate(ctx("2025-11-11T04:58Z"), s2, { login: "dana-lead" }, "deploying"));
    expect(dueReminder(d(), s3, new Date("2025-11-11T05:01Z"))).toEqual({ next: Date.parse("2025-11-11T05:03:00Z") });
  });
});
