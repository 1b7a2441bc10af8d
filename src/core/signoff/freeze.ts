/**
 * Freeze: a gate with `freeze: true` fails while an incident of a freezing severity is open
 * (incidents.yml `freeze: true`) or any kill-switch on the default branch is active.
 */
import type { Governance } from "../model/governance.js";
import type { IncidentFact } from "./facts.js";

export type FreezeBlocker =
  | { kind: "incident"; number: number; title: string; url: string; severity: string }
  | { kind: "kill-switch"; scope: string; since?: string; by?: string; reason?: string; link?: string };

/** Severities that freeze gates, with their labels. */
export function freezingSeverities(g: Governance): { name: string; label: string }[] {
  return Object.entries(g.incidents?.severities ?? {})
    .filter(([, s]) => s.freeze)
    .map(([name, s]) => ({ name, label: s.label }));
}

/** An open issue as listed by GitHub: number, title, link and label names. */
export interface OpenIssue {
  number: number;
  title: string;
  url: string;
  labels: string[];
}

/**
 * The open incidents that freeze gates. `issues` are open issues carrying the incident label; an
 * incident without a severity label has the default severity (incidents.yml `default_severity`).
 */
export function freezingIncidents(g: Governance, issues: readonly OpenIssue[]): IncidentFact[] {
  const severities = Object.entries(g.incidents?.severities ?? {});
  const out: IncidentFact[] = [];
  for (const issue of issues) {
    const labels = new Set(issue.labels.map((l) => l.toLowerCase()));
    const named = severities.filter(([, s]) => labels.has(s.label.toLowerCase()));
    const fallback = g.incidents?.default_severity;
    const candidates = named.length > 0 ? named : severities.filter(([name]) => name === fallback);
    const freezing = candidates.find(([, s]) => s.freeze);
    if (freezing) out.push({ number: issue.number, title: issue.title, url: issue.url, severity: freezing[0] });
  }
  return out.sort((a, b) => a.number - b.number);
}

/** What freezes gates right now: open freezing incidents, then active kill-switches. */
export function freezeBlockers(g: Governance, incidents: readonly IncidentFact[]): FreezeBlocker[] {
  const blockers: FreezeBlocker[] = incidents.map((i) => ({ kind: "incident", number: i.number, title: i.title, url: i.url, severity: i.severity }));
  for (const [scope, s] of Object.entries(g.state.killswitch?.switches ?? {})) {
    if (!s.active) continue;
    blockers.push({
      kind: "kill-switch",
      scope,
      ...(s.since ? { since: s.since } : {}),
      ...(s.by ? { by: s.by } : {}),
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.link ? { link: s.link } : {}),
    });
  }
  return blockers;
}
