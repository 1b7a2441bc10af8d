/**
 * On-call shifts as calendar events: for each tier, the spans during which one person (or a few)
 * is on call by its rotation or an override, between two instants. A business-hours tier gives one
 * span per covered day; its fallback (the tier that answers outside those hours) is that tier's own
 * shift, not repeated here. Pure: time is an argument.
 */
import type { OncallFile } from "../model/oncall.js";
import { nextChange, whoIsOnCall, type TierOnCall } from "../oncall/resolve.js";

export interface ShiftSpan {
  /** `schedule/tier` */
  ref: string;
  schedule: string;
  scheduleTitle: string;
  tier: string;
  tierTitle: string;
  zone: string;
  who: string[];
  start: Date;
  end: Date;
  source: "rotation" | "override";
  /** The override in force: its reason, and whom it replaces (a swap). */
  override?: { reason?: string; replaces?: string };
  /** The rotation's person for this shift is unavailable and `who` covers: whom, and why they are away. */
  covering?: { rostered: string; reason: string };
  /** The rotation layer. */
  layer?: string;
}

export interface ShiftQuery {
  /** Only this schedule. */
  schedule?: string;
  /** Only this tier (`primary`, or `schedule/tier`). */
  tier?: string;
  /** Only shifts of this person (login, case-insensitive). */
  person?: string;
}

/** At most this many changes are walked per tier (a business-hours tier changes twice a day: years of it). */
const MAX_STEPS = 5_000;

const sameWho = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((w, i) => w.toLowerCase() === b[i]!.toLowerCase());

function sameSpan(a: TierOnCall, b: TierOnCall): boolean {
  return a.source === b.source && sameWho(a.who, b.who) && a.overrideIndex === b.overrideIndex && a.layer === b.layer && a.covering?.rostered.toLowerCase() === b.covering?.rostered.toLowerCase();
}

/**
 * Shifts of one tier overlapping [from, to). The shifts at the edges are whole (from their start to
 * their end), so a shift's event does not change as the window moves on.
 */
export function tierShifts(oncall: OncallFile, ref: string, from: Date, to: Date): ShiftSpan[] {
  const [schedule = "", tier = ""] = ref.split("/");
  const s = oncall.schedules[schedule];
  const t = s?.tiers[tier];
  if (!s || !t || !(to.getTime() > from.getTime())) return [];
  const out: ShiftSpan[] = [];
  let at = from;
  let current = whoIsOnCall(oncall, ref, at);
  // the shift in force at `from` is shown whole, so its event (and id) is the same whatever the window
  let start = current.since && current.since.getTime() < from.getTime() ? current.since : from;
  const close = (end: Date, r: TierOnCall) => {
    if ((r.source !== "rotation" && r.source !== "override") || r.who.length === 0 || end.getTime() <= start.getTime()) return;
    out.push({
      ref,
      schedule,
      scheduleTitle: s.title ?? schedule,
      tier,
      tierTitle: t.title ?? tier,
      zone: s.timezone,
      who: [...r.who],
      start,
      end,
      source: r.source,
      ...(r.source === "override" && r.override ? { override: { ...(r.override.reason ? { reason: r.override.reason } : {}), ...(r.replaced ? { replaces: r.replaced } : {}) } } : {}),
      ...(r.layer ? { layer: r.layer } : {}),
      ...(r.covering?.skipped[0] ? { covering: { rostered: r.covering.rostered, reason: r.covering.skipped[0].absence.reason } } : {}),
    });
  };
  for (let step = 0; step < MAX_STEPS; step++) {
    const change = nextChange(oncall, ref, at, new Set());
    if (change === undefined || change >= to.getTime()) break;
    const when = new Date(change);
    const next = whoIsOnCall(oncall, ref, when);
    if (!sameSpan(current, next)) {
      close(when, current);
      start = when;
    }
    // the latest answer of a span: its end is the span's, if the span reaches past the window
    current = next;
    at = when;
  }
  close(current.until && current.until.getTime() > to.getTime() ? current.until : to, current);
  return out;
}

/** Every tier's shifts in [from, to), filtered by schedule, tier and person, in time order. */
export function shiftsBetween(oncall: OncallFile, from: Date, to: Date, query: ShiftQuery = {}): ShiftSpan[] {
  const out: ShiftSpan[] = [];
  for (const [scheduleId, s] of Object.entries(oncall.schedules)) {
    if (query.schedule && query.schedule !== scheduleId) continue;
    for (const tierId of Object.keys(s.tiers)) {
      const ref = `${scheduleId}/${tierId}`;
      if (query.tier && query.tier !== tierId && query.tier !== ref) continue;
      for (const span of tierShifts(oncall, ref, from, to)) {
        if (query.person && !span.who.some((w) => w.toLowerCase() === query.person!.toLowerCase())) continue;
        out.push(span);
      }
    }
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime() || a.ref.localeCompare(b.ref));
}
