/**
 * A pull request's governance files as they would be once merged, for the impact preview: the
 * files it changes at its head, the others as on the default branch. Read by blob sha (cached), as
 * a proposal only, never as policy; a changed file longer than MAX_GOVERNANCE_FILE_UNITS is not
 * parsed.
 */
import { GOVERNANCE_DIR, GOVERNANCE_FILE_NAMES } from "../../core/model/file-names.js";
import { MAX_GOVERNANCE_FILE_UNITS } from "../../core/text/limits.js";
import type { ChangedFile } from "../../core/signoff/facts.js";
import type { GitHubClient, RepoRef } from "../client.js";
import type { GovernanceCache, GovernanceSnapshot } from "../governance.js";
import type { PullFiles } from "../signoff/files.js";

const STATE_DIR = `${GOVERNANCE_DIR}/state/`;
const MODEL_FILES = new Set(GOVERNANCE_FILE_NAMES.filter((n) => !n.startsWith("state/")).map((n) => `${GOVERNANCE_DIR}/${n}`));

/**
 * Whether a pull request changes the governance model: a file of governance/ other than the state
 * records (state/: the phase, the kill-switch, the log, which the sign-off check itself rules on).
 */
export function changesGovernanceModel(files: readonly ChangedFile[]): boolean {
  const touches = (p: string | undefined) => p !== undefined && p.startsWith(`${GOVERNANCE_DIR}/`) && !p.startsWith(STATE_DIR);
  return files.some((f) => touches(f.filename) || touches(f.previousFilename));
}

/** Whether a changed file is one Charter reads (for the words: a README in governance/ changes nothing). */
export function changesModelFile(files: readonly ChangedFile[]): boolean {
  return files.some((f) => MODEL_FILES.has(f.filename) || (f.previousFilename !== undefined && MODEL_FILES.has(f.previousFilename)));
}

async function blobText(gh: GitHubClient, repo: RepoRef, sha: string, cache: GovernanceCache): Promise<string> {
  const cached = cache.blob(sha);
  if (cached !== undefined) return cached;
  const { data } = await gh.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { ...repo, file_sha: sha });
  const text = Buffer.from(data.content, (data.encoding as BufferEncoding) || "base64").toString("utf8");
  if (text.length <= MAX_GOVERNANCE_FILE_UNITS) cache.setBlob(sha, text);
  return text;
}

export interface ProposedFiles {
  /** By path relative to governance/ (roles.yml, state/phase.yml, OWNERS). */
  files: Record<string, string>;
  /** Files too long to read (relative paths): the preview names them and reads nothing. */
  tooLong: string[];
  /** Files GitHub gave no content for. */
  unreadable: string[];
}

export async function proposedGovernanceFiles(gh: GitHubClient, repo: RepoRef, snapshot: GovernanceSnapshot, pull: PullFiles, cache: GovernanceCache): Promise<ProposedFiles> {
  const out: ProposedFiles = { files: {}, tooLong: [], unreadable: [] };
  await Promise.all(
    GOVERNANCE_FILE_NAMES.map(async (name) => {
      const path = `${GOVERNANCE_DIR}/${name}`;
      const changed = pull.files.find((f) => f.filename === path);
      if (changed) {
        if (changed.status === "removed") return;
        const sha = pull.blobs.get(path);
        if (!sha) return void out.unreadable.push(name);
        const text = await blobText(gh, repo, sha, cache);
        if (text.length > MAX_GOVERNANCE_FILE_UNITS) out.tooLong.push(name);
        else out.files[name] = text;
        return;
      }
      if (pull.files.some((f) => f.previousFilename === path)) return; // renamed away
      // unchanged: the default branch's file, whatever its length
      const sha = snapshot.blobs[name];
      if (sha) out.files[name] = await blobText(gh, repo, sha, cache);
    }),
  );
  out.tooLong.sort();
  out.unreadable.sort();
  return out;
}
