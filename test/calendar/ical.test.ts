/**
 * The on-call calendar (RFC 5545), parsed back by a real iCalendar parser (Mozilla's ical.js):
 * D9's weekly shifts hand over at Monday 09:00 Europe/Berlin, which is 08:00Z in winter and 07:00Z
 * in summer; the override (Omar covers Opal's week, 24–31 March 2025) is an event of its own; the
 * Ingestion Owner's business hours are one event per covered day.
 */
import { join } from "node:path";
import ICAL from "ical.js";
import { beforeAll, describe, expect, it } from "vitest";
import { onCallCalendar } from "../../src/core/calendar/ical.js";
import { shiftsBetween } from "../../src/core/calendar/shifts.js";
import type { Governance } from "../../src/core/model/governance.js";
import { loadGovernance } from "../../src/load/load.js";
import { directorySource } from "../../src/load/source.js";

let g: Governance;
beforeAll(async () => {
  const r = await loadGovernance(directorySource(join(import.meta.dirname, "..", "..", "governance"), "governance"));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  g = r.governance;
});

interface Parsed {
  uid: string;
  summary: string;
  start: string;
  end: string;
  description: string;
}

/** Every VEVENT of an .ics text, its instants converted to UTC by ical.js. */
function parse(text: string): { events: Parsed[]; calendar: ICAL.Component } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents("vevent").map((c) => {
    const e = new ICAL.Event(c);
    return { uid: e.uid, summary: e.summary, start: e.startDate.toJSDate().toISOString(), end: e.endDate.toJSDate().toISOString(), description: e.description };
  });
  return { events, calendar };
}

const window = { from: new Date("2025-03-17T12:00Z"), to: new Date("2025-04-14T00:00Z"), stamp: new Date("2025-03-16T12:00Z"), source: "acme/ingestion" };

describe("the on-call calendar across the spring DST change", () => {
  it("the primary's shifts start and end at Monday 09:00 Berlin: 08:00Z before the change, 07:00Z after", () => {
    const { events } = parse(onCallCalendar(g.oncall!, { ...window, tier: "primary" }));
    expect(events.map((e) => [e.summary, e.start, e.end])).toEqual([
      ["omar-oncall: on call Primary (Ingestion on-call)", "2025-03-17T08:00:00.000Z", "2025-03-24T08:00:00.000Z"],
      ["omar-oncall: on call Primary (Ingestion on-call), covering for opal-oncall", "2025-03-24T08:00:00.000Z", "2025-03-31T07:00:00.000Z"],
      ["oscar-oncall: on call Primary (Ingestion on-call)", "2025-03-31T07:00:00.000Z", "2025-04-07T07:00:00.000Z"],
      ["olga-oncall: on call Primary (Ingestion on-call)", "2025-04-07T07:00:00.000Z", "2025-04-14T07:00:00.000Z"],
    ]);
  });

  it("says why an override's event exists", () => {
    const { events } = parse(onCallCalendar(g.oncall!, { ...window, tier: "primary" }));
    expect(events[1]!.description).toContain("Override (replaces opal-oncall): Opal on vacation, Omar covers her week (swap)");
    expect(events[2]!.description).toContain("Rotation, layer weekly");
  });

  it("one person's feed: Oscar's secondary week, then his primary week, across the change", () => {
    const { events } = parse(onCallCalendar(g.oncall!, { ...window, person: "Oscar-Oncall" }));
    expect(events.map((e) => [e.summary, e.start, e.end])).toEqual([
      ["On call: Secondary (Ingestion on-call)", "2025-03-24T08:00:00.000Z", "2025-03-31T07:00:00.000Z"],
      ["On call: Primary (Ingestion on-call)", "2025-03-31T07:00:00.000Z", "2025-04-07T07:00:00.000Z"],
    ]);
  });

  it("the Ingestion Owner's business hours: one event per weekday, 09:00–18:00 Berlin in either offset", () => {
    const { events } = parse(onCallCalendar(g.oncall!, { ...window, tier: "ingestion/owner", from: new Date("2025-03-27T00:00Z"), to: new Date("2025-04-01T00:00Z") }));
    expect(events.map((e) => [e.start, e.end])).toEqual([
      ["2025-03-27T08:00:00.000Z", "2025-03-27T17:00:00.000Z"],
      ["2025-03-28T08:00:00.000Z", "2025-03-28T17:00:00.000Z"],
      ["2025-03-31T07:00:00.000Z", "2025-03-31T16:00:00.000Z"],
    ]);
  });

  it("the autumn change: 07:00Z on 2025-10-20, 08:00Z on 2025-10-27", () => {
    const { events } = parse(onCallCalendar(g.oncall!, { ...window, tier: "secondary", from: new Date("2025-10-20T00:00Z"), to: new Date("2025-11-03T00:00Z") }));
    expect(events.map((e) => [e.start, e.end])).toEqual([
      ["2025-10-13T07:00:00.000Z", "2025-10-20T07:00:00.000Z"],
      ["2025-10-20T07:00:00.000Z", "2025-10-27T08:00:00.000Z"],
      ["2025-10-27T08:00:00.000Z", "2025-11-03T08:00:00.000Z"],
    ]);
  });

  it("is a valid RFC 5545 calendar: VERSION 2.0, PRODID, a DTSTAMP and a stable UID per event", () => {
    const text = onCallCalendar(g.oncall!, window);
    const { calendar, events } = parse(text);
    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
    expect(String(calendar.getFirstPropertyValue("prodid"))).toContain("Charter");
    for (const c of calendar.getAllSubcomponents("vevent")) expect(c.getFirstPropertyValue("dtstamp")).toBeTruthy();
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    // the same shifts, made later: the same UIDs (calendars update events rather than duplicating them)
    const later = parse(onCallCalendar(g.oncall!, { ...window, stamp: new Date("2025-03-18T00:00Z") })).events;
    expect(later.map((e) => e.uid)).toEqual(events.map((e) => e.uid));
    expect(text).toMatch(/\r\n/);
    expect(text).not.toMatch(/\nDTSTART;TZID/); // UTC instants: no time-zone definitions needed
  });

  it("the shifts at the window's edges are whole, so their events do not change as the window moves", () => {
    const spans = shiftsBetween(g.oncall!, new Date("2025-03-30T00:00Z"), new Date("2025-04-01T00:00Z"), { schedule: "ingestion", tier: "primary" });
    expect(spans.map((s) => [s.who.join(), s.start.toISOString(), s.end.toISOString(), s.source])).toEqual([
      ["omar-oncall", "2025-03-24T08:00:00.000Z", "2025-03-31T07:00:00.000Z", "override"],
      ["oscar-oncall", "2025-03-31T07:00:00.000Z", "2025-04-07T07:00:00.000Z", "rotation"],
    ]);
    const a = parse(onCallCalendar(g.oncall!, { ...window, tier: "primary", from: new Date("2025-03-31T08:00Z"), to: new Date("2025-04-02T00:00Z") })).events;
    const b = parse(onCallCalendar(g.oncall!, { ...window, tier: "primary", from: new Date("2025-04-03T08:00Z"), to: new Date("2025-04-05T00:00Z") })).events;
    expect(a).toEqual(b);
  });
});

describe("a shift covered because its person is unavailable", () => {
  // oscar-oncall (secondary, week of 24 March 2025) is away; the next in turn, olga-oncall, covers,
  // then has her own week: two events, the first saying whom she covers and why
  const away = () => ({ ...g.oncall!, unavailable: [{ who: "oscar-oncall", from: "2025-03-24", to: "2025-03-31", reason: "vacation" }] });

  it("is an event of its own, saying whom it covers and why, and the next shift of the same person another", () => {
    const { events } = parse(onCallCalendar(away(), { ...window, tier: "secondary", from: new Date("2025-03-24T12:00Z"), to: new Date("2025-04-10T00:00Z") }));
    expect(events.map((e) => [e.summary, e.start, e.end])).toEqual([
      ["olga-oncall: on call Secondary (Ingestion on-call), covering for oscar-oncall", "2025-03-24T08:00:00.000Z", "2025-03-31T07:00:00.000Z"],
      ["olga-oncall: on call Secondary (Ingestion on-call)", "2025-03-31T07:00:00.000Z", "2025-04-07T07:00:00.000Z"],
      ["omar-oncall: on call Secondary (Ingestion on-call)", "2025-04-07T07:00:00.000Z", "2025-04-14T07:00:00.000Z"],
    ]);
    expect(events[0]!.description).toContain("Rotation, layer weekly: covering for oscar-oncall, who is unavailable (vacation)");
    expect(events[1]!.description).not.toContain("covering");
  });

  it("the shift at the window's end is whole even when the same person's previous shift was a cover", () => {
    const spans = shiftsBetween(away(), new Date("2025-03-24T12:00Z"), new Date("2025-04-02T00:00Z"), { tier: "secondary" });
    expect(spans.map((s) => [s.who.join(), s.start.toISOString(), s.end.toISOString(), s.covering?.rostered ?? ""])).toEqual([
      ["olga-oncall", "2025-03-24T08:00:00.000Z", "2025-03-31T07:00:00.000Z", "oscar-oncall"],
      ["olga-oncall", "2025-03-31T07:00:00.000Z", "2025-04-07T07:00:00.000Z", ""],
    ]);
  });
});
