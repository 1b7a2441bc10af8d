/**
 * Telling people: a comment on an issue (or pull request) that mentions them. GitHub notifies
 * everyone mentioned, by their own notification settings (web, email, mobile).
 */
import type { GitHubClient, RepoRef } from "./client.js";
import type { CharterIdentity } from "./identity.js";
import { createComment } from "./writes/create.js";

/** Post `body` (which carries the @mentions) on issue or pull request `issue`, once per `key` (the decision). Returns the comment URL. */
export async function notifyOnIssue(gh: GitHubClient, repo: RepoRef, identity: CharterIdentity, issue: number, body: string, key: string): Promise<string> {
  const created = await createComment({ gh, repo, identity }, issue, body, { key });
  return created.html_url;
}
