/**
 * The report's figures as a pure function (src/core/report): after-hours across a week boundary and
 * both daylight-saving changes in the person's zone, an incident with no acknowledgement, an empty
 * history, reopenings, sign-off lead time and kill-switch time. Expected numbers are worked out by
 * hand in the comments.
 */
import { describe, expect, it } from "vitest";
import { buildReport, DEFAULT_WORKING_HOURS, parseWorkingHours, reportCsv, reportMarkdown, type ReportFacts, type ReportOptions } from "../../src/core/report/index.js";
import { afterHoursMs, workingMs } from "../../src/core/report/hours.js";
import { reportSvg } from "../../src/core/report/svg.js";
import type { LogEntry } from "../../src/core/model/state.js";
import { incident } from "./support.js";

const H = 3_600_000;
const t = (iso: string) => Date.parse(iso);

function options(since: string, until: string, extra: Partial<ReportOptions> = {}): ReportOptions {
  return { since: new Date(since), until: new Date(until), now: new Date(until), zones: {}, defaultZone: "Europe/Berlin", hours: DEFAULT_WORKING_HOURS, ...extra };
}

const facts = (f: Partial<ReportFacts>): ReportFacts => ({ incidents: [], pulls: [], log: [], ...f });

describe("after hours, in the person's zone", () => {
  it("Friday 17:00 to Monday 10:00 in Berlin across the spring-forward weekend: 62 h after hours, 2 h working", () => {
    // Fri 2025-03-28 17:00 CET = 16:00Z; Mon 2025-03-31 10:00 CEST = 08:00Z: 64 h elapsed.
    // Working: Fri 17:00-18:00 (1 h) and Mon 09:00-10:00 (1 h). After hours: Fri 18:00 CET (17:00Z) to Mon 09:00 CEST (07:00Z) = 62 h
    // (the local clock reads 63 h; the night of 30 March has 23 hours).
    const from = t("2025-03-28T16:00:00Z");
    const until = t("2025-03-31T08:00:00Z");
    expect(workingMs(from, until, "Europe/Berlin", DEFAULT_WORKING_HOURS)).toBe(2 * H);
    expect(afterHoursMs(from, until, "Europe/Berlin", DEFAULT_WORKING_HOURS)).toBe(62 * H);
  });

  it("the fall-back night counts its extra hour: Sat 22:00 CEST to Sun 06:00 CET is 9 h after hours", () => {
    // 2025-10-25 22:00 CEST = 20:00Z; 2025-10-26 06:00 CET = 05:00Z: 9 h, all on a weekend.
    expect(afterHoursMs(t("2025-10-25T20:00:00Z"), t("2025-10-26T05:00:00Z"), "Europe/Berlin", DEFAULT_WORKING_HOURS)).toBe(9 * H);
  });

  it("the same instant is after hours in Berlin and working time in New York; the report counts each in the person's zone", () => {
    // Mon 2025-06-02 17:30Z = 19:30 CEST (after hours) = 13:30 EDT (working). Both respond until 18:30Z:
    // Berlin person: 1 h after hours; New York person: 0 h.
    const state = incident({
      issue: 1,
      openedAt: "2025-06-02T17:30:00Z",
      pages: [{ people: ["berta", "nils"], at: "2025-06-02T17:30:00Z" }],
      acks: [{ by: "nils", at: "2025-06-02T17:35:00Z" }],
      resolvedAt: "2025-06-02T18:30:00Z",
    });
    const r = buildReport(facts({ incidents: [state] }), options("2025-06-01T00:00:00Z", "2025-06-09T00:00:00Z", { zones: { berta: "Europe/Berlin", nils: "America/New_York" } }));
    expect(r.people).toEqual([
      { login: "berta", zone: "Europe/Berlin", pages: 1, afterHoursPages: 1, respondingHours: 1, afterHoursHours: 1 },
      { login: "nils", zone: "America/New_York", pages: 1, afterHoursPages: 0, respondingHours: 1, afterHoursHours: 0 },
    ]);
  });

  it("overlapping incidents count a person's time once", () => {
    // olga: #1 paged Sat 10:00Z–12:00Z, #2 paged Sat 11:00Z–13:00Z: 3 h responding (10:00–13:00), all after hours (a Saturday).
    const a = incident({ issue: 1, openedAt: "2025-06-07T10:00:00Z", pages: [{ people: ["olga"], at: "2025-06-07T10:00:00Z" }], resolvedAt: "2025-06-07T12:00:00Z" });
    const b = incident({ issue: 2, openedAt: "2025-06-07T11:00:00Z", pages: [{ people: ["olga"], at: "2025-06-07T11:00:00Z" }], resolvedAt: "2025-06-07T13:00:00Z" });
    const r = buildReport(facts({ incidents: [a, b] }), options("2025-06-01T00:00:00Z", "2025-06-09T00:00:00Z"));
    expect(r.people).toEqual([{ login: "olga", zone: "Europe/Berlin", pages: 2, afterHoursPages: 2, respondingHours: 3, afterHoursHours: 3 }]);
  });

  it("--working-hours parses days and a range, and refuses what it cannot read", () => {
    expect(parseWorkingHours("Mon-Fri 09:00-18:00")).toEqual(DEFAULT_WORKING_HOURS);
    expect(parseWorkingHours("mon,wed,fri 08:30-24:00")).toEqual({ days: [1, 3, 5], from: 510, to: 1440 });
    expect(parseWorkingHours("Mon-Fri 18:00-09:00")).toEqual({ error: expect.stringContaining("ends before it starts") });
    expect(parseWorkingHours("weekdays")).toEqual({ error: expect.stringContaining("Mon-Fri 09:00-18:00") });
    expect(parseWorkingHours("x".repeat(1000))).toEqual({ error: expect.any(String) });
  });
});

describe("acknowledgement and resolution", () => {
  const period = options("2025-06-02T00:00:00Z", "2025-06-03T00:00:00Z");

  it("an incident with no acknowledgement: no MTTA, counted in MTTR, and it missed its deadline", () => {
    // #1 P1 opened 10:00, nobody acked, resolved 11:00: TTR 60 min, deadline 10:15 passed: missed.
    // #2 P1 opened 12:00, acked 12:10 (deadline 12:15), resolved 12:40: TTA 10, TTR 40, met.
    const r = buildReport(
      facts({
        incidents: [
          incident({ issue: 1, openedAt: "2025-06-02T10:00:00Z", resolvedAt: "2025-06-02T11:00:00Z" }),
          incident({ issue: 2, openedAt: "2025-06-02T12:00:00Z", acks: [{ by: "olga", at: "2025-06-02T12:10:00Z", due: "2025-06-02T12:15:00Z" }], resolvedAt: "2025-06-02T12:40:00Z" }),
        ],
      }),
      period,
    );
    expect(r.severities).toEqual([
      {
        severity: "P1",
        incidents: 2,
        acknowledged: 1,
        resolved: 2,
        escalated: 0,
        mtta: { count: 1, mean: 10, median: 10, p90: 10, max: 10 },
        mttr: { count: 2, mean: 50, median: 50, p90: 60, max: 60 },
        compliance: { met: 1, missed: 1, pending: 0, "not-needed": 0, unknown: 0, rate: 0.5 },
      },
    ]);
    expect(r.episodes.map((e) => [e.issue, e.tta, e.ttr, e.compliance])).toEqual([
      [1, undefined, 60, "missed"],
      [2, 10, 40, "met"],
    ]);
  });

  it("open and unacknowledged: pending before the deadline, missed after; resolved before the deadline without /ack: not needed", () => {
    const open = incident({ issue: 3, openedAt: "2025-06-02T23:50:00Z" }); // deadline 00:05 next day, the period ends at 00:00
    const late = incident({ issue: 4, openedAt: "2025-06-02T20:00:00Z" }); // deadline 20:15 passed, still open
    const quick = incident({ issue: 5, openedAt: "2025-06-02T21:00:00Z", resolvedAt: "2025-06-02T21:05:00Z" });
    const r = buildReport(facts({ incidents: [open, late, quick] }), period);
    expect(r.episodes.map((e) => [e.issue, e.compliance])).toEqual([
      [4, "missed"],
      [5, "not-needed"],
      [3, "pending"],
    ]);
    expect(r.severities[0]!.compliance.rate).toBe(0);
    expect(r.totals).toEqual({ incidents: 3, acknowledged: 0, resolved: 1, open: 2, pages: 0 });
  });

  it("a reopened incident has two episodes, each timed from its own start, with the deadline its acknowledgement recorded", () => {
    // Episode 1: opened 10:00, acked 10:20 (due 10:15: missed), resolved 11:00. Reopened 14:00, acked 14:05 (due 14:15: met), resolved 14:30.
    const s = incident({
      issue: 7,
      openedAt: "2025-06-02T10:00:00Z",
      history: [{ at: "2025-06-02T11:00:00Z", reopenedAt: "2025-06-02T14:00:00Z" }],
      acks: [
        { by: "olga", at: "2025-06-02T10:20:00Z", episode: 1, due: "2025-06-02T10:15:00Z" },
        { by: "sam", at: "2025-06-02T14:05:00Z", episode: 2, due: "2025-06-02T14:15:00Z" },
      ],
      resolvedAt: "2025-06-02T14:30:00Z",
    });
    const r = buildReport(facts({ incidents: [s] }), period);
    expect(r.episodes.map((e) => [e.episode, e.ackBy, e.tta, e.ttr, e.compliance])).toEqual([
      [1, "olga", 20, 60, "missed"],
      [2, "sam", 5, 30, "met"],
    ]);
  });

  it("an incident counts under the severity in force when it was resolved", () => {
    const s = incident({ issue: 8, severity: "P1", openedAt: "2025-06-02T10:00:00Z", severityChanges: [{ from: "P2", to: "P1", at: "2025-06-02T10:30:00Z" }], resolvedAt: "2025-06-02T11:00:00Z" });
    expect(buildReport(facts({ incidents: [s] }), period).severities.map((x) => x.severity)).toEqual(["P1"]);
  });

  it("what happened after the period's end has not happened yet", () => {
    const s = incident({ issue: 9, openedAt: "2025-06-02T23:00:00Z", acks: [{ by: "olga", at: "2025-06-03T00:10:00Z", due: "2025-06-02T23:15:00Z" }], resolvedAt: "2025-06-03T01:00:00Z" });
    const r = buildReport(facts({ incidents: [s] }), period);
    expect(r.episodes).toEqual([{ issue: 9, episode: 1, severity: "P1", start: "2025-06-02T23:00:00.000Z", compliance: "missed" }]);
    expect(r.totals.open).toBe(1);
  });
});

describe("an empty history", () => {
  it("says so in every section, draws no chart, and still gives the period in CSV and JSON", () => {
    const r = buildReport(facts({}), options("2025-05-01T00:00:00Z", "2025-06-01T00:00:00Z"));
    expect(r.totals).toEqual({ incidents: 0, acknowledged: 0, resolved: 0, open: 0, pages: 0 });
    const md = reportMarkdown(r);
    expect(md).toContain("No incidents started in this period.");
    expect(md).toContain("Nobody was paged in this period.");
    expect(md).toContain("No sign-off completed in this period.");
    expect(md).toContain("No kill-switch was active in this period.");
    expect(md).not.toContain("```mermaid");
    expect(reportCsv(r).split("\n").slice(0, 4)).toEqual(["section,key,metric,value", "period,,since,2025-05-01T00:00:00.000Z", "period,,until,2025-06-01T00:00:00.000Z", "period,,working_hours,Mon-Fri 09:00-18:00"]);
    expect(reportSvg(r)).toContain("No data in this period.");
  });
});

describe("sign-off lead time and kill-switch time", () => {
  const head = "a".repeat(40);
  const pull = {
    number: 40,
    request: { kind: "advance" as const, issue: 3, by: "pat", from: "P3", to: "P4" },
    openedAt: "2025-06-02T08:00:00Z",
    mergedAt: "2025-06-03T12:00:00Z",
    head,
    reviews: [
      { by: "pat", state: "APPROVED", at: "2025-06-02T08:05:00Z", commit: head, bot: false }, // the requester: never counts
      { by: "ana", state: "APPROVED", at: "2025-06-02T10:00:00Z", commit: "b".repeat(40), bot: false }, // an older commit: stale
      { by: "ana", state: "APPROVED", at: "2025-06-02T14:00:00Z", commit: head, bot: false },
      { by: "sam", state: "APPROVED", at: "2025-06-03T08:00:00Z", commit: head, bot: false }, // completes: 24 h after opening
      { by: "ci[bot]", state: "APPROVED", at: "2025-06-03T11:00:00Z", commit: head, bot: true },
    ],
  };
  const entry = (e: Partial<LogEntry> & Pick<LogEntry, "id" | "timestamp" | "action">): LogEntry => ({ actor: "olga", ...e });

  it("per gate: opening to the last approval on the merged commit, and to the merge; a break-glass review from the log", () => {
    const log = [
      entry({ id: "bg1", timestamp: "2025-06-04T10:00:00Z", action: "breakglass", review_roles: ["sre-lead", "ingestion-owner"] }),
      entry({ id: "bg1s1", timestamp: "2025-06-04T12:00:00Z", action: "breakglass-signed", ref: "bg1", role: "sre-lead" }),
      entry({ id: "bg1s2", timestamp: "2025-06-04T16:00:00Z", action: "breakglass-signed", ref: "bg1", role: "ingestion-owner" }),
      entry({ id: "bg2", timestamp: "2025-06-05T10:00:00Z", action: "breakglass", review_roles: ["sre-lead"] }),
    ];
    const r = buildReport(facts({ pulls: [pull], log }), options("2025-06-01T00:00:00Z", "2025-06-08T00:00:00Z"));
    expect(r.gates).toEqual([
      { gate: "advance P3 → P4", count: 1, leadTime: { count: 1, mean: 24, median: 24, p90: 24, max: 24 }, toMerge: { count: 1, mean: 28, median: 28, p90: 28, max: 28 }, unsigned: 0, pending: 0 },
      { gate: "break-glass review", count: 1, leadTime: { count: 1, mean: 6, median: 6, p90: 6, max: 6 }, toMerge: { count: 0, mean: null, median: null, p90: null, max: null }, unsigned: 0, pending: 1 },
    ]);
  });

  it("kill-switch: from activation to resume, clipped to the period; a resume by sign-off takes effect when its pull request merged", () => {
    const resumePull = { number: 41, request: { kind: "resume" as const, issue: 5, by: "sam", scope: "global" }, openedAt: "2025-06-03T10:00:00Z", mergedAt: "2025-06-03T13:00:00Z", head, reviews: [] };
    const log = [
      // active since before the period: only the part inside counts (Jun 1 00:00 → Jun 3 13:00 = 61 h); whole activation 64 h
      entry({ id: "a1", timestamp: "2025-05-31T21:00:00Z", action: "activate", scope: "global" }),
      entry({ id: "r1", timestamp: "2025-06-03T10:00:00Z", action: "resume", scope: "global", actor: "sam", link: "https://github.com/acme/ingestion/issues/5#issuecomment-1" }),
      // workspace:acme: 2 h, then active again at the end (Jun 7 22:00 → Jun 8 00:00 = 2 h): 4 h, 2 activations
      entry({ id: "a2", timestamp: "2025-06-04T08:00:00Z", action: "activate", scope: "workspace:acme" }),
      entry({ id: "r2", timestamp: "2025-06-04T10:00:00Z", action: "resume", scope: "workspace:acme" }),
      entry({ id: "a3", timestamp: "2025-06-07T22:00:00Z", action: "activate", scope: "workspace:acme" }),
    ];
    const r = buildReport(facts({ pulls: [resumePull], log }), options("2025-06-01T00:00:00Z", "2025-06-08T00:00:00Z"));
    expect(r.killSwitch).toEqual([
      { scope: "global", activations: 0, activeHours: 61, longestHours: 64, activeAtEnd: false },
      { scope: "workspace:acme", activations: 2, activeHours: 4, longestHours: 2, activeAtEnd: true },
    ]);
  });
});

describe("the chart", () => {
  it("draws MTTA and MTTR per severity and the load per person as Mermaid xychart-beta blocks", () => {
    const r = buildReport(
      facts({
        incidents: [
          incident({ issue: 1, severity: "P1", openedAt: "2025-06-02T10:00:00Z", pages: [{ people: ["olga"], at: "2025-06-02T10:00:00Z" }], acks: [{ by: "olga", at: "2025-06-02T10:06:00Z", due: "2025-06-02T10:15:00Z" }], resolvedAt: "2025-06-02T11:00:00Z" }),
          incident({ issue: 2, severity: "P2", openedAt: "2025-06-02T12:00:00Z", pages: [{ people: ["sam"], at: "2025-06-02T12:00:00Z" }], acks: [{ by: "sam", at: "2025-06-02T12:30:00Z", due: "2025-06-02T12:15:00Z" }], resolvedAt: "2025-06-02T14:00:00Z" }),
        ],
      }),
      options("2025-06-01T00:00:00Z", "2025-06-08T00:00:00Z", { severityOrder: ["P1", "P2"] }),
    );
    const md = reportMarkdown(r);
    expect(md).toContain(
      [
        "```mermaid",
        "xychart-beta",
        '    title "Mean minutes to acknowledge (bars) and to resolve (line), by severity"',
        '    x-axis ["P1", "P2"]',
        '    y-axis "minutes" 0 --> 132',
        "    bar [6, 30]",
        "    line [60, 120]",
        "```",
      ].join("\n"),
    );
    expect(md).toContain('    x-axis ["olga", "sam"]\n    y-axis "pages / hours" 0 --> 2\n    bar [1, 1]\n    line [0, 0]');
    expect(md).toContain("| P1 | 1 | 6m / 6m / 6m | 1h / 1h / 1h | 100% (1 of 1) | 0 |");
    expect(md).toContain("| P2 | 1 | 30m / 30m / 30m | 2h / 2h / 2h | 0% (0 of 1) | 0 |");
  });
});

describe("names Charter echoes", () => {
  it("a name with a pipe, a marker, a mention and Mermaid quotes cannot break the table or the chart", () => {
    const r = buildReport(
      facts({ incidents: [incident({ issue: 1, severity: 'P1 | x"] <!-- charter:incident --> @acme/all', openedAt: "2025-06-02T10:00:00Z", pages: [{ people: ["olga"], at: "2025-06-02T10:00:00Z" }] })] }),
      options("2025-06-01T00:00:00Z", "2025-06-03T00:00:00Z"),
    );
    const md = reportMarkdown(r);
    expect(md).toContain("| P1 \\| x\"] &lt;!-- charter:incident --&gt; @\u200Bacme/all | 1 | — | — | 0% (0 of 1) | 0 |");
    expect(md).toContain('    x-axis ["P1 | x    !-- charter:incident --  @acme"]'); // quotes and brackets blanked, 40 characters
    expect(md).not.toContain("<!--");
  });
});

describe("people's zones", () => {
  it("a person's own zone, else the first schedule that names them, as a participant or in an override; else the first schedule's zone", async () => {
    const { peopleZones } = await import("../../src/core/report/zones.js");
    const layer = (participants: string[]) => ({ rotation: "weekly" as const, handoff: { day: "monday" as const, time: "09:00" }, start: "2025-01-06", participants });
    const oncall = {
      version: 1 as const,
      schedules: {
        berlin: { timezone: "Europe/Berlin", tiers: { primary: { layers: [layer(["ana", "Bo"])] } } },
        nyc: { timezone: "America/New_York", tiers: { primary: { layers: [layer(["bo", "cy"])] } }, overrides: [{ tier: "primary", from: "2025-06-01T00:00Z", until: "2025-06-02T00:00Z", who: "dee" }] },
      },
    };
    expect(peopleZones(oncall as never)).toEqual({ zones: { ana: "Europe/Berlin", bo: "Europe/Berlin", cy: "America/New_York", dee: "America/New_York" }, defaultZone: "Europe/Berlin" });
    expect(peopleZones(undefined)).toEqual({ zones: {}, defaultZone: "UTC" });
    // a person's own zone (oncall.yml people) comes first
    expect(peopleZones({ ...oncall, people: { Bo: { timezone: "Asia/Tokyo" } } } as never).zones.bo).toBe("Asia/Tokyo");
  });
});
