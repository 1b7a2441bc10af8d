/**
 * Open incidents that freeze gates, recognised robustly: open issues carrying the incident label
 * (incidents.yml `label`) **or the label of a freezing severity**, one listing per label issued
 * together, so removing one label (anyone with triage can) does not lift a freeze. Severities are
 * sorted out here (an incident without a severity label has the default severity).
 */
import type { Governance } from "../../core/model/governance.js";
import type { IncidentFact } from "../../core/signoff/facts.js";
import { freezingIncidents, freezingSeverities, type OpenIssue } from "../../core/signoff/freeze.js";
import type { GitHubClient, RepoRef } from "../client.js";

export async function openFreezingIncidents(gh: GitHubClient, repo: RepoRef, g: Governance): Promise<IncidentFact[]> {
  const label = g.incidents?.label.name;
  const severities = freezingSeverities(g);
  if (!label || severities.length === 0) return [];
  const seen = new Set<string>();
  const labels = [label, ...severities.map((s) => s.label)].filter((l) => !seen.has(l.toLowerCase()) && seen.add(l.toLowerCase()));
  const lists = await Promise.all(labels.map((l) => gh.paginate("GET /repos/{owner}/{repo}/issues", { ...repo, state: "open", labels: l, per_page: 100 })));
  const issues = new Map<number, OpenIssue>();
  for (const i of lists.flat()) {
    if (i.pull_request || issues.has(i.number)) continue;
    issues.set(i.number, { number: i.number, title: i.title, url: i.html_url, labels: i.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))) });
  }
  return freezingIncidents(g, [...issues.values()]);
}
