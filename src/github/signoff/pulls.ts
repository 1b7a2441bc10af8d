/** Pull requests as sign-off sees them, from webhook payloads or the REST API. */
import type { GitHubClient, RepoRef } from "../client.js";

/** Longest description kept (GitHub's own limit for a body): every parser reads at most this. */
export const MAX_PULL_BODY = 65_536;

export interface PullSummary {
  number: number;
  htmlUrl: string;
  state: string;
  author: { login: string; type: string; id?: number };
  headSha: string;
  /** The head branch (a Charter request marker is sealed to it). */
  headRef: string;
  baseRef: string;
  body: string;
  labels: string[];
  draft: boolean;
  /** Logins and `org/team` slugs whose review is requested now. */
  requested: string[];
  /** When GitHub last updated the pull request (GitHub's clock), if known. */
  updatedAt?: string;
  /** When it was opened (the turnaround clock of reminders starts there). */
  createdAt?: string;
}

/** The fields of a pull request object that sign-off reads (webhook and REST shapes agree on them). */
export interface PullLike {
  number: number;
  html_url: string;
  state: string;
  user: { login: string; type?: string; id?: number | bigint } | null;
  head: { sha: string; ref: string };
  base: { ref: string; repo?: { owner?: { login?: string } } | null };
  body?: string | null;
  labels?: ReadonlyArray<{ name?: string } | string>;
  draft?: boolean;
  requested_reviewers?: ReadonlyArray<{ login?: string; slug?: string } | null> | null;
  requested_teams?: ReadonlyArray<{ slug: string } | null> | null;
  updated_at?: string;
  created_at?: string;
}

export function pullSummary(pr: PullLike, org: string): PullSummary {
  const requested: string[] = [];
  for (const r of pr.requested_reviewers ?? []) {
    if (r?.login) requested.push(r.login);
    else if (r?.slug) requested.push(`${org}/${r.slug}`);
  }
  for (const t of pr.requested_teams ?? []) if (t) requested.push(`${org}/${t.slug}`);
  return {
    number: pr.number,
    htmlUrl: pr.html_url,
    state: pr.state,
    author: { login: pr.user?.login ?? "ghost", type: pr.user?.type ?? "User", ...(pr.user?.id !== undefined ? { id: Number(pr.user.id) } : {}) },
    headSha: pr.head.sha,
    headRef: pr.head.ref,
    baseRef: pr.base.ref,
    body: (pr.body ?? "").slice(0, MAX_PULL_BODY),
    labels: (pr.labels ?? []).map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter((l) => l !== ""),
    draft: pr.draft ?? false,
    requested,
    ...(pr.updated_at ? { updatedAt: pr.updated_at } : {}),
    ...(pr.created_at ? { createdAt: pr.created_at } : {}),
  };
}

export async function getPull(gh: GitHubClient, repo: RepoRef, number: number): Promise<PullSummary> {
  const { data } = await gh.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { ...repo, pull_number: number });
  return pullSummary(data, repo.owner);
}

/** Open pull requests into `base` (one request per 100). */
export async function openPullsInto(gh: GitHubClient, repo: RepoRef, base: string): Promise<PullSummary[]> {
  const data = await gh.paginate("GET /repos/{owner}/{repo}/pulls", { ...repo, state: "open", base, per_page: 100 });
  return data.map((p) => pullSummary(p, repo.owner));
}
