import { stepDueAt, stepKey, type RecordedStep } from "./ladder.js";
import { hasPage, isAcknowledged, isResolved, lastUpdate, type IncidentState } from "./state.js";

/** A step done more than this after its time says it is late. */
export const DEFAULT_LATE_AFTER_MS = 5 * 60_000;

export type Lateness = "on-time" | "late" | "replanned";

/** Something the incident's ladder or cadence says must happen now. */
export type DueAction =
  | { kind: "step"; key: string; index: number; step: RecordedStep; dueAt: number; lateness: Lateness }
  | { kind: "repeat"; key: string; k: number; targets: string[]; dueAt: number; skipped: number; lateness: Lateness }
  | { kind: "ack-deadline"; episode: number; dueAt: number; lateness: Lateness }
  | { kind: "reminder"; dueAt: number; since: number; skipped: number; lateness: Lateness };

export interface DueOptions {
  lateAfterMs?: number;
}

function lateness(state: IncidentState, dueAt: number, now: number, lateAfterMs: number): Lateness {
  const replannedAt = state.ladder.replannedAt ? Date.parse(state.ladder.replannedAt) : undefined;
  if (replannedAt !== undefined && dueAt < replannedAt) return "replanned";
  return now - dueAt > lateAfterMs ? "late" : "on-time";
}

function stopped(state: IncidentState, until: "acknowledged" | "resolved"): boolean {
  return until === "acknowledged" ? isAcknowledged(state) || isResolved(state) : isResolved(state);
}

/** Base instant of status-update reminders: the last `/update` of this episode, else the ladder's start. */
function reminderBase(state: IncidentState): number {
  const u = lastUpdate(state);
  return u ? Date.parse(u.at) : Date.parse(state.ladder.start);
}

/**
 * What is due at `now`, from the incident's state alone (the ladder in force is in the state):
 *
 * - each ladder step whose `after` has passed, not yet paged, whose `until` has not happened
 *   (acknowledged: any `/ack` in this episode; resolved) — every such step once, late or not;
 * - the repeat of the last step (`repeat.every`, at most `repeat.max`): only the latest repeat
 *   due, the ones skipped while Charter was not running are not sent;
 * - the acknowledgement deadline (`ack_within`) passing without `/ack`, once per episode;
 * - a status-update reminder when `updates_every` has passed since the last `/update` (or the
 *   start): only the latest one due.
 *
 * Nothing is due once the incident is resolved. Pure: the same state and time give the same answer.
 */
export function dueActions(state: IncidentState, now: Date, options: DueOptions = {}): DueAction[] {
  if (isResolved(state)) return [];
  const t = now.getTime();
  const lateAfter = options.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
  const ladder = state.ladder;
  const out: DueAction[] = [];

  ladder.steps.forEach((step, index) => {
    const key = stepKey(ladder.gen, index);
    const dueAt = stepDueAt(ladder, index);
    if (dueAt > t || hasPage(state, key) || stopped(state, step.until)) return;
    out.push({ kind: "step", key, index, step, dueAt, lateness: lateness(state, dueAt, t, lateAfter) });
  });

  const repeat = ladder.repeat;
  const last = ladder.steps.at(-1);
  if (repeat && last && repeat.everyMs > 0 && !stopped(state, repeat.until)) {
    const base = stepDueAt(ladder, ladder.steps.length - 1);
    let k = Math.floor((t - base) / repeat.everyMs);
    if (repeat.max !== undefined) k = Math.min(k, repeat.max);
    const doneK = state.repeated?.gen === ladder.gen ? state.repeated.k : 0;
    if (k >= 1 && k > doneK) {
      const dueAt = base + k * repeat.everyMs;
      out.push({ kind: "repeat", key: `r${ladder.gen}.${k}`, k, targets: [...last.notify], dueAt, skipped: k - doneK - 1, lateness: lateness(state, dueAt, t, lateAfter) });
    }
  }

  if (ladder.ackWithinMs !== undefined && !isAcknowledged(state) && !state.ackNoticed.includes(state.episode)) {
    const dueAt = Date.parse(ladder.start) + ladder.ackWithinMs;
    if (dueAt <= t) out.push({ kind: "ack-deadline", episode: state.episode, dueAt, lateness: lateness(state, dueAt, t, lateAfter) });
  }

  const every = ladder.updatesEveryMs;
  if (every !== undefined && every > 0) {
    const base = reminderBase(state);
    const k = Math.floor((t - base) / every);
    const dueAt = base + k * every;
    const reminded = state.reminded ? Date.parse(state.reminded) : -Infinity;
    if (k >= 1 && dueAt > reminded) {
      const firstUnsent = reminded >= base ? Math.floor((reminded - base) / every) + 1 : 1;
      out.push({ kind: "reminder", dueAt, since: base, skipped: Math.max(0, k - firstUnsent), lateness: lateness(state, dueAt, t, lateAfter) });
    }
  }

  return out.sort((a, b) => a.dueAt - b.dueAt);
}

/**
 * The earliest instant at which something becomes due, given no other change (no `/ack`, no
 * `/update`); undefined when nothing ever will. A sweep that finds `now` before this instant, and
 * the issue unchanged since it last read the state, has nothing to do for this incident.
 */
export function nextDueAt(state: IncidentState, now: Date): number | undefined {
  if (isResolved(state)) return undefined;
  const due = dueActions(state, now);
  if (due.length > 0) return Math.min(...due.map((d) => d.dueAt));
  const t = now.getTime();
  const ladder = state.ladder;
  const candidates: number[] = [];
  ladder.steps.forEach((step, index) => {
    if (!hasPage(state, stepKey(ladder.gen, index)) && !stopped(state, step.until)) candidates.push(stepDueAt(ladder, index));
  });
  const repeat = ladder.repeat;
  if (repeat && ladder.steps.length > 0 && repeat.everyMs > 0 && !stopped(state, repeat.until)) {
    const doneK = state.repeated?.gen === ladder.gen ? state.repeated.k : 0;
    if (repeat.max === undefined || doneK < repeat.max) candidates.push(stepDueAt(ladder, ladder.steps.length - 1) + (doneK + 1) * repeat.everyMs);
  }
  if (ladder.ackWithinMs !== undefined && !isAcknowledged(state) && !state.ackNoticed.includes(state.episode)) candidates.push(Date.parse(ladder.start) + ladder.ackWithinMs);
  if (ladder.updatesEveryMs !== undefined && ladder.updatesEveryMs > 0) {
    const base = reminderBase(state);
    const k = Math.max(0, Math.floor((t - base) / ladder.updatesEveryMs));
    candidates.push(base + (k + 1) * ladder.updatesEveryMs);
  }
  const future = candidates.filter((c) => Number.isFinite(c));
  return future.length > 0 ? Math.min(...future) : undefined;
}
