import { GOVERNANCE_DIR, GOVERNANCE_FILE_NAMES } from "../core/model/file-names.js";
import type { LoadResult } from "../load/load.js";
import { memorySource } from "../load/source.js";
import { onceUntilFailure } from "../once.js";
import { httpStatus, type GitHubClient, type RepoRef } from "./client.js";
import { Lru } from "./signoff/lru.js";

/**
 * The loader (yaml, the validators, zod), imported by the first load, not at start-up; once: a
 * dynamic import of a loaded module still goes through the module loader on every call.
 */
const loader = onceUntilFailure(() => import("../load/load.js"));

/** The governance model as it is on a commit of the default branch. */
export interface GovernanceSnapshot {
  /** Commit of the default branch the model was read from. */
  sha: string;
  branch: string;
  /** Whether the default branch has a governance/ directory at all. */
  present: boolean;
  result: LoadResult;
  /** Blob sha of each governance file, by path relative to governance/ (for contents API writes). */
  blobs: Record<string, string>;
}

interface RepoEntry {
  etag?: string;
  snapshot: GovernanceSnapshot;
}

export interface GovernanceCacheLimits {
  /** File texts kept, by blob sha (default 500). */
  blobs?: number;
  /** Repositories whose state/ hint is kept (default 10,000). */
  repos?: number;
  /**
   * Repositories whose last snapshot (commit, etag and loaded model) is kept, the least recently
   * used forgotten first (default 1,000; CHARTER_GOVERNANCE_CACHE_REPOS). A model of D9's size
   * takes about 165 KiB, so without a bound a server that hears from every repository of a large
   * organisation would keep all of them. A forgotten repository's next event reads its governance
   * again (its branch unconditionally, its listings, the files whose text is no longer kept).
   */
  snapshots?: number;
}

export const DEFAULT_GOVERNANCE_SNAPSHOTS = 1_000;

/**
 * Caches governance per repository and default-branch commit, and file texts by blob sha, so an
 * event whose default branch has not moved costs one conditional request (a 304 does not count
 * against GitHub's rate limit) and a commit that changes one file re-reads only that file.
 */
export class GovernanceCache {
  readonly #repos: Lru<string, RepoEntry>;
  readonly #blobs = new Map<string, string>();
  readonly #inFlight = new Map<string, Promise<GovernanceSnapshot>>();
  /** Loaded (parsed, validated, cross-checked) models by the blob shas of their files. */
  readonly #results = new Map<string, LoadResult>();
  /**
   * Whether the last governance/ read of a repository had a state/ directory (kept when its
   * snapshot is forgotten): the next read lists both directories in one round trip. A hint only:
   * the top listing decides. Bounded; the oldest entry goes first.
   */
  readonly #stateDirs = new Map<string, boolean>();
  readonly #maxBlobs: number;
  readonly #maxRepos: number;
  constructor(limits: GovernanceCacheLimits = {}) {
    this.#maxBlobs = limits.blobs ?? 500;
    this.#maxRepos = limits.repos ?? 10_000;
    this.#repos = new Lru(Math.max(1, limits.snapshots ?? DEFAULT_GOVERNANCE_SNAPSHOTS));
  }
  /** How many repositories' snapshots are kept. */
  get snapshotLimit(): number {
    return this.#repos.max;
  }
  repo(key: string): RepoEntry | undefined {
    return this.#repos.get(key);
  }
  setRepo(key: string, entry: RepoEntry): void {
    this.#repos.set(key, entry);
  }
  blob(sha: string): string | undefined {
    return this.#blobs.get(sha);
  }
  setBlob(sha: string, text: string): void {
    if (this.#blobs.size >= this.#maxBlobs) this.#blobs.delete(this.#blobs.keys().next().value as string);
    this.#blobs.set(sha, text);
  }
  /** The model of exactly these files (`path@blob` of each, sorted), if loaded before: parse once per set of shas. */
  result(signature: string): LoadResult | undefined {
    return this.#results.get(signature);
  }
  setResult(signature: string, result: LoadResult): void {
    if (this.#results.size >= 64) this.#results.delete(this.#results.keys().next().value as string);
    this.#results.set(signature, result);
  }
  inFlight(key: string): Promise<GovernanceSnapshot> | undefined {
    return this.#inFlight.get(key);
  }
  setInFlight(key: string, load: Promise<GovernanceSnapshot> | undefined): void {
    if (load) this.#inFlight.set(key, load);
    else this.#inFlight.delete(key);
  }
  /** Whether the repository's governance/ had a state/ directory when last read (undefined: never read). */
  hadStateDir(key: string): boolean | undefined {
    return this.#stateDirs.get(key);
  }
  setStateDir(key: string, present: boolean): void {
    this.#stateDirs.delete(key);
    if (this.#stateDirs.size >= this.#maxRepos) this.#stateDirs.delete(this.#stateDirs.keys().next().value as string);
    this.#stateDirs.set(key, present);
  }
  /** Forget a repository's snapshot (e.g. after a push to its default branch). */
  invalidate(repo: RepoRef): void {
    this.#repos.delete(`${repo.owner}/${repo.repo}`.toLowerCase());
  }
}

const WANTED = new Set(GOVERNANCE_FILE_NAMES);

/**
 * The model last read for this repository's default branch, without asking GitHub: what a handler
 * may gather facts from while the conditional request that confirms it is in flight.
 */
export function knownGovernance(cache: GovernanceCache, repo: RepoRef, defaultBranch: string): GovernanceSnapshot | undefined {
  const snapshot = cache.repo(`${repo.owner}/${repo.repo}`.toLowerCase())?.snapshot;
  return snapshot?.branch === defaultBranch ? snapshot : undefined;
}

async function listDir(gh: GitHubClient, repo: RepoRef, path: string, ref: string): Promise<{ path: string; sha: string; type: string }[] | undefined> {
  try {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", { ...repo, path, ref });
    return Array.isArray(data) ? data.map((e) => ({ path: e.path, sha: e.sha, type: e.type })) : undefined;
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  }
}

/**
 * Load governance from the default branch (never from a pull request's head).
 * Throws only for GitHub errors other than "not found"; invalid files come back as diagnostics.
 */
export function governanceFromDefaultBranch(
  gh: GitHubClient,
  repo: RepoRef,
  defaultBranch: string,
  cache: GovernanceCache,
): Promise<GovernanceSnapshot> {
  // Several handlers of one event ask at once: share one load instead of each reading everything.
  const key = `${repo.owner}/${repo.repo}@${defaultBranch}`.toLowerCase();
  const pending = cache.inFlight(key);
  if (pending) return pending;
  const load = loadSnapshot(gh, repo, defaultBranch, cache);
  cache.setInFlight(key, load);
  return load.finally(() => cache.setInFlight(key, undefined));
}

async function loadSnapshot(gh: GitHubClient, repo: RepoRef, defaultBranch: string, cache: GovernanceCache): Promise<GovernanceSnapshot> {
  const key = `${repo.owner}/${repo.repo}`.toLowerCase();
  const cached = cache.repo(key);
  let sha: string;
  let etag: string | undefined;
  try {
    const response = await gh.request("GET /repos/{owner}/{repo}/branches/{branch}", {
      ...repo,
      branch: defaultBranch,
      headers: cached?.etag && cached.snapshot.branch === defaultBranch ? { "if-none-match": cached.etag } : {},
    });
    sha = response.data.commit.sha;
    etag = response.headers.etag;
  } catch (error) {
    if (httpStatus(error) === 304 && cached) return cached.snapshot;
    throw error;
  }
  if (cached && cached.snapshot.sha === sha) {
    cache.setRepo(key, { etag, snapshot: cached.snapshot });
    return cached.snapshot;
  }

  // governance/state/ is listed with governance/ when the last read found it (one round trip, not two)
  const stateDir = `${GOVERNANCE_DIR}/state`;
  const stateEarly = cache.hadStateDir(key) ? listDir(gh, repo, stateDir, sha) : undefined;
  stateEarly?.catch(() => undefined); // awaited below either way
  let top: Awaited<ReturnType<typeof listDir>>;
  try {
    top = await listDir(gh, repo, GOVERNANCE_DIR, sha);
  } catch (error) {
    await stateEarly?.catch(() => undefined); // nothing left in flight
    throw error;
  }
  const entries = [...(top ?? [])];
  const hasState = top?.some((e) => e.type === "dir" && e.path === stateDir) === true;
  if (hasState) entries.push(...((await (stateEarly ?? listDir(gh, repo, stateDir, sha))) ?? []));
  else await stateEarly?.catch(() => undefined); // the directory is gone: its listing is not used
  cache.setStateDir(key, hasState);
  const blobs: Record<string, string> = {};
  const files: Record<string, string> = {};
  await Promise.all(
    entries
      .filter((e) => e.type === "file")
      .map(async (e) => {
        const rel = e.path.slice(GOVERNANCE_DIR.length + 1);
        if (!WANTED.has(rel)) return;
        blobs[rel] = e.sha;
        let text = cache.blob(e.sha);
        if (text === undefined) {
          const { data } = await gh.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { ...repo, file_sha: e.sha });
          text = Buffer.from(data.content, (data.encoding as BufferEncoding) || "base64").toString("utf8");
          cache.setBlob(e.sha, text);
        }
        files[rel] = text;
      }),
  );
  const signature = Object.keys(blobs)
    .sort()
    .map((rel) => `${rel}@${blobs[rel]}`)
    .join(",");
  let result = cache.result(signature);
  if (!result) {
    const { loadGovernance } = await loader();
    result = await loadGovernance(memorySource(files, GOVERNANCE_DIR));
    cache.setResult(signature, result);
  }
  const snapshot: GovernanceSnapshot = { sha, branch: defaultBranch, present: top !== undefined, result, blobs };
  cache.setRepo(key, { etag, snapshot });
  return snapshot;
}
