import { DateTime } from "luxon";
import type { Coverage, Layer } from "../model/oncall.js";

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

export interface Shift {
  who: string;
  /** Index of the shift since the layer's start (0 = first shift). */
  index: number;
  start: Date;
  end: Date;
}

function hm(time: string): { hour: number; minute: number } {
  const [h, m] = time.split(":").map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}

/** The local instant at which shift 0 begins. */
export function firstHandoff(layer: Layer, zone: string): DateTime {
  const { hour, minute } = hm(layer.handoff.time);
  let d = DateTime.fromISO(layer.start, { zone }).set({ hour, minute, second: 0, millisecond: 0 });
  if (layer.rotation === "weekly") {
    const want = WEEKDAYS.indexOf(layer.handoff.day ?? "monday") + 1;
    d = d.plus({ days: (want - d.weekday + 7) % 7 });
  } else if (layer.rotation === "monthly") {
    const dom = layer.handoff.day_of_month ?? 1;
    if (d.day > dom) d = d.plus({ months: 1 });
    d = d.set({ day: dom });
  }
  return d;
}

/** Start of shift k, stepping in local calendar units so handoffs keep their wall-clock time across DST. */
export function shiftStart(layer: Layer, zone: string, k: number): DateTime {
  const base = firstHandoff(layer, zone);
  const every = layer.every ?? 1;
  const unit = layer.rotation === "daily" ? "days" : layer.rotation === "weekly" ? "weeks" : "months";
  return base.plus({ [unit]: k * every });
}

/** Who is on shift in `layer` at `at` (ignoring coverage), or undefined before the first handoff. */
export function shiftAt(layer: Layer, zone: string, at: Date): Shift | undefined {
  const t = at.getTime();
  const base = firstHandoff(layer, zone);
  if (t < base.toMillis()) return undefined;
  const every = layer.every ?? 1;
  const approxMs = (layer.rotation === "daily" ? 86_400_000 : layer.rotation === "weekly" ? 604_800_000 : 2_629_746_000) * every;
  let k = Math.max(0, Math.floor((t - base.toMillis()) / approxMs) - 1);
  while (shiftStart(layer, zone, k + 1).toMillis() <= t) k++;
  while (k > 0 && shiftStart(layer, zone, k).toMillis() > t) k--;
  const n = layer.participants.length;
  return {
    who: layer.participants[k % n]!,
    index: k,
    start: shiftStart(layer, zone, k).toJSDate(),
    end: shiftStart(layer, zone, k + 1).toJSDate(),
  };
}

/** Whether `at` falls inside the coverage hours, read in the schedule's time zone. */
export function covers(coverage: Coverage | undefined, zone: string, at: Date): boolean {
  if (coverage === undefined || coverage === "always") return true;
  const local = DateTime.fromJSDate(at, { zone });
  const day = WEEKDAYS[local.weekday - 1]!;
  if (!coverage.days.includes(day)) return false;
  const minutes = local.hour * 60 + local.minute;
  const from = hm(coverage.from);
  const to = hm(coverage.to);
  return minutes >= from.hour * 60 + from.minute && minutes < to.hour * 60 + to.minute;
}
