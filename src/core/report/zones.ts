/**
 * Each person's time zone for after-hours figures: their own (`people.<login>.timezone` in
 * oncall.yml), else the zone of the first on-call schedule (in oncall.yml order) that names them,
 * as a rotation participant or in an override. Anyone else takes the first schedule's zone, else UTC.
 */
import type { OncallFile } from "../model/oncall.js";
import { safeZone } from "../incidents/time.js";

export function peopleZones(oncall: OncallFile | undefined): { zones: Record<string, string>; defaultZone: string } {
  const zones: Record<string, string> = {};
  for (const [login, p] of Object.entries(oncall?.people ?? {})) if (p.timezone) zones[login.toLowerCase()] = safeZone(p.timezone);
  const schedules = Object.values(oncall?.schedules ?? {});
  for (const s of schedules) {
    const zone = safeZone(s.timezone);
    const logins = [...Object.values(s.tiers).flatMap((t) => t.layers.flatMap((l) => l.participants)), ...(s.overrides ?? []).map((o) => o.who)];
    for (const login of logins) zones[login.toLowerCase()] ??= zone;
  }
  return { zones, defaultZone: safeZone(schedules[0]?.timezone) };
}
