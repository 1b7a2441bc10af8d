/**
 * `charter validate` on oncall.yml's `people`, `unavailable` and layers' `backup`: each mistake at
 * its file:line:column with a hint; a typo in a login is an error (the absence would silently do
 * nothing and the person would be paged on vacation).
 */
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/load/diagnostic.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";

async function problems(extra: string, edit: (t: string) => string = (t) => t): Promise<string[]> {
  const files = d9Files();
  files["oncall.yml"] = edit(files["oncall.yml"]!) + "\n" + extra;
  const result = await loadGovernance(memorySource(files, "governance"));
  return result.ok ? [] : result.diagnostics.map(formatDiagnostic);
}

const lineOf = (extra: string, needle: string) => {
  const base = d9Files()["oncall.yml"]!.split("\n").length;
  return base + extra.split("\n").findIndex((l) => l.includes(needle)) + 1;
};

describe("unavailability checks", () => {
  it("accepts D9 with people, holidays, dates, instants and a backup list", async () => {
    const extra = `people:
  omar-oncall: { timezone: Europe/Berlin, holidays: DE-BE }
  sam-sre: { holidays: US-NY }
unavailable:
  - { who: oscar-oncall, from: 2025-03-29, to: 2025-03-30, reason: Vacation }
  - { who: Olga-Oncall, from: "2025-03-25T12:00+01:00", to: "2025-03-25T14:00+01:00" }
  - { who: sam-sre, from: 2025-04-01, to: 2025-04-01 }
`;
    expect(await problems(extra, (t) => t.replace("participants: [ana-owner]", "participants: [ana-owner]\n            backup: [ben-owner]"))).toEqual([]);
  });

  it("a login named nowhere else is an error, with a did-you-mean", async () => {
    const extra = `unavailable:
  - { who: opal-oncal, from: 2025-03-24, to: 2025-03-30, reason: Vacation }
`;
    expect(await problems(extra)).toEqual([
      `governance/oncall.yml:${lineOf(extra, "opal-oncal")}:12: \`opal-oncal\` is not on any rotation, backup list or override of oncall.yml, nor a holder or backup in roles.yml, so this absence changes nothing: they would still be paged if they were on call (did you mean \`opal-oncall\`? write the GitHub login of someone on call (logins compare case-insensitively))`,
    ]);
  });

  it("unknown holiday calendars and time zones, dates that do not exist, ranges that end before they start", async () => {
    const extra = `people:
  omar-oncall: { timezone: CET, holidays: DE-BYY }
  olga-oncall: { holidays: XY }
unavailable:
  - { who: oscar-oncall, from: 2025-02-30, to: 2025-03-02 }
  - { who: oscar-oncall, from: 2025-03-10, to: 2025-03-09 }
  - { who: oscar-oncall, from: "2025-03-10T12:00+01:00", to: "2025-03-10T12:00+01:00" }
`;
    const got = await problems(extra);
    expect(got).toHaveLength(6);
    expect(got[0]).toBe(`governance/oncall.yml:${lineOf(extra, "timezone: CET")}:28: \`CET\` is an abbreviation, not a time zone, for \`omar-oncall\` (did you mean \`Europe/Berlin\`? Write the IANA zone of a place (Area/City), e.g. Europe/Berlin; UTC is accepted)`);
    expect(got[1]).toMatch(new RegExp(`^governance/oncall\\.yml:${lineOf(extra, "DE-BYY")}:43: unknown public-holiday calendar \`DE-BYY\` for \`omar-oncall\`: the holiday data has no state \`BYY\` of DE \\(did you mean \`DE-BY\`\\? `));
    expect(got[2]).toMatch(new RegExp(`^governance/oncall\\.yml:${lineOf(extra, "XY")}:28: unknown public-holiday calendar \`XY\` for \`olga-oncall\`: the holiday data has no country \`XY\` \\(write a country code \\(ISO 3166-1, e\\.g\\. DE, US, GB\\), optionally with a state\\)$`));
    expect(got[3]).toBe(`governance/oncall.yml:${lineOf(extra, "2025-02-30")}:32: \`2025-02-30\` is not a date: February 2025 has 28 days (write a real date, e.g. 2025-03-24)`);
    expect(got[4]).toBe(`governance/oncall.yml:${lineOf(extra, "2025-03-09")}:48: this absence of \`oscar-oncall\` ends (2025-03-09) before it starts (2025-03-10) (a date \`to\` includes that whole day (from: 2025-03-24, to: 2025-03-24 is one day); an instant \`to\` is excluded and must be after \`from\`)`);
    expect(got[5]).toMatch(new RegExp(`^governance/oncall\\.yml:${lineOf(extra, "T12:00+01:00\", to")}:\\d+: this absence of \`oscar-oncall\` ends \\(2025-03-10T12:00\\+01:00\\) before it starts`));
  });

  it("the schema refuses a date written any other way, and unknown keys", async () => {
    const extra = `unavailable:
  - { who: oscar-oncall, from: 24.03.2025, to: 2025-03-30, why: Vacation }
`;
    const got = await problems(extra);
    expect(got.join("\n")).toContain("a date such as 2025-03-24, or an instant with its offset such as 2025-03-24T09:00+01:00");
    expect(got.join("\n")).toContain("unknown key `why`");
  });

  it("a backup named twice", async () => {
    const got = await problems("", (t) => t.replace("participants: [ana-owner]", "participants: [ana-owner]\n            backup: [ben-owner, Ben-Owner]"));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/: `Ben-Owner` is listed twice in the backup list of tier `ingestion\/owner` \(name each backup once, in the order they are asked\)$/);
  });
});
