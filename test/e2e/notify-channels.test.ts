/**
 * Pages reach people where they are, end to end: the REAL server process (node dist/main.js) with
 * the repository's own D9 governance plus a notify.yml naming one channel of each kind, the GitHub
 * emulator, and real receivers on loopback: an SMTP server (the `smtp-server` package) and HTTP
 * endpoints for Slack, Teams, a signed webhook (verified with the `standardwebhooks` library) and
 * PagerDuty (every event checked against the Events API v2's documented fields). The secrets
 * (webhook URLs, routing key, signing secret, SMTP URL) are in the server's environment only.
 *
 * D9 P1, Mon 2025-06-02 12:00 Berlin, nobody acknowledges: at +15 the secondary (omar-oncall) is
 * paged on GitHub and on every channel, exactly once across a second sweep, a redelivered webhook
 * and a restart of the server; `/ack` acknowledges the PagerDuty alert in the receiver.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { eventsV2Problems } from "../notify/support/pagerduty.js";
import { ALL_CHANNELS_NOTIFY, SmtpReceiver, startReceivers, type Receivers } from "../notify/support/receivers.js";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { INCIDENT_BODY, PEOPLE, STORY_TIMES } from "./support/stories.js";
import { REPO, repositoryGovernance, World } from "./support/world.js";

let w: World;
let rx: Receivers;
let issue: number;
const t0 = Date.parse(STORY_TIMES.incident);
const at = (minutes: number) => w.at(new Date(t0 + minutes * 60_000).toISOString());

async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${w.transcript.toText().slice(-3_000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const status = () => w.botComments(issue)[0] ?? "";
const counts = () => ({ slack: rx.slack.received.length, teams: rx.teams.received.length, webhook: rx.webhook.received.length, pagerduty: rx.pagerduty.received.length, email: rx.smtp.mails.length });
let afterPage: ReturnType<typeof counts>;
let pageComment: string | undefined;
let sweepMs = 0;

beforeAll(async () => {
  await ensureBuilt();
  rx = await startReceivers();
  w = await World.start({
    start: STORY_TIMES.incident,
    files: { "README.md": "# ingestion\n", ...repositoryGovernance(), "governance/notify.yml": ALL_CHANNELS_NOTIFY },
    serverEnv: { ...rx.env, CHARTER_NOTIFY_RETRY: "1s,2s", CHARTER_NOTIFY_TIMEOUT: "2s", CHARTER_SEAL_KEYS: "e2e-notify-channels-seal-key-0123456789abcdef" },
  });
  at(0);
  issue = await w.openIssue(PEOPLE.reporter, { title: "Uploads failing for all workspaces", body: INCIDENT_BODY, labels: ["incident"] });
  await until("the start message in Slack and Teams", () => rx.slack.received.length === 1 && rx.teams.received.length === 1);
  at(15);
  const before = w.botComments(issue).length;
  const started = Date.now();
  await w.sweep();
  sweepMs = Date.now() - started;
  pageComment = w.botComments(issue)[before];
  await until("the page on every channel", () => rx.pagerduty.received.length === 1 && rx.webhook.received.length === 1 && rx.smtp.mails.length === 1 && rx.slack.received.length === 2 && rx.teams.received.length === 2);
  await until("the status comment to say where the page went", () => status().includes("✅ paged `omar-oncall` at 12:15 CEST on GitHub, PagerDuty (on-call secondary), Slack #ingestion-rollout, Ops (Teams), email on-call list, webhook audit hook |"));
  afterPage = counts();
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
  await rx?.stop();
});

describe("end to end: D9 P1, nobody acknowledges", () => {
  it("at +15 the secondary is paged on GitHub, and the sweep does not wait for the channels", () => {
    expect(pageComment).toContain("@omar-oncall (On-Call Secondary)");
    expect(w.issue(issue).assignees.map((a) => a.toLowerCase())).toContain(PEOPLE.secondary);
    expect(sweepMs).toBeLessThan(5_000);
  });

  it("PagerDuty received one trigger, valid against the documented Events API v2, with the routing key from the server's environment", () => {
    expect(rx.pagerduty.received).toHaveLength(1);
    const event = rx.pagerduty.received[0]!.json as Record<string, unknown>;
    expect(eventsV2Problems(event)).toEqual([]);
    expect(event).toMatchObject({ routing_key: rx.routingKey, event_action: "trigger", dedup_key: `charter:${REPO}#${issue}`, payload: { severity: "critical", source: REPO } });
    expect((event.payload as { summary: string }).summary).toBe(`P1 incident #${issue}: Uploads failing for all workspaces: step 2 of 4 of the P1 ladder (+15m, Secondary joins) pages omar-oncall (On-Call Secondary)`);
  });

  it("the signed webhook verifies with the standardwebhooks library", () => {
    const hook = rx.webhook.received[0]!;
    const body = new Webhook(rx.secret).verify(hook.body, hook.headers) as { type: string; data: { id: string; page: { people: string[]; targets: string[] } } };
    expect(body.type).toBe("incident.page");
    expect(body.data.page).toEqual({ targets: ["on-call-secondary"], people: ["omar-oncall"] });
    expect(hook.headers["webhook-id"]).toBe(`${REPO}#${issue}/s1.1@audit-hook`);
    // a tampered body does not verify
    expect(() => new Webhook(rx.secret).verify(hook.body.replace("omar-oncall", "mallory"), hook.headers)).toThrow();
  });

  it("the SMTP server received the email; Slack and Teams the page", () => {
    const mail = rx.smtp.mails[0]!;
    expect(mail.to).toEqual(["oncall@example.com"]);
    expect(SmtpReceiver.header(mail, "subject")).toContain(`[Charter] P1 incident #${issue}: Uploads failing for all workspaces: step 2 of 4`);
    expect((rx.slack.received[1]!.json as { text: string }).text).toContain("pages omar-oncall (On-Call Secondary)");
    expect(JSON.stringify(rx.teams.received[1]!.json)).toContain("application/vnd.microsoft.card.adaptive");
  });

  it("exactly once: a second sweep, a redelivered webhook and a restarted server send nothing again", async () => {
    await w.sweep();
    const opened = w.deliveries.find((d) => d.event === "issues" && d.action === "opened" && !d.echo)!;
    await w.gh.sendWebhook(w.server.webhookUrl, "issues", w.gh.payloads.issues("opened", REPO, issue, { sender: PEOPLE.reporter }), { secret: w.server.secret, deliveryId: opened.id });
    await w.server.idle();
    await w.restartServer();
    at(16);
    await w.sweep();
    await w.gh.sendWebhook(w.server.webhookUrl, "issues", w.gh.payloads.issues("opened", REPO, issue, { sender: PEOPLE.reporter }), { secret: w.server.secret, deliveryId: opened.id });
    await w.server.idle();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(counts()).toEqual(afterPage);
  });

  it("/ack on GitHub acknowledges the PagerDuty alert in the receiver", async () => {
    at(20);
    await w.comment(PEOPLE.secondary, issue, "/ack");
    await until("the acknowledgement in PagerDuty", () => rx.pagerduty.received.length === 2);
    const ack = rx.pagerduty.received[1]!.json as Record<string, unknown>;
    expect(ack).toEqual({ routing_key: rx.routingKey, event_action: "acknowledge", dedup_key: `charter:${REPO}#${issue}` });
    expect(eventsV2Problems(ack)).toEqual([]);
    await until("the status comment to record it", () => status().includes("| acknowledgement | PagerDuty (on-call secondary) | sent (acknowledged) 12:20 CEST |"));
  });

  it("every request Charter made to GitHub was valid for GitHub's API, and every delivery was handled", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
    expect(w.transcript.problems()).toEqual([]);
  });
});
