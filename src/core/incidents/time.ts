import { formatDuration } from "../duration.js";
import { isValidZone } from "../oncall/shift.js";

export const MINUTE_MS = 60_000;

/** A zone Charter can format in: the given IANA zone if valid, else UTC. */
export function safeZone(zone: string | undefined): string {
  return zone && isValidZone(zone) ? zone : "UTC";
}

/** A formatter from `cache`, made once per key (the cache is emptied when it holds 1,000: zones and locales are few). */
function cachedFormat(cache: Map<string, Intl.DateTimeFormat>, key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = cache.get(key);
  if (!f) {
    f = make();
    if (cache.size >= 1_000) cache.clear();
    cache.set(key, f);
  }
  return f;
}

/**
 * The zone's short name at an instant in a locale (`CEST`, `GMT+2`), as luxon's `ZZZZ` gives it
 * (the same Intl options), from one formatter per (locale, zone).
 */
const zoneNameFormats = new Map<string, Intl.DateTimeFormat>();
function zoneName(ts: number, locale: string, zone: string): string {
  const f = cachedFormat(zoneNameFormats, `${locale} ${zone}`, () => new Intl.DateTimeFormat(locale, { timeZoneName: "short", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZone: zone }));
  return f.formatToParts(ts).find((p) => p.type.toLowerCase() === "timezonename")?.value ?? "";
}

/** An instant's local calendar fields in a zone, and the zone's offset then (minutes east of UTC). */
interface LocalTime {
  weekday: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  offset: number;
}
/**
 * One formatter per zone, one formatToParts per instant: what luxon's DateTime.fromMillis and
 * toFormat computed with several (an Intl formatter call is most of an incident message's cost).
 */
const localFormats = new Map<string, Intl.DateTimeFormat>();
function localTime(ts: number, zone: string): LocalTime {
  const f = cachedFormat(localFormats, zone, () => new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", weekday: "short", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", era: "short" }));
  const fields: Record<string, string> = {};
  for (const part of f.formatToParts(ts)) fields[part.type] = part.value;
  const bc = /^b/i.test(fields.era ?? "");
  const year = bc ? 1 - Number(fields.year) : Number(fields.year);
  const [month, day, hour, minute, second] = [fields.month, fields.day, fields.hour, fields.minute, fields.second].map(Number) as [number, number, number, number, number];
  // the offset: the local wall time read as UTC, minus the instant (to the second the formatter shows)
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(hour === 24 ? 0 : hour, minute, second, 0);
  const offset = Math.round((wall.getTime() - (ts - (((ts % 1000) + 1000) % 1000))) / 60_000);
  return { weekday: fields.weekday ?? "", year, month, day, hour: hour === 24 ? 0 : hour, minute, offset };
}

const two = (n: number) => String(n).padStart(2, "0");
const yyyy = (y: number) => (y < 0 ? `-${String(-y).padStart(6, "0")}` : y > 9999 ? `+${String(y).padStart(6, "0")}` : String(y).padStart(4, "0"));
/** `+05:30`, as luxon's `ZZ`. */
function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const m = Math.abs(minutes);
  return `${sign}${two(Math.floor(m / 60))}:${two(m % 60)}`;
}

function abbreviation(ts: number, zone: string, offset: number): string {
  const us = zoneName(ts, "en-US", zone);
  if (!us.startsWith("GMT")) return us;
  const gb = zoneName(ts, "en-GB", zone);
  return gb.startsWith("GMT") && offset !== 0 ? `UTC${offsetText(offset)}` : gb;
}

const millis = (at: Date | number) => (typeof at === "number" ? at : at.getTime());

/** `Mon 2025-06-02 12:00 CEST`: an instant as people in `zone` read it. */
export function formatAt(at: Date | number, zone: string): string {
  const ts = millis(at);
  const z = safeZone(zone);
  const t = localTime(ts, z);
  return `${t.weekday} ${yyyy(t.year)}-${two(t.month)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)} ${abbreviation(ts, z, t.offset)}`;
}

/** `12:00 CEST`: the time of day only. */
export function formatClock(at: Date | number, zone: string): string {
  const ts = millis(at);
  const z = safeZone(zone);
  const t = localTime(ts, z);
  return `${two(t.hour)}:${two(t.minute)} ${abbreviation(ts, z, t.offset)}`;
}

/** `2025-06-07`: the local date. */
export function formatDate(at: Date | number, zone: string): string {
  const t = localTime(millis(at), safeZone(zone));
  return `${yyyy(t.year)}-${two(t.month)}-${two(t.day)}`;
}

/** `+0m`, `+15m`, `+3h 5m`: time since the ladder started. */
export function formatOffset(ms: number): string {
  return `+${formatDuration(Math.max(0, ms))}`;
}

export function ms(iso: string): number {
  return Date.parse(iso);
}

export function iso(at: Date | number): string {
  return new Date(at).toISOString();
}
