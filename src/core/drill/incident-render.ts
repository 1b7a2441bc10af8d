/**
 * The words of `charter drill incident`: a table (text that is also Markdown), Markdown with a
 * Mermaid timeline, or JSON. Pure functions of the drill's result.
 */
import { formatDuration } from "../duration.js";
import { formatClock } from "../incidents/time.js";
import { OWNER } from "../model/incidents.js";
import type { Governance } from "../model/governance.js";
import type { NotifyEvent } from "../model/notify.js";
import type { NotifyMessage } from "../notify/message.js";
import { enqueue } from "../notify/outbox.js";
import { roleTitle } from "../roles/resolve.js";
import { alignedTable, cellIn, groupText, localText, offsetText, peopleText, utcText, type Style } from "./format.js";
import type { DrillEvent, IncidentDrill } from "./incident.js";
import { mermaidTimeline, type TimelinePeriod } from "./mermaid.js";

export interface IncidentReportOptions {
  /** How the governance directory is named, e.g. `governance`. */
  dir: string;
  /** Warning lines already located (`file:line:column: warning: …`), and the window they cover. */
  warnings: { lines: readonly string[]; window: string };
}

function assignedWhy(d: IncidentDrill, cell: (text: string) => string): string {
  switch (d.assigned.via) {
    case "routing":
      return `routing for \`${cell(d.service?.route ?? d.service?.name ?? "?")}\``;
    case "service":
      return `the on-call tier of service \`${cell(d.service?.name ?? "?")}\` (services.yml)`;
    case "severity":
      return `the \`assign\` of ${d.severity}`;
    case "ladder":
      return `the first target of the ${d.severity} ladder (no \`assign\`)`;
  }
}

function backupWhy(d: IncidentDrill): string {
  switch (d.backup?.via) {
    case "routing":
      return `the \`backup\` of routing \`${d.service?.route ?? "?"}\``;
    case "severity":
      return `the \`backup\` of ${d.severity}`;
    default:
      return `the first ladder target after the assigned one (${d.severity} declares no \`backup\`)`;
  }
}

function remindWords(g: Governance, d: IncidentDrill): string {
  const names = d.remind.map((r) => (r === OWNER ? "the owner" : roleTitle(g, r)));
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** The alert key of the drill's messages: one incident, so one key (a lapse is not drilled). */
const DRILL_ALERT = "charter:drill#0";

/**
 * Where the drill's messages would also go, from notify.yml, through what the app runs: the
 * messages of the drilled incident (the start, each page, the acknowledgement at `--ack` or after
 * the last page, an update, the resolution) are recorded in an outbox by the app's `enqueue`, so
 * routes, contacts and PagerDuty's alerts (acknowledged and resolved on every channel that got a
 * trigger before) are the app's, not a list kept here. Nothing when the files have no notify.yml.
 */
function outsideGitHub(g: Governance, d: IncidentDrill, cell: (text: string, max?: number) => string): string[] {
  if (!g.notify) return [];
  const base = { severity: d.severity, ...(d.service ? { service: d.service.name } : {}), episode: 1 };
  const message = (key: string, event: NotifyEvent, at: string, extra: Partial<NotifyMessage> = {}): NotifyMessage => ({ key, event, title: key, text: key, at, ...base, ...extra });
  const labels: { label: string; key: string }[] = [{ label: "the start", key: "i1" }];
  // the start names whoever is assigned, as the app's does (src/core/notify/incident.ts): their contacts get it too
  const messages: NotifyMessage[] = [message("i1", "incident.start", d.openedAt, { ...(d.assigned.target ? { targets: [d.assigned.target] } : {}), alert: { dedupKey: DRILL_ALERT, action: "trigger" } })];
  // in the order they happen (the acknowledgement reaches the alerts opened before it), said in a fixed order
  const acked = () => messages.some((m) => m.key === "a1");
  const ack = (at: string) => messages.push(message("a1", "incident.acknowledged", at, { alert: { dedupKey: DRILL_ALERT, action: "acknowledge" } }));
  const seen = new Set<string>();
  for (const e of d.events) {
    if (e.kind === "ack" && !acked()) ack(e.at);
    if (e.kind !== "step" && e.kind !== "repeat" && e.kind !== "routing") continue;
    const targets = e.groups.map((x) => x.target);
    const key = `s${messages.length}`;
    messages.push(message(key, "incident.page", e.at, { targets, alert: { dedupKey: DRILL_ALERT, action: "trigger" } }));
    if (seen.has(targets.join(","))) continue;
    seen.add(targets.join(","));
    labels.push({ label: `a page to ${e.groups.map((x) => x.title).join(", ") || "nobody"}`, key });
  }
  if (!acked()) ack(d.until);
  messages.push(message("u1", "incident.update", d.until), message("x1", "incident.resolved", d.until, { alert: { dedupKey: DRILL_ALERT, action: "resolve" } }));
  labels.push({ label: "an acknowledgement", key: "a1" }, { label: "an update", key: "u1" }, { label: "the resolution", key: "x1" });
  const { outbox } = enqueue(undefined, g, messages);
  const parts = labels.map(({ label, key }) => {
    const ds = outbox.deliveries.filter((x) => x.message === key || x.message.startsWith(`${key}/`));
    const sent = [...new Set(ds.filter((x) => x.action !== "acknowledge" && x.action !== "resolve").map((x) => x.title))];
    const alerts = [...new Set(ds.filter((x) => x.action === "acknowledge" || x.action === "resolve").map((x) => x.title))];
    const verb = key === "a1" ? "acknowledges" : "resolves";
    const words = [...(sent.length ? [sent.join(", ")] : []), ...(alerts.length ? [`${verb} the incident's ${alerts.length === 1 ? "alert" : "alerts"} on ${alerts.join(", ")}`] : [])];
    return `${label} → ${words.length ? words.join(", and ") : "GitHub only"}`;
  });
  return [`- Outside GitHub (notify.yml): ${cell(parts.join("; "), 2_000)}.`];
}

/** The "Who" cell of an event. */
function whoText(e: DrillEvent): string {
  if (e.kind === "handoff") return "";
  if (e.groups.length > 0) return e.groups.map(groupText).join(", ");
  return peopleText([...e.people, ...e.teams]);
}

function summaryLines(g: Governance, d: IncidentDrill, dir: string, style: Style): string[] {
  const cell = (text: string, max?: number) => cellIn(style, text, max);
  const opened = `${localText(d.openedAt, d.zone)} (${utcText(d.openedAt)})`;
  const length = formatDuration(Date.parse(d.until) - Date.parse(d.openedAt));
  const ack = d.ack ? (d.ack.by ? `acknowledged at ${offsetText(Date.parse(d.ack.at) - Date.parse(d.openedAt))} by ${d.ack.by}` : `nobody owns it, so nobody acknowledges at ${offsetText(Date.parse(d.ack.at) - Date.parse(d.openedAt))}`) : "never acknowledged";
  const service = d.service ? `, naming the service or area \`${cell(d.service.name, 100)}\`${d.service.route || d.service.serviceTier ? "" : " (no route or service for it: assigned as usual)"}` : "";
  const lines = [
    `Drill: a ${d.severity} incident${d.title ? ` (${cell(d.title, 100)})` : ""}${service}, opened ${opened}, ${ack}, followed for ${length}.`,
    `Nothing is sent or written anywhere: this is what Charter would do with ${dir}/ as it is.`,
    "",
    `- Assigned: ${cell(groupText(d.assigned))}, ${assignedWhy(d, cell)}.`,
    d.backup
      ? `- Backup named in the start message: ${cell(groupText(d.backup))}, ${backupWhy(d)}.`
      : `- Backup named in the start message: none (the ladder has no other target and ${d.severity} declares no \`backup\`).`,
    `- Owner: ${peopleText(d.owner)}. The acknowledgement notice goes to the owner; status-update reminders to ${cell(remindWords(g, d))} (\`remind: [${d.remind.join(", ")}]\`)${d.remind.includes(OWNER) ? "; the owner is the commander, else whoever acknowledged, else whoever was assigned" : ""}.`,
  ];
  lines.push(...outsideGitHub(g, d, cell));
  for (const c of d.covering) {
    const until = `${localText(c.until, d.zone)}`;
    const by = c.by.length > 0 ? `${peopleText(c.by)} covers (${c.via === "backup" ? "the layer's backup list" : c.via === "earlier-layer" ? "an earlier layer" : "next in turn"})` : "nobody is available to cover";
    lines.push(`- Unavailable: ${c.rostered} on ${c.tier} (${cell(c.reason, 100)}, from ${localText(c.from, d.zone)} to ${until}): ${by}.`);
  }
  return lines;
}

function eventTable(d: IncidentDrill, style: Style): string {
  const cell = (text: string, max?: number) => cellIn(style, text, max);
  const rows = d.events.map((e) => [offsetText(e.offsetMs), localText(e.at, d.zone), utcText(e.at), cell(e.what), cell(whoText(e), 1_000)]);
  return alignedTable(["When", d.zone, "UTC", "What", "Who"], rows);
}

/** A fence longer than any run of backticks in `text`, so the text cannot close it. */
function fenceFor(text: string): string {
  let longest = 0;
  let run = 0;
  for (const ch of text) {
    run = ch === "`" ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return "`".repeat(Math.max(3, longest + 1));
}

function startMessageBlock(d: IncidentDrill): string[] {
  const fence = fenceFor(d.startMessage);
  return [`${fence}text`, d.startMessage, fence];
}

function warningLines(options: IncidentReportOptions): string[] {
  if (options.warnings.lines.length === 0) return [`Warnings (${options.warnings.window}): none.`];
  return [`Warnings (${options.warnings.window}):`, "", ...options.warnings.lines.map((l) => `- ${l}`)];
}

/** The table, as text that is also Markdown. */
export function incidentDrillText(g: Governance, d: IncidentDrill, options: IncidentReportOptions): string {
  return [
    ...summaryLines(g, d, options.dir, "text"),
    "",
    eventTable(d, "text"),
    "",
    "The status comment would begin (the primary is @-mentioned, the backup only named):",
    "",
    ...startMessageBlock(d),
    "",
    ...warningLines(options),
  ].join("\n");
}

/** Periods of the Mermaid timeline: one per instant, its events in order. */
export function timelinePeriods(d: IncidentDrill): TimelinePeriod[] {
  const periods: TimelinePeriod[] = [];
  for (const e of d.events) {
    const period = `${offsetText(e.offsetMs)} ${formatClock(Date.parse(e.at), d.zone)}`;
    const who = whoText(e);
    const text = who ? `${e.what}: ${who}` : e.what;
    const last = periods.at(-1);
    if (last && last.period === period) last.events.push(text);
    else periods.push({ period, events: [text] });
  }
  return periods;
}

/** Markdown: the summary, the table, a Mermaid timeline, the start message. */
export function incidentDrillMarkdown(g: Governance, d: IncidentDrill, options: IncidentReportOptions): string {
  const [first, ...rest] = summaryLines(g, d, options.dir, "markdown");
  const title = `${d.severity} drill, opened ${localText(d.openedAt, d.zone)}`;
  return [
    `# Drill: ${d.severity} incident${d.title ? ` (${cellIn("markdown", d.title, 100)})` : ""}`,
    "",
    first!,
    ...rest,
    "",
    eventTable(d, "markdown"),
    "",
    "```mermaid",
    mermaidTimeline(title, timelinePeriods(d)),
    "```",
    "",
    "The status comment would begin:",
    "",
    ...startMessageBlock(d),
    "",
    ...warningLines(options),
  ].join("\n");
}

/** JSON: the drill's result as data, with times in the team's zone too. */
export function incidentDrillJson(d: IncidentDrill, warnings: readonly unknown[]): string {
  return JSON.stringify(
    {
      ...d,
      events: d.events.map((e) => ({ ...e, local: localText(e.at, d.zone), offset: offsetText(e.offsetMs) })),
      warnings,
    },
    null,
    2,
  );
}
