import { durationMs } from "../duration.js";
import type { Governance } from "../model/governance.js";
import { OWNER, type IncidentsFile } from "../model/incidents.js";
import { roleTitle } from "../roles/resolve.js";

export type Until = "acknowledged" | "resolved";

/** One step of the ladder in force, as recorded in the incident's state. */
export interface RecordedStep {
  /** As written in incidents.yml, e.g. `15m`. */
  after: string;
  afterMs: number;
  /** Roles or tiers paged at this step. */
  notify: string[];
  /** The step is not paged once this has happened (default: acknowledged). */
  until: Until;
  note?: string;
  /** `all`: everyone this step pages must acknowledge. */
  ack?: "all";
}

/**
 * The escalation ladder in force for an incident, copied from incidents.yml when the incident
 * opened (or when its severity changed, or it was reopened). Later edits of incidents.yml do not
 * change an open incident's ladder; who holds each role is still resolved when the page is sent.
 */
export interface RecordedLadder {
  /** Generation: 1 at opening, +1 at each severity change or reopening. Step keys include it. */
  gen: number;
  severity: string;
  /** The instant step times count from (the opening, or the last reopening). */
  start: string;
  /** When this ladder was recorded. */
  recordedAt: string;
  /** Set when the ladder replaced another one (severity change): steps due before this were re-planned, not late. */
  replannedAt?: string;
  steps: RecordedStep[];
  repeat?: { every: string; everyMs: number; until: Until; max?: number };
  ackWithin?: string;
  ackWithinMs?: number;
  /** An acknowledgement lapses after this long without `/update` (`ack_timeout`). */
  ackTimeout?: string;
  ackTimeoutMs?: number;
  updatesEvery?: string;
  updatesEveryMs?: number;
  /** Whom status-update reminders address (incidents.yml `remind`): `owner` and roles or tiers. Absent: `[owner]`. */
  remind?: string[];
  review?: { required: boolean; within?: string; withinMs?: number; owner?: string };
  /** Display titles of every role or tier in the ladder, so the state renders without the model. */
  titles: Record<string, string>;
}

/** The ladder of `severity` as incidents.yml defines it now, steps in time order. */
export function recordLadder(
  g: Governance,
  inc: IncidentsFile,
  severity: string,
  options: { gen: number; start: Date; at: Date; replanned?: boolean },
): RecordedLadder {
  const sev = inc.severities[severity];
  if (!sev) throw new Error(`unknown severity ${severity}`);
  const steps: RecordedStep[] = sev.escalation
    .map((s) => ({
      after: s.after,
      afterMs: durationMs(s.after),
      notify: [...s.notify],
      until: s.until ?? ("acknowledged" as const),
      ...(s.note !== undefined ? { note: s.note } : {}),
      ...(s.ack === "all" ? { ack: "all" as const } : {}),
    }))
    .sort((a, b) => a.afterMs - b.afterMs);
  const refs = new Set<string>(steps.flatMap((s) => s.notify));
  if (sev.assign) refs.add(sev.assign);
  if (sev.review?.owner) refs.add(sev.review.owner);
  for (const r of sev.remind ?? []) if (r !== OWNER) refs.add(r);
  const titles: Record<string, string> = {};
  for (const r of refs) titles[r] = roleTitle(g, r);
  return {
    gen: options.gen,
    severity,
    start: options.start.toISOString(),
    recordedAt: options.at.toISOString(),
    ...(options.replanned ? { replannedAt: options.at.toISOString() } : {}),
    steps,
    ...(sev.repeat
      ? { repeat: { every: sev.repeat.every, everyMs: durationMs(sev.repeat.every), until: sev.repeat.until ?? "acknowledged", ...(sev.repeat.max !== undefined ? { max: sev.repeat.max } : {}) } }
      : {}),
    ackWithin: sev.ack_within,
    ackWithinMs: durationMs(sev.ack_within),
    ...(sev.ack_timeout ? { ackTimeout: sev.ack_timeout, ackTimeoutMs: durationMs(sev.ack_timeout) } : {}),
    ...(sev.updates_every ? { updatesEvery: sev.updates_every, updatesEveryMs: durationMs(sev.updates_every) } : {}),
    ...(sev.remind ? { remind: [...sev.remind] } : {}),
    ...(sev.review
      ? {
          review: {
            required: sev.review.required,
            ...(sev.review.within ? { within: sev.review.within, withinMs: durationMs(sev.review.within) } : {}),
            ...(sev.review.owner ? { owner: sev.review.owner } : {}),
          },
        }
      : {}),
    titles,
  };
}

/** Key of step `index` of ladder generation `gen` in the pages done. */
export function stepKey(gen: number, index: number): string {
  return `s${gen}.${index}`;
}

/** When step `index` is due, in epoch milliseconds. */
export function stepDueAt(ladder: RecordedLadder, index: number): number {
  return Date.parse(ladder.start) + (ladder.steps[index]?.afterMs ?? 0);
}

export function titleOf(ladder: RecordedLadder, ref: string): string {
  return ladder.titles[ref] ?? ref;
}
