/**
 * What a pull request changes: its files (cached by head commit and base, since they only change
 * with a push or a retarget) and the proposed versions of the state files it touches, read by
 * blob sha so they are fetched once. Read to learn the proposed change, never as policy.
 */
import { OncallFile } from "../../core/model/oncall.js";
import { KillSwitchStateFile, LogFile, PhaseStateFile } from "../../core/model/state.js";
import type { ChangedFile, ProposedFile, StateFacts } from "../../core/signoff/facts.js";
import { KILLSWITCH_FILE, LOG_FILE, ONCALL_FILE, PHASE_FILE } from "../../core/signoff/state-change.js";
import { parseYaml } from "../../load/yaml-document.js";
import { GOVERNANCE_DIR } from "../../core/model/files.js";
import { validatedStateText, type StateFileName } from "../../core/killswitch/state-text.js";
import { MAX_STATE_FILE_UNITS, overCap } from "../../core/text/limits.js";
import type { GitHubClient, RepoRef } from "../client.js";
import type { GovernanceCache } from "../governance.js";
import type { Lru } from "./lru.js";

/** GitHub lists at most 3000 files of a pull request. */
export const MAX_LISTED_FILES = 3000;

export interface PullFiles {
  files: ChangedFile[];
  /** Blob sha of each file at the head (null for removed files). */
  blobs: Map<string, string | null>;
  truncated: boolean;
}

export type PullFilesCache = Lru<string, PullFiles>;

const STATUSES = new Set<ChangedFile["status"]>(["added", "removed", "modified", "renamed", "copied", "changed", "unchanged"]);

export async function pullFiles(gh: GitHubClient, repo: RepoRef, pr: { number: number; headSha: string; baseRef: string }, cache: PullFilesCache): Promise<PullFiles> {
  const key = `${repo.owner}/${repo.repo}#${pr.number}@${pr.headSha}:${pr.baseRef}`.toLowerCase();
  const hit = cache.get(key);
  if (hit) return hit;
  const data = await gh.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", { ...repo, pull_number: pr.number, per_page: 100 });
  const files: ChangedFile[] = [];
  const blobs = new Map<string, string | null>();
  for (const f of data) {
    const status = STATUSES.has(f.status as ChangedFile["status"]) ? (f.status as ChangedFile["status"]) : "modified";
    files.push({
      filename: f.filename,
      status,
      ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}),
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
    });
    blobs.set(f.filename, status === "removed" ? null : (f.sha ?? null));
  }
  const result = { files, blobs, truncated: data.length >= MAX_LISTED_FILES };
  cache.set(key, result);
  return result;
}

async function blobText(gh: GitHubClient, repo: RepoRef, sha: string, cache: GovernanceCache): Promise<string> {
  const cached = cache.blob(sha);
  if (cached !== undefined) return cached;
  const { data } = await gh.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { ...repo, file_sha: sha });
  const text = Buffer.from(data.content, (data.encoding as BufferEncoding) || "base64").toString("utf8");
  cache.setBlob(sha, text);
  return text;
}

function parseState<T>(text: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }): ProposedFile<T> {
  if (overCap(text, MAX_STATE_FILE_UNITS)) return { kind: "invalid", message: `it is longer than ${MAX_STATE_FILE_UNITS.toLocaleString("en")} characters, so Charter does not read it` };
  const doc = parseYaml(text);
  if (doc.syntaxErrors.length > 0) {
    const e = doc.syntaxErrors[0]!;
    return { kind: "invalid", message: `line ${e.line}, column ${e.column}: ${e.message}` };
  }
  const result = schema.safeParse(doc.value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at \`${issue.path.map(String).join(".")}\`` : "";
    return { kind: "invalid", message: `${issue?.message ?? "does not match its schema"}${where}` };
  }
  return { kind: "valid", value: result.data };
}

/** The files whose proposed versions a sign-off reads (proposedStateFiles): oncall.yml only on Charter's own swap or override pull request. */
const proposedPaths = (oncall: boolean): readonly string[] => (oncall ? [PHASE_FILE, KILLSWITCH_FILE, LOG_FILE, ONCALL_FILE] : [PHASE_FILE, KILLSWITCH_FILE, LOG_FILE]);

/** A proposed state file as parsed, by path and blob sha: each review of a pull request parses its head's state files once. */
const parsedStateFiles = new Map<string, ProposedFile<unknown>>();

/**
 * Whether reading the proposed state files goes to GitHub (a blob neither parsed nor cached yet),
 * or is answered from memory. Only then is reading ahead worth its requests (src/core/signoff/state-reads.ts).
 */
export function stateFilesNeedReading(files: PullFiles, cache: GovernanceCache, oncall = false): boolean {
  return proposedPaths(oncall).some((path) => {
    const file = files.files.find((f) => f.filename === path);
    const sha = files.blobs.get(path);
    if (!file || file.status === "removed" || !sha) return false;
    return !parsedStateFiles.has(`${path}@${sha}`) && cache.blob(sha) === undefined;
  });
}

/**
 * The pull request's versions of the state files it changes (phase, kill-switch, log), and of
 * oncall.yml when `oncall` is set (Charter's own swap or override pull request).
 */
export async function proposedStateFiles(gh: GitHubClient, repo: RepoRef, files: PullFiles, cache: GovernanceCache, oncall = false): Promise<StateFacts["head"]> {
  const head: StateFacts["head"] = {};
  const read = async <T>(path: string, schema: Parameters<typeof parseState<T>>[1]): Promise<ProposedFile<T> | undefined> => {
    const file = files.files.find((f) => f.filename === path || f.previousFilename === path);
    if (!file) return undefined;
    if (file.filename !== path || file.status === "removed") return { kind: "removed" };
    const sha = files.blobs.get(path);
    if (!sha) return { kind: "invalid", message: "GitHub gave no content for it" };
    const key = `${path}@${sha}`;
    const known = parsedStateFiles.get(key) as ProposedFile<T> | undefined;
    if (known) return known;
    const text = await blobText(gh, repo, sha, cache);
    // Charter's own pull request: the text it wrote and validated moments ago (same schema) is not parsed again
    const written = overCap(text, MAX_STATE_FILE_UNITS) ? undefined : validatedStateText(path.slice(GOVERNANCE_DIR.length + 1) as StateFileName, text);
    const parsed: ProposedFile<T> = written ? { kind: "valid", value: written.value as T } : parseState(text, schema);
    if (parsedStateFiles.size >= 500) parsedStateFiles.delete(parsedStateFiles.keys().next().value as string);
    parsedStateFiles.set(key, parsed);
    return parsed;
  };
  // the paths of proposedPaths(oncall), each with its schema
  const [phase, killswitch, log, schedules] = await Promise.all([
    read(PHASE_FILE, PhaseStateFile),
    read(KILLSWITCH_FILE, KillSwitchStateFile),
    read(LOG_FILE, LogFile),
    oncall ? read(ONCALL_FILE, OncallFile) : undefined,
  ]);
  if (schedules) head.oncall = schedules;
  if (phase) head.phase = phase;
  if (killswitch) head.killswitch = killswitch;
  if (log) head.log = log;
  return head;
}
