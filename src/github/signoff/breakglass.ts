/**
 * Break-glass on GitHub: the review issue Charter opens and closes, and the log entries it writes
 * on the default branch (the contents API, optimistic concurrency, retried: src/github/state-files.ts).
 */
import { appendLog } from "../../core/killswitch/state-text.js";
import type { LogEntry } from "../../core/model/state.js";
import type { GitHubClient, RepoRef } from "../client.js";
import type { GovernanceCache, GovernanceSnapshot } from "../governance.js";
import { writeStateFiles, type WriteResult } from "../state-files.js";

export async function openReviewIssue(gh: GitHubClient, repo: RepoRef, issue: { title: string; body: string }): Promise<number> {
  const { data } = await gh.request("POST /repos/{owner}/{repo}/issues", { ...repo, title: issue.title, body: issue.body });
  return data.number;
}

/** Close an issue Charter opened, saying why in a comment first. */
export async function closeIssue(gh: GitHubClient, repo: RepoRef, number: number, comment: string, reason: "completed" | "not_planned"): Promise<void> {
  await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: number, body: comment });
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
