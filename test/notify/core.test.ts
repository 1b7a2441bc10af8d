/**
 * The pure core of notifications: routing (D9 §4.4 contacts and §7.1 routes, seed 000's Slack
 * channels by severity and service), the outbox (what is sent again after a crash, per kind of
 * channel; retries and backoff; backup contacts), the words of `charter explain notify`, and the
 * recovery of a lapsed acknowledgement from Charter's own comment.
 */
import { describe, expect, it } from "vitest";
import { explain } from "../../src/core/explain/index.js";
import { notifyPlan } from "../../src/core/explain/notify.js";
import type { IncidentState } from "../../src/core/incidents/state.js";
import type { Governance } from "../../src/core/model/governance.js";
import { pageDedupKey } from "../../src/core/notify/incident.js";
import type { NotifyMessage } from "../../src/core/notify/message.js";
import { compactOutbox, enqueue, markOrphaned, MAX_DELIVERIES, recordAttempt, resumable, triggeredAlerts, type Outbox } from "../../src/core/notify/outbox.js";
import { pagerDutyEvent, slackPayload, webhookBody } from "../../src/core/notify/payloads.js";
import { recover } from "../../src/github/incidents/store.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { governanceFiles } from "../support/governance-mock.js";
import { eventsV2Problems } from "./support/pagerduty.js";

async function model(dir: string): Promise<Governance> {
  const r = await loadGovernance(memorySource(governanceFiles(dir, { notify: true }), "governance"));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.governance;
}

const d9 = await model("governance");
const seed000 = await model("examples/seven-person-team/governance");
const channels = (plan: ReturnType<typeof notifyPlan>) => plan.destinations.map((d) => [d.channel, d.why.join("; "), (d.backup ?? []).join(",")]);

describe("routing", () => {
  it("D9 §7.1: incident start, updates and resolution go to #ingestion-rollout; GA to #general and by email; kill-switch events to the log channel", () => {
    for (const event of ["incident.start", "incident.update", "incident.resolved"] as const) {
      expect(channels(notifyPlan(d9, { event, severity: "P2" }))).toEqual([["ingestion-rollout", "route 1 (§7.1: incident start, updates every 30 min, resolution in #ingestion-rollout)", ""]]);
    }
    expect(notifyPlan(d9, { event: "ga.declared" }).destinations.map((d) => d.channel)).toEqual(["general", "ga-email"]);
    expect(notifyPlan(d9, { event: "killswitch.resumed" }).destinations.map((d) => d.channel)).toEqual(["ingestion-rollout"]);
    expect(notifyPlan(d9, { event: "handoff" }).destinations.map((d) => [d.channel, d.why])).toEqual([["ingestion-rollout", ["route 3 (§3.3: handoff summary in #ingestion-rollout)"]]]);
  });

  it("D9 §4.4: a page to a role goes to its primary contact, with the backup kept for when it cannot be reached; two roles, two contacts, one channel once", () => {
    expect(channels(notifyPlan(d9, { event: "incident.page", severity: "P1", targets: ["on-call-secondary"] }))).toEqual([["pager-secondary", "primary contact of On-Call Secondary", "phone-oncall"]]);
    expect(channels(notifyPlan(d9, { event: "incident.page", severity: "P1", targets: ["sre-lead", "ingestion-owner"] }))).toEqual([["phone-leads", "primary contact of SRE Lead; primary contact of Ingestion Owner", "sre-dm,owner-dm"]]);
  });

  it("PagerDuty takes triggers only: an update is not sent there, an acknowledgement or resolution follows the alert by itself", () => {
    const g: Governance = { ...d9, notify: { ...d9.notify!, routes: [{ events: ["incident.*"], to: ["pager-primary", "ingestion-rollout"] }] } };
    expect(notifyPlan(g, { event: "incident.update", severity: "P1" })).toEqual({
      destinations: [{ channel: "ingestion-rollout", kind: "slack", title: "#ingestion-rollout", why: ["route 1"] }],
      skipped: [{ channel: "pager-primary", title: "PagerDuty (on-call primary)", why: "PagerDuty takes only alerts (triggers), not this kind of message" }],
    });
    expect(notifyPlan(g, { event: "incident.resolved", severity: "P1" }).skipped[0]!.why).toBe("PagerDuty: the incident's alert is resolved there by itself");
  });

  it("seed 000: #alerts-critical for P0/P1, #alerts-warning for P2, #alerts-info for P3/P4, and #security-alerts as well for security incidents", () => {
    const to = (severity: string, service?: string) => notifyPlan(seed000, { event: "incident.start", severity, ...(service ? { service } : {}) }).destinations.map((d) => d.title);
    expect([to("P0"), to("P1"), to("P2"), to("P3"), to("P4")]).toEqual([["#alerts-critical"], ["#alerts-critical"], ["#alerts-warning"], ["#alerts-info"], ["#alerts-info"]]);
    // the form's answer "Security" is the area `security`
    expect(to("P1", "Security")).toEqual(["#alerts-critical", "#security-alerts"]);
  });
});

const message = (key: string, extra: Partial<NotifyMessage> = {}): NotifyMessage => ({ key, event: "incident.page", title: `t ${key}`, text: `x ${key}`, at: "2025-06-02T10:15:00.000Z", severity: "P1", targets: ["on-call-secondary"], episode: 1, alert: { dedupKey: "charter:acme/ingestion#12", action: "trigger" }, ...extra });
const NOW = new Date("2025-06-02T10:15:00Z");
const ids = (o: Outbox) => o.deliveries.map((d) => `${d.message}@${d.channel}:${d.status}`);

describe("the outbox", () => {
  it("records each delivery once, whatever sends the same message again", () => {
    const a = enqueue(undefined, d9, [message("s1.1")]);
    expect(a.added).toEqual(["s1.1@pager-secondary"]);
    const b = enqueue(a.outbox, d9, [message("s1.1")]);
    expect(b.added).toEqual([]);
    expect(b.outbox).toEqual(a.outbox);
  });

  it("an acknowledgement or resolution goes to every PagerDuty channel that got a trigger in that episode", () => {
    let o = enqueue(undefined, d9, [message("s1.0", { targets: ["on-call-primary"] }), message("s1.1")]).outbox;
    o = enqueue(o, d9, [message("a1.0", { event: "incident.acknowledged", targets: undefined, alert: { dedupKey: "charter:acme/ingestion#12", action: "acknowledge" } })]).outbox;
    expect(o.deliveries.filter((d) => d.message === "a1.0").map((d) => [d.channel, d.action])).toEqual([
      ["pager-primary", "acknowledge"],
      ["pager-secondary", "acknowledge"],
    ]);
  });

  it("a retryable failure is retried after each delay of the policy, then fails for good and calls the backup contact", () => {
    const policy = { delaysMs: [10_000, 30_000] };
    let o = enqueue(undefined, d9, [message("s1.1")]).outbox;
    const id = "s1.1@pager-secondary";
    let r = recordAttempt(o, d9, id, 1, { ok: false, error: "HTTP 502", retryable: true }, NOW, policy);
    expect([r.retryInMs, r.outbox.deliveries[0]!.next]).toEqual([10_000, "2025-06-02T10:15:10.000Z"]);
    r = recordAttempt(r.outbox, d9, id, 2, { ok: false, error: "timed out after 10s", retryable: true }, NOW, policy);
    expect(r.retryInMs).toBe(30_000);
    r = recordAttempt(r.outbox, d9, id, 3, { ok: false, error: "HTTP 502", retryable: true }, NOW, policy);
    expect(r.retryInMs).toBeUndefined();
    expect(r.added).toEqual(["s1.1@phone-oncall"]);
    o = r.outbox;
    expect(o.deliveries.map((d) => [d.channel, d.status, d.attempts, d.error ?? "", d.backupOf ?? ""])).toEqual([
      ["pager-secondary", "failed", 3, "HTTP 502", ""],
      ["phone-oncall", "pending", 0, "", "s1.1@pager-secondary"],
    ]);
  });

  it("a failure no retry can fix (a 4xx, a missing variable) fails at once", () => {
    const o = enqueue(undefined, d9, [message("s1.1")]).outbox;
    const r = recordAttempt(o, d9, "s1.1@pager-secondary", 1, { ok: false, error: "HTTP 400", retryable: false }, NOW);
    expect([r.retryInMs, r.outbox.deliveries[0]!.status, r.added]).toEqual([undefined, "failed", ["s1.1@phone-oncall"]]);
  });

  it("after a crash: at-least-once kinds are sent again, at-most-once kinds are marked not confirmed; retries wait for their time; this process's sends are left alone", () => {
    const g: Governance = { ...d9, notify: { ...d9.notify!, contacts: { "on-call-secondary": { primary: ["pager-secondary", "pm-dm", "pm-email"] } } } };
    let o = enqueue(undefined, g, [message("s1.1")]).outbox;
    expect(resumable(o, NOW, new Set())).toEqual({ send: ["s1.1@pager-secondary"], orphaned: ["s1.1@pm-dm", "s1.1@pm-email"] });
    expect(resumable(o, NOW, new Set(["s1.1@pm-dm", "s1.1@pm-email", "s1.1@pager-secondary"]))).toEqual({ send: [], orphaned: [] });
    o = recordAttempt(o, g, "s1.1@pager-secondary", 1, { ok: false, error: "HTTP 503", retryable: true }, NOW).outbox;
    expect(resumable(o, NOW, new Set(["s1.1@pm-dm", "s1.1@pm-email"]))).toEqual({ send: [], orphaned: [], later: Date.parse("2025-06-02T10:15:10Z") });
    expect(resumable(o, new Date("2025-06-02T10:15:10Z"), new Set(["s1.1@pm-dm", "s1.1@pm-email"])).send).toEqual(["s1.1@pager-secondary"]);
    o = markOrphaned(o, ["s1.1@pm-dm"], NOW);
    expect(ids(o)).toEqual(["s1.1@pager-secondary:failed", "s1.1@pm-dm:unknown", "s1.1@pm-email:pending"]);
  });

  it("a lapsed acknowledgement's alert: the next /ack reaches only the alerts not acknowledged since their trigger, /resolve every alert of every channel, each once", () => {
    const K = "charter:acme/ingestion#12";
    const sent = (o: Outbox) => o.deliveries.reduce((x, d) => recordAttempt(x, d9, `${d.message}@${d.channel}`, 1, { ok: true }, NOW).outbox, o);
    const ack = (key: string) => message(key, { event: "incident.acknowledged", targets: undefined, alert: { dedupKey: K, action: "acknowledge" } });
    let o = sent(enqueue(undefined, d9, [message("s1.0", { targets: ["on-call-primary"] }), message("s1.1")]).outbox);
    o = sent(enqueue(o, d9, [ack("a1.0")]).outbox);
    // the lapse re-pages the secondary: a new alert on the secondary's service
    o = sent(enqueue(o, d9, [message("t1.0", { alert: { dedupKey: `${K}/t1.0`, action: "trigger" } })]).outbox);
    expect(triggeredAlerts(o, 1, K).map((a) => `${a.channel} ${a.dedupKey}`)).toEqual([`pager-primary ${K}`, `pager-secondary ${K}`, `pager-secondary ${K}/t1.0`]);
    expect(triggeredAlerts(o, 1, K, true).map((a) => `${a.channel} ${a.dedupKey}`)).toEqual([`pager-secondary ${K}/t1.0`]);
    const a = enqueue(o, d9, [ack("a1.1")]);
    expect(a.added).toEqual(["a1.1/t1.0@pager-secondary"]);
    expect(a.outbox.messages.find((m) => m.key === "a1.1/t1.0")!.alert).toEqual({ dedupKey: `${K}/t1.0`, action: "acknowledge" });
    o = sent(a.outbox);
    const x = enqueue(o, d9, [message("x1", { event: "incident.resolved", targets: undefined, alert: { dedupKey: K, action: "resolve" } })]);
    expect(x.added).toEqual(["x1@ingestion-rollout", "x1@pager-primary", "x1@pager-secondary", "x1/t1.0@pager-secondary"]);
    expect(x.outbox.deliveries.filter((d) => d.message.startsWith("x1") && d.kind === "pagerduty").map((d) => [d.channel, d.action, d.dedupKey])).toEqual([
      ["pager-primary", "resolve", K],
      ["pager-secondary", "resolve", K],
      ["pager-secondary", "resolve", `${K}/t1.0`],
    ]);
    // again (a redelivered webhook, a second sweep): nothing new
    expect(enqueue(x.outbox, d9, [ack("a1.1"), message("x1", { event: "incident.resolved", targets: undefined, alert: { dedupKey: K, action: "resolve" } })]).added).toEqual([]);
  });

  it("records written before Charter kept the dedup key are the incident's alert; an acknowledgement that failed for good is sent again at the next /ack", () => {
    const K = "charter:acme/ingestion#12";
    const legacy: Outbox = {
      messages: [],
      deliveries: [
        { message: "s1.1", channel: "pager-secondary", kind: "pagerduty", title: "PagerDuty (on-call secondary)", status: "sent", attempts: 1, action: "trigger", episode: 1 },
        { message: "a1.0", channel: "pager-secondary", kind: "pagerduty", title: "PagerDuty (on-call secondary)", status: "failed", attempts: 1, error: "HTTP 400", action: "acknowledge", episode: 1 },
      ],
    };
    expect(triggeredAlerts(legacy, 1, K)).toEqual([{ channel: "pager-secondary", dedupKey: K, title: "PagerDuty (on-call secondary)" }]);
    const r = enqueue(legacy, d9, [message("a1.1", { event: "incident.acknowledged", targets: undefined, alert: { dedupKey: K, action: "acknowledge" } })]);
    expect(r.added).toEqual(["a1.1@pager-secondary"]);
  });

  it("the alert of a page: the incident's, then, once an acknowledgement lapsed in the episode, the latest lapse's", () => {
    const page = (key: string, kind: string, episode = 1) => ({ key, kind, episode }) as unknown as IncidentState["pages"][number];
    const pages = [page("s1.0", "step"), page("s1.1", "step"), page("t1.0", "lapse"), page("s1.2", "step"), page("t1.1", "lapse"), page("r1.1", "repeat"), page("o2", "routing", 2)];
    const state = { issue: 12, pages };
    expect(pages.map((p) => pageDedupKey("Acme/Ingestion", state, p))).toEqual([
      "charter:acme/ingestion#12",
      "charter:acme/ingestion#12",
      "charter:acme/ingestion#12/t1.0",
      "charter:acme/ingestion#12/t1.0",
      "charter:acme/ingestion#12/t1.1",
      "charter:acme/ingestion#12/t1.1",
      "charter:acme/ingestion#12",
    ]);
  });

  it("compaction keeps the last trigger of each alert of the latest episode, whatever else it drops", () => {
    const K = "charter:acme/ingestion#12";
    let o = enqueue(undefined, d9, [message("s1.1"), message("t1.0", { alert: { dedupKey: `${K}/t1.0`, action: "trigger" } })]).outbox;
    for (let i = 0; i < MAX_DELIVERIES + 5; i++) o = enqueue(o, d9, [message(`p${i}`, { targets: ["product-manager"], alert: undefined })]).outbox;
    o = o.deliveries.reduce((x, d) => recordAttempt(x, d9, `${d.message}@${d.channel}`, 1, { ok: true }, NOW).outbox, o);
    const c = compactOutbox(o);
    expect(c.deliveries).toHaveLength(MAX_DELIVERIES);
    expect(triggeredAlerts(c, 1, K).map((a) => a.dedupKey)).toEqual([K, `${K}/t1.0`]);
  });

  it("compaction keeps what is still to send and drops the texts of finished messages and the oldest finished deliveries", () => {
    let o: Outbox = { messages: [], deliveries: [] };
    for (let i = 0; i < MAX_DELIVERIES + 10; i++) o = enqueue(o, d9, [message(`p${i}`)]).outbox;
    for (let i = 0; i < MAX_DELIVERIES + 9; i++) o = recordAttempt(o, d9, `p${i}@pager-secondary`, 1, { ok: true }, NOW).outbox;
    const c = compactOutbox(o);
    expect(c.messages.map((m) => m.key)).toEqual([`p${MAX_DELIVERIES + 9}`]);
    expect(c.deliveries).toHaveLength(MAX_DELIVERIES);
    expect(c.deliveries.at(-1)!.status).toBe("pending");
  });
});

describe("payloads", () => {
  it("PagerDuty events are valid Events API v2 bodies: trigger, acknowledge, resolve", () => {
    const m = message("s1.1", { incident: { repository: "acme/ingestion", number: 12, title: "down", severity: "P1", url: "https://github.com/acme/ingestion/issues/12" }, url: "https://github.com/acme/ingestion/issues/12", title: "x".repeat(5_000) });
    for (const action of ["trigger", "acknowledge", "resolve"] as const) {
      const event = { routing_key: "0123456789abcdef0123456789abcdef", ...pagerDutyEvent(m, action, { dedupKey: "charter:acme/ingestion#12", source: "acme/ingestion", severity: "critical" }) };
      expect(eventsV2Problems(event)).toEqual([]);
    }
  });

  it("a signed webhook's body has the Standard Webhooks shape; Slack gets a fallback text and a section", () => {
    const m = message("s1.1", { url: "https://github.com/acme/ingestion/issues/12" });
    expect(webhookBody(m, "acme/ingestion#12/s1.1@hook")).toEqual({
      type: "incident.page",
      timestamp: "2025-06-02T10:15:00.000Z",
      data: { id: "acme/ingestion#12/s1.1@hook", message: { key: "s1.1", title: "t s1.1", text: "x s1.1", url: "https://github.com/acme/ingestion/issues/12" }, page: { targets: ["on-call-secondary"], people: [] } },
    });
    expect(slackPayload(m)).toEqual({
      text: "t s1.1",
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: "x s1.1" } },
        { type: "context", elements: [{ type: "mrkdwn", text: "<https://github.com/acme/ingestion/issues/12|Open on GitHub>" }] },
      ],
    });
  });
});

describe("charter explain notify", () => {
  it("P1 in D9: every message in order, where it goes, the backup, and the variables it reads", () => {
    const r = explain(d9, "notify", ["P1"], { at: new Date("2025-06-02T10:00:00Z") });
    expect(r.ok).toBe(true);
    const text = r.ok ? r.text : "";
    expect(text).toContain("| +15m page: On-Call Secondary (@omar-oncall on call)");
    expect(text).toMatch(/\| PagerDuty \(on-call secondary\) \(`pager-secondary`\), else PagerDuty phone \(on-call\) \(`phone-oncall`\) +\| primary contact of On-Call Secondary +\|/);
    expect(text).toMatch(/\| acknowledgement \(`\/ack`\) +\| acknowledges the PagerDuty alert on `pager-primary`, `phone-oncall`, `pager-secondary`, `phone-leads` +\|/);
    expect(text).toContain("- PagerDuty (on-call secondary) (`pager-secondary`): pagerduty, at least once (a repeat is dropped by the receiver); reads `CHARTER_PAGERDUTY_SECONDARY_KEY`");
  });

  it("an event, per severity; unknown names get a suggestion", () => {
    const r = explain(seed000, "notify", ["event", "resolved"], { at: NOW });
    expect(r.ok && r.text.split("\n").filter((l) => l.startsWith("| P")).map((l) => l.split("|")[2]!.trim())).toEqual(["Slack #alerts-critical (`alerts-critical`)", "Slack #alerts-critical (`alerts-critical`)", "Slack #alerts-warning (`alerts-warning`)", "Slack #alerts-info (`alerts-info`)", "Slack #alerts-info (`alerts-info`)"]);
    expect(explain(d9, "notify", ["event", "resolvd"], { at: NOW })).toMatchObject({ ok: false, kind: "unknown", message: expect.stringContaining("did you mean `incident.resolved`?") });
    expect(explain(d9, "notify", [], { at: NOW })).toMatchObject({ ok: false, kind: "usage" });
  });

  it("`notify events`: the kill-switch, approval, GA, handoff and deployment events, what raises each, where it goes", () => {
    const r = explain(d9, "notify", ["events"], { at: NOW });
    const rows = r.ok ? r.text.split("\n").filter((l) => l.startsWith("| `")).map((l) => l.split("|").slice(1, 4).map((c) => c.trim())) : [];
    expect(rows.map((x) => x[0])).toEqual(["`ga.declared`", "`killswitch.activated`", "`killswitch.approved`", "`killswitch.resumed`", "`approval.needed`", "`handoff`", "`deployment.go`", "`deployment.update`", "`deployment.reminder`", "`deployment.issue`", "`deployment.resolved`", "`deployment.all-clear`"]);
    expect(rows[0]).toEqual(["`ga.declared`", "an advance into the GA phase (state/log.yml `advance`)", "Slack #general (`general`); email the GA announcement list (`ga-email`)"]);
    expect(rows[1]![2]).toBe("Slack #ingestion-rollout (`ingestion-rollout`)");
  });
});

describe("recovery", () => {
  it("a lapsed acknowledgement recorded in Charter's later comment is recovered when the state write was lost", () => {
    const state = { acks: [{ by: "olga-oncall", at: "2025-06-02T10:05:00.000Z", episode: 1 }], pages: [], processed: [], ackNoticed: [], episode: 1 } as unknown as IncidentState;
    const r = recover(state, [{ done: { keys: ["t1.0"], lapsed: { episode: 1, at: "2025-06-02T10:35:00.000Z" } }, at: "2025-06-02T10:35:00Z" }]);
    expect(r.changed).toBe(true);
    expect(r.state.acks).toEqual([{ by: "olga-oncall", at: "2025-06-02T10:05:00.000Z", episode: 1, lapsed: "2025-06-02T10:35:00.000Z" }]);
    expect(r.state.pages.map((p) => [p.key, p.kind])).toEqual([["t1.0", "lapse"]]);
  });
});
