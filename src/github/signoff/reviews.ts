/** A pull request's reviews: the one read a review event needs. */
import type { ReviewFact, ReviewState } from "../../core/signoff/facts.js";
import type { GitHubClient, RepoRef } from "../client.js";

const STATES = new Set<ReviewState>(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]);

/** Longest review text kept (confirmations are read from it): GitHub's own limit for a body. */
export const MAX_REVIEW_BODY = 65_536;

export async function listReviews(gh: GitHubClient, repo: RepoRef, pullNumber: number): Promise<ReviewFact[]> {
  const data = await gh.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { ...repo, pull_number: pullNumber, per_page: 100 });
  return data.flatMap((r) => {
    const state = r.state.toUpperCase() as ReviewState;
    if (!r.user || !STATES.has(state)) return [];
    return [
      {
        id: r.id,
        login: r.user.login,
        userType: r.user.type,
        state,
        commitId: r.commit_id,
        submittedAt: r.submitted_at ?? null,
        association: r.author_association,
        body: (r.body ?? "").slice(0, MAX_REVIEW_BODY),
      },
    ];
  });
}
