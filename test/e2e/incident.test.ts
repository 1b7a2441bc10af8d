/**
 * Story (a), end to end: a P1 incident opened from the form, escalated by the sweep while nobody
 * acknowledges, acknowledged with /ack, resolved with /resolve. The real server process, the
 * repository's own governance/ (D9), the emulator; assertions on what GitHub holds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { incidentStory, PEOPLE, STORY_TIMES, type IncidentStory } from "./support/stories.js";
import { World } from "./support/world.js";

let w: World;
let s: IncidentStory;

beforeAll(async () => {
  await ensureBuilt();
  w = await World.start({ start: STORY_TIMES.incident });
  s = await incidentStory(w);
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
});

const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());
const mentioning = (comments: string[], login: string) => comments.filter((c) => new RegExp(`@${login}(?![\\w-])`, "i").test(c));
const story = () => w.transcript.toText();

describe("incident: P1 from opening through escalation, ack and resolution", () => {
  it("opening it labels it, assigns the primary on call and posts the incident-start message", () => {
    expect(lower(s.opened.labels), story()).toEqual(expect.arrayContaining(["incident", "severity: p1"]));
    expect(lower(s.opened.assignees), story()).toContain(PEOPLE.primary);
    const start = s.opened.newBotComments.find((c) => c.includes("INCIDENT"));
    expect(start, story()).toBeDefined();
    expect(start).toContain(PEOPLE.primary);
  });

  it("16 minutes without an ack: the sweep pages the secondary, once", () => {
    expect(mentioning(s.at16.newBotComments, PEOPLE.secondary), story()).not.toHaveLength(0);
    // a second sweep at the same instant finds nothing more to do
    expect(s.at16again.newBotComments, story()).toEqual([]);
    expect(s.at16again.botComments).toEqual(s.at16.botComments);
  });

  it("31 minutes: the Ingestion Owner is paged", () => {
    expect(mentioning(s.at31.newBotComments, PEOPLE.owner), story()).not.toHaveLength(0);
  });

  it("/ack by the secondary on call is accepted with a reaction", () => {
    expect(s.ackReactions, story()).not.toHaveLength(0);
    expect(s.ackReactions).not.toContain("-1");
    expect(s.acked.newBotComments.filter((c) => /refused/i.test(c)), story()).toEqual([]);
  });

  it("once acknowledged, the 60-minute step (SRE Lead + PM) is not paged", () => {
    expect(s.ackReactions, story()).not.toHaveLength(0);
    expect(mentioning(s.at65.newBotComments, PEOPLE.sre), story()).toEqual([]);
    expect(mentioning(s.at65.newBotComments, PEOPLE.pm), story()).toEqual([]);
  });

  it("/resolve posts the resolved message, and nobody is paged afterwards", () => {
    expect(s.resolveReactions, story()).not.toHaveLength(0);
    expect(s.resolved.newBotComments.some((c) => c.includes("RESOLVED")), story()).toBe(true);
    for (const login of [PEOPLE.primary, PEOPLE.secondary, PEOPLE.owner, PEOPLE.sre, PEOPLE.pm]) {
      expect(mentioning(s.afterResolved.newBotComments, login), story()).toEqual([]);
    }
  });

  it("every request Charter made was valid for GitHub's API, and every delivery was handled", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
    expect(w.transcript.problems()).toEqual([]);
  });
});
