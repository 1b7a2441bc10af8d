import { stepDueAt, stepKey, type RecordedStep } from "./ladder.js";
import { hasPage, isAcknowledged, isResolved, lastUpdate, liveAcks, type IncidentState } from "./state.js";

/** A step done more than this after its time says it is late. */
export const DEFAULT_LATE_AFTER_MS = 5 * 60_000;

export type Lateness = "on-time" | "late" | "replanned" | "lapsed";

/** Something the incident's ladder or cadence says must happen now. */
export type DueAction =
  | { kind: "step"; key: string; index: number; step: RecordedStep; dueAt: number; lateness: Lateness }
  | { kind: "repeat"; key: string; k: number; targets: string[]; dueAt: number; skipped: number; lateness: Lateness }
  | { kind: "ack-deadline"; episode: number; dueAt: number; lateness: Lateness }
  | { kind: "ack-timeout"; episode: number; dueAt: number; since: number; lateness: Lateness }
  | { kind: "reminder"; dueAt: number; since: number; skipped: number; lateness: Lateness };

export interface DueOptions {
  lateAfterMs?: number;
}

/** When an acknowledgement of this episode last lapsed. */
function lastLapse(state: IncidentState): number | undefined {
  const times = state.acks.filter((a) => a.episode === state.episode && a.lapsed).map((a) => Date.parse(a.lapsed!));
  return times.length ? Math.max(...times) : undefined;
}

function lateness(state: IncidentState, dueAt: number, now: number, lateAfterMs: number): Lateness {
  const replannedAt = state.ladder.replannedAt ? Date.parse(state.ladder.replannedAt) : undefined;
  if (replannedAt !== undefined && dueAt < replannedAt) return "replanned";
  const lapsed = lastLapse(state);
  if (lapsed !== undefined && dueAt <= lapsed && dueAt >= Date.parse(state.ladder.start)) return "lapsed";
  return now - dueAt > lateAfterMs ? "late" : "on-time";
}

/**
 * When the acknowledgement in force lapses (`ack_timeout`): that long after the `/ack`, or after the
 * latest `/update` since it. Undefined when there is no timeout or nothing to lapse.
 */
export function ackTimeoutAt(state: IncidentState): { dueAt: number; since: number } | undefined {
  const ms = state.ladder.ackTimeoutMs;
  if (ms === undefined || ms <= 0 || isResolved(state)) return undefined;
  const acks = liveAcks(state);
  if (acks.length === 0) return undefined;
  const ackAt = Math.max(...acks.map((a) => Date.parse(a.at)));
  const u = lastUpdate(state);
  const since = u && Date.parse(u.at) > ackAt ? Date.parse(u.at) : ackAt;
  return { dueAt: since + ms, since };
}

/** Whether a step (index `step`; the repeat after the last: the ladder's length) is stopped by what happened. */
function stopped(state: IncidentState, until: "acknowledged" | "resolved", step: number): boolean {
  return until === "acknowledged" ? isAcknowledged(state, step) || isResolved(state) : isResolved(state);
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
 *   start): only the latest one due;
 * - the acknowledgement lapsing (`ack_timeout` without `/update` or `/resolve` since the `/ack`).
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
    if (dueAt > t || hasPage(state, key) || stopped(state, step.until, index)) return;
    out.push({ kind: "step", key, index, step, dueAt, lateness: lateness(state, dueAt, t, lateAfter) });
  });

  const repeat = ladder.repeat;
  const last = ladder.steps.at(-1);
  if (repeat && last && repeat.everyMs > 0 && !stopped(state, repeat.until, ladder.steps.length)) {
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

  const timeout = ackTimeoutAt(state);
  if (timeout && timeout.dueAt <= t) out.push({ kind: "ack-timeout", episode: state.episode, dueAt: timeout.dueAt, since: timeout.since, lateness: now.getTime() - timeout.dueAt > lateAfter ? "late" : "on-time" });

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
    if (!hasPage(state, stepKey(ladder.gen, index)) && !stopped(state, step.until, index)) candidates.push(stepDueAt(ladder, index));
  });
  const repeat = ladder.repeat;
  if (repeat && ladder.steps.length > 0 && repeat.everyMs > 0 && !stopped(state, repeat.until, ladder.steps.length)) {
    const doneK = state.repeated?.gen === ladder.gen ? state.repeated.k : 0;
    if (repeat.max === undefined || doneK < repeat.max) candidates.push(stepDueAt(ladder, ladder.steps.length - 1) + (doneK + 1) * repeat.everyMs);
  }
  if (ladder.ackWithinMs !== undefined && !isAcknowledged(state) && !state.ackNoticed.includes(state.episode)) candidates.push(Date.parse(ladder.start) + ladder.ackWithinMs);
  const timeout = ackTimeoutAt(state);
  if (timeout) candidates.push(timeout.dueAt);
  if (ladder.updatesEveryMs !== undefined && ladder.updatesEveryMs > 0) {
    const base = reminderBase(state);
    const k = Math.max(0, Math.floor((t - base) / ladder.updatesEveryMs));
    candidates.push(base + (k + 1) * ladder.updatesEveryMs);
  }
  const future = candidates.filter((c) => Number.isFinite(c));
  return future.length > 0 ? Math.min(...future) : undefined;
}
