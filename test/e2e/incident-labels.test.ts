/**
 * Hardening #10 item 8, end to end: removing the `incident` label from an open P1 (anyone with
 * triage can) neither stops its ladder nor lifts the GA freeze. The real server, the emulator, this
 * repository's governance/ (D9: a P1 freezes the P3 → P4 gate).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { GA_BODY, INCIDENT_BODY, PEOPLE, STORY_TIMES, withPhase } from "./support/stories.js";
import { World } from "./support/world.js";

let w: World;
const t0 = Date.parse(STORY_TIMES.ga);
const at = (minutes: number) => w.at(new Date(t0 + minutes * 60_000).toISOString());
const story = () => w.transcript.toText();
const TRIAGER = "tina-triage"; // triage access, no role

let pr: number;
let issue: number;
let greenBefore: string | null | undefined;
let frozen: string | undefined;
let labelsAfter: string[];
let reply: string | undefined;
let afterRemoval: { conclusion: string | null | undefined; title: string | undefined };
let pagedAt16: string[];

beforeAll(async () => {
  await ensureBuilt();
  w = await World.start({ start: STORY_TIMES.ga });
  at(0);
  const phaseYml = w.file("governance/state/phase.yml") ?? "version: 1\nphase: P3\n";
  pr = await w.openPullRequest(PEOPLE.releaseManager, { branch: "ga-p4", files: { "governance/state/phase.yml": withPhase(phaseYml, "P4") }, title: "GA: P3 to P4", body: GA_BODY });
  at(1);
  await w.review(PEOPLE.owner, pr, "APPROVED", "Technical criteria met, system stable");
  // each signer confirms their D9 §6.2 line in the text of their approval
  await w.review(PEOPLE.sre, pr, "APPROVED", "Dashboards and alerts are live.\n\n- [x] Infra stable, monitoring adequate, on-call trained");
  await w.review(PEOPLE.pm, pr, "APPROVED", "Client feedback acceptable, no blockers");
  greenBefore = w.check(pr)?.conclusion;

  at(5);
  issue = await w.openIssue(PEOPLE.reporter, { title: "Uploads failing for all workspaces", body: INCIDENT_BODY, labels: ["incident"] });
  frozen = w.check(pr)?.output.title ?? undefined;

  at(8);
  const seenComments = w.botComments(issue).length;
  await w.removeLabel(TRIAGER, issue, "incident");
  labelsAfter = [...w.issue(issue).labels];
  reply = w.botComments(issue).slice(seenComments).find((c) => c.startsWith(`@${TRIAGER}`));
  const check = w.check(pr);
  afterRemoval = { conclusion: check?.conclusion, title: check?.output.title ?? undefined };

  at(21);
  const seen = w.botComments(issue).length;
  await w.sweep();
  pagedAt16 = w.botComments(issue).slice(seen);
}, BUILD_AND_START_TIMEOUT * 2);

afterAll(async () => {
  await w?.stop();
});

describe("removing the incident label, through the real server", () => {
  it("the GA gate passed with its three approvals, then the P1 froze it", () => {
    expect(greenBefore, story()).toBe("success");
    expect(frozen, story()).toMatch(/^Frozen by incident #\d+ \(P1\)$/);
  });

  it("a triager removing `incident` gets it put back and an answer saying why", () => {
    expect(labelsAfter.map((l) => l.toLowerCase()), story()).toEqual(expect.arrayContaining(["incident", "severity: p1"]));
    expect(reply, story()).toContain("counts as `/resolve`");
    expect(reply).toContain("Charter put the `incident` label back");
  });

  it("the GA check is still frozen afterwards", () => {
    expect(afterRemoval, story()).toEqual({ conclusion: "failure", title: expect.stringMatching(/^Frozen by incident #\d+ \(P1\)$/) });
    // and it never turned green on the way (the transcript lists every check Charter wrote)
    const after = story().split(`${TRIAGER} removes the label`)[1] ?? "";
    expect(after).not.toMatch(/Charter check "Charter sign-off" .*: success/);
  });

  it("and the ladder climbs on: the secondary is paged at +15", () => {
    expect(pagedAt16.some((c) => c.includes(`@${PEOPLE.secondary}`)), story()).toBe(true);
  });

  it("every request Charter made was valid for GitHub's API, and every delivery was handled", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
    expect(w.transcript.problems()).toEqual([]);
  });
});
