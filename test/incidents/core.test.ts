/**
 * The pure core: due work from (state, time), the ladder's `until` and `repeat`, re-planning,
 * the issue form, templates, the state marker.
 */
import { describe, expect, it } from "vitest";
import { dueActions, nextDueAt } from "../../src/core/incidents/due.js";
import { parseIncidentForm, severityWord } from "../../src/core/incidents/form.js";
import { compactState, decodeState, encodeState, MAX_STATE_CHARS } from "../../src/core/incidents/marker.js";
import { planPass } from "../../src/core/incidents/pass.js";
import { fillTemplate } from "../../src/core/incidents/template.js";
import { acknowledge, changeSeverity, isRefused, openIncident, recordUpdate, resolveIncident, type Outcome } from "../../src/core/incidents/transitions.js";
import type { IncidentState } from "../../src/core/incidents/state.js";
import type { Governance } from "../../src/core/model/governance.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";
import { TEST_IDENTITY } from "../support/identity.js";

const T0 = new Date("2025-06-04T10:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

async function model(changes: Record<string, string | null> = {}): Promise<Governance> {
  const r = await loadGovernance(memorySource(d9Files(changes), "governance"));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics.slice(0, 3)));
  return r.governance;
}

function open(g: Governance, severity: string, now = T0): IncidentState {
  return openIncident({ g, now }, { inc: g.incidents!, issue: { number: 1, title: "Down", author: "rita" }, severity, openedAt: T0, zone: "Europe/Berlin" }).state;
}

/** Run passes at each minute, returning the due kinds done per minute. */
function run(g: Governance, state: IncidentState, minutes: number[]): { state: IncidentState; log: [number, string[]][] } {
  const log: [number, string[]][] = [];
  let s = state;
  for (const m of minutes) {
    const pass = planPass({ g, now: at(m) }, s);
    s = pass.state;
    if (pass.actions.length) log.push([m, pass.actions.map((a) => (a.kind === "step" ? `step${a.index}` : a.kind === "repeat" ? `repeat${a.k}` : a.kind))]);
  }
  return { state: s, log };
}

const minutes = (to: number) => Array.from({ length: to }, (_, i) => i + 1);

describe("due work", () => {
  it("P2: `until: resolved` steps come even after /ack; nothing is due once resolved", async () => {
    const g = await model();
    let s = open(g, "P2");
    const acked = acknowledge({ g, now: at(5) }, s, "olga-oncall") as Outcome;
    s = acked.state;
    const { log, state } = run(g, s, minutes(70));
    expect(log).toEqual([
      [30, ["step1", "reminder"]],
      [60, ["step2", "reminder"]],
    ]);
    const resolved = resolveIncident({ g, now: at(70) }, g.incidents!, state, "olga-oncall", { rootCause: "x", resolution: "" });
    if ("refused" in resolved) throw new Error("refused");
    expect(dueActions(resolved.outcome().state, at(500))).toEqual([]);
    expect(nextDueAt(resolved.outcome().state, at(500))).toBeUndefined();
  });

  it("repeat: the last step again every N until acknowledged, at most max; after downtime only the latest repeat, saying how many were skipped", async () => {
    const inc = d9Files()["incidents.yml"]!.replace(
      "    updates_every: 30m\n    remind: [owner]\n    review: { required: true, within: 5d, owner: ingestion-owner }",
      "    repeat: { every: 10m, max: 3 }\n    review: { required: true, within: 5d, owner: ingestion-owner }",
    );
    const g = await model({ "incidents.yml": inc });
    const s = open(g, "P1");
    expect(run(g, s, minutes(120)).log).toEqual([
      [15, ["step1", "ack-deadline"]],
      [30, ["step2"]],
      [60, ["step3"]],
      [70, ["repeat1"]],
      [80, ["repeat2"]],
      [90, ["repeat3"]],
    ]);
    // down from +1 to +87: steps once each (late), then only repeat 2 (repeat 1 skipped)
    const late = planPass({ g, now: at(87) }, s);
    expect(late.actions.map((a) => [a.kind, a.lateness, a.kind === "repeat" ? a.skipped : 0])).toEqual([
      ["step", "late", 0],
      ["ack-deadline", "late", 0],
      ["step", "late", 0],
      ["step", "late", 0],
      ["repeat", "late", 1],
    ]);
    expect(late.lines.at(-1)).toContain("(1 earlier repeat was not sent: Charter was not running)");
    // an /ack stops repeats
    const acked = (acknowledge({ g, now: at(61) }, run(g, s, minutes(60)).state, "olga-oncall") as Outcome).state;
    expect(run(g, acked, [70, 80, 90]).log).toEqual([]);
  });

  it("nextDueAt: the earliest instant something becomes due, so an unchanged incident can be skipped until then", async () => {
    const g = await model();
    const s = open(g, "P1");
    expect(new Date(nextDueAt(s, at(1))!).toISOString()).toBe(at(15).toISOString());
    const after15 = run(g, s, [15]).state;
    expect(new Date(nextDueAt(after15, at(16))!).toISOString()).toBe(at(30).toISOString());
    const acked = (acknowledge({ g, now: at(20) }, after15, "olga-oncall") as Outcome).state;
    // acknowledged: the ladder stops, the next status-update reminder remains
    expect(new Date(nextDueAt(acked, at(20))!).toISOString()).toBe(at(30).toISOString());
    const updated = (recordUpdate({ g, now: at(25) }, g.incidents!, acked, "olga-oncall", { status: "identified", findings: "disk", nextSteps: "" }) as Outcome).state;
    expect(new Date(nextDueAt(updated, at(25))!).toISOString()).toBe(at(55).toISOString());
  });

  it("re-planning: a severity change to P1 at +40 of a P2 pages the past P1 steps now (once, marked), skips the ones already paged", async () => {
    const g = await model();
    const s = run(g, open(g, "P2"), minutes(39)).state; // P2: primary at 0, secondary at 30
    const change = changeSeverity({ g, now: at(40) }, g.incidents!, s, "P1", "sam-sre", "");
    if (isRefused(change)) throw new Error(change.refused);
    expect(change.state.pages.filter((p) => p.key.startsWith("s2.")).map((p) => [p.key, p.kind, p.late ?? ""])).toEqual([
      ["s2.0", "covered", ""], // primary: paged at 0 already
      ["s2.1", "covered", ""], // secondary: paged at 30 already
      ["s2.2", "step", "replanned"], // Ingestion Owner (+30 on P1): paged now
    ]);
    expect(change.labels).toEqual({ add: ["severity: P1"], remove: ["severity: P2"] });
    expect(isRefused(changeSeverity({ g, now: at(41) }, g.incidents!, change.state, "P1", "sam-sre", ""))).toBe(true);
  });

  it("a ladder recorded at opening stays in force when incidents.yml changes later", async () => {
    const g = await model();
    const s = open(g, "P1");
    const edited = await model({ "incidents.yml": d9Files()["incidents.yml"]!.replace("{ after: 15m, notify: [on-call-secondary], note: Secondary joins }", "{ after: 5m, notify: [sre-lead], note: SRE first }") });
    expect(run(edited, s, minutes(16)).log).toEqual([[15, ["step1", "ack-deadline"]]]);
    const pass = planPass({ g: edited, now: at(15) }, s);
    expect(pass.state.pages.at(-1)).toMatchObject({ targets: ["on-call-secondary"], people: ["omar-oncall"] });
  });
});

describe("issue form, templates, marker", () => {
  it("parses the form's sections; `_No response_` is no answer", () => {
    expect(parseIncidentForm("### Severity\n\nP1 — System down\n\n### Impact\n\nAll uploads fail\nsince 11:50\n\n### Service or area\n\n_No response_")).toEqual({
      severity: "P1 — System down",
      impact: "All uploads fail\nsince 11:50",
    });
    expect(parseIncidentForm("just a bug report")).toBeUndefined();
    expect(severityWord("P1 — System down")).toBe("P1");
    expect(severityWord("SEV-1: outage")).toBe("SEV-1");
  });

  it("fills known placeholders, writes — for missing values, leaves unknown ones alone", () => {
    expect(fillTemplate("{{severity}} {{ impact }} {{nope}} {{findings}}", { severity: "P1", impact: "x" }, ["severity", "impact", "findings"])).toBe("P1 x {{nope}} —");
  });

  it("the marker round-trips, escapes `-->` and stays under the size limit", async () => {
    const g = await model();
    let s = open(g, "P1");
    s = { ...s, title: "a --> b <!-- c" };
    const sealing = { keys: TEST_IDENTITY.keys, repo: "acme/ingestion" };
    const text = encodeState(s, sealing);
    expect(text.match(/-->/g)).toHaveLength(1);
    expect(decodeState(`before ${text}`, sealing, s.issue)).toEqual({ ok: true, state: s });
    // the marker must end the comment, be sealed here, for this issue
    expect(decodeState(`before ${text} after`, sealing, s.issue)).toMatchObject({ ok: false });
    expect(decodeState(text, { ...sealing, repo: "acme/other" }, s.issue)).toMatchObject({ ok: false });
    expect(decodeState(text, sealing, s.issue + 1)).toMatchObject({ ok: false });
    expect(decodeState("<!-- charter:incident {not json} -->", sealing, s.issue)).toMatchObject({ ok: false });
    const big = { ...s, updates: Array.from({ length: 400 }, (_, i) => ({ by: "x", at: T0.toISOString(), status: "investigating" as const, text: "y".repeat(300) + i })) };
    const compact = compactState(big);
    expect(JSON.stringify(compact).length).toBeLessThanOrEqual(MAX_STATE_CHARS + 100);
    expect(compact.ladder).toEqual(s.ladder);
  });
});
