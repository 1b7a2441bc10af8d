/**
 * Story (c), end to end: the kill-switch activated with one comment (activate first), the
 * activation log in governance/state/log.yml, and a resume pull request whose sign-offs follow the
 * resume-authority table (data integrity event: Ingestion Owner + SRE Lead + PM).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { globalSwitchActive, killSwitchStory, logEntries, PEOPLE, STORY_TIMES, type KillSwitchStory } from "./support/stories.js";
import { World } from "./support/world.js";

let w: World;
let s: KillSwitchStory;

beforeAll(async () => {
  await ensureBuilt();
  w = await World.start({ start: STORY_TIMES.killSwitch });
  s = await killSwitchStory(w);
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
});

const story = () => w.transcript.toText();

describe("kill-switch: activation and a resume pull request", () => {
  it("someone without the role is refused with a reason, and nothing changes", () => {
    expect(s.refusedReplies.length, story()).toBeGreaterThan(0);
    expect(s.refusedReplies.join("\n")).toMatch(/refused/i);
    expect(globalSwitchActive(s.killswitchAfterRefusal)).toBe(false);
  });

  it("on-call activates with one comment: the switch is on at once, and the log records who, why, severity, scope", () => {
    expect(s.activationReactions, story()).toContain("+1");
    expect(globalSwitchActive(s.killswitchActive), s.killswitchActive).toBe(true);
    const entry = logEntries(s.logAfterActivation).find((e) => e.action === "activate");
    expect(entry, s.logAfterActivation).toBeDefined();
    expect(entry).toMatchObject({ actor: PEOPLE.primary, scope: "global", severity: "P1", scenario: "data-corruption" });
    expect(String(entry!.reason)).toContain("Checksums of ingested batches");
    expect(String(entry!.timestamp)).toMatch(/^2025-06-04T13:02/);
  });

  it("resuming after a data integrity event is a pull request by Charter; the switch stays on meanwhile", () => {
    expect(s.resumePr, story()).toBeDefined();
    expect(s.resumePrAuthor).toBe(w.botLogin);
    expect(globalSwitchActive(s.killswitchWhileResumePending)).toBe(true);
    expect(s.resumeOpened.exists, story()).toBe(true);
    expect(s.resumeOpened.conclusion).not.toBe("success");
    for (const role of [/Ingestion Owner|ingestion-owner/, /SRE Lead|sre-lead/, /Product Manager|product-manager/]) {
      expect(s.resumeOpened.summary ?? "", story()).toMatch(role);
    }
  });

  it("two of the three required sign-offs are not enough", () => {
    expect(s.resumeTwoOfThree.exists, story()).toBe(true);
    expect(s.resumeTwoOfThree.conclusion).not.toBe("success");
  });

  it("the third sign-off turns the check green; merging resumes the switch and the log has both entries", () => {
    expect(s.resumeApproved.conclusion, story()).toBe("success");
    expect(globalSwitchActive(s.killswitchAfterMerge), s.killswitchAfterMerge).toBe(false);
    const actions = logEntries(s.logAtEnd).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["activate", "resume"]));
  });

  it("every request Charter made was valid for GitHub's API, and every delivery was handled", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
    expect(w.transcript.problems()).toEqual([]);
  });
});
