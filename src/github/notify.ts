/**
 * Telling people: a comment on an issue (or pull request) that mentions them. GitHub notifies
 * everyone mentioned, by their own notification settings (web, email, mobile).
 */
import type { GitHubClient, RepoRef } from "./client.js";

/** Post `body` (which carries the @mentions) on issue or pull request `issue`. Returns the comment URL. */
export async function notifyOnIssue(gh: GitHubClient, repo: RepoRef, issue: number, body: string): Promise<string> {
  const { data } = await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: issue, body });
  return data.html_url;
}
