/**
 * Instants as people read them (`Mon 2025-06-02 12:00 CEST`): formatted with one Intl formatter
 * per zone, they read exactly as luxon formats them (the formulation Charter used before), in every
 * kind of zone, on each side of daylight-saving changes and week boundaries.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { formatAt, formatClock, formatDate } from "../../src/core/incidents/time.js";

/** The luxon formulation, kept here as the reference. */
function zoneNameRef(ts: number, locale: string, zone: string): string {
  const f = new Intl.DateTimeFormat(locale, { timeZoneName: "short", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZone: zone });
  return f.formatToParts(ts).find((p) => p.type.toLowerCase() === "timezonename")?.value ?? "";
}
function abbreviationRef(d: DateTime): string {
  const zone = d.zoneName ?? "UTC";
  const us = zoneNameRef(d.toMillis(), "en-US", zone);
  if (!us.startsWith("GMT")) return us;
  const gb = zoneNameRef(d.toMillis(), "en-GB", zone);
  return gb.startsWith("GMT") && d.offset !== 0 ? `UTC${d.toFormat("ZZ")}` : gb;
}
const zoneOf = (zone: string) => (DateTime.local().setZone(zone).isValid ? zone : "UTC");
const at = (ts: number, zone: string) => DateTime.fromMillis(ts, { zone: zoneOf(zone) });
const formatAtRef = (ts: number, zone: string) => `${at(ts, zone).setLocale("en-GB").toFormat("ccc yyyy-LL-dd HH:mm")} ${abbreviationRef(at(ts, zone))}`;
const formatClockRef = (ts: number, zone: string) => `${at(ts, zone).toFormat("HH:mm")} ${abbreviationRef(at(ts, zone))}`;
const formatDateRef = (ts: number, zone: string) => at(ts, zone).toFormat("yyyy-LL-dd");

const ZONES = ["UTC", "Europe/Berlin", "Europe/London", "America/New_York", "America/Sao_Paulo", "America/St_Johns", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dubai", "Asia/Tokyo", "Australia/Lord_Howe", "Australia/Sydney", "Pacific/Chatham", "Pacific/Apia", "Africa/Casablanca", "Etc/GMT+5", "Not/AZone", ""];

/** Instants around each daylight-saving change of 2025 and 2026 in `zone`, and around Monday 00:00 local. */
function interesting(zone: string): number[] {
  const out: number[] = [];
  const z = zoneOf(zone);
  let prev = DateTime.fromISO("2025-01-01T00:00", { zone: z });
  for (let t = prev; t.year < 2027; t = t.plus({ hours: 1 })) {
    if (t.offset !== prev.offset) for (const m of [-61, -31, -1, 0, 1, 29, 59, 61]) out.push(t.toMillis() + m * 60_000);
    prev = t;
  }
  for (const week of ["2025-03-31", "2025-10-27", "2026-03-30", "2026-12-28"]) {
    const monday = DateTime.fromISO(`${week}T00:00`, { zone: z }).toMillis();
    for (const m of [-1, 0, 1]) out.push(monday + m * 60_000);
  }
  return out;
}

describe("formatting instants for people", () => {
  it("reads as luxon reads it across daylight-saving changes and week boundaries, in every kind of zone", () => {
    let compared = 0;
    for (const zone of ZONES) {
      for (const ts of interesting(zone)) {
        expect(formatAt(ts, zone), `${zone} ${new Date(ts).toISOString()}`).toBe(formatAtRef(ts, zone));
        expect(formatClock(ts, zone)).toBe(formatClockRef(ts, zone));
        expect(formatDate(ts, zone)).toBe(formatDateRef(ts, zone));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
  });

  it("reads as luxon reads it at instants spread over 1970–2100 (seconds and milliseconds included)", () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 3000; i++) {
      const ts = Math.floor(random() * Date.UTC(2100, 0, 1));
      const zone = ZONES[i % ZONES.length]!;
      expect(formatAt(ts, zone), `${zone} ${new Date(ts).toISOString()}`).toBe(formatAtRef(ts, zone));
      expect(formatDate(new Date(ts), zone)).toBe(formatDateRef(ts, zone));
    }
  });

  it("says the examples of the docs", () => {
    expect(formatAt(Date.UTC(2025, 5, 2, 10, 0), "Europe/Berlin")).toBe("Mon 2025-06-02 12:00 CEST");
    expect(formatAt(Date.UTC(2025, 0, 6, 10, 0), "Asia/Kolkata")).toBe("Mon 2025-01-06 15:30 UTC+05:30"); // no short name in either locale: the offset
    expect(formatAt(Date.UTC(2025, 0, 6, 10, 0), "America/New_York")).toBe("Mon 2025-01-06 05:00 EST");
    expect(formatClock(Date.UTC(2025, 5, 2, 10, 0), "Asia/Dubai")).toBe("14:00 GST");
    expect(formatClock(Date.UTC(2025, 5, 2, 10, 0), "nowhere")).toBe("10:00 UTC");
  });
});
