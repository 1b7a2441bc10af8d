/**
 * `/explain` on a pull request: anyone may ask. Charter evaluates the pull request as the check
 * does (and refreshes the check if it changed), then posts, or edits, its one explain comment.
 */
import { explainComment, EXPLAIN_MARKER } from "../core/signoff/explain.js";
import { upsertMarkerComment } from "../github/signoff/comments.js";
import { getPull } from "../github/signoff/pulls.js";
import type { CommandSpec } from "./commands/spec.js";
import { evaluatePullRequest, signoffState } from "./signoff-run.js";

export const explainSignoffCommand: CommandSpec = {
  name: "explain",
  where: "pull_request",
  summary: "Explain who must sign off this pull request, who has, and who still could",
  usage: "/explain",
  authorize: () => ({ ok: true }),
  async run(req) {
    const pr = await getPull(req.gh, req.repo, req.thread.number);
    const repoUrl = pr.htmlUrl.replace(/\/pull\/\d+$/, "");
    const ctx = { gh: req.gh, repo: req.repo, repoUrl, defaultBranch: req.defaultBranch, deps: req.deps, log: req.log };
    const result = await evaluatePullRequest(ctx, pr, { snapshot: req.snapshot });
    let body: string;
    if (result.kind === "evaluated") body = explainComment(result.tree, result.ref, { number: pr.number });
    else if (result.kind === "closed") body = `${EXPLAIN_MARKER}\nThis pull request is closed: Charter no longer evaluates it.`;
    else body = `${EXPLAIN_MARKER}\n### ${result.output.title}\n\n${result.output.summary}`;
    await upsertMarkerComment(req.gh, req.repo, pr.number, EXPLAIN_MARKER, body, signoffState(req.deps).comments, await req.deps.identity());
    return { reaction: "+1" };
  },
};
