/**
 * GitHub's merge queue: when a pull request is queued, GitHub builds a merge group (a temporary
 * branch `gh-readonly-queue/<base>/pr-<number>-<sha>` holding it and the pull requests ahead of
 * it) and asks for the required checks on the group's head commit (`merge_group.checks_requested`).
 * Charter answers with the same `Charter sign-off` check, so a repository that requires it can use
 * the queue: it evaluates the pull request the group is for again, now, and writes the verdict on
 * the group's head commit. The pull request passed before it could be queued, so what can turn it
 * red there is what changed with time: a freeze (an incident opened), a kill-switch, an approval
 * that expired, a governance change. The pull requests ahead have their own groups and checks.
 */
import type { CheckOutput } from "./check.js";
import { shortSha } from "./words.js";

/** The merge queue's branch prefix (`refs/heads/gh-readonly-queue/<base>/pr-<n>-<sha>`). */
const QUEUE = "refs/heads/gh-readonly-queue/";

/** The number of the pull request a merge group is for, from its head ref; undefined when it does not say. Linear. */
export function mergeGroupPull(headRef: string, baseBranch: string): number | undefined {
  const prefix = `${QUEUE}${baseBranch}/pr-`;
  if (headRef.length > 1_000 || !headRef.startsWith(prefix)) return undefined;
  let i = prefix.length;
  const start = i;
  while (i < headRef.length && i - start < 10 && headRef.charCodeAt(i) >= 0x30 && headRef.charCodeAt(i) <= 0x39) i++;
  if (i === start || headRef[i] !== "-") return undefined;
  const n = Number(headRef.slice(start, i));
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The branch name of a `refs/heads/…` ref. */
export function branchOf(ref: string): string {
  return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref;
}

/** The pull request's verdict, as the check of its merge group. */
export function mergeGroupCheck(output: CheckOutput, pull: number, groupSha: string): CheckOutput {
  const intro = [
    `**Merge queue.** This commit (\`${shortSha(groupSha)}\`) is the merge group of #${pull}. Charter evaluated #${pull} again when the group was created: its approvals of its own head commit, the policy on the default branch now, freezes, kill-switches and approvals that have expired since.`,
    "",
  ].join("\n");
  const { externalId: _record, ...rest } = output; // Charter's record belongs to the pull request's own head
  return { ...rest, title: clip(`#${pull}: ${output.title}`), summary: `${intro}\n${output.summary}` };
}

/** A merge group Charter cannot judge: fail closed, and say why. */
export function unknownMergeGroupCheck(why: string, groupSha: string): CheckOutput {
  return {
    conclusion: "failure",
    title: clip(`Merge group not signed off: ${why}`),
    summary: [`## ❌ Merge group \`${shortSha(groupSha)}\` not signed off`, "", `Charter cannot judge this merge group: ${why}. Until it can, the group fails closed. Remove the pull request from the queue and queue it again.`].join("\n"),
  };
}

function clip(title: string): string {
  return title.length > 240 ? `${title.slice(0, 237)}…` : title;
}
