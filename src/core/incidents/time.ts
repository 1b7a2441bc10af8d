import { DateTime } from "luxon";
import { formatDuration } from "../duration.js";
import { isValidZone } from "../oncall/shift.js";

export const MINUTE_MS = 60_000;

/** A zone Charter can format in: the given IANA zone if valid, else UTC. */
export function safeZone(zone: string | undefined): string {
  return zone && isValidZone(zone) ? zone : "UTC";
}

/**
 * The zone's short name at an instant in a locale (`CEST`, `GMT+2`), as luxon's `ZZZZ` gives it
 * (the same Intl options), from one formatter per (locale, zone): luxon builds a new
 * Intl.DateTimeFormat on every `ZZZZ`, most of an incident message's cost.
 */
const zoneNameFormats = new Map<string, Intl.DateTimeFormat>();
function zoneName(ts: number, locale: string, zone: string): string {
  const key = `${locale} ${zone}`;
  let f = zoneNameFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZoneName: "short", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZone: zone });
    if (zoneNameFormats.size >= 1_000) zoneNameFormats.clear();
    zoneNameFormats.set(key, f);
  }
  return f.formatToParts(ts).find((p) => p.type.toLowerCase() === "timezonename")?.value ?? "";
}

function abbreviation(d: DateTime): string {
  const zone = d.zoneName ?? "UTC";
  const us = zoneName(d.toMillis(), "en-US", zone);
  if (!us.startsWith("GMT")) return us;
  const gb = zoneName(d.toMillis(), "en-GB", zone);
  return gb.startsWith("GMT") && d.offset !== 0 ? `UTC${d.toFormat("ZZ")}` : gb;
}

/** `Mon 2025-06-02 12:00 CEST`: an instant as people in `zone` read it. */
export function formatAt(at: Date | number, zone: string): string {
  const d = DateTime.fromMillis(typeof at === "number" ? at : at.getTime(), { zone: safeZone(zone) });
  return `${d.setLocale("en-GB").toFormat("ccc yyyy-LL-dd HH:mm")} ${abbreviation(d)}`;
}

/** `12:00 CEST`: the time of day only. */
export function formatClock(at: Date | number, zone: string): string {
  const d = DateTime.fromMillis(typeof at === "number" ? at : at.getTime(), { zone: safeZone(zone) });
  return `${d.toFormat("HH:mm")} ${abbreviation(d)}`;
}

/** `2025-06-07`: the local date. */
export function formatDate(at: Date | number, zone: string): string {
  return DateTime.fromMillis(typeof at === "number" ? at : at.getTime(), { zone: safeZone(zone) }).toFormat("yyyy-LL-dd");
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
