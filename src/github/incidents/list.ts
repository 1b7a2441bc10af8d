import type { IncidentsFile } from "../../core/model/incidents.js";
import type { Governance } from "../../core/model/governance.js";
import { httpStatus, type GitHubClient, type RepoRef } from "../client.js";
import type { GovernanceSnapshot } from "../governance.js";
import type { IncidentCaches } from "./cache.js";
import { issueFacts, type IssueFacts } from "./engine.js";

/** Every label that marks an incident: the incident label and each severity's. */
export function incidentLabelNames(inc: IncidentsFile): string[] {
  const seen = new Set<string>();
  return [inc.label.name, ...Object.values(inc.severities).map((s) => s.label)].filter((l) => !seen.has(l.toLowerCase()) && seen.add(l.toLowerCase()));
}

/**
 * Open incidents, recognised robustly: open issues carrying the incident label **or any severity
 * label** (one listing per label, 100 per page; the filter runs on GitHub, so the cost grows with
 * open incidents, not with issues), plus the incidents this process knows to be open in Charter's
 * own record but no longer finds by label (each read once, so a label stripped while Charter did
 * not see it is put back, and an issue closed behind its back is judged). Removing one label never
 * hides an incident: Charter puts its labels back on every pass.
 */
export async function listOpenIncidents(gh: GitHubClient, repo: RepoRef, inc: IncidentsFile, caches?: IncidentCaches): Promise<IssueFacts[]> {
  const byNumber = new Map<number, IssueFacts>();
  for (const label of incidentLabelNames(inc)) {
    const items = await gh.paginate("GET /repos/{owner}/{repo}/issues", { ...repo, labels: label, state: "open", per_page: 100 });
    for (const i of items) if (!i.pull_request && !byNumber.has(i.number)) byNumber.set(i.number, issueFacts(i));
  }
  for (const number of caches?.openIncidents(`${repo.owner}/${repo.repo}`) ?? []) {
    if (byNumber.has(number)) continue;
    try {
      const { data } = await gh.request("GET /repos/{owner}/{repo}/issues/{issue_number}", { ...repo, issue_number: number });
      if (!data.pull_request) byNumber.set(number, issueFacts(data));
    } catch (error) {
      if (httpStatus(error) !== 404 && httpStatus(error) !== 410) throw error;
    }
  }
  return [...byNumber.values()].sort((a, b) => b.number - a.number);
}

/**
 * The model incidents run on: the default branch's when valid (remembered), else the last valid one
 * this process saw for the repository, so a broken roles.yml on main does not stop the ladder.
 */
export function incidentGovernance(snapshot: GovernanceSnapshot, caches: IncidentCaches, repo: RepoRef): { g: Governance; inc: IncidentsFile; stale: boolean } | undefined {
  const key = `${repo.owner}/${repo.repo}`.toLowerCase();
  let g: Governance | undefined;
  let stale = false;
  if (snapshot.result.ok) {
    g = snapshot.result.governance;
    caches.rememberGood(key, g);
  } else {
    g = caches.lastGood(key);
    stale = true;
  }
  if (!g?.incidents) return undefined;
  return { g, inc: g.incidents, stale };
}
