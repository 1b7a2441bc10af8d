import { formatDuration } from "../duration.js";
import { titleOf } from "./ladder.js";
import { blockUserText, inlineUserText } from "../text/untrusted.js";
import { quietNames } from "./people.js";
import type { IncidentState } from "./state.js";
import { formatAt, formatClock, formatDate, formatOffset } from "./time.js";

/** One thing that happened during an incident. */
export interface TimelineEvent {
  at: number;
  text: string;
}

function pageText(state: IncidentState, p: IncidentState["pages"][number]): string | undefined {
  const who = quietNames(p.people);
  const what = p.targets.map((t) => titleOf(state.ladder, t)).join(", ");
  switch (p.kind) {
    case "covered":
      return undefined;
    case "step":
      return `Paged ${what} (${who})${p.note ? `: ${p.note}` : ""}${p.late === "late" ? " (late: Charter was not running)" : p.late === "replanned" ? " (after the severity change)" : ""}`;
    case "escalate":
      return `Escalated by ${p.by ?? "?"}: paged ${what} (${who})`;
    case "repeat":
      return `Paged ${what} again (${who})`;
    case "routing":
      return `Paged ${what} (${who}) for the service named in the report`;
    case "page":
      return `${p.by ?? "?"} paged ${what} (${who})${p.note ? `: ${p.note}` : ""}`;
  }
}

/** Everything recorded in the state, oldest first. */
export function timelineEvents(state: IncidentState): TimelineEvent[] {
  const ev: TimelineEvent[] = [{ at: Date.parse(state.openedAt), text: `Opened by ${state.openedBy} as ${state.severityChanges[0]?.from ?? state.severity}` }];
  for (const p of state.pages) {
    const text = pageText(state, p);
    if (text) ev.push({ at: Date.parse(p.at), text });
  }
  for (const a of state.acks) ev.push({ at: Date.parse(a.at), text: `Acknowledged by ${a.by}` });
  for (const u of state.updates) ev.push({ at: Date.parse(u.at), text: `Update (${u.status}) by ${u.by}: ${u.text}` });
  for (const c of state.severityChanges) ev.push({ at: Date.parse(c.at), text: `Severity ${c.from} → ${c.to} by ${c.by}${c.reason ? `: ${c.reason}` : ""}` });
  if (state.commander) ev.push({ at: Date.parse(state.commander.at), text: `${state.commander.login} named incident commander by ${state.commander.by}` });
  for (const h of state.history) {
    ev.push({ at: Date.parse(h.at), text: `Resolved by ${h.by}${h.rootCause ? `: ${h.rootCause}` : ""}` });
    ev.push({ at: Date.parse(h.reopenedAt), text: `Reopened by ${h.reopenedBy}` });
  }
  if (state.resolution) ev.push({ at: Date.parse(state.resolution.at), text: `Resolved by ${state.resolution.by}${state.resolution.rootCause ? `: ${state.resolution.rootCause}` : " (closed without a root cause)"}` });
  return ev.map((e, i) => ({ ...e, i })).sort((a, b) => a.at - b.at || a.i - b.i).map(({ at, text }) => ({ at, text }));
}

/** Text Mermaid can carry inside a timeline event: no separators, no markup, one line. */
function mermaidText(text: string): string {
  return text
    .replace(/[`"]/g, "")
    .replace(/[:;#<>{}[\]\\]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 120);
}

/** The incident as a Mermaid `timeline` diagram (GitHub renders ```mermaid blocks). Periods are time since opening. */
export function mermaidTimeline(state: IncidentState, events = timelineEvents(state)): string {
  const opened = Date.parse(state.openedAt);
  const lines = ["```mermaid", "timeline", `    title Incident ${state.issue} - ${mermaidText(state.severity)} - ${mermaidText(state.title)}`];
  let period: string | undefined;
  for (const e of events) {
    const label = formatOffset(e.at - opened);
    if (label !== period) {
      lines.push(`    ${label} : ${mermaidText(e.text)}`);
      period = label;
    } else lines.push(`         : ${mermaidText(e.text)}`);
  }
  lines.push("```");
  return lines.join("\n");
}

/** The incident as a Markdown list: elapsed time, local time, what happened. */
export function timelineList(state: IncidentState, events = timelineEvents(state)): string {
  const opened = Date.parse(state.openedAt);
  return events.map((e) => `- **${formatOffset(e.at - opened)}** (${formatClock(e.at, state.zone)}): ${e.text}`).join("\n");
}

/** The post-incident review issue: title and body (timeline as a list and as a diagram). */
export function reviewIssue(state: IncidentState, review: { due: Date; ownerTitle?: string; assignees: string[] }, url?: string): { title: string; body: string } {
  const r = state.resolution;
  const duration = r ? formatDuration(Date.parse(r.at) - Date.parse(state.openedAt)) : "?";
  const title = `Post-incident review: #${state.issue} ${state.title} (${state.severity}), due ${formatDate(review.due, state.zone)}`.slice(0, 250);
  const body = [
    `Blameless post-incident review of #${state.issue} (${inlineUserText(state.title, 200)})${url ? `, ${url}` : ""}.`,
    "",
    `- **Severity:** ${state.severity}`,
    `- **Opened:** ${formatAt(Date.parse(state.openedAt), state.zone)}`,
    `- **Resolved:** ${r ? formatAt(Date.parse(r.at), state.zone) : "?"} (duration ${duration})`,
    `- **Root cause (as given at resolution):** ${inlineUserText(r?.rootCause ?? "not given", 2_000)}`,
    `- **Owner:** ${review.ownerTitle ?? "—"}${review.assignees.length ? ` (${quietNames(review.assignees)})` : ""}`,
    `- **Due:** ${formatAt(review.due, state.zone)}`,
    "",
    "## Timeline",
    "",
    blockUserText(timelineList(state), 40_000),
    "",
    mermaidTimeline(state),
    "",
    "## Review",
    "",
    "- [ ] What happened, and what was the impact?",
    "- [ ] Root cause and contributing factors",
    "- [ ] What went well, what did not (detection, paging, response)",
    "- [ ] Action items, each with an owner and an issue",
    "",
    `<!-- charter:review {"incident":${state.issue},"episode":${state.episode}} -->`,
  ].join("\n");
  return { title, body };
}
