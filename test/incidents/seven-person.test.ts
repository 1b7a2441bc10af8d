/**
 * Seed 000's P0 timeline with examples/seven-person-team/governance: alert at 0 → primary,
 * auto-escalation to the secondary at 15, Tech Lead at 30, management and all team members at 45;
 * status updates every 30 minutes until resolved.
 * On Wed 2025-06-04 10:00 America/New_York the primary is bea-backend (weekly), the secondary
 * sasha-sec (monthly), the Tech Lead tara-lead, management max-manager.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mentionsIn } from "./support/fake-github.js";
import { cleanup, pageLines, sevenPersonFiles, sweepEvery, world } from "./support/world.js";

afterEach(cleanup);

const T0 = "2025-06-04T14:00:00Z"; // Wed 10:00 EDT
const EVERYONE = ["tara-lead", "bea-backend", "bo-backend", "dev-devops", "mia-ml", "sasha-sec", "wes-writer", "max-manager"];

describe("seed 000 P0 escalation timeline", () => {
  it("nobody responds: primary 0, secondary 15, Tech Lead 30, management and everyone 45; reminders every 30m until /resolve", async () => {
    const w = await world({ t0: T0, files: sevenPersonFiles() });
    await w.open({ number: 7, title: "API completely down", labels: ["incident", "severity: P0"] });
    await sweepEvery(w, 1, 150, 1, async (m) => {
      if (m === 100) await w.say(7, "bea-backend", "/resolve Bad config push to the gateway\nRolled back config 2025-06-04.3");
    });

    expect(pageLines(w, 7).map(({ minute, mentions }) => ({ minute, mentions }))).toEqual([
      { minute: 0, mentions: ["bea-backend"] },
      { minute: 15, mentions: ["sasha-sec"] },
      { minute: 30, mentions: ["tara-lead"] },
      { minute: 45, mentions: ["max-manager", ...EVERYONE.filter((p) => p !== "max-manager")] },
    ]);
    const reminders = w.gh.posted(7).filter((p) => p.body.includes("📝 **Status update due**"));
    expect(reminders.map((r) => r.at)).toEqual(["2025-06-04T14:30:00.000Z", "2025-06-04T15:00:00.000Z", "2025-06-04T15:30:00.000Z"]);
    // resolved at +100: nothing after it but the resolution itself
    const after = w.gh.posted(7).filter((p) => Date.parse(p.at) >= Date.parse("2025-06-04T15:40:00Z"));
    expect(after).toHaveLength(1);
    expect(after[0]!.body).toContain(":large_green_circle: P0 resolved\nTime: Wed 2025-06-04 11:40 EDT\nDuration: 1h 40m\nRoot cause: Bad config push to the gateway\nResolution: Rolled back config 2025-06-04.3\nHandoff notes: no post-incident review required for P0");
    expect(w.gh.issues.get(7)).toMatchObject({ state: "closed", state_reason: "completed" });
    // the start message from the 000 template names primary and secondary
    expect(w.gh.posted(7)[0]!.body).toContain(":rotating_light: P0 incident: API completely down\nTime: Wed 2025-06-04 10:00 EDT\nOn-call: @bea-backend (secondary: `sasha-sec`)\nStatus: Investigating\nNext update: Wed 2025-06-04 10:30 EDT");
  });

  it("the primary responds at +8: no secondary page, but Tech Lead (+30) and management and all (+45) still come while unresolved; /update resets the reminder", async () => {
    const w = await world({ t0: T0, files: sevenPersonFiles() });
    await w.open({ number: 7, title: "API completely down", labels: ["incident", "severity: P0"] });
    await sweepEvery(w, 1, 160, 1, async (m) => {
      if (m === 8) await w.say(7, "bea-backend", "/ack");
      if (m === 70) await w.say(7, "bea-backend", "/update mitigating Rolled back the gateway config\nWatching error rates for 30 minutes");
      if (m === 110) await w.say(7, "bea-backend", "/resolve Bad config push to the gateway");
    });
    expect(pageLines(w, 7).map(({ minute, mentions }) => ({ minute, mentions }))).toEqual([
      { minute: 0, mentions: ["bea-backend"] },
      { minute: 30, mentions: ["tara-lead"] },
      { minute: 45, mentions: ["max-manager", ...EVERYONE.filter((p) => p !== "max-manager")] },
    ]);
    const reminders = w.gh.posted(7).filter((p) => p.body.includes("📝 **Status update due**"));
    const reminderLine = (body: string) => body.split("\n").find((l) => l.startsWith("📝"))!;
    expect(reminders.map((r) => [r.at, mentionsIn(reminderLine(r.body))])).toEqual([
      ["2025-06-04T14:30:00.000Z", ["bea-backend"]],
      ["2025-06-04T15:00:00.000Z", ["bea-backend"]],
      ["2025-06-04T15:40:00.000Z", ["bea-backend"]],
    ]);
    const update = w.gh.posted(7).find((p) => p.body.startsWith(":large_yellow_circle:"))!;
    expect(update.at).toBe("2025-06-04T15:10:00.000Z");
    expect(update.body).toContain(":large_yellow_circle: P0 update\nTime: Wed 2025-06-04 11:10 EDT\nStatus: Mitigating\nFindings: Rolled back the gateway config\nNext steps: Watching error rates for 30 minutes\nNext update: Wed 2025-06-04 11:40 EDT");
  });
});
