/** `charter oncall --ical`: the calendar of the repository's own D9 files, parsed by ical.js. */
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { charter, ROOT } from "../cli/support.js";

const events = (text: string) =>
  new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent").map((c) => {
    const e = new ICAL.Event(c);
    return [e.summary, e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()];
  });

describe("charter oncall --ical", () => {
  it("prints one person's shifts for --weeks from --at, in UTC across the DST change", async () => {
    const r = await charter(ROOT, "oncall", "--ical", "--person", "oscar-oncall", "--weeks", "2", "--at", "2025-03-28T00:00Z");
    expect(r.code, r.err).toBe(0);
    expect(r.out.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(events(r.out)).toEqual([
      ["On call: Secondary (Ingestion on-call)", "2025-03-24T08:00:00.000Z", "2025-03-31T07:00:00.000Z"],
      ["On call: Primary (Ingestion on-call)", "2025-03-31T07:00:00.000Z", "2025-04-07T07:00:00.000Z"],
    ]);
  });

  it("filters by tier and schedule", async () => {
    const r = await charter(ROOT, "oncall", "--ical", "--schedule", "ingestion", "--tier", "ingestion/secondary", "--weeks", "1", "--at", "2025-03-31T07:00Z");
    expect(r.code, r.err).toBe(0);
    expect(events(r.out)).toEqual([["olga-oncall: on call Secondary (Ingestion on-call)", "2025-03-31T07:00:00.000Z", "2025-04-07T07:00:00.000Z"]]);
  });

  it("refuses an unknown tier, a bad --weeks, and calendar options without --ical", async () => {
    const unknown = await charter(ROOT, "oncall", "--ical", "--tier", "tertiary");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("unknown tier `tertiary`; oncall.yml defines: ingestion/primary, ingestion/secondary, ingestion/owner");
    const weeks = await charter(ROOT, "oncall", "--ical", "--weeks", "0");
    expect(weeks.code).toBe(2);
    expect(weeks.err).toContain("--weeks needs a whole number of weeks from 1 to 104 (got `0`)");
    const alone = await charter(ROOT, "oncall", "--person", "oscar-oncall");
    expect(alone.code).toBe(2);
    expect(alone.err).toContain("--tier, --person and --weeks go with --ical");
  });
});
