/**
 * Sign-off's timed work, as a level-triggered sweep task (src/reconcile/task.ts): every run
 * recomputes from GitHub and the time what is due and does it once, so it can run late, twice, or
 * as a delayed job at the instant `nextChange` names.
 *
 * - Approvals expire (`valid_for`): open pull requests are evaluated again, so the check turns red
 *   when an approval stops counting, with no event on the pull request.
 * - Turnaround reminders (`remind_after`): missing signers are reminded once, then the backups
 *   (src/core/signoff/reminders.ts); what was reminded is read back from Charter's sealed markers.
 *
 * - Break-glass reviews (authority.yml `break_glass.review`): a review past its deadline and not
 *   signed by every role escalates through the ladder, each step once: the step is logged
 *   (`breakglass-escalated`, an id made from the break-glass and the step) and only the sweep whose
 *   write added it pages, on the review issue. Read from the default branch's log alone: no request
 *   when nothing is due.
 *
 * A pull request whose head and last update are unchanged, and whose next timed change is still
 * ahead, is skipped (an in-memory hint; after a restart everything is looked at once).
 */
import { planReminders, reminderComment, encodeReminded, reminderScope } from "../core/signoff/reminders.js";
import { usesSignoffTimers } from "../core/signoff/timing.js";
import type { Governance } from "../core/model/governance.js";
import { breakGlassRecords, dueEscalations } from "../core/signoff/breakglass.js";
import { pageRoles } from "../github/incidents/page.js";
import { logOnDefaultBranch } from "../github/signoff/breakglass.js";
import { ProtectedBranchError, StateConflictError } from "../github/state-files.js";
import { openPullsInto } from "../github/signoff/pulls.js";
import { remindedKeys } from "../github/signoff/reminders.js";
import type { SweepInput, SweepTask } from "../reconcile/task.js";
import { createComment } from "../github/writes/create.js";
import { evaluatePullRequest, signoffState, timerMemo, type RepoContext } from "./signoff-run.js";

export const SIGNOFF_TIMERS = "sign-off timers";

async function pullTimers(input: SweepInput, g: Governance): Promise<string[]> {
  const { gh, repo, deps, now } = input;
  const state = signoffState(deps);
  const identity = await deps.identity();
  const actions: string[] = [];
  if (!usesSignoffTimers(g)) return actions;
  const pulls = await openPullsInto(gh, repo, input.defaultBranch);
  for (const pr of pulls) {
    if (pr.draft) continue; // not mergeable, not reminded: `ready_for_review` evaluates it again
    const key = `${repo.owner}/${repo.repo}#${pr.number}`.toLowerCase();
    const memo = state.timers.get(key);
    if (memo && memo.headSha === pr.headSha && memo.updatedAt === pr.updatedAt && memo.governanceSha === input.snapshot.sha && memo.next > now.getTime()) continue;
    const ctx: RepoContext = { gh, repo, repoUrl: pr.htmlUrl.replace(/\/pull\/\d+$/, ""), defaultBranch: input.defaultBranch, deps, log: input.log };
    const before = memo?.sent ?? new Set<string>();
    const result = await evaluatePullRequest(ctx, pr, { snapshot: input.snapshot });
    if (result.kind !== "evaluated") continue;
    const openedAt = pr.createdAt ? new Date(pr.createdAt) : undefined;
    let sent = before;
    let plan = openedAt ? planReminders(result.tree, { openedAt, now, sent }) : { due: [] };
    if (openedAt && plan.due.length > 0) {
      // something looks due: what Charter reminded is on GitHub, in its sealed markers
      sent = new Set([...before, ...(await remindedKeys(gh, repo, pr.number, identity))]);
      plan = planReminders(result.tree, { openedAt, now, sent });
      if (plan.due.length > 0) {
        const keys = plan.due.map((d) => d.key);
        const marker = encodeReminded(keys, identity.keys, reminderScope(`${repo.owner}/${repo.repo}`, pr.number));
        // found by its sealed marker (which reminders it sends) after an unknown outcome
        await createComment({ gh, repo, identity }, pr.number, reminderComment(plan.due, result.tree, openedAt, marker), { key: `reminders/${keys.join(".")}`, marker });
        for (const k of keys) sent.add(k);
        for (const d of plan.due) actions.push(`reminded ${d.people.join(", ")} (${d.label}, ${d.tier}) on #${pr.number}: ${d.gate}`);
      }
    }
    state.timers.set(key, timerMemo(memo, pr, input.snapshot.sha, result.tree, now, sent));
  }
  // pull requests closed or turned draft since: nothing of theirs is due any more
  const open = new Set(pulls.filter((p) => !p.draft).map((p) => `${repo.owner}/${repo.repo}#${p.number}`.toLowerCase()));
  const prefix = `${repo.owner}/${repo.repo}#`.toLowerCase();
  state.timers.deleteWhere((k) => k.startsWith(prefix) && !open.has(k));
  return actions;
}

async function breakGlassReviews(input: SweepInput, g: Governance): Promise<string[]> {
  const actions: string[] = [];
  const records = breakGlassRecords(g.state.log);
  if (records.length === 0) return actions;
  const identity = await input.deps.identity();
  const { due } = dueEscalations(g, records, input.now, identity.botLogin ?? "charter[bot]");
  let first = true;
  for (const d of due) {
    let added: boolean;
    try {
      const result = await logOnDefaultBranch(input.gh, {
        repo: input.repo,
        branch: input.defaultBranch,
        entries: [d.entry],
        message: `charter: break-glass review of #${d.record.entry.pull_request} overdue (step ${d.step})`,
        ...(first ? { snapshot: input.snapshot, cache: input.deps.governance } : {}),
      });
      added = result.changed.includes("state/log.yml");
    } catch (error) {
      if (!(error instanceof ProtectedBranchError || error instanceof StateConflictError)) throw error;
      input.log.error({ err: error, entry: d.entry.id }, "could not record a break-glass escalation");
      actions.push(`could not record step ${d.step} of the overdue review of ${d.record.entry.id}: ${error.message}`);
      continue;
    }
    first = false;
    if (!added) continue; // another sweep escalated it meanwhile
    const page = await pageRoles(input.gh, input.repo, d.record.entry.issue!, d.targets, d.reason, { governance: g, at: input.now, assign: false, details: d.details, identity: await input.deps.identity(), key: `breakglass/${d.entry.id}/page` });
    actions.push(`break-glass review of #${d.record.entry.pull_request} overdue: step ${d.step} paged ${page.people.join(", ") || "nobody"} on #${d.record.entry.issue}`);
  }
  if (due.length > 0) input.deps.governance.invalidate(input.repo);
  return actions;
}

export const signoffTimersTask: SweepTask = {
  name: SIGNOFF_TIMERS,
  async run(input) {
    const report = { task: SIGNOFF_TIMERS, actions: [] as string[] };
    if (!input.snapshot.result.ok) return report;
    const g = input.snapshot.result.governance;
    report.actions.push(...(await breakGlassReviews(input, g)));
    report.actions.push(...(await pullTimers(input, g)));
    return report;
  },
};
