/**
 * The server's own periodic sweep (CHARTER_SWEEP_INTERVAL_SECONDS), with no test endpoint involved:
 * it lists the app's installations and their repositories and reconciles each, so an incident
 * nobody acknowledged is escalated even when no webhook arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { INCIDENT_BODY, PEOPLE, STORY_TIMES } from "./support/stories.js";
import { World } from "./support/world.js";

let w: World;

beforeAll(async () => {
  await ensureBuilt();
  w = await World.start({ start: STORY_TIMES.incident, serverEnv: { CHARTER_SWEEP_INTERVAL_SECONDS: "1" } });
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
});

async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

describe("the periodic sweep", () => {
  it("escalates an unacknowledged incident on its own once the ladder's next step is due", async () => {
    const issue = await w.openIssue(PEOPLE.reporter, { title: "Uploads failing", body: INCIDENT_BODY, labels: ["incident"] });
    const pagesSecondary = () => w.botComments(issue).some((c) => new RegExp(`@${PEOPLE.secondary}(?![\\w-])`).test(c));
    // nothing is due yet: passes go by (the sweep lists installations) without paging the secondary
    const passes = () => w.gh.countRequests({ operationId: "apps/list-installations" });
    expect(await eventually(() => passes() >= 2, 15_000), w.server.rawOutput.slice(-20).join("\n")).toBe(true);
    expect(pagesSecondary()).toBe(false);

    w.advanceMinutes(16);
    expect(await eventually(pagesSecondary, 15_000), w.transcript.toText()).toBe(true);
    expect(w.gh.countRequests({ operationId: "apps/list-repos-accessible-to-installation" })).toBeGreaterThan(0);
    // the server's log line for that pass: its output is read asynchronously, so it may come after the page
    expect(await eventually(() => w.server.lines.some((l) => typeof l.sweep === "string" && l.repo === "acme/ingestion"), 10_000)).toBe(true);
  }, 60_000);

  it("made only requests GitHub's API describes, and handled every delivery", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
  });
});
