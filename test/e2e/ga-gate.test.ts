/**
 * Story (b), end to end: a pull request moving governance/state/phase.yml from P3 to P4 (GA). The
 * "Charter sign-off" check stays red until Ingestion Owner, PM and SRE Lead have approved the
 * current head; the SRE Lead's change request is a veto until replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { gaStory, PEOPLE, STORY_TIMES, type GaStory } from "./support/stories.js";
import { World } from "./support/world.js";

let w: World;
let s: GaStory;

beforeAll(async () => {
  await ensureBuilt();
  w = await World.start({ start: STORY_TIMES.ga });
  s = await gaStory(w);
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
});

const story = () => w.transcript.toText();

describe("GA gate: phase P3 -> P4 through sign-offs, a veto and success", () => {
  it("opening the pull request puts a red 'Charter sign-off' check on its head, naming the three roles", () => {
    expect(s.opened.exists, story()).toBe(true);
    expect(s.opened.conclusion).not.toBe("success");
    for (const role of [/Ingestion Owner|ingestion-owner/, /Product Manager|product-manager/, /SRE Lead|sre-lead/]) {
      expect(s.opened.summary ?? "", story()).toMatch(role);
    }
  });

  it("the Ingestion Owner's approval alone is not enough, and the summary shows who signed", () => {
    expect(s.ownerApproved.exists, story()).toBe(true);
    expect(s.ownerApproved.conclusion).not.toBe("success");
    expect(s.ownerApproved.summary ?? "").toContain(PEOPLE.owner);
  });

  it("the SRE Lead requesting changes is a veto: the check fails and says who", () => {
    expect(s.sreVetoed.conclusion, story()).toBe("failure");
    expect(s.sreVetoed.summary ?? "").toContain(PEOPLE.sre);
  });

  it("the SRE Lead's later approval replaces the veto, but the PM is still missing", () => {
    expect(s.sreApproved.exists, story()).toBe(true);
    expect(s.sreApproved.conclusion).not.toBe("success");
    expect(s.sreApproved.summary ?? "").toMatch(/Product Manager|product-manager/);
  });

  it("with all three approvals on the current head the check succeeds, and the merge puts P4 on main", () => {
    expect(s.pmApproved.conclusion, story()).toBe("success");
    expect(s.phaseAfterMerge ?? "", story()).toMatch(/^phase: P4\s*$/m);
  });

  it("every request Charter made was valid for GitHub's API, and every delivery was handled", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
    expect(w.transcript.problems()).toEqual([]);
  });
});
