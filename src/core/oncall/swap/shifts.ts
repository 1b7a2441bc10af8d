/**
 * Who is on call for one tier between two instants, as consecutive shifts: what a swap or an
 * override rewrites. Only the tier's own people count (its rotation and its overrides); while a
 * fallback answers for it, the fallback tier's people are that tier's to swap.
 */
import type { OncallFile, Override } from "../../model/oncall.js";
import { nextChange, whoIsOnCall } from "../resolve.js";
import { zonedInstant } from "./instant.js";

export interface Shift {
  /** `schedule/tier`. */
  tier: string;
  from: Date;
  until: Date;
  who: string[];
}

/** At most this many changes are walked in one window (a daily rotation over 90 days has 90). */
const MAX_STEPS = 2_000;

/** The tier's shifts overlapping [from, until), cut to the window, consecutive equal ones merged. */
export function shiftsIn(oncall: OncallFile | undefined, ref: string, from: Date, until: Date): Shift[] {
  const out: Shift[] = [];
  let t = from;
  for (let step = 0; step < MAX_STEPS && t.getTime() < until.getTime(); step++) {
    const r = whoIsOnCall(oncall, ref, t);
    const next = nextChange(oncall, ref, t, new Set());
    const end = new Date(Math.min(next ?? Number.POSITIVE_INFINITY, until.getTime()));
    const who = r.source === "rotation" || r.source === "override" ? r.who : [];
    const last = out.at(-1);
    const same = last && last.until.getTime() === t.getTime() && last.who.length === who.length && last.who.every((w, i) => w.toLowerCase() === who[i]!.toLowerCase());
    if (same) last.until = end;
    else if (who.length > 0) out.push({ tier: ref, from: t, until: end, who });
    t = end;
  }
  return out;
}

export const sameLogin = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** An override of oncall.yml that hands `giver`'s part of a shift to `taker`. */
export function handOver(shift: Shift, giver: string, taker: string, zone: string, reason: string): { schedule: string; override: Override } {
  const [schedule = "", tier = ""] = shift.tier.split("/");
  return { schedule, override: { tier, from: zonedInstant(shift.from, zone), until: zonedInstant(shift.until, zone), who: taker, replaces: giver, reason } };
}
