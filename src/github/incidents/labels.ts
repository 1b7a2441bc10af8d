import type { IncidentsFile } from "../../core/model/incidents.js";
import { httpStatus, type GitHubClient, type RepoRef } from "../client.js";
import type { IncidentCaches } from "./cache.js";

export interface WantedLabel {
  name: string;
  color: string;
  description?: string;
}

/** The incident label and every severity label, with colours and descriptions from incidents.yml. */
export function incidentLabels(inc: IncidentsFile): WantedLabel[] {
  return [
    { name: inc.label.name, color: inc.label.color ?? "d73a4a", ...(inc.label.description ? { description: inc.label.description } : {}) },
    ...Object.entries(inc.severities).map(([name, s]) => ({
      name: s.label,
      color: s.color ?? "ededed",
      description: `${name}${s.title ? `: ${s.title}` : ""}. ${s.description}`.slice(0, 100),
    })),
  ];
}

/**
 * Create the incident and severity labels the repository lacks: list its labels, then POST only
 * the missing ones. Remembered per process, so it costs requests once per repository and label set.
 */
export async function ensureIncidentLabels(gh: GitHubClient, repo: RepoRef, inc: IncidentsFile, caches: IncidentCaches): Promise<string[]> {
  const wanted = incidentLabels(inc);
  const key = `${repo.owner}/${repo.repo}:${wanted.map((w) => w.name.toLowerCase()).join("|")}`.toLowerCase();
  if (caches.labels.has(key)) return [];
  const existing = await gh.paginate("GET /repos/{owner}/{repo}/labels", { ...repo, per_page: 100 });
  const have = new Set(existing.map((l) => l.name.toLowerCase()));
  const created: string[] = [];
  for (const w of wanted) {
    if (have.has(w.name.toLowerCase())) continue;
    try {
      await gh.request("POST /repos/{owner}/{repo}/labels", { ...repo, name: w.name, color: w.color, ...(w.description ? { description: w.description } : {}) });
      created.push(w.name);
    } catch (error) {
      // 422 already_exists: someone created it meanwhile
      if (httpStatus(error) !== 422) throw error;
    }
  }
  caches.labels.add(key);
  return created;
}
