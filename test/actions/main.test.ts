/**
 * GitHub Actions mode: src/actions/run.ts (dist/actions/main.js) given what a workflow run gives
 * it (GITHUB_EVENT_NAME, an event file at GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_TOKEN,
 * GITHUB_API_URL), against the local GitHub emulator. Every request is checked against GitHub's
 * OpenAPI description (the emulator and the fetch guard).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runAction } from "../../src/actions/run.js";
import { startEmulator, type GitHubEmulator } from "../emulator/index.js";
import { GA_BODY, INCIDENT_BODY, withPhase } from "../e2e/support/stories.js";
import { REPO, repositoryGovernance } from "../e2e/support/world.js";

const ACTIONS_BOT = "github-actions[bot]";
let gh: GitHubEmulator;
let dir: string;
let token: string;

beforeAll(async () => {
  gh = await startEmulator({ startTime: "2025-06-02T10:00:00Z", quiet: true });
  gh.createRepo(REPO, { files: { "README.md": "# ingestion\n", ...repositoryGovernance() } });
  token = gh.tokenFor(ACTIONS_BOT); // requests with the workflow token act as github-actions[bot]
  dir = mkdtempSync(join(tmpdir(), "charter-actions-"));
});

afterAll(async () => {
  await gh.stop();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

let files = 0;
/** What a workflow run provides: the event written to a file, and the runner's variables. */
function workflowEnv(event: string, payload: unknown, extra: Record<string, string> = {}): Record<string, string> {
  const eventPath = join(dir, `event-${++files}.json`);
  // a workflow's event payload is the webhook payload without `installation`
  const copy = structuredClone(payload) as Record<string, unknown>;
  delete copy.installation;
  writeFileSync(eventPath, JSON.stringify(copy));
  const clock = join(dir, `clock-${files}`);
  writeFileSync(clock, gh.now().toISOString());
  return {
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: REPO,
    GITHUB_TOKEN: token,
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "1",
    NODE_ENV: "test",
    CHARTER_CLOCK_FILE: clock,
    LOG_LEVEL: "fatal",
    ...extra,
  };
}

describe("Charter as a workflow step", () => {
  let incident: number;

  it("handles an issues event with the workflow token: the incident is labelled, assigned and announced", async () => {
    gh.setTime("2025-06-02T10:00:00Z");
    incident = gh.createIssue(REPO, { title: "Uploads failing", body: INCIDENT_BODY, user: "rita-reporter", labels: ["incident"] }).number;
    gh.clearRequestLog();
    const result = await runAction(workflowEnv("issues", gh.payloads.issues("opened", REPO, incident, { sender: "rita-reporter" })));
    expect(result).toMatchObject({ exitCode: 0, outcome: "delivered issues.opened (advisory, as github-actions[bot])" });
    const issue = gh.getIssue(REPO, incident);
    expect(issue.labels.map((l) => l.toLowerCase())).toContain("severity: p1");
    expect(issue.assignees).toContain("olga-oncall");
    const comments = gh.listComments(REPO, incident);
    expect(comments.some((c) => c.user === ACTIONS_BOT && c.body.includes("INCIDENT"))).toBe(true);
    // every request went to GITHUB_API_URL with the workflow token; no app authentication at all
    expect(gh.requestLog.length).toBeGreaterThan(0);
    expect(new Set(gh.requestLog.map((r) => r.actor))).toEqual(new Set([ACTIONS_BOT]));
    expect(gh.countRequests({ operationId: "apps/create-installation-access-token" })).toBe(0);
  });

  it("a scheduled run sweeps the repository: 16 minutes later the secondary is paged, and the step summary says so", async () => {
    gh.setTime("2025-06-02T10:16:00Z");
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "");
    const before = gh.listComments(REPO, incident).length;
    const result = await runAction(workflowEnv("schedule", { schedule: "*/5 * * * *" }, { GITHUB_STEP_SUMMARY: summary }));
    expect(result.exitCode).toBe(0);
    expect(result.outcome).toBe(`swept ${REPO} (advisory, as github-actions[bot])`);
    expect(result.sweep?.governanceSha).toBe(gh.branchSha(REPO));
    expect(result.sweep?.errors).toEqual([]);
    const added = gh.listComments(REPO, incident).slice(before);
    expect(added.some((c) => c.user === ACTIONS_BOT && /@omar-oncall\b/.test(c.body))).toBe(true);
    expect(readFileSync(summary, "utf8")).toContain(`### Charter sweep of ${REPO}`);
  });

  it("delivers pull_request_target as pull_request: the sign-off check appears on the pull request's head", async () => {
    const phase = gh.getFile(REPO, "governance/state/phase.yml")!;
    gh.commitFiles(REPO, "ga", { "governance/state/phase.yml": withPhase(phase, "P4") }, "GA", { author: "rob-release" });
    const { issue, pull } = gh.openPullRequest(REPO, { head: "ga", title: "GA", body: GA_BODY, user: "rob-release" });
    const result = await runAction(workflowEnv("pull_request_target", gh.payloads.pullRequest("opened", REPO, issue.number)));
    expect(result).toMatchObject({ exitCode: 0, outcome: "delivered pull_request.opened (advisory, as github-actions[bot])" });
    const run = gh.listCheckRuns(REPO, pull.headSha).find((r) => r.name === "Charter sign-off");
    expect(run?.status).toBe("completed");
    expect(run?.conclusion).toBe("failure");
  });

  it("hands the app the event under its delivered name and a delivery id made from the run", async () => {
    const seen: { name: string; id: string; action: unknown }[] = [];
    gh.commitFiles(REPO, "docs", { "README.md": "# ingestion\n\nMore words.\n" }, "Docs", { author: "rob-release" });
    const { issue } = gh.openPullRequest(REPO, { head: "docs", title: "Docs", user: "rob-release" });
    const result = await runAction(workflowEnv("pull_request_target", gh.payloads.pullRequest("opened", REPO, issue.number), { GITHUB_RUN_ATTEMPT: "3" }), {
      app: () => (app) => {
        app.onAny(async (event) => {
          seen.push({ name: event.name, id: event.id, action: (event.payload as { action?: unknown }).action });
        });
      },
    });
    expect(result.exitCode).toBe(0);
    expect(seen).toEqual([{ name: "pull_request", id: "actions-4242-3", action: "opened" }]);
  });

  it("fails the step with an annotation when a handler fails", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const result = await runAction(workflowEnv("issues", gh.payloads.issues("opened", REPO, incident)), {
      app: () => (app) => {
        app.on("issues.opened", async () => {
          throw new Error("boom");
        });
      },
    });
    expect(result.exitCode).toBe(1);
    expect(log.mock.calls.flat().join("\n")).toMatch(/^::error title=Charter::handling issues failed: boom$/m);
  });

  it("refuses to start without the workflow's variables, and says which are missing", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    gh.clearRequestLog();
    const result = await runAction({ GITHUB_EVENT_NAME: "issues", GITHUB_REPOSITORY: REPO });
    expect(result.exitCode).toBe(2);
    expect(result.outcome).toContain("GITHUB_EVENT_PATH, GITHUB_TOKEN");
    expect(log.mock.calls.flat().join("\n")).toContain("::error title=Charter::missing GITHUB_EVENT_PATH, GITHUB_TOKEN");
    expect(gh.requestLog).toEqual([]);
  });

  it("made only requests GitHub's API describes", () => {
    expect(gh.violations).toEqual([]);
  });
});
