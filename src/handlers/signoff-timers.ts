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
 * A pull request whose head and last update are unchanged, and whose next timed change is still
 * ahead, is skipped (an in-memory hint; after a restart everything is looked at once).
 */
import { planReminders, reminderComment, encodeReminded, reminderScope } from "../core/signoff/reminders.js";
import { usesSignoffTimers } from "../core/signoff/timing.js";
import type { Governance } from "../core/model/governance.js";
import { openPullsInto } from "../github/signoff/pulls.js";
import { remindedKeys } from "../github/signoff/reminders.js";
import type { SweepInput, SweepTask } from "../reconcile/task.js";
import { evaluatePullRequest, signoffState, type RepoContext } from "./signoff-run.js";

export const SIGNOFF_TIMERS = "sign-off timers";

async function pullTimers(input: SweepInput, g: Governance): Promise<string[]> {
  const { gh, repo, deps, now } = input;
  const state = signoffState(deps);
  const identity = await deps.identity();
  const actions: string[] = [];
  if (!usesSignoffTimers(g)) return actions;
  for (const pr of await openPullsInto(gh, repo, input.defaultBranch)) {
    if (pr.draft) continue; // not mergeable, not reminded: `ready_for_review` evaluates it again
    const key = `${repo.owner}/${repo.repo}#${pr.number}`.toLowerCase();
    const memo = state.timers.get(key);
    if (memo && memo.headSha === pr.headSha && memo.updatedAt === pr.updatedAt && memo.next > now.getTime()) continue;
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
        await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: pr.number, body: reminderComment(plan.due, result.tree, openedAt, marker) });
        for (const k of keys) sent.add(k);
        for (const d of plan.due) actions.push(`reminded ${d.people.join(", ")} (${d.label}, ${d.tier}) on #${pr.number}: ${d.gate}`);
      }
    }
    const next = Math.min(result.tree.nextChange?.getTime() ?? Number.POSITIVE_INFINITY, ("next" in plan && plan.next ? plan.next.getTime() : Number.POSITIVE_INFINITY));
    state.timers.set(key, { headSha: pr.headSha, updatedAt: pr.updatedAt, next, sent });
  }
  return actions;
}

export const signoffTimersTask: SweepTask = {
  name: SIGNOFF_TIMERS,
  async run(input) {
    const report = { task: SIGNOFF_TIMERS, actions: [] as string[] };
    if (!input.snapshot.result.ok) return report;
    const g = input.snapshot.result.governance;
    report.actions.push(...(await pullTimers(input, g)));
    return report;
  },
};
