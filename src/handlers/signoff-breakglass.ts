/**
 * `/breakglass <reason…>` on a pull request, and `/breakglass sign [note]` on its review issue
 * (authority.yml `break_glass`; src/core/signoff/breakglass.ts decides). Breaking the glass opens
 * the review issue, then logs the `breakglass` entry on the default branch, which is what makes
 * the `Charter sign-off` check pass for the pull request's head commit; if the log cannot be
 * written, nothing is applied and the issue is closed saying so.
 */
import { breakGlassRecords, mayBreakGlass, planBreakGlass, planSign, type BreakGlassRecord } from "../core/signoff/breakglass.js";
import { heldRoles } from "../core/killswitch/people.js";
import { unsignedRoles } from "../core/signoff/breakglass.js";
import { httpStatus } from "../github/client.js";
import { closeIssue, logOnDefaultBranch, openReviewIssue } from "../github/signoff/breakglass.js";
import { getPull } from "../github/signoff/pulls.js";
import { ProtectedBranchError, StateConflictError } from "../github/state-files.js";
import { CommandRefusal, type CommandRequest, type CommandSpec } from "./commands/spec.js";
import { evaluatePullRequest, type RepoContext } from "./signoff-run.js";

function contextOf(req: CommandRequest, repoUrl: string): RepoContext {
  return { gh: req.gh, repo: req.repo, repoUrl, defaultBranch: req.defaultBranch, deps: req.deps, log: req.log };
}

const repoUrlOf = (htmlUrl: string) => htmlUrl.replace(/\/(?:pull|issues)\/\d+$/, "");

/** The break-glass whose review issue this is, from the default branch's log. */
function recordOfIssue(req: CommandRequest): BreakGlassRecord | undefined {
  return breakGlassRecords(req.governance.state.log).find((r) => r.entry.issue === req.thread.number);
}

function unwritable(error: unknown): string | undefined {
  if (error instanceof ProtectedBranchError) return `branch protection on \`${error.branch}\` refused Charter's write (${error.reason}); give the Charter app a bypass for governance/state/ (docs/killswitch.md)`;
  if (error instanceof StateConflictError) return error.message;
  return undefined;
}

async function breakGlass(req: CommandRequest): Promise<{ reply: string }> {
  const pr = await getPull(req.gh, req.repo, req.thread.number);
  if (pr.state !== "open") throw new CommandRefusal("this pull request is closed: there is nothing to pass.");
  if (pr.baseRef !== req.defaultBranch) throw new CommandRefusal(`this pull request merges into \`${pr.baseRef}\`; Charter governs merges into \`${req.defaultBranch}\` only, so there is nothing to break.`);
  const ctx = contextOf(req, repoUrlOf(pr.htmlUrl));
  const evaluated = await evaluatePullRequest(ctx, pr, { snapshot: req.snapshot });
  if (evaluated.kind !== "evaluated") throw new CommandRefusal(`the sign-off check cannot be evaluated (${evaluated.kind === "closed" ? "closed" : evaluated.output.title}), so there is nothing a break-glass could pass.`);
  const plan = planBreakGlass(
    { governance: req.governance, facts: evaluated.facts, tree: evaluated.tree, existing: breakGlassRecords(req.governance.state.log), pullTitle: req.thread.title },
    { actor: req.comment.author, association: req.comment.association, reason: req.command.text, at: req.now, commentId: req.comment.id, link: req.comment.url, teams: req.teams },
  );
  if (!plan.ok) throw new CommandRefusal(plan.message);
  const identity = await req.deps.identity();
  const subject = `${req.repo.owner}/${req.repo.repo}#${pr.number}`.toLowerCase();
  const issue = await openReviewIssue(req.gh, req.repo, identity, plan.issue, { key: `breakglass/${pr.number}/c${req.comment.id}/review`, subject });
  try {
    await logOnDefaultBranch(req.gh, { repo: req.repo, branch: req.defaultBranch, entries: [plan.entry(issue)], message: `charter: break-glass on #${pr.number} by ${req.comment.author}\n\n${req.comment.url}`, snapshot: req.snapshot, cache: req.deps.governance });
  } catch (error) {
    const why = unwritable(error);
    if (!why) throw error;
    await closeIssue(req.gh, req.repo, identity, issue, `**Not applied.** Charter could not log the break-glass on #${pr.number} in \`governance/state/log.yml\` (${why}), so it did not happen: the sign-off check of #${pr.number} is unchanged. Nothing to review.`, "not_planned");
    throw new CommandRefusal(`Charter could not log the break-glass (${why}), so it is **not** applied: the sign-off check is unchanged (#${issue} is closed).`);
  }
  // the check reads the log from the default branch: evaluate again on the new commit
  req.deps.governance.invalidate(req.repo);
  await evaluatePullRequest(ctx, pr, { force: true });
  return { reply: plan.reply(issue) };
}

async function sign(req: CommandRequest): Promise<{ reply: string }> {
  const record = recordOfIssue(req);
  if (!record) throw new CommandRefusal("this issue is not a break-glass review (no `breakglass` entry in governance/state/log.yml names it).");
  let author: string | undefined;
  try {
    author = record.entry.pull_request !== undefined ? (await getPull(req.gh, req.repo, record.entry.pull_request)).author.login : undefined;
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }
  const plan = planSign(req.governance, record, { actor: req.comment.author, association: req.comment.association, note: req.command.args.slice(1).join(" "), at: req.now, commentId: req.comment.id, link: req.comment.url, author, teams: req.teams });
  if (!plan.ok) throw new CommandRefusal(plan.message);
  try {
    await logOnDefaultBranch(req.gh, { repo: req.repo, branch: req.defaultBranch, entries: [plan.entry], message: `charter: break-glass review of #${record.entry.pull_request} signed by ${req.comment.author}\n\n${req.comment.url}`, snapshot: req.snapshot, cache: req.deps.governance });
  } catch (error) {
    const why = unwritable(error);
    if (!why) throw error;
    throw new CommandRefusal(`Charter could not log the signature (${why}), so the review is **not** signed yet.`);
  }
  req.deps.governance.invalidate(req.repo);
  if (plan.complete) await closeIssue(req.gh, req.repo, await req.deps.identity(), req.thread.number, plan.summary, "completed");
  return { reply: plan.reply };
}

export const breakGlassCommand: CommandSpec = {
  name: "breakglass",
  where: "any",
  summary: "Pass this pull request's sign-off now, logged and reviewed afterwards (on a pull request); sign a break-glass review (`sign`, on its review issue)",
  usage: "/breakglass <reason…> · /breakglass sign [note]",
  authorize(req) {
    const g = req.governance;
    if (req.thread.isPullRequest) {
      const may = mayBreakGlass(g, req.comment.author, req.now, req.teams, req.comment.association);
      return may.ok ? { ok: true } : { ok: false, reason: may.message };
    }
    // on an issue: signing a review, by a holder of one of its roles still to sign (/help asks too)
    const record = recordOfIssue(req);
    if (!record) return req.command.name === "breakglass" ? { ok: true } : { ok: false, reason: "not a review" }; // run() says why
    const held = heldRoles(g, unsignedRoles(record), req.comment.author, req.now, req.teams, req.comment.association);
    return held.length > 0 || req.command.name === "breakglass" ? { ok: true } : { ok: false, reason: "no review role" };
  },
  async run(req) {
    if (req.thread.isPullRequest) return breakGlass(req);
    if (req.command.args[0] !== "sign") throw new CommandRefusal("on an issue, `/breakglass sign [note]` signs a break-glass review; to break the glass, comment on the pull request itself.");
    return sign(req);
  },
};
