/** Ask people (and teams) for a review: RACI Accountable and Consulted roles on a pull request. */
import { httpStatus, type GitHubClient, type RepoRef } from "../client.js";

/** Returns false when GitHub refused (e.g. someone is not a collaborator); the check is unaffected. */
export async function requestReviews(gh: GitHubClient, repo: RepoRef, pullNumber: number, reviewers: readonly string[], teamReviewers: readonly string[]): Promise<boolean> {
  if (reviewers.length === 0 && teamReviewers.length === 0) return true;
  try {
    await gh.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
      ...repo,
      pull_number: pullNumber,
      reviewers: [...reviewers],
      ...(teamReviewers.length > 0 ? { team_reviewers: [...teamReviewers] } : {}),
    });
    return true;
  } catch (error) {
    if (httpStatus(error) === 422) return false;
    throw error;
  }
}
