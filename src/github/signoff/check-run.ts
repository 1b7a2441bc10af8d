/**
 * Writes the `Charter sign-off` check run on a head commit, only when its output differs from the
 * last one written for that commit (remembered in a bounded LRU, keyed by repository and sha).
 */
import { CHECK_NAME, type CheckOutput } from "../../core/signoff/check.js";
import type { GitHubClient, RepoRef } from "../client.js";
import { Lru } from "./lru.js";
import { advisoryCheck } from "../../actions/advisory.js";
import type { IdentitySource } from "../identity.js";

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
    const output = this.#identity && (await this.#identity()).mode === "advisory" ? advisoryCheck(evaluated) : evaluated;
    const key = `${repo.owner}/${repo.repo}@${headSha}`.toLowerCase();
    const fingerprint = JSON.stringify([output.conclusion, output.title, output.summary]);
    if (!force && this.#last.get(key) === fingerprint) return false;
    await gh.request("POST /repos/{owner}/{repo}/check-runs", {
      ...repo,
      name: CHECK_NAME,
      head_sha: headSha,
      status: "completed",
      conclusion: output.conclusion,
      completed_at: now.toISOString(),
      output: { title: output.title, summary: output.summary },
    });
    this.#last.set(key, fingerprint);
    return true;
  }
}
