/**
 * The ladder counts elapsed minutes, whatever the wall clock does; whoever is paged is whoever
 * holds the role at the instant of the page (across a DST change and a weekly handoff).
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, pageLines, sevenPersonFiles, sweepEvery, world } from "./support/world.js";

afterEach(cleanup);

describe("ladders across DST changes and a week boundary", () => {
  it("Europe/Berlin spring forward (2025-03-30 02:00 → 03:00): +15, +30, +60 are elapsed minutes", async () => {
    const w = await world({ t0: "2025-03-30T00:30:00Z" }); // Sun 01:30 CET
    await w.open({ number: 1, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    await sweepEvery(w, 1, 70);
    expect(pageLines(w, 1).map((p) => [p.minute, p.mentions])).toEqual([
      [0, ["omar-oncall"]], // primary, covering opal's week (override)
      [15, ["oscar-oncall"]],
      [30, ["ana-owner"]],
      [60, ["sam-sre", "pat-pm"]],
    ]);
    const status = w.gh.botComments(1)[0]!.body;
    expect(status).toContain("| 2 | +15m (01:45 CET) |");
    expect(status).toContain("| 3 | +30m (03:00 CEST) |"); // 30 minutes after 01:30 CET
    expect(status).toContain("| 4 | +1h (03:30 CEST) |");
    expect(w.gh.posted(1).map((p) => p.at)).toEqual([
      "2025-03-30T00:30:00.000Z",
      "2025-03-30T00:45:00.000Z",
      "2025-03-30T01:00:00.000Z",
      "2025-03-30T01:30:00.000Z",
    ]);
  });

  it("a weekly handoff (Mon 2025-03-31 09:00 CEST) between two steps: each page goes to whoever is on call at that instant", async () => {
    const w = await world({ t0: "2025-03-31T06:50:00Z" }); // Mon 08:50 CEST, 10 minutes before the handoff
    await w.open({ number: 2, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    await sweepEvery(w, 1, 16);
    expect(pageLines(w, 2).map((p) => [p.minute, p.mentions])).toEqual([
      [0, ["omar-oncall"]], // last week's primary (override for opal), before the handoff
      [15, ["olga-oncall"]], // this week's secondary; last week's (oscar) is not paged
    ]);
    // the start message names the secondary at the opening instant
    expect(w.gh.posted(2)[0]!.body).toContain("On-Call: @omar-oncall (secondary: `oscar-oncall`)");
    expect(w.gh.issues.get(2)!.assignees).toEqual(["omar-oncall", "olga-oncall"]);
  });

  it("America/New_York fall back (2025-11-02 02:00 EDT → 01:00 EST), seed 000 P0: 0, 15, 30, 45 elapsed minutes", async () => {
    const w = await world({ t0: "2025-11-02T05:40:00Z", files: sevenPersonFiles() }); // Sun 01:40 EDT
    await w.open({ number: 3, title: "Service down", labels: ["incident", "severity: P0"] });
    await sweepEvery(w, 1, 50);
    expect(pageLines(w, 3).map((p) => p.minute)).toEqual([0, 15, 30, 45]);
    expect(pageLines(w, 3).map((p) => p.mentions[0])).toEqual(["bo-backend", "dev-devops", "tara-lead", "max-manager"]);
    const status = w.gh.botComments(3)[0]!.body;
    expect(status).toContain("| 2 | +15m (01:55 EDT) |");
    expect(status).toContain("| 3 | +30m (01:10 EST) |"); // the wall clock went back; 30 minutes passed
    expect(status).toContain("| 4 | +45m (01:25 EST) |");
  });
});
