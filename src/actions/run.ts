/**
 * Charter inside GitHub Actions: the same app function as the server, run once for the event that
 * started the workflow.
 *
 * Who it acts as (src/actions/credentials.ts):
 * - the GitHub App (APP_ID and PRIVATE_KEY): **enforcing**. Charter proves its identity (`GET /app`
 *   with the app's key), finds its installation on the repository, acts with an installation token
 *   and seals its markers, so its check can be pinned to the app in branch protection;
 * - the workflow's GITHUB_TOKEN: **advisory**. It writes as `github-actions[bot]`, which every
 *   workflow can write as; its check says it is advisory, and the run gets a warning.
 *
 * What it does:
 * - `schedule` and `workflow_dispatch`: one reconcile pass over the repository (escalations,
 *   reminders, approval deadlines), what the server's periodic sweep does.
 * - `workflow_run` of "Charter review relay": re-evaluate the pull request the relayed review was
 *   on (src/actions/review-relay.ts); runs of any other workflow are ignored.
 * - `pull_request_target`: delivered as `pull_request` (same payload; see docs/actions.md for why
 *   the workflow uses it).
 * - every other event: delivered as is to the app's handlers.
 */
import { readFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { Probot, type ApplicationFunction, type Logger } from "probot";
import { createCharter } from "../app.js";
import { notifierFromEnv } from "../notify/notifier.js";
import { clockFromEnvironment, testControlsAllowed, type Env } from "../clock-control.js";
import type { GitHubClient } from "../github/client.js";
import { GovernanceCache } from "../github/governance.js";
import { ADVISORY_IDENTITY, appIdentity, fixedIdentity, memoIdentity, sealKeyProblems, sealKeysFrom, type CharterIdentity, type IdentitySource } from "../github/identity.js";
import { charterOctokit } from "../github/octokit-options.js";
import type { CharterDeps } from "../handlers/deps.js";
import { sweepRepository, type RepositorySweep } from "../reconcile/runner.js";
import { actionsCredentials } from "./credentials.js";
import { reevaluateAfterRelay, relayedWorkflow, REVIEW_RELAY_WORKFLOW, type WorkflowRunPayload } from "./review-relay.js";
import { trimEndOf } from "../core/text/scan.js";
import { maybeRetry } from "../github/writes/retry.js";

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

const REQUIRED = ["GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_REPOSITORY"] as const;

/** `::error::` / `::warning::` is how a workflow step puts a message on the run's summary page. */
function annotate(message: string, level: "error" | "warning" = "error"): string {
  return `::${level} title=Charter::${message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}`;
}

const ADVISORY_WARNING =
  "advisory mode: Charter runs with GITHUB_TOKEN, so it writes as github-actions[bot], which every workflow in this repository can write as. Its check says it is advisory and cannot be required safely. Give it the GitHub App's identity (APP_ID, PRIVATE_KEY): docs/actions.md";

/** Fails the step with exit code 2 and an annotation saying why: nothing was done. */
function refuse(message: string): ActionResult {
  console.log(annotate(message));
  return { exitCode: 2, outcome: message };
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
/** How long a run waits, at its end, for messages to channels outside GitHub (retries beyond it are left to the next run). */
const NOTIFY_DRAIN_MS = 30_000;

export async function runAction(env: Env = process.env, options: ActionOptions = {}): Promise<ActionResult> {
  const credentials = actionsCredentials(env);
  const missing: string[] = REQUIRED.filter((k) => !env[k]);
  if (credentials.kind === "invalid" && missing.length > 0) missing.push("GITHUB_TOKEN (or APP_ID and PRIVATE_KEY)");
  if (missing.length > 0) {
    return refuse(`missing ${missing.join(", ")}: run Charter from a workflow step with the GitHub App's credentials (\`APP_ID\`, \`PRIVATE_KEY\`) or, advisory only, \`GITHUB_TOKEN\` (GitHub sets the others), see docs/actions.md`);
  }
  if (credentials.kind === "invalid") return refuse(credentials.message);
  const sealProblems = sealKeyProblems(env);
  if (sealProblems.length > 0) return refuse(sealProblems.join("; "));
  const eventName = env.GITHUB_EVENT_NAME!;
  const [owner, repoName, ...rest] = env.GITHUB_REPOSITORY!.split("/");
  if (!owner || !repoName || rest.length > 0) return refuse(`GITHUB_REPOSITORY must be "owner/name", got "${env.GITHUB_REPOSITORY}"`);
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH!, "utf8")) as Record<string, unknown>;
  } catch (error) {
    return refuse(`cannot read the event payload at GITHUB_EVENT_PATH=${env.GITHUB_EVENT_PATH}: ${(error as Error).message}`);
  }
  // Only the relay's runs mean anything to Charter; any other workflow's completion costs nothing.
  if (eventName === "workflow_run" && relayedWorkflow(payload as WorkflowRunPayload) !== REVIEW_RELAY_WORKFLOW) {
    return { exitCode: 0, outcome: `ignored workflow_run of "${relayedWorkflow(payload as WorkflowRunPayload)}"` };
  }

  const testMode = testControlsAllowed(env);
  const baseUrl = trimEndOf(env.GITHUB_API_URL || "https://api.github.com", "/");
  const probot = new Probot({
    ...(credentials.kind === "app" ? { appId: credentials.appId, privateKey: credentials.privateKey } : { githubToken: credentials.token }),
    baseUrl,
    ...(options.log ? { log: options.log } : { logLevel: (env.LOG_LEVEL as "info" | undefined) ?? "info", logFormat: env.LOG_FORMAT === "json" ? "json" : "pretty" }),
    // Charter's bounded retry policy; write spacing as GitHub asks, except against the test emulator
    Octokit: charterOctokit({ writeSpacing: !testMode }),
  });
  await probot.ready();
  const log = probot.log.child({ name: "charter-action", event: eventName, run: env.GITHUB_RUN_ID });
  const repo = { owner, repo: repoName };

  // Who Charter is, and the client it acts with.
  let identity: IdentitySource;
  let installationId: number | undefined;
  if (credentials.kind === "app") {
    identity = memoIdentity(async () => {
      const { data } = await (await probot.auth()).request("GET /app");
      if (!data) throw new Error("GET /app returned no app");
      return appIdentity({ id: data.id, slug: data.slug ?? String(data.id) }, sealKeysFrom(env, credentials.privateKey));
    });
    try {
      installationId = (await (await probot.auth()).request("GET /repos/{owner}/{repo}/installation", { ...repo })).data.id;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 404) return refuse(`the GitHub App (id ${credentials.appId}) is not installed on ${owner}/${repoName}: install it on this repository (docs/actions.md)`);
      if (status === 401) return refuse(`GitHub refused the GitHub App's credentials (APP_ID ${credentials.appId}): check that PRIVATE_KEY is this app's key`);
      return refuse(`cannot find the GitHub App's installation on ${owner}/${repoName}: ${(error as Error).message}`);
    }
  } else {
    identity = fixedIdentity(ADVISORY_IDENTITY);
  }
  let who: CharterIdentity;
  try {
    who = await identity();
  } catch (error) {
    return refuse(`cannot resolve Charter's identity (GET /app): ${(error as Error).message}`);
  }
  const mode = `(${who.mode}, as ${who.botLogin ?? "?"})`;
  if (who.mode === "advisory") console.log(annotate(ADVISORY_WARNING, "warning"));
  const client = async () => (installationId !== undefined ? probot.auth(installationId) : probot.auth()) as Promise<GitHubClient>;

  const clock = clockFromEnvironment(env, { warn: (m) => log.warn(m), info: (m) => log.info(m) });
  const notify = notifierFromEnv(env, clock, (m) => log.warn(m));
  const deps: CharterDeps = { clock, governance: new GovernanceCache(), identity, notify };
  await probot.load((options.app ?? createCharter)(deps));
  try {
    return await runEvent();
  } finally {
    // Messages to channels outside GitHub go out after the GitHub writes: wait for them (a retry
    // still ahead stays recorded in GitHub, and the next scheduled run takes it up).
    await notify.idle(NOTIFY_DRAIN_MS);
  }

  async function runEvent(): Promise<ActionResult> {

    if (SWEEP_EVENTS.has(eventName)) {
      try {
        const gh = await client();
        const defaultBranch = (payload.repository as { default_branch?: string } | undefined)?.default_branch;
        const sweep = await sweepRepository(gh, repo, deps, log, defaultBranch ? { defaultBranch } : {});
        const summary = sweepSummary(sweep);
        log.info({ reports: sweep.reports, errors: sweep.errors, skipped: sweep.skipped }, `swept ${sweep.repo}`);
        if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, summary).catch(() => undefined);
        if (sweep.errors.length > 0) {
          for (const e of sweep.errors) console.log(annotate(`sweep task ${e.task} failed: ${e.message}`));
          return { exitCode: 1, outcome: `swept ${sweep.repo} with ${sweep.errors.length} failed task(s) ${mode}`, sweep };
        }
        return { exitCode: 0, outcome: `swept ${sweep.repo} ${mode}`, sweep };
      } catch (error) {
        log.error({ err: error }, "sweep failed");
        console.log(annotate(`sweep failed: ${(error as Error).message}`));
        return { exitCode: 1, outcome: `sweep failed: ${(error as Error).message}` };
      }
    }

    if (eventName === "workflow_run") {
      try {
        const numbers = await reevaluateAfterRelay(await client(), repo, payload as WorkflowRunPayload, deps, log);
        return { exitCode: 0, outcome: `${numbers.length > 0 ? `re-evaluated ${numbers.map((n) => `#${n}`).join(", ")}` : "no open pull request at the relayed head"} after "${REVIEW_RELAY_WORKFLOW}" ${mode}` };
      } catch (error) {
        log.error({ err: error }, "re-evaluation after a relayed review failed");
        console.log(annotate(`re-evaluation after a review failed: ${(error as Error).message}`));
        return { exitCode: 1, outcome: `re-evaluation after a review failed: ${(error as Error).message}` };
      }
    }

    const name = deliveredEventName(eventName);
    const id = `actions-${env.GITHUB_RUN_ID ?? "local"}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`;
    // A workflow's event payload names no installation; as the app, Charter's handlers act through the
    // repository's, named as a webhook delivery names it (its node id is the legacy global id).
    const delivered = installationId !== undefined ? { ...payload, installation: { id: installationId, node_id: Buffer.from(`023:IntegrationInstallation${installationId}`).toString("base64") } } : payload;
    try {
      // "Re-run jobs" is this event's retry: its creates look for their keys before writing (src/github/writes/retry.ts)
      await maybeRetry(Number(env.GITHUB_RUN_ATTEMPT ?? "1") > 1, () => probot.receive({ id, name, payload: delivered } as Parameters<Probot["receive"]>[0]));
      return { exitCode: 0, outcome: `delivered ${name}${typeof payload.action === "string" ? `.${payload.action}` : ""} ${mode}` };
    } catch (error) {
      const errors = error instanceof AggregateError ? error.errors : [error];
      for (const e of errors) console.log(annotate(`handling ${name} failed: ${(e as Error).message ?? String(e)}`));
      log.error({ err: error }, `handling ${name} failed`);
      return { exitCode: 1, outcome: `handling ${name} failed: ${errors.map((e) => (e as Error).message).join("; ")}` };
    }
  }
}
