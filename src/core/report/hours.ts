/**
 * Working hours and after-hours time, in a person's IANA zone. Days are walked in local time, so a
 * daylight-saving change is counted as the clock says (a spring-forward night has one hour less),
 * and a weekend is after hours from Friday's end to Monday's start.
 */
import { DateTime } from "luxon";
import { safeZone } from "../incidents/time.js";

/** Working hours: these weekdays (1 = Monday … 7 = Sunday), from `from` to `to` (minutes after local midnight, `to` may be 1440). */
export interface WorkingHours {
  days: number[];
  from: number;
  to: number;
}

/** Monday to Friday, 09:00 to 18:00 local time. */
export const DEFAULT_WORKING_HOURS: WorkingHours = { days: [1, 2, 3, 4, 5], from: 9 * 60, to: 18 * 60 };

const DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** `Mon-Fri 09:00-18:00`: working hours as `--working-hours` takes them. */
export function formatWorkingHours(h: WorkingHours): string {
  const days = [...h.days].sort((a, b) => a - b);
  const contiguous = days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  const name = (d: number) => DAY_NAMES[d - 1]!.charAt(0).toUpperCase() + DAY_NAMES[d - 1]!.slice(1);
  const dayText = contiguous && days.length > 1 ? `${name(days[0]!)}-${name(days.at(-1)!)}` : days.map(name).join(",");
  return `${dayText} ${clock(h.from)}-${clock(h.to)}`;
}

/**
 * Parse `Mon-Fri 09:00-18:00` (or `mon,wed,fri 08:30-17:00`). Bounded and linear: at most 60
 * characters, split on known separators, no regular expression over the whole text.
 */
export function parseWorkingHours(text: string): WorkingHours | { error: string } {
  const hint = "working hours are days and a time range, e.g. `Mon-Fri 09:00-18:00` or `mon,tue,thu 08:00-16:30`";
  if (text.length > 60) return { error: hint };
  const parts = text.trim().split(" ").filter((p) => p !== "");
  if (parts.length !== 2) return { error: hint };
  const [dayText, range] = parts as [string, string];
  const dayIndex = (name: string) => DAY_NAMES.indexOf(name.toLowerCase().slice(0, 3)) + 1;
  const days = new Set<number>();
  for (const item of dayText.split(",")) {
    const ends = item.split("-");
    if (ends.length > 2 || ends.some((e) => e.length < 3 || dayIndex(e) === 0)) return { error: `unknown day \`${item}\`: ${hint}` };
    const a = dayIndex(ends[0]!);
    const b = dayIndex(ends.at(-1)!);
    if (b < a) return { error: `day range \`${item}\` runs backwards: ${hint}` };
    for (let d = a; d <= b; d++) days.add(d);
  }
  const times = range.split("-");
  const minutes = (t: string): number | undefined => {
    const [h, m] = t.split(":");
    if (h === undefined || m === undefined || h.length !== 2 || m.length !== 2) return undefined;
    const hh = Number(h);
    const mm = Number(m);
    if (!Number.isInteger(hh) || !Number.isInteger(mm) || mm > 59 || hh > 24 || (hh === 24 && mm !== 0)) return undefined;
    return hh * 60 + mm;
  };
  const from = times.length === 2 ? minutes(times[0]!) : undefined;
  const to = times.length === 2 ? minutes(times[1]!) : undefined;
  if (from === undefined || to === undefined) return { error: `time range \`${range}\`: ${hint}` };
  if (to <= from) return { error: `time range \`${range}\` ends before it starts (a window cannot cross midnight): ${hint}` };
  return { days: [...days].sort((a, b) => a - b), from, to };
}

/** Whether instant `at` (epoch ms) falls outside working hours in `zone`. */
export function isAfterHours(at: number, zone: string, hours: WorkingHours): boolean {
  const local = DateTime.fromMillis(at, { zone: safeZone(zone) });
  const minute = local.hour * 60 + local.minute;
  return !(hours.days.includes(local.weekday) && minute >= hours.from && minute < hours.to);
}

/** The instant of local minute `minutes` (0–1440) on the local day starting at `day`. */
function localMinute(day: DateTime, minutes: number): number {
  if (minutes >= 1440) return day.plus({ days: 1 }).startOf("day").toMillis();
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 }).toMillis();
}

/** Milliseconds of [from, until) that fall inside working hours in `zone`. */
export function workingMs(from: number, until: number, zone: string, hours: WorkingHours): number {
  if (until <= from) return 0;
  let total = 0;
  let day = DateTime.fromMillis(from, { zone: safeZone(zone) }).startOf("day");
  while (day.toMillis() < until) {
    if (hours.days.includes(day.weekday)) {
      const start = localMinute(day, hours.from);
      const end = localMinute(day, hours.to);
      total += Math.max(0, Math.min(until, end) - Math.max(from, start));
    }
    day = day.plus({ days: 1 }).startOf("day");
  }
  return total;
}

/** Milliseconds of [from, until) outside working hours in `zone`. */
export function afterHoursMs(from: number, until: number, zone: string, hours: WorkingHours): number {
  return until <= from ? 0 : until - from - workingMs(from, until, zone, hours);
}
