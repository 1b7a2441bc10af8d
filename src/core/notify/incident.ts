import type { IncidentsFile } from "../model/incidents.js";
import type { Governance } from "../model/governance.js";
import { titleOf } from "../incidents/ladder.js";
import { resolvedMessage, startMessage, updateMessage } from "../incidents/messages.js";
import { responders } from "../incidents/people.js";
import { isAcknowledged, type IncidentState, type PageRecord } from "../incidents/state.js";
import { formatClock, formatDate, formatOffset } from "../incidents/time.js";
import { inlineUserText } from "../text/untrusted.js";
import type { NotifyMessage } from "./message.js";

/** What messages about an incident need besides its state. */
export interface IncidentNotifyContext {
  g: Governance;
  inc: IncidentsFile;
  /** `owner/name` */
  repo: string;
  /** The issue on GitHub. */
  url?: string;
}

/** The PagerDuty alert of an incident: one per incident (`charter:acme/ingestion#12`). */
export function incidentDedupKey(repo: string, issue: number): string {
  return `charter:${repo.toLowerCase()}#${issue}`;
}

/**
 * The PagerDuty alert a page triggers. Until an acknowledgement lapses, the incident's
 * (`charter:acme/ingestion#12`). A lapse (`ack_timeout`) opens a new one, keyed by the incident and
 * the lapse's page key (`charter:acme/ingestion#12/t1.0`), and the pages after it in the episode
 * (the lapse's re-page, the steps it brought back, the ladder's next ones) go to that one: the
 * earlier alert was acknowledged at the `/ack`, and PagerDuty appends a trigger with the key of an
 * open (triggered or acknowledged) alert to that alert's log, notifying nobody. Derived from the
 * record alone, so a redelivered webhook, a second sweep or a restart gets the same key.
 */
export function pageDedupKey(repo: string, state: Pick<IncidentState, "issue" | "pages">, page: Pick<PageRecord, "key" | "episode">): string {
  const base = incidentDedupKey(repo, state.issue);
  const upTo = state.pages.findIndex((p) => p.key === page.key && p.episode === page.episode);
  const earlier = upTo < 0 ? state.pages : state.pages.slice(0, upTo + 1);
  const lapse = earlier.filter((p) => p.kind === "lapse" && p.episode === page.episode).at(-1);
  return lapse ? `${base}/${lapse.key}` : base;
}

const plain = (text: string) => text.replace(/\*\*/g, "").replace(/`/g, "");

function head(state: IncidentState): string {
  return `${state.severity} incident #${state.issue}: ${inlineUserText(state.title, 200)}`;
}

function pageWhat(state: IncidentState, p: PageRecord): string {
  const ladder = state.ladder;
  const who = p.people.length ? p.people.join(", ") : "nobody (no holder now)";
  const roles = p.targets.map((t) => titleOf(ladder, t)).join(", ");
  const index = ladder.steps.findIndex((_, i) => p.key === `s${ladder.gen}.${i}`);
  const step = index >= 0 ? ladder.steps[index] : undefined;
  switch (p.kind) {
    case "step":
    case "escalate":
      return `${p.kind === "escalate" ? `escalated by ${p.by ?? "?"} to ` : ""}step ${index + 1} of ${ladder.steps.length} of the ${ladder.severity} ladder (${formatOffset(step?.afterMs ?? 0)}${step?.note ? `, ${inlineUserText(step.note, 100)}` : ""}) pages ${who} (${roles})`;
    case "repeat":
      return `the last step is paged again: ${who} (${roles})`;
    case "page":
      return `${p.by ?? "?"} pages ${who} (${roles})${p.note ? `: ${inlineUserText(p.note, 300)}` : ""}`;
    case "routing":
      return `pages ${who} (${roles}) for ${inlineUserText(state.service ?? "the service", 100)}`;
    case "lapse":
      return `the acknowledgement lapsed (no /update in ${ladder.ackTimeout ?? "time"}): ${who} paged again`;
    default:
      return `pages ${who}`;
  }
}

function pageMessage(ctx: IncidentNotifyContext, state: IncidentState, p: PageRecord): NotifyMessage {
  const acked = isAcknowledged(state);
  const title = `${head(state)}: ${pageWhat(state, p)}`;
  const lines = [
    `🔔 ${title}`,
    acked ? "Acknowledged; this page brings in more people." : `Not acknowledged (opened ${formatClock(Date.parse(state.openedAt), state.zone)}). Acknowledge with /ack on the issue.`,
    ...(ctx.url ? [ctx.url] : []),
  ];
  return {
    key: p.key,
    event: "incident.page",
    title,
    text: lines.join("\n"),
    at: p.at,
    ...common(ctx, state),
    targets: [...p.targets],
    people: [...p.people],
    alert: { dedupKey: pageDedupKey(ctx.repo, state, p), action: "trigger" },
  };
}

function common(ctx: IncidentNotifyContext, state: IncidentState): Pick<NotifyMessage, "url" | "severity" | "service" | "episode" | "incident"> {
  return {
    ...(ctx.url ? { url: ctx.url } : {}),
    severity: state.severity,
    ...(state.service ? { service: state.service } : {}),
    episode: state.episode,
    incident: {
      repository: ctx.repo,
      number: state.issue,
      title: inlineUserText(state.title, 200),
      severity: state.severity,
      ...(ctx.url ? { url: ctx.url } : {}),
      ...(state.service ? { service: inlineUserText(state.service, 100) } : {}),
    },
  };
}

/**
 * The messages for channels outside GitHub that a change of an incident's record brings, found by
 * comparing the record before and after (undefined before: the incident opened): the start (D9
 * §7.3 `start` template, also at a reopening), every new page (ladder steps, repeats, `/escalate`,
 * `/page`, routing, a lapsed acknowledgement), acknowledgements (and the alerts' acknowledgement
 * once the incident is acknowledged), `/update`s (`update` template) and the resolution (`resolved`
 * template, and the alerts' resolution). A page after a lapse triggers the lapse's own alert
 * ({@link pageDedupKey}); an acknowledgement or resolution names the incident's key, and the outbox
 * sends it to every alert each PagerDuty channel got a trigger for. Pure; nothing is sent here.
 */
export function incidentMessages(ctx: IncidentNotifyContext, before: IncidentState | undefined, after: IncidentState): NotifyMessage[] {
  const out: NotifyMessage[] = [];
  const dedupKey = incidentDedupKey(ctx.repo, after.issue);
  const opened = before === undefined;
  const reopened = before !== undefined && after.episode > before.episode;
  if (opened || reopened) {
    const r = responders(ctx.g, ctx.inc, after.severity, after.service, new Date(after.ladder.start));
    const start = startMessage(ctx.inc, after, r, ctx.url);
    const title = `${reopened ? "Reopened" : "Opened"}: ${head(after)}`;
    out.push({
      key: `i${after.episode}`,
      event: "incident.start",
      title,
      text: plain([...(reopened ? [`🔁 Reopened at ${formatClock(Date.parse(after.ladder.start), after.zone)}`] : []), start, ...(ctx.url ? [ctx.url] : [])].join("\n")),
      at: after.ladder.start,
      ...common(ctx, after),
      ...(r.primary ? { targets: [r.primary.target], people: [...r.primary.people] } : {}),
      alert: { dedupKey, action: "trigger" },
    });
  }
  const known = new Set((before?.pages ?? []).map((p) => p.key));
  for (const p of after.pages) {
    if (known.has(p.key) || p.kind === "covered" || p.episode !== after.episode) continue;
    out.push(pageMessage(ctx, after, p));
  }
  const beforeAcks = before?.acks.length ?? 0;
  after.acks.slice(beforeAcks).forEach((a, i) => {
    if (a.episode !== after.episode) return;
    const n = beforeAcks + i;
    const full = isAcknowledged(after) && !(before && isAcknowledged(before));
    const title = `${head(after)}: acknowledged by ${a.by}`;
    out.push({
      key: `a${after.episode}.${n}`,
      event: "incident.acknowledged",
      title,
      text: [`🟠 ${title} at ${formatClock(Date.parse(a.at), after.zone)}`, ...(ctx.url ? [ctx.url] : [])].join("\n"),
      at: a.at,
      ...common(ctx, after),
      people: [a.by],
      ...(full ? { alert: { dedupKey, action: "acknowledge" as const } } : {}),
    });
  });
  const beforeUpdates = before?.updates.length ?? 0;
  after.updates.slice(beforeUpdates).forEach((u) => {
    const text = updateMessage(ctx.inc, after, { at: new Date(u.at), status: u.status, findings: u.text, nextSteps: u.next ?? "" }, ctx.url);
    out.push({
      key: `u${Date.parse(u.at).toString(36)}`,
      event: "incident.update",
      title: `${head(after)}: update (${u.status}) by ${u.by}`,
      text: plain([text, ...(ctx.url ? [ctx.url] : [])].join("\n")),
      at: u.at,
      ...common(ctx, after),
    });
  });
  if (after.resolution && !before?.resolution) {
    const r = after.resolution;
    const review = r.review;
    const followUp = review ? `post-incident review${review.number ? ` #${review.number}` : ""}, due ${formatDate(Date.parse(review.due), after.zone)}` : `no post-incident review required for ${after.severity}`;
    const text = resolvedMessage(ctx.inc, after, { at: new Date(r.at), rootCause: r.rootCause ?? "not given (closed without `/resolve`)", resolution: r.resolution ?? "", followUp }, ctx.url);
    out.push({
      key: `x${after.episode}`,
      event: "incident.resolved",
      title: `${head(after)}: resolved by ${r.by}`,
      text: plain([text, ...(ctx.url ? [ctx.url] : [])].join("\n")),
      at: r.at,
      ...common(ctx, after),
      alert: { dedupKey, action: "resolve" },
    });
  }
  return out;
}
