/**
 * Timed work with no test endpoint involved (the embedded engine): an incident nobody acknowledged
 * is escalated by its timer once the (test) clock reaches the step's instant, with no webhook; and
 * the safety-net sweep runs on its own (CHARTER_SWEEP_INTERVAL_SECONDS): a cold start's full pass
 * over every installed repository, then one search per installation and incident label.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { INCIDENT_BODY, PEOPLE, STORY_TIMES } from "./support/stories.js";
import { World } from "./support/world.js";
import { eventually } from "./support/eventually.js";

let w: World;

beforeAll(async () => {
  await ensureBuilt();
  w = await World.start({ start: STORY_TIMES.incident, serverEnv: { CHARTER_SWEEP_INTERVAL_SECONDS: "1", CHARTER_TIMERS: "on" } });
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
});

describe("timers and the safety-net sweep", () => {
  it("escalates an unacknowledged incident on its own once the ladder's next step is due", async () => {
    const issue = await w.openIssue(PEOPLE.reporter, { title: "Uploads failing", body: INCIDENT_BODY, labels: ["incident"] });
    const pagesSecondary = () => w.botComments(issue).some((c) => new RegExp(`@${PEOPLE.secondary}(?![\\w-])`).test(c));
    // nothing is due yet: passes go by without paging the secondary; the first is a cold start's
    // full pass (the installation's repositories), the next ones one search each
    const searches = () => w.gh.countRequests({ operationId: "search/issues-and-pull-requests" });
    expect(await eventually(() => searches() >= 2, 20_000), w.server.rawOutput.slice(-20).join("\n")).toBe(true);
    expect(w.gh.countRequests({ operationId: "apps/list-repos-accessible-to-installation" }), w.server.rawOutput.filter((l) => l.includes("sweep")).join("\n")).toBe(1);
    expect(pagesSecondary()).toBe(false);

    w.advanceMinutes(16);
    expect(await eventually(pagesSecondary, 15_000), w.transcript.toText()).toBe(true);
    // the sweeps that keep running (and find the incident changed by the page) page nobody twice
    await new Promise((r) => setTimeout(r, 2_500));
    expect(w.botComments(issue).filter((c) => /Step 2 of 4/.test(c))).toHaveLength(1);
    expect(await eventually(() => w.server.lines.some((l) => l.sweep === "incremental"), 10_000)).toBe(true);
  }, 60_000);

  it("made only requests GitHub's API describes, and handled every delivery", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
  });
});
