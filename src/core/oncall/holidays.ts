/**
 * Public holidays per country (and state or region), from the maintained `date-holidays` data.
 * Only holidays of type `public` count: the days people do not work by law. Each is a whole local
 * day (its date), read in the time zone of the person it applies to, never in the machine's.
 *
 * Pure: every year is asked for explicitly (the library reads the clock only when no year is
 * given), and answers are memoised per calendar and year.
 */
import Holidays from "date-holidays";

export interface PublicHoliday {
  /** The local date, `YYYY-MM-DD`. */
  date: string;
  /** Its name, in English where the data has it. */
  name: string;
}

const byYear = new Map<string, PublicHoliday[]>();
const calendars = new Map<string, Holidays | undefined>();
const MAX_CACHED = 2_000;

/** `DE-BE` → `["DE", "BE"]`. */
export function calendarParts(calendar: string): string[] {
  return calendar.split("-");
}

function calendarOf(calendar: string): Holidays | undefined {
  if (calendars.has(calendar)) return calendars.get(calendar);
  const [country = "", state, region] = calendarParts(calendar);
  const known = new Holidays();
  let hd: Holidays | undefined;
  if (known.getCountries()[country] !== undefined && (state === undefined || (known.getStates(country) ?? {})[state] !== undefined) && (region === undefined || (known.getRegions(country, state!) ?? {})[region] !== undefined)) {
    hd = region !== undefined ? new Holidays(country, state!, region, { languages: ["en"], types: ["public"] }) : state !== undefined ? new Holidays(country, state, { languages: ["en"], types: ["public"] }) : new Holidays(country, { languages: ["en"], types: ["public"] });
  }
  if (calendars.size >= MAX_CACHED) calendars.clear();
  calendars.set(calendar, hd);
  return hd;
}

/** Whether `date-holidays` knows this calendar (`DE`, `DE-BE`, `US-NY`, …). */
export function isKnownCalendar(calendar: string): boolean {
  return calendarOf(calendar) !== undefined;
}

/** What a calendar could have meant: the known codes at the level where it went wrong. */
export function calendarChoices(calendar: string): { level: "country" | "state" | "region"; known: string[]; country?: string } {
  const [country = "", state] = calendarParts(calendar);
  const hd = new Holidays();
  const countries = Object.keys(hd.getCountries());
  if (!countries.includes(country)) return { level: "country", known: countries };
  const states = Object.keys(hd.getStates(country) ?? {});
  if (state === undefined || !states.includes(state)) return { level: "state", known: states.map((s) => `${country}-${s}`), country };
  return { level: "region", known: Object.keys(hd.getRegions(country, state) ?? {}).map((r) => `${country}-${state}-${r}`), country };
}

/** The public holidays of `calendar` in `year`, in date order (empty for an unknown calendar). */
export function publicHolidays(calendar: string, year: number): PublicHoliday[] {
  const key = `${calendar}|${year}`;
  const known = byYear.get(key);
  if (known) return known;
  const hd = calendarOf(calendar);
  const seen = new Set<string>();
  const list: PublicHoliday[] = [];
  for (const h of hd?.getHolidays(year, "en") ?? []) {
    if (h.type !== "public") continue;
    const date = h.date.slice(0, 10);
    if (seen.has(date)) continue;
    seen.add(date);
    list.push({ date, name: h.name });
  }
  list.sort((a, b) => a.date.localeCompare(b.date));
  if (byYear.size >= MAX_CACHED) byYear.clear();
  byYear.set(key, list);
  return list;
}
