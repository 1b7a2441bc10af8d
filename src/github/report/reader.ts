/**
 * The narrow reader `charter report` needs from GitHub: four questions, each a listing. Tests and
 * other sources can implement it without Octokit.
 */
import { GOVERNANCE_DIR } from "../../core/model/file-names.js";
import { httpStatus, type GitHubClient, type RepoRef } from "../client.js";
import type { AuthoredLike, UserLike } from "../identity.js";

export interface HistoryComment extends AuthoredLike {
  id: number;
  /** `…/repos/{owner}/{repo}/issues/{number}`: the issue or pull request it is on. */
  issue_url: string;
  body?: string | null;
  created_at: string;
  updated_at: string;
}

export interface HistoryPull {
  number: number;
  user: UserLike | null;
  body: string | null;
  created_at: string;
  updated_at: string;
  merged_at: string | null;
  head: { ref: string; sha: string };
}

export interface HistoryReview {
  user: UserLike | null;
  state: string;
  submitted_at?: string | null;
  commit_id: string | null;
}

export interface HistoryReader {
  /** Every issue comment of the repository updated at or after `since` (one listing, 100 a page). */
  comments(since: Date): Promise<HistoryComment[]>;
  /** Closed pull requests updated at or after `since`, newest update first (stops at the first older page). */
  closedPulls(since: Date): Promise<HistoryPull[]>;
  reviews(pull: number): Promise<HistoryReview[]>;
  /** governance/state/log.yml on the default branch, or undefined when there is none. */
  log(): Promise<string | undefined>;
}

export function githubHistoryReader(gh: GitHubClient, repo: RepoRef): HistoryReader {
  return {
    async comments(since) {
      return (await gh.paginate("GET /repos/{owner}/{repo}/issues/comments", { ...repo, since: `${since.toISOString().slice(0, 19)}Z`, sort: "updated", direction: "asc", per_page: 100 })) as HistoryComment[];
    },
    async closedPulls(since) {
      const out: HistoryPull[] = [];
      const floor = since.getTime();
      for await (const page of gh.paginate.iterator("GET /repos/{owner}/{repo}/pulls", { ...repo, state: "closed", sort: "updated", direction: "desc", per_page: 100 })) {
        const items = page.data as HistoryPull[];
        out.push(...items.filter((p) => Date.parse(p.updated_at) >= floor));
        if (items.length === 0 || Date.parse(items.at(-1)!.updated_at) < floor) break;
      }
      return out;
    },
    async reviews(pull) {
      return (await gh.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { ...repo, pull_number: pull, per_page: 100 })) as HistoryReview[];
    },
    async log() {
      try {
        const { data } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", { ...repo, path: `${GOVERNANCE_DIR}/state/log.yml` });
        if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
        return Buffer.from(data.content, "base64").toString("utf8");
      } catch (error) {
        if (httpStatus(error) === 404) return undefined;
        throw error;
      }
    },
  };
}
