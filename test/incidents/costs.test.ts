/**
 * Requests to GitHub, counted (not timed): per incident opened, per command, and per sweep as a
 * function of open incidents (1, 100, 1,000) and of other open issues (0, 10,000).
 * The figures are printed as a table and asserted, so a change in cost shows up here.
 */
import { afterEach, describe, expect, it } from "vitest";
import { statusCommentBody } from "../../src/core/incidents/messages.js";
import { openIncident } from "../../src/core/incidents/transitions.js";
import type { Governance } from "../../src/core/model/governance.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";
import { BOT, CHARTER_APP, SEALING } from "./support/fake-github.js";
import { cleanup, world, type World } from "./support/world.js";

afterEach(cleanup);

const T0 = "2025-06-04T10:00:00Z";
const rows: string[] = [];

function count(w: World): { total: number; governance: number; api: number; detail: string } {
  const gov = w.gh.requests.filter((r) => r.governance).length;
  const api = w.gh.api();
  const kinds = new Map<string, number>();
  for (const r of api) {
    const k = `${r.method} ${r.path.replace(/\/\d+/g, "/:n").replace(/\/labels\/.+$/, "/labels/:name").replace(/^\/repos\/[^/]+\/[^/]+/, "")}`;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  return { total: gov + api.length, governance: gov, api: api.length, detail: [...kinds].map(([k, n]) => `${n}× ${k}`).join(", ") };
}

function row(what: string, c: ReturnType<typeof count>): void {
  rows.push(`| ${what} | ${c.total} | ${c.governance} | ${c.detail} |`);
}

/** Seed `n` open P1 incidents (opened at t0, state written) and `others` non-incident open issues directly in the fake. */
async function seed(w: World, n: number, others: number): Promise<void> {
  const loaded = await loadGovernance(memorySource(d9Files(), "governance"));
  if (!loaded.ok) throw new Error("D9");
  const g: Governance = loaded.governance;
  for (let i = 0; i < others; i++) w.gh.addIssue({ number: 100_000 + i, title: `Feature ${i}`, labels: ["enhancement"] });
  for (let i = 0; i < n; i++) {
    const number = 1 + i;
    w.gh.addIssue({ number, title: `Incident ${number}`, labels: ["incident", "severity: P1"], assignees: ["olga-oncall"] });
    const { state } = openIncident({ g, now: w.t0 }, { inc: g.incidents!, issue: { number, title: `Incident ${number}`, author: "rita" }, severity: "P1", openedAt: w.t0, zone: "Europe/Berlin" });
    w.gh.comments.push({ id: 50_000 + i, issue: number, user: BOT, body: statusCommentBody(state, SEALING), created_at: T0, updated_at: T0, app: CHARTER_APP });
  }
}

describe("requests to GitHub", () => {
  it("per incident opened and per command", async () => {
    const w = await world({ t0: T0 });
    await w.open({ number: 1, title: "First", labels: ["incident", "severity: P1"] });
    const first = count(w);
    row("open an incident (first event of the process: every handler reads governance, labels listed)", first);
    w.gh.clear();
    await w.open({ number: 2, title: "Second", labels: ["incident", "severity: P1"] });
    const opened = count(w);
    row("open an incident (labels present)", opened);
    expect(opened.api).toBe(2); // status comment + assignees (plus a conditional governance read per handler)
    w.gh.clear();
    await w.open({ number: 3, title: "Form", body: "### Severity\n\nP2\n\n### Impact\n\nx", labels: [] });
    row("open an incident from the form when the label did not apply", count(w));
    w.gh.clear();
    await w.open({ number: 4, title: "Not an incident", labels: ["bug"] });
    const notIncident = count(w);
    row("a new issue that is not an incident", notIncident);
    expect(notIncident.api).toBe(0);

    const commands: [string, string, string][] = [
      ["/ack", "omar-oncall", "/ack"],
      ["/update", "olga-oncall", "/update identified Disk full"],
      ["/escalate", "olga-oncall", "/escalate"],
      ["/commander", "ana-owner", "/commander @sam-sre"],
      ["/page", "olga-oncall", "/page database-owner look at replication"],
      ["plain comment on an incident (reconciles it)", "olga-oncall", "looking at it"],
      ["/severity", "olga-oncall", "/severity P2 contained"],
      ["/resolve (P2: no review)", "olga-oncall", "/resolve Disk full"],
      ["/reopen", "olga-oncall", "/reopen"],
      ["/severity P1 again", "olga-oncall", "/severity P1 back"],
      ["/resolve (P1: opens the review)", "olga-oncall", "/resolve Disk full again"],
      ["/oncall", "anybody", "/oncall"],
      ["refused /severity (not allowed)", "mallory", "/severity P3"],
    ];
    const perCommand: Record<string, number> = {};
    w.at(5);
    for (const [what, who, body] of commands) {
      w.gh.clear();
      await w.say(2, who, body);
      const c = count(w);
      perCommand[what] = c.api;
      row(`${what}`, c);
    }
    expect(perCommand["/ack"]).toBe(4); // read state, state write, assign the acknowledger, 👍
    expect(perCommand["refused /severity (not allowed)"]).toBe(1); // the reply
    expect(perCommand["plain comment on an incident (reconciles it)"]).toBe(1); // read the state; nothing due
  });

  // 1,000 incidents mean ~5,000 mocked requests (about two minutes here): run with CHARTER_COSTS_FULL=1.
  const full = process.env.CHARTER_COSTS_FULL === "1";
  for (const [n, others, always] of [
    [1, 0, true],
    [100, 0, true],
    [1, 10_000, true],
    [1000, 0, false],
    [100, 10_000, false],
  ] as const) {
    it.runIf(always || full)(`per sweep: ${n} open incident(s), ${others} other open issues`, async () => {
      const w = await world({ t0: T0 });
      await seed(w, n, others);
      w.at(1);
      // cold: a fresh process reads every incident's state once
      await w.restart();
      w.gh.clear();
      await w.sweep();
      const cold = count(w);
      row(`sweep after a restart, ${n} incidents, ${others} other issues, nothing due`, cold);
      // warm: nothing due, nothing changed since
      w.at(2);
      w.gh.clear();
      await w.sweep();
      const warm = count(w);
      row(`sweep, ${n} incidents, ${others} other issues, nothing due`, warm);
      const listPages = Math.max(1, Math.ceil(n / 100));
      // incidents are listed by the incident label and by every severity label (a removed label hides none):
      // `incident` and `severity: P1` are on every seeded incident, `severity: P2` and `severity: P3` list nothing
      const listing = 2 * listPages + 2;
      expect(warm.total).toBe(1 + listing); // the default branch (conditional) and the incident lists
      // one step due on every incident (+15: secondary)
      w.at(15);
      w.gh.clear();
      await w.sweep();
      const due = count(w);
      row(`sweep, ${n} incidents, ${others} other issues, a step due on each`, due);
      expect(due.api).toBe(listing + 4 * n); // per incident: read its status comment, page, assign, write the state
      expect(due.governance).toBe(1); // the conditional read of the default branch
      expect(cold.api).toBe(listing + n); // per incident: list its comments once (nothing to write)
    }, 300_000);
  }

  it("prints the table", () => {
    console.log(["| what | requests | of which governance | requests by endpoint |", "|---|---|---|---|", ...rows].join("\n"));
  });
});
