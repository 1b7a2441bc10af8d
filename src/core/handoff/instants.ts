/**
 * When a schedule hands over (D9 §3.3: weekly, Monday 09:00 local time): the instants at which the
 * person on call for one of its tiers changes by its rotation or an override (a swap, a vacation
 * starting or ending). Coverage hours starting and ending (a business-hours tier handing over to
 * its fallback every evening) are not handoffs. Pure: time is an argument; local times follow the
 * rotation arithmetic of src/core/oncall/shift.ts, so a 09:00 handoff is 09:00 local on both sides
 * of a daylight-saving change.
 */
import type { Governance } from "../model/governance.js";
import type { OncallFile } from "../model/oncall.js";
import { durationMs } from "../duration.js";
import { nextHandoffs, whoIsOnCall, type TierOnCall } from "../oncall/resolve.js";

/** One tier's change at a handoff. */
export interface TierChange {
  /** `schedule/tier` */
  ref: string;
  tier: string;
  title: string;
  /** Who was on call just before (empty: nobody). */
  from: string[];
  /** Who is on call from the handoff on. */
  to: string[];
  /** Why the incoming person is on call: the override's reason, when an override put them there. */
  override?: string;
}

/** A schedule's handoff: every tier that changes at that instant. */
export interface Handoff {
  schedule: string;
  title: string;
  zone: string;
  at: Date;
  changes: TierChange[];
}

export const DEFAULT_LATE_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

const onRota = (r: TierOnCall) => r.source === "rotation" || r.source === "override";

/** The schedules whose handoffs are announced (oncall.yml `handoff_messages`), none when it is absent. */
export function announcedSchedules(oncall: OncallFile | undefined): string[] {
  const h = oncall?.handoff_messages;
  if (!oncall || !h) return [];
  const ids = Object.keys(oncall.schedules);
  return h.schedules ? h.schedules.filter((s) => ids.includes(s)) : ids;
}

/** How long after its instant a handoff is still announced (`handoff_messages.late`, default 1h). */
export function lateMs(oncall: OncallFile | undefined): number {
  const late = oncall?.handoff_messages?.late;
  return late ? durationMs(late) : DEFAULT_LATE_MS;
}

/** Handoffs of schedule `scheduleId` strictly after `from` and at or before `to`, in time order. */
export function handoffsBetween(oncall: OncallFile, scheduleId: string, from: Date, to: Date): Handoff[] {
  const schedule = oncall.schedules[scheduleId];
  if (!schedule || !(to.getTime() > from.getTime())) return [];
  const byInstant = new Map<number, TierChange[]>();
  const days = Math.ceil((to.getTime() - from.getTime()) / DAY_MS) + 1;
  for (const [tierId, tier] of Object.entries(schedule.tiers)) {
    const ref = `${scheduleId}/${tierId}`;
    // enough changes for the window: a business-hours tier changes twice a day
    for (const h of nextHandoffs(oncall, ref, from, 4 * days + 8, days)) {
      const t = h.at.getTime();
      if (t > to.getTime()) break;
      const before = whoIsOnCall(oncall, ref, new Date(t - 1));
      if (!onRota(before) || !onRota(h.next)) continue;
      const change: TierChange = {
        ref,
        tier: tierId,
        title: tier.title ?? tierId,
        from: before.who,
        to: h.next.who,
        ...(h.next.source === "override" && h.next.override?.reason ? { override: h.next.override.reason } : {}),
      };
      byInstant.set(t, [...(byInstant.get(t) ?? []), change]);
    }
  }
  return [...byInstant.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, changes]) => ({ schedule: scheduleId, title: schedule.title ?? scheduleId, zone: schedule.timezone, at: new Date(t), changes }));
}

/**
 * The handoffs to announce at `now`: those of the announced schedules at or before `now` and no
 * more than `handoff_messages.late` ago. The newest per schedule only (an older one missed while
 * Charter was down is history by then).
 */
export function dueHandoffs(g: Governance, now: Date): Handoff[] {
  const oncall = g.oncall;
  if (!oncall) return [];
  const late = lateMs(oncall);
  const out: Handoff[] = [];
  for (const s of announcedSchedules(oncall)) {
    const last = handoffsBetween(oncall, s, new Date(now.getTime() - late), now).at(-1);
    if (last) out.push(last);
  }
  return out;
}

/**
 * The next instant strictly after `now` at which a handoff is due (to schedule a timer at), or
 * undefined when no announced schedule hands over within `withinDays` (default 35).
 */
export function nextHandoffDueAt(g: Governance, now: Date, withinDays = 35): number | undefined {
  const oncall = g.oncall;
  if (!oncall) return undefined;
  let best: number | undefined;
  for (const s of announcedSchedules(oncall)) {
    const next = handoffsBetween(oncall, s, now, new Date(now.getTime() + withinDays * DAY_MS))[0];
    if (next && (best === undefined || next.at.getTime() < best)) best = next.at.getTime();
  }
  return best;
}

/** The key of a handoff's record: one per schedule and instant. */
export function handoffKey(h: Pick<Handoff, "schedule" | "at">): string {
  return `handoff:${h.schedule}@${h.at.toISOString()}`;
}
