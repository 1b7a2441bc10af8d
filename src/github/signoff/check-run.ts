/**
 * Writes the `Charter sign-off` check run on a head commit, only when its output differs from the
 * last one written for that commit (remembered in a bounded LRU, keyed by repository and sha),
 * through the write layer that settles unknown outcomes (src/github/writes/create.ts), and
 * reads back Charter's own record from it (what the description declared, since when: see
 * src/core/signoff/selection.ts). Only apps write check runs, and only runs of Charter's own app
 * are read, so the record cannot be forged by a user or another app.
 */
import { CHECK_NAME, type CheckOutput } from "../../core/signoff/check.js";
import { parseRecord, type SelectionRecord } from "../../core/signoff/selection.js";
import { httpStatus, type GitHubClient, type RepoRef } from "../client.js";
import { Lru } from "./lru.js";
import { advisoryCheck } from "../../actions/advisory.js";
import { ADVISORY_IDENTITY, type IdentitySource } from "../identity.js";
import { createCheckRun } from "../writes/create.js";

export class CheckRunWriter {
  readonly #last: Lru<string, string>;
  /** Charter's identity: in advisory mode (Actions with GITHUB_TOKEN) the check says it is advisory (src/actions/advisory.ts). */
  readonly #identity: IdentitySource | undefined;
  constructor(max = 2000, identity?: IdentitySource) {
    this.#last = new Lru(max);
    this.#identity = identity;
  }
  /** Returns whether a check run was written. `force`: write even if unchanged (a re-run request). */
  async write(gh: GitHubClient, repo: RepoRef, headSha: string, evaluated: CheckOutput, now: Date, force = false): Promise<boolean> {
    const identity = this.#identity ? await this.#identity() : undefined;
    const output = identity?.mode === "advisory" ? advisoryCheck(evaluated) : evaluated;
    const key = `${repo.owner}/${repo.repo}@${headSha}`.toLowerCase();
    const fingerprint = JSON.stringify([output.conclusion, output.title, output.summary, output.externalId ?? ""]);
    if (!force && this.#last.get(key) === fingerprint) return false;
    await createCheckRun(
      // without an identity nothing is known to be Charter's: written as in advisory mode, looked for nowhere
      { gh, repo, identity: identity ?? ADVISORY_IDENTITY },
      {
        name: CHECK_NAME,
        headSha,
        conclusion: output.conclusion,
        completedAt: now.toISOString(),
        ...(output.externalId !== undefined ? { externalId: output.externalId } : {}),
        output: { title: output.title, summary: output.summary },
      },
    );
    this.#last.set(key, fingerprint);
    return true;
  }
}

/**
 * Charter's record on its latest `Charter sign-off` run of a commit. Undefined: no run of
 * Charter's app there, or one without a record. Without an app id (advisory mode) nothing can be
 * told from a forgery, so nothing is read.
 */
export async function charterRecord(gh: GitHubClient, repo: RepoRef, sha: string, appId: number | undefined): Promise<SelectionRecord | undefined> {
  if (appId === undefined) return undefined;
  try {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ...repo, ref: sha, check_name: CHECK_NAME, app_id: appId, filter: "latest", per_page: 10 });
    const mine = data.check_runs.filter((r) => r.app?.id === appId && r.name === CHECK_NAME && r.head_sha === sha).sort((a, b) => Number(b.id) - Number(a.id))[0];
    return parseRecord(mine?.external_id);
  } catch (error) {
    // an unknown commit (force-pushed away): no record
    if (httpStatus(error) === 404 || httpStatus(error) === 422) return undefined;
    throw error;
  }
}
