import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Probot, ProbotOctokit } from "probot";
import { systemClock, type Clock } from "../../clock.js";
import { buildReport, DEFAULT_WORKING_HOURS, parseWorkingHours, reportCsv, reportMarkdown, type WorkingHours } from "../../core/report/index.js";
import { reportSvg } from "../../core/report/svg.js";
import { peopleZones } from "../../core/report/zones.js";
import { httpStatus, type GitHubClient, type RepoRef } from "../../github/client.js";
import { ADVISORY_IDENTITY, type CharterIdentity } from "../../github/identity.js";
import { appServerIdentity } from "../../github/identity-server.js";
import { gatherReportFacts } from "../../github/report/gather.js";
import { githubHistoryReader } from "../../github/report/reader.js";
import { parseArgs } from "../args.js";
import type { CliCommand, CliIO } from "../command.js";
import { UsageError } from "../command.js";
import { loadDir } from "../load-dir.js";
import { parseSince } from "./log.js";

const usage = `Usage: charter report [--since <when>] [--until <when>] [--markdown | --json | --csv]
                      [--svg <file>] [--working-hours <days> <from>-<to>] [--repo owner/name] [--dir <dir>]

Figures from the repository's history on GitHub, as Charter recorded it: MTTA and MTTR per
severity, acknowledgement within the ladder's deadline, pages and after-hours hours per person
(each in their on-call schedule's time zone), sign-off lead time per gate, kill-switch time
active. Only Charter's own sealed records count. Every figure is defined in docs/report.md.

  --since <when>        start of the period (default 30d): an instant (2025-06-02T10:00Z), a date
                        (2025-06-02, midnight UTC) or a duration back from now (24h, 30d)
  --until <when>        end of the period, excluded (default: now), in the same forms
  --markdown            Markdown with Mermaid charts (the default)
  --json                the figures as JSON (durations: minutes for incidents, hours otherwise)
  --csv                 one figure per line: section,key,metric,value
  --svg <file>          also write the charts as one SVG image to <file>
  --working-hours <h>   working hours in each person's zone (default "Mon-Fri 09:00-18:00")
  --repo owner/name     the repository (default: GITHUB_REPOSITORY)
  --dir <dir>           the governance directory: people's time zones (oncall.yml) and the order
                        of severities (incidents.yml); default ./governance

Credentials, from the environment (read-only use):
  APP_ID + PRIVATE_KEY               the GitHub App (verifies Charter's seals; CHARTER_SEAL_KEYS
                                     if the app uses them)
  GITHUB_TOKEN                       a token (Actions mode: records Charter wrote as
                                     github-actions[bot])
  GITHUB_API_URL                     the REST API base (default https://api.github.com)

Exit status: 0 printed, 1 GitHub or governance files failed, 2 usage error or missing credentials.`;

const REPO = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

function repoRef(text: string, what: string): RepoRef {
  const m = REPO.exec(text.trim());
  if (!m) throw new UsageError(`${what} must be owner/name, got \`${text}\``);
  return { owner: m[1]!, repo: m[2]! };
}

/** `--since`/`--until`: an instant, a date or a duration back from now (as \`charter log --since\`). */
function when(text: string, now: Date, flag: string): Date {
  try {
    return parseSince(text, now);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message.replace("--since", flag));
    throw error;
  }
}

export interface ReportCommandOptions {
  Octokit?: typeof ProbotOctokit;
  clock?: Clock;
}

async function connect(env: CliIO["env"], repo: RepoRef, Octokit: typeof ProbotOctokit): Promise<{ gh: GitHubClient; identity: CharterIdentity }> {
  const baseUrl = (env.GITHUB_API_URL ?? "").trim() || "https://api.github.com";
  const logLevel = "warn" as const;
  if (env.APP_ID && env.PRIVATE_KEY) {
    const app = new Probot({ appId: env.APP_ID, privateKey: env.PRIVATE_KEY.replace(/\\n/g, "\n"), baseUrl, logLevel, Octokit });
    const identity = await appServerIdentity(app, env)();
    const appClient = await app.auth();
    let installation: number;
    try {
      installation = (await appClient.request("GET /repos/{owner}/{repo}/installation", { ...repo })).data.id;
    } catch (error) {
      if (httpStatus(error) === 404) throw new Error(`the GitHub App ${env.APP_ID} is not installed on ${repo.owner}/${repo.repo} (or the repository does not exist)`, { cause: error });
      throw error;
    }
    return { gh: (await app.auth(installation)) as GitHubClient, identity };
  }
  if (env.GITHUB_TOKEN) {
    const app = new Probot({ githubToken: env.GITHUB_TOKEN, baseUrl, logLevel, Octokit });
    return { gh: (await app.auth()) as GitHubClient, identity: ADVISORY_IDENTITY };
  }
  throw new UsageError("no credentials: set APP_ID and PRIVATE_KEY (the GitHub App), or GITHUB_TOKEN");
}

export function createReportCommand(options: ReportCommandOptions = {}): CliCommand {
  return {
    name: "report",
    summary: "Report MTTA/MTTR, ladder compliance, on-call load, sign-off lead time and kill-switch time from GitHub",
    usage,
    async run(args: string[], io: CliIO): Promise<number> {
      const { positional, values, switches } = parseArgs(args, { values: ["since", "until", "repo", "dir", "working-hours", "svg"], switches: ["markdown", "json", "csv"] });
      const formats = ["markdown", "json", "csv"].filter((f) => switches.has(f));
      if (formats.length > 1) throw new UsageError(`choose one output format, got ${formats.map((f) => `--${f}`).join(" and ")}`);
      const format = formats[0] ?? "markdown";
      const now = (options.clock ?? systemClock).now();
      const since = when(values.since ?? "30d", now, "--since");
      const until = values.until !== undefined ? when(values.until, now, "--until") : now;
      if (until.getTime() <= since.getTime()) throw new UsageError(`the period is empty: --since ${since.toISOString()} is not before --until ${until.toISOString()}`);
      let hours: WorkingHours = DEFAULT_WORKING_HOURS;
      if (values["working-hours"] !== undefined) {
        const parsed = parseWorkingHours(values["working-hours"]);
        if ("error" in parsed) throw new UsageError(`--working-hours: ${parsed.error}`);
        hours = parsed;
      }
      const repoText = values.repo ?? io.env.GITHUB_REPOSITORY;
      if (!repoText) throw new UsageError("say which repository: --repo owner/name (or GITHUB_REPOSITORY)");
      const repo = repoRef(repoText, values.repo !== undefined ? "--repo" : "GITHUB_REPOSITORY");
      if (positional.length > 0) throw new UsageError(`unexpected argument \`${positional[0]}\` (the governance directory is --dir <dir>)`);
      const loaded = await loadDir(values.dir, io, "report");
      if (!loaded) return 1;
      const { gh, identity } = await connect(io.env, repo, options.Octokit ?? ProbotOctokit);
      const { facts, notes } = await gatherReportFacts(githubHistoryReader(gh, repo), identity, repo, since);
      const { zones, defaultZone } = peopleZones(loaded.governance.oncall);
      const report = buildReport(facts, { since, until, now, zones, defaultZone, hours, severityOrder: Object.keys(loaded.governance.incidents?.severities ?? {}) });
      for (const note of notes) io.err(`charter report: ${note}`);
      if (values.svg !== undefined) {
        const file = resolve(io.cwd, values.svg);
        await writeFile(file, reportSvg(report), "utf8");
      }
      if (format === "json") io.out(JSON.stringify(report, null, 2));
      else if (format === "csv") io.out(reportCsv(report).trimEnd());
      else io.out(reportMarkdown(report).trimEnd());
      return 0;
    },
  };
}

export const reportCommand = createReportCommand();
