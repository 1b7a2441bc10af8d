/**
 * Parsing user text through the REAL server (hardening issue #10, item 15, end to end): one pull
 * request body, one issue body or one comment must not hold the event loop. Before, a rollback
 * description line of 20,000 spaces blocked the server for hours (the form's line parser was
 * cubic) and a 60,000-character incident heading cost seconds on every event of the incident
 * (quadratic). Each attack is timed against the same event with a benign text of the same length,
 * in the same run: the bound is a generous multiple of that baseline, not an absolute time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "../e2e/support/build.js";
import { INCIDENT_BODY, PEOPLE, STORY_TIMES, withPhase } from "../e2e/support/stories.js";
import { World } from "../e2e/support/world.js";

/** How many times the benign event's time an attack may take: linear parsing costs about the same. */
const BOUND = 5;

let w: World;
beforeAll(async () => {
  await ensureBuilt();
  w = await World.start({ start: STORY_TIMES.ga });
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
});

const story = () => w.transcript.toText();

async function timed<T>(action: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await action();
  return { ms: performance.now() - t, value };
}

/** The faster of two runs of an attack: a pause of the shared machine does not fail the test, a super-linear parser is slow both times. */
async function fasterOfTwo<T>(action: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const a = await timed(action);
  const b = await timed(action);
  return a.ms <= b.ms ? a : b;
}

const rollbackBody = (line: string) =>
  [
    "Rolls the ingestion rollout back from P3 to P2: the new batching corrupts large uploads.",
    line,
    "Rollback type: planned",
    "Date: 2025-06-03",
    "Time: 10:05",
    "Rolled back from: P3",
    "Rolled back to: P2",
    "Reason:",
    "- [x] Data integrity concern",
  ].join("\n");

describe("a pull request description cannot stall the server (#10 item 15)", () => {
  it("a rollback description with a line of 20,000 spaces is evaluated about as fast as one with 20,000 letters, and the check says what is missing", { timeout: 180_000 }, async () => {
    const phaseYml = w.file("governance/state/phase.yml")!;
    let branch = 0;
    const open = (line: string) => w.openPullRequest(PEOPLE.releaseManager, { branch: `rollback-${++branch}`, files: { "governance/state/phase.yml": withPhase(phaseYml, "P2") }, title: "Roll back to P2", body: rollbackBody(line) });
    await open("x".repeat(20_000)); // warm: the first pull request loads governance and teams
    const before = await timed(() => open("x".repeat(20_000)));
    const attack = await fasterOfTwo(() => open(" ".repeat(20_000)));
    const after = await timed(() => open("x".repeat(20_000)));
    const baseline = (before.ms + after.ms) / 2;
    expect(attack.ms, `attack ${attack.ms.toFixed(0)} ms, baseline ${before.ms.toFixed(0)} / ${after.ms.toFixed(0)} ms\n${story()}`).toBeLessThan(BOUND * baseline);
    const check = w.check(attack.value);
    expect(check?.conclusion, story()).toBe("failure");
    expect(check?.output.summary).toContain("Rollback P3 → P2: Planned (bug found)");
    expect(check?.output.summary).toContain("Authorized by");
    expect(w.failedDeliveries()).toEqual([]);
  });
});

describe("an issue body or a comment cannot stall the server (#10 item 15)", () => {
  const withHeading = (filler: string) => `${INCIDENT_BODY}\n\n### x${filler}y\n\nsomething the reporter wrote`;

  it("an incident whose form has a 60,000-character heading opens, and answers a command, about as fast as one with a heading of letters", { timeout: 180_000 }, async () => {
    const open = (filler: string) => w.openIssue(PEOPLE.reporter, { title: "Uploads failing", body: withHeading(filler) });
    await open("x".repeat(60_000)); // warm
    const before = await timed(() => open("x".repeat(60_000)));
    const attack = await fasterOfTwo(() => open(" ".repeat(60_000)));
    const after = await timed(() => open("x".repeat(60_000)));
    const baseline = (before.ms + after.ms) / 2;
    expect(attack.ms, `attack ${attack.ms.toFixed(0)} ms, baseline ${before.ms.toFixed(0)} / ${after.ms.toFixed(0)} ms\n${story()}`).toBeLessThan(BOUND * baseline);
    // the form is still read: P1 from the form, labelled and assigned
    const issue = w.issue(attack.value);
    expect(issue.labels.map((l) => l.toLowerCase()), story()).toEqual(expect.arrayContaining(["incident", "severity: p1"]));
    expect(issue.assignees).toContain(PEOPLE.primary);

    // the body is read again for every comment on the incident
    const update = (number: number) => w.comment(PEOPLE.primary, number, "/update investigating Upload workers restarted");
    const cBefore = await timed(() => update(before.value));
    const cAttack = await fasterOfTwo(() => update(attack.value));
    const cAfter = await timed(() => update(after.value));
    expect(cAttack.ms, `attack ${cAttack.ms.toFixed(0)} ms, baseline ${cBefore.ms.toFixed(0)} / ${cAfter.ms.toFixed(0)} ms`).toBeLessThan((BOUND * (cBefore.ms + cAfter.ms)) / 2);
    expect(w.botReactions(cAttack.value), story()).toContain("+1");
    expect(w.failedDeliveries()).toEqual([]);
  });

  it("a command line longer than 2,000 characters is refused in words, and nothing changes", { timeout: 60_000 }, async () => {
    const number = await w.openIssue(PEOPLE.reporter, { title: "Uploads slow", body: INCIDENT_BODY });
    const before = w.botComments(number).length;
    const status = w.issue(number).labels.slice().sort();
    const id = await w.comment(PEOPLE.primary, number, `/update investigating ${"x".repeat(2_100)}`);
    const replies = w.botComments(number).slice(before);
    expect(replies, story()).toHaveLength(1);
    expect(replies[0]).toContain(`@${PEOPLE.primary} \`/update\` refused: the command line is longer than 2,000 characters, so Charter does not read it. Nothing was changed.`);
    expect(w.botReactions(id)).not.toContain("+1");
    expect(w.issue(number).labels.slice().sort()).toEqual(status);
  });
});
