import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { durationMs } from "../../src/core/duration.js";
import type { Governance } from "../../src/core/model/governance.js";
import { whoIsOnCall } from "../../src/core/oncall/resolve.js";
import { owningRule } from "../../src/core/owners/match.js";
import { loadGovernance, type LoadResult } from "../../src/load/load.js";
import { directorySource } from "../../src/load/source.js";

const root = join(import.meta.dirname, "..", "..");
const load = (name: string) => loadGovernance(directorySource(join(root, "examples", name, "governance"), `examples/${name}/governance`));
const who = (g: Governance, ref: string, iso: string) => whoIsOnCall(g.oncall, ref, new Date(iso)).who;

function governanceOf(r: LoadResult): Governance {
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join("\n"));
  return r.governance;
}

describe("examples/seven-person-team (seed 000)", () => {
  let result: LoadResult;
  let g: Governance;
  beforeAll(async () => {
    result = await load("seven-person-team");
    g = governanceOf(result);
  });

  it("loads with zero diagnostics", () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("has the seven people's roles plus management, backend held by two", () => {
    expect(Object.keys(g.roles.roles).slice(0, 7)).toEqual(["tech-lead", "backend-engineer", "devops-sre", "ml-engineer", "security-engineer", "tech-writer", "management"]);
    expect(g.roles.roles["backend-engineer"]!.holders).toHaveLength(2);
  });

  it("rotates the primary weekly: Tech Lead, Backend #1, Backend #2, DevOps/SRE (Monday 09:00 handoff)", () => {
    expect(who(g, "team/primary", "2025-01-07T12:00-05:00")).toEqual(["tara-lead"]);
    expect(who(g, "team/primary", "2025-01-14T12:00-05:00")).toEqual(["bea-backend"]);
    expect(who(g, "team/primary", "2025-01-21T12:00-05:00")).toEqual(["bo-backend"]);
    expect(who(g, "team/primary", "2025-01-28T12:00-05:00")).toEqual(["dev-devops"]);
    expect(who(g, "team/primary", "2025-02-03T08:59-05:00")).toEqual(["dev-devops"]);
    expect(who(g, "team/primary", "2025-02-03T09:00-05:00")).toEqual(["tara-lead"]);
  });

  it("rotates the secondary monthly over all seven members", () => {
    const months = ["2025-01-15", "2025-02-15", "2025-03-15", "2025-04-15", "2025-05-15", "2025-06-15", "2025-07-15", "2025-08-15"];
    expect(months.map((m) => who(g, "team/secondary", `${m}T12:00Z`)[0])).toEqual([
      "tara-lead", "bea-backend", "bo-backend", "dev-devops", "mia-ml", "sasha-sec", "wes-writer", "tara-lead",
    ]);
  });

  it("gives ML issues to the ML engineer in business hours and to the primary outside them", () => {
    expect(who(g, "ml/primary", "2025-01-08T10:00-05:00")).toEqual(["mia-ml"]);
    expect(who(g, "ml/secondary", "2025-01-08T10:00-05:00")).toEqual(["tara-lead"]);
    expect(who(g, "ml/primary", "2025-01-08T18:30-05:00")).toEqual(["tara-lead"]);
    expect(whoIsOnCall(g.oncall, "ml/primary", new Date("2025-01-11T10:00-05:00")).source).toBe("fallback");
  });

  it("covers security 24/7 with the security engineer, the tech lead as secondary", () => {
    expect(who(g, "security/primary", "2025-01-12T03:00-05:00")).toEqual(["sasha-sec"]);
    expect(who(g, "security/secondary", "2025-01-12T03:00-05:00")).toEqual(["tara-lead"]);
  });

  it("encodes the P0, P1 and P2 timelines exactly as the seed", () => {
    const ladder = (s: string) => g.incidents!.severities[s]!.escalation.map((x) => [durationMs(x.after) / 60_000, x.notify, x.until ?? "acknowledged"]);
    expect(ladder("P0")).toEqual([
      [0, ["on-call-primary"], "acknowledged"],
      [15, ["on-call-secondary"], "acknowledged"],
      [30, ["tech-lead"], "resolved"],
      [45, ["management", "everyone"], "resolved"],
    ]);
    expect(ladder("P1")).toEqual([
      [0, ["on-call-primary"], "acknowledged"],
      [30, ["on-call-secondary"], "resolved"],
      [60, ["tech-lead"], "resolved"],
    ]);
    expect(ladder("P2")).toEqual([
      [0, ["on-call-primary"], "acknowledged"],
      [480, ["on-call-secondary"], "resolved"],
    ]);
    expect(g.incidents!.severities.P1!.ack_within).toBe("15m");
    expect(g.incidents!.severities.P2!.ack_within).toBe("4h");
    expect(g.incidents!.severities.P0!.updates_every).toBe("30m");
    expect(g.incidents!.severities.P1!.updates_every).toBe("30m");
    expect(g.incidents!.severities.P2!.updates_every).toBeUndefined();
    expect(Object.fromEntries(Object.entries(g.incidents!.severities).map(([n, s]) => [n, s.channel]))).toEqual({
      P0: "#alerts-critical", P1: "#alerts-critical", P2: "#alerts-warning", P3: "#alerts-info", P4: "#alerts-info",
    });
  });

  it("routes security to the security on-call and ml to the ML specialty", () => {
    expect(g.incidents!.routing!.security!.assign).toBe("security-on-call");
    expect(g.roles.roles["security-on-call"]!.oncall).toBe("security/primary");
    expect(g.incidents!.routing!.ml!.assign).toBe("ml-on-call");
    expect(g.roles.roles["ml-on-call"]!.oncall).toBe("ml/primary");
  });

  it("owns every deliverable's paths by its Accountable role (Responsible where there is no A)", () => {
    for (const [id, a] of Object.entries(g.authority!.raci!.activities)) {
      const signer = a.A?.[0] ?? a.R?.[0];
      for (const p of a.paths ?? []) {
        const rule = owningRule(g.owners, `${p.replace(/^\//, "")}file.txt`);
        expect({ id, p, owners: rule?.owners }).toEqual({ id, p, owners: [{ kind: "role", id: signer }] });
      }
    }
  });
});

describe("examples/microservices (seed 002)", () => {
  let result: LoadResult;
  let g: Governance;
  beforeAll(async () => {
    result = await load("microservices");
    g = governanceOf(result);
  });

  it("loads with zero diagnostics", () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("lists all 22 services with the owning team, platform as secondary, and the team's on-call tier", () => {
    const services = g.services!.services;
    expect(Object.keys(services)).toHaveLength(22);
    expect(services["auth-service"]).toMatchObject({ owner: "identity-team", secondary: ["platform-team"], oncall: "identity/primary" });
    expect(services["webhook-service"]).toMatchObject({ owner: "integration-team", oncall: "integration/primary" });
    expect(services["api-gateway"]).toMatchObject({ owner: "platform-team", oncall: "platform/primary" });
    expect(services["api-gateway"]!.secondary).toBeUndefined();
    for (const [id, s] of Object.entries(services)) {
      if (s.owner !== "platform-team") expect({ id, secondary: s.secondary }).toEqual({ id, secondary: ["platform-team"] });
      const [schedule = "", tier = ""] = s.oncall!.split("/");
      expect({ id, tier: Boolean(g.oncall!.schedules[schedule]?.tiers[tier]) }).toEqual({ id, tier: true });
    }
  });

  it("gives each service directory to its owning team in OWNERS", () => {
    for (const [id, s] of Object.entries(g.services!.services)) {
      const rule = owningRule(g.owners, `services/${id}/src/main.py`);
      expect({ id, owners: rule?.owners }).toEqual({ id, owners: [{ kind: "role", id: s.owner }] });
    }
  });

  it("carries the §3 objectives where the seed gives them", () => {
    expect(g.services!.services["auth-service"]!.slo).toMatchObject({ uptime: "99.95%", authentication_latency_p95: "< 100ms" });
    expect(g.services!.services["api-gateway"]!.slo).toMatchObject({ uptime: "99.9%", deployment_time: "< 15 minutes" });
    expect(g.services!.services["schema-service"]!.slo).toMatchObject({ uptime: "99.5%", schema_sync_latency: "< 30 seconds" });
    expect(g.services!.services["workflow-engine"]!.slo).toBeUndefined();
  });

  it("holds teams by GitHub team and leads by login", () => {
    expect(g.roles.roles["identity-team"]!.holders).toEqual(["pyairtable/identity-team"]);
    expect(g.roles.roles["identity-lead"]!.holders).toEqual(["ida-identity"]);
  });

  it("has P0-P3 with §9.1's acknowledgment times, and routes each service to its team's on-call", () => {
    const sev = g.incidents!.severities;
    expect(Object.keys(sev)).toEqual(["P0", "P1", "P2", "P3"]);
    expect([sev.P0!.ack_within, sev.P1!.ack_within, sev.P2!.ack_within]).toEqual(["15m", "1h", "4h"]);
    expect(Object.keys(g.incidents!.routing!)).toHaveLength(22);
    expect(g.incidents!.routing!["auth-service"]).toMatchObject({ assign: "identity/primary", notify: ["identity-team"] });
  });

  it("has platform primary and secondary on call, and one schedule per feature team", () => {
    expect(Object.keys(g.oncall!.schedules)).toEqual(["platform", "identity", "integration", "ai", "content", "automation", "analytics"]);
    expect(Object.keys(g.oncall!.schedules.platform!.tiers)).toEqual(["primary", "secondary"]);
    const at = "2025-03-12T12:00Z";
    expect(who(g, "platform/primary", at)[0]).not.toBe(who(g, "platform/secondary", at)[0]);
  });
});

describe("examples/deployment-day (seed 004)", () => {
  it("loads with zero diagnostics: the deployment, its stages at T-30m…T+30m and every item's owner", async () => {
    const result = await load("deployment-day");
    expect(result.diagnostics).toEqual([]);
    const g = governanceOf(result);
    const d = g.deployments!.deployments.production!;
    expect(d.stages.map((s) => s.at)).toEqual(["T-30m", "T-20m", "T-10m", "T+10m", "T+30m"]);
    expect(d.updates.every).toBe("5m");
    expect(d.go_no_go.decide).toEqual(["deployment-lead"]);
    expect(new Set(d.stages.flatMap((s) => s.items.map((i) => i.owner)))).toEqual(new Set(["deployment-lead", "devops-engineer", "qa-lead", "on-call", "product-manager"]));
    expect(g.authority!.rollback!.types[d.rollback!]!.decide).toEqual(["deployment-lead"]);
  });
});
