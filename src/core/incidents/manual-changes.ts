/**
 * Changes people make to an incident in GitHub's UI instead of with a command: removing its labels,
 * closing the issue. Anyone with triage access can do both, so they count as the command they
 * amount to, with that command's authority:
 *
 * - removing the incident label, or closing the issue, is a `/resolve`: by someone who may
 *   `/resolve` it resolves the incident; by anyone else Charter undoes it (puts the label back,
 *   reopens the issue) and says why, and the ladder goes on;
 * - removing the current severity label is a severity change, which only `/severity` makes:
 *   Charter puts it back for anyone and says how to change the severity.
 */
import type { Governance } from "../model/governance.js";
import type { IncidentsFile } from "../model/incidents.js";
import type { TeamMembers } from "../roles/resolve.js";
import { incidentCommandAuthority, type CommandActor, type IncidentAuthorityFacts } from "./authority.js";
import { isResolved, type IncidentState } from "./state.js";

export type ManualChange = { kind: "label-removed"; label: string } | { kind: "closed" };

export type ManualVerdict =
  /** Nothing to do (not this incident's label, already resolved). */
  | { kind: "none" }
  /** The actor may `/resolve`: resolve the incident. */
  | { kind: "resolve"; note: string }
  /** Undo it (labels put back, or the issue reopened) and say why. */
  | { kind: "undo"; restoreLabels: string[]; reopen: boolean; reply: string };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function judgeManualChange(
  g: Governance,
  inc: IncidentsFile,
  state: IncidentState,
  change: ManualChange,
  actor: CommandActor,
  at: Date,
  facts: IncidentAuthorityFacts,
  teams?: TeamMembers,
): ManualVerdict {
  if (isResolved(state)) return { kind: "none" };
  const severityLabel = inc.severities[state.severity]?.label;
  const what = change.kind === "closed" ? "closing" : `removing the \`${change.label}\` label from`;
  if (change.kind === "label-removed" && severityLabel && same(change.label, severityLabel) && !same(change.label, inc.label.name)) {
    const may = incidentCommandAuthority(g, inc, "severity", actor, at, facts, teams);
    const how = may.ok ? "To change it, run `/severity <level> [reason]`." : `Only the people \`governance/incidents.yml\` names may change it: ${may.reason}`;
    return {
      kind: "undo",
      restoreLabels: [severityLabel],
      reopen: false,
      reply: `${what} incident #${state.issue} was undone: its severity is ${state.severity} in Charter's record and changes only with \`/severity\`, so Charter put \`${severityLabel}\` back; the ${state.ladder.severity} escalation ladder goes on. ${how}`,
    };
  }
  if (change.kind === "label-removed" && !same(change.label, inc.label.name)) return { kind: "none" };
  const may = incidentCommandAuthority(g, inc, "resolve", actor, at, facts, teams);
  if (may.ok) {
    return { kind: "resolve", note: change.kind === "closed" ? "closed in GitHub without `/resolve`" : `the \`${inc.label.name}\` label was removed by \`${actor.login}\`: not an incident any more` };
  }
  const undone = change.kind === "closed" ? "Charter reopened the issue" : `Charter put the \`${inc.label.name}\` label back`;
  return {
    kind: "undo",
    restoreLabels: change.kind === "closed" ? [] : [inc.label.name],
    reopen: change.kind === "closed",
    reply: `${what} open incident #${state.issue} counts as \`/resolve\`, and ${may.reason} ${undone}; the ${state.ladder.severity} escalation ladder goes on and nothing else changed. To end the incident, someone who may runs \`/resolve <root cause>\`.`,
  };
}
