/**
 * Open incidents that freeze gates: one request for open issues carrying the incident label
 * (incidents.yml `label`), severities sorted out here (an incident without a severity label has
 * the default severity).
 */
import type { Governance } from "../../core/model/governance.js";
import type { IncidentFact } from "../../core/signoff/facts.js";
import { freezingIncidents, freezingSeverities } from "../../core/signoff/freeze.js";
import type { GitHubClient, RepoRef } from "../client.js";

export async function openFreezingIncidents(gh: GitHubClient, repo: RepoRef, g: Governance): Promise<IncidentFact[]> {
  const label = g.incidents?.label.name;
  if (!label || freezingSeverities(g).length === 0) return [];
  const data = await gh.paginate("GET /repos/{owner}/{repo}/issues", { ...repo, state: "open", labels: label, per_page: 100 });
  const issues = data
    .filter((i) => !i.pull_request)
    .map((i) => ({
      number: i.number,
      title: i.title,
      url: i.html_url,
      labels: i.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))),
    }));
  return freezingIncidents(g, issues);
}
