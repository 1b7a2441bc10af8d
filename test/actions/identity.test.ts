/**
 * Hardening issue #10, item 13: Actions mode enforces only with an app identity.
 *
 * - With the GitHub App's credentials (APP_ID and PRIVATE_KEY, from an environment secret) Charter
 *   resolves its identity (`GET /app`), finds its installation on the repository, acts with an
 *   installation token and seals its markers: its check can be pinned to the app in branch
 *   protection, and it is not marked advisory.
 * - With only the workflow's GITHUB_TOKEN it writes as `github-actions[bot]`, which every workflow
 *   in the repository can write as: it runs as advisory, says so in the check's title and summary
 *   and in a `::warning` on the run.
 * - A review relayed by the unprivileged "Charter review relay" workflow (`workflow_run`) makes
 *   the default branch's Charter workflow re-evaluate the pull request: no shipped trigger runs a
 *   pull request's copy of the workflow with a write token.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runAction } from "../../src/actions/run.js";
import { startEmulator, type GitHubEmulator } from "../emulator/index.js";
import { examplePayload } from "../emulator/payloads.js";
import { generateAppKey } from "../e2e/support/server.js";
import { GA_BODY, withPhase } from "../e2e/support/stories.js";
import { REPO, repositoryGovernance } from "../e2e/support/world.js";
import { TEST_SEAL_SECRET } from "../support/identity.js";

const ACTIONS_BOT = "github-actions[bot]";
const CHECK = "Charter sign-off";
let gh: GitHubEmulator;
let dir: string;
let privateKey: string;

beforeAll(async () => {
  gh = await startEmulator({ startTime: "2025-06-03T08:00:00Z", quiet: true });
  gh.createRepo(REPO, { ownerType: "Organization", files: { "README.md": "# ingestion\n", ...repositoryGovernance() } });
  dir = mkdtempSync(join(tmpdir(), "charter-actions-identity-"));
  privateKey = generateAppKey();
});

afterAll(async () => {
  await gh.stop();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

let files = 0;
function workflowEnv(event: string, payload: unknown, credentials: Record<string, string>): Record<string, string> {
  const eventPath = join(dir, `event-${++files}.json`);
  const copy = structuredClone(payload) as Record<string, unknown>;
  delete copy.installation; // a workflow's event payload carries no installation
  writeFileSync(eventPath, JSON.stringify(copy));
  const clock = join(dir, `clock-${files}`);
  writeFileSync(clock, gh.now().toISOString());
  return { GITHUB_EVENT_NAME: event, GITHUB_EVENT_PATH: eventPath, GITHUB_REPOSITORY: REPO, GITHUB_API_URL: gh.apiUrl, GITHUB_RUN_ID: "77", GITHUB_RUN_ATTEMPT: "1", NODE_ENV: "test", CHARTER_CLOCK_FILE: clock, LOG_LEVEL: "fatal", ...credentials };
}

const appCredentials = () => ({ APP_ID: String(gh.appId), PRIVATE_KEY: privateKey, CHARTER_SEAL_KEYS: TEST_SEAL_SECRET });

function gaPullRequest(branch: string): { number: number; headSha: string } {
  const phase = gh.getFile(REPO, "governance/state/phase.yml")!;
  gh.commitFiles(REPO, branch, { "governance/state/phase.yml": withPhase(phase, "P4") }, "GA", { author: "rob-release" });
  const { issue, pull } = gh.openPullRequest(REPO, { head: branch, title: "GA", body: GA_BODY, user: "rob-release" });
  return { number: issue.number, headSha: pull.headSha };
}

describe("#10 item 13: Actions mode with the GitHub App's identity", () => {
  it("acts as the app (an installation token), and its check is not advisory", async () => {
    const pr = gaPullRequest("ga-app");
    gh.clearRequestLog();
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const result = await runAction(workflowEnv("pull_request_target", gh.payloads.pullRequest("opened", REPO, pr.number), appCredentials()));
    expect(result).toMatchObject({ exitCode: 0, outcome: "delivered pull_request.opened (enforcing, as charter[bot])" });
    // who Charter is: GET /app with the app's JWT; which installation: the repository's; then an installation token
    expect(gh.countRequests({ operationId: "apps/get-authenticated" })).toBe(1);
    expect(gh.countRequests({ operationId: "apps/get-repo-installation" })).toBe(1);
    expect(gh.countRequests({ operationId: "apps/create-installation-access-token" })).toBe(1);
    expect(gh.requestLog.some((r) => r.actor === ACTIONS_BOT)).toBe(false);
    const run = gh.listCheckRuns(REPO, pr.headSha).find((r) => r.name === CHECK);
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).not.toMatch(/advisory/i);
    expect(run?.output.summary).not.toMatch(/advisory/i);
    expect(log.mock.calls.flat().join("\n")).not.toMatch(/::warning/);
  });

  it("refuses to run with APP_ID but no private key, or with invalid seal keys, and says why", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    gh.clearRequestLog();
    const noKey = await runAction(workflowEnv("workflow_dispatch", {}, { APP_ID: "1" }));
    expect(noKey.exitCode).toBe(2);
    expect(noKey.outcome).toBe("APP_ID is set but PRIVATE_KEY is not: give Charter the GitHub App's private key (an environment secret), see docs/actions.md");
    const badSeal = await runAction(workflowEnv("workflow_dispatch", {}, { ...appCredentials(), CHARTER_SEAL_KEYS: "short" }));
    expect(badSeal.exitCode).toBe(2);
    expect(badSeal.outcome).toContain("CHARTER_SEAL_KEYS entry 1 has 5 characters");
    expect(log.mock.calls.flat().join("\n")).toContain("::error title=Charter::APP_ID is set but PRIVATE_KEY is not");
    expect(gh.requestLog).toEqual([]);
  });

  it("says so when the app is not installed on the repository", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const result = await runAction({ ...workflowEnv("workflow_dispatch", {}, appCredentials()), GITHUB_REPOSITORY: "nobody/nothing" });
    expect(result.exitCode).toBe(2);
    expect(result.outcome).toMatch(/^the GitHub App \(id \d+\) is not installed on nobody\/nothing/);
    expect(log.mock.calls.flat().join("\n")).toContain("::error title=Charter::the GitHub App");
  });
});

describe("#10 item 13: Actions mode with GITHUB_TOKEN is advisory, and says so", () => {
  it("the check's title and summary say it is advisory and cannot be required; the run gets a warning", async () => {
    const pr = gaPullRequest("ga-token");
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const result = await runAction(workflowEnv("pull_request_target", gh.payloads.pullRequest("opened", REPO, pr.number), { GITHUB_TOKEN: gh.tokenFor(ACTIONS_BOT) }));
    expect(result).toMatchObject({ exitCode: 0, outcome: "delivered pull_request.opened (advisory, as github-actions[bot])" });
    const run = gh.listCheckRuns(REPO, pr.headSha).find((r) => r.name === CHECK);
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).toMatch(/^Advisory only: /);
    expect(run?.output.summary).toMatch(
      /^> \*\*Advisory only\.\*\* Charter ran in GitHub Actions with the workflow's `GITHUB_TOKEN`, so this check was written by `github-actions\[bot\]`, which every workflow in this repository can write as\. It proves nothing and branch protection cannot require it safely: run Charter with its GitHub App's identity \(docs\/actions\.md\)\.\n\n/,
    );
    expect(log.mock.calls.flat().join("\n")).toContain("::warning title=Charter::advisory mode: Charter runs with GITHUB_TOKEN");
  });
});

describe("#10 item 13: reviews reach Charter through the unprivileged relay workflow", () => {
  it("a `workflow_run` of \"Charter review relay\" re-evaluates the pull request at its head: the PM's approval is counted", async () => {
    const pr = gaPullRequest("ga-relay");
    const before = gh.listCheckRuns(REPO, pr.headSha).length;
    gh.submitReview(REPO, pr.number, { user: "pat-pm", state: "APPROVED", body: "GA ok" });
    const run = examplePayload("workflow_run", "completed");
    const wr = run.workflow_run as Record<string, unknown>;
    wr.name = "Charter review relay";
    wr.event = "pull_request_review";
    wr.head_sha = pr.headSha;
    wr.head_branch = "ga-relay";
    wr.pull_requests = []; // as for a pull request from a fork
    run.repository = gh.payloads.pullRequest("opened", REPO, pr.number).repository;
    const result = await runAction(workflowEnv("workflow_run", run, appCredentials()));
    expect(result).toMatchObject({ exitCode: 0, outcome: `re-evaluated #${pr.number} after "Charter review relay" (enforcing, as charter[bot])` });
    const runs = gh.listCheckRuns(REPO, pr.headSha).filter((r) => r.name === CHECK);
    expect(runs.length).toBeGreaterThan(before);
    expect(runs.at(-1)!.output.summary).toMatch(/pat-pm/);
  });

  it("a `workflow_run` of any other workflow is ignored", async () => {
    const run = examplePayload("workflow_run", "completed");
    (run.workflow_run as Record<string, unknown>).name = "CI";
    gh.clearRequestLog();
    const result = await runAction(workflowEnv("workflow_run", run, appCredentials()));
    expect(result).toMatchObject({ exitCode: 0, outcome: 'ignored workflow_run of "CI"' });
    expect(gh.requestLog).toEqual([]);
  });

  it("made only requests GitHub's API describes", () => {
    expect(gh.violations).toEqual([]);
  });
});
