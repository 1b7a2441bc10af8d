/**
 * Hardening issue #10, item 13, the way a runner does it: the built entry point
 * (`node dist/actions/main.js`, what .github/workflows/charter.yml runs) as a child process, given
 * only an event file and the step's environment, against the GitHub emulator. As the GitHub App it
 * enforces; with GITHUB_TOKEN it is advisory and says so, in the check and on the run.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type GitHubEmulator } from "../emulator/index.js";
import { checkWebhookDelivery } from "../support/openapi/webhook-guard.js";
import { BUILD_AND_START_TIMEOUT, ensureBuilt, ROOT } from "./support/build.js";
import { generateAppKey } from "./support/server.js";
import { GA_BODY, withPhase } from "./support/stories.js";
import { REPO, repositoryGovernance } from "./support/world.js";

const MAIN = join(ROOT, "dist", "actions", "main.js");
let gh: GitHubEmulator;
let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  gh = await startEmulator({ startTime: "2025-06-03T08:00:00Z", quiet: true });
  gh.createRepo(REPO, { ownerType: "Organization", files: { "README.md": "# ingestion\n", ...repositoryGovernance() } });
  dir = mkdtempSync(join(tmpdir(), "charter-actions-e2e-"));
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await gh?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the step as a runner would: a clean environment, the event in a file. */
async function step(event: string, payload: Record<string, unknown>, credentials: Record<string, string>): Promise<{ code: number; stdout: string }> {
  const eventPath = join(dir, `${event}-${Date.now()}.json`);
  const copy = structuredClone(payload);
  delete copy.installation;
  // the child process is outside the webhook guard: check the file as GitHub would write it
  // (a `pull_request_target` event carries the `pull_request` payload; `{}` is the no-credentials case)
  if (Object.keys(copy).length > 0) checkWebhookDelivery(event === "pull_request_target" ? "pull_request" : event, copy, "the step's event file");
  writeFileSync(eventPath, JSON.stringify(copy));
  const clock = join(dir, "clock");
  writeFileSync(clock, gh.now().toISOString());
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "", HOME: dir, GITHUB_EVENT_NAME: event, GITHUB_EVENT_PATH: eventPath, GITHUB_REPOSITORY: REPO, GITHUB_API_URL: gh.apiUrl, GITHUB_RUN_ID: "9", GITHUB_RUN_ATTEMPT: "1", NODE_ENV: "test", CHARTER_CLOCK_FILE: clock, LOG_LEVEL: "fatal", ...credentials };
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [MAIN], { cwd: dir, env });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? "" };
  }
}

function gaPullRequest(branch: string): { number: number; headSha: string } {
  const phase = gh.getFile(REPO, "governance/state/phase.yml")!;
  gh.commitFiles(REPO, branch, { "governance/state/phase.yml": withPhase(phase, "P4") }, "GA", { author: "rob-release" });
  const { issue, pull } = gh.openPullRequest(REPO, { head: branch, title: "GA", body: GA_BODY, user: "rob-release" });
  return { number: issue.number, headSha: pull.headSha };
}

describe("#10 item 13: dist/actions/main.js as a workflow step", () => {
  it("with the GitHub App's APP_ID and PRIVATE_KEY it enforces: the check is the app's and not advisory", async () => {
    const pr = gaPullRequest("ga-e2e-app");
    const r = await step("pull_request_target", gh.payloads.pullRequest("opened", REPO, pr.number), { APP_ID: String(gh.appId), PRIVATE_KEY: generateAppKey() });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain("Charter: delivered pull_request.opened (enforcing, as charter[bot])");
    expect(r.stdout).not.toContain("::warning");
    const run = gh.listCheckRuns(REPO, pr.headSha).find((c) => c.name === "Charter sign-off");
    expect(run?.output.title).not.toMatch(/^Advisory/);
  });

  it("with only GITHUB_TOKEN it is advisory: a warning on the run, and the check says it cannot be required safely", async () => {
    const pr = gaPullRequest("ga-e2e-token");
    const r = await step("pull_request_target", gh.payloads.pullRequest("opened", REPO, pr.number), { GITHUB_TOKEN: gh.tokenFor("github-actions[bot]") });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain("::warning title=Charter::advisory mode: Charter runs with GITHUB_TOKEN");
    expect(r.stdout).toContain("Charter: delivered pull_request.opened (advisory, as github-actions[bot])");
    const run = gh.listCheckRuns(REPO, pr.headSha).find((c) => c.name === "Charter sign-off");
    expect(run?.output.title).toMatch(/^Advisory only: /);
    expect(run?.output.summary).toContain("branch protection cannot require it safely");
  });

  it("without credentials it fails the step and says what to give it", async () => {
    const r = await step("workflow_dispatch", {}, {});
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("::error title=Charter::no credentials: give Charter its GitHub App (APP_ID and PRIVATE_KEY, enforcing) or, advisory only, the workflow's token");
  });

  it("made only requests GitHub's API describes", () => {
    expect(gh.violations).toEqual([]);
  });
});
