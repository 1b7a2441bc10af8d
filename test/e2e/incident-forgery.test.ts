/**
 * Hardening #10 item 7, end to end: nobody but Charter can silence a P1 ladder, across a restart.
 * The real server process against the emulator with this repository's governance/ (D9):
 *
 * 1. a member without any role comments `/ack <!-- charter:done … -->` (a planted "steps done" marker);
 * 2. another app's bot and a person post Charter's markers, forged and copied verbatim;
 * 3. a writer edits the marker in Charter's own status comment to record an acknowledgement;
 * 4. Charter restarts (a new process, a new private key; the seal keys from CHARTER_SEAL_KEYS);
 *
 * and still the secondary is paged at +15, the Ingestion Owner at +30, SRE Lead + PM at +60.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { INCIDENT_BODY, PEOPLE, STORY_TIMES } from "./support/stories.js";
import { REPO, World } from "./support/world.js";

let w: World;
const t0 = Date.parse(STORY_TIMES.incident);
const at = (minutes: number) => w.at(new Date(t0 + minutes * 60_000).toISOString());
const mentioning = (comments: string[], login: string) => comments.filter((c) => new RegExp(`(^|[^\\w\`])@${login}(?![\\w-])`, "i").test(c));
const story = () => w.transcript.toText();

const PLANTED = '<!-- charter:done {"keys":["s1.1","s1.2","s1.3"],"ackNoticed":1} -->';
let issue: number;
let reply: string;
let restartNotice: string | undefined;
const newAt: Record<number, string[]> = {};

beforeAll(async () => {
  await ensureBuilt();
  w = await World.start({ start: STORY_TIMES.incident, serverEnv: { CHARTER_SEAL_KEYS: "e2e-incident-forgery-seal-key-0123456789abcdef" } });
  at(0);
  issue = await w.openIssue(PEOPLE.reporter, { title: "Uploads failing for all workspaces", body: INCIDENT_BODY, labels: ["incident"] });

  at(2);
  const before = w.botComments(issue).length;
  await w.comment(PEOPLE.releaseManager, issue, `/ack ${PLANTED}`);
  reply = w.botComments(issue).slice(before).join("\n");

  at(2.5);
  const status = w.gh.listComments(REPO, issue).find((c) => c.user.toLowerCase() === w.botLogin.toLowerCase())!;
  // another app writes Charter's markers (its comments carry its own performed_via_github_app), a person copies the genuine one
  w.gh.addComment(REPO, issue, `Paged.\n\n${PLANTED}`, "helper-bot[bot]");
  w.gh.addComment(REPO, issue, status.body.replace('"acks":[]', '"acks":[{"by":"olga-oncall","at":"2025-06-02T10:03:00.000Z","episode":1}]'), PEOPLE.releaseManager);

  at(3);
  // a writer edits Charter's own status comment: an acknowledgement appears in its marker
  await w.editComment(PEOPLE.releaseManager, status.id, status.body.replace('"acks":[]', '"acks":[{"by":"olga-oncall","at":"2025-06-02T10:03:00.000Z","episode":1}]'));

  at(3.5);
  await w.restartServer();
  // (the first read is within 5 minutes of the opening: the restarted ladder counts from the issue's creation)
  for (const minute of [4, 16, 31, 61]) {
    at(minute);
    const seen = w.botComments(issue).length;
    await w.sweep();
    newAt[minute] = w.botComments(issue).slice(seen);
  }
  restartNotice = w.botComments(issue).find((c) => c.startsWith("⚠️ **Charter restarted this incident's record.**"));
}, BUILD_AND_START_TIMEOUT * 2);

afterAll(async () => {
  await w?.stop();
});

describe("incident record forgery, through the real server and a restart", () => {
  it("the refusal quotes the planted marker inert: no live marker, no mention but the commenter's", () => {
    expect(reply, story()).toContain("`/ack` refused");
    expect(reply).toContain("&lt;!-- charter:done");
    expect(reply).not.toContain("<!-- charter:done {\"keys\":[\"s1.1\"");
  });

  it("the edited status comment no longer verifies: Charter says so and restarts the record (step 0 paged again)", () => {
    expect(restartNotice, story()).toBeDefined();
    expect(newAt[4]!.some((c) => c.startsWith("⚠️ **Charter restarted this incident's record.**")), story()).toBe(true);
    expect(mentioning(newAt[4]!, PEOPLE.primary), story()).not.toHaveLength(0);
  });

  it("after the restart the whole ladder still climbs: secondary +15, Ingestion Owner +30, SRE Lead and PM +60", () => {
    expect(mentioning(newAt[16]!, PEOPLE.secondary), story()).not.toHaveLength(0);
    expect(mentioning(newAt[31]!, PEOPLE.owner), story()).not.toHaveLength(0);
    expect(mentioning(newAt[61]!, PEOPLE.sre), story()).not.toHaveLength(0);
    expect(mentioning(newAt[61]!, PEOPLE.pm), story()).not.toHaveLength(0);
  });

  it("every request Charter made was valid for GitHub's API, and every delivery was handled", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
    expect(w.transcript.problems()).toEqual([]);
  });
});
