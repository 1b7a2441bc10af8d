/**
 * The on-call calendar: an RFC 5545 (iCalendar) feed of shifts, written with `ical-generator`. One
 * event per shift and person; instants are written in UTC (`DTSTART:20250331T070000Z`), so every
 * calendar shows them at the right local time on both sides of a daylight-saving change without
 * needing time-zone definitions. Pure: the generation instant (`DTSTAMP`) is an argument, and the
 * same shifts give the same text.
 */
import { createHash } from "node:crypto";
import ical, { ICalCalendarMethod } from "ical-generator";
import type { OncallFile } from "../model/oncall.js";
import { shiftsBetween, type ShiftQuery, type ShiftSpan } from "./shifts.js";

export interface CalendarOptions extends ShiftQuery {
  /** Where the files are (`owner/name`, or a directory): named in the calendar and in each event's id. */
  source: string;
  from: Date;
  to: Date;
  /** When the feed was made (every event's DTSTAMP). */
  stamp: Date;
}

/** A stable event id: the same shift gives the same UID in every feed, so calendars update it rather than add another. */
function uid(source: string, span: ShiftSpan, who: string): string {
  const h = createHash("sha256").update(`${source.toLowerCase()}|${span.ref}|${who.toLowerCase()}|${span.start.toISOString()}`).digest("hex").slice(0, 24);
  return `${h}@charter`;
}

function summary(span: ShiftSpan, who: string, person: boolean): string {
  const what = `${span.tierTitle} (${span.scheduleTitle})`;
  const cover = span.source === "override" ? (span.override?.replaces ? `, covering for ${span.override.replaces}` : ", override") : span.covering ? `, covering for ${span.covering.rostered}` : "";
  return person ? `On call: ${what}${cover}` : `${who}: on call ${what}${cover}`;
}

function description(span: ShiftSpan, who: string): string {
  const why =
    span.source === "override"
      ? `Override${span.override?.replaces ? ` (replaces ${span.override.replaces})` : ""}${span.override?.reason ? `: ${span.override.reason}` : ""}`
      : `Rotation${span.layer ? `, layer ${span.layer}` : ""}${span.covering ? `: covering for ${span.covering.rostered}, who is unavailable (${span.covering.reason})` : ""}`;
  return [`${who} is on call for ${span.ref} (governance/oncall.yml).`, why, `Time zone of the schedule: ${span.zone}.`].join("\n");
}

/** The feed's text for `oncall` between `from` and `to`, filtered as asked. */
export function onCallCalendar(oncall: OncallFile, options: CalendarOptions): string {
  const spans = shiftsBetween(oncall, options.from, options.to, options);
  const scope = [options.schedule, options.tier, options.person].filter(Boolean).join(", ");
  const cal = ical({
    name: `On call: ${options.source}${scope ? ` (${scope})` : ""}`,
    description: `Who is on call, by oncall.yml of ${options.source} (Charter).`,
    prodId: { company: "Charter", product: "on-call calendar", language: "EN" },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 60 * 60,
  });
  for (const span of spans) {
    for (const who of span.who) {
      if (options.person && who.toLowerCase() !== options.person.toLowerCase()) continue;
      cal.createEvent({
        id: uid(options.source, span, who),
        start: span.start,
        end: span.end,
        stamp: options.stamp,
        summary: summary(span, who, Boolean(options.person)),
        description: description(span, who),
        categories: [{ name: span.ref }, { name: span.source }],
      });
    }
  }
  return cal.toString();
}
