import type { Governance } from "../model/governance.js";
import type { Channel, ChannelKind, EventPattern, NotifyEvent, NotifyFile } from "../model/notify.js";
import { areaKey } from "../incidents/form.js";
import { roleTitle } from "../roles/resolve.js";
import { inlineUserText } from "../text/untrusted.js";

/** What a message is about, as far as routing cares. */
export interface NotifySubject {
  event: NotifyEvent;
  /** The incident's severity (incident events). */
  severity?: string;
  /** The service or area the incident names (its form's "Service or area"). */
  service?: string;
  /** Roles or tiers the message is addressed to (a page: the ladder step's targets). */
  targets?: readonly string[];
}

/** One channel a message goes to, and why. */
export interface Destination {
  channel: string;
  kind: ChannelKind;
  /** How people call it: `#ingestion-rollout`, `PagerDuty (on-call secondary)`. */
  title: string;
  /** Why it goes there, in words: `route 1 (§7.1 …)`, `primary contact of On-Call Secondary`. */
  why: string[];
  /** Backup contacts: used when this channel cannot be reached (every attempt failed). */
  backup?: string[];
}

/** A channel a route names that does not take this message, and why. */
export interface Skipped {
  channel: string;
  title: string;
  why: string;
}

/** PagerDuty takes these as triggers; acknowledgement and resolution follow the incident by themselves. */
export const TRIGGER_EVENTS: ReadonlySet<NotifyEvent> = new Set(["incident.start", "incident.page", "killswitch.activated", "approval.needed", "ga.declared", "handoff"]);

/** Messages that page people: a role's PagerDuty contact takes only these. */
export const PAGE_EVENTS: ReadonlySet<NotifyEvent> = new Set(["incident.start", "incident.page"]);

export function matchesEvent(pattern: EventPattern, event: NotifyEvent): boolean {
  if (pattern === "incident.*") return event.startsWith("incident.");
  if (pattern === "killswitch.*") return event.startsWith("killswitch.");
  if (pattern === "deployment.*") return event.startsWith("deployment.");
  return pattern === event;
}

export function channelTitle(id: string, ch: Channel | undefined): string {
  return ch?.title ?? id;
}

const KIND_WORDS: Record<ChannelKind, string> = { slack: "Slack", teams: "Teams", email: "email", webhook: "webhook", pagerduty: "PagerDuty" };

/** `Slack #ingestion-rollout`, `PagerDuty (on-call secondary)`, `email the GA announcement list`: a channel as the status comment names it. */
export function channelLabel(kind: ChannelKind, title: string): string {
  const word = KIND_WORDS[kind];
  const shown = inlineUserText(title, 100);
  return shown.toLowerCase().includes(word.toLowerCase()) ? shown : `${word} ${shown}`;
}

/**
 * Where a message goes besides GitHub, from notify.yml: every route whose events, severities,
 * services and roles match, and for a message addressed to roles (a page), each role's primary
 * contact, with its backup kept for when the primary cannot be reached. A channel named twice is
 * sent to once. PagerDuty channels take only triggers (`incident.start`, `incident.page`, …): an
 * incident's alert is acknowledged and resolved by `/ack` and `/resolve` by itself.
 */
export function routeMessage(g: Governance, subject: NotifySubject): { destinations: Destination[]; skipped: Skipped[] } {
  const n: NotifyFile | undefined = g.notify;
  const destinations: Destination[] = [];
  const skipped: Skipped[] = [];
  if (!n) return { destinations, skipped };
  const add = (id: string, why: string, backup?: readonly string[]) => {
    const ch = n.channels[id];
    if (!ch) return;
    const title = channelTitle(id, ch);
    if (ch.kind === "pagerduty" && !TRIGGER_EVENTS.has(subject.event)) {
      if (!skipped.some((s) => s.channel === id)) {
        skipped.push({
          channel: id,
          title,
          why:
            subject.event === "incident.acknowledged" || subject.event === "incident.resolved"
              ? `PagerDuty: the incident's alert is ${subject.event === "incident.resolved" ? "resolved" : "acknowledged"} there by itself`
              : "PagerDuty takes only alerts (triggers), not this kind of message",
        });
      }
      return;
    }
    const existing = destinations.find((d) => d.channel === id);
    if (existing) {
      existing.why.push(why);
      if (backup?.length) existing.backup = [...new Set([...(existing.backup ?? []), ...backup])];
      return;
    }
    destinations.push({ channel: id, kind: ch.kind, title, why: [why], ...(backup?.length ? { backup: [...backup] } : {}) });
  };
  const area = subject.service ? areaKey(subject.service) : undefined;
  (n.routes ?? []).forEach((r, i) => {
    if (!r.events.some((e) => matchesEvent(e, subject.event))) return;
    if (r.severities && (!subject.severity || !r.severities.includes(subject.severity))) return;
    if (r.services && (!area || !r.services.includes(area))) return;
    if (r.roles && !(subject.targets ?? []).some((t) => r.roles!.includes(t))) return;
    for (const id of r.to) add(id, `route ${i + 1}${r.note ? ` (${r.note})` : ""}`);
  });
  // A role's contacts are how to reach it (D9 §4.4). A PagerDuty contact opens an alert, which is for
  // pages only: a handoff or a reminder to a role does not page anyone's phone.
  const paging = PAGE_EVENTS.has(subject.event);
  const reachable = (id: string) => paging || n.channels[id]?.kind !== "pagerduty";
  for (const target of subject.targets ?? []) {
    const c = n.contacts?.[target];
    if (!c) continue;
    const backup = c.backup?.filter(reachable);
    for (const id of c.primary) {
      if (reachable(id)) add(id, `primary contact of ${roleTitle(g, target)}`, backup);
      else if (n.channels[id] && !skipped.some((s) => s.channel === id)) skipped.push({ channel: id, title: channelTitle(id, n.channels[id]), why: "PagerDuty contacts take pages only, not this message" });
    }
  }
  return { destinations, skipped };
}
