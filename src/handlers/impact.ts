/**
 * The impact preview (docs/impact-preview.md): on a pull request into the default branch that
 * changes governance/, one comment saying in words what merging it would change, edited on every
 * push. Gather (the proposed files: the pull request's changed ones at its head, the rest as on the
 * default branch) → decide in the pure core (src/core/diff/) → write the comment only when its
 * words changed. Runs inside the sign-off evaluation, on the files list it already read: a pull
 * request that does not change governance/ costs no request more.
 */
import { impactComment, impactScope, noLongerComment } from "../core/diff/comment.js";
import { governanceImpact, type ProposedModel } from "../core/diff/index.js";
import { MAX_GOVERNANCE_FILE_UNITS } from "../core/text/limits.js";
import type { Governance } from "../core/model/governance.js";
import { GOVERNANCE_DIR } from "../core/model/file-names.js";
import type { GovernanceSnapshot } from "../github/governance.js";
import { knownImpactComment, upsertImpactComment } from "../github/impact/comment.js";
import { changesGovernanceModel, proposedGovernanceFiles } from "../github/impact/files.js";
import type { PullFiles } from "../github/signoff/files.js";
import type { PullSummary } from "../github/signoff/pulls.js";
import { loadGovernance } from "../load/load.js";
import { proposedModel } from "../load/proposed.js";
import { memorySource } from "../load/source.js";
import type { RepoContext } from "./signoff-run.js";
import { signoffState } from "./signoff-run.js";

const DAY_MS = 86_400_000;

/** The on-call window starts at the start of the day (UTC): the words stay the same all day, so an unchanged preview writes nothing. */
export function previewStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
}

/** Preview the pull request's governance change, if it makes one. Returns what was done to the comment. */
export async function previewImpact(ctx: RepoContext, pr: PullSummary, files: PullFiles, snapshot: GovernanceSnapshot, base: Governance): Promise<"none" | "created" | "updated" | "unchanged"> {
  const { gh, repo, deps } = ctx;
  const cache = signoffState(deps).comments;
  const scope = impactScope(`${repo.owner}/${repo.repo}`, pr.number);
  if (!changesGovernanceModel(files.files)) {
    // its governance changes were reverted: say so in the comment this instance knows of (no request to look for one)
    if (!knownImpactComment(repo, pr.number, cache)) return "none";
    const identity = await deps.identity();
    return upsertImpactComment(gh, repo, pr.number, noLongerComment(identity.keys, scope), identity, cache);
  }
  const [proposed, identity] = await Promise.all([proposedGovernanceFiles(gh, repo, snapshot, files, deps.governance), deps.identity()]);
  let head: ProposedModel;
  if (proposed.tooLong.length + proposed.unreadable.length > 0) {
    head = {
      problems: [
        ...proposed.tooLong.map((f) => `${GOVERNANCE_DIR}/${f}: longer than ${MAX_GOVERNANCE_FILE_UNITS.toLocaleString("en")} characters, so Charter does not read it`),
        ...proposed.unreadable.map((f) => `${GOVERNANCE_DIR}/${f}: GitHub gave no content for it`),
      ],
    };
  } else {
    head = proposedModel(await loadGovernance(memorySource(proposed.files, GOVERNANCE_DIR)));
  }
  const report = governanceImpact(base, head, { at: previewStart(deps.clock.now()) });
  const body = impactComment({ report, base, ...(head.governance ? { head: head.governance } : {}), defaultBranch: ctx.defaultBranch, keys: identity.keys, scope, truncated: files.truncated });
  return upsertImpactComment(gh, repo, pr.number, body, identity, cache);
}
