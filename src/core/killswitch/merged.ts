/**
 * A Charter pull request (resume, rollback, advance, activation) was closed. Merged: the merged
 * files are the new state and its log entry is already in the log, so nothing is logged again;
 * Charter confirms on the originating issue, tells whom the tables name, and finishes what only
 * the merge can settle (switches marked `rolled_back` after a rollback; an activation's `since`
 * becomes the moment it took effect). Closed unmerged: nothing changed, and the issue hears so.
 */
import { activationAuthority, phaseLabel, rollbackAuthority } from "../authority/lookup.js";
import type { Governance } from "../model/governance.js";
import type { TeamMembers } from "../roles/resolve.js";
import { iso } from "./log.js";
import { mentions, peopleFor, roleTitles } from "./people.js";
import type { RequestMarker } from "./plan.js";
import { editSwitches, type StateEdit } from "./state-text.js";

export interface ClosedRequest {
  marker: RequestMarker;
  number: number;
  url: string;
  merged: boolean;
  mergedBy?: string;
  mergedAt?: Date;
  /** Rollback type from the pull request's sealed request marker. */
  rollbackType?: string;
}

export interface ClosedOutcome {
  /** Follow-up state edits on the default branch (none for most). */
  edits: StateEdit[];
  commitMessage: string;
  /** The comment on the originating issue. */
  comment: string;
}

export function planClosed(g: Governance, req: ClosedRequest, at: Date, teams?: TeamMembers): ClosedOutcome {
  const m = req.marker;
  const who = `@${m.by}`;
  const none: ClosedOutcome = { edits: [], commitMessage: "", comment: "" };
  if (!req.merged) {
    const what = m.kind === "resume" ? `the kill-switch \`${m.scope}\` stays active` : m.kind === "activate" ? `the kill-switch \`${m.scope}\` was not activated` : `the rollout stays in ${g.state.phase ? phaseLabel(g, g.state.phase.phase) : "its phase"}`;
    return { ...none, comment: `${who} #${req.number} was closed without merging: nothing changed, ${what}.` };
  }
  const by = req.mergedBy ? ` by @${req.mergedBy}` : "";
  switch (m.kind) {
    case "resume": {
      const sw = m.scope ? g.state.killswitch?.switches[m.scope] : undefined;
      const notifyRoles = g.authority?.kill_switch?.actions?.["resume"]?.notify ?? [];
      const notified = peopleFor(g, notifyRoles, at, { exclude: [m.by], teams });
      const still = sw?.active ? ` Note: \`governance/state/killswitch.yml\` on the default branch still shows \`${m.scope}\` as active; check the merged change.` : "";
      const notify = notifyRoles.length > 0 ? `\nNotified (${roleTitles(g, notifyRoles)}): ${mentions(notified)}.` : "";
      return { ...none, comment: `${who} the kill-switch \`${m.scope}\` is **resumed**: #${req.number} was merged${by}.${still}${notify}` };
    }
    case "rollback": {
      const t = req.rollbackType ? rollbackAuthority(g, req.rollbackType) : undefined;
      const inform = t?.ok ? peopleFor(g, t.inform, at, { exclude: [m.by], teams }) : [];
      const active = Object.entries(g.state.killswitch?.switches ?? {}).filter(([, s]) => s.active && !s.rolled_back).map(([s]) => s);
      const edits = active.length > 0 ? [editSwitches((switches) => Object.fromEntries(Object.entries(switches).map(([s, v]) => [s, v.active && !v.rolled_back ? { ...v, rolled_back: true } : v])))] : [];
      const informed = t?.ok && t.inform.length > 0 ? `\nInformed (${roleTitles(g, t.inform)}): ${mentions(inform)}.` : "";
      const marked = active.length > 0 ? ` Active kill-switches (${active.map((s) => `\`${s}\``).join(", ")}) are marked \`rolled_back\`.` : "";
      return {
        edits,
        commitMessage: `charter: mark kill-switches rolled back after #${req.number}`,
        comment: `${who} rolled back: the rollout is now in **${phaseLabel(g, m.to ?? g.state.phase?.phase ?? "?")}** (#${req.number} merged${by}).${marked}${informed}`,
      };
    }
    case "advance":
      return { ...none, comment: `${who} the rollout is now in **${phaseLabel(g, m.to ?? g.state.phase?.phase ?? "?")}** (was ${m.from ?? "?"}): #${req.number} was merged${by}.` };
    case "activate": {
      const sw = m.scope ? g.state.killswitch?.switches[m.scope] : undefined;
      const a = sw?.scenario ? activationAuthority(g, sw.scenario) : undefined;
      const withinNotify = a?.ok && a.notify.inAdvanceMs === undefined ? a.notify.roles : [];
      const notified = peopleFor(g, withinNotify, at, { exclude: [m.by], teams });
      const effective = req.mergedAt ?? at;
      const edits =
        sw?.active && m.scope
          ? [
              editSwitches((switches) => {
                const current = switches[m.scope!];
                if (!current?.active || current.since !== sw.since) return switches;
                return { ...switches, [m.scope!]: { ...current, since: iso(effective), approval: { ...(current.approval ?? { status: "approved" }), status: "approved", at: iso(effective) } } };
              }),
            ]
          : [];
      const notify = withinNotify.length > 0 ? `\nNotified (${roleTitles(g, withinNotify)}): ${mentions(notified)}.` : "";
      return {
        edits,
        commitMessage: `charter: kill-switch ${m.scope} active since #${req.number} merged`,
        comment: `${who} the kill-switch \`${m.scope}\` is **active** since ${iso(effective)}: #${req.number} was merged${by}.${notify}`,
      };
    }
  }
}
