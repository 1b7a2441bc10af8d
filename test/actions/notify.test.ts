/**
 * Issue 13's notification channels in GitHub Actions mode, run the way a runner runs the action:
 * the committed bundle (dist-action/index.mjs) copied alone into a clean directory with the event
 * file, `node index.mjs` as a child process with the runner's GITHUB_* variables, the action's
 * `with:` inputs as INPUT_*, and the channels' secrets as the workflow step's `env:` maps them
 * (docs/notify.md, "GitHub Actions"), against the GitHub emulator (test/emulator/) and real
 * receivers on loopback (test/notify/support/receivers.ts) standing in for Slack and PagerDuty.
 *
 * Identity: ENFORCING mode, the GitHub App's `app-id` + `private-key` inputs (docs/actions.md:
 * "Charter enforces only with its GitHub App's identity"); the emulator accepts the app's JWT and
 * hands out an installation token, as the bundle test's enforcing case does.
 *
 * Governance: this checkout's D9 governance/ (roles, on-call, incidents) with a notify.yml of the
 * test's own, NOTIFY below: the incident's start and every page to a Slack channel, P1 pages to
 * a PagerDuty service. The variables the step sets are read from that file, as a team would copy
 * them into the workflow's `env:`. (D9's own notify.yml also reaches the primary through the
 * `pager-primary` contact, which takes the start AND the first page as two triggers under the
 * incident's one dedup key, by design: see test/drill/incident.test.ts. Routes keep this test to
 * exactly one trigger.)
 *
 * Cases: a P1 incident opened (Slack and PagerDuty both answer); the same with Slack answering
 * 500 to every attempt, then a later sweep run ("Run workflow": the same pass as a scheduled run)
 * once Slack is back, which takes the recorded retries up, as docs/notify.md says it does.
 *
 * Time: the runner's environment gets NODE_ENV=test and CHARTER_CLOCK_FILE (test-only controls,
 * src/clock-control.ts), so "now" is Mon 2025-06-02 12:00 Berlin for both the emulator and
 * Charter; D9's primary on call then is olga-oncall. Send timeouts and retry delays are Charter's
 * defaults (no CHARTER_NOTIFY_* variable), as a workflow would have them: a run waits up to 30 s
 * at its end for its sends (src/actions/run.ts, NOTIFY_DRAIN_MS), and no longer once every send
 * still ahead is a retry due after that (src/notify/queue.ts).
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACTION_BUNDLE } from "../../scripts/build-action.js";
import { startEmulator, type GitHubEmulator } from "../emulator/index.js";
import { generateAppKey } from "../e2e/support/server.js";
import { INCIDENT_BODY, PEOPLE, STORY_TIMES } from "../e2e/support/stories.js";
import { REPO, repositoryGovernance } from "../e2e/support/world.js";
import { eventsV2Problems } from "../notify/support/pagerduty.js";
import { startReceivers, type Receivers } from "../notify/support/receivers.js";
import { checkWebhookDelivery } from "../support/openapi/webhook-guard.js";

/** Where the incident's messages go: Slack for the start and every page, PagerDuty for P1 pages. */
const NOTIFY_YML = `version: 1
channels:
  incidents:
    kind: slack
    title: "#incidents"
    url: { env: CHARTER_SLACK_INCIDENTS_URL }
  pager-oncall:
    kind: pagerduty
    title: PagerDuty (on-call)
    routing_key: { env: CHARTER_PAGERDUTY_ONCALL_KEY }
    severities: { P1: critical, P2: error, P3: warning }
routes:
  - events: [incident.start, incident.page, incident.update, incident.resolved]
    to: [incidents]
  - events: [incident.page]
    severities: [P1]
    to: [pager-oncall]
`;
const FILES = { "README.md": "# ingestion\n", ...repositoryGovernance(), "governance/notify.yml": NOTIFY_YML };

interface NotifyFile {
  channels: Record<string, { kind: string; title: string; url?: { env: string }; routing_key?: { env: string } }>;
}
const NOTIFY = parse(NOTIFY_YML) as NotifyFile;
/** The variables notify.yml names: what the workflow step's `env:` maps from Actions secrets. */
const SLACK_URL_VAR = NOTIFY.channels.incidents!.url!.env;
const PAGER_KEY_VAR = NOTIFY.channels["pager-oncall"]!.routing_key!.env;

/** How long a run may take at most: the runner's start of node, the event, and the 30 s drain of sends at its end. */
const DRAIN_MS = 30_000;
const RUN_BOUND_MS = DRAIN_MS + 15_000;

interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The Charter app's private key (the emulator takes any key's JWT for the app; generated once). */
const APP_KEY = generateAppKey();
let runId = 4200;
let gh: GitHubEmulator;
let rx: Receivers;
let dir: string;

beforeEach(async () => {
  gh = await startEmulator({ startTime: STORY_TIMES.incident, quiet: true });
  gh.createRepo(REPO, { ownerType: "Organization", files: FILES });
  rx = await startReceivers();
  dir = mkdtempSync(join(tmpdir(), "charter-action-notify-"));
  copyFileSync(ACTION_BUNDLE, join(dir, "index.mjs"));
});

afterEach(async () => {
  await gh?.stop();
  await rx?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A reporter opens a P1 incident through D9's issue form (label `incident`, "Severity: P1" in the body); GitHub's `issues.opened` payload becomes the event file. */
function openIncident(): { number: number; eventPath: string } {
  const issue = gh.createIssue(REPO, { title: "Uploads failing for all workspaces", body: INCIDENT_BODY, user: PEOPLE.reporter, labels: ["incident"] });
  const payload = gh.payloads.issues("opened", REPO, issue.number, { sender: PEOPLE.reporter });
  const eventPath = eventFile("issues", payload);
  writeFileSync(join(dir, "clock"), gh.now().toISOString());
  expect(readdirSync(dir).sort()).toEqual(["clock", "index.mjs", "issues.json"]);
  return { number: issue.number, eventPath };
}

/** Writes the event file as GitHub does for a workflow: the webhook's payload without `installation`, checked against GitHub's webhook schema (the child process is outside the webhook guard). */
function eventFile(event: string, payload: Record<string, unknown>): string {
  const copy = structuredClone(payload);
  delete copy.installation;
  checkWebhookDelivery(event, copy, "the action's event file");
  const path = join(dir, `${event}.json`);
  writeFileSync(path, JSON.stringify(copy));
  return path;
}

/** Runs the action's step: `node index.mjs` in the clean directory with what a runner hands a JavaScript action. */
async function step(event: string, eventPath: string): Promise<StepResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: dir,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: REPO,
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_RUN_ID: String(++runId),
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    // with: (enforcing)
    "INPUT_APP-ID": String(gh.appId),
    "INPUT_PRIVATE-KEY": APP_KEY,
    "INPUT_LOG-LEVEL": "warn",
    // the step's env:, the channels' secrets under the names notify.yml gives them
    [SLACK_URL_VAR]: slackWebhookUrl(),
    [PAGER_KEY_VAR]: rx.routingKey,
    // PagerDuty's events endpoint (docs/notify.md: set for the EU region), here the loopback receiver
    CHARTER_PAGERDUTY_EVENTS_URL: `${rx.pagerduty.url}/v2/enqueue`,
    // test-only controls: the clock file (honoured only with NODE_ENV=test)
    NODE_ENV: "test",
    CHARTER_CLOCK_FILE: join(dir, "clock"),
  };
  const started = Date.now();
  return await new Promise<StepResult>((resolve) => {
    execFile(process.execPath, ["index.mjs"], { cwd: dir, env, timeout: RUN_BOUND_MS + 10_000, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
      const e = error as (Error & { code?: number | string; killed?: boolean }) | null;
      resolve({ code: e ? (typeof e.code === "number" ? e.code : e.killed ? -1 : 1) : 0, stdout: String(stdout), stderr: String(stderr), ms: Date.now() - started });
    });
  });
}

/** GitHub's `workflow_dispatch` payload ("Run workflow" on the default branch), its repository and organization as GitHub describes them in any event. */
function dispatchPayload(number: number): Record<string, unknown> {
  const { repository, organization, sender } = gh.payloads.issues("opened", REPO, number, { sender: PEOPLE.primary });
  return { inputs: null, ref: "refs/heads/main", repository, organization, sender, workflow: ".github/workflows/charter.yml" };
}

/** The Slack incoming webhook's URL (a secret: it lives in the step's env, never in the repository). */
const slackWebhookUrl = () => `${rx.slack.url}/services/T000/B000/incidents`;
const statusComment = (number: number) => gh.botComments(REPO, number)[0] ?? "";
const explain = (r: StepResult, number: number) => `exit ${r.code} after ${r.ms} ms\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n--- status comment\n${statusComment(number).split("\n<!-- charter:incident")[0]}`;
const json = (r: { json?: unknown }) => JSON.stringify(r.json ?? null);
const START = "INCIDENT: Ingestion P1";
const PAGE = `step 1 of 4 of the P1 ladder (+0m, Primary acks) pages ${PEOPLE.primary} (On-Call Primary)`;
/** The ladder's first row once the page went out: GitHub, then the other channels. */
const PAGED_ROW = `| 1 | +0m (12:00 CEST) | On-Call Primary | Primary acks | ✅ paged \`${PEOPLE.primary}\` at 12:00 CEST on GitHub, `;

/** Open a P1 incident and run the step for it: it exits 0 and says it delivered the event. */
async function incidentRun(): Promise<{ number: number; r: StepResult; why: string }> {
    const { number, eventPath } = openIncident();
    const r = await step("issues", eventPath);
    const why = explain(r, number);
    expect(r.code, why).toBe(0);
    expect(r.stdout, why).toMatch(/^Charter: delivered issues\.opened \(enforcing, as charter\[bot\]\)$/m);
    expect(r.stdout).not.toContain("::error");
  return { number, r, why };
}

describe("Actions mode: an incident's notifications leave the runner before the step ends", () => {
  it("issues.opened of a D9 P1 incident, as the app: exit 0; Slack gets the start and the page naming olga-oncall, PagerDuty one valid trigger; the status comment says where the page went", async () => {
    const { number, r, why } = await incidentRun();
    // nothing failed, so nothing was left to wait for: the run did not sit out the 30 s drain
    expect(r.ms, why).toBeLessThan(DRAIN_MS);

    // GitHub: the primary is paged (mentioned and assigned) on the issue
    expect(gh.getIssue(REPO, number).assignees.map((a) => a.toLowerCase())).toContain(PEOPLE.primary);
    expect(gh.botComments(REPO, number).join("\n")).toContain(`@${PEOPLE.primary} (On-Call Primary)`);

    // Slack: the start (D9 §7.3's template) and the page, both naming the on-call primary who is paged
    expect(rx.slack.received.map((m) => m.path), why).toEqual(["/services/T000/B000/incidents", "/services/T000/B000/incidents"]);
    const start = rx.slack.received.find((m) => json(m).includes(START));
    const page = rx.slack.received.find((m) => json(m).includes(PAGE));
    expect(start, why).toBeDefined();
    expect(json(start!)).toContain(`On-Call: @${PEOPLE.primary} (secondary: ${PEOPLE.secondary})`);
    expect(page, why).toBeDefined();
    expect((page!.json as { text: string }).text).toBe(`P1 incident #${number}: Uploads failing for all workspaces: ${PAGE}`);

    // PagerDuty: exactly one trigger, valid against the documented Events API v2, keyed by the incident
    expect(rx.pagerduty.received, why).toHaveLength(1);
    const event = rx.pagerduty.received[0]!.json as Record<string, unknown>;
    expect(eventsV2Problems(event)).toEqual([]);
    expect(event).toMatchObject({ routing_key: rx.routingKey, event_action: "trigger", dedup_key: `charter:${REPO}#${number}`, payload: { severity: "critical", source: REPO, class: "incident.page" } });
    expect((event.payload as { summary: string }).summary).toContain(PAGE);

    // the status comment says where the page went, and that every message was sent
    const status = statusComment(number);
    expect(status, why).toContain(`${PAGED_ROW}Slack #incidents, PagerDuty (on-call) |`);
    expect(status, why).toContain("Notifications outside GitHub: 3 sent");
    expect(status).not.toMatch(/failed|retrying/);
    // no secret reaches GitHub or the run's log
    for (const secret of [rx.routingKey, slackWebhookUrl()]) {
      expect(gh.listComments(REPO, number).map((c) => c.body).join("\n")).not.toContain(secret);
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
    expect(gh.violations).toEqual([]);
  }, 60_000);

  it("Slack answers 500: exit 0 once the retry due within the 30 s drain has failed too (the next is due after it); GitHub's page and PagerDuty's trigger went out; the status comment reports Slack's failure; the next sweep retries it", async () => {
    rx.slack.otherwise = 500;
    const { number, r, why } = await incidentRun();
    // the retry 10 s after the first attempt fails too; the next is due 30 s after that, beyond the
    // drain: the run ends then instead of sitting out the rest of the 30 s
    expect(r.ms, why).toBeLessThan(DRAIN_MS - 5_000);

    // GitHub's writes happened: the page, the assignment, the status comment
    expect(gh.getIssue(REPO, number).assignees.map((a) => a.toLowerCase())).toContain(PEOPLE.primary);
    expect(gh.botComments(REPO, number).join("\n")).toContain(`@${PEOPLE.primary} (On-Call Primary)`);
    // the channel that works got its trigger, once
    expect(rx.pagerduty.received, why).toHaveLength(1);
    expect(eventsV2Problems(rx.pagerduty.received[0]!.json)).toEqual([]);
    expect(rx.pagerduty.received[0]!.json).toMatchObject({ event_action: "trigger", dedup_key: `charter:${REPO}#${number}` });
    // Slack got each message, and the retry due 10 s later, within the run; the next retry (30 s after) is beyond it
    const starts = rx.slack.received.filter((m) => json(m).includes(START));
    const pages = rx.slack.received.filter((m) => json(m).includes(PAGE));
    expect([starts.length, pages.length], why).toEqual([2, 2]);
    expect(rx.slack.received).toHaveLength(4);

    // the status comment reports the failure where the page is, and in the list of notifications
    const status = statusComment(number);
    expect(status, why).toContain(`${PAGED_ROW}PagerDuty (on-call); Slack #incidents failed (HTTP 500), attempt 2, retrying `);
    expect(status, why).toContain("<details open><summary>Notifications outside GitHub: 1 sent, 2 retrying</summary>");
    expect(status, why).toMatch(/\| incident start \| Slack #incidents \| failed \(HTTP 500\), attempt 2, retrying [^|]+\|/);
    expect(status).not.toContain(slackWebhookUrl());

    // the next run that sweeps (here "Run workflow"; a scheduled run does the same) takes the retries up once they are due
    rx.slack.otherwise = 200;
    gh.setTime("2025-06-02T10:01:00Z");
    writeFileSync(join(dir, "clock"), gh.now().toISOString());
    const sweep = await step("workflow_dispatch", eventFile("workflow_dispatch", dispatchPayload(number)));
    const whySweep = explain(sweep, number);
    expect(sweep.code, whySweep).toBe(0);
    expect(sweep.stdout, whySweep).toMatch(/^Charter: swept acme\/ingestion \(enforcing, as charter\[bot\]\)$/m);
    expect(sweep.ms, whySweep).toBeLessThan(DRAIN_MS);
    expect(rx.slack.received.filter((m) => json(m).includes(START)), whySweep).toHaveLength(3);
    expect(rx.slack.received.filter((m) => json(m).includes(PAGE)), whySweep).toHaveLength(3);
    expect(rx.pagerduty.received).toHaveLength(1);
    const after = statusComment(number);
    expect(after, whySweep).toContain(`${PAGED_ROW}Slack #incidents 12:01 CEST, PagerDuty (on-call) |`);
    expect(after, whySweep).toContain("Notifications outside GitHub: 3 sent");
    expect(gh.violations).toEqual([]);
  }, 90_000);
});
