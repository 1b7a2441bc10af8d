import type { ProbotOctokit } from "probot";

/**
 * The narrow slice of Octokit that adapters use: typed `request` by route, and `paginate`.
 * Functions take this, not a Context, so they are easy to test and cannot reach for more.
 */
export type GitHubClient = Pick<InstanceType<typeof ProbotOctokit>, "request" | "paginate">;

export interface RepoRef {
  owner: string;
  repo: string;
}

/** Status of an Octokit RequestError, or undefined for anything else. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}
