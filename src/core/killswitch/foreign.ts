/**
 * Whether a closed pull request is Charter's own request, and what to say when it only looks like
 * one. A branch name (`charter/…`) and a description are claims anyone with write access can make
 * (another app, a workflow, a fork); only a pull request opened by Charter's bot user, from a
 * branch of this repository, into the default branch, whose sealed request marker verifies, is
 * acted on. A merged look-alike is refused on the pull request itself, where the people who merged
 * it see it; the issue it names is not trusted, so it is not told.
 */
import { inlineUserText } from "../text/untrusted.js";

export interface ClosedPullFacts {
  merged: boolean;
  headRef: string;
  /** `owner/name` of the repository the head branch is in (a fork's, for a pull request from a fork). */
  headRepo: string | undefined;
  baseRef: string;
  repoFullName: string;
  defaultBranch: string;
  /** Who opened the pull request. */
  author: string | undefined;
  /** Whether the author is Charter's own bot user (src/github/identity.ts). */
  byCharter: boolean;
  /** Charter's bot login, for the refusal's words. */
  charterLogin: string | undefined;
  /** The request marker in the description: none, one that verifies, or why it does not. */
  marker: { kind: "none" } | { kind: "verified" } | { kind: "invalid"; reason: string };
}

export type ClosedPullVerdict =
  /** Charter's own request: act on it (src/core/killswitch/merged.ts). */
  | { kind: "charter" }
  /** Not Charter's business, or nothing changed: no word. */
  | { kind: "ignore" }
  /** Looks like Charter's request but is not: do nothing, and say so on the pull request. */
  | { kind: "refuse"; reason: string; comment: string };

const SEAL_MISMATCH = /seal does not match/;
/** Branches of Charter's pull requests that always carry a request (src/core/killswitch/{activate,resume,phase}.ts). */
const REQUEST_BRANCH = /^charter\/(?:activate|resume|rollback|advance)-/;

function tail(defaultBranch: string): string {
  return ` The merged files are in effect as merged; Charter confirmed nothing, notified nobody and wrote no follow-up. Check \`governance/state/\` on \`${inlineUserText(defaultBranch, 100)}\` by hand.`;
}

const ONLY_OURS = " Only pull requests Charter opens carry its requests, whatever their branch or description say.";

export function closedPullVerdict(f: ClosedPullFacts): ClosedPullVerdict {
  const claims = f.headRef.startsWith("charter/") || f.marker.kind !== "none";
  if (!claims) return { kind: "ignore" };
  // Into another branch: the default branch's state did not change.
  if (f.baseRef !== f.defaultBranch) return { kind: "ignore" };
  const fork = f.headRepo === undefined || f.headRepo.toLowerCase() !== f.repoFullName.toLowerCase();
  const refuse = (reason: string, words: string): ClosedPullVerdict =>
    f.merged ? { kind: "refuse", reason, comment: `Charter did not act on this merge: ${words}${tail(f.defaultBranch)}` } : { kind: "ignore" };
  if (fork) {
    return refuse("fork", `its branch \`${inlineUserText(f.headRef, 120)}\` is in ${f.headRepo ? inlineUserText(f.headRepo, 140) : "a repository that no longer exists"}, not in this repository.${ONLY_OURS}`);
  }
  if (!f.byCharter) {
    return refuse("author", `this pull request was opened by ${inlineUserText(f.author ?? "someone else", 60)}, not by Charter (\`${inlineUserText(f.charterLogin ?? "Charter's app", 60)}\`).${ONLY_OURS}`);
  }
  // Charter's own pull request without a request (e.g. a recorded approval whose direct write was
  // refused): nothing to finish at merge. Activations, resumes, rollbacks and advances always carry
  // one: without it, its marker was deleted, which is refused like an edited one.
  if (f.marker.kind === "none") {
    if (REQUEST_BRANCH.test(f.headRef)) return refuse("marker", "the request marker Charter put in this pull request's description was removed, so Charter cannot tell what was requested.");
    return { kind: "ignore" };
  }
  if (f.marker.kind === "invalid") {
    const why = SEAL_MISMATCH.test(f.marker.reason)
      ? "the request marker in this pull request's description was edited, or copied from elsewhere (its seal does not match)"
      : `the request marker in this pull request's description is damaged (${f.marker.reason})`;
    return refuse("marker", `${why}, so Charter cannot tell what was requested.`);
  }
  return { kind: "charter" };
}
