/**
 * A channel that fails delays nothing on GitHub, end to end: the REAL server, the emulator, real
 * receivers on loopback. Teams answers 500 to every attempt of the page and Slack never answers
 * (each attempt times out after CHARTER_NOTIFY_TIMEOUT=1s); CHARTER_NOTIFY_RETRY=1s,2s. The sweep
 * that pages the secondary returns at once; the retries come 1 s then 2 s apart; the status
 * comment reports each failure, and the channels that work get the page. The validator (the
 * `charter` command line) refuses a literal webhook URL in notify.yml at its file:line:column.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_CHANNELS_NOTIFY, startReceivers, type Receivers } from "../notify/support/receivers.js";
import { BUILD_AND_START_TIMEOUT, ensureBuilt, ROOT } from "./support/build.js";
import { INCIDENT_BODY, PEOPLE, STORY_TIMES } from "./support/stories.js";
import { repositoryGovernance, World } from "./support/world.js";

let w: World;
let rx: Receivers;
let issue: number;
let sweepMs = 0;
const t0 = Date.parse(STORY_TIMES.incident);
const at = (minutes: number) => w.at(new Date(t0 + minutes * 60_000).toISOString());
const status = () => w.botComments(issue)[0] ?? "";

async function until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${status().slice(0, 4_000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pageRequests = (r: Receivers["slack"]) => r.received.filter((x) => x.body.includes("step 2 of 4"));

beforeAll(async () => {
  await ensureBuilt();
  rx = await startReceivers();
  w = await World.start({
    start: STORY_TIMES.incident,
    files: { "README.md": "# ingestion\n", ...repositoryGovernance(), "governance/notify.yml": ALL_CHANNELS_NOTIFY },
    serverEnv: { ...rx.env, CHARTER_NOTIFY_RETRY: "1s,2s", CHARTER_NOTIFY_TIMEOUT: "1s" },
  });
  at(0);
  issue = await w.openIssue(PEOPLE.reporter, { title: "Uploads failing for all workspaces", body: INCIDENT_BODY, labels: ["incident"] });
  await until("the start message in Slack and Teams", () => rx.slack.received.length === 1 && rx.teams.received.length === 1);
  rx.teams.otherwise = 500;
  rx.slack.otherwise = "hang";
  at(15);
  const started = Date.now();
  await w.sweep();
  sweepMs = Date.now() - started;
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
  await rx?.stop();
});

describe("end to end: a channel answering 500 or timing out", () => {
  it("delays nothing on GitHub: the page comment and the assignment are there when the sweep returns, before any channel answered", () => {
    expect(sweepMs).toBeLessThan(3_000);
    const page = w.botComments(issue).find((c) => c.includes("@omar-oncall (On-Call Secondary)"));
    expect(page).toBeDefined();
    expect(w.issue(issue).assignees.map((a) => a.toLowerCase())).toContain(PEOPLE.secondary);
  });

  it("is retried with backoff (1 s, then 2 s) and reported in the status comment, while the other channels get the page at once", async () => {
    await until("three attempts on Teams and Slack", () => pageRequests(rx.teams).length === 3 && pageRequests(rx.slack).length === 3);
    await until("the failures in the status comment", () => status().includes("Ops (Teams) failed (HTTP 500) after 3 attempts") && status().includes("Slack #ingestion-rollout failed (timed out after 1s) after 3 attempts"));
    const teams = pageRequests(rx.teams).map((r) => r.at);
    expect(teams[1]! - teams[0]!).toBeGreaterThanOrEqual(900);
    expect(teams[2]! - teams[1]!).toBeGreaterThanOrEqual(1_900);
    expect(status()).toContain("| 2 | +15m (12:15 CEST) | On-Call Secondary | Secondary joins | ✅ paged `omar-oncall` at 12:15 CEST on GitHub, PagerDuty (on-call secondary), email on-call list, webhook audit hook; Slack #ingestion-rollout failed (timed out after 1s) after 3 attempts; Ops (Teams) failed (HTTP 500) after 3 attempts |");
    expect(status()).toContain("<details open><summary>Notifications outside GitHub: 5 sent, 2 failed</summary>");
    expect(rx.pagerduty.received).toHaveLength(1);
    expect(rx.webhook.received).toHaveLength(1);
    expect(rx.smtp.mails).toHaveLength(1);
  });

  it("the server logged each failure as a warning, with the channel and the reason, and no secret", async () => {
    const failureLines = () => w.server.lines.filter((l) => typeof l.msg === "string" && l.msg.includes("s1.1@ops-teams failed"));
    // the server's stdout is read asynchronously: the last line can arrive just after the status comment
    await until("the third failure in the server's log", () => failureLines().length >= 3);
    const failures = failureLines();
    expect(failures.map((l) => l.msg)).toEqual([
      `incident #${issue}: s1.1@ops-teams failed (HTTP 500); retrying in 1s`,
      `incident #${issue}: s1.1@ops-teams failed (HTTP 500); retrying in 2s`,
      `incident #${issue}: s1.1@ops-teams failed (HTTP 500)`,
    ]);
    const all = w.server.rawOutput.join("\n");
    for (const secret of [rx.env.CHARTER_TEST_SLACK_URL, rx.env.CHARTER_TEST_TEAMS_URL, rx.env.CHARTER_TEST_WEBHOOK_SECRET, rx.routingKey]) expect(all).not.toContain(secret);
  });

  it("every request Charter made to GitHub was valid for GitHub's API, and every delivery was handled", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
  });
});

describe("end to end: the validator refuses a literal secret", () => {
  it("`charter validate` names notify.yml:line:column, the variable to use instead, and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "charter-notify-"));
    try {
      cpSync(join(ROOT, "governance"), join(dir, "governance"), { recursive: true });
      const file = join(dir, "governance", "notify.yml");
      const url = "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX";
      const text = readFileSync(file, "utf8").replace("    url: { env: CHARTER_SLACK_GENERAL_URL }\n", `    url: ${url}\n`);
      writeFileSync(file, text);
      const line = text.slice(0, text.indexOf(url)).split("\n").length;
      const column = text.indexOf(url) - text.lastIndexOf("\n", text.indexOf(url));
      const result = await promisify(execFile)(process.execPath, [join(ROOT, "bin", "charter.js"), "validate", join(dir, "governance")], { cwd: dir }).then(
        () => ({ code: 0, stdout: "", stderr: "" }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(result.code).toBe(1);
      const out = `${result.stdout}${result.stderr}`;
      expect(out).toContain(`governance/notify.yml:${line}:${column}: \`channels.general.url\` is written in the file: a webhook URL is a secret and never lives in the repository (write \`url: { env: CHARTER_GENERAL_URL }\``);
      expect(out).toContain("then rotate it");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
