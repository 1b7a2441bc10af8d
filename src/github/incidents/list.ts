import type { IncidentsFile } from "../../core/model/incidents.js";
import type { Governance } from "../../core/model/governance.js";
import type { GitHubClient, RepoRef } from "../client.js";
import type { GovernanceSnapshot } from "../governance.js";
import type { IncidentCaches } from "./cache.js";
import { issueFacts, type IssueFacts } from "./engine.js";

/**
 * Open incidents: issues with the incident label, state open, 100 per page. The label filter runs
 * on GitHub, so the cost grows with the number of open incidents, not with the number of issues.
 */
export async function listOpenIncidents(gh: GitHubClient, repo: RepoRef, inc: IncidentsFile): Promise<IssueFacts[]> {
  const items = await gh.paginate("GET /repos/{owner}/{repo}/issues", { ...repo, labels: inc.label.name, state: "open", per_page: 100 });
  return items.filter((i) => !i.pull_request).map((i) => issueFacts(i));
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
    caches.lastGood.set(key, g);
  } else {
    g = caches.lastGood.get(key);
    stale = true;
  }
  if (!g?.incidents) return undefined;
  return { g, inc: g.incidents, stale };
}
