/**
 * The kill-switch on GitHub: the `/killswitch` comment command, carrying out any state plan
 * (direct write, or a pull request when the table needs sign-off or branch protection refuses),
 * and what happens when a Charter pull request is merged or closed.
 */
import type { Context, Probot } from "probot";
import { KILLSWITCH_USAGE, planKillSwitchCommand, type CommandFacts } from "../core/killswitch/command.js";
import { hasRepositoryAccess } from "../core/access/association.js";
import { closedPullVerdict } from "../core/killswitch/foreign.js";
import { quietMentions } from "../core/killswitch/people.js";
import { planClosed } from "../core/killswitch/merged.js";
import type { CommandPlan } from "../core/killswitch/plan.js";
import { decodeRequest, requestScope } from "../core/trust/request.js";
import { StateFileError } from "../core/killswitch/state-text.js";
import type { GitHubClient } from "../github/client.js";
import { governanceFromDefaultBranch } from "../github/governance.js";
import { isCharterUser } from "../github/identity.js";
import { notifyOnIssue } from "../github/notify.js";
import { openStatePullRequest, ProtectedBranchError, StateConflictError, writeStateFiles } from "../github/state-files.js";
import { CommandRefusal, type Authorization, type CommandOutcome, type CommandRequest, type CommandSpec } from "./commands/spec.js";
import type { CharterDeps } from "./deps.js";

/** The facts of a command request that the kill-switch and phase planners need. */
export function commandFacts(req: CommandRequest): CommandFacts {
  return { actor: req.comment.author, at: req.now, link: req.comment.url, cause: req.comment.id, issue: req.thread.number, teams: req.teams, association: req.comment.association };
}

const plans = new WeakMap<CommandRequest, CommandPlan>();

/**
 * Plan once per request: authorize() and run() see the same decision. A refusal to a person without
 * access to the repository mentions nobody: a stranger's comment must not make Charter notify people.
 */
export function memoPlan(req: CommandRequest, plan: (req: CommandRequest) => CommandPlan): CommandPlan {
  let p = plans.get(req);
  if (!p) {
    p = plan(req);
    if (!p.ok && !hasRepositoryAccess(req.comment.association)) p = { ...p, message: quietMentions(p.message) };
    plans.set(req, p);
  }
  return p;
}

/** Forbidden and impossible requests are refusals (no usage line); malformed ones fail in run() with the usage. */
export function authorizationOf(plan: CommandPlan): Authorization {
  return !plan.ok && plan.kind !== "invalid" ? { ok: false, reason: plan.message } : { ok: true };
}

/** Carry out a plan: write the state (or open its pull request) and say what happened. */
export async function carryOut(req: CommandRequest, plan: CommandPlan): Promise<CommandOutcome> {
  if (!plan.ok) throw new CommandRefusal(plan.message);
  const { gh, repo } = req;
  const cache = req.deps.governance;
  try {
    switch (plan.kind) {
      case "reply":
        return { reply: plan.reply };
      case "pull-request": {
        const identity = await req.deps.identity();
        const pr = await openStatePullRequest(gh, { repo, base: req.defaultBranch, snapshot: req.snapshot, cache, spec: plan.pr, identity });
        return { reply: plan.reply(pr) };
      }
      case "direct":
        try {
          await writeStateFiles(gh, { repo, branch: req.defaultBranch, edits: plan.edits, message: plan.commitMessage, snapshot: req.snapshot, cache });
          return { reply: plan.reply };
        } catch (error) {
          if (!(error instanceof ProtectedBranchError)) throw error;
          if (plan.noFallback) {
            req.log.warn({ branch: error.branch, status: error.status }, "branch protection refused a state write; no fallback pull request for this requester");
            return { reaction: "confused", reply: plan.noFallback(error.reason) };
          }
          req.log.warn({ branch: error.branch, status: error.status }, "branch protection refused a state write; opening a pull request instead");
          const identity = await req.deps.identity();
          const pr = await openStatePullRequest(gh, { repo, base: req.defaultBranch, snapshot: req.snapshot, cache, spec: plan.fallback, identity });
          return { reaction: "eyes", reply: plan.fallbackReply(pr, error.reason) };
        }
    }
  } catch (error) {
    if (error instanceof StateConflictError) {
      return { reaction: "confused", reply: `Charter could not record this: ${error.message}. Nothing more was written; run the command again (it is safe to repeat).` };
    }
    if (error instanceof StateFileError) {
      return { reaction: "confused", reply: `Charter could not record this: ${error.message}. Fix the file through a pull request, then run the command again.` };
    }
    throw error;
  }
}

export const killSwitchCommand: CommandSpec = {
  name: "killswitch",
  where: "any",
  summary: "Activate, approve, reject or resume the kill-switch, or show its status (authority.yml kill_switch)",
  usage: KILLSWITCH_USAGE,
  authorize(req) {
    if (req.command.name !== "killswitch") return { ok: true }; // /help: `anyone` may activate on suspected data corruption
    return authorizationOf(memoPlan(req, (r) => planKillSwitchCommand(r.governance, r.command, commandFacts(r))));
  },
  run: (req) => carryOut(req, memoPlan(req, (r) => planKillSwitchCommand(r.governance, r.command, commandFacts(r)))),
};

/**
 * A pull request was closed. Charter's own request (opened by its bot user, from a branch of this
 * repository, into the default branch, with a sealed request marker that verifies): confirm on the
 * originating issue and finish what the merge settles, only where the merged files show what was
 * requested. A merged look-alike (another bot's or a person's `charter/*` pull request, one from a
 * fork, an edited marker): nothing is done, and the pull request says why.
 */
/** How a request marker starts (src/core/trust/request.ts): a description carrying one claims to be Charter's request. */
const REQUEST_MARKER = "<!-- charter:request ";

export function registerKillSwitchHandlers(app: Probot, deps: CharterDeps): void {
  app.on("pull_request.closed", async (context: Context<"pull_request.closed">) => {
    const { pull_request: pr, repository } = context.payload;
    if (!pr.head.ref.startsWith("charter/") && !(pr.body ?? "").includes(REQUEST_MARKER)) return;
    const identity = await deps.identity();
    const decoded = decodeRequest(pr.body, identity.keys, requestScope(repository.full_name, pr.head.ref));
    const gh = context.octokit as GitHubClient;
    const repo = { owner: repository.owner.login, repo: repository.name };
    const verdict = closedPullVerdict({
      merged: pr.merged === true,
      headRef: pr.head.ref,
      headRepo: pr.head.repo?.full_name,
      baseRef: pr.base.ref,
      repoFullName: repository.full_name,
      defaultBranch: repository.default_branch,
      author: pr.user?.login,
      byCharter: isCharterUser(identity, pr.user),
      charterLogin: identity.botLogin,
      marker: !decoded ? { kind: "none" } : decoded.ok ? { kind: "verified" } : { kind: "invalid", reason: decoded.reason },
    });
    if (verdict.kind === "ignore") return;
    if (verdict.kind === "refuse") {
      context.log.warn({ pull: pr.number, reason: verdict.reason }, "a merged pull request looks like Charter's request but is not; not acting on it");
      await notifyOnIssue(gh, repo, identity, pr.number, verdict.comment, `pull/${pr.number}/refused`);
      return;
    }
    if (!decoded?.ok) return; // closedPullVerdict said "charter": the marker verified
    const marker = decoded.request;
    const now = deps.clock.now();
    const snapshot = await governanceFromDefaultBranch(gh, repo, repository.default_branch, deps.governance);
    if (!snapshot.result.ok) {
      await notifyOnIssue(gh, repo, identity, marker.issue, `@${marker.by} #${pr.number} was ${pr.merged ? "merged" : "closed"}, but the governance files on \`${repository.default_branch}\` are now invalid, so Charter cannot confirm the state: run \`charter validate\` and fix them.`, `pull/${pr.number}/closed/invalid`);
      return;
    }
    const outcome = planClosed(snapshot.result.governance, {
      marker,
      number: pr.number,
      url: pr.html_url,
      merged: pr.merged === true,
      ...(pr.merged_by?.login ? { mergedBy: pr.merged_by.login } : {}),
      ...(pr.merged_at ? { mergedAt: new Date(pr.merged_at) } : {}),
      ...(marker.rollbackType ? { rollbackType: marker.rollbackType } : {}),
    }, now);
    let comment = outcome.comment;
    if (outcome.edits.length > 0) {
      try {
        await writeStateFiles(gh, { repo, branch: repository.default_branch, edits: outcome.edits, message: outcome.commitMessage, snapshot, cache: deps.governance });
      } catch (error) {
        if (!(error instanceof ProtectedBranchError || error instanceof StateConflictError || error instanceof StateFileError)) throw error;
        comment += `\n\nCharter could not update \`governance/state/killswitch.yml\` after the merge (${error.message}); update it by hand.`;
      }
    }
    await notifyOnIssue(gh, repo, identity, marker.issue, comment, `pull/${pr.number}/closed`);
  });
}
