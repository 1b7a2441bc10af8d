/**
 * Unavailability (oncall.yml `unavailable`, `people`, a layer's `backup`): a rotation skips an
 * unavailable person to the backup of that shift. Every instant is explicit; the clock is never
 * read. Europe/Berlin changes to summer time on Sunday 2025-03-30 (02:00 → 03:00): that day has
 * 23 hours, and the Monday 09:00 handoff moves from 08:00Z to 07:00Z.
 */
import { describe, expect, it } from "vitest";
import type { Governance } from "../../src/core/model/governance.js";
import { nextHandoffs, whoIsOnCall } from "../../src/core/oncall/resolve.js";
import { absencesBetween, unavailableAt } from "../../src/core/oncall/unavailability.js";
import { roleHolders } from "../../src/core/roles/resolve.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";

const at = (iso: string) => new Date(iso);

/** D9 with more top-level keys appended to oncall.yml (and, optionally, a layer edited). */
export async function d9Oncall(extra: string, edit: (text: string) => string = (t) => t): Promise<Governance> {
  const files = d9Files();
  files["oncall.yml"] = edit(files["oncall.yml"]!) + "\n" + extra;
  const result = await loadGovernance(memorySource(files, "governance"));
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join("\n"));
  return result.governance;
}

function answer(g: Governance, ref: string, when: string) {
  const r = whoIsOnCall(g.oncall, ref, at(when));
  return {
    who: r.who,
    source: r.source,
    ...(r.covering ? { rostered: r.covering.rostered, via: r.covering.via, skipped: r.covering.skipped.map((s) => `${s.who}: ${s.absence.reason}`) } : {}),
    ...(r.since ? { since: r.since.toISOString(), until: r.until!.toISOString() } : {}),
  };
}

// Shift 11 (Mon 2025-03-24 09:00 CET → Mon 2025-03-31 09:00 CEST): primary opal (swapped to omar),
// secondary oscar. Shift 12: primary oscar, secondary olga.
const OSCAR_WEEKEND = `unavailable:
  - { who: oscar-oncall, from: 2025-03-29, to: 2025-03-30, reason: Vacation }
`;

describe("a date range across the spring DST change", () => {
  it("skips oscar-oncall to the next in turn from Saturday 00:00 CET to Monday 00:00 CEST (a 47-hour weekend)", async () => {
    const g = await d9Oncall(OSCAR_WEEKEND);
    expect(answer(g, "ingestion/secondary", "2025-03-28T23:59+01:00")).toEqual({ who: ["oscar-oncall"], source: "rotation", since: "2025-03-24T08:00:00.000Z", until: "2025-03-31T07:00:00.000Z" });
    const covered = { who: ["olga-oncall"], source: "rotation", rostered: "oscar-oncall", via: "next-in-turn", skipped: ["oscar-oncall: Vacation"], since: "2025-03-28T23:00:00.000Z", until: "2025-03-30T22:00:00.000Z" };
    expect(answer(g, "ingestion/secondary", "2025-03-29T00:00+01:00")).toEqual(covered);
    expect(answer(g, "ingestion/secondary", "2025-03-30T01:59+01:00")).toEqual(covered);
    expect(answer(g, "ingestion/secondary", "2025-03-30T03:00+02:00")).toEqual(covered);
    expect(answer(g, "ingestion/secondary", "2025-03-30T23:59+02:00")).toEqual(covered);
    expect(answer(g, "ingestion/secondary", "2025-03-31T00:00+02:00")).toEqual({ who: ["oscar-oncall"], source: "rotation", since: "2025-03-24T08:00:00.000Z", until: "2025-03-31T07:00:00.000Z" });
    // 47 hours: Saturday has 24, Sunday 23
    const abs = unavailableAt(g.oncall, "Oscar-Oncall", at("2025-03-30T12:00Z"))!;
    expect((abs.until.getTime() - abs.from.getTime()) / 3_600_000).toBe(47);
  });

  it("the handoffs say so: to olga at Saturday 00:00 CET, back to oscar at Monday 00:00 CEST, to olga's own shift at 09:00 CEST", async () => {
    const g = await d9Oncall(OSCAR_WEEKEND);
    const hs = nextHandoffs(g.oncall, "ingestion/secondary", at("2025-03-28T12:00Z"), 3);
    expect(hs.map((h) => [h.at.toISOString(), h.from.join(), h.to.join(), h.next.covering?.rostered ?? ""])).toEqual([
      ["2025-03-28T23:00:00.000Z", "oscar-oncall", "olga-oncall", "oscar-oncall"],
      ["2025-03-30T22:00:00.000Z", "olga-oncall", "oscar-oncall", ""],
      ["2025-03-31T07:00:00.000Z", "oscar-oncall", "olga-oncall", ""],
    ]);
  });

  it("a role that follows the tier follows the skip: on-call-secondary is olga-oncall on Sunday", async () => {
    const g = await d9Oncall(OSCAR_WEEKEND);
    expect(roleHolders(g, "on-call-secondary", at("2025-03-30T10:00+02:00")).holders).toEqual(["olga-oncall"]);
    expect(roleHolders(g, "on-call", at("2025-03-30T10:00+02:00")).holders).toEqual(["omar-oncall", "olga-oncall"]);
  });
});

describe("across the week boundary (the Monday 09:00 handoff)", () => {
  const OSCAR_SUN_TO_TUE = `unavailable:
  - { who: oscar-oncall, from: 2025-03-30, to: 2025-04-01, reason: Moving house }
`;
  it("oscar's secondary shift is covered until Monday 09:00, then his primary shift from 09:00 CEST (07:00Z) until Wednesday 00:00", async () => {
    const g = await d9Oncall(OSCAR_SUN_TO_TUE);
    expect(answer(g, "ingestion/secondary", "2025-03-31T08:59+02:00")).toMatchObject({ who: ["olga-oncall"], rostered: "oscar-oncall", until: "2025-03-31T07:00:00.000Z" });
    expect(answer(g, "ingestion/secondary", "2025-03-31T09:00+02:00")).toEqual({ who: ["olga-oncall"], source: "rotation", since: "2025-03-31T07:00:00.000Z", until: "2025-04-07T07:00:00.000Z" });
    // primary before 09:00 is the swap (omar for opal): an override stands
    expect(answer(g, "ingestion/primary", "2025-03-31T08:59+02:00")).toMatchObject({ who: ["omar-oncall"], source: "override" });
    // from 09:00 the primary is oscar's shift: the next in the primary's turn is olga
    expect(answer(g, "ingestion/primary", "2025-03-31T09:00+02:00")).toEqual({ who: ["olga-oncall"], source: "rotation", rostered: "oscar-oncall", via: "next-in-turn", skipped: ["oscar-oncall: Moving house"], since: "2025-03-31T07:00:00.000Z", until: "2025-04-01T22:00:00.000Z" });
    expect(answer(g, "ingestion/primary", "2025-04-01T23:59+02:00").who).toEqual(["olga-oncall"]);
    expect(answer(g, "ingestion/primary", "2025-04-02T00:00+02:00").who).toEqual(["oscar-oncall"]);
  });
});

describe("the backup of a shift", () => {
  it("`backup:` names who covers, in order: the first available one", async () => {
    const g = await d9Oncall(
      `unavailable:
  - { who: oscar-oncall, from: 2025-03-29, to: 2025-03-30, reason: Vacation }
  - { who: ana-owner, from: 2025-03-28, to: 2025-04-02 }
`,
      (t) => t.replace("participants: [olga-oncall, omar-oncall, opal-oncall, oscar-oncall]", "participants: [olga-oncall, omar-oncall, opal-oncall, oscar-oncall]\n            backup: [ana-owner, ben-owner]"),
    );
    expect(answer(g, "ingestion/secondary", "2025-03-30T10:00+02:00")).toMatchObject({ who: ["ben-owner"], rostered: "oscar-oncall", via: "backup", skipped: ["oscar-oncall: Vacation", "ana-owner: unavailable"] });
  });

  it("`backup: []`: nobody in the layer covers; the tier's fallback answers, else nobody (offDuty `unavailable`)", async () => {
    const g = await d9Oncall(OSCAR_WEEKEND, (t) => t.replace("participants: [olga-oncall, omar-oncall, opal-oncall, oscar-oncall]", "participants: [olga-oncall, omar-oncall, opal-oncall, oscar-oncall]\n            backup: []"));
    const r = whoIsOnCall(g.oncall, "ingestion/secondary", at("2025-03-30T10:00+02:00"));
    expect([r.who, r.source, r.offDuty, r.covering?.rostered, r.covering?.via]).toEqual([[], "uncovered", "unavailable", "oscar-oncall", undefined]);
    // the owner tier falls back to the secondary outside its hours: nobody there either
    expect(whoIsOnCall(g.oncall, "ingestion/owner", at("2025-03-30T10:00+02:00")).who).toEqual([]);
  });

  it("when everyone in turn is unavailable, nobody: every skip is listed", async () => {
    const g = await d9Oncall(`unavailable:
  - { who: oscar-oncall, from: 2025-03-29, to: 2025-03-30, reason: Vacation }
  - { who: olga-oncall, from: 2025-03-29, to: 2025-03-30, reason: Conference }
  - { who: omar-oncall, from: 2025-03-29, to: 2025-03-30 }
  - { who: opal-oncall, from: 2025-03-29, to: 2025-03-30, reason: Sick }
`);
    const r = whoIsOnCall(g.oncall, "ingestion/secondary", at("2025-03-30T10:00+02:00"));
    expect(r.who).toEqual([]);
    expect(r.covering?.skipped.map((s) => s.who)).toEqual(["oscar-oncall", "olga-oncall", "omar-oncall", "opal-oncall"]);
  });

  it("a swap written for the unavailable person's week still applies (it matches the rostered person); an override's own `who` is not skipped", async () => {
    // opal (rostered primary in shift 11) is on vacation: the D9 swap gives omar, not the next in turn
    const g = await d9Oncall(`unavailable:
  - { who: opal-oncall, from: 2025-03-24, to: 2025-03-30, reason: Vacation }
  - { who: omar-oncall, from: "2025-03-26T12:00+01:00", to: "2025-03-26T14:00+01:00", reason: Dentist }
`);
    expect(answer(g, "ingestion/primary", "2025-03-25T10:00+01:00")).toMatchObject({ who: ["omar-oncall"], source: "override" });
    // omar is unavailable for two hours, but the override names him explicitly: it stands (the drill warns)
    expect(answer(g, "ingestion/primary", "2025-03-26T13:00+01:00")).toMatchObject({ who: ["omar-oncall"], source: "override" });
  });
});

describe("instants, time zones and holidays", () => {
  it("an instant `to` is excluded; a date `to` includes the whole day", async () => {
    const g = await d9Oncall(`unavailable:
  - { who: oscar-oncall, from: "2025-03-25T12:00+01:00", to: "2025-03-25T14:00+01:00", reason: Dentist }
`);
    expect(whoIsOnCall(g.oncall, "ingestion/secondary", at("2025-03-25T11:59+01:00")).who).toEqual(["oscar-oncall"]);
    expect(whoIsOnCall(g.oncall, "ingestion/secondary", at("2025-03-25T12:00+01:00")).who).toEqual(["olga-oncall"]);
    expect(whoIsOnCall(g.oncall, "ingestion/secondary", at("2025-03-25T13:59:59+01:00")).who).toEqual(["olga-oncall"]);
    expect(whoIsOnCall(g.oncall, "ingestion/secondary", at("2025-03-25T14:00+01:00")).who).toEqual(["oscar-oncall"]);
  });

  it("dates are read in the person's own time zone when `people` gives one", async () => {
    const g = await d9Oncall(`people:
  oscar-oncall: { timezone: America/New_York }
unavailable:
  - { who: oscar-oncall, from: 2025-03-29, to: 2025-03-29, reason: Day off }
`);
    // Saturday in New York (EDT, -04:00) is 2025-03-29T04:00Z to 2025-03-30T04:00Z
    expect(whoIsOnCall(g.oncall, "ingestion/secondary", at("2025-03-29T03:59Z")).who).toEqual(["oscar-oncall"]);
    expect(whoIsOnCall(g.oncall, "ingestion/secondary", at("2025-03-29T04:00Z")).who).toEqual(["olga-oncall"]);
    expect(whoIsOnCall(g.oncall, "ingestion/secondary", at("2025-03-30T03:59Z")).who).toEqual(["olga-oncall"]);
    expect(whoIsOnCall(g.oncall, "ingestion/secondary", at("2025-03-30T04:00Z")).who).toEqual(["oscar-oncall"]);
  });

  it("public holidays of a person's calendar (DE-BE): Good Friday and Easter Monday 2025 skip omar-oncall, whole local days", async () => {
    const g = await d9Oncall(`people:
  omar-oncall: { holidays: DE-BE }
`);
    // shift 14 (Mon 2025-04-14 → Mon 2025-04-21 09:00): primary omar
    expect(whoIsOnCall(g.oncall, "ingestion/primary", at("2025-04-17T23:59+02:00")).who).toEqual(["omar-oncall"]);
    const friday = answer(g, "ingestion/primary", "2025-04-18T00:00+02:00");
    expect(friday).toMatchObject({ who: ["opal-oncall"], rostered: "omar-oncall", via: "next-in-turn", since: "2025-04-17T22:00:00.000Z", until: "2025-04-18T22:00:00.000Z" });
    expect(friday.skipped).toEqual(["omar-oncall: public holiday (DE-BE): Good Friday"]);
    expect(whoIsOnCall(g.oncall, "ingestion/primary", at("2025-04-19T00:00+02:00")).who).toEqual(["omar-oncall"]);
    // Easter Monday until the 09:00 handoff, when opal's own shift starts
    expect(answer(g, "ingestion/primary", "2025-04-21T08:00+02:00")).toMatchObject({ who: ["opal-oncall"], rostered: "omar-oncall" });
    expect(answer(g, "ingestion/primary", "2025-04-21T09:00+02:00")).toEqual({ who: ["opal-oncall"], source: "rotation", since: "2025-04-21T07:00:00.000Z", until: "2025-04-28T07:00:00.000Z" });
    const list = absencesBetween(g.oncall, "omar-oncall", at("2025-04-01T00:00Z"), at("2025-05-02T00:00Z")).map((a) => a.source.kind === "holiday" ? a.source.date : "");
    expect(list).toEqual(["2025-04-18", "2025-04-21", "2025-05-01"]);
  });

  it("logins compare case-insensitively", async () => {
    const g = await d9Oncall(`unavailable:
  - { who: Oscar-Oncall, from: 2025-03-29, to: 2025-03-30 }
`);
    expect(whoIsOnCall(g.oncall, "ingestion/secondary", at("2025-03-29T12:00Z")).who).toEqual(["olga-oncall"]);
  });

  it("without `unavailable` and `people` nothing changes (D9 as it is)", async () => {
    const g = await d9Oncall("");
    expect(whoIsOnCall(g.oncall, "ingestion/secondary", at("2025-03-30T10:00+02:00")).covering).toBeUndefined();
  });
});
