import { Probot, ProbotOctokit } from "probot";
import { systemClock, type Clock } from "../../clock.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { GovernanceCache } from "../../github/governance.js";
import { ADVISORY_IDENTITY, fixedIdentity } from "../../github/identity.js";
import { appServerIdentity } from "../../github/identity-server.js";
import type { CharterDeps } from "../../handlers/deps.js";
import { notifierFromEnv } from "../../notify/notifier.js";
import { sweepAllInstallations, sweepRepository, type RepositorySweep } from "../../reconcile/runner.js";
import { parseArgs } from "../args.js";
import type { CliCommand, CliIO } from "../command.js";
import { UsageError } from "../command.js";

const usage = `Usage: charter sweep [--repo owner/name] [--at <instant>] [--json]

Runs one reconcile pass now, as the server does every minute: escalation steps and status-update
reminders of open incidents, approval deadlines. It acts on GitHub for real (pages, assigns,
comments, writes state). Every due thing is done once; running it again, concurrently or late is
safe. For a cron job or a scheduled workflow: docs/cli.md#charter-sweep, docs/incidents.md#running-it.

Credentials, from the environment:
  GITHUB_TOKEN + GITHUB_REPOSITORY   a token for one repository (GitHub Actions), or --repo
  APP_ID + PRIVATE_KEY               the GitHub App: every repository of every installation,
                                     or only --repo
  GITHUB_API_URL                     the REST API base (default https://api.github.com)

  --repo owner/name   sweep this repository only
  --at <instant>      run the pass as of this instant, now or in the past (to catch up a missed
                      pass), e.g. 2025-06-04T10:15:00Z. A future instant is refused: it would page
                      people ahead of time. Rehearsals never write to GitHub.
  --json              print the result as JSON

Exit status: 0 swept, 1 a task or GitHub failed, 2 usage error or missing credentials.`;

const REPO = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

function repoRef(text: string, what: string): RepoRef {
  const m = REPO.exec(text.trim());
  if (!m) throw new UsageError(`${what} must be owner/name, got \`${text}\``);
  return { owner: m[1]!, repo: m[2]! };
}

function print(io: CliIO, sweeps: RepositorySweep[], json: boolean): void {
  if (json) {
    io.out(JSON.stringify(sweeps, null, 2));
    return;
  }
  if (sweeps.length === 0) io.out("No repositories to sweep.");
  for (const s of sweeps) {
    const head = `${s.repo} at ${s.at}${s.governanceSha ? ` (governance ${s.governanceSha.slice(0, 7)})` : ""}`;
    if (s.skipped) {
      io.out(`${head}: skipped, ${s.skipped}`);
      continue;
    }
    const actions = s.reports.flatMap((r) => r.actions.map((a) => `  - ${r.task}: ${a}`));
    io.out(`${head}: ${actions.length === 0 ? "nothing due" : `${actions.length} action(s)`}`);
    for (const line of actions) io.out(line);
    for (const e of s.errors) io.out(`  ! ${e.task} failed: ${e.message}`);
  }
}

export interface SweepCommandOptions {
  /** The Octokit class (tests pass one without retries and throttling). */
  Octokit?: typeof ProbotOctokit;
  /** The clock that decides what "the future" is for --at (default: the system clock). */
  clock?: Clock;
}

/** `charter sweep`: one reconcile pass, from a cron job or a scheduled workflow. */
export function createSweepCommand(options: SweepCommandOptions = {}): CliCommand {
  return {
    name: "sweep",
    summary: "Run one reconcile pass now: incident escalations and reminders, approval deadlines",
    usage,
    async run(args: string[], io: CliIO): Promise<number> {
      const { positional, values, switches } = parseArgs(args, { values: ["repo", "at"], switches: ["json"] });
      if (positional.length > 0) throw new UsageError(`unexpected argument \`${positional[0]}\``);
      let clock: Clock = systemClock;
      if (values.at !== undefined) {
        const at = INSTANT.test(values.at) ? new Date(values.at) : new Date(Number.NaN);
        if (Number.isNaN(at.getTime())) throw new UsageError(`--at needs an ISO instant with its offset, e.g. 2025-06-04T10:15:00Z (got \`${values.at}\`)`);
        const now = (options.clock ?? systemClock).now();
        if (at.getTime() > now.getTime()) {
          throw new UsageError(`--at ${values.at} is in the future (now is ${now.toISOString()}): \`charter sweep\` acts on GitHub for real and would page, assign and record people ahead of time. Give now or a past instant; nothing was done`);
        }
        clock = { now: () => at };
      }
      const env = io.env;
      const baseUrl = (env.GITHUB_API_URL ?? "").trim() || "https://api.github.com";
      const logLevel = (env.LOG_LEVEL as "fatal" | "error" | "warn" | "info" | "debug" | undefined) ?? "warn";
      const notify = notifierFromEnv(env, clock, (m) => io.err(`charter sweep: ${m}`));
      const deps: CharterDeps = { clock, governance: new GovernanceCache(), identity: fixedIdentity(ADVISORY_IDENTITY), notify };
      const Octokit = options.Octokit ?? ProbotOctokit;
      const only = values.repo !== undefined ? repoRef(values.repo, "--repo") : undefined;
      let sweeps: RepositorySweep[];
      if (env.APP_ID && env.PRIVATE_KEY) {
        const app = new Probot({ appId: env.APP_ID, privateKey: env.PRIVATE_KEY.replace(/\\n/g, "\n"), baseUrl, logLevel, Octokit });
        deps.identity = appServerIdentity(app, env);
        if (only) {
          const appClient = await app.auth();
          const { data } = await appClient.request("GET /repos/{owner}/{repo}/installation", { owner: only.owner, repo: only.repo });
          sweeps = [await sweepRepository((await app.auth(data.id)) as GitHubClient, only, deps, app.log)];
        } else sweeps = await sweepAllInstallations(app, deps);
      } else if (env.GITHUB_TOKEN) {
        const repo = only ?? (env.GITHUB_REPOSITORY ? repoRef(env.GITHUB_REPOSITORY, "GITHUB_REPOSITORY") : undefined);
        if (!repo) throw new UsageError("with GITHUB_TOKEN, say which repository: GITHUB_REPOSITORY=owner/name or --repo owner/name");
        const app = new Probot({ githubToken: env.GITHUB_TOKEN, baseUrl, logLevel, Octokit });
        sweeps = [await sweepRepository((await app.auth()) as GitHubClient, repo, deps, app.log)];
      } else {
        throw new UsageError("no credentials: set GITHUB_TOKEN and GITHUB_REPOSITORY (GitHub Actions), or APP_ID and PRIVATE_KEY (the GitHub App)");
      }
      // messages to channels outside GitHub go out after the GitHub writes; a retry still ahead stays recorded for the next sweep
      await notify.idle(30_000);
      print(io, sweeps, switches.has("json"));
      return sweeps.some((s) => s.errors.length > 0) ? 1 : 0;
    },
  };
}

export const sweepCommand = createSweepCommand();
