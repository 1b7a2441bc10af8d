/**
 * GitHub Actions mode: the scheduled run publishes the on-call calendar on oncall.yml's
 * `calendar.branch` (the file calendar apps subscribe to), parsed back by ical.js.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction } from "../../src/actions/run.js";
import { startEmulator, type GitHubEmulator } from "../emulator/index.js";
import { REPO, repositoryGovernance } from "../e2e/support/world.js";

let gh: GitHubEmulator;
let dir: string;

beforeAll(async () => {
  gh = await startEmulator({ startTime: "2025-03-28T12:00:00Z", quiet: true });
  const files: Record<string, string> = { "README.md": "# ingestion\n", ...repositoryGovernance() };
  files["governance/oncall.yml"] = `${files["governance/oncall.yml"]!}\ncalendar:\n  branch: charter-calendar\n  weeks: 2\n`;
  gh.createRepo(REPO, { files });
  dir = mkdtempSync(join(tmpdir(), "charter-calendar-"));
});

afterAll(async () => {
  await gh.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the scheduled run publishes the calendar", () => {
  it("writes oncall.ics on charter-calendar, with the UTC instants across the DST change", async () => {
    const event = join(dir, "event.json");
    writeFileSync(event, JSON.stringify({ schedule: "*/5 * * * *" }));
    const clock = join(dir, "clock");
    writeFileSync(clock, "2025-03-28T12:00:00Z");
    const result = await runAction({
      GITHUB_EVENT_NAME: "schedule",
      GITHUB_EVENT_PATH: event,
      GITHUB_REPOSITORY: REPO,
      GITHUB_TOKEN: gh.tokenFor("github-actions[bot]"),
      GITHUB_API_URL: gh.apiUrl,
      GITHUB_RUN_ID: "7",
      GITHUB_RUN_ATTEMPT: "1",
      NODE_ENV: "test",
      CHARTER_CLOCK_FILE: clock,
      LOG_LEVEL: "fatal",
    });
    expect(result.exitCode).toBe(0);
    expect(result.sweep?.errors).toEqual([]);
    const text = gh.getFile(REPO, "oncall.ics", "charter-calendar")!;
    const primary = new ICAL.Component(ICAL.parse(text))
      .getAllSubcomponents("vevent")
      .map((c) => new ICAL.Event(c))
      .filter((e) => e.summary.includes("Primary"))
      .map((e) => [e.summary.split(":")[0], e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()]);
    expect(primary.slice(1, 3)).toEqual([
      ["omar-oncall", "2025-03-24T08:00:00.000Z", "2025-03-31T07:00:00.000Z"],
      ["oscar-oncall", "2025-03-31T07:00:00.000Z", "2025-04-07T07:00:00.000Z"],
    ]);
    expect(gh.getFile(REPO, "people/oscar-oncall.ics", "charter-calendar")).toContain("BEGIN:VCALENDAR");
  });
});
