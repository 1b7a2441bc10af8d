/**
 * The sweep as a safety net (a periodic job: one replica at a time, every
 * CHARTER_SWEEP_INTERVAL_SECONDS, 15 minutes by default). Timers do the timed work at its
 * instant; the sweep only catches what they could not know about: an incident opened, labelled or
 * closed while Charter missed the webhook (and its redelivery), or timers lost with the engine
 * (an embedded process restarted, a Redis flushed).
 *
 * - A cold start (no record of a previous pass in the engine's store: a fresh embedded process, a
 *   new Redis): every installed repository read once (governance, open incidents by label, as the
 *   periodic sweep always did), and every open incident handed to the timer queue, due now.
 * - Every later pass: per installation and incident label, ONE search request (`GET /search/issues`,
 *   100 results a page) for open issues with that label updated since the previous pass (with a
 *   margin); nothing else. Each issue found is handed to the timer queue as a due-now job, so it is
 *   reconciled under the same one-at-a-time rule as its deliveries, and its next timer scheduled.
 *
 * No request is ever made per open incident that did not change, nor per repository: a quiet
 * organisation costs one request per installation per pass.
 */
import type { Logger, Probot } from "probot";
import type { GitHubClient, RepoRef } from "../github/client.js";
import type { Timer } from "../engine/types.js";

/** Search results can lag behind GitHub's state by a little: each pass looks this far before the previous one. */
export const SEARCH_MARGIN_MS = 2 * 60_000;
export const DEFAULT_INCIDENT_LABEL = "incident";

/** What the engine remembers of a repository with governance (`governed` hash, field owner/repo). */
export interface GovernedRepo {
  installationId: number;
  defaultBranch: string;
  /** The incident label its incidents.yml names. */
  label?: string;
}

export interface SafetyNetDeps {
  app: Pick<Probot, "auth">;
  store: { get(key: string): Promise<string | undefined>; set(key: string, value: string): Promise<void>; hgetall(key: string): Promise<Record<string, string>> };
  now(): Date;
  /** A cold start's full pass (every repository read, every open incident handed to the timers). */
  fullPass(): Promise<number>;
  /** Hand an issue to the timer queue, due now. */
  schedule(timer: Timer): Promise<boolean>;
  log: Logger;
}

export interface SafetyNetReport {
  kind: "full" | "incremental";
  /** GitHub requests made by the pass (incremental passes). */
  searches: number;
  found: number;
  repositories?: number;
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function repoOf(url: string): RepoRef | undefined {
  const m = /\/repos\/([^/]+)\/([^/]+)$/.exec(url);
  return m ? { owner: decodeURIComponent(m[1]!), repo: decodeURIComponent(m[2]!) } : undefined;
}

export async function safetyNetSweep(deps: SafetyNetDeps): Promise<SafetyNetReport> {
  const started = deps.now();
  const last = await deps.store.get("sweep:last");
  if (!last) {
    const repositories = await deps.fullPass();
    await deps.store.set("sweep:last", started.toISOString());
    deps.log.info({ sweep: "full", repositories }, `safety-net sweep: cold start, full pass over ${repositories} repositories`);
    return { kind: "full", searches: 0, found: 0, repositories };
  }
  const since = Date.parse(last) - SEARCH_MARGIN_MS;
  const governed = Object.entries(await deps.store.hgetall("governed")).flatMap(([name, json]) => {
    try {
      return [[name.toLowerCase(), JSON.parse(json) as GovernedRepo] as const];
    } catch {
      return [];
    }
  });
  const known = new Map(governed);
  const appClient = (await deps.app.auth()) as GitHubClient;
  const installations = await appClient.paginate("GET /app/installations", { per_page: 100 });
  let searches = 1 + Math.floor(installations.length / 100);
  let found = 0;
  for (const installation of installations) {
    const account = installation.account as { login?: string; type?: string } | null;
    if (!account?.login) continue;
    const labels = new Set(governed.filter(([, g]) => g.installationId === installation.id).map(([, g]) => g.label ?? DEFAULT_INCIDENT_LABEL));
    if (labels.size === 0) labels.add(DEFAULT_INCIDENT_LABEL);
    const gh = (await deps.app.auth(installation.id)) as GitHubClient;
    const qualifier = account.type === "Organization" ? `org:${account.login}` : `user:${account.login}`;
    for (const label of labels) {
      const q = `is:issue is:open label:"${label.replaceAll('"', "")}" ${qualifier} updated:>=${isoSeconds(since)}`;
      for (let page = 1; page <= 10; page++) {
        const { data } = await gh.request("GET /search/issues", { q, per_page: 100, page });
        searches++;
        for (const item of data.items) {
          const repo = repoOf(item.repository_url);
          if (!repo || item.pull_request) continue;
          const g = known.get(`${repo.owner}/${repo.repo}`.toLowerCase());
          found++;
          await deps.schedule({ kind: "incident", repo, installationId: installation.id, defaultBranch: g?.defaultBranch ?? "", issue: item.number, step: `sweep-${started.getTime()}`, dueAt: started.getTime(), open: true });
        }
        if (data.items.length < 100) break;
      }
    }
  }
  await deps.store.set("sweep:last", started.toISOString());
  deps.log.info({ sweep: "incremental", searches, found }, `safety-net sweep: ${found} incident(s) changed since ${isoSeconds(since)}`);
  return { kind: "incremental", searches, found };
}
