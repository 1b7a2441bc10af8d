import { randomUUID } from "node:crypto";
import type { Logger, Probot } from "probot";
import type { GitHubClient, RepoRef } from "../github/client.js";
import { governanceFromDefaultBranch } from "../github/governance.js";
import type { CharterDeps } from "../handlers/deps.js";
import type { SweepReport, SweepTask } from "./task.js";
import { sweepTasks } from "./tasks.js";

/** What one sweep of one repository did. */
export interface RepositorySweep {
  repo: string;
  /** Instant the sweep ran at (the injected clock). */
  at: string;
  /** Default-branch commit the governance was read from; undefined when the repository has no governance/. */
  governanceSha?: string;
  /** Why nothing ran, when nothing did. */
  skipped?: string;
  reports: SweepReport[];
  /** Tasks that threw (the others still ran). */
  errors: { task: string; message: string }[];
}

/**
 * One reconcile pass over one repository: read governance from the default branch, then run every
 * registered task. A task that throws does not stop the others. Passes over the same repository
 * are serialised within a process (each task is level-triggered and safe to repeat anyway).
 */
export async function sweepRepository(
  gh: GitHubClient,
  repo: RepoRef,
  deps: CharterDeps,
  log: Logger,
  options: { defaultBranch?: string; tasks?: SweepTask[] } = {},
): Promise<RepositorySweep> {
  const key = `${repo.owner}/${repo.repo}`.toLowerCase();
  const previous = inFlight.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => sweepOnce(gh, repo, deps, log, options));
  inFlight.set(key, run);
  try {
    return await run;
  } finally {
    if (inFlight.get(key) === run) inFlight.delete(key);
  }
}

const inFlight = new Map<string, Promise<RepositorySweep>>();

async function sweepOnce(
  gh: GitHubClient,
  repo: RepoRef,
  deps: CharterDeps,
  parentLog: Logger,
  options: { defaultBranch?: string; tasks?: SweepTask[] },
): Promise<RepositorySweep> {
  const fullName = `${repo.owner}/${repo.repo}`;
  const log = parentLog.child({ sweep: randomUUID(), repo: fullName });
  const now = deps.clock.now();
  const result: RepositorySweep = { repo: fullName, at: now.toISOString(), reports: [], errors: [] };
  const defaultBranch = options.defaultBranch ?? (await gh.request("GET /repos/{owner}/{repo}", { ...repo })).data.default_branch;
  const snapshot = await governanceFromDefaultBranch(gh, repo, defaultBranch, deps.governance);
  if (!snapshot.present) {
    result.skipped = `no governance/ directory on ${defaultBranch}`;
    log.debug(result.skipped);
    return result;
  }
  result.governanceSha = snapshot.sha;
  if (!snapshot.result.ok) log.warn({ diagnostics: snapshot.result.diagnostics.length }, `governance on ${defaultBranch} is invalid; tasks see the diagnostics`);
  for (const task of options.tasks ?? sweepTasks) {
    try {
      const report = await task.run({ gh, repo, defaultBranch, snapshot, now, deps, log: log.child({ task: task.name }) });
      result.reports.push(report);
      if (report.actions.length) log.info({ task: task.name, actions: report.actions }, `sweep ${task.name}: ${report.actions.length} action(s)`);
    } catch (error) {
      result.errors.push({ task: task.name, message: (error as Error).message ?? String(error) });
      log.error({ err: error, task: task.name }, `sweep task ${task.name} failed`);
    }
  }
  return result;
}

/** The installation client for a repository, authenticated as the app (server mode). */
export async function installationClientFor(app: Probot, repo: RepoRef): Promise<GitHubClient> {
  const appClient = await app.auth();
  const { data } = await appClient.request("GET /repos/{owner}/{repo}/installation", { ...repo });
  return (await app.auth(data.id)) as GitHubClient;
}

/**
 * Sweeps every repository of every installation (server mode). Repositories without governance/
 * cost two requests and are skipped.
 */
export async function sweepAllInstallations(app: Probot, deps: CharterDeps): Promise<RepositorySweep[]> {
  const appClient = await app.auth();
  const installations = await appClient.paginate("GET /app/installations", { per_page: 100 });
  const out: RepositorySweep[] = [];
  for (const installation of installations) {
    const gh = (await app.auth(installation.id)) as GitHubClient;
    const repos = await gh.paginate("GET /installation/repositories", { per_page: 100 });
    for (const r of repos) {
      if (r.archived) continue;
      try {
        out.push(await sweepRepository(gh, { owner: r.owner.login, repo: r.name }, deps, app.log, { defaultBranch: r.default_branch }));
      } catch (error) {
        app.log.error({ err: error, repo: r.full_name }, "sweep failed");
      }
    }
  }
  return out;
}
