/**
 * Who dismissed which review: GitHub records it only in the pull request's timeline
 * (`review_dismissed` events with `actor` and `dismissed_review`). Read only when a review is
 * dismissed, since the timeline can be long (every comment, commit and label).
 */
import type { DismissalFact } from "../../core/signoff/facts.js";
import { httpStatus, type GitHubClient, type RepoRef } from "../client.js";

interface DismissedEvent {
  event?: string;
  actor?: { login: string; type?: string } | null;
  created_at?: string;
  dismissed_review?: { review_id: number; state: string };
}

/**
 * The `review_dismissed` events of a pull request. A timeline GitHub will not show (403, 404)
 * gives no dismissal facts: every dismissed change request then stands (fail closed).
 */
export async function reviewDismissals(gh: GitHubClient, repo: RepoRef, issueNumber: number): Promise<DismissalFact[]> {
  let events: DismissedEvent[];
  try {
    events = (await gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/timeline", { ...repo, issue_number: issueNumber, per_page: 100 })) as DismissedEvent[];
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403 || status === 404) return [];
    throw error;
  }
  const out: DismissalFact[] = [];
  for (const e of events) {
    if (e.event !== "review_dismissed" || !e.dismissed_review || !e.actor) continue;
    out.push({
      reviewId: e.dismissed_review.review_id,
      by: e.actor.login,
      ...(e.actor.type ? { byType: e.actor.type } : {}),
      at: e.created_at ?? null,
      state: e.dismissed_review.state,
    });
  }
  return out;
}
