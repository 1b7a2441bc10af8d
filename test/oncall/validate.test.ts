import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/load/diagnostic.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";

/** Load roles.yml + this oncall.yml through the real loader; every diagnostic as `file:line:column: message (hint)`. */
async function problems(oncall: string): Promise<string[]> {
  const result = await loadGovernance(memorySource({ "roles.yml": "version: 1\nroles: {}\n", "oncall.yml": oncall }));
  return result.diagnostics.map(formatDiagnostic);
}

/** A valid schedule with one weekly tier; `tiers` and `rest` are appended verbatim (line 7 on). */
const file = (opts: { timezone?: string; tiers?: string; rest?: string } = {}) =>
  [
    "version: 1", // 1
    "schedules:", // 2
    "  ops:", // 3
    `    timezone: ${opts.timezone ?? "Europe/Berlin"}`, // 4
    "    tiers:", // 5
    "      primary:", // 6
    "        layers:", // 7
    "          - name: weekly", // 8
    "            rotation: weekly", // 9
    '            handoff: { day: monday, time: "09:00" }', // 10
    "            start: 2025-01-06", // 11
    "            participants: [ann, bob, cat]", // 12
    ...(opts.tiers ? [opts.tiers] : []), // 13 …
    ...(opts.rest ? [opts.rest] : []),
    "",
  ].join("\n");

describe("valid files", () => {
  it("the base file is valid", async () => {
    expect(await problems(file())).toEqual([]);
  });

  it("a tier all of whose layers have coverage, without a fallback, is fine (nobody outside the hours)", async () => {
    const tiers = [
      "      business:", // 13
      "        layers:",
      "          - rotation: weekly",
      '            handoff: { day: monday, time: "09:00" }',
      "            start: 2025-01-06",
      "            participants: [dee]",
      '            coverage: { days: [monday, friday], from: "09:00", to: "24:00" }',
    ].join("\n");
    expect(await problems(file({ tiers }))).toEqual([]);
  });

  it("a swap of someone who is on call through an earlier override is fine (chained swaps)", async () => {
    const rest = [
      "    overrides:",
      '      - { tier: primary, from: "2025-03-10T09:00+01:00", until: "2025-03-17T09:00+01:00", who: dan, replaces: ann }',
      '      - { tier: primary, from: "2025-03-12T09:00+01:00", until: "2025-03-13T09:00+01:00", who: eve, replaces: dan }',
    ].join("\n");
    expect(await problems(file({ rest }))).toEqual([]);
  });
});

describe("time zone", () => {
  it("an unknown zone, with a did-you-mean by spelling", async () => {
    expect(await problems(file({ timezone: "Europe/Berln" }))).toEqual([
      "governance/oncall.yml:4:15: unknown time zone `Europe/Berln` in schedule `ops` (did you mean `Europe/Berlin`?)",
    ]);
  });

  it("a city alone is matched to its zone", async () => {
    expect(await problems(file({ timezone: "New York" }))).toEqual([
      "governance/oncall.yml:4:15: unknown time zone `New York` in schedule `ops` (did you mean `America/New_York`?)",
    ]);
  });

  it("something else gets examples", async () => {
    expect(await problems(file({ timezone: "Mars/Olympus_Mons" }))).toEqual([
      "governance/oncall.yml:4:15: unknown time zone `Mars/Olympus_Mons` in schedule `ops` (use an IANA time zone name such as Europe/Berlin, America/New_York or UTC)",
    ]);
  });
});

describe("handoff times and days", () => {
  it("a handoff time skipped by the spring DST jump on a day the rotation hands over", async () => {
    const tiers = [
      "      night:", // 13
      "        layers:", // 14
      "          - rotation: weekly", // 15
      '            handoff: { day: sunday, time: "02:30" }', // 16
      "            start: 2025-01-05", // 17
      "            participants: [ann, bob]", // 18
    ].join("\n");
    expect(await problems(file({ tiers }))).toEqual([
      "governance/oncall.yml:16:43: handoff time 02:30 does not exist in Europe/Berlin on 2025-03-30, a handoff day of `layers.0` of tier `ops/night` (the clocks jump from 02:00 to 03:00); also on 2026-03-29 (pick a time before 02:00 or from 03:00 on; as written, that shift would start at 03:30)",
    ]);
  });

  it("the same time on a weekday rotation never hits the jump (always on Sundays in Europe): fine", async () => {
    const tiers = [
      "      night:",
      "        layers:",
      "          - rotation: weekly",
      '            handoff: { day: wednesday, time: "02:30" }',
      "            start: 2025-01-05",
      "            participants: [ann, bob]",
    ].join("\n");
    expect(await problems(file({ tiers }))).toEqual([]);
  });

  it("a daily rotation in New York at 02:15 hits 2025-03-09 and 2026-03-08", async () => {
    const tiers = [
      "      daily:", // 13
      "        layers:",
      "          - rotation: daily",
      '            handoff: { time: "02:15" }', // 16
      "            start: 2025-01-01",
      "            participants: [ann, bob]",
    ].join("\n");
    const text = file({ tiers }).replace("timezone: Europe/Berlin", "timezone: America/New_York");
    expect(await problems(text)).toEqual([
      "governance/oncall.yml:16:30: handoff time 02:15 does not exist in America/New_York on 2025-03-09, a handoff day of `layers.0` of tier `ops/daily` (the clocks jump from 02:00 to 03:00); also on 2026-03-08 (pick a time before 02:00 or from 03:00 on; as written, that shift would start at 03:15)",
    ]);
  });

  it("weekly without `day`, monthly without `day_of_month`, and keys of the wrong rotation", async () => {
    const tiers = [
      "      a:", // 13
      "        layers:", // 14
      "          - rotation: weekly", // 15
      '            handoff: { time: "09:00", day_of_month: 1 }', // 16
      "            start: 2025-01-06", // 17
      "            participants: [ann]", // 18
      "          - rotation: monthly", // 19
      '            handoff: { time: "09:00", day: monday }', // 20
      "            start: 2025-01-06", // 21
      "            participants: [ann]", // 22
      "          - rotation: daily", // 23
      '            handoff: { time: "09:00", day: monday, day_of_month: 3 }', // 24
      "            start: 2025-01-06", // 25
      "            participants: [ann]", // 26
    ].join("\n");
    expect(await problems(file({ tiers }))).toEqual([
      'governance/oncall.yml:16:13: a weekly rotation needs `handoff.day` (add the weekday of the handoff, e.g. handoff: { day: monday, time: "09:00" })',
      "governance/oncall.yml:16:39: `handoff.day_of_month` only applies to monthly rotations; this one is weekly (remove it: a weekly rotation hands over on `handoff.day`)",
      'governance/oncall.yml:20:13: a monthly rotation needs `handoff.day_of_month` (add the day of the month of the handoff (1-28), e.g. handoff: { day_of_month: 1, time: "09:00" })',
      "governance/oncall.yml:20:39: `handoff.day` only applies to weekly rotations; this one is monthly (remove it: a monthly rotation hands over on `handoff.day_of_month`)",
      "governance/oncall.yml:24:39: `handoff.day` only applies to weekly rotations; this one is daily (remove it: a daily rotation hands over every day at `handoff.time`)",
      "governance/oncall.yml:24:52: `handoff.day_of_month` only applies to monthly rotations; this one is daily (remove it: a daily rotation hands over every day at `handoff.time`)",
    ]);
  });

  it("a start date that is not a real date", async () => {
    expect(await problems(file().replace("start: 2025-01-06", "start: 2025-02-30"))).toEqual([
      "governance/oncall.yml:11:20: `2025-02-30` is not a date: February 2025 has 28 days (write the local date from which the rotation runs as YYYY-MM-DD)",
    ]);
  });
});

describe("participants", () => {
  it("an empty rotation", async () => {
    expect(await problems(file().replace("participants: [ann, bob, cat]", "participants: []"))).toEqual([
      "governance/oncall.yml:12:27: layer `weekly` of tier `ops/primary` has no participants (list who takes turns, in order, e.g. participants: [alice, bob])",
    ]);
  });

  it("someone listed twice in a row, also across the wrap-around", async () => {
    expect(await problems(file().replace("participants: [ann, bob, cat]", "participants: [ann, bob, Bob, cat, ann]"))).toEqual([
      "governance/oncall.yml:12:38: `Bob` is listed twice in a row in layer `weekly` of tier `ops/primary` (`participants.1` and `participants.2`), so they would do two shifts back to back (remove one of them, or put someone else between them)",
      "governance/oncall.yml:12:48: `ann` is both the last and the first participant of layer `weekly` of tier `ops/primary`, so they would do two shifts back to back each time the rotation starts over (remove one of them: the rotation goes back to the first participant after the last)",
    ]);
  });

  it("the same person twice but not in a row is fine", async () => {
    expect(await problems(file().replace("participants: [ann, bob, cat]", "participants: [ann, bob, ann, cat]"))).toEqual([]);
  });
});

describe("coverage", () => {
  it("`to` not after `from`, at tier and at layer level", async () => {
    const tiers = [
      "      business:", // 13
      '        coverage: { days: [monday], from: "18:00", to: "09:00" }', // 14
      "        fallback: ops/primary", // 15
      "        layers:", // 16
      "          - rotation: weekly", // 17
      '            handoff: { day: monday, time: "09:00" }', // 18
      "            start: 2025-01-06", // 19
      "            participants: [dee]", // 20
      '            coverage: { days: [monday], from: "09:00", to: "09:00" }', // 21
    ].join("\n");
    const hint = "a coverage window lies within one day: `from` must be before `to` (write 24:00 for the end of the day); to cover a night, use two layers, e.g. 22:00 to 24:00 and 00:00 to 06:00";
    expect(await problems(file({ tiers }))).toEqual([
      `governance/oncall.yml:14:56: coverage ends at 09:00, which is not after it starts (18:00) (${hint})`,
      `governance/oncall.yml:21:60: coverage ends at 09:00, which is not after it starts (09:00) (${hint})`,
    ]);
  });
});

describe("overrides", () => {
  const overrides = (...lines: string[]) => file({ rest: ["    overrides:", ...lines].join("\n") }); // overrides.0 on line 14

  it("ends before or when it starts", async () => {
    expect(
      await problems(
        overrides(
          '      - { tier: primary, from: "2025-03-10T09:00+01:00", until: "2025-03-10T09:00+01:00", who: dan }',
          '      - { tier: primary, from: "2025-03-11T09:00+01:00", until: "2025-03-11T07:00Z", who: dan }',
        ),
      ),
    ).toEqual([
      "governance/oncall.yml:14:65: override ends (2025-03-10T09:00+01:00) when it starts (2025-03-10T09:00+01:00) (`until` is the end of the override (exclusive) and must be after `from`)",
      "governance/oncall.yml:15:65: override ends (2025-03-11T07:00Z) before it starts (2025-03-11T09:00+01:00) (`until` is the end of the override (exclusive) and must be after `from`)",
    ]);
  });

  it("an instant that is not real", async () => {
    expect(await problems(overrides('      - { tier: primary, from: "2025-02-29T09:00+01:00", until: "2025-03-10T09:00+01:00", who: dan }'))).toEqual([
      "governance/oncall.yml:14:32: `2025-02-29T09:00+01:00` is not a real instant: February 2025 has 28 days (write an instant with its offset, e.g. 2025-03-10T09:00+01:00)",
    ]);
  });

  it("a tier that is not a tier of the schedule", async () => {
    expect(await problems(overrides('      - { tier: primry, from: "2025-03-10T09:00+01:00", until: "2025-03-11T09:00+01:00", who: dan }'))).toEqual([
      "governance/oncall.yml:14:17: unknown tier `primry` in schedule `ops` (did you mean `primary`?)",
    ]);
  });

  it("two overlapping overrides of the same tier without `replaces` are ambiguous", async () => {
    expect(
      await problems(
        overrides(
          '      - { tier: primary, from: "2025-03-10T09:00+01:00", until: "2025-03-12T09:00+01:00", who: dan }',
          '      - { tier: primary, from: "2025-03-12T09:00+01:00", until: "2025-03-13T09:00+01:00", who: eve }',
          '      - { tier: primary, from: "2025-03-11T09:00+01:00", until: "2025-03-14T09:00+01:00", who: fay }',
          '      - { tier: primary, from: "2025-03-11T09:00+01:00", until: "2025-03-14T09:00+01:00", who: gus, replaces: ann }',
        ),
      ),
    ).toEqual([
      "governance/oncall.yml:16:9: `overrides.0` and `overrides.2` of schedule `ops` both take over tier `primary` from 2025-03-11T09:00+01:00 to 2025-03-12T09:00+01:00, neither with `replaces`: which one is meant is ambiguous (the later, `overrides.2`, would apply) (make the two windows not overlap, or add `replaces:` to say whose shift each one covers)",
      "governance/oncall.yml:16:9: `overrides.1` and `overrides.2` of schedule `ops` both take over tier `primary` from 2025-03-12T09:00+01:00 to 2025-03-13T09:00+01:00, neither with `replaces`: which one is meant is ambiguous (the later, `overrides.2`, would apply) (make the two windows not overlap, or add `replaces:` to say whose shift each one covers)",
    ]);
  });

  it("`replaces` someone who is never on the tier's rotation", async () => {
    expect(await problems(overrides('      - { tier: primary, from: "2025-03-10T09:00+01:00", until: "2025-03-17T09:00+01:00", who: dan, replaces: bobb }'))).toEqual([
      "governance/oncall.yml:14:111: `bobb` is never on call for tier `ops/primary`, so this swap never applies (did you mean `bob`?)",
    ]);
    expect(await problems(overrides('      - { tier: primary, from: "2025-03-10T09:00+01:00", until: "2025-03-17T09:00+01:00", who: dan, replaces: zed }'))).toEqual([
      "governance/oncall.yml:14:111: `zed` is never on call for tier `ops/primary`, so this swap never applies (the rotation of tier `ops/primary` is: ann, bob, cat; without `replaces`, the override covers the tier whoever is on shift)",
    ]);
  });

  it("`replaces` someone who is not on shift while the override lasts (a week off)", async () => {
    // 2025-03-10 is shift 9 of ann, bob, cat: ann's week
    expect(await problems(overrides('      - { tier: primary, from: "2025-03-10T09:00+01:00", until: "2025-03-17T09:00+01:00", who: dan, replaces: bob }'))).toEqual([
      "governance/oncall.yml:14:111: `bob` is not on shift for tier `ops/primary` between 2025-03-10T09:00+01:00 and 2025-03-17T09:00+01:00, so this swap never applies (on shift then: ann; check the dates, or remove `replaces` to cover the tier whoever is on shift)",
    ]);
    expect(await problems(overrides('      - { tier: primary, from: "2025-03-10T09:00+01:00", until: "2025-03-17T09:01+01:00", who: dan, replaces: bob }'))).toEqual([]);
  });

  it("`who` and `replaces` the same person", async () => {
    expect(await problems(overrides('      - { tier: primary, from: "2025-03-10T09:00+01:00", until: "2025-03-17T09:00+01:00", who: ann, replaces: Ann }'))).toEqual([
      "governance/oncall.yml:14:111: `who` and `replaces` are both `ann`: this override changes nothing (`replaces` names the person whose shift `who` takes over)",
    ]);
  });
});

describe("fallback", () => {
  const tier = (id: string, fallback: string) =>
    [
      `      ${id}:`,
      '        coverage: { days: [monday], from: "09:00", to: "17:00" }',
      `        fallback: ${fallback}`,
      "        layers:",
      "          - rotation: weekly",
      '            handoff: { day: monday, time: "09:00" }',
      "            start: 2025-01-06",
      "            participants: [ann]",
    ].join("\n");

  it("an unknown tier", async () => {
    expect(await problems(file({ tiers: tier("business", "ops/primay") }))).toEqual([
      "governance/oncall.yml:15:19: unknown on-call tier `ops/primay` in the fallback of tier `ops/business` (did you mean `ops/primary`?)",
    ]);
    expect(await problems(file({ tiers: tier("business", "elsewhere/primary") }))).toEqual([
      "governance/oncall.yml:15:19: unknown on-call tier `elsewhere/primary` in the fallback of tier `ops/business` (tiers are written schedule/tier; this file defines: ops/primary, ops/business)",
    ]);
  });

  it("a cycle, spelled out once, starting at the first tier of the cycle in the file", async () => {
    // a (line 13) → b (line 21) → c (line 29) → b; d (line 37) → d
    const tiers = [tier("a", "ops/b"), tier("b", "ops/c"), tier("c", "ops/b"), tier("d", "ops/d")].join("\n");
    const hint = "end the chain of fallbacks at a tier without `fallback` (or one that is always covered): outside their coverage, nobody in a cycle answers";
    expect(await problems(file({ tiers }))).toEqual([
      `governance/oncall.yml:23:19: fallback cycle: ops/b → ops/c → ops/b (${hint})`,
      `governance/oncall.yml:39:19: fallback cycle: ops/d → ops/d (${hint})`,
    ]);
  });
});
