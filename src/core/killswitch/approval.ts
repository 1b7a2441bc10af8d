/**
 * Approval after the fact (D9 §5.1 "Owner within 15 min"): `/killswitch approve [<scope>]` and
 * `/killswitch reject [<scope>] [reason]` by a holder of the approving role, and the deadline.
 *
 * Rejection does not resume: pausing is the safe state, and resuming has its own authority
 * (D9 §5.3). A rejection records the decision and asks on-call to resume through the resume
 * authority. The activator cannot approve their own activation (four eyes).
 */
import { activationAuthority } from "../authority/lookup.js";
import type { Governance } from "../model/governance.js";
import type { ApprovalState, LogEntry, Switch } from "../model/state.js";
import type { TeamMembers } from "../roles/resolve.js";
import { entryId, iso, utcTime } from "./log.js";
import { heldRoles, mentions, peopleFor, roleTitles, rolesWithHolders, sameLogin } from "./people.js";
import { refuse, sentence, type CommandPlan } from "./plan.js";
import { resumeHint } from "./resume.js";
import { activeSwitches, looksLikeScope, parseScope } from "./scope.js";
import { appendLog, editSwitches, type StateEdit } from "./state-text.js";

const OPEN: readonly ApprovalState["status"][] = ["pending", "overdue"];

/** The roles that must approve a switch's activation: as recorded, else its scenario's. */
export function approvalRoles(g: Governance, sw: Switch): string[] {
  if (sw.approval?.roles && sw.approval.roles.length > 0) return sw.approval.roles;
  const a = sw.scenario ? activationAuthority(g, sw.scenario) : undefined;
  return a?.ok && a.approval.kind !== "none" ? a.approval.roles : [];
}

export interface DecisionInput {
  decision: "approve" | "reject";
  /** Arguments after the sub-command: `[<scope>] [reason…]`. */
  args: string[];
  actor: string;
  at: Date;
  link: string;
  cause: string | number;
  teams?: TeamMembers;
  /** GitHub's `author_association` of the comment (what `anyone` needs). */
  association?: string | null;
}

/** Record the approval decision on a switch, unless it was decided or resumed meanwhile. */
function decisionEdit(scope: string, sw: Switch, approval: ApprovalState): StateEdit {
  return editSwitches((switches) => {
    const current = switches[scope];
    if (!current?.active || current.since !== sw.since || !OPEN.includes(current.approval?.status ?? "not-required")) return switches;
    return { ...switches, [scope]: { ...current, approval } };
  });
}

export function planDecision(g: Governance, input: DecisionInput): CommandPlan {
  const { actor, at, decision } = input;
  const args = [...input.args];
  let scope: string | undefined;
  if (looksLikeScope(args[0])) {
    const p = parseScope(args.shift());
    if (!p.ok) return refuse("invalid", sentence(p.message));
    scope = p.scope;
  }
  const reason = args.join(" ").trim();
  const awaiting = activeSwitches(g.state.killswitch).filter(([, s]) => OPEN.includes(s.approval?.status ?? "not-required"));
  if (scope === undefined) {
    if (awaiting.length === 0) return refuse("state", "no kill-switch activation is waiting for approval.");
    if (awaiting.length > 1) return refuse("invalid", `several activations wait for approval (${awaiting.map(([s]) => `\`${s}\``).join(", ")}): say which, e.g. \`/killswitch ${decision} ${awaiting[0]![0]}\`.`);
    scope = awaiting[0]![0];
  }
  const sw = g.state.killswitch?.switches[scope];
  if (!sw?.active) return refuse("state", `the kill-switch \`${scope}\` is not active, so there is nothing to ${decision}.`);
  const status = sw.approval?.status ?? "not-required";
  if (!OPEN.includes(status)) {
    const what = status === "not-required" ? "needed no approval" : `was already ${status}${sw.approval?.by ? ` by @${sw.approval.by}` : ""}`;
    return refuse("state", `the activation of \`${scope}\` ${what}; nothing to ${decision}.`);
  }
  const roles = approvalRoles(g, sw);
  if (roles.length === 0) return refuse("state", `no approving role is recorded for \`${scope}\`; nothing to ${decision}.`);
  if (heldRoles(g, roles, actor, at, input.teams, input.association).length === 0) {
    return refuse("forbidden", `approving the activation of \`${scope}\` is for ${rolesWithHolders(g, roles, at, input.teams)}; @${actor} holds none of these roles.`);
  }
  if (sameLogin(sw.by, actor)) {
    return refuse("forbidden", `@${actor} activated \`${scope}\` and cannot also ${decision} it (four eyes): another holder of ${roleTitles(g, roles, "or")} must decide.`);
  }
  const late = status === "overdue" || (sw.approval?.due !== undefined && Date.parse(sw.approval.due) < at.getTime());
  const approval: ApprovalState = { status: decision === "approve" ? "approved" : "rejected", roles, ...(sw.approval?.due ? { due: sw.approval.due } : {}), by: actor, at: iso(at) };
  const oncall = decision === "reject" ? peopleFor(g, g.authority?.kill_switch?.actions?.["resume"]?.execute ?? [], at, { exclude: [actor], teams: input.teams }) : [];
  const notified = [...new Set([...(sw.by && !sameLogin(sw.by, actor) ? [sw.by] : []), ...oncall])];
  const entry: LogEntry = {
    id: entryId(decision, input.cause),
    timestamp: iso(at),
    action: decision,
    actor,
    scope,
    ...(sw.scenario ? { scenario: sw.scenario } : {}),
    ...(sw.severity ? { severity: sw.severity } : {}),
    ...(reason ? { reason } : {}),
    approval: `${decision === "approve" ? "approved" : "rejected"} by ${actor} (${roleTitles(g, heldRoles(g, roles, actor, at, input.teams, input.association))})${late ? `, after the deadline ${sw.approval?.due ?? ""}`.trimEnd() : ""}`,
    notified,
    link: input.link,
  };
  const edits = [decisionEdit(scope, sw, approval), appendLog(entry)];
  const commitMessage = `charter: ${decision} kill-switch ${scope} activation by ${actor}${reason ? `\n\n${reason}` : ""}\n${input.link}`;
  const activatedBy = sw.by ? ` by @${sw.by}` : "";
  const reply =
    decision === "approve"
      ? `approved the activation of \`${scope}\`${activatedBy}${late ? " (after its deadline)" : ""}. It stays active; logged in \`governance/state/log.yml\`.`
      : [
          `rejected the activation of \`${scope}\`${activatedBy}${reason ? `: ${reason}` : ""}. Logged in \`governance/state/log.yml\`.`,
          "",
          `A rejection does not resume the kill-switch by itself (paused is the safe state): ${mentions(notified)}, please decide whether to resume now. ${resumeHint(g, scope, sw, at)}`,
        ].join("\n");
  return {
    ok: true,
    kind: "direct",
    edits,
    commitMessage,
    reply,
    fallback: {
      branch: `charter/${decision}-${scope.replace(/[^A-Za-z0-9_.-]+/g, "-")}-${String(input.cause)}`,
      title: `Kill-switch: ${decision} the activation of ${scope}`,
      body: `Branch protection refused Charter's direct write, so this ${decision === "approve" ? "approval" : "rejection"} is recorded through a pull request. ${decision === "approve" ? "Approved" : "Rejected"} by @${actor} in ${input.link}.`,
      edits,
      commitMessage,
    },
    fallbackReply: (p, why) => `branch protection refused Charter's direct write (${why}); I opened #${p.number} to record the ${decision === "approve" ? "approval" : "rejection"}. Merge it to record it.`,
  };
}

// ------------------------------------------------------------------------------------ deadline

export interface OverdueApproval {
  scope: string;
  switch: Switch;
  /** The approving roles: paged again. */
  roles: string[];
  due: Date;
  /** Backups of the approving roles (logins, `org/team`), paged as well. */
  backups: string[];
  /** Everyone paged: the roles' holders, then the backups. */
  page: string[];
  entry: LogEntry;
  edits: StateEdit[];
  /** The issue the activation was written on, from the switch's link, if any. */
  issue?: number;
  /** The page's headline (who is paged is added by the paging adapter). */
  reason: string;
  /** What to do, and the backups' mentions, below the page line. */
  details: string;
}

/** The issue (or pull request) number in a GitHub link such as `…/issues/7#issuecomment-1`. */
export function issueNumberOf(link: string | undefined): number | undefined {
  const m = /\/(?:issues|pull)\/(\d+)(?:[#/?]|$)/.exec(link ?? "");
  return m ? Number(m[1]) : undefined;
}

/**
 * Activations whose approval is still pending after its deadline: each escalates once (its status
 * becomes `overdue`, an `approval-overdue` entry is logged, approvers and their backups are paged).
 */
export function overdueApprovals(g: Governance, at: Date, actor: string, teams?: TeamMembers): OverdueApproval[] {
  const out: OverdueApproval[] = [];
  for (const [scope, sw] of activeSwitches(g.state.killswitch)) {
    if (sw.approval?.status !== "pending" || sw.approval.due === undefined) continue;
    const due = new Date(sw.approval.due);
    if (!(due.getTime() <= at.getTime())) continue;
    const roles = approvalRoles(g, sw);
    const holders = peopleFor(g, roles, at, { teams });
    const page = peopleFor(g, roles, at, { backups: true, teams });
    const backups = page.filter((p) => !holders.includes(p));
    const entry: LogEntry = {
      id: entryId("approval-overdue", `${scope}-${sw.since ?? sw.approval.due}`),
      timestamp: iso(at),
      action: "approval-overdue",
      actor,
      scope,
      ...(sw.scenario ? { scenario: sw.scenario } : {}),
      ...(sw.severity ? { severity: sw.severity } : {}),
      reason: `approval by ${roleTitles(g, roles)} was due at ${sw.approval.due}`,
      approval: "overdue",
      notified: page,
      ...(sw.link ? { link: sw.link } : {}),
    };
    const issue = issueNumberOf(sw.link);
    const a = sw.scenario ? activationAuthority(g, sw.scenario) : undefined;
    out.push({
      scope,
      switch: sw,
      roles,
      due,
      backups,
      page,
      entry,
      edits: [
        editSwitches((switches) => {
          const current = switches[scope];
          if (!current?.active || current.since !== sw.since || current.approval?.status !== "pending") return switches;
          return { ...switches, [scope]: { ...current, approval: { ...current.approval, status: "overdue" } } };
        }),
        appendLog(entry),
      ],
      ...(issue !== undefined ? { issue } : {}),
      reason: `Kill-switch approval overdue: \`${scope}\``,
      details: [
        `Approval of the kill-switch \`${scope}\` activation${a?.ok ? ` (${a.title})` : ""}${sw.by ? ` by @${sw.by}` : ""} at ${utcTime(new Date(sw.since ?? due), at)} was due from ${roleTitles(g, roles)} at ${utcTime(due, at)} and is **overdue**.${backups.length > 0 ? ` Backups: ${mentions(backups)}.` : ""}`,
        "",
        `The kill-switch stays active. Decide now: \`/killswitch approve ${scope}\` or \`/killswitch reject ${scope} <reason>\`.`,
      ].join("\n"),
    });
  }
  return out;
}
