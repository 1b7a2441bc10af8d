/**
 * A Charter pull request (resume, rollback, advance, activation) was closed. Merged: the merged
 * files are the new state and its log entry is already in the log, so nothing is logged again;
 * Charter confirms on the originating issue, tells whom the tables name, and finishes what only
 * the merge can settle (switches marked `rolled_back` after a rollback; an activation's `since`
 * becomes the moment it took effect). Closed unmerged: nothing changed, and the issue hears so.
 *
 * A merge changes only what its files change. Anyone with write access can push to the request's
 * branch before it merges, so the request marker says what was asked, and the merged state files
 * say what happened: Charter confirms, notifies and writes a follow-up only when the merged files
 * show exactly the requested change (the scope activated by this request and its log entry; the
 * requested phase; the scope no longer active). Otherwise it does nothing and says why.
 */
import { activationAuthority, phaseLabel, rollbackAuthority } from "../authority/lookup.js";
import type { Governance } from "../model/governance.js";
import type { TeamMembers } from "../roles/resolve.js";
import type { Switch } from "../model/state.js";
import { issueNumberOf } from "./approval.js";
import { iso } from "./log.js";
import { mentions, peopleFor, roleTitles, sameLogin } from "./people.js";
import type { RequestMarker } from "./plan.js";
import { editSwitches, type StateEdit } from "./state-text.js";
import { mergedRequestOverrides } from "../oncall/swap/change.js";

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

/** The words of a merge whose files do not show what was requested: nothing is done, and the issue hears why. */
function unfinished(req: ClosedRequest, what: string): ClosedOutcome {
  const by = req.mergedBy ? `merged by @${req.mergedBy}` : "merged";
  return { edits: [], commitMessage: "", comment: `@${req.marker.by} Charter did not finish #${req.number} (${by}): ${what} Check the merged change.` };
}

/**
 * Whether the merged kill-switch file shows scope `scope` activated by this request: active, by
 * the requester, from the issue the request names, with the activation entry the request appended
 * to the log (same link and instant). Anything else (inactive, someone else's activation, an entry
 * that is not there) and the merge is not this activation.
 */
function activatedByRequest(g: Governance, m: RequestMarker, scope: string): { ok: true; switch: Switch } | { ok: false; shows: string } {
  const sw = g.state.killswitch?.switches[scope];
  if (!sw?.active) return { ok: false, shows: `\`${scope}\` inactive` };
  const theirs = `the activation${sw.by ? ` by @${sw.by}` : ""}${sw.since ? ` at ${sw.since}` : ""}`;
  if (!sameLogin(sw.by, m.by) || issueNumberOf(sw.link) !== m.issue) return { ok: false, shows: theirs };
  const entry = (g.state.log?.entries ?? []).find((e) => e.action === "activate" && e.scope === scope && sameLogin(e.actor, m.by) && e.link === sw.link && e.timestamp === sw.since);
  if (!entry) return { ok: false, shows: `${theirs}, without its entry in \`governance/state/log.yml\`` };
  return { ok: true, switch: sw };
}

export function planClosed(g: Governance, req: ClosedRequest, at: Date, teams?: TeamMembers): ClosedOutcome {
  const m = req.marker;
  const who = `@${m.by}`;
  const none: ClosedOutcome = { edits: [], commitMessage: "", comment: "" };
  if (!req.merged) {
    if (m.kind === "swap" || m.kind === "override") return { ...none, comment: `${who} #${req.number} was closed without merging: nothing changed, \`governance/oncall.yml\` is as it was and the on-call ${m.kind} is not in effect.` };
    const what = m.kind === "resume" ? `the kill-switch \`${m.scope}\` stays active` : m.kind === "activate" ? `the kill-switch \`${m.scope}\` was not activated` : `the rollout stays in ${g.state.phase ? phaseLabel(g, g.state.phase.phase) : "its phase"}`;
    return { ...none, comment: `${who} #${req.number} was closed without merging: nothing changed, ${what}.` };
  }
  const by = req.mergedBy ? ` by @${req.mergedBy}` : "";
  const phaseNow = g.state.phase?.phase;
  switch (m.kind) {
    case "resume": {
      const sw = m.scope ? g.state.killswitch?.switches[m.scope] : undefined;
      if (!m.scope || sw?.active) return unfinished(req, `the merged \`governance/state/killswitch.yml\` still shows \`${m.scope ?? "?"}\` active, so the kill-switch is **not** resumed and Charter notified nobody.`);
      const notifyRoles = g.authority?.kill_switch?.actions?.["resume"]?.notify ?? [];
      const notified = peopleFor(g, notifyRoles, at, { exclude: [m.by], teams });
      const notify = notifyRoles.length > 0 ? `\nNotified (${roleTitles(g, notifyRoles)}): ${mentions(notified)}.` : "";
      return { ...none, comment: `${who} the kill-switch \`${m.scope}\` is **resumed**: #${req.number} was merged${by}.${notify}` };
    }
    case "rollback": {
      if (m.to === undefined || phaseNow !== m.to) {
        return unfinished(req, `the merged \`governance/state/phase.yml\` shows ${phaseNow ?? "no phase"}, not ${m.to ?? "?"} as this rollback requested, so Charter marked no kill-switch \`rolled_back\` and informed nobody.`);
      }
      const t = req.rollbackType ? rollbackAuthority(g, req.rollbackType) : undefined;
      const inform = t?.ok ? peopleFor(g, t.inform, at, { exclude: [m.by], teams }) : [];
      const active = Object.entries(g.state.killswitch?.switches ?? {}).filter(([, s]) => s.active && !s.rolled_back).map(([s]) => s);
      const edits = active.length > 0 ? [editSwitches((switches) => Object.fromEntries(Object.entries(switches).map(([s, v]) => [s, v.active && !v.rolled_back ? { ...v, rolled_back: true } : v])))] : [];
      const informed = t?.ok && t.inform.length > 0 ? `\nInformed (${roleTitles(g, t.inform)}): ${mentions(inform)}.` : "";
      const marked = active.length > 0 ? ` Active kill-switches (${active.map((s) => `\`${s}\``).join(", ")}) are marked \`rolled_back\`.` : "";
      return {
        edits,
        commitMessage: `charter: mark kill-switches rolled back after #${req.number}`,
        comment: `${who} rolled back: the rollout is now in **${phaseLabel(g, m.to)}** (#${req.number} merged${by}).${marked}${informed}`,
      };
    }
    case "advance":
      if (m.to === undefined || phaseNow !== m.to) return unfinished(req, `the merged \`governance/state/phase.yml\` shows ${phaseNow ?? "no phase"}, not ${m.to ?? "?"} as this advance requested.`);
      return { ...none, comment: `${who} the rollout is now in **${phaseLabel(g, m.to)}** (was ${m.from ?? "?"}): #${req.number} was merged${by}.` };
    case "swap":
    case "override": {
      const found = mergedRequestOverrides(g.oncall, m);
      if (!found) return unfinished(req, `the merged \`governance/oncall.yml\` does not hold exactly the overrides this ${m.kind} asked for, so Charter confirmed nothing and notified nobody.`);
      const others = (m.people ?? []).filter((p) => !sameLogin(p, m.by));
      return {
        ...none,
        comment: `${who} the on-call ${m.kind} is **in effect**: #${req.number} was merged${by}. ${found.length} override${found.length === 1 ? "" : "s"} of \`governance/oncall.yml\` now decide who is paged${others.length > 0 ? ` (${mentions(others)})` : ""}; \`charter oncall --at <instant>\` shows it.`,
      };
    }
    case "activate": {
      const scope = m.scope;
      const found = scope ? activatedByRequest(g, m, scope) : { ok: false as const, shows: "no scope" };
      if (!scope || !found.ok) {
        return unfinished(req, `the merged \`governance/state/killswitch.yml\` does not show \`${scope ?? "?"}\` activated by this request (it shows ${found.ok ? "?" : found.shows}), so Charter wrote no follow-up and notified nobody.`);
      }
      const sw = found.switch;
      const a = sw.scenario ? activationAuthority(g, sw.scenario) : undefined;
      const withinNotify = a?.ok && a.notify.inAdvanceMs === undefined ? a.notify.roles : [];
      const notified = peopleFor(g, withinNotify, at, { exclude: [m.by], teams });
      const effective = req.mergedAt ?? at;
      // The activation took effect at the merge: its `since` becomes that instant. The approval is
      // what the merged file says; an approval given before activation (the sign-off on this pull
      // request) is dated to the merge. Nothing else changes.
      const edits = [
        editSwitches((switches) => {
          const current = switches[scope];
          if (!current?.active || current.since !== sw.since || current.link !== sw.link || !sameLogin(current.by, sw.by)) return switches;
          const approval = current.approval?.status === "approved" && current.approval.at === undefined ? { ...current.approval, at: iso(effective) } : current.approval;
          return { ...switches, [scope]: { ...current, since: iso(effective), ...(approval ? { approval } : {}) } };
        }),
      ];
      const notify = withinNotify.length > 0 ? `\nNotified (${roleTitles(g, withinNotify)}): ${mentions(notified)}.` : "";
      return {
        edits,
        commitMessage: `charter: kill-switch ${scope} active since #${req.number} merged`,
        comment: `${who} the kill-switch \`${scope}\` is **active** since ${iso(effective)}: #${req.number} was merged${by}.${notify}`,
      };
    }
  }
}
