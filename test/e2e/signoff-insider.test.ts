/**
 * Hardening #10, items 1 and 2, end to end: the real Charter server, signed webhooks from the
 * local GitHub emulator, this repository's own governance (D9). An insider tries to walk around
 * the `Charter sign-off` check:
 *
 * 1. the author dismisses the PM's change request on the GA pull request, and the backup PM, the
 *    owner and the SRE lead approve: the veto stands, and the check says who dismissed it and why
 *    that does not lift it; only the PM's own approval does;
 * 2. after the PM vetoes a `planned` rollback, the author edits its type to `p1-incident` (which
 *    the PM does not sign) and on-call and the owner approve: still vetoed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { GA_BODY, PEOPLE, withPhase } from "./support/stories.js";
import { World } from "./support/world.js";

const START = "2025-06-03T08:00:00Z"; // Tue 10:00 Berlin: olga-oncall is primary on call
const u = (login: string) => `@\u200b${login}`;
const CONFIRM = {
  owner: "- [x] Technical criteria met, system stable",
  pm: "- [x] Client feedback acceptable, no blockers",
  sre: "- [x] Infra stable, monitoring adequate, on-call trained",
};
const FORM = [
  "**Date:** 2025-06-03",
  "**Time:** 10:00 UTC",
  "**Rolled back from:** P3",
  "**Rolled back to:** P2",
  "**Reason:**",
  "- [x] Error rate exceeded threshold",
  "",
  "**Authorized by:** @ana-owner (Role: Ingestion Owner)",
  "**Approved by:** @pat-pm (Role: Product Manager)",
  "**Next steps:** investigation assigned to @dora-db",
].join("\n");

interface Seen {
  conclusion: string | null | undefined;
  title: string | null | undefined;
  summary: string;
}

let w: World;
const ga: Record<string, Seen> = {};
const rollback: Record<string, Seen> = {};

function seen(number: number): Seen {
  const run = w.check(number);
  return { conclusion: run?.conclusion, title: run?.output.title, summary: run?.output.summary ?? "" };
}

beforeAll(async () => {
  await ensureBuilt();
  w = await World.start({ start: START });
  const at = (minutes: number) => w.at(new Date(Date.parse(START) + minutes * 60_000).toISOString());
  const phaseYml = w.file("governance/state/phase.yml") ?? "version: 1\nphase: P3\n";

  // 1. GA: the author dismisses the PM's veto
  w.transcript.chapter("Insider 1: the author dismisses the PM's veto on the GA pull request", "D9 §6.2: any single veto blocks GA; a veto stands until the vetoer or another holder of the role lifts it.");
  at(0);
  const gaPr = await w.openPullRequest(PEOPLE.releaseManager, { branch: "ga-insider", files: { "governance/state/phase.yml": withPhase(phaseYml, "P4") }, title: "GA: P3 to P4", body: GA_BODY });
  at(5);
  const veto = await w.review(PEOPLE.pm, gaPr, "CHANGES_REQUESTED", "Client feedback is not in yet.");
  at(10);
  await w.dismissReview(PEOPLE.releaseManager, gaPr, veto, "Addressed in chat");
  at(15);
  await w.review("paula-pm", gaPr, "APPROVED", CONFIRM.pm);
  await w.review(PEOPLE.owner, gaPr, "APPROVED", CONFIRM.owner);
  await w.review(PEOPLE.sre, gaPr, "APPROVED", CONFIRM.sre);
  ga.afterDismissal = seen(gaPr);
  at(30);
  await w.review(PEOPLE.pm, gaPr, "APPROVED", CONFIRM.pm);
  ga.afterPmApproves = seen(gaPr);

  // 2. rollback: the author edits the type after the PM's veto
  w.transcript.chapter("Insider 2: the author edits a vetoed rollback's type", "D9 §6.3: the rollback type selects who signs; any role of the rollback authority may veto any rollback.");
  at(40);
  const planned = `Rollback type: planned\n\n${FORM}`;
  const rbPr = await w.openPullRequest(PEOPLE.releaseManager, { branch: "rollback-insider", files: { "governance/state/phase.yml": withPhase(phaseYml, "P2") }, title: "Roll back to P2", body: planned });
  at(45);
  await w.review(PEOPLE.pm, rbPr, "CHANGES_REQUESTED", "No rollback without the client's go.");
  at(50);
  await w.editPullRequestBody(PEOPLE.releaseManager, rbPr, planned.replace("Rollback type: planned", "Rollback type: p1-incident"));
  at(55);
  await w.review(PEOPLE.primary, rbPr, "APPROVED");
  await w.review(PEOPLE.owner, rbPr, "APPROVED");
  rollback.afterEdit = seen(rbPr);
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
});

const story = () => w.transcript.toText();

describe("end to end: a veto dismissed by the author stands", () => {
  it("the backup PM, the owner and the SRE lead approve after the author dismissed the PM's change request: the check stays red and says why", () => {
    expect(ga.afterDismissal!.conclusion, story()).toBe("failure");
    expect(ga.afterDismissal!.title).toBe(`Vetoed by ${u("pat-pm")} (Product Manager)`);
    expect(ga.afterDismissal!.summary).toContain(
      `- ${u("pat-pm")}'s change request (Product Manager) was dismissed by ${u("rob-release")}, who does not hold Product Manager: the veto stands and blocks Phase gate P3 → P4 (GA) until ${u("pat-pm")} approves`,
    );
  });

  it("the PM's own approval lifts it", () => {
    expect(ga.afterPmApproves!.conclusion, story()).toBe("success");
    expect(ga.afterPmApproves!.title).toBe("Signed off: Phase gate P3 → P4 (GA)");
  });
});

describe("end to end: the author cannot weaken a rollback", () => {
  it("after the PM vetoed `planned`, editing the type to `p1-incident` leaves it vetoed", () => {
    expect(rollback.afterEdit!.conclusion, story()).toBe("failure");
    expect(rollback.afterEdit!.title).toBe(`Vetoed by ${u("pat-pm")} (Product Manager)`);
    expect(rollback.afterEdit!.summary).toContain("1. **Rollback P3 → P2: P1 incident** ❌ does not pass yet.");
    expect(rollback.afterEdit!.summary).toContain(`- ${u("pat-pm")} (Product Manager) requested changes: blocks Rollback P3 → P2: P1 incident`);
    expect(rollback.afterEdit!.summary).toContain("Charter's record of what the description declares: the rollback type `p1-incident` (P1 incident), as it is since 2025-06-03T08:50:00.000Z.");
  });

  it("every request Charter made was valid for GitHub's API, and every delivery was handled", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
    expect(w.transcript.problems()).toEqual([]);
  });
});
