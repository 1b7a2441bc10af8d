import { DateTime, Settings } from "luxon";
import { describe, expect, it } from "vitest";
import type { Layer } from "../../src/core/model/oncall.js";
import { covers, localInstant, nextCoverageChange, shiftAt, shiftStart, shiftStartResolved, skippedRange } from "../../src/core/oncall/shift.js";

/** Every instant in these tests is explicit; the machine clock is never read. */
const at = (iso: string) => new Date(iso);
const iso = (d: Date | undefined) => d?.toISOString();

const weekly = (over: Partial<Layer> = {}): Layer => ({
  name: "weekly",
  rotation: "weekly",
  handoff: { day: "monday", time: "09:00" },
  start: "2025-01-06",
  participants: ["ann", "bob", "cat", "dan"],
  ...over,
});

describe("localInstant: local times on DST days", () => {
  it("reads an ordinary local time with the offset in force", () => {
    const r = localInstant({ year: 2025, month: 3, day: 24 }, "09:00", "Europe/Berlin");
    expect(r.kind).toBe("exact");
    expect(r.at.toUTC().toISO()).toBe("2025-03-24T08:00:00.000Z");
  });

  it("moves a skipped local time forward by the length of the jump (Berlin spring: 02:30 → 03:30 CEST)", () => {
    const r = localInstant({ year: 2025, month: 3, day: 30 }, "02:30", "Europe/Berlin");
    expect(r.kind).toBe("skipped");
    expect(r.at.toUTC().toISO()).toBe("2025-03-30T01:30:00.000Z");
    expect(r.at.toISO()).toBe("2025-03-30T03:30:00.000+02:00");
  });

  it("takes the first occurrence of a repeated local time (Berlin autumn: 02:30 CEST, not CET)", () => {
    const r = localInstant({ year: 2025, month: 10, day: 26 }, "02:30", "Europe/Berlin");
    expect(r.kind).toBe("repeated");
    expect(r.at.toUTC().toISO()).toBe("2025-10-26T00:30:00.000Z");
  });

  it("does the same in America/New_York (2025-03-09 and 2025-11-02)", () => {
    const spring = localInstant({ year: 2025, month: 3, day: 9 }, "02:30", "America/New_York");
    expect([spring.kind, spring.at.toUTC().toISO()]).toEqual(["skipped", "2025-03-09T07:30:00.000Z"]);
    const autumn = localInstant({ year: 2025, month: 11, day: 2 }, "01:30", "America/New_York");
    expect([autumn.kind, autumn.at.toUTC().toISO()]).toEqual(["repeated", "2025-11-02T05:30:00.000Z"]);
  });

  it("does not depend on the machine clock (luxon's own guess does)", () => {
    const original = Settings.now;
    const resolveWith = (clock: string) => {
      Settings.now = () => Date.parse(clock);
      try {
        return [
          localInstant({ year: 2025, month: 10, day: 26 }, "02:30", "Europe/Berlin").at.toMillis(),
          DateTime.fromObject({ year: 2025, month: 10, day: 26, hour: 2, minute: 30 }, { zone: "Europe/Berlin" }).toMillis(),
        ];
      } finally {
        Settings.now = original;
      }
    };
    const [oursInSummer, luxonInSummer] = resolveWith("2025-07-01T00:00Z");
    const [oursInWinter, luxonInWinter] = resolveWith("2025-01-01T00:00Z");
    expect(oursInSummer).toBe(Date.parse("2025-10-26T00:30Z"));
    expect(oursInWinter).toBe(Date.parse("2025-10-26T00:30Z"));
    // the reason localInstant exists: luxon resolves the repeated hour by the current offset
    expect(luxonInSummer).not.toBe(luxonInWinter);
  });

  it("reads 24:00 as midnight at the end of the day", () => {
    expect(localInstant({ year: 2025, month: 3, day: 29 }, "24:00", "Europe/Berlin").at.toUTC().toISO()).toBe("2025-03-29T23:00:00.000Z");
  });

  it("names the skipped range", () => {
    expect(skippedRange({ year: 2025, month: 3, day: 30 }, "02:30", "Europe/Berlin")).toEqual({ from: "02:00", to: "03:00" });
    expect(skippedRange({ year: 2025, month: 3, day: 9 }, "02:15", "America/New_York")).toEqual({ from: "02:00", to: "03:00" });
    expect(skippedRange({ year: 2025, month: 10, day: 26 }, "02:30", "Europe/Berlin")).toBeUndefined();
  });
});

describe("weekly rotation, Monday 09:00: the handoff stays at 09:00 local across DST", () => {
  const cases: [string, string, string, string][] = [
    // zone, local date of the Monday before the change, UTC before, UTC after
    ["Europe/Berlin", "spring 2025-03-30", "2025-03-24T08:00:00.000Z", "2025-03-31T07:00:00.000Z"],
    ["Europe/Berlin", "autumn 2025-10-26", "2025-10-20T07:00:00.000Z", "2025-10-27T08:00:00.000Z"],
    ["America/New_York", "spring 2025-03-09", "2025-03-03T14:00:00.000Z", "2025-03-10T13:00:00.000Z"],
    ["America/New_York", "autumn 2025-11-02", "2025-10-27T13:00:00.000Z", "2025-11-03T14:00:00.000Z"],
  ];
  it.each(cases)("%s, %s", (zone, _label, before, after) => {
    const layer = weekly();
    const first = shiftAt(layer, zone, at(before))!;
    expect(iso(first.start)).toBe(before);
    expect(iso(first.end)).toBe(after);
    const next = shiftAt(layer, zone, at(after))!;
    expect(next.index).toBe(first.index + 1);
    expect(next.who).not.toBe(first.who);
    expect(iso(next.start)).toBe(after);
    // one millisecond earlier is still the previous shift
    expect(shiftAt(layer, zone, new Date(Date.parse(after) - 1))!.who).toBe(first.who);
  });

  it("keeps 09:00 on every handoff for two years (spans four DST changes)", () => {
    const layer = weekly();
    for (let k = 0; k < 104; k++) {
      const start = shiftStart(layer, "Europe/Berlin", k);
      expect([start.weekday, start.hour, start.minute]).toEqual([1, 9, 0]);
    }
  });
});

describe("week boundary: Sunday 23:59 → Monday 09:00", () => {
  const layer = weekly();
  const zone = "Europe/Berlin";
  // 2025-03-17 is the 11th Monday from 2025-01-06: shift 10 (cat), then shift 11 (dan) from 2025-03-24 09:00.
  it("changes who is on shift exactly at 09:00, not at midnight", () => {
    expect(shiftAt(layer, zone, at("2025-03-23T23:59:00+01:00"))!.who).toBe("cat");
    expect(shiftAt(layer, zone, at("2025-03-24T00:00:00+01:00"))!.who).toBe("cat");
    expect(shiftAt(layer, zone, at("2025-03-24T08:59:59.999+01:00"))!.who).toBe("cat");
    const s = shiftAt(layer, zone, at("2025-03-24T09:00:00+01:00"))!;
    expect([s.who, s.index, iso(s.start), iso(s.end)]).toEqual(["dan", 11, "2025-03-24T08:00:00.000Z", "2025-03-31T07:00:00.000Z"]);
  });

  it("wraps around to the first participant after the last", () => {
    expect(shiftAt(layer, zone, at("2025-03-31T09:00+02:00"))!.who).toBe("ann");
  });

  it("has nobody before the first handoff; a start that is not a Monday waits for the first Monday", () => {
    expect(shiftAt(layer, zone, at("2025-01-06T08:59+01:00"))).toBeUndefined();
    expect(shiftAt(layer, zone, at("2025-01-06T09:00+01:00"))!.who).toBe("ann");
    const fromWednesday = weekly({ start: "2025-01-08" });
    expect(iso(shiftStart(fromWednesday, zone, 0).toJSDate())).toBe("2025-01-13T08:00:00.000Z");
    expect(shiftAt(fromWednesday, zone, at("2025-01-10T12:00+01:00"))).toBeUndefined();
  });
});

describe("a handoff time inside the spring-forward jump", () => {
  // Sunday 02:30 in Berlin: on 2025-03-30 there is no 02:30; the shift starts at 03:30 CEST.
  const layer = weekly({ handoff: { day: "sunday", time: "02:30" }, start: "2025-03-23" });
  const zone = "Europe/Berlin";
  it("starts that shift at 03:30 local (01:30Z) and goes back to 02:30 the next week", () => {
    const s = shiftStartResolved(layer, zone, 1);
    expect([s.kind, s.at.toISO()]).toEqual(["skipped", "2025-03-30T03:30:00.000+02:00"]);
    expect(shiftAt(layer, zone, at("2025-03-30T03:29+02:00"))!.who).toBe("ann");
    expect(shiftAt(layer, zone, at("2025-03-30T03:30+02:00"))!.who).toBe("bob");
    expect(shiftStart(layer, zone, 2).toISO()).toBe("2025-04-06T02:30:00.000+02:00");
  });

  it("a rotation that starts on the day of the jump is back at 02:30 the next day (the shift does not carry over)", () => {
    const daily: Layer = { rotation: "daily", handoff: { time: "02:30" }, start: "2025-03-30", participants: ["ann", "bob"] };
    expect(shiftStart(daily, zone, 0).toISO()).toBe("2025-03-30T03:30:00.000+02:00");
    expect(shiftStart(daily, zone, 1).toISO()).toBe("2025-03-31T02:30:00.000+02:00");
    expect(shiftStart(daily, zone, 7).toISO()).toBe("2025-04-06T02:30:00.000+02:00");
  });

  it("hands over at the first 02:30 on the autumn day the hour repeats", () => {
    const autumn = weekly({ handoff: { day: "sunday", time: "02:30" }, start: "2025-10-19" });
    expect(iso(shiftAt(autumn, zone, at("2025-10-26T02:45+02:00"))!.start)).toBe("2025-10-26T00:30:00.000Z");
    expect(shiftAt(autumn, zone, at("2025-10-26T00:29Z"))!.who).toBe("ann");
    expect(shiftAt(autumn, zone, at("2025-10-26T00:30Z"))!.who).toBe("bob");
  });
});

describe("daily, every N, monthly", () => {
  it("daily: hands over every day at the handoff time, also on DST days", () => {
    const layer: Layer = { rotation: "daily", handoff: { time: "08:00" }, start: "2025-03-28", participants: ["ann", "bob"] };
    const zone = "Europe/Berlin";
    expect(shiftAt(layer, zone, at("2025-03-28T07:59+01:00"))).toBeUndefined();
    expect(shiftAt(layer, zone, at("2025-03-28T08:00+01:00"))!.who).toBe("ann");
    expect(shiftAt(layer, zone, at("2025-03-29T08:00+01:00"))!.who).toBe("bob");
    const sunday = shiftAt(layer, zone, at("2025-03-30T12:00+02:00"))!;
    expect([sunday.who, iso(sunday.start), iso(sunday.end)]).toEqual(["ann", "2025-03-30T06:00:00.000Z", "2025-03-31T06:00:00.000Z"]);
    // the day of the change is 23 hours long
    expect(sunday.start.getTime() - shiftAt(layer, zone, at("2025-03-29T12:00+01:00"))!.start.getTime()).toBe(23 * 3_600_000);
  });

  it("every: 2 — a bi-weekly rotation, each shift two weeks long", () => {
    const layer = weekly({ every: 2, participants: ["ann", "bob"] });
    const zone = "America/New_York";
    const s = shiftAt(layer, zone, at("2025-01-13T10:00-05:00"))!;
    expect([s.who, s.index, iso(s.start), iso(s.end)]).toEqual(["ann", 0, "2025-01-06T14:00:00.000Z", "2025-01-20T14:00:00.000Z"]);
    expect(shiftAt(layer, zone, at("2025-01-20T08:59-05:00"))!.who).toBe("ann");
    expect(shiftAt(layer, zone, at("2025-01-20T09:00-05:00"))!.who).toBe("bob");
    // 2025-03-03 is shift 4 (ann) until 2025-03-17 09:00 EDT, across the change on 2025-03-09
    const across = shiftAt(layer, zone, at("2025-03-10T12:00-04:00"))!;
    expect([across.who, iso(across.start), iso(across.end)]).toEqual(["ann", "2025-03-03T14:00:00.000Z", "2025-03-17T13:00:00.000Z"]);
  });

  it("monthly on day_of_month: the first handoff is the first such day on or after start", () => {
    const layer: Layer = { rotation: "monthly", handoff: { day_of_month: 15, time: "09:00" }, start: "2025-01-20", participants: ["ann", "bob", "cat"] };
    const zone = "Europe/Berlin";
    expect(shiftAt(layer, zone, at("2025-02-15T08:59+01:00"))).toBeUndefined();
    expect(shiftAt(layer, zone, at("2025-02-15T09:00+01:00"))!.who).toBe("ann");
    const april = shiftAt(layer, zone, at("2025-04-15T09:00+02:00"))!;
    expect([april.who, april.index, iso(april.start), iso(april.end)]).toEqual(["cat", 2, "2025-04-15T07:00:00.000Z", "2025-05-15T07:00:00.000Z"]);
    expect(shiftAt(layer, zone, at("2025-05-15T09:00+02:00"))!.who).toBe("ann");
  });

  it("a layer without participants or with an invalid start has nobody on shift", () => {
    expect(shiftAt(weekly({ participants: [] }), "Europe/Berlin", at("2025-06-02T12:00Z"))).toBeUndefined();
    expect(shiftAt(weekly({ start: "2025-02-30" }), "Europe/Berlin", at("2025-06-02T12:00Z"))).toBeUndefined();
    expect(shiftAt(weekly(), "Europe/Berln", at("2025-06-02T12:00Z"))).toBeUndefined();
  });
});

describe("coverage hours", () => {
  const business = { days: ["monday", "tuesday", "wednesday", "thursday", "friday"] as ("monday" | "tuesday" | "wednesday" | "thursday" | "friday")[], from: "09:00", to: "18:00" };
  const zone = "America/New_York";
  it("covers from (inclusive) to (exclusive) on the listed days, in local time", () => {
    expect(covers(business, zone, at("2025-03-07T08:59-05:00"))).toBe(false);
    expect(covers(business, zone, at("2025-03-07T09:00-05:00"))).toBe(true);
    expect(covers(business, zone, at("2025-03-07T17:59:59-05:00"))).toBe(true);
    expect(covers(business, zone, at("2025-03-07T18:00-05:00"))).toBe(false);
    expect(covers(business, zone, at("2025-03-08T12:00-05:00"))).toBe(false); // Saturday
    // after the change, 17:59 EDT is 21:59Z (an hour earlier in UTC than a week before)
    expect(covers(business, zone, at("2025-03-10T21:59Z"))).toBe(true);
    expect(covers(business, zone, at("2025-03-10T22:00Z"))).toBe(false);
    expect(covers("always", zone, at("2025-03-08T12:00Z"))).toBe(true);
    expect(covers(undefined, zone, at("2025-03-08T12:00Z"))).toBe(true);
  });

  it("24:00 covers to the end of the day", () => {
    const evening = { days: ["saturday" as const], from: "18:00", to: "24:00" };
    expect(covers(evening, zone, at("2025-03-08T23:59:59-05:00"))).toBe(true);
    expect(covers(evening, zone, at("2025-03-09T00:00-05:00"))).toBe(false);
  });

  it("finds the next start or end of coverage", () => {
    expect(iso(nextCoverageChange(business, zone, at("2025-03-07T12:00-05:00")))).toBe("2025-03-07T23:00:00.000Z");
    expect(iso(nextCoverageChange(business, zone, at("2025-03-07T18:00-05:00")))).toBe("2025-03-10T13:00:00.000Z");
    expect(nextCoverageChange("always", zone, at("2025-03-07T18:00-05:00"))).toBeUndefined();
  });
});
