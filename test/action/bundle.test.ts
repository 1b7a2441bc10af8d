/**
 * The bundled JavaScript action (action.yml → dist-action/index.mjs):
 *
 * - the committed bundle is exactly what `npm run build:action` builds from the current sources and
 *   locked dependencies (rebuilt in memory here: esbuild is deterministic, ~2 s), so `npm test`
 *   fails when someone changes src/ or the lockfile and forgets to rebuild it;
 * - it runs the way a runner runs it: `node index.mjs` in a directory holding nothing but the bundle
 *   and the event file, with the runner's variables and the action's inputs as `INPUT_*`, no
 *   node_modules anywhere above it, against the local GitHub emulator.
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_BUNDLE, buildActionBundle } from "../../scripts/build-action.js";
import { ACTION_INPUTS, environmentFromInputs, inputVariable } from "../../src/bundle/inputs.js";
import { startEmulator, type GitHubEmulator } from "../emulator/index.js";
import { ROOT } from "../e2e/support/build.js";
import { GA_BODY, withPhase } from "../e2e/support/stories.js";
import { REPO, repositoryGovernance } from "../e2e/support/world.js";
import { checkWebhookDelivery } from "../support/openapi/webhook-guard.js";
import { generateAppKey } from "../e2e/support/server.js";

/**
 * Enforcing mode (the app's `app-id` + `private-key` inputs) needs Actions mode to act as the app,
 * which src/actions/credentials.ts brings (issue 10's hardening). Until that is merged this test
 * is skipped; from then on it runs, and the bundle must be rebuilt (`npm run build:action`).
 */
const APP_MODE = existsSync(join(ROOT, "src", "actions", "credentials.ts"));

const run = promisify(execFile);
const ACTIONS_BOT = "github-actions[bot]";

describe("dist-action/index.mjs is up to date", () => {
  it("equals a fresh `npm run build:action` of the current sources (rebuild and commit it when this fails)", async () => {
    const fresh = await buildActionBundle();
    const committed = readFileSync(ACTION_BUNDLE, "utf8");
    if (committed !== fresh) {
      throw new Error(`dist-action/index.mjs is out of date (${committed.length} bytes committed, ${fresh.length} built now): run \`npm run build:action\` and commit dist-action/index.mjs`);
    }
  }, 60_000);

  it("action.yml runs that file with node20 and declares exactly the inputs the entry maps", () => {
    const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as { runs: { using: string; main: string }; inputs: Record<string, { required?: boolean; default?: string }> };
    expect(action.runs).toEqual({ using: "node20", main: "dist-action/index.mjs" });
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(ACTION_INPUTS).sort());
    // no input is required and none has a default: advisory mode is never chosen for you
    for (const input of Object.values(action.inputs)) {
      expect(input.required ?? false).toBe(false);
      expect(input.default).toBeUndefined();
    }
  });
});

describe("the action's inputs become the environment Actions mode reads", () => {
  it("INPUT_APP-ID, INPUT_PRIVATE-KEY, INPUT_GITHUB-TOKEN, … as the runner names them", () => {
    expect(inputVariable("app-id")).toBe("INPUT_APP-ID");
    const env = environmentFromInputs({ "INPUT_APP-ID": "42", "INPUT_PRIVATE-KEY": "pem", "INPUT_GITHUB-TOKEN": "", "INPUT_SEAL-KEYS": "k".repeat(32), "INPUT_LOG-LEVEL": "debug", GITHUB_TOKEN: "from-env" });
    expect(env).toMatchObject({ APP_ID: "42", PRIVATE_KEY: "pem", CHARTER_SEAL_KEYS: "k".repeat(32), LOG_LEVEL: "debug" });
    // an empty input leaves the step's own env alone
    expect(env.GITHUB_TOKEN).toBe("from-env");
  });
});

describe("the bundle, run as a runner runs it", () => {
  let gh: GitHubEmulator;
  let dir: string;

  beforeAll(async () => {
    gh = await startEmulator({ startTime: "2025-06-02T10:00:00Z", quiet: true });
    gh.createRepo(REPO, { files: { "README.md": "# ingestion\n", ...repositoryGovernance() } });
    dir = mkdtempSync(join(tmpdir(), "charter-action-runner-"));
    copyFileSync(ACTION_BUNDLE, join(dir, "index.mjs"));
  });

  afterAll(async () => {
    await gh.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a pull_request_review event: the bundle writes the Charter sign-off check on the head commit", async () => {
    const phase = gh.getFile(REPO, "governance/state/phase.yml")!;
    gh.commitFiles(REPO, "ga", { "governance/state/phase.yml": withPhase(phase, "P4") }, "GA", { author: "rob-release" });
    const { issue, pull } = gh.openPullRequest(REPO, { head: "ga", title: "GA", body: GA_BODY, user: "rob-release" });
    const review = gh.submitReview(REPO, issue.number, { user: "ana-owner", state: "APPROVED" });
    const payload = gh.payloads.pullRequestReview("submitted", REPO, issue.number, review.id, { sender: "ana-owner" });
    delete (payload as { installation?: unknown }).installation; // a workflow's event file has none
    checkWebhookDelivery("pull_request_review", payload, "the action's event file");
    writeFileSync(join(dir, "event.json"), JSON.stringify(payload));
    expect(readdirSync(dir).sort()).toEqual(["event.json", "index.mjs"]);
    expect(gh.listCheckRuns(REPO, pull.headSha)).toEqual([]);

    // What a runner hands a JavaScript action: its own variables, and each `with:` input as INPUT_*.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_EVENT_NAME: "pull_request_review",
      GITHUB_EVENT_PATH: join(dir, "event.json"),
      GITHUB_REPOSITORY: REPO,
      GITHUB_API_URL: gh.apiUrl,
      GITHUB_RUN_ID: "777",
      GITHUB_RUN_ATTEMPT: "1",
      GITHUB_WORKSPACE: dir,
      RUNNER_TEMP: dir,
      "INPUT_GITHUB-TOKEN": gh.tokenFor(ACTIONS_BOT),
      "INPUT_LOG-LEVEL": "warn",
    };
    gh.clearRequestLog();
    const { stdout } = await run(process.execPath, ["index.mjs"], { cwd: dir, env, timeout: 60_000 });
    expect(stdout).toMatch(/^Charter: delivered pull_request_review\.submitted/m);

    const checks = gh.listCheckRuns(REPO, pull.headSha).filter((c) => c.name === "Charter sign-off");
    expect(checks).toHaveLength(1);
    const check = checks[0]!;
    expect(check.status).toBe("completed");
    expect(check.conclusion).toBe("failure"); // one of three roles has signed
    expect(check.output.summary).toContain("ana-owner");
    expect(check.output.summary).toMatch(/Product Manager/);
    expect(new Set(gh.requestLog.map((r) => r.actor))).toEqual(new Set([ACTIONS_BOT]));
    expect(gh.violations).toEqual([]);
  }, 90_000);

  it.skipIf(!APP_MODE)("with app-id and private-key: the bundle acts as the Charter app (enforcing) and writes the check as charter[bot]", async () => {
    const phase = gh.getFile(REPO, "governance/state/phase.yml")!;
    gh.commitFiles(REPO, "ga-app", { "governance/state/phase.yml": withPhase(phase, "P4") }, "GA", { author: "rob-release" });
    const { issue, pull } = gh.openPullRequest(REPO, { head: "ga-app", title: "GA", body: GA_BODY, user: "rob-release" });
    const review = gh.submitReview(REPO, issue.number, { user: "ana-owner", state: "APPROVED" });
    const payload = gh.payloads.pullRequestReview("submitted", REPO, issue.number, review.id, { sender: "ana-owner" });
    delete (payload as { installation?: unknown }).installation;
    checkWebhookDelivery("pull_request_review", payload, "the action's event file");
    writeFileSync(join(dir, "event.json"), JSON.stringify(payload));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      GITHUB_ACTIONS: "true",
      GITHUB_EVENT_NAME: "pull_request_review",
      GITHUB_EVENT_PATH: join(dir, "event.json"),
      GITHUB_REPOSITORY: REPO,
      GITHUB_API_URL: gh.apiUrl,
      GITHUB_RUN_ID: "778",
      GITHUB_RUN_ATTEMPT: "1",
      "INPUT_APP-ID": String(gh.appId),
      "INPUT_PRIVATE-KEY": generateAppKey(),
      "INPUT_LOG-LEVEL": "warn",
    };
    gh.clearRequestLog();
    const { stdout } = await run(process.execPath, ["index.mjs"], { cwd: dir, env, timeout: 60_000 });
    expect(stdout).toMatch(/^Charter: delivered pull_request_review\.submitted \(enforcing, as charter\[bot\]\)$/m);
    const check = gh.listCheckRuns(REPO, pull.headSha).find((c) => c.name === "Charter sign-off");
    expect(check?.conclusion).toBe("failure");
    expect(check?.output.title ?? "").not.toMatch(/^Advisory only/);
    expect(gh.requestLog.filter((r) => r.write).map((r) => r.actor)).toEqual(gh.requestLog.filter((r) => r.write).map(() => gh.botLogin));
    expect(gh.violations).toEqual([]);
  }, 90_000);
});
