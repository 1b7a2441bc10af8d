/**
 * An urgent override whose approval is still missing after its deadline (`review_due` of its
 * `oncall-override` entry) escalates once: an `oncall-override-overdue` entry is appended to the
 * log (its id is made from the override's, so a second sweep, a concurrent one or one hours late
 * finds nothing left to do), and the people still to approve, with the holders of the
 * `swaps.on_behalf` roles, are mentioned on the issue it was asked on.
 */
import { entryId, iso, utcTime } from "../../killswitch/log.js";
import { mentions, peopleFor, roleTitles } from "../../killswitch/people.js";
import { appendLog, type StateEdit } from "../../killswitch/state-text.js";
import type { Governance } from "../../model/governance.js";
import type { LogEntry } from "../../model/state.js";
import type { TeamMembers } from "../../roles/resolve.js";

export interface OverdueOverride {
  /** The issue it was asked on. */
  issue: number;
  /** People still to approve. */
  open: string[];
  edits: StateEdit[];
  /** The comment that pages them. */
  comment: string;
  entry: LogEntry;
}

/** An urgent override still waiting for approvals, not escalated yet: when it is due, and whose. */
export interface PendingOverride {
  urgent: LogEntry & { issue: number; review_due: string };
  due: number;
  open: string[];
  /** The id of the entry its escalation writes. */
  overdueId: string;
}

export function pendingUrgentOverrides(g: Governance): PendingOverride[] {
  const entries = g.state.log?.entries ?? [];
  const out: PendingOverride[] = [];
  for (const urgent of entries) {
    if (urgent.action !== "oncall-override" || urgent.review_due === undefined || urgent.issue === undefined) continue;
    const due = Date.parse(urgent.review_due);
    if (!Number.isFinite(due)) continue;
    const overdueId = entryId("oncall-override-overdue", urgent.id);
    if (entries.some((e) => e.id === overdueId)) continue;
    const approved = new Set(entries.filter((e) => e.action === "oncall-override-approved" && e.ref === urgent.id).map((e) => (e.role ?? e.actor).toLowerCase()));
    const open = (urgent.notified ?? []).filter((p) => !approved.has(p.toLowerCase()));
    if (open.length > 0) out.push({ urgent: urgent as PendingOverride["urgent"], due, open, overdueId });
  }
  return out;
}

export function overdueOverrides(g: Governance, at: Date, actor: string, teams?: TeamMembers): OverdueOverride[] {
  const out: OverdueOverride[] = [];
  for (const { urgent, due, open, overdueId: id } of pendingUrgentOverrides(g)) {
    if (!(due <= at.getTime())) continue;
    const roles = g.authority?.swaps?.on_behalf ?? [];
    const behalf = peopleFor(g, roles, at, { exclude: [...open, urgent.actor], teams });
    const entry: LogEntry = {
      id,
      timestamp: iso(at),
      action: "oncall-override-overdue",
      actor,
      approval: `overdue: ${open.join(", ")} had not approved by ${urgent.review_due}`,
      notified: [...open, ...behalf],
      ref: urgent.id,
      issue: urgent.issue,
      ...(urgent.link ? { link: urgent.link } : {}),
    };
    out.push({
      issue: urgent.issue,
      open,
      entry,
      edits: [appendLog(entry)],
      comment: [
        `${mentions(open)} the urgent on-call override @${urgent.actor} made here at ${utcTime(new Date(urgent.timestamp), at)} was to be approved by ${utcTime(new Date(due), at)} and is **overdue**. It stays in effect: reply \`/override approve\` if you agree, or ask for a new \`/swap\` or \`/override\` if not.`,
        ...(behalf.length > 0 ? ["", `${roleTitles(g, roles, "or")} may approve on their behalf: ${mentions(behalf)}.`] : []),
      ].join("\n"),
    });
  }
  return out;
}
