/**
 * Urgent on-call overrides whose approval is overdue (src/core/oncall/swap/overdue.ts): each
 * escalates once. Only the sweep whose log write added the `oncall-override-overdue` entry pages.
 */
import { overdueOverrides } from "../core/oncall/swap/overdue.js";
import { notifyOnIssue } from "../github/notify.js";
import { ProtectedBranchError, StateConflictError, writeStateFiles } from "../github/state-files.js";
import { CHARTER_ACTOR } from "./killswitch.js";
import type { SweepTask } from "./task.js";

export const urgentOverrideTask: SweepTask = {
  name: "urgent on-call override approvals",
  async run(input) {
    const report = { task: "urgent on-call override approvals", actions: [] as string[] };
    if (!input.snapshot.result.ok) return report;
    const g = input.snapshot.result.governance;
    for (const due of overdueOverrides(g, input.now, CHARTER_ACTOR)) {
      let changed: boolean;
      try {
        const result = await writeStateFiles(input.gh, { repo: input.repo, branch: input.defaultBranch, edits: due.edits, message: `charter: approval of the urgent on-call override of #${due.issue} is overdue`, snapshot: input.snapshot, cache: input.deps.governance });
        changed = result.changed.includes("state/log.yml");
      } catch (error) {
        if (!(error instanceof ProtectedBranchError || error instanceof StateConflictError)) throw error;
        input.log.error({ err: error, issue: due.issue }, "could not record an overdue urgent override");
        report.actions.push(`could not record the overdue urgent override of #${due.issue}: ${error.message}`);
        continue;
      }
      if (!changed) continue;
      await notifyOnIssue(input.gh, input.repo, await input.deps.identity(), due.issue, due.comment, `swap/override-overdue/${due.entry.id}`);
      report.actions.push(`urgent override of #${due.issue} overdue: paged ${due.entry.notified?.join(", ") ?? "nobody"}`);
    }
    return report;
  },
};
