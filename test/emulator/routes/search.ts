/**
 * `GET /search/issues`: the qualifiers Charter's safety-net sweep uses, evaluated against the
 * emulator's state: `is:issue`/`is:pr`, `is:open`/`is:closed`, `label:"…"` (each one must match,
 * case-insensitive), `org:`/`user:` (the repository owner), `repo:owner/name`, `updated:>=` /
 * `updated:>` an ISO instant; other words must appear in the title or body. Sorted by number,
 * newest first; `per_page`/`page` as every listing.
 */
import type { IssueRecord, RepoState } from "../store.js";
import { paginate, type RouteTable } from "./types.js";

/** Words of a query, a quoted value kept whole (`label:"severity: P1"`). Linear scan. */
export function queryTerms(q: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of q) {
    if (ch === '"') quoted = !quoted;
    else if (ch === " " && !quoted) {
      if (current) out.push(current);
      current = "";
    } else current += ch;
  }
  if (current) out.push(current);
  return out;
}

function matcher(q: string): (repo: RepoState, issue: IssueRecord) => boolean {
  const tests: ((repo: RepoState, issue: IssueRecord) => boolean)[] = [];
  for (const term of queryTerms(q)) {
    const colon = term.indexOf(":");
    const key = colon > 0 ? term.slice(0, colon).toLowerCase() : "";
    const value = colon > 0 ? term.slice(colon + 1) : term;
    const v = value.toLowerCase();
    if (key === "is" && v === "issue") tests.push((_, i) => !i.isPull);
    else if (key === "is" && (v === "pr" || v === "pull-request")) tests.push((_, i) => i.isPull);
    else if ((key === "is" || key === "state") && (v === "open" || v === "closed")) tests.push((_, i) => i.state === v);
    else if (key === "label") tests.push((_, i) => i.labels.some((l) => l.toLowerCase() === v));
    else if (key === "org" || key === "user") tests.push((r) => r.owner.toLowerCase() === v);
    else if (key === "repo") tests.push((r) => r.fullName.toLowerCase() === v);
    else if (key === "updated") {
      const strict = v.startsWith(">") && !v.startsWith(">=");
      const at = Date.parse(value.replace(/^[<>]=?/, ""));
      tests.push((_, i) => (strict ? Date.parse(i.updatedAt) > at : Date.parse(i.updatedAt) >= at));
    } else tests.push((_, i) => `${i.title}\n${i.body ?? ""}`.toLowerCase().includes(v));
  }
  return (repo, issue) => tests.every((t) => t(repo, issue));
}

export const searchRoutes: RouteTable = {
  "GET /search/issues": (ctx) => {
    const match = matcher(ctx.query.get("q") ?? "");
    const found: { repo: RepoState; issue: IssueRecord }[] = [];
    for (const repo of ctx.store.repos.values()) for (const issue of repo.issues.values()) if (match(repo, issue)) found.push({ repo, issue });
    found.sort((a, b) => Date.parse(b.issue.updatedAt) - Date.parse(a.issue.updatedAt) || b.issue.id - a.issue.id);
    // GitHub's description types a search item's body as a string (not nullable, unlike an issue's)
    const page = paginate(ctx, found, ({ repo, issue }) => ({ ...ctx.render.issue(repo, issue), body: issue.body ?? "", score: 1 }));
    return { ...page, body: { total_count: found.length, incomplete_results: false, items: page.body, search_type: "lexical" } };
  },
};
