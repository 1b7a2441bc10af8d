/**
 * Break-glass on GitHub: the review issue Charter opens and closes, and the log entries it writes
 * on the default branch (the contents API, optimistic concurrency, retried: src/github/state-files.ts).
 */
import { appendLog } from "../../core/killswitch/state-text.js";
import type { LogEntry } from "../../core/model/state.js";
import type { GitHubClient, RepoRef } from "../client.js";
import type { CharterIdentity } from "../identity.js";
import { createComment, createIssue } from "../writes/create.js";
import type { GovernanceCache, GovernanceSnapshot } from "../governance.js";
import { writeStateFiles, type WriteResult } from "../state-files.js";

/** Open the review issue of a break-glass; `key` names the decision (the pull request and the command's comment id). */
export async function openReviewIssue(gh: GitHubClient, repo: RepoRef, identity: CharterIdentity, issue: { title: string; body: string }, key: { key: string; subject: string }): Promise<number> {
  const created = await createIssue({ gh, repo, identity }, { title: issue.title, body: issue.body }, key);
  return created.number;
}

/** Close an issue Charter opened, saying why in a comment first. */
export async function closeIssue(gh: GitHubClient, repo: RepoRef, identity: CharterIdentity, number: number, comment: string, reason: "completed" | "not_planned"): Promise<void> {
  await createComment({ gh, repo, identity }, number, comment, { key: `close/${reason}` });
  await gh.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", { ...repo, issue_number: number, state: "closed", state_reason: reason });
}

/** Append entries to the default branch's log (never twice: entries are appended by id). */
export async function logOnDefaultBranch(gh: GitHubClient, options: { repo: RepoRef; branch: string; entries: LogEntry[]; message: string; snapshot?: GovernanceSnapshot; cache?: GovernanceCache }): Promise<WriteResult> {
  return writeStateFiles(gh, {
    repo: options.repo,
    branch: options.branch,
    edits: [appendLog(...options.entries)],
    message: options.message,
    ...(options.snapshot ? { snapshot: options.snapshot } : {}),
    ...(options.cache ? { cache: options.cache } : {}),
  });
}
