/**
 * Kill-switch approval deadlines (D9 §5.1 "Owner within 15 min"): an activation whose approval is
 * still pending after its due time escalates once. The state file records it (`overdue`, and an
 * `approval-overdue` log entry with an id made from the activation), so a second sweep, a
 * concurrent one or one hours late finds nothing left to do; only the sweep whose write changed
 * the switch pages the approvers and their backups, on the issue the activation came from
 * (through the incidents' paging adapter, without assigning them).
 */
import { overdueApprovals } from "../core/killswitch/approval.js";
import { pageRoles } from "../github/incidents/page.js";
import { ProtectedBranchError, StateConflictError, writeStateFiles } from "../github/state-files.js";
import type { SweepTask } from "./task.js";

/** The actor Charter records for entries it makes on its own. */
export const CHARTER_ACTOR = "charter[bot]";

export const killSwitchApprovalTask: SweepTask = {
  name: "kill-switch approval deadlines",
  async run(input) {
    const report = { task: "kill-switch approval deadlines", actions: [] as string[] };
    if (!input.snapshot.result.ok) return report;
    const g = input.snapshot.result.governance;
    for (const due of overdueApprovals(g, input.now, CHARTER_ACTOR)) {
      let changed: boolean;
      try {
        const result = await writeStateFiles(input.gh, {
          repo: input.repo,
          branch: input.defaultBranch,
          edits: due.edits,
          message: `charter: approval of kill-switch ${due.scope} is overdue`,
          snapshot: input.snapshot,
          cache: input.deps.governance,
        });
        changed = result.changed.includes("state/killswitch.yml");
      } catch (error) {
        if (!(error instanceof ProtectedBranchError || error instanceof StateConflictError)) throw error;
        input.log.error({ err: error, scope: due.scope }, "could not record an overdue kill-switch approval");
        report.actions.push(`could not record the overdue approval of ${due.scope}: ${error.message}`);
        continue;
      }
      if (!changed) continue; // escalated or decided meanwhile
      // The incidents' paging adapter: one comment mentioning the approving roles' holders; the backups are named below.
      if (due.issue !== undefined) await pageRoles(input.gh, input.repo, due.issue, due.roles, due.reason, { governance: g, at: input.now, assign: false, details: due.details, identity: await input.deps.identity(), key: `killswitch/approval-overdue/${due.scope}/${due.due.getTime()}` });
      report.actions.push(`approval of kill-switch ${due.scope} overdue since ${due.due.toISOString()}: paged ${due.page.join(", ") || "nobody"}${due.issue !== undefined ? ` on #${due.issue}` : ""}`);
    }
    return report;
  },
};
