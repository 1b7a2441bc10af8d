import { DateTime, IANAZone } from "luxon";
import { formatDuration } from "../duration.js";

export const MINUTE_MS = 60_000;

/** A zone Charter can format in: the given IANA zone if valid, else UTC. */
export function safeZone(zone: string | undefined): string {
  return zone && IANAZone.isValidZone(zone) ? zone : "UTC";
}

function abbreviation(d: DateTime): string {
  const us = d.setLocale("en-US").toFormat("ZZZZ");
  if (!us.startsWith("GMT")) return us;
  const gb = d.setLocale("en-GB").toFormat("ZZZZ");
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
