/**
 * Who is unavailable when: oncall.yml `unavailable` (vacation, leave: from a date or instant, to a
 * date or instant) and the public holidays of each person's `people.<login>.holidays` calendar.
 *
 * - A date `from` is the start of that day (00:00) in the person's time zone; a date `to` is the end
 *   of that day (the next day's 00:00): the whole day is included. An instant `from` is included,
 *   an instant `to` excluded, as for overrides.
 * - A person's time zone is `people.<login>.timezone`, else the first schedule's (the team's zone,
 *   the one incident messages are written in), else UTC. Local midnights are resolved like every
 *   local time of oncall.yml (src/core/oncall/shift.ts `localInstant`), so a day across a DST change
 *   is 23 or 25 hours long.
 * - A public holiday is the whole local day of its date, in the person's time zone.
 *
 * This is a pure API over an OncallFile (memoised per file object): {@link unavailableAt},
 * {@link absencesBetween}, {@link nextAvailabilityChange}, {@link absenceRange}. The rotation
 * (src/core/oncall/resolve.ts) uses it to skip an unavailable person to the shift's backup.
 */
import { DateTime } from "luxon";
import type { OncallFile, Unavailability } from "../model/oncall.js";
import { publicHolidays } from "./holidays.js";
import { isValidZone, localInstant, parseLocalDate, type LocalDate } from "./shift.js";

/** Why someone is unavailable, and for how long. */
export interface Absence {
  /** The login as written in the file. */
  who: string;
  /** The instant it starts (included) and ends (excluded). */
  from: Date;
  until: Date;
  /** In words: the entry's `reason`, or `public holiday (DE-BE): Good Friday`. */
  reason: string;
  /** Where it comes from: an entry of `unavailable` (its index), or a public holiday. */
  source: { kind: "unavailable"; index: number } | { kind: "holiday"; calendar: string; date: string; name: string };
}

interface PersonIndex {
  zone: string;
  /** `unavailable` entries of this person, resolved, in file order (invalid ranges left out). */
  ranges: Absence[];
  calendar?: string;
}

interface Index {
  people: Map<string, PersonIndex>;
  empty: boolean;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The zone a person's dates are read in: theirs, else the first schedule's, else UTC. */
export function personZone(oncall: OncallFile | undefined, login: string): string {
  const own = personEntry(oncall, login)?.timezone;
  if (own !== undefined && isValidZone(own)) return own;
  const first = Object.values(oncall?.schedules ?? {})[0]?.timezone;
  return first !== undefined && isValidZone(first) ? first : "UTC";
}

function personEntry(oncall: OncallFile | undefined, login: string) {
  const people = oncall?.people;
  if (!people) return undefined;
  const lower = login.toLowerCase();
  for (const [name, entry] of Object.entries(people)) if (name.toLowerCase() === lower) return entry;
  return undefined;
}

function nextDay(date: LocalDate): LocalDate {
  const d = DateTime.fromObject(date, { zone: "UTC" }).plus({ days: 1 });
  return { year: d.year, month: d.month, day: d.day };
}

function edge(text: string, zone: string, end: boolean): number {
  if (DATE_ONLY.test(text)) {
    const date = parseLocalDate(text);
    if (!date) return NaN;
    return localInstant(end ? nextDay(date) : date, "00:00", zone).at.toMillis();
  }
  const d = DateTime.fromISO(text, { setZone: true });
  return d.isValid ? d.toMillis() : NaN;
}

/** The instants an `unavailable` entry covers, [from, until); undefined when a date is not real or `to` is not after `from`. */
export function absenceRange(oncall: OncallFile | undefined, entry: Unavailability): { from: number; until: number } | undefined {
  const zone = personZone(oncall, entry.who);
  const from = edge(entry.from, zone, false);
  const until = edge(entry.to, zone, true);
  if (!Number.isFinite(from) || !Number.isFinite(until) || until <= from) return undefined;
  return { from, until };
}

const indexes = new WeakMap<OncallFile, Index>();

function indexOf(oncall: OncallFile): Index {
  let index = indexes.get(oncall);
  if (index) return index;
  const people = new Map<string, PersonIndex>();
  const person = (login: string): PersonIndex => {
    const key = login.toLowerCase();
    let p = people.get(key);
    if (!p) {
      p = { zone: personZone(oncall, login), ranges: [] };
      people.set(key, p);
    }
    return p;
  };
  (oncall.unavailable ?? []).forEach((entry, i) => {
    const range = absenceRange(oncall, entry);
    if (!range) return;
    person(entry.who).ranges.push({
      who: entry.who,
      from: new Date(range.from),
      until: new Date(range.until),
      reason: entry.reason?.trim() || "unavailable",
      source: { kind: "unavailable", index: i },
    });
  });
  for (const [login, entry] of Object.entries(oncall.people ?? {})) {
    if (entry.holidays !== undefined) person(login).calendar = entry.holidays;
  }
  index = { people, empty: people.size === 0 };
  indexes.set(oncall, index);
  return index;
}

function localDateAt(t: number, zone: string): LocalDate {
  const d = DateTime.fromMillis(t, { zone });
  return { year: d.year, month: d.month, day: d.day };
}

function isoDate(d: LocalDate): string {
  return `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

function holidayAbsence(who: string, p: PersonIndex, date: LocalDate, name: string): Absence {
  const calendar = p.calendar!;
  return {
    who,
    from: localInstant(date, "00:00", p.zone).at.toJSDate(),
    until: localInstant(nextDay(date), "00:00", p.zone).at.toJSDate(),
    reason: `public holiday (${calendar}): ${name}`,
    source: { kind: "holiday", calendar, date: isoDate(date), name },
  };
}

function holidayOn(p: PersonIndex, date: LocalDate): string | undefined {
  if (p.calendar === undefined) return undefined;
  const iso = isoDate(date);
  return publicHolidays(p.calendar, date.year).find((h) => h.date === iso)?.name;
}

/**
 * Why `login` is unavailable at `at`, or undefined when they are available. The first matching
 * `unavailable` entry (file order) wins over a public holiday.
 */
export function unavailableAt(oncall: OncallFile | undefined, login: string, at: Date): Absence | undefined {
  if (!oncall) return undefined;
  const index = indexOf(oncall);
  if (index.empty) return undefined;
  const p = index.people.get(login.toLowerCase());
  if (!p) return undefined;
  const t = at.getTime();
  const range = p.ranges.find((r) => r.from.getTime() <= t && t < r.until.getTime());
  if (range) return range;
  if (p.calendar === undefined) return undefined;
  const date = localDateAt(t, p.zone);
  const name = holidayOn(p, date);
  return name === undefined ? undefined : holidayAbsence(login, p, date, name);
}

/** Every absence of `login` overlapping [from, until), in time order (holidays included). */
export function absencesBetween(oncall: OncallFile | undefined, login: string, from: Date, until: Date): Absence[] {
  if (!oncall) return [];
  const p = indexOf(oncall).people.get(login.toLowerCase());
  if (!p) return [];
  const a = from.getTime();
  const b = until.getTime();
  const out = p.ranges.filter((r) => r.from.getTime() < b && r.until.getTime() > a);
  if (p.calendar !== undefined) {
    const first = localDateAt(a, p.zone);
    const last = localDateAt(b, p.zone);
    for (let year = first.year; year <= last.year; year++) {
      for (const h of publicHolidays(p.calendar, year)) {
        const date = parseLocalDate(h.date);
        if (!date) continue;
        const abs = holidayAbsence(login, p, date, h.name);
        if (abs.from.getTime() < b && abs.until.getTime() > a) out.push(abs);
      }
    }
  }
  return out.sort((x, y) => x.from.getTime() - y.from.getTime());
}

/**
 * The first instant strictly after `after` at which any of `logins` becomes available or
 * unavailable (an `unavailable` range starting or ending, a public holiday starting or ending).
 */
export function nextAvailabilityChange(oncall: OncallFile | undefined, logins: readonly string[], after: Date): number | undefined {
  if (!oncall) return undefined;
  const index = indexOf(oncall);
  if (index.empty) return undefined;
  const t = after.getTime();
  let best = Infinity;
  const seen = new Set<string>();
  for (const login of logins) {
    const key = login.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const p = index.people.get(key);
    if (!p) continue;
    for (const r of p.ranges) {
      const f = r.from.getTime();
      const u = r.until.getTime();
      if (f > t && f < best) best = f;
      if (u > t && u < best) best = u;
    }
    if (p.calendar !== undefined) {
      const today = localDateAt(t, p.zone);
      if (holidayOn(p, today) !== undefined) {
        const end = localInstant(nextDay(today), "00:00", p.zone).at.toMillis();
        if (end > t && end < best) best = end;
      } else {
        const iso = isoDate(today);
        const next =
          publicHolidays(p.calendar, today.year).find((h) => h.date > iso) ?? publicHolidays(p.calendar, today.year + 1)[0];
        const date = next ? parseLocalDate(next.date) : undefined;
        if (date) {
          const start = localInstant(date, "00:00", p.zone).at.toMillis();
          if (start > t && start < best) best = start;
        }
      }
    }
  }
  return Number.isFinite(best) ? best : undefined;
}
