/**
 * What is due next, as timers: learned from the state the pure core already computes
 * (src/core/incidents/due.ts for incidents, the kill-switch state file for approval deadlines).
 * Pure: no I/O, time is an input.
 */
import { dueActions, nextDueAt } from "../core/incidents/due.js";
import type { IncidentState } from "../core/incidents/state.js";
import { approvalRoles, issueNumberOf } from "../core/killswitch/approval.js";
import { activeSwitches } from "../core/killswitch/scope.js";
import { pendingUrgentOverrides } from "../core/oncall/swap/overdue.js";
import type { Governance } from "../core/model/governance.js";
import type { RepoRef } from "../github/client.js";
import type { Timer } from "./types.js";

export interface Where {
  repo: RepoRef;
  installationId: number;
  defaultBranch: string;
}

/** The incident's next due instant and which step it is; undefined when nothing will ever be due (resolved). */
export function incidentTimer(state: IncidentState, now: Date, where: Where): Timer | undefined {
  const at = nextDueAt(state, now);
  if (at === undefined || !Number.isFinite(at)) return undefined;
  const actions = dueActions(state, new Date(Math.max(at, now.getTime())));
  const a = actions.find((x) => x.dueAt === at) ?? actions[0];
  const step = !a ? `at${at}` : a.kind === "step" || a.kind === "repeat" ? a.key : a.kind === "ack-deadline" ? `ack${a.episode}` : `u${a.dueAt}`;
  return { kind: "incident", ...where, issue: state.issue, step, dueAt: at };
}

/** One timer per kill-switch activation whose approval is pending, at its deadline, on the issue it came from. */
export function approvalTimers(g: Governance, where: Where): Timer[] {
  const out: Timer[] = [];
  for (const [scope, sw] of activeSwitches(g.state.killswitch)) {
    if (sw.approval?.status !== "pending" || sw.approval.due === undefined) continue;
    const due = Date.parse(sw.approval.due);
    if (!Number.isFinite(due) || approvalRoles(g, sw).length === 0) continue;
    out.push({ kind: "approval", ...where, issue: issueNumberOf(sw.link) ?? 0, step: `approval-${scope}-${sw.since ?? sw.approval.due}`.replaceAll(":", "_"), dueAt: due });
  }
  // urgent on-call overrides still waiting for approvals (src/core/oncall/swap/overdue.ts)
  for (const p of pendingUrgentOverrides(g)) out.push({ kind: "approval", ...where, issue: p.urgent.issue, step: `override-${p.urgent.id}`.replaceAll(":", "_"), dueAt: p.due });
  return out;
}
