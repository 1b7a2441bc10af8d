/**
 * What Charter already reminded on a pull request: the sealed `charter:reminded` markers of its
 * own comments (src/core/signoff/reminders.ts). A comment by anyone else, or a marker that does not
 * verify, counts for nothing.
 */
import { decodeReminded, reminderScope } from "../../core/signoff/reminders.js";
import type { GitHubClient, RepoRef } from "../client.js";
import { isCharterAuthored, type CharterIdentity } from "../identity.js";

export async function remindedKeys(gh: GitHubClient, repo: RepoRef, number: number, identity: CharterIdentity): Promise<Set<string>> {
  const comments = await gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: number, per_page: 100 });
  const scope = reminderScope(`${repo.owner}/${repo.repo}`, number);
  const out = new Set<string>();
  for (const c of comments) {
    if (!isCharterAuthored(identity, c)) continue;
    for (const key of decodeReminded(c.body, identity.keys, scope) ?? []) out.add(key);
  }
  return out;
}
