/**
 * D9 §3.3: weekly handoff, Monday 09:00 Europe/Berlin. The handoff instants on both sides of the
 * spring (2025-03-30) and autumn (2025-10-26) daylight-saving changes, which handoffs are due when,
 * and what the message says.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dueHandoffs, handoffsBetween, nextHandoffDueAt } from "../../src/core/handoff/instants.js";
import { handoffComment, handoffMessage } from "../../src/core/handoff/message.js";
import type { Governance } from "../../src/core/model/governance.js";
import { routeMessage } from "../../src/core/notify/route.js";
import { loadGovernance } from "../../src/load/load.js";
import { directorySource } from "../../src/load/source.js";

let g: Governance;
beforeAll(async () => {
  const r = await loadGovernance(directorySource(join(import.meta.dirname, "..", "..", "governance"), "governance"));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  g = r.governance;
});

const iso = (hs: { at: Date }[]) => hs.map((h) => h.at.toISOString());

describe("handoff instants: Monday 09:00 Europe/Berlin across DST", () => {
  it("spring: 09:00 CET is 08:00Z on 2025-03-24, 09:00 CEST is 07:00Z on 2025-03-31", () => {
    const hs = handoffsBetween(g.oncall!, "ingestion", new Date("2025-03-23T00:00Z"), new Date("2025-04-01T00:00Z"));
    expect(iso(hs)).toEqual(["2025-03-24T08:00:00.000Z", "2025-03-31T07:00:00.000Z"]);
    // Omar covers Opal's week by an override: the primary does not change on the 24th, only the secondary
    expect(hs[0]!.changes.map((c) => [c.tier, c.from, c.to])).toEqual([["secondary", ["opal-oncall"], ["oscar-oncall"]]]);
    expect(hs[1]!.changes.map((c) => [c.tier, c.from, c.to])).toEqual([
      ["primary", ["omar-oncall"], ["oscar-oncall"]],
      ["secondary", ["oscar-oncall"], ["olga-oncall"]],
    ]);
  });

  it("autumn: 09:00 CEST is 07:00Z on 2025-10-20, 09:00 CET is 08:00Z on 2025-10-27", () => {
    const hs = handoffsBetween(g.oncall!, "ingestion", new Date("2025-10-19T00:00Z"), new Date("2025-10-28T00:00Z"));
    expect(iso(hs)).toEqual(["2025-10-20T07:00:00.000Z", "2025-10-27T08:00:00.000Z"]);
  });

  it("the Ingestion Owner's business hours starting and ending are not handoffs", () => {
    expect(handoffsBetween(g.oncall!, "ingestion", new Date("2025-04-01T00:00Z"), new Date("2025-04-06T00:00Z"))).toEqual([]);
  });

  it("is due from its instant for `late` (1h), and never at the wall-clock time of the other offset", () => {
    const due = (at: string) => iso(dueHandoffs(g, new Date(at)));
    expect(due("2025-03-31T06:59:59Z")).toEqual([]); // 08:59:59 CEST
    expect(due("2025-03-31T07:00:00Z")).toEqual(["2025-03-31T07:00:00.000Z"]);
    expect(due("2025-03-31T07:59:59Z")).toEqual(["2025-03-31T07:00:00.000Z"]);
    expect(due("2025-03-31T08:00:00Z")).toEqual([]);
    expect(due("2025-03-24T07:00:00Z")).toEqual([]); // 08:00 CET: an hour early in winter
    expect(due("2025-03-24T08:00:00Z")).toEqual(["2025-03-24T08:00:00.000Z"]);
  });

  it("says when the next one is due (a timer's instant)", () => {
    expect(nextHandoffDueAt(g, new Date("2025-03-30T12:00Z"))).toBe(Date.parse("2025-03-31T07:00Z"));
    expect(nextHandoffDueAt(g, new Date("2025-03-31T07:00Z"))).toBe(Date.parse("2025-04-07T07:00Z"));
    expect(nextHandoffDueAt(g, new Date("2025-10-21T12:00Z"))).toBe(Date.parse("2025-10-27T08:00Z"));
    expect(nextHandoffDueAt({ ...g, oncall: { ...g.oncall!, handoff_messages: undefined } }, new Date("2025-03-30T12:00Z"))).toBeUndefined();
  });
});

describe("the handoff message", () => {
  const facts = {
    repo: "acme/ingestion",
    incidents: [{ number: 12, title: "Uploads failing @mallory <!-- charter:record -->", severity: "P1", url: "https://github.com/acme/ingestion/issues/12", assignees: ["omar-oncall"] }],
    approvals: [{ number: 15, title: "Advance: phase P3 → P4", url: "https://github.com/acme/ingestion/pull/15", kind: "advance", by: "pat-pm" }],
    url: "https://github.com/acme/ingestion/issues/3",
  };

  it("mentions the outgoing and incoming people, lists what is open, and each side's checklist from oncall.yml", () => {
    const h = handoffsBetween(g.oncall!, "ingestion", new Date("2025-03-30T00:00Z"), new Date("2025-04-01T00:00Z"))[0]!;
    const text = handoffComment(g, h, facts);
    expect(text).toContain("### 🔁 On-call handoff: Ingestion on-call: Mon 2025-03-31 09:00 CEST");
    expect(text).toContain("| Primary | @omar-oncall | @oscar-oncall |");
    expect(text).toContain("| Secondary | @oscar-oncall | @olga-oncall |");
    expect(text).toContain("- #12 P1 Uploads failing @\u200bmallory &lt;!-- charter:record --&gt; (omar-oncall)");
    expect(text).toContain("**Active kill-switches (0)**\n- none");
    expect(text).toContain("- #15 Advance: phase P3 → P4 (phase advance, asked by pat-pm)");
    expect(text).toContain("**Outgoing (@omar-oncall, @oscar-oncall)**\n- [ ] Update #ingestion-rollout with status summary");
    expect(text).toContain("**Incoming (@oscar-oncall, @olga-oncall)**\n- [ ] Review last 24h of alerts");
  });

  it("goes to the handoff route and the tiers' contacts, but pages no one's PagerDuty", () => {
    const h = handoffsBetween(g.oncall!, "ingestion", new Date("2025-03-30T00:00Z"), new Date("2025-04-01T00:00Z"))[0]!;
    const m = handoffMessage(g, h, facts);
    expect(m.event).toBe("handoff");
    expect(m.targets).toEqual(["ingestion/primary", "ingestion/secondary", "on-call-primary", "on-call-secondary", "on-call"]);
    expect(m.text).not.toMatch(/@[A-Za-z0-9]/); // no mention outside GitHub either
    const { destinations, skipped } = routeMessage(g, { event: "handoff", targets: m.targets! });
    expect(destinations.map((d) => d.channel)).toEqual(["ingestion-rollout"]);
    expect(skipped.map((s) => [s.channel, s.why])).toEqual([
      ["pager-primary", "PagerDuty contacts take pages only, not this message"],
      ["pager-secondary", "PagerDuty contacts take pages only, not this message"],
    ]);
    // a page still reaches the PagerDuty contact
    expect(routeMessage(g, { event: "incident.page", targets: ["on-call-secondary"] }).destinations.map((d) => d.channel)).toContain("pager-secondary");
  });
});
