/**
 * The events of the activation log (`governance/state/log.yml` on the default branch) that notify.yml
 * routes (D9 §7.1): `killswitch.activated`, `killswitch.approved`, `killswitch.resumed`,
 * `approval.needed` (an activation waiting for its approval; a resume, rollback or advance waiting
 * for its sign-off pull request) and `ga.declared` (an advance to the GA phase). Every writer of the
 * log (a command, a merged sign-off pull request, the sweep) is covered at once, because the
 * messages come from the entries themselves. Pure: entries in, messages out; the reason and
 * scenario (user text) go through the neutraliser.
 */
import { formatClock } from "../incidents/time.js";
import type { Governance } from "../model/governance.js";
import type { NotifyEvent } from "../model/notify.js";
import type { LogEntry } from "../model/state.js";
import { roleTitle } from "../roles/resolve.js";
import { inlineUserText } from "../text/untrusted.js";
import type { NotifyMessage } from "./message.js";

export interface LogEvent {
  entry: LogEntry;
  event: NotifyEvent;
  message: NotifyMessage;
  /** The issue or pull request the entry links to (where its record is kept), when it is this repository's. */
  issue?: number;
}

/** Whether `phase` is the GA phase: its title, or the title of the gate into it, is GA or General Availability. */
export function isGaPhase(g: Governance, phase: string | undefined): boolean {
  if (!phase) return false;
  const ga = (t: string | undefined) => t !== undefined && /^(?:ga|general availability)$/i.test(t.trim());
  const p = g.authority?.phases;
  return ga(p?.titles?.[phase]) || (p?.gates ?? []).some((x) => x.to === phase && ga(x.title));
}

/** The issue or pull request number of this repository that `link` points at (`…/owner/name/issues/7#…`). */
function issueOf(repo: string, link: string | undefined): number | undefined {
  if (!link) return undefined;
  const lower = link.slice(0, 500).toLowerCase();
  for (const kind of ["/issues/", "/pull/"]) {
    const marker = `/${repo.toLowerCase()}${kind}`;
    const at = lower.indexOf(marker);
    if (at < 0) continue;
    let n = "";
    for (const ch of lower.slice(at + marker.length, at + marker.length + 10)) {
      if (ch < "0" || ch > "9") break;
      n += ch;
    }
    if (n) return Number(n);
  }
  return undefined;
}

function scenarioTitle(g: Governance, id: string | undefined): string {
  if (!id) return "";
  return inlineUserText(g.authority?.kill_switch?.activation[id]?.title ?? id, 100);
}

/** The messages of one log entry (none for actions notify.yml has no event for). */
export function entryEvents(g: Governance, repo: string, entry: LogEntry, zone = "UTC"): LogEvent[] {
  const at = formatClock(Date.parse(entry.timestamp), zone);
  const who = inlineUserText(entry.actor, 60);
  const why = entry.reason ? `: ${inlineUserText(entry.reason, 300)}` : "";
  const scope = entry.scope ?? "";
  const url = entry.link && entry.link.startsWith("https://") ? entry.link : undefined;
  const issue = issueOf(repo, entry.link);
  const make = (event: NotifyEvent, title: string, lines: string[], extra: Partial<NotifyMessage> = {}): LogEvent => ({
    entry,
    event,
    issue,
    message: { key: `${event}:${entry.id}`, event, title: `${repo}: ${title}`, text: lines.filter((l) => l !== "").join("\n"), at: entry.timestamp, ...(url ? { url } : {}), ...extra },
  });
  const severity = entry.severity ? { severity: entry.severity } : {};
  switch (entry.action) {
    case "activate": {
      const out = [
        make("killswitch.activated", `kill-switch ${scope} activated by ${who}`, [`Kill-switch \`${scope}\` activated at ${at} by ${who}${entry.scenario ? ` (${scenarioTitle(g, entry.scenario)})` : ""}${why}.`, entry.severity ? `Severity: ${entry.severity}.` : "", entry.approval ? `Approval: ${inlineUserText(entry.approval, 200)}.` : ""], severity),
      ];
      if (entry.approval?.startsWith("pending")) {
        const roles = g.authority?.kill_switch?.activation[entry.scenario ?? ""]?.approval;
        const targets = roles && typeof roles === "object" ? roles.roles : [];
        out.push(make("approval.needed", `approval needed: kill-switch ${scope}`, [`The activation of \`${scope}\` by ${who} at ${at} needs approval: ${inlineUserText(entry.approval, 200)}.`, "Approve with `/killswitch approve` where it was activated."], { targets: [...targets], ...severity }));
      }
      return out;
    }
    case "approve":
      return [make("killswitch.approved", `kill-switch ${scope} approved by ${who}`, [`The activation of kill-switch \`${scope}\` was approved at ${at} by ${who}.`])];
    case "resume":
      return [make("killswitch.resumed", `kill-switch ${scope} resumed by ${who}`, [`Kill-switch \`${scope}\` resumed at ${at} by ${who}${why}.`])];
    case "resume-requested":
    case "rollback-requested":
    case "advance-requested": {
      const what = entry.action === "resume-requested" ? `resume of \`${scope}\`` : entry.action === "rollback-requested" ? `rollback to ${entry.to_phase ?? "?"}` : `advance to ${entry.to_phase ?? "?"}`;
      return [make("approval.needed", `approval needed: ${what.replaceAll("`", "")}`, [`${who} asked at ${at} for a ${what}${why}. It needs sign-off${entry.approval ? `: ${inlineUserText(entry.approval, 200)}` : ""}.`, "Review the sign-off pull request on GitHub."])];
    }
    case "advance":
      if (!isGaPhase(g, entry.to_phase)) return [];
      return [make("ga.declared", `GA declared (${entry.from_phase ?? "?"} → ${entry.to_phase})`, [`GA declared at ${at}: the rollout moved from ${entry.from_phase ?? "?"} to ${entry.to_phase}, signed off by ${who}${entry.verified?.length ? ` (${entry.verified.map((r) => roleTitle(g, r)).join(", ")})` : ""}.`])];
    default:
      return [];
  }
}

/** The events of entries logged within `lookbackMs` before `now` (older ones are history, not news). */
export function recentLogEvents(g: Governance, repo: string, now: Date, lookbackMs: number): LogEvent[] {
  const since = now.getTime() - lookbackMs;
  return (g.state.log?.entries ?? []).filter((e) => Date.parse(e.timestamp) >= since && Date.parse(e.timestamp) <= now.getTime() + 60_000).flatMap((e) => entryEvents(g, repo, e));
}
