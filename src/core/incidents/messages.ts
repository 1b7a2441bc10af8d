import { formatDuration } from "../duration.js";
import type { IncidentsFile } from "../model/incidents.js";
import { TEMPLATE_PLACEHOLDERS } from "../validate/checks/templates.js";
import { stepDueAt, stepKey, titleOf } from "./ladder.js";
import { blockUserText, inlineUserText } from "../text/untrusted.js";
import { encodeState, type MarkerSeal } from "./marker.js";
import { mentions, quietNames, type Responders } from "./people.js";
import { channelsPhrase, notificationsSection } from "../notify/status.js";
import { ackTimeoutAt } from "./due.js";
import { awaitingAcks, currentAck, isAcknowledged, isResolved, lastUpdate, liveAcks, type IncidentState, type UpdateStatus } from "./state.js";
import { fillTemplate, type TemplateValues } from "./template.js";
import { formatAt, formatClock, formatOffset } from "./time.js";

/** Separates the posted messages from the status section in the status comment. */
export const STATUS_SEPARATOR = "<!-- charter:status -->";

function common(state: IncidentState, url?: string): TemplateValues {
  return {
    severity: state.severity,
    title: inlineUserText(state.title, 200),
    issue: `#${state.issue}`,
    url: url ?? "",
    impact: inlineUserText(state.impact ?? state.title, 500),
    service: inlineUserText(state.service ?? "", 100),
    commander: state.commander ? `@${state.commander.login}` : "",
  };
}

function fill(template: string, values: TemplateValues): string {
  return fillTemplate(template, values, TEMPLATE_PLACEHOLDERS).trimEnd();
}

/** When the next status update is due after `from`, in words. */
function nextUpdate(state: IncidentState, from: number): string {
  return state.ladder.updatesEveryMs ? formatAt(from + state.ladder.updatesEveryMs, state.zone) : "";
}

/** D9 §7.3 "Incident Start", from the `start` template. The primary is mentioned (paged); the backup is named quietly. */
export function startMessage(inc: IncidentsFile, state: IncidentState, r: Responders, url?: string): string {
  const opened = Date.parse(state.openedAt);
  const backup = r.secondary ? quietNames(r.secondary.people) : "";
  return fill(inc.templates.start, {
    ...common(state, url),
    time: formatAt(opened, state.zone),
    status: "Investigating",
    oncall: r.primary ? mentions([...r.primary.people, ...r.primary.teams]) : "",
    secondary: backup,
    backup,
    next_update: nextUpdate(state, Date.parse(state.ladder.start)),
  });
}

/** D9 §7.3 "Incident Update", from the `update` template. */
export function updateMessage(inc: IncidentsFile, state: IncidentState, u: { at: Date; status: UpdateStatus; findings: string; nextSteps: string }, url?: string): string {
  return fill(inc.templates.update, {
    ...common(state, url),
    time: formatAt(u.at, state.zone),
    status: u.status.charAt(0).toUpperCase() + u.status.slice(1),
    findings: inlineUserText(u.findings, 2_000),
    next_steps: blockUserText(u.nextSteps, 2_000),
    next_update: u.status === "resolved" ? "" : nextUpdate(state, u.at.getTime()),
  });
}

/** D9 §7.3 "Incident Resolved", from the `resolved` template. */
export function resolvedMessage(inc: IncidentsFile, state: IncidentState, r: { at: Date; rootCause: string; resolution: string; followUp: string }, url?: string): string {
  return fill(inc.templates.resolved, {
    ...common(state, url),
    time: formatAt(r.at, state.zone),
    status: "Resolved",
    duration: formatDuration(r.at.getTime() - Date.parse(state.openedAt)),
    root_cause: inlineUserText(r.rootCause, 2_000),
    resolution: blockUserText(r.resolution, 2_000),
    follow_up: r.followUp,
  });
}

function stepState(state: IncidentState, index: number): string {
  const ladder = state.ladder;
  const page = state.pages.find((p) => p.key === stepKey(ladder.gen, index));
  const step = ladder.steps[index]!;
  if (page?.kind === "covered") return `✔️ already paged earlier in this incident`;
  if (page) {
    const how = page.kind === "escalate" ? ` early by \`/escalate\` (${page.by ?? "?"})` : page.late === "late" ? " late" : page.late === "replanned" ? " after the severity change" : page.late === "lapsed" ? " after the acknowledgement lapsed" : "";
    const acks = page.ackAll ? ` (${page.people.map((l) => `${liveAcks(state).some((a) => a.by.toLowerCase() === l.toLowerCase()) ? "✔" : "⏳"} \`${l}\``).join(", ")})` : "";
    const at = formatClock(Date.parse(page.at), state.zone);
    return `✅ paged ${quietNames(page.people)} at ${at}${how} ${channelsPhrase(state.notify, page.key, state.zone, at)}${acks}`;
  }
  if (isResolved(state)) return "— resolved first";
  if (step.until === "acknowledged" && isAcknowledged(state, index)) return `⏭️ not needed: acknowledged`;
  return `⏳ due ${formatClock(stepDueAt(ladder, index), state.zone)}${step.until === "resolved" ? " unless resolved" : " unless acknowledged"}`;
}

/** The living status section of the status comment: a pure function of the state. */
export function statusSection(state: IncidentState): string {
  const ladder = state.ladder;
  const start = Date.parse(ladder.start);
  const ack = currentAck(state);
  const lines: string[] = [];
  let status: string;
  if (state.resolution) status = `🟢 resolved ${formatAt(Date.parse(state.resolution.at), state.zone)} by \`${state.resolution.by}\``;
  else if (ack) {
    const others = liveAcks(state).filter((a) => a !== ack).map((a) => `\`${a.by}\` ${formatClock(Date.parse(a.at), state.zone)}`);
    const owed = awaitingAcks(state);
    const timeout = ackTimeoutAt(state);
    status = `${owed.length ? "🟡" : "🟠"} acknowledged by \`${ack.by}\` at ${formatClock(Date.parse(ack.at), state.zone)} (${formatOffset(Date.parse(ack.at) - start)})${others.length ? `, then ${others.join(", ")}` : ""}${owed.length ? `; waiting for \`/ack\` from ${quietNames(owed)}` : ""}${timeout ? `; lapses ${formatClock(timeout.dueAt, state.zone)} without \`/update\`` : ""}`;
  } else status = `🔴 open, not acknowledged${state.acks.some((a) => a.episode === state.episode && a.lapsed) ? " (the acknowledgement lapsed)" : ""}`;
  lines.push(`**Status:** ${status}`);
  const facts = [`**Severity:** ${state.severity}`, `**Commander:** ${state.commander ? `\`${state.commander.login}\`` : "—"}`, `**Opened:** ${formatAt(Date.parse(state.openedAt), state.zone)}`];
  lines.push(facts.join(" · "));
  if (!state.resolution && ladder.updatesEveryMs) {
    const u = lastUpdate(state);
    const base = u ? Date.parse(u.at) : start;
    lines.push(`**Last update:** ${u ? `${u.status}, ${formatClock(Date.parse(u.at), state.zone)} by \`${u.by}\`` : "none yet"} · **Next update due:** ${formatClock(base + ladder.updatesEveryMs, state.zone)}`);
  }
  if (state.severityChanges.length > 0) {
    lines.push(`**Severity changes:** ${state.severityChanges.map((c) => `${c.from} → ${c.to} (${formatClock(Date.parse(c.at), state.zone)}, \`${c.by}\`)`).join(", ")}`);
  }
  if (state.resolution?.review) {
    const r = state.resolution.review;
    lines.push(`**Post-incident review:** ${r.number ? `#${r.number}` : "to be opened"}, due ${r.due.slice(0, 10)}${r.assignees.length ? `, ${quietNames(r.assignees)}` : ""}`);
  }
  lines.push("");
  lines.push(`<details${state.resolution ? "" : " open"}><summary>Escalation ladder in force (${ladder.severity}, recorded ${formatClock(Date.parse(ladder.recordedAt), state.zone)}; times count from ${formatClock(start, state.zone)})</summary>`, "");
  if (ladder.steps.length === 0) lines.push("No escalation steps.");
  else {
    lines.push("| Step | When | Page | Note | State |", "|---|---|---|---|---|");
    ladder.steps.forEach((s, i) => {
      lines.push(`| ${i + 1} | ${formatOffset(s.afterMs)} (${formatClock(start + s.afterMs, state.zone)}) | ${s.notify.map((t) => titleOf(ladder, t)).join(", ")} | ${s.note ?? ""} | ${stepState(state, i)} |`);
    });
  }
  if (ladder.repeat) {
    lines.push("", `Then the last step repeats every ${ladder.repeat.every}${ladder.repeat.max ? ` (at most ${ladder.repeat.max} times)` : ""} until ${ladder.repeat.until}${state.repeated?.gen === ladder.gen ? `; ${state.repeated.k} sent` : ""}.`);
  }
  lines.push("", "</details>", "");
  const notifications = notificationsSection(state);
  if (notifications.length) lines.push(...notifications, "");
  lines.push(
    "Commands (as comments): `/ack` · `/update <status> <what you know>` · `/escalate [reason]` · `/severity <level> [reason]` · `/commander @login` · `/page <role> [message]` · `/resolve <root cause>` · `/reopen` · `/oncall` · `/help`",
  );
  return lines.join("\n");
}

/** The whole status comment: the messages posted at opening, the status section, the sealed state marker. */
export function statusCommentBody(state: IncidentState, sealing: MarkerSeal): string {
  return `${state.intro}\n\n${STATUS_SEPARATOR}\n\n---\n\n${statusSection(state)}\n\n${encodeState(state, sealing)}`;
}
