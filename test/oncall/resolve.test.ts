import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Governance } from "../../src/core/model/governance.js";
import type { OncallFile } from "../../src/core/model/oncall.js";
import { nextHandoffs, whoIsOnCall } from "../../src/core/oncall/resolve.js";
import { roleHolders } from "../../src/core/roles/resolve.js";
import { loadGovernance } from "../../src/load/load.js";
import { directorySource, memorySource } from "../../src/load/source.js";

/** Every instant in these tests is explicit; the machine clock is never read. */
const at = (iso: string) => new Date(iso);
const iso = (d: Date | undefined) => d?.toISOString();
const root = join(import.meta.dirname, "..", "..");

async function load(dir: string): Promise<Governance> {
  const result = await loadGovernance(directorySource(dir, "governance"));
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.governance;
}

/** Who is on call for `ref`, with source, since and until. */
function answer(oncall: OncallFile | undefined, ref: string, when: string) {
  const r = whoIsOnCall(oncall, ref, at(when));
  return { who: r.who, source: r.source, since: iso(r.since), until: iso(r.until) };
}

let d9: Governance;
let team: Governance;
beforeAll(async () => {
  d9 = await load(join(root, "governance"));
  team = await load(join(root, "test", "oncall", "fixtures", "team"));
});

describe("D9 (governance/oncall.yml): weekly, handoff Monday 09:00 Europe/Berlin", () => {
  it("primary and secondary change at Monday 09:00 local, 08:00Z in winter", () => {
    // 2025-03-17 is shift 10: primary omar, secondary opal
    expect(answer(d9.oncall, "ingestion/primary", "2025-03-17T08:59+01:00")).toEqual({ who: ["olga-oncall"], source: "rotation", since: "2025-03-10T08:00:00.000Z", until: "2025-03-17T08:00:00.000Z" });
    expect(answer(d9.oncall, "ingestion/primary", "2025-03-17T09:00+01:00")).toEqual({ who: ["omar-oncall"], source: "rotation", since: "2025-03-17T08:00:00.000Z", until: "2025-03-24T08:00:00.000Z" });
    expect(whoIsOnCall(d9.oncall, "ingestion/secondary", at("2025-03-17T09:00+01:00")).who).toEqual(["opal-oncall"]);
  });

  it("the swap override (Omar for Opal, 2025-03-24 09:00+01:00 → 2025-03-31 09:00+02:00) holds across the DST change", () => {
    const override = { who: ["omar-oncall"], source: "override", since: "2025-03-24T08:00:00.000Z", until: "2025-03-31T07:00:00.000Z" };
    expect(answer(d9.oncall, "ingestion/primary", "2025-03-24T09:00+01:00")).toEqual(override);
    expect(answer(d9.oncall, "ingestion/primary", "2025-03-30T01:59+01:00")).toEqual(override);
    expect(answer(d9.oncall, "ingestion/primary", "2025-03-30T03:00+02:00")).toEqual(override);
    expect(answer(d9.oncall, "ingestion/primary", "2025-03-30T10:00+02:00")).toEqual(override);
    expect(answer(d9.oncall, "ingestion/primary", "2025-03-31T08:59:59+02:00")).toEqual(override);
    const r = whoIsOnCall(d9.oncall, "ingestion/primary", at("2025-03-30T10:00+02:00"));
    expect([r.replaced, r.layer, r.overrideIndex, r.override?.reason]).toEqual(["opal-oncall", "weekly", 0, "Opal on vacation, Omar covers her week (swap)"]);
    // after the override, the rotation again, at 09:00 CEST = 07:00Z
    expect(answer(d9.oncall, "ingestion/primary", "2025-03-31T09:00+02:00")).toEqual({ who: ["oscar-oncall"], source: "rotation", since: "2025-03-31T07:00:00.000Z", until: "2025-04-07T07:00:00.000Z" });
    // the secondary is not affected by a primary override
    expect(answer(d9.oncall, "ingestion/secondary", "2025-03-30T10:00+02:00")).toEqual({ who: ["oscar-oncall"], source: "rotation", since: "2025-03-24T08:00:00.000Z", until: "2025-03-31T07:00:00.000Z" });
  });

  it("the Ingestion Owner answers Mon–Fri 09:00–18:00 Berlin time, the secondary otherwise", () => {
    expect(answer(d9.oncall, "ingestion/owner", "2025-04-01T17:59+02:00").who).toEqual(["ana-owner"]);
    const evening = whoIsOnCall(d9.oncall, "ingestion/owner", at("2025-04-01T18:00+02:00"));
    expect([evening.who, evening.source, evening.offDuty, evening.fallbackFrom, evening.answeredBy?.source]).toEqual([["olga-oncall"], "fallback", "outside-coverage", "ingestion/secondary", "rotation"]);
    const sunday = whoIsOnCall(d9.oncall, "ingestion/owner", at("2025-03-30T10:00+02:00"));
    expect([sunday.who, sunday.source]).toEqual([["oscar-oncall"], "fallback"]);
  });

  it("roles.yml `oncall:` turns tiers into roles at that instant", () => {
    expect(roleHolders(d9, "on-call-primary", at("2025-03-30T10:00+02:00")).holders).toEqual(["omar-oncall"]);
    expect(roleHolders(d9, "on-call", at("2025-03-30T10:00+02:00")).holders).toEqual(["omar-oncall", "oscar-oncall"]);
    expect(roleHolders(d9, "on-call", at("2025-03-31T09:00+02:00")).holders).toEqual(["oscar-oncall", "olga-oncall"]);
  });

  it("next handoffs take the override into account", () => {
    const next = nextHandoffs(d9.oncall, "ingestion/primary", at("2025-03-17T12:00+01:00"), 3);
    // Omar by rotation, then Omar by override (no change at 2025-03-24), then Oscar
    expect(next.map((h) => [iso(h.at), h.from, h.to, h.next.source])).toEqual([
      ["2025-03-31T07:00:00.000Z", ["omar-oncall"], ["oscar-oncall"], "rotation"],
      ["2025-04-07T07:00:00.000Z", ["oscar-oncall"], ["olga-oncall"], "rotation"],
      ["2025-04-14T07:00:00.000Z", ["olga-oncall"], ["omar-oncall"], "rotation"],
    ]);
  });

  it("next handoffs of a business-hours tier include the daily switches to and from its fallback", () => {
    const next = nextHandoffs(d9.oncall, "ingestion/owner", at("2025-03-30T10:00+02:00"), 3);
    expect(next.map((h) => [iso(h.at), h.from, h.to, h.next.source])).toEqual([
      ["2025-03-31T07:00:00.000Z", ["oscar-oncall"], ["ana-owner"], "rotation"],
      ["2025-03-31T16:00:00.000Z", ["ana-owner"], ["olga-oncall"], "fallback"],
      ["2025-04-01T07:00:00.000Z", ["olga-oncall"], ["ana-owner"], "rotation"],
    ]);
  });
});

describe("seed 000 (test/oncall/fixtures/team): America/New_York", () => {
  it("weekly primary: Week 1 Tech Lead, Week 2 Backend #1, Week 3 Backend #2, Week 4 DevOps", () => {
    expect(["2025-01-06T09:00-05:00", "2025-01-13T09:00-05:00", "2025-01-20T09:00-05:00", "2025-01-27T09:00-05:00", "2025-02-03T09:00-05:00"].map((t) => whoIsOnCall(team.oncall, "platform/primary", at(t)).who[0])).toEqual([
      "tina-lead",
      "bob-backend",
      "bella-backend",
      "dave-devops",
      "tina-lead",
    ]);
  });

  it("monthly secondary over all seven team members, handing over on the 1st at 09:00 local", () => {
    expect(answer(team.oncall, "platform/secondary", "2025-03-01T08:59-05:00")).toEqual({ who: ["bob-backend"], source: "rotation", since: "2025-02-01T14:00:00.000Z", until: "2025-03-01T14:00:00.000Z" });
    expect(answer(team.oncall, "platform/secondary", "2025-03-01T09:00-05:00")).toEqual({ who: ["bella-backend"], source: "rotation", since: "2025-03-01T14:00:00.000Z", until: "2025-04-01T13:00:00.000Z" });
    // November starts in EDT (13:00Z), December in EST (14:00Z)
    expect(answer(team.oncall, "platform/secondary", "2025-11-15T12:00-05:00")).toEqual({ who: ["dave-devops"], source: "rotation", since: "2025-11-01T13:00:00.000Z", until: "2025-12-01T14:00:00.000Z" });
    expect(whoIsOnCall(team.oncall, "platform/secondary", at("2025-08-01T09:00-04:00")).who).toEqual(["tina-lead"]);
  });

  it("ML specialty: ML engineer Mon–Fri 09:00–18:00 local, the primary outside (17:59 vs 18:00, Saturday)", () => {
    // Thursday 2025-03-06: the primary that week (shift 8 from 2025-01-06) is tina-lead
    expect(answer(team.oncall, "platform/ml", "2025-03-06T17:59-05:00")).toEqual({ who: ["mia-ml"], source: "rotation", since: "2025-03-03T14:00:00.000Z", until: "2025-03-10T13:00:00.000Z" });
    const evening = whoIsOnCall(team.oncall, "platform/ml", at("2025-03-06T18:00-05:00"));
    expect([evening.who, evening.source, evening.fallbackFrom, evening.offDuty]).toEqual([["tina-lead"], "fallback", "platform/primary", "outside-coverage"]);
    expect(whoIsOnCall(team.oncall, "platform/ml", at("2025-03-06T08:59-05:00")).who).toEqual(["tina-lead"]);
    expect(whoIsOnCall(team.oncall, "platform/ml", at("2025-03-06T09:00-05:00")).who).toEqual(["mia-ml"]);
    // After the change to EDT, 17:59 local is 21:59Z
    expect(whoIsOnCall(team.oncall, "platform/ml", at("2025-03-11T21:59Z")).who).toEqual(["mia-ml"]);
    expect(whoIsOnCall(team.oncall, "platform/ml", at("2025-03-11T22:00Z")).who).toEqual(["bob-backend"]);
  });

  it("a full override (no `replaces`) spanning the New York DST change, and what falls back to it", () => {
    // Dave covers the primary from Friday 18:00 EST to Monday 09:00 EDT, whoever is on shift (tina-lead)
    expect(answer(team.oncall, "platform/primary", "2025-03-07T17:59-05:00")).toEqual({ who: ["tina-lead"], source: "rotation", since: "2025-03-03T14:00:00.000Z", until: "2025-03-10T13:00:00.000Z" });
    const saturday = { who: ["dave-devops"], source: "override", since: "2025-03-07T23:00:00.000Z", until: "2025-03-10T13:00:00.000Z" };
    expect(answer(team.oncall, "platform/primary", "2025-03-07T18:00-05:00")).toEqual(saturday);
    expect(answer(team.oncall, "platform/primary", "2025-03-09T03:30-04:00")).toEqual(saturday);
    expect(whoIsOnCall(team.oncall, "platform/primary", at("2025-03-07T18:00-05:00")).replaced).toBeUndefined();
    // Saturday: the ML tier is outside its hours, so it falls back to the primary, which is the override
    const ml = whoIsOnCall(team.oncall, "platform/ml", at("2025-03-08T12:00-05:00"));
    expect([ml.who, ml.source, ml.answeredBy?.source, ml.answeredBy?.override?.who]).toEqual([["dave-devops"], "fallback", "override", "dave-devops"]);
    expect(answer(team.oncall, "platform/primary", "2025-03-10T09:00-04:00").who).toEqual(["bob-backend"]);
  });

  it("security: 24/7, one person, so no handoff", () => {
    expect(whoIsOnCall(team.oncall, "platform/security", at("2025-03-09T03:00-04:00")).who).toEqual(["sam-security"]);
    expect(nextHandoffs(team.oncall, "platform/security", at("2025-03-09T03:00-04:00"), 3)).toEqual([]);
  });

  it("roles built from tiers: ml-on-call is the ML engineer and the Tech Lead in hours, the primary and secondary outside", () => {
    expect(roleHolders(team, "ml-on-call", at("2025-03-06T12:00-05:00")).holders).toEqual(["mia-ml", "tina-lead"]);
    expect(roleHolders(team, "ml-on-call", at("2025-03-15T12:00-04:00")).holders).toEqual(["bob-backend", "bella-backend"]);
  });
});

/** A minimal oncall.yml built in memory, for rules D9 and 000 do not exercise. */
async function oncallFrom(yaml: string): Promise<OncallFile> {
  const result = await loadGovernance(memorySource({ "roles.yml": "version: 1\nroles: {}\n", "oncall.yml": yaml }));
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.governance.oncall!;
}

const base = (tier: string, overrides = "") => `version: 1
schedules:
  s:
    timezone: Europe/Berlin
    tiers:
${tier}
${overrides}`;

describe("rules: layers, overrides, fallback", () => {
  it("the last layer on duty wins; outside its coverage the layer before answers", async () => {
    const oncall = await oncallFrom(
      base(`      t:
        layers:
          - { name: night, rotation: weekly, handoff: { day: monday, time: "09:00" }, start: 2025-01-06, participants: [nia, ned] }
          - name: day
            rotation: weekly
            handoff: { day: monday, time: "09:00" }
            start: 2025-01-06
            participants: [dee]
            coverage: { days: [monday, tuesday, wednesday, thursday, friday], from: "08:00", to: "20:00" }`),
    );
    expect(answer(oncall, "s/t", "2025-03-05T12:00+01:00")).toEqual({ who: ["dee"], source: "rotation", since: "2025-03-03T08:00:00.000Z", until: "2025-03-10T08:00:00.000Z" });
    expect(whoIsOnCall(oncall, "s/t", at("2025-03-05T12:00+01:00")).layer).toBe("day");
    expect(whoIsOnCall(oncall, "s/t", at("2025-03-05T20:00+01:00")).who).toEqual(["nia"]);
    expect(whoIsOnCall(oncall, "s/t", at("2025-03-05T20:00+01:00")).layer).toBe("night");
    expect(
      nextHandoffs(oncall, "s/t", at("2025-03-05T12:00+01:00"), 3).map((h) => [iso(h.at), h.to]),
    ).toEqual([
      ["2025-03-05T19:00:00.000Z", ["nia"]],
      ["2025-03-06T07:00:00.000Z", ["dee"]],
      ["2025-03-06T19:00:00.000Z", ["nia"]],
    ]);
  });

  it("overrides apply in order: the last matching wins; a swap applies only while its person is on call", async () => {
    const oncall = await oncallFrom(
      base(
        `      t:
        layers:
          - { rotation: weekly, handoff: { day: monday, time: "09:00" }, start: 2025-01-06, participants: [ann, bob] }`,
        `    overrides:
      - { tier: t, from: "2025-03-03T09:00+01:00", until: "2025-03-17T09:00+01:00", who: cat, replaces: bob, reason: Bob away }
      - { tier: t, from: "2025-03-12T00:00+01:00", until: "2025-03-13T00:00+01:00", who: dan, replaces: cat }
      - { tier: t, from: "2025-03-14T12:00+01:00", until: "2025-03-14T13:00+01:00", who: eve }`,
      ),
    );
    // week of 2025-03-03 is shift 8 (ann): the swap for bob does not apply
    expect(answer(oncall, "s/t", "2025-03-05T12:00+01:00")).toEqual({ who: ["ann"], source: "rotation", since: "2025-03-03T08:00:00.000Z", until: "2025-03-10T08:00:00.000Z" });
    // week of 2025-03-10 is bob's: cat covers; the swap is in force for the part of the window bob is on shift
    expect(answer(oncall, "s/t", "2025-03-11T12:00+01:00")).toEqual({ who: ["cat"], source: "override", since: "2025-03-10T08:00:00.000Z", until: "2025-03-17T08:00:00.000Z" });
    // a second swap replaces cat (chained)
    const chained = whoIsOnCall(oncall, "s/t", at("2025-03-12T12:00+01:00"));
    expect([chained.who, chained.overrideIndex, chained.replaced]).toEqual([["dan"], 1, "cat"]);
    // a full override wins over everything before it
    const full = whoIsOnCall(oncall, "s/t", at("2025-03-14T12:30+01:00"));
    expect([full.who, full.overrideIndex, full.replaced, iso(full.since), iso(full.until)]).toEqual([["eve"], 2, undefined, "2025-03-14T11:00:00.000Z", "2025-03-14T12:00:00.000Z"]);
    expect(whoIsOnCall(oncall, "s/t", at("2025-03-14T13:00+01:00")).who).toEqual(["cat"]);
    expect(nextHandoffs(oncall, "s/t", at("2025-03-09T12:00+01:00"), 6).map((h) => [iso(h.at), h.from[0], h.to[0]])).toEqual([
      ["2025-03-10T08:00:00.000Z", "ann", "cat"],
      ["2025-03-11T23:00:00.000Z", "cat", "dan"],
      ["2025-03-12T23:00:00.000Z", "dan", "cat"],
      ["2025-03-14T11:00:00.000Z", "cat", "eve"],
      ["2025-03-14T12:00:00.000Z", "eve", "cat"],
      ["2025-03-17T08:00:00.000Z", "cat", "ann"],
    ]);
  });

  it("outside coverage without a fallback nobody answers; a chain of fallbacks reports the tier at its end", async () => {
    const hours = `coverage: { days: [monday, tuesday, wednesday, thursday, friday], from: "09:00", to: "17:00" }`;
    const layer = (who: string) => `layers: [{ rotation: weekly, handoff: { day: monday, time: "09:00" }, start: 2025-01-06, participants: [${who}] }]`;
    const oncall = await oncallFrom(
      base(`      a:
        ${hours}
        fallback: s/b
        ${layer("ann")}
      b:
        ${hours}
        fallback: s/c
        ${layer("bob")}
      c:
        ${layer("cat")}
      d:
        ${hours}
        ${layer("dan")}`),
    );
    const night = whoIsOnCall(oncall, "s/a", at("2025-03-05T22:00+01:00"));
    expect([night.who, night.source, night.fallbackFrom, night.answeredBy?.source, night.answeredBy?.fallbackFrom]).toEqual([["cat"], "fallback", "s/c", "fallback", "s/c"]);
    const nobody = whoIsOnCall(oncall, "s/d", at("2025-03-08T12:00+01:00"));
    expect([nobody.who, nobody.source, nobody.offDuty]).toEqual([[], "uncovered", "outside-coverage"]);
    expect(whoIsOnCall(oncall, "s/nope", at("2025-03-08T12:00+01:00"))).toEqual({ tier: "s/nope", who: [], source: "uncovered", offDuty: "unknown-tier" });
    expect(nextHandoffs(oncall, "s/d", at("2025-03-07T12:00+01:00"), 2).map((h) => [iso(h.at), h.from, h.to])).toEqual([
      ["2025-03-07T16:00:00.000Z", ["dan"], []],
      ["2025-03-10T08:00:00.000Z", [], ["dan"]],
    ]);
  });

  it("a fallback cycle (validation reports it) ends in nobody rather than looping", () => {
    const layer = { rotation: "weekly" as const, handoff: { day: "monday" as const, time: "09:00" }, start: "2025-01-06", participants: ["ann"] };
    const hours = { days: ["monday" as const], from: "09:00", to: "10:00" };
    const oncall: OncallFile = {
      version: 1,
      schedules: { s: { timezone: "Europe/Berlin", tiers: { a: { coverage: hours, fallback: "s/b", layers: [layer] }, b: { coverage: hours, fallback: "s/a", layers: [layer] } } } },
    };
    const r = whoIsOnCall(oncall, "s/a", at("2025-03-05T12:00+01:00"));
    expect([r.who, r.source]).toEqual([[], "uncovered"]);
  });
});
