/**
 * IANA time zones only (issue 11): `timezone: EST` used to be accepted and ran at a fixed −05:00 all
 * year, so New York handoffs were an hour late all summer. Abbreviations and fixed offsets are
 * refused with the zone of a place to write instead; `UTC` is accepted.
 */
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/load/diagnostic.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { applyEdits, d9Texts } from "./support.js";

async function problems(zone: string): Promise<string[]> {
  const files = applyEdits(d9Texts(), [{ file: "oncall.yml", from: "timezone: Europe/Berlin", to: `timezone: "${zone}"` }]);
  const result = await loadGovernance(memorySource(files));
  return result.diagnostics.map(formatDiagnostic);
}

const at = "governance/oncall.yml:10:15";

describe("oncall.yml timezone: IANA zones only", () => {
  it.each([
    ["EST", "`EST` is an abbreviation, not a time zone: it is a fixed offset (-05:00) all year, with no daylight saving time, in schedule `ingestion`", "did you mean `America/New_York`? Write the IANA zone of a place (Area/City), e.g. America/New_York; UTC is accepted"],
    ["PST", "`PST` is an abbreviation, not a time zone", "did you mean `America/Los_Angeles`?"],
    ["CET", "`CET` is an abbreviation, not a time zone", "did you mean `Europe/Berlin`?"],
    ["EST5EDT", "`EST5EDT` is a POSIX-style rule, not a place's time zone", "did you mean `America/New_York`?"],
    ["GMT", "`GMT` is an abbreviation, not a time zone", "did you mean `Europe/London`? (or `UTC`, which never changes)"],
  ])("%s is refused with a did-you-mean", async (zone, message, hint) => {
    const [p, ...rest] = await problems(zone);
    expect(rest).toEqual([]);
    expect(p).toContain(`${at}: ${message}`);
    expect(p).toContain(hint);
  });

  it.each([
    ["+01:00", "`+01:00` is a fixed offset, not a time zone: it never changes for daylight saving time, in schedule `ingestion`", "did you mean `Europe/Berlin`?"],
    ["UTC+1", "`UTC+1` is a fixed offset, not a time zone", "did you mean `Europe/Berlin`?"],
    ["GMT-5", "`GMT-5` is a fixed offset, not a time zone", "did you mean `America/New_York`?"],
    ["Etc/GMT-1", "`Etc/GMT-1` is a fixed offset (+01:00), not a time zone", "did you mean `Europe/Berlin`?"],
    ["UTC+0", "`UTC+0` is a fixed offset, not a time zone", "did you mean `UTC`?"],
  ])("the fixed offset %s is refused", async (zone, message, hint) => {
    const [p, ...rest] = await problems(zone);
    expect(rest).toEqual([]);
    expect(p).toContain(`${at}: ${message}`);
    expect(p).toContain(hint);
  });

  it.each(["UTC", "Etc/UTC", "Europe/Berlin", "America/New_York", "US/Eastern", "Asia/Kolkata"])("%s is accepted", async (zone) => {
    expect(await problems(zone)).toEqual([]);
  });

  it("a misspelt zone still gets its did-you-mean", async () => {
    expect(await problems("Europe/Berlim")).toEqual([`${at}: unknown time zone \`Europe/Berlim\` in schedule \`ingestion\` (did you mean \`Europe/Berlin\`?)`]);
  });
});
