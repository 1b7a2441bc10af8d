/**
 * Pages reach people where they are: the real app, the fake GitHub of the incident tests, and real
 * receivers on loopback (Slack, Teams, a signed webhook, PagerDuty, an SMTP server). D9 on Mon
 * 2025-06-02 (12:00 Berlin): primary olga-oncall, secondary omar-oncall.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import nock from "nock";
import { Webhook } from "standardwebhooks";
import { OWNER, REPO } from "../support/governance-mock.js";
import { eventsV2Problems } from "./support/pagerduty.js";
import { ALL_CHANNELS_NOTIFY, SmtpReceiver, startReceivers, type Receivers } from "./support/receivers.js";
import { DEAD_QUEUE, notifyWorld, type NotifyWorld } from "./support/world.js";

const T0 = "2025-06-02T10:00:00Z";
const R = `/repos/${OWNER}/${REPO}`;
let rx: Receivers;

beforeEach(async () => {
  rx = await startReceivers();
});
afterEach(async () => {
  nock.cleanAll();
  await rx.stop();
});

async function p1(options: Partial<Parameters<typeof notifyWorld>[0]> = {}): Promise<NotifyWorld> {
  const w = await notifyWorld({ t0: T0, notify: ALL_CHANNELS_NOTIFY, env: rx.env, ...options });
  await w.open({ number: 12, title: "Ingestion is down", labels: ["incident", "severity: P1"] });
  await w.settle();
  return w;
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const pagesOf = (w: NotifyWorld, key: string) => w.gh.state(12).notify?.deliveries.filter((d) => d.message === key) ?? [];

describe("a page reaches every configured channel, once", () => {
  it("P1, nobody acknowledges: at +15 the secondary is paged on GitHub, Slack, Teams, email, the signed webhook and PagerDuty", async () => {
    const w = await p1();
    // opening: the start message goes to Slack and Teams (route), nothing else yet
    expect(rx.slack.received).toHaveLength(1);
    expect(rx.teams.received).toHaveLength(1);
    expect(rx.pagerduty.received).toHaveLength(0);
    w.at(15);
    w.gh.clear();
    const started = Date.now();
    await w.sweep();
    const sweepMs = Date.now() - started;
    // GitHub first: the page comment, the assignee, the state (with the deliveries pending)
    expect(w.gh.writes().map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${R}/issues/12/comments`, `POST ${R}/issues/12/assignees`, `PATCH ${R}/issues/comments/${w.gh.botComments(12)[0]!.id}`]);
    // the page of the secondary, and the acknowledgement deadline (15m) addressing the primary
    expect(w.gh.posted(12).at(-1)!.mentions).toEqual(["omar-oncall", "olga-oncall"]);
    expect(pagesOf(w, "s1.1").map((d) => [d.channel, d.status])).toEqual([
      ["pager-secondary", "pending"],
      ["ingestion-rollout", "pending"],
      ["ops-teams", "pending"],
      ["oncall-email", "pending"],
      ["audit-hook", "pending"],
    ]);
    await w.settle();
    expect(sweepMs).toBeLessThan(2_000);
    // the outcome is recorded in one more write of the state
    expect(pagesOf(w, "s1.1").map((d) => [d.channel, d.status, d.attempts, d.at])).toEqual([
      ["pager-secondary", "sent", 1, "2025-06-02T10:15:00.000Z"],
      ["ingestion-rollout", "sent", 1, "2025-06-02T10:15:00.000Z"],
      ["ops-teams", "sent", 1, "2025-06-02T10:15:00.000Z"],
      ["oncall-email", "sent", 1, "2025-06-02T10:15:00.000Z"],
      ["audit-hook", "sent", 1, "2025-06-02T10:15:00.000Z"],
    ]);

    // PagerDuty: one trigger, valid against the documented Events API v2, with the incident's dedup key
    expect(rx.pagerduty.received).toHaveLength(1);
    const trigger = rx.pagerduty.received[0]!.json as Record<string, unknown>;
    expect(eventsV2Problems(trigger)).toEqual([]);
    expect(trigger).toMatchObject({
      routing_key: rx.routingKey,
      event_action: "trigger",
      dedup_key: "charter:acme/ingestion#12",
      payload: { summary: "P1 incident #12: Ingestion is down: step 2 of 4 of the P1 ladder (+15m, Secondary joins) pages omar-oncall (On-Call Secondary)", severity: "critical", source: "acme/ingestion", class: "incident.page" },
    });
    // Slack: the page, text only (no mention can be made from it)
    const slack = rx.slack.received[1]!.json as { text: string; blocks: { text?: { text: string } }[] };
    expect(slack.text).toBe("P1 incident #12: Ingestion is down: step 2 of 4 of the P1 ladder (+15m, Secondary joins) pages omar-oncall (On-Call Secondary)");
    expect(slack.blocks[0]!.text!.text).toContain("Not acknowledged (opened 12:00 CEST). Acknowledge with /ack on the issue.");
    // Teams: an Adaptive Card
    const teams = rx.teams.received[1]!.json as { type: string; attachments: { contentType: string; content: { type: string; body: { text: string }[] } }[] };
    expect(teams.type).toBe("message");
    expect(teams.attachments[0]!.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(teams.attachments[0]!.content.body[0]!.text).toContain("pages omar-oncall (On-Call Secondary)");
    // the signed webhook verifies with the standardwebhooks library, and names the delivery
    expect(rx.webhook.received).toHaveLength(1);
    const hook = rx.webhook.received[0]!;
    const verified = new Webhook(rx.secret).verify(hook.body, hook.headers) as { type: string; data: { id: string; page: { people: string[] } } };
    expect(verified.type).toBe("incident.page");
    expect(verified.data.id).toBe("acme/ingestion#12/s1.1@audit-hook");
    expect(hook.headers["webhook-id"]).toBe("acme/ingestion#12/s1.1@audit-hook");
    expect(verified.data.page.people).toEqual(["omar-oncall"]);
    // email, through a real SMTP server
    expect(rx.smtp.mails).toHaveLength(1);
    const mail = rx.smtp.mails[0]!;
    expect(mail.to).toEqual(["oncall@example.com"]);
    expect(SmtpReceiver.header(mail, "subject")).toBe("[Charter] P1 incident #12: Ingestion is down: step 2 of 4 of the P1 ladder (+15m, Secondary joins) pages omar-oncall (On-Call Secondary)");
    // the status comment says where the page went
    const status = w.gh.botComments(12)[0]!.body;
    expect(status).toContain("| 2 | +15m (12:15 CEST) | On-Call Secondary | Secondary joins | ✅ paged `omar-oncall` at 12:15 CEST on GitHub, PagerDuty (on-call secondary), Slack #ingestion-rollout, Ops (Teams), email on-call list, webhook audit hook |");
    expect(status).toContain("<details><summary>Notifications outside GitHub: 7 sent</summary>");
  });

  it("exactly once: a second sweep, a redelivered webhook and a restart send nothing again", async () => {
    const w = await p1();
    w.at(15);
    await w.sweep();
    await w.settle();
    const count = () => [rx.slack, rx.teams, rx.webhook, rx.pagerduty].map((r) => r.received.length).concat(rx.smtp.mails.length);
    const after = count();
    expect(after).toEqual([2, 2, 1, 1, 1]);
    await w.sweep();
    await w.deliver("issues", w.gh.issuesPayload("labeled", 12, { label: "severity: P1" }), "d-redelivered");
    await w.deliver("issues", w.gh.issuesPayload("labeled", 12, { label: "severity: P1" }), "d-redelivered");
    await w.settle();
    await w.restart();
    w.at(16);
    await w.sweep();
    await w.settle();
    expect(count()).toEqual(after);
  });

  it("/ack acknowledges the PagerDuty alert and /resolve resolves it, with the incident's dedup key", async () => {
    const w = await p1();
    w.at(15);
    await w.sweep();
    await w.settle();
    w.at(20);
    await w.say(12, "omar-oncall", "/ack");
    await w.settle();
    w.at(40);
    await w.say(12, "omar-oncall", "/resolve disk full\nexpanded the volume");
    await w.settle();
    const events = rx.pagerduty.received.map((r) => r.json as Record<string, unknown>);
    expect(events.map((e) => [e.event_action, e.dedup_key])).toEqual([
      ["trigger", "charter:acme/ingestion#12"],
      ["acknowledge", "charter:acme/ingestion#12"],
      ["resolve", "charter:acme/ingestion#12"],
    ]);
    for (const e of events) expect(eventsV2Problems(e)).toEqual([]);
    expect(events[1]).toEqual({ routing_key: rx.routingKey, event_action: "acknowledge", dedup_key: "charter:acme/ingestion#12" });
    // the resolution goes to the channels routed for it (Slack and Teams), in D9's template
    const resolved = (rx.slack.received.at(-1)!.json as { blocks: { text?: { text: string } }[] }).blocks[0]!.text!.text;
    expect(resolved).toContain("🟢 RESOLVED: Ingestion P1");
    expect(resolved).toContain("Root cause: disk full");
    expect(w.gh.state(12).notify!.deliveries.filter((d) => d.kind === "pagerduty").map((d) => [d.message, d.action, d.status])).toEqual([
      ["s1.1", "trigger", "sent"],
      ["a1.0", "acknowledge", "sent"],
      ["x1", "resolve", "sent"],
    ]);
  });
});

describe("a channel that fails delays nothing on GitHub, is retried with backoff and reported", () => {
  it("Slack answers 500 twice: GitHub is written at once; Slack gets the page at the third attempt, after 40 ms then 80 ms", async () => {
    const w = await p1();
    rx.slack.answers = [500, 500];
    w.at(15);
    await w.sweep();
    await w.settle();
    const slack = pagesOf(w, "s1.1").find((d) => d.channel === "ingestion-rollout")!;
    expect([slack.status, slack.attempts]).toEqual(["sent", 3]);
    expect(rx.slack.received.filter((r) => (r.json as { text: string }).text.includes("step 2"))).toHaveLength(3);
    const gaps = rx.slack.received.slice(1).map((r, i, a) => (i === 0 ? 0 : r.at - a[i - 1]!.at));
    expect(gaps[1]).toBeGreaterThanOrEqual(35); // backoff: 40 ms, then 80 ms
    expect(gaps[2]).toBeGreaterThanOrEqual(75);
    // the other channels were not held up by Slack's failures
    expect(pagesOf(w, "s1.1").filter((d) => d.channel !== "ingestion-rollout").every((d) => d.status === "sent" && d.attempts === 1)).toBe(true);
  });

  it("Teams never answers: each attempt times out, the retries are recorded, and the status comment reports the failure", async () => {
    const w = await p1({ timeoutMs: 300 });
    rx.teams.otherwise = "hang";
    w.at(15);
    const started = Date.now();
    await w.sweep();
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(w.gh.posted(12).at(-1)!.mentions).toContain("omar-oncall");
    await w.settle();
    const teams = pagesOf(w, "s1.1").find((d) => d.channel === "ops-teams")!;
    expect(teams).toMatchObject({ status: "failed", attempts: 3, error: "timed out after 0.3s" });
    expect(teams.next).toBeUndefined();
    const status = w.gh.botComments(12)[0]!.body;
    expect(status).toContain("; Ops (Teams) failed (timed out after 0.3s) after 3 attempts |");
    expect(status).toContain("<details open><summary>Notifications outside GitHub: 6 sent, 1 failed</summary>");
  });

  it("while a retry is ahead, the status comment says when", async () => {
    const w = await p1({ retry: { delaysMs: [60_000] } });
    rx.pagerduty.answers = [503];
    w.at(15);
    await w.sweep();
    await until(() => pagesOf(w, "s1.1").find((d) => d.channel === "pager-secondary")?.status === "failed");
    const pd = pagesOf(w, "s1.1").find((d) => d.channel === "pager-secondary")!;
    expect(pd).toMatchObject({ status: "failed", attempts: 1, error: "HTTP 503", next: "2025-06-02T10:16:00.000Z" });
    expect(w.gh.botComments(12)[0]!.body).toContain("✅ paged `omar-oncall` at 12:15 CEST on GitHub, Slack #ingestion-rollout, Ops (Teams), email on-call list, webhook audit hook; PagerDuty (on-call secondary) failed (HTTP 503), attempt 1, retrying 12:16 CEST |");
  });

  it("a channel whose variable is not set fails at once, without retries, and says which variable", async () => {
    const env = { ...rx.env };
    delete (env as Record<string, string | undefined>).CHARTER_TEST_PAGERDUTY_KEY;
    const w = await p1({ env });
    w.at(15);
    await w.sweep();
    await w.settle();
    expect(pagesOf(w, "s1.1").find((d) => d.channel === "pager-secondary")).toMatchObject({ status: "failed", attempts: 1, error: "CHARTER_TEST_PAGERDUTY_KEY is not set where Charter runs" });
    expect(rx.pagerduty.received).toHaveLength(0);
  });

  it("the primary contact cannot be reached (400): the role's backup contact gets the page", async () => {
    const notify = ALL_CHANNELS_NOTIFY.replace(
      "  on-call-secondary: { primary: [pager-secondary, ingestion-rollout, ops-teams, oncall-email, audit-hook] }",
      "  on-call-secondary: { primary: [pager-secondary], backup: [oncall-email] }",
    );
    const w = await p1({ notify });
    rx.pagerduty.answers = [400];
    w.at(15);
    await w.sweep();
    await w.settle();
    expect(pagesOf(w, "s1.1").map((d) => [d.channel, d.status, d.error ?? "", d.backupOf ?? ""])).toEqual([
      ["pager-secondary", "failed", "HTTP 400", ""],
      ["oncall-email", "sent", "", "s1.1@pager-secondary"],
    ]);
    expect(rx.smtp.mails).toHaveLength(1);
    expect(w.gh.botComments(12)[0]!.body).toContain("✅ paged `omar-oncall` at 12:15 CEST on GitHub, email on-call list (backup contact); PagerDuty (on-call secondary) failed (HTTP 400) |");
  });
});

describe("after a crash between recording and sending", () => {
  it("PagerDuty and the webhook are sent by the next process (at least once); Slack, Teams and email are not (at most once) and say so", async () => {
    const w = await p1();
    const before = [rx.slack.received.length, rx.teams.received.length];
    await w.restart({ queue: DEAD_QUEUE });
    w.at(15);
    await w.sweep(); // records the page's deliveries as pending, and "dies" before sending
    expect(pagesOf(w, "s1.1").every((d) => d.status === "pending")).toBe(true);
    await w.restart();
    w.at(16);
    await w.sweep();
    await w.settle();
    expect(pagesOf(w, "s1.1").map((d) => [d.channel, d.status])).toEqual([
      ["pager-secondary", "sent"],
      ["ingestion-rollout", "unknown"],
      ["ops-teams", "unknown"],
      ["oncall-email", "unknown"],
      ["audit-hook", "sent"],
    ]);
    expect(rx.pagerduty.received).toHaveLength(1);
    expect(rx.webhook.received).toHaveLength(1);
    expect([rx.slack.received.length, rx.teams.received.length, rx.smtp.mails.length]).toEqual([...before, 0]);
    expect(w.gh.botComments(12)[0]!.body).toContain("Slack #ingestion-rollout not confirmed (Charter stopped while sending; not sent again (a slack message could show twice))");
  });
});

describe("user text cannot act in a channel", () => {
  it("a title with Slack's <!channel>, a link and @here reaches Slack, Teams and email inert", async () => {
    const w = await notifyWorld({ t0: T0, notify: ALL_CHANNELS_NOTIFY, env: rx.env });
    await w.open({ number: 12, title: "<!channel> <https://evil.example|click> @here down", labels: ["incident", "severity: P1"] });
    await w.settle();
    const slack = JSON.stringify(rx.slack.received[0]!.json);
    expect(slack).not.toContain("<!channel>");
    expect(slack).not.toContain("<https://evil.example");
    expect(slack).toContain("&lt;!channel&gt;");
    expect(slack).toContain("@\u200bhere");
    expect(JSON.stringify(rx.teams.received[0]!.json)).not.toContain("<!channel>");
  });
});
