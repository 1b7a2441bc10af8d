/**
 * What is due next, as timers: learned from the state the pure core already computes
 * (src/core/incidents/due.ts for incidents, the kill-switch state file for approval deadlines).
 * Pure: no I/O, time is an input.
 */
import { dueActions, nextDueAt } from "../core/incidents/due.js";
import type { IncidentState } from "../core/incidents/state.js";
import { dueHandoffs, nextHandoffDueAt } from "../core/handoff/instants.js";
import { approvalRoles, issueNumberOf } from "../core/killswitch/approval.js";
import { activeSwitches } from "../core/killswitch/scope.js";
import { pendingUrgentOverrides } from "../core/oncall/swap/overdue.js";
import type { Governance } from "../core/model/governance.js";
import { breakGlassRecords, dueEscalations } from "../core/signoff/breakglass.js";
import { usesSignoffTimers } from "../core/signoff/timing.js";
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

const DAY_MS = 86_400_000;

/**
 * A repository's next handoff message (oncall.yml `handoff_messages`), at its exact instant.
 * `ran`: when this process last ran the handoff task for the repository (undefined: never, so a
 * handoff still within its `late` window, missed while Charter was down, is announced now).
 */
export function handoffTimer(g: Governance, now: Date, ran: number | undefined, where: Where): Timer | undefined {
  if (!g.oncall?.handoff_messages) return undefined;
  if (ran === undefined && dueHandoffs(g, now).length > 0) return { kind: "handoff", ...where, issue: 0, step: `handoff-late-${Math.floor(now.getTime() / 60_000)}`, dueAt: now.getTime() };
  const after = Math.max(now.getTime(), ran ?? 0) + 1;
  const at = nextHandoffDueAt(g, new Date(after));
  return at === undefined ? undefined : { kind: "handoff", ...where, issue: 0, step: `handoff-${at}`, dueAt: at };
}

/** One timer per open deployment whose status update is awaited: at the instant its reminder falls due. */
export function deploymentTimers(due: ReadonlyMap<number, number>, where: Where): Timer[] {
  return [...due.entries()].map(([issue, at]) => ({ kind: "deployment" as const, ...where, issue, step: `deployment-${at}`, dueAt: at }));
}

/**
 * The on-call calendar's publication (oncall.yml `calendar`): at once when this process has not
 * published it yet, then each day at 00:00 UTC (the window moves by a day; an unchanged calendar
 * costs one request).
 */
export function calendarTimer(g: Governance, now: Date, ran: number | undefined, where: Where): Timer | undefined {
  if (!g.oncall?.calendar) return undefined;
  const at = ran === undefined ? now.getTime() : (Math.floor(Math.max(now.getTime(), ran) / DAY_MS) + 1) * DAY_MS;
  return { kind: "calendar", ...where, issue: 0, step: `calendar-${ran === undefined ? `now-${Math.floor(at / 60_000)}` : at}`, dueAt: at };
}

/** The sign-off timer of a repository runs at most once a minute, however often something looks due. */
export const SIGNOFF_FLOOR_MS = 60_000;

/**
 * A repository's next sign-off timer: the earliest instant any of its open pull requests can
 * change by time alone (`pulls`: each pull request's next instant, remembered by each evaluation,
 * src/handlers/signoff-run.ts) or a break-glass review escalates. `ran`: when this process last
 * ran the repository's sign-off timer (undefined: never, so it is looked at now, after a restart
 * or when another replica evaluated its pull requests). Never sooner than {@link SIGNOFF_FLOOR_MS}
 * after `ran`, so a pull request or a governance that keeps looking due cannot spin the timer.
 * All instants are elapsed time (UTC milliseconds): a DST change or a week boundary moves nothing.
 */
export function signoffTimer(g: Governance, now: Date, ran: number | undefined, pulls: Iterable<number>, where: Where): Timer | undefined {
  const records = breakGlassRecords(g.state.log);
  if (!usesSignoffTimers(g) && records.length === 0) return undefined;
  let next = Number.POSITIVE_INFINITY;
  if (ran === undefined) next = now.getTime();
  else {
    for (const at of pulls) next = Math.min(next, at);
    const escalations = dueEscalations(g, records, now, "charter[bot]");
    if (escalations.due.length > 0) next = Math.min(next, now.getTime());
    else if (escalations.next) next = Math.min(next, escalations.next.getTime());
    next = Math.max(next, ran + SIGNOFF_FLOOR_MS);
  }
  if (!Number.isFinite(next)) return undefined;
  return { kind: "signoff", ...where, issue: 0, step: `signoff-${next}`, dueAt: next };
}
