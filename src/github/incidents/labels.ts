import type { IncidentsFile } from "../../core/model/incidents.js";
import { httpStatus, type GitHubClient, type RepoRef } from "../client.js";
import { together } from "../together.js";
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

/** The names (lower case) of the repository's labels: a read a handler may issue early, with its others. */
export async function listRepoLabels(gh: GitHubClient, repo: RepoRef): Promise<string[]> {
  const existing = await gh.paginate("GET /repos/{owner}/{repo}/labels", { ...repo, per_page: 100 });
  return existing.map((l) => l.name.toLowerCase());
}

const labelsKey = (repo: RepoRef, wanted: WantedLabel[]) => `${repo.owner}/${repo.repo}:${wanted.map((w) => w.name.toLowerCase()).join("|")}`.toLowerCase();

/** Whether this process already knows the repository has the incident labels (no request needed). */
export function incidentLabelsKnown(repo: RepoRef, inc: IncidentsFile, caches: IncidentCaches): boolean {
  return caches.labels.has(labelsKey(repo, incidentLabels(inc)));
}

/**
 * Create the incident and severity labels the repository lacks: list its labels (or use the
 * listing `listed`, read earlier), then POST the missing ones together. Remembered per process,
 * so it costs requests once per repository and label set.
 */
export async function ensureIncidentLabels(gh: GitHubClient, repo: RepoRef, inc: IncidentsFile, caches: IncidentCaches, listed?: Promise<string[]>): Promise<string[]> {
  const wanted = incidentLabels(inc);
  const key = labelsKey(repo, wanted);
  if (caches.labels.has(key)) return [];
  const have = new Set(await (listed ?? listRepoLabels(gh, repo)));
  const created = await together(
    wanted
      .filter((w) => !have.has(w.name.toLowerCase()))
      .map(async (w) => {
        try {
          await gh.request("POST /repos/{owner}/{repo}/labels", { ...repo, name: w.name, color: w.color, ...(w.description ? { description: w.description } : {}) });
          return w.name;
        } catch (error) {
          // 422 already_exists: someone created it meanwhile
          if (httpStatus(error) !== 422) throw error;
          return undefined;
        }
      }),
  );
  caches.labels.add(key);
  return created.filter((name): name is string => name !== undefined);
}
