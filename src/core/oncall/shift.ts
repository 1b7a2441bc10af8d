import { DateTime, IANAZone } from "luxon";
import type { Coverage, Layer } from "../model/oncall.js";

/**
 * Rotation arithmetic for one layer, and coverage hours. Everything here is a pure function of
 * its arguments: time always comes in as an argument, never from the clock.
 *
 * Local times (handoff times, coverage `from`/`to`) are turned into instants in one way only,
 * {@link localInstant}, which follows RFC 5545 (iCalendar) and Temporal's "compatible" rule:
 *
 * - a local time that does not exist on that day (the clocks jump over it in spring) is read with
 *   the UTC offset in force before the jump, so it lands as far after the jump as it was after the
 *   start of the skipped hour: 02:30 in Europe/Berlin on 2025-03-30 is 03:30 CEST (01:30Z);
 * - a local time that happens twice (the clocks go back in autumn) means its first occurrence:
 *   02:30 in Europe/Berlin on 2025-10-26 is 02:30 CEST (00:30Z), not 02:30 CET.
 *
 * Calendar steps (next day, next week, next month) are taken on local dates, and the time of day
 * is applied afterwards, so a 09:00 handoff stays at 09:00 local on both sides of a DST change.
 */

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

export interface Shift {
  who: string;
  /** Index of the shift since the layer's start (0 = first shift). */
  index: number;
  start: Date;
  end: Date;
}

/** A calendar date without a time zone. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** How a local time maps onto the time line on a given day. */
export type LocalTimeKind = "exact" | "skipped" | "repeated";

export interface ResolvedLocalTime {
  /** The instant, in the zone (invalid when the zone or date is invalid). */
  at: DateTime;
  /** `skipped`: the time does not exist that day; `repeated`: it happens twice (first one taken). */
  kind: LocalTimeKind;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** `HH:MM` → hour and minute. `24:00` (coverage end) is hour 24. */
export function parseTimeOfDay(time: string): { hour: number; minute: number } {
  const [h, m] = time.split(":").map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}

/** `YYYY-MM-DD` → a LocalDate, or undefined if it is not a real calendar date (2025-02-30). */
export function parseLocalDate(text: string): LocalDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const d = DateTime.fromObject(date, { zone: "UTC" });
  return d.isValid ? date : undefined;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Why the date at the start of `text` (`YYYY-MM-DD…`) is not a real date, e.g. "February 2025 has 28 days". */
export function whyNotADate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const days = DateTime.fromObject({ year, month }, { zone: "UTC" }).daysInMonth ?? 31;
  if (day < 1 || day > days) return `${MONTHS[month - 1]} ${year} has ${days} days`;
  return undefined;
}

function utcDate(date: LocalDate): DateTime {
  return DateTime.fromObject(date, { zone: "UTC" });
}

function toLocalDate(d: DateTime): LocalDate {
  return { year: d.year, month: d.month, day: d.day };
}

export function formatLocalDate(date: LocalDate): string {
  return utcDate(date).toISODate() ?? `${date.year}-${date.month}-${date.day}`;
}

const zoneValidity = new Map<string, boolean>();

/** Whether `zone` is an IANA time zone this runtime knows (e.g. Europe/Berlin). */
export function isValidZone(zone: string): boolean {
  // luxon builds an Intl.DateTimeFormat on every call; remember the answer per name.
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (zoneValidity.size >= 1_000) zoneValidity.clear();
    zoneValidity.set(zone, valid);
  }
  return valid;
}

/**
 * The instant of local `time` on local `date` in `zone`. Skipped times are read with the offset
 * before the change (02:30 → 03:30 on a spring-forward day); repeated times take the first
 * occurrence. `time` may be `24:00`, meaning 00:00 of the next day.
 */
export function localInstant(date: LocalDate, time: string, zone: string): ResolvedLocalTime {
  // A pure function of its arguments, called for the same few days again and again: memoised.
  const key = `${zone}|${date.year}-${date.month}-${date.day}|${time}`;
  const known = resolvedCache.get(key);
  if (known) return known;
  const resolved = resolveLocalTime(date, time, zone);
  if (resolvedCache.size >= 20_000) resolvedCache.clear();
  resolvedCache.set(key, resolved);
  return resolved;
}

const resolvedCache = new Map<string, ResolvedLocalTime>();

function resolveLocalTime(date: LocalDate, time: string, zone: string): ResolvedLocalTime {
  const { hour, minute } = parseTimeOfDay(time);
  const z = IANAZone.create(zone);
  const wall = Date.UTC(date.year, date.month - 1, date.day) + (hour * 60 + minute) * MINUTE;
  if (!z.isValid || !Number.isFinite(wall)) return { at: DateTime.invalid("invalid zone or date"), kind: "exact" };
  const before = z.offset(wall - DAY);
  const after = z.offset(wall + DAY);
  const valid = [...new Set([before, after])].filter((o) => z.offset(wall - o * MINUTE) === o);
  let ts: number;
  let kind: LocalTimeKind;
  if (valid.length === 0) {
    ts = wall - before * MINUTE;
    kind = "skipped";
  } else {
    ts = wall - Math.max(...valid) * MINUTE;
    kind = valid.length > 1 ? "repeated" : "exact";
  }
  return { at: DateTime.fromMillis(ts, { zone }), kind };
}

/**
 * The local wall-clock range the clocks skip on `date` around `time` (e.g. 02:00–03:00 in
 * Europe/Berlin on 2025-03-30), when `time` is skipped that day.
 */
export function skippedRange(date: LocalDate, time: string, zone: string): { from: string; to: string } | undefined {
  const { hour, minute } = parseTimeOfDay(time);
  const z = IANAZone.create(zone);
  if (!z.isValid) return undefined;
  const wall = Date.UTC(date.year, date.month - 1, date.day) + (hour * 60 + minute) * MINUTE;
  const before = z.offset(wall - DAY);
  const after = z.offset(wall + DAY);
  if (after <= before) return undefined;
  // The change happens at some instant T in (wall - after, wall - before]; find it to the minute.
  let lo = wall - after * MINUTE;
  let hi = wall - before * MINUTE;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / (2 * MINUTE)) * MINUTE;
    if (z.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  const fmt = (ts: number) => DateTime.fromMillis(ts, { zone: "UTC" }).toFormat("HH:mm");
  return { from: fmt(hi + before * MINUTE), to: fmt(hi + after * MINUTE) };
}

function weekdayIndex(day: string | undefined): number | undefined {
  const i = WEEKDAYS.indexOf(day as (typeof WEEKDAYS)[number]);
  return i < 0 ? undefined : i + 1;
}

/**
 * The local date of the first handoff: the layer's `start` for daily rotations; the first
 * `handoff.day` on or after `start` for weekly ones; the first `handoff.day_of_month` on or after
 * `start` for monthly ones. Undefined when `start` is not a real date.
 */
export function firstHandoffDate(layer: Layer): LocalDate | undefined {
  const key = `${layer.rotation}|${layer.start}|${layer.handoff.day ?? ""}|${layer.handoff.day_of_month ?? ""}`;
  if (firstDateCache.has(key)) return firstDateCache.get(key);
  const first = computeFirstHandoffDate(layer);
  if (firstDateCache.size >= 10_000) firstDateCache.clear();
  firstDateCache.set(key, first);
  return first;
}

const firstDateCache = new Map<string, LocalDate | undefined>();

function computeFirstHandoffDate(layer: Layer): LocalDate | undefined {
  const start = parseLocalDate(layer.start);
  if (!start) return undefined;
  let d = utcDate(start);
  if (layer.rotation === "weekly") {
    // Validation requires `handoff.day`; without it the weekday of `start` is used.
    const want = weekdayIndex(layer.handoff.day) ?? d.weekday;
    d = d.plus({ days: (want - d.weekday + 7) % 7 });
  } else if (layer.rotation === "monthly") {
    // Validation requires `handoff.day_of_month`; without it the day of `start` (at most 28) is used.
    const dom = layer.handoff.day_of_month ?? Math.min(d.day, 28);
    if (d.day > dom) d = d.plus({ months: 1 });
    d = d.set({ day: dom });
  }
  return toLocalDate(d);
}

/** The local date on which shift `k` begins (calendar arithmetic, no time zone involved). */
export function shiftDate(layer: Layer, k: number): LocalDate | undefined {
  const first = firstHandoffDate(layer);
  if (!first) return undefined;
  const every = layer.every ?? 1;
  const d = utcDate(first);
  if (layer.rotation === "daily") return toLocalDate(d.plus({ days: k * every }));
  if (layer.rotation === "weekly") return toLocalDate(d.plus({ days: 7 * k * every }));
  return toLocalDate(d.plus({ months: k * every }));
}

/** Start of shift `k` (k = 0 is the first shift), with how its local time resolved that day. */
export function shiftStartResolved(layer: Layer, zone: string, k: number): ResolvedLocalTime & { date: LocalDate | undefined } {
  const date = shiftDate(layer, k);
  if (!date) return { at: DateTime.invalid("invalid start date"), kind: "exact", date };
  return { ...localInstant(date, layer.handoff.time, zone), date };
}

/** Start of shift k, stepping in local calendar units so handoffs keep their wall-clock time across DST. */
export function shiftStart(layer: Layer, zone: string, k: number): DateTime {
  return shiftStartResolved(layer, zone, k).at;
}

/** The instant at which shift 0 begins. */
export function firstHandoff(layer: Layer, zone: string): DateTime {
  return shiftStart(layer, zone, 0);
}

/** A guess of the shift index at `local` (exact up to ±1); refined by the caller. */
function estimateIndex(layer: Layer, first: LocalDate, local: DateTime): number {
  const every = layer.every ?? 1;
  const f = utcDate(first);
  const l = DateTime.fromObject({ year: local.year, month: local.month, day: local.day }, { zone: "UTC" });
  if (layer.rotation === "monthly") {
    const months = (l.year - f.year) * 12 + (l.month - f.month);
    return Math.max(0, Math.floor(months / every));
  }
  const days = Math.round(l.diff(f, "days").days);
  return Math.max(0, Math.floor(days / (layer.rotation === "daily" ? every : 7 * every)));
}

/**
 * Who is on shift in `layer` at `at` (ignoring coverage), or undefined before the first handoff,
 * when the layer has no participants, or when its start date or the zone is invalid.
 * Shift k starts at handoff k (inclusive) and ends at handoff k+1 (exclusive); participants take
 * turns in order, starting again from the first after the last.
 */
export function shiftAt(layer: Layer, zone: string, at: Date): Shift | undefined {
  const n = layer.participants.length;
  const first = firstHandoffDate(layer);
  if (n === 0 || !first || !isValidZone(zone)) return undefined;
  const t = at.getTime();
  if (!Number.isFinite(t) || t < shiftStart(layer, zone, 0).toMillis()) return undefined;
  const startOf = (i: number) => shiftStart(layer, zone, i).toMillis();
  let k = estimateIndex(layer, first, DateTime.fromMillis(t, { zone }));
  let start = startOf(k);
  while (k > 0 && start > t) start = startOf(--k);
  let end = startOf(k + 1);
  while (end <= t) {
    k++;
    start = end;
    end = startOf(k + 1);
  }
  return { who: layer.participants[k % n]!, index: k, start: new Date(start), end: new Date(end) };
}

/** The first handoff of `layer` strictly after `at`, or undefined if it cannot be computed. */
export function nextShiftStart(layer: Layer, zone: string, at: Date): Date | undefined {
  if (layer.participants.length === 0 || !isValidZone(zone)) return undefined;
  const first = shiftStart(layer, zone, 0);
  if (!first.isValid) return undefined;
  if (at.getTime() < first.toMillis()) return first.toJSDate();
  return shiftAt(layer, zone, at)?.end;
}

/** The covered window [start, end) on local `date`, or undefined if `date` is not a covered day. */
function coverageWindow(coverage: Exclude<Coverage, "always">, zone: string, date: LocalDate): { start: number; end: number } | undefined {
  const weekday = WEEKDAYS[utcDate(date).weekday - 1]!;
  if (!coverage.days.includes(weekday)) return undefined;
  return { start: localInstant(date, coverage.from, zone).at.toMillis(), end: localInstant(date, coverage.to, zone).at.toMillis() };
}

/**
 * Whether `at` falls inside the coverage hours, read in the schedule's time zone: on each listed
 * day, from `from` (inclusive) to `to` (exclusive), local times resolved by {@link localInstant}.
 * No coverage, or `always`, covers every instant.
 */
export function covers(coverage: Coverage | undefined, zone: string, at: Date): boolean {
  if (coverage === undefined || coverage === "always") return true;
  if (!isValidZone(zone)) return false;
  const t = at.getTime();
  const local = DateTime.fromMillis(t, { zone });
  const w = coverageWindow(coverage, zone, toLocalDate(local));
  return w !== undefined && w.start <= t && t < w.end;
}

/** The first instant strictly after `at` at which coverage starts or ends, or undefined (always / no days). */
export function nextCoverageChange(coverage: Coverage | undefined, zone: string, at: Date): Date | undefined {
  if (coverage === undefined || coverage === "always" || !isValidZone(zone)) return undefined;
  const t = at.getTime();
  const today = utcDate(toLocalDate(DateTime.fromMillis(t, { zone })));
  for (let i = -1; i <= 8; i++) {
    const w = coverageWindow(coverage, zone, toLocalDate(today.plus({ days: i })));
    if (!w) continue;
    if (w.start > t) return new Date(w.start);
    if (w.end > t) return new Date(w.end);
  }
  return undefined;
}
