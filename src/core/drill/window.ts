/**
 * The stretch of time a drill looks at, cut where anything about who is on call may change. Between
 * two consecutive instants of {@link changeInstants} every tier of oncall.yml has the same answer
 * (the same people, from the same rotation, override or fallback), and roles without tiers never
 * change, so looking at each instant once covers every instant of the window.
 */
import type { Governance } from "../model/governance.js";
import { nextChange } from "../oncall/resolve.js";

/** A drill's window: from an instant, for some weeks (the validator's warnings: 8). */
export interface DrillWindow {
  from: Date;
  until: Date;
}

export const DEFAULT_WEEKS = 8;
export const WEEK_MS = 7 * 86_400_000;

/** At most this many instants per tier (a daily tier over a year has ~730 coverage edges). */
const MAX_CHANGES_PER_TIER = 5_000;

export function windowOf(from: Date, weeks = DEFAULT_WEEKS): DrillWindow {
  return { from, until: new Date(from.getTime() + weeks * WEEK_MS) };
}

/** Every `schedule/tier` of oncall.yml. */
export function allTiers(g: Governance): string[] {
  return Object.entries(g.oncall?.schedules ?? {}).flatMap(([s, schedule]) => Object.keys(schedule.tiers).map((t) => `${s}/${t}`));
}

/** Instants in `tiers`' answers may change within [from, until), from `from` itself, in order. */
export function changeInstants(g: Governance, window: DrillWindow, tiers: readonly string[] = allTiers(g)): Date[] {
  const out = new Set<number>([window.from.getTime()]);
  const end = window.until.getTime();
  for (const ref of tiers) {
    let t = window.from;
    for (let i = 0; i < MAX_CHANGES_PER_TIER; i++) {
      const next = nextChange(g.oncall, ref, t, new Set());
      if (next === undefined || next >= end) break;
      out.add(next);
      t = new Date(next);
    }
  }
  return [...out].sort((a, b) => a - b).map((ms) => new Date(ms));
}

/** The stretches [from, until) between consecutive change instants. */
export function segments(g: Governance, window: DrillWindow, tiers?: readonly string[]): DrillWindow[] {
  const cuts = changeInstants(g, window, tiers);
  return cuts.map((from, i) => ({ from, until: cuts[i + 1] ?? window.until }));
}

/** Runs of consecutive segments for which `test` holds, merged: [from, until) each. */
export function runs<T>(parts: readonly DrillWindow[], test: (w: DrillWindow) => T | undefined): { from: Date; until: Date; value: T }[] {
  const out: { from: Date; until: Date; value: T }[] = [];
  for (const w of parts) {
    const value = test(w);
    if (value === undefined) continue;
    const last = out.at(-1);
    if (last && last.until.getTime() === w.from.getTime() && JSON.stringify(last.value) === JSON.stringify(value)) last.until = w.until;
    else out.push({ from: w.from, until: w.until, value });
  }
  return out;
}
