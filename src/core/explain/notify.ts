import { durationMs } from "../duration.js";
import type { Governance } from "../model/governance.js";
import { NOTIFY_EVENTS, type NotifyEvent } from "../model/notify.js";
import { channelLabel, routeMessage, type Destination, type NotifySubject, type Skipped } from "../notify/route.js";
import { GUARANTEE } from "../notify/outbox.js";
import { closest } from "../validate/suggest.js";
import { findSeverity } from "./severity.js";
import { asOf, done, offset, table, unknown, usage, whoList, type ExplainResult } from "./format.js";

/**
 * `charter explain notify …`: where each message would go besides GitHub, from notify.yml (routes
 * by event, severity, service and role; each role's contacts, primary then backup). The drill and
 * other callers use {@link notifyPlan}; this turns it into words.
 */

/** Where one message goes besides GitHub: the channels, and the ones a route names that do not take it. */
export function notifyPlan(g: Governance, subject: NotifySubject): { destinations: Destination[]; skipped: Skipped[] } {
  return routeMessage(g, subject);
}

const EVENT_WORDS: Record<NotifyEvent, string> = {
  "incident.start": "incident start",
  "incident.page": "page",
  "incident.acknowledged": "acknowledgement",
  "incident.update": "status update",
  "incident.resolved": "resolution",
  "ga.declared": "GA declared",
  "killswitch.activated": "kill-switch activated",
  "killswitch.approved": "kill-switch approved",
  "killswitch.resumed": "kill-switch resumed",
  "approval.needed": "approval needed",
  handoff: "on-call handoff",
  "deployment.go": "deployment go/no-go",
  "deployment.update": "deployment status update",
  "deployment.reminder": "missed deployment status update",
  "deployment.issue": "deployment issue",
  "deployment.resolved": "deployment issue resolved",
  "deployment.all-clear": "deployment all-clear",
};

function label(g: Governance, id: string): string {
  const ch = g.notify?.channels[id];
  return ch ? `${channelLabel(ch.kind, ch.title ?? id)} (\`${id}\`)` : `\`${id}\``;
}

/** The channels a plan names, and why; `alerts`: PagerDuty channels whose alert this message acknowledges or resolves. */
function where(g: Governance, plan: { destinations: Destination[]; skipped: Skipped[] }, alerts?: { channels: readonly string[]; verb: string }): [string, string] {
  const channels = plan.destinations.map((d) => `${label(g, d.channel)}${d.backup?.length ? `, else ${d.backup.map((b) => label(g, b)).join(", ")}` : ""}`);
  const why = [...new Set(plan.destinations.flatMap((d) => d.why))];
  const pd = [...new Set([...(alerts?.channels ?? []), ...plan.skipped.filter((s) => /by itself/.test(s.why)).map((s) => s.channel)])];
  if (alerts && pd.length > 0) {
    channels.push(`${alerts.verb} the PagerDuty alert on ${pd.map((c) => `\`${c}\``).join(", ")}`);
    why.push(`the incident's alert follows it (dedup key per incident)`);
  }
  return [channels.length ? channels.join("; ") : "GitHub only", why.join("; ") || "no route or contact names it"];
}

/** PagerDuty channels that would get a trigger from these plans. */
function triggered(g: Governance, plans: readonly { destinations: Destination[] }[]): string[] {
  const all = plans.flatMap((p) => p.destinations.flatMap((d) => [d.channel, ...(d.backup ?? [])]));
  return [...new Set(all.filter((id) => g.notify?.channels[id]?.kind === "pagerduty"))];
}

function secrets(g: Governance, ids: readonly string[]): string[] {
  const out: string[] = [];
  for (const id of [...new Set(ids)]) {
    const ch = g.notify?.channels[id];
    if (!ch) continue;
    const vars = [ch.url, ch.secret, ch.routing_key, ch.smtp].filter((x): x is { env: string } => x !== undefined).map((x) => x.env);
    out.push(`- ${label(g, id)}: ${ch.kind}, ${GUARANTEE[ch.kind] === "at-least-once" ? "at least once (a repeat is dropped by the receiver)" : "at most once (not sent again after a crash)"}; reads ${vars.map((v) => `\`${v}\``).join(", ")}`);
  }
  return out;
}

function usedChannels(rows: { destinations: Destination[]; skipped: Skipped[] }[]): string[] {
  return rows.flatMap((r) => [...r.destinations.flatMap((d) => [d.channel, ...(d.backup ?? [])]), ...r.skipped.filter((s) => /by itself/.test(s.why)).map((s) => s.channel)]);
}

/** `explain notify P1`: every message of a P1 incident, in order, and where it goes. */
function explainSeverityNotify(g: Governance, name: string, when: Date, service?: string): ExplainResult {
  const names = Object.keys(g.incidents?.severities ?? {});
  const found = findSeverity(g, name);
  if (!found) return unknown(`unknown severity \`${name}\`${closest(name, names) ? `; did you mean \`${closest(name, names)}\`?` : ""} (incidents.yml: ${names.join(", ") || "none"})`);
  const [id, sev] = found;
  const base = { severity: id, ...(service ? { service } : {}) };
  const steps = [...sev.escalation].sort((a, b) => durationMs(a.after) - durationMs(b.after));
  const opening: { what: string; plan: { destinations: Destination[]; skipped: Skipped[] }; alerts?: { channels: readonly string[]; verb: string } }[] = [
    { what: "incident start", plan: notifyPlan(g, { event: "incident.start", ...base }) },
    ...steps.map((s) => ({ what: `${offset(durationMs(s.after))} page: ${whoList(g, s.notify, when)}${s.ack === "all" ? " (each acknowledges)" : ""}`, plan: notifyPlan(g, { event: "incident.page", ...base, targets: s.notify }) })),
    ...(sev.repeat ? [{ what: `repeat every ${sev.repeat.every}`, plan: notifyPlan(g, { event: "incident.page", ...base, targets: steps.at(-1)?.notify ?? [] }) }] : []),
  ];
  const alerts = triggered(g, opening.map((p) => p.plan));
  const plans = [
    ...opening,
    { what: "acknowledgement (`/ack`)", plan: notifyPlan(g, { event: "incident.acknowledged", ...base }), alerts: { channels: alerts, verb: "acknowledges" } },
    { what: "status update (`/update`)", plan: notifyPlan(g, { event: "incident.update", ...base }) },
    { what: "resolution (`/resolve`)", plan: notifyPlan(g, { event: "incident.resolved", ...base }), alerts: { channels: alerts, verb: "resolves" } },
  ];
  const lines = [
    `# Where a ${id} incident's messages go${service ? ` (service \`${service}\`)` : ""}`,
    "",
    "GitHub always: the incident's comments page people by @-mention and assign them. Besides GitHub, from notify.yml:",
    "",
    ...asOf(g, steps.flatMap((s) => s.notify), when),
    table(
      ["Message", "Also goes to", "Why"],
      plans.map((p) => [p.what, ...where(g, p.plan, p.alerts)]),
    ),
  ];
  if (sev.ack_timeout) lines.push("", `An acknowledgement lapses after ${sev.ack_timeout} without \`/update\`: whoever acknowledged is paged again (the same channels as their page), and the ladder goes on.`);
  const used = usedChannels(plans.map((p) => p.plan));
  if (used.length) lines.push("", "Channels (secrets are read from these environment variables where Charter runs):", "", ...secrets(g, used));
  if (!g.notify) lines.push("", "There is no governance/notify.yml: messages go to GitHub only.");
  return done(lines);
}

/** `explain notify event resolved`: one event, for each severity (incident events) or at once. */
function explainEventNotify(g: Governance, name: string): ExplainResult {
  const wanted = name.includes(".") || name === "handoff" ? name : `incident.${name}`;
  const event = NOTIFY_EVENTS.find((e) => e === wanted);
  if (!event) {
    const suggestion = closest(name, NOTIFY_EVENTS as readonly string[]) ?? closest(`incident.${name}`, NOTIFY_EVENTS as readonly string[]);
    return unknown(`unknown event \`${name}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ""} (one of: ${NOTIFY_EVENTS.join(", ")})`);
  }
  const lines = [`# Where "${EVENT_WORDS[event]}" (\`${event}\`) goes`, ""];
  const rows: { plan: { destinations: Destination[]; skipped: Skipped[] } }[] = [];
  if (event.startsWith("incident.")) {
    const severities = Object.keys(g.incidents?.severities ?? {});
    const tableRows = severities.map((s) => {
      const plan = notifyPlan(g, { event, severity: s });
      rows.push({ plan });
      return [s, ...where(g, plan)];
    });
    lines.push(table(["Severity", "Also goes to", "Why"], tableRows));
    if (event === "incident.page") lines.push("", "Pages also go to the contacts of the roles they page: `charter explain notify <severity>` shows each step.");
  } else {
    const plan = notifyPlan(g, { event });
    rows.push({ plan });
    const [channels, why] = where(g, plan);
    lines.push(`Besides GitHub: ${channels} (${why}).`);
  }
  const used = usedChannels(rows.map((r) => r.plan));
  if (used.length) lines.push("", "Channels:", "", ...secrets(g, used));
  return done(lines);
}

/** What raises each event that is not an incident's (the table of `explain notify events`). */
const RAISED_BY: Partial<Record<NotifyEvent, string>> = {
  "ga.declared": "an advance into the GA phase (state/log.yml `advance`)",
  "killswitch.activated": "`/killswitch activate` (state/log.yml `activate`)",
  "killswitch.approved": "`/killswitch approve` (state/log.yml `approve`)",
  "killswitch.resumed": "a resume (state/log.yml `resume`)",
  "approval.needed": "an activation awaiting approval; a resume, rollback or advance sign-off pull request",
  handoff: "each on-call handoff (oncall.yml `handoff_messages`)",
  "deployment.go": "`/go`, `/no-go` on a deployment",
  "deployment.update": "`/status` on a deployment",
  "deployment.reminder": "a missed deployment status update",
  "deployment.issue": "`/alert` on a deployment",
  "deployment.resolved": "`/resolved` on a deployment",
  "deployment.all-clear": "`/all-clear` on a deployment",
};

/** `charter explain notify events`: every event that is not an incident's, what raises it, where it goes. */
function explainAllEvents(g: Governance): ExplainResult {
  const rows: { plan: { destinations: Destination[]; skipped: Skipped[] } }[] = [];
  const tableRows = NOTIFY_EVENTS.filter((e) => !e.startsWith("incident.")).map((event) => {
    const plan = notifyPlan(g, { event });
    rows.push({ plan });
    return [`\`${event}\``, RAISED_BY[event] ?? "", ...where(g, plan)];
  });
  const lines = ["# Where Charter's messages other than incidents' go", "", "GitHub always (the comment on the issue or pull request). Besides GitHub, from notify.yml:", "", table(["Event", "Raised by", "Also goes to", "Why"], tableRows)];
  lines.push("", "Messages to roles (an approval needed, a deployment's reminder) also go to the roles' contacts; `charter explain notify <severity>` shows an incident's messages.");
  const used = usedChannels(rows.map((r) => r.plan));
  if (used.length) lines.push("", "Channels:", "", ...secrets(g, used));
  if (!g.notify) lines.push("", "There is no governance/notify.yml: messages go to GitHub only.");
  return done(lines);
}

/** `charter explain notify <severity> [--service <area>]`, `charter explain notify event <event>`, `charter explain notify events`. */
export function explainNotify(g: Governance, words: readonly string[], when: Date): ExplainResult {
  const [first, ...rest] = words;
  if (first === undefined) return usage(`what should I explain? \`notify <severity>\` (e.g. notify P1), \`notify event <event>\` (e.g. notify event resolved) or \`notify events\` (every event other than incidents')`);
  if (first === "events" && rest.length === 0) return explainAllEvents(g);
  if (first === "event") {
    if (rest.length !== 1) return usage(`which event? one of: ${NOTIFY_EVENTS.join(", ")}`);
    return explainEventNotify(g, rest[0]!);
  }
  const serviceAt = rest.indexOf("service");
  const service = serviceAt >= 0 ? rest[serviceAt + 1] : undefined;
  if ((serviceAt >= 0 && service === undefined) || (serviceAt < 0 && rest.length > 0)) return usage("give a severity, optionally `service <area>`: notify P1 service security");
  return explainSeverityNotify(g, first, when, service);
}
