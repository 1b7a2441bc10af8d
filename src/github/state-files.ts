/**
 * Writes to governance/state/ through the contents API, with optimistic concurrency: each PUT
 * carries the blob sha the change was computed from. A conflict (another writer got there first)
 * re-reads the file, applies the same edit to the fresh text (log entries are appended by id,
 * never twice) and tries again, a bounded number of times. A write branch protection refuses
 * comes back as ProtectedBranchError so the caller can say so and fall back to a pull request.
 *
 * Pull requests carrying state changes: a branch from the default branch head, the edited files
 * PUT on it, then the pull request. Repeating a request (a duplicate delivery) finds the branch
 * and its pull request instead of failing.
 */
import { GOVERNANCE_DIR } from "../core/model/file-names.js";
import type { PullRequestRef, PullRequestSpec } from "../core/killswitch/plan.js";
import { combineEdits, type StateEdit, type StateFileName } from "../core/killswitch/state-text.js";
import { httpStatus, type GitHubClient, type RepoRef } from "./client.js";
import type { GovernanceCache, GovernanceSnapshot } from "./governance.js";
import { encodeRequest, requestScope } from "../core/trust/request.js";
import type { CharterIdentity } from "./identity.js";
import { createPullRequest } from "./writes/create.js";
import { failedWrite } from "./writes/outcome.js";

/** Branch protection (or a ruleset) refused a direct write. */
export class ProtectedBranchError extends Error {
  constructor(
    readonly branch: string,
    readonly status: number,
    readonly reason: string,
  ) {
    super(`branch protection on \`${branch}\` refused the write: ${reason}`);
    this.name = "ProtectedBranchError";
  }
}

/** Every attempt lost the race: nothing more was written. */
export class StateConflictError extends Error {
  constructor(readonly file: string, readonly attempts: number) {
    super(`governance/${file} kept changing under Charter (${attempts} attempts)`);
    this.name = "StateConflictError";
  }
}

export const DEFAULT_ATTEMPTS = 5;

function messageOf(error: unknown): string {
  const e = error as { response?: { data?: { message?: unknown } }; message?: unknown };
  const m = e?.response?.data?.message ?? e?.message;
  return typeof m === "string" ? m : "";
}

/** A refusal by branch protection or rulesets, as GitHub words it. */
export function isProtectionRefusal(error: unknown): boolean {
  const status = httpStatus(error);
  if (status !== 403 && status !== 409 && status !== 422) return false;
  return /protected branch|through a pull request|rule violation|required status check|GH006|GH013|review is required|cannot update this protected ref/i.test(messageOf(error));
}

/** Another writer changed the file since it was read (stale sha; or it appeared meanwhile). */
export function isShaConflict(error: unknown): boolean {
  const status = httpStatus(error);
  if (status === 409) return !isProtectionRefusal(error);
  return status === 422 && /\bsha\b/i.test(messageOf(error)) && !isProtectionRefusal(error);
}

export interface FileVersion {
  /** Blob sha, undefined when the file does not exist. */
  sha?: string;
  text?: string;
}

const repoPath = (file: StateFileName) => `${GOVERNANCE_DIR}/${file}`;

/** A state file's text and blob sha on a branch (GET contents), or {} when it does not exist. */
export async function readStateFile(gh: GitHubClient, repo: RepoRef, file: StateFileName, ref: string): Promise<FileVersion> {
  try {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", { ...repo, path: repoPath(file), ref });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return {};
    return { sha: data.sha, text: Buffer.from(data.content, "base64").toString("utf8") };
  } catch (error) {
    if (httpStatus(error) === 404) return {};
    throw error;
  }
}

export interface WriteOptions {
  repo: RepoRef;
  branch: string;
  edits: readonly StateEdit[];
  message: string;
  /**
   * The governance snapshot the change was computed from. Its blob shas (and the cache's texts)
   * are used for the first attempt when writing to the snapshot's branch, or to a branch just
   * created from the snapshot's commit, saving a read per file.
   */
  snapshot?: GovernanceSnapshot;
  cache?: GovernanceCache;
  attempts?: number;
}

export interface WriteResult {
  /** Files that changed, in order. */
  changed: StateFileName[];
  /** Commit shas made. */
  commits: string[];
  /** How many conflicts were retried. */
  retries: number;
}

/** Apply edits to a branch, one commit per changed file, retrying conflicts. */
export async function writeStateFiles(gh: GitHubClient, options: WriteOptions): Promise<WriteResult> {
  const { repo, branch } = options;
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const result: WriteResult = { changed: [], commits: [], retries: 0 };
  for (const edit of combineEdits(options.edits)) {
    let version: FileVersion | undefined = initialVersion(options, edit.file);
    for (let attempt = 1; ; attempt++) {
      version ??= await readStateFile(gh, repo, edit.file, branch);
      const next = edit.edit(version.text);
      if (next === version.text) break;
      try {
        const { data } = await gh.request("PUT /repos/{owner}/{repo}/contents/{path}", {
          ...repo,
          path: repoPath(edit.file),
          message: options.message,
          content: Buffer.from(next, "utf8").toString("base64"),
          branch,
          ...(version.sha !== undefined ? { sha: version.sha } : {}),
        });
        if (data.content?.sha) options.cache?.setBlob(data.content.sha, next);
        result.changed.push(edit.file);
        result.commits.push(data.commit.sha ?? "");
        break;
      } catch (error) {
        if (isProtectionRefusal(error)) throw new ProtectedBranchError(branch, httpStatus(error) ?? 0, messageOf(error).split("\n")[0] || "refused");
        if (failedWrite(error) === "unknown") {
          // GitHub may have committed it (a 5xx, a timeout): read the file back before writing again
          const fresh = await readStateFile(gh, repo, edit.file, branch);
          if (fresh.text === next) {
            if (fresh.sha) options.cache?.setBlob(fresh.sha, next);
            result.changed.push(edit.file);
            result.commits.push("");
            break;
          }
          if (attempt >= attempts) throw error;
          result.retries++;
          version = fresh;
          continue;
        }
        if (!isShaConflict(error)) throw error;
        if (attempt >= attempts) throw new StateConflictError(edit.file, attempts);
        result.retries++;
        version = undefined;
      }
    }
  }
  return result;
}

function initialVersion(options: WriteOptions, file: StateFileName): FileVersion | undefined {
  const snap = options.snapshot;
  if (!snap || !options.cache) return undefined;
  const sha = snap.blobs[file];
  if (sha === undefined) return snap.present && snap.result.ok ? {} : undefined;
  const text = options.cache.blob(sha);
  return text === undefined ? undefined : { sha, text };
}

export interface OpenPullRequestOptions {
  repo: RepoRef;
  /** The default branch (the pull request's base). */
  base: string;
  /** The snapshot of the default branch the change was computed from (its commit is the branch point). */
  snapshot: GovernanceSnapshot;
  cache?: GovernanceCache;
  spec: PullRequestSpec;
  /** Charter's identity: the request is sealed into the description with its keys; a pull request found after an unknown outcome must be its own. */
  identity: CharterIdentity;
}

/** Create the branch, write the change on it, open the pull request (or find the one a previous attempt opened). */
export async function openStatePullRequest(gh: GitHubClient, options: OpenPullRequestOptions): Promise<PullRequestRef & { created: boolean }> {
  const { repo, spec } = options;
  let fresh = true;
  try {
    await gh.request("POST /repos/{owner}/{repo}/git/refs", { ...repo, ref: `refs/heads/${spec.branch}`, sha: options.snapshot.sha });
  } catch (error) {
    if (httpStatus(error) !== 422 || !/already exists/i.test(messageOf(error))) throw error;
    fresh = false;
  }
  await writeStateFiles(gh, {
    repo,
    branch: spec.branch,
    edits: spec.edits,
    message: spec.commitMessage,
    ...(fresh ? { snapshot: options.snapshot, ...(options.cache ? { cache: options.cache } : {}) } : {}),
  });
  if (!fresh) {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/pulls", { ...repo, head: `${repo.owner}:${spec.branch}`, state: "all", per_page: 1 });
    const existing = data[0];
    if (existing) return { number: existing.number, url: existing.html_url, created: false };
  }
  const marker = spec.request ? encodeRequest(spec.request, options.identity.keys, requestScope(`${repo.owner}/${repo.repo}`, spec.branch)) : undefined;
  // the branch names the decision; the sealed request marker (when there is one) finds it after an unknown outcome
  const created = await createPullRequest(
    { gh, repo, identity: options.identity },
    { title: spec.title, head: spec.branch, base: options.base, body: marker ? `${marker}\n${spec.body}` : spec.body },
    { key: `state-pr/${spec.branch}`, ...(marker ? { marker } : {}) },
  );
  return { number: created.number, url: created.html_url, created: !created.found };
}
