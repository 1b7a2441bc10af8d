/**
 * The impact preview's one comment on a pull request: found again only among comments Charter
 * authored whose sealed marker verifies for this repository and pull request
 * (src/core/diff/comment.ts), then edited when its words change, never repeated. The id and body
 * are remembered so an unchanged preview costs no request at all.
 */
import { hasImpactMarker, impactScope } from "../../core/diff/comment.js";
import { httpStatus, type GitHubClient, type RepoRef } from "../client.js";
import { isCharterAuthored, type CharterIdentity } from "../identity.js";
import type { MarkerCommentCache } from "../signoff/comments.js";
import { createComment } from "../writes/create.js";

const keyOf = (repo: RepoRef, number: number) => `${repo.owner}/${repo.repo}#${number}:impact`.toLowerCase();

/** Whether this instance wrote (or found) the pull request's preview comment: known without a request. */
export function knownImpactComment(repo: RepoRef, number: number, cache: MarkerCommentCache): boolean {
  return cache.get(keyOf(repo, number)) !== undefined;
}

export async function upsertImpactComment(
  gh: GitHubClient,
  repo: RepoRef,
  number: number,
  body: string,
  identity: CharterIdentity,
  cache: MarkerCommentCache,
): Promise<"created" | "updated" | "unchanged"> {
  const key = keyOf(repo, number);
  let known = cache.get(key);
  if (!known) {
    const scope = impactScope(`${repo.owner}/${repo.repo}`, number);
    const comments = await gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: number, per_page: 100 });
    const mine = comments.find((c) => isCharterAuthored(identity, c) && hasImpactMarker(c.body, identity.keys, scope));
    if (mine) known = { id: mine.id, body: mine.body ?? "" };
  }
  if (known && known.body === body) {
    cache.set(key, known);
    return "unchanged";
  }
  if (known) {
    try {
      await gh.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...repo, comment_id: known.id, body });
      cache.set(key, { id: known.id, body });
      return "updated";
    } catch (error) {
      // someone deleted it: write a new one
      if (httpStatus(error) !== 404) throw error;
      cache.delete(key);
    }
  }
  // the body carries the preview's sealed marker: after an unknown outcome, Charter's comment with this exact body is the one created
  const created = await createComment({ gh, repo, identity }, number, body, { key: `impact/${number}`, marker: body });
  cache.set(key, { id: created.id, body });
  return "created";
}
