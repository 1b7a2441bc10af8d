/** Incident records shaped exactly as Charter writes them (src/core/incidents/state.ts), built by hand for report tests. */
import type { IncidentState, PageRecord } from "../../src/core/incidents/state.js";

export interface IncidentSketch {
  issue: number;
  severity?: string;
  openedAt: string;
  /** Minutes to acknowledge (ack_within). */
  ackWithin?: number;
  acks?: { by: string; at: string; episode?: number; due?: string }[];
  pages?: { people: string[]; at: string; kind?: PageRecord["kind"]; episode?: number }[];
  resolvedAt?: string;
  severityChanges?: { from: string; to: string; at: string }[];
  /** Earlier episodes: resolved at, reopened at. */
  history?: { at: string; reopenedAt: string }[];
  ackNoticed?: number[];
  zone?: string;
}

export function incident(s: IncidentSketch): IncidentState {
  const severity = s.severity ?? "P1";
  const episode = (s.history?.length ?? 0) + 1;
  const start = s.history?.length ? s.history.at(-1)!.reopenedAt : s.openedAt;
  const ackWithin = (s.ackWithin ?? 15) * 60_000;
  return {
    v: 1,
    issue: s.issue,
    title: `Incident ${s.issue}`,
    severity,
    openedAt: s.openedAt,
    openedBy: "reporter",
    zone: s.zone ?? "Europe/Berlin",
    intro: "",
    episode,
    ladder: {
      gen: episode + (s.severityChanges?.length ?? 0),
      severity,
      start,
      recordedAt: start,
      steps: [{ after: "0m", afterMs: 0, notify: ["on-call-primary"], until: "acknowledged" }],
      ackWithin: `${s.ackWithin ?? 15}m`,
      ackWithinMs: ackWithin,
      titles: { "on-call-primary": "On-call primary" },
    },
    pages: (s.pages ?? []).map((p, i) => ({ key: `s1.${i}`, kind: p.kind ?? "step", at: p.at, targets: ["on-call-primary"], people: p.people, episode: p.episode ?? episode })),
    acks: (s.acks ?? []).map((a) => ({ by: a.by, at: a.at, episode: a.episode ?? episode, ...(a.due ? { due: a.due } : {}) })),
    updates: [],
    ackNoticed: s.ackNoticed ?? [],
    severityChanges: (s.severityChanges ?? []).map((c) => ({ ...c, by: "lead" })),
    history: (s.history ?? []).map((h, i) => ({ by: "olga", at: h.at, episode: i + 1, reopenedAt: h.reopenedAt, reopenedBy: "olga" })),
    ...(s.resolvedAt ? { resolution: { by: "olga", at: s.resolvedAt, rootCause: "x", episode } } : {}),
    processed: [],
  };
}
