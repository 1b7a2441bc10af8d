/**
 * D9 §4.2 P1 escalation timeline, end to end through the real app with a ManualClock:
 * primary at 0, secondary at +15, Ingestion Owner at +30, SRE Lead + PM at +60; `/ack` stops the climb.
 * D9 governance: on Wed 2025-06-04 the primary is olga-oncall and the secondary omar-oncall.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, pageLines, sweepEvery, world } from "./support/world.js";

afterEach(cleanup);

const T0 = "2025-06-04T10:00:00Z"; // Wed 12:00 CEST

describe("D9 P1 ladder", () => {
  it("nobody acknowledges: primary at t0, secondary +15, Ingestion Owner +30, SRE Lead and PM +60", async () => {
    const w = await world({ t0: T0 });
    await w.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    await sweepEvery(w, 1, 90);

    expect(pageLines(w, 12).map(({ minute, mentions }) => ({ minute, mentions }))).toEqual([
      { minute: 0, mentions: ["olga-oncall"] },
      { minute: 15, mentions: ["omar-oncall"] },
      { minute: 30, mentions: ["ana-owner"] },
      { minute: 60, mentions: ["sam-sre", "pat-pm"] },
    ]);
    // each page assigns the people paged, at that minute
    const assigned = w.gh.api().filter((r) => r.path.endsWith("/issues/12/assignees")).map((r) => ({ at: r.at, who: r.body!.assignees }));
    expect(assigned).toEqual([
      { at: "2025-06-04T10:00:00.000Z", who: ["olga-oncall"] },
      { at: "2025-06-04T10:15:00.000Z", who: ["omar-oncall"] },
      { at: "2025-06-04T10:30:00.000Z", who: ["ana-owner"] },
      { at: "2025-06-04T11:00:00.000Z", who: ["sam-sre", "pat-pm"] },
    ]);
    expect(w.gh.issues.get(12)!.assignees).toEqual(["olga-oncall", "omar-oncall", "ana-owner", "sam-sre", "pat-pm"]);

    // the incident-start message (D9 §7.3) names primary and secondary; only the primary is @-mentioned
    const start = w.gh.posted(12)[0]!;
    expect(start.at).toBe("2025-06-04T10:00:00.000Z");
    expect(start.body).toContain("🔴 INCIDENT: Ingestion P1\nTime: Wed 2025-06-04 12:00 CEST\nImpact: Ingestion down\nStatus: Investigating\nOn-Call: @olga-oncall (secondary: `omar-oncall`)\nNext update: Wed 2025-06-04 12:30 CEST");
    // the +15 page also says the ack deadline passed; +30 and +60 carry the status-update reminder
    const bodies = w.gh.posted(12).map((p) => p.body);
    expect(bodies[1]).toContain("⏰ **Not acknowledged within 15m** (due 12:15 CEST): @olga-oncall");
    expect(bodies[2]).toContain("📝 **Status update due** (every 30m; no update since 12:00 CEST)");
    expect(w.gh.posted(12).map((p) => p.at.slice(11, 16))).toEqual(["10:00", "10:15", "10:30", "11:00", "11:30"]);
    expect(bodies[4]).toMatch(/^📝 \*\*Status update due\*\*/);

    // state: every step recorded with when and whom
    const state = w.gh.state(12);
    expect(state.pages.map((p) => [p.key, p.at, p.people])).toEqual([
      ["s1.0", "2025-06-04T10:00:00.000Z", ["olga-oncall"]],
      ["s1.1", "2025-06-04T10:15:00.000Z", ["omar-oncall"]],
      ["s1.2", "2025-06-04T10:30:00.000Z", ["ana-owner"]],
      ["s1.3", "2025-06-04T11:00:00.000Z", ["sam-sre", "pat-pm"]],
    ]);
  });

  it("an /ack at +20 stops the climb: no Ingestion Owner page at +30, no SRE Lead or PM at +60", async () => {
    const w = await world({ t0: T0 });
    await w.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    let ackComment = 0;
    await sweepEvery(w, 1, 120, 1, async (m) => {
      if (m === 20) ackComment = await w.say(12, "olga-oncall", "/ack");
    });

    expect(pageLines(w, 12).map(({ minute, mentions }) => ({ minute, mentions }))).toEqual([
      { minute: 0, mentions: ["olga-oncall"] },
      { minute: 15, mentions: ["omar-oncall"] },
    ]);
    const after20 = w.gh.posted(12).filter((p) => Date.parse(p.at) >= Date.parse("2025-06-04T10:20:00Z"));
    for (const p of after20) expect(p.mentions).not.toEqual(expect.arrayContaining(["ana-owner"]));
    expect(after20.flatMap((p) => p.mentions).filter((m) => ["ana-owner", "sam-sre", "pat-pm"].includes(m))).toEqual([]);
    // the reminders keep coming (status updates are due until resolved), addressed to whoever acknowledged
    expect(after20.map((p) => [p.at, p.mentions])).toEqual([
      ["2025-06-04T10:30:00.000Z", ["olga-oncall"]],
      ["2025-06-04T11:00:00.000Z", ["olga-oncall"]],
      ["2025-06-04T11:30:00.000Z", ["olga-oncall"]],
      ["2025-06-04T12:00:00.000Z", ["olga-oncall"]],
    ]);
    // the /ack got a 👍 at +20, and the state records it
    const reaction = w.gh.api().find((r) => r.path.endsWith(`/issues/comments/${ackComment}/reactions`));
    expect(reaction).toMatchObject({ at: "2025-06-04T10:20:00.000Z", body: { content: "+1" } });
    expect(w.gh.state(12).acks).toEqual([{ by: "olga-oncall", at: "2025-06-04T10:20:00.000Z", episode: 1, due: "2025-06-04T10:15:00.000Z" }]); // due: the deadline in force, for charter report
    const status = w.gh.botComments(12)[0]!.body;
    expect(status).toContain("**Status:** 🟠 acknowledged by `olga-oncall` at 12:20 CEST (+20m)");
    expect(status).toContain("| 3 | +30m (12:30 CEST) | Ingestion Owner | Ingestion Owner joins | ⏭️ not needed: acknowledged |");
  });
});
