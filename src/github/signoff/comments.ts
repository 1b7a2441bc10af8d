/**
 * Charter's own comments found by a hidden marker (`<!-- charter:informed -->`,
 * `<!-- charter:explain -->`): created once, then edited, never repeated. The comment id and body
 * are remembered so an unchanged comment costs no request.
 */
import type { GitHubClient, RepoRef } from "../client.js";
import { isCharterAuthored, type CharterIdentity } from "../identity.js";
import { createComment } from "../writes/create.js";
import { Lru } from "./lru.js";

export type MarkerCommentCache = Lru<string, { id: number; body: string }>;

export function markerCommentCache(max = 2000): MarkerCommentCache {
  return new Lru(max);
}

/** The comment carrying `marker`, if any (`null`: none), from the cache or GitHub: a read a handler can issue with its others. */
export async function findMarkerComment(gh: GitHubClient, repo: RepoRef, issueNumber: number, marker: string, cache: MarkerCommentCache, identity: CharterIdentity): Promise<{ id: number; body: string } | null> {
  const known = cache.get(`${repo.owner}/${repo.repo}#${issueNumber}:${marker}`.toLowerCase());
  if (known) return known;
  const comments = await gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: issueNumber, per_page: 100 });
  // Charter's own comment only: another app's or a person's comment carrying the marker is not it
  const mine = comments.find((c) => isCharterAuthored(identity, c) && (c.body ?? "").includes(marker));
  return mine ? { id: mine.id, body: mine.body ?? "" } : null;
}

/** Create or edit the one comment carrying `marker`. Returns what was done. `found`: what findMarkerComment said, read earlier. */
export async function upsertMarkerComment(
  gh: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
  marker: string,
  body: string,
  cache: MarkerCommentCache,
  identity: CharterIdentity,
  found?: { id: number; body: string } | null,
): Promise<"created" | "updated" | "unchanged"> {
  const key = `${repo.owner}/${repo.repo}#${issueNumber}:${marker}`.toLowerCase();
  const known = cache.get(key) ?? (found === undefined ? await findMarkerComment(gh, repo, issueNumber, marker, cache, identity) : found) ?? undefined;
  if (known && known.body === body) {
    cache.set(key, known);
    return "unchanged";
  }
  if (known) {
    await gh.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...repo, comment_id: known.id, body });
    cache.set(key, { id: known.id, body });
    return "updated";
  }
  // the marker names the one comment: after an unknown outcome, Charter's comment carrying it is the one created
  const created = await createComment({ gh, repo, identity }, issueNumber, body, { key: `marker/${marker}`, marker });
  cache.set(key, { id: created.id, body });
  return "created";
}
