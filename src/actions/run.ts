/**
 * Charter inside GitHub Actions: the same app function as the server, run once for the event that
 * started the workflow, with the workflow's GITHUB_TOKEN instead of an app installation.
 *
 * - `schedule` and `workflow_dispatch`: one reconcile pass over the repository (escalations,
 *   reminders, approval deadlines), what the server's periodic sweep does.
 * - `pull_request_target`: delivered as `pull_request` (same payload; see docs/actions.md for why
 *   the workflow uses it).
 * - every other event: delivered as is to the app's handlers.
 */
import { readFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { Probot, type ApplicationFunction, type Logger } from "probot";
import { createCharter } from "../app.js";
import { clockFromEnvironment, testControlsAllowed, type Env } from "../clock-control.js";
import type { GitHubClient } from "../github/client.js";
import { GovernanceCache } from "../github/governance.js";
import { ADVISORY_IDENTITY, fixedIdentity } from "../github/identity.js";
import { charterOctokit } from "../github/octokit-options.js";
import type { CharterDeps } from "../handlers/deps.js";
import { sweepRepository, type RepositorySweep } from "../reconcile/runner.js";
import { trimEndOf } from "../core/text/scan.js";

export const SWEEP_EVENTS = new Set(["schedule", "workflow_dispatch"]);

/** Event names as the app's handlers know them. */
export function deliveredEventName(workflowEvent: string): string {
  return workflowEvent === "pull_request_target" ? "pull_request" : workflowEvent;
}

export interface ActionResult {
  exitCode: number;
  /** What was done: `delivered <event>` or `swept <repo>`, or why nothing was. */
  outcome: string;
  sweep?: RepositorySweep;
}

export interface ActionOptions {
  /** The app to run (default: Charter). Tests pass a recording app. */
  app?: (deps: CharterDeps) => ApplicationFunction;
  /** Logger (default: Probot's, LOG_LEVEL, pretty unless LOG_FORMAT=json). */
  log?: Logger;
}

const REQUIRED = ["GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_REPOSITORY", "GITHUB_TOKEN"] as const;

/** `::error::` is how a workflow step puts a message on the run's summary page. */
function annotate(message: string): string {
  return `::error title=Charter::${message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}`;
}

function sweepSummary(result: RepositorySweep): string {
  const lines = [`### Charter sweep of ${result.repo} at ${result.at}`, ""];
  if (result.skipped) lines.push(`Nothing to do: ${result.skipped}.`);
  for (const report of result.reports) {
    lines.push(`- **${report.task}**: ${report.actions.length === 0 ? "nothing due" : ""}`);
    for (const action of report.actions) lines.push(`  - ${action}`);
  }
  for (const e of result.errors) lines.push(`- **${e.task}** failed: ${e.message}`);
  return `${lines.join("\n")}\n`;
}

/** Runs Charter for the workflow's event. Never throws: failures come back as a non-zero exit code. */
export async function runAction(env: Env = process.env, options: ActionOptions = {}): Promise<ActionResult> {
  const missing = REQUIRED.filter((k) => !env[k]);
  if (missing.length > 0) {
    const message = `missing ${missing.join(", ")}: run Charter from a workflow step with \`env: GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}\` (GitHub sets the others), see docs/actions.md`;
    console.log(annotate(message));
    return { exitCode: 2, outcome: message };
  }
  const eventName = env.GITHUB_EVENT_NAME!;
  const [owner, repoName, ...rest] = env.GITHUB_REPOSITORY!.split("/");
  if (!owner || !repoName || rest.length > 0) {
    const message = `GITHUB_REPOSITORY must be "owner/name", got "${env.GITHUB_REPOSITORY}"`;
    console.log(annotate(message));
    return { exitCode: 2, outcome: message };
  }
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH!, "utf8")) as Record<string, unknown>;
  } catch (error) {
    const message = `cannot read the event payload at GITHUB_EVENT_PATH=${env.GITHUB_EVENT_PATH}: ${(error as Error).message}`;
    console.log(annotate(message));
    return { exitCode: 2, outcome: message };
  }

  const testMode = testControlsAllowed(env);
  const probot = new Probot({
    githubToken: env.GITHUB_TOKEN!,
    baseUrl: trimEndOf(env.GITHUB_API_URL || "https://api.github.com", "/"),
    ...(options.log ? { log: options.log } : { logLevel: (env.LOG_LEVEL as "info" | undefined) ?? "info", logFormat: env.LOG_FORMAT === "json" ? "json" : "pretty" }),
    // Charter's bounded retry policy; write spacing as GitHub asks, except against the test emulator
    Octokit: charterOctokit({ writeSpacing: !testMode }),
  });
  await probot.ready();
  const log = probot.log.child({ name: "charter-action", event: eventName, run: env.GITHUB_RUN_ID });
  const deps: CharterDeps = { clock: clockFromEnvironment(env, { warn: (m) => log.warn(m), info: (m) => log.info(m) }), governance: new GovernanceCache(), identity: fixedIdentity(ADVISORY_IDENTITY) };
  await probot.load((options.app ?? createCharter)(deps));

  const repo = { owner, repo: repoName };
  if (SWEEP_EVENTS.has(eventName)) {
    try {
      const gh = (await probot.auth()) as GitHubClient;
      const defaultBranch = (payload.repository as { default_branch?: string } | undefined)?.default_branch;
      const sweep = await sweepRepository(gh, repo, deps, log, defaultBranch ? { defaultBranch } : {});
      const summary = sweepSummary(sweep);
      log.info({ reports: sweep.reports, errors: sweep.errors, skipped: sweep.skipped }, `swept ${sweep.repo}`);
      if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, summary).catch(() => undefined);
      if (sweep.errors.length > 0) {
        for (const e of sweep.errors) console.log(annotate(`sweep task ${e.task} failed: ${e.message}`));
        return { exitCode: 1, outcome: `swept ${sweep.repo} with ${sweep.errors.length} failed task(s)`, sweep };
      }
      return { exitCode: 0, outcome: `swept ${sweep.repo}`, sweep };
    } catch (error) {
      log.error({ err: error }, "sweep failed");
      console.log(annotate(`sweep failed: ${(error as Error).message}`));
      return { exitCode: 1, outcome: `sweep failed: ${(error as Error).message}` };
    }
  }

  const name = deliveredEventName(eventName);
  const id = `actions-${env.GITHUB_RUN_ID ?? "local"}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`;
  try {
    await probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]);
    return { exitCode: 0, outcome: `delivered ${name}${typeof payload.action === "string" ? `.${payload.action}` : ""}` };
  } catch (error) {
    const errors = error instanceof AggregateError ? error.errors : [error];
    for (const e of errors) console.log(annotate(`handling ${name} failed: ${(e as Error).message ?? String(e)}`));
    log.error({ err: error }, `handling ${name} failed`);
    return { exitCode: 1, outcome: `handling ${name} failed: ${errors.map((e) => (e as Error).message).join("; ")}` };
  }
}
