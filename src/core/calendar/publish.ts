/**
 * The calendar files Charter publishes on a branch (oncall.yml `calendar.branch`): `oncall.ics`
 * with every tier, and `people/<login>.ics` per person on call in the window. Their fingerprint
 * (a hash of the files without their DTSTAMP lines) goes in the commit message, so a run whose
 * files would be the same writes nothing. Pure.
 */
import { createHash } from "node:crypto";
import type { OncallFile } from "../model/oncall.js";
import { onCallCalendar } from "./ical.js";
import { shiftsBetween } from "./shifts.js";

const DAY_MS = 86_400_000;
export const DEFAULT_PUBLISHED_WEEKS = 8;

export interface CalendarFiles {
  /** Path on the branch → text. */
  files: Map<string, string>;
  /** `sha256:` of the files without their DTSTAMP lines. */
  fingerprint: string;
}

/** A login as a file name: what GitHub allows in a login (letters, digits, dashes), lower-cased. */
const fileName = (login: string) => login.toLowerCase().replace(/[^a-z0-9-]/g, "-");

export function calendarFiles(oncall: OncallFile, source: string, now: Date): CalendarFiles {
  const weeks = oncall.calendar?.weeks ?? DEFAULT_PUBLISHED_WEEKS;
  const from = new Date(now.getTime() - 7 * DAY_MS);
  const to = new Date(now.getTime() + weeks * 7 * DAY_MS);
  const files = new Map<string, string>();
  files.set("oncall.ics", onCallCalendar(oncall, { source, from, to, stamp: now }));
  const people = [...new Set(shiftsBetween(oncall, from, to).flatMap((s) => s.who.map((w) => w.toLowerCase())))].sort();
  for (const person of people) files.set(`people/${fileName(person)}.ics`, onCallCalendar(oncall, { source, from, to, stamp: now, person }));
  const hash = createHash("sha256");
  for (const [path, text] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) hash.update(`${path}\n${withoutStamps(text)}\n`);
  return { files, fingerprint: `sha256:${hash.digest("hex").slice(0, 32)}` };
}

/** The text without its DTSTAMP lines (they change on every run; nothing else does unless a shift does). */
export function withoutStamps(text: string): string {
  return text
    .split("\r\n")
    .filter((l) => !l.startsWith("DTSTAMP:"))
    .join("\r\n");
}

/** The fingerprint in a commit message Charter wrote (`… [calendar sha256:…]`). */
export function fingerprintIn(message: string): string | undefined {
  const at = message.lastIndexOf("[calendar sha256:");
  if (at < 0) return undefined;
  const end = message.indexOf("]", at);
  return end < 0 ? undefined : message.slice(at + "[calendar ".length, end);
}
