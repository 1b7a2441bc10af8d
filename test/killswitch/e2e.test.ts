/**
 * Through the whole app, the sign-off handler (issue 3) included: the resume pull request Charter
 * opens gets the `Charter sign-off` check naming the Ingestion Owner, turns green once the Owner
 * approves and the steps are ticked, and merging it resumes; the GA gate's check is red while the
 * kill-switch is active.
 */
import { describe, expect, it } from "vitest";
import type { PullRecord } from "./fake-github.js";
import { entries, switches, useNock, world, type World } from "./harness.js";
import { reviewEvent } from "./payloads.js";
import { confirmAll } from "./signoff.js";

/** `login` approves the head, confirming in the review's text every step of the description (as D9 asks of the signer). */
async function approveConfirming(w: World, pr: PullRecord, login: string): Promise<void> {
  const r = w.fake.review(pr.number, login, "APPROVED", confirmAll(pr.body));
  await w.app.receive("pull_request_review", reviewEvent(w.fake, pr, r));
}

describe("resume after 2 hours, end to end", () => {
  useNock();

  it("the check on the resume pull request names the Ingestion Owner; an approval confirming the steps turns it green; the merge resumes", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 uploads failing");
    w.app.clock.set("2025-06-02T12:00:00Z");
    await w.say("olga-oncall", '/killswitch resume global --verified "Test upload passes"');
    const pr = w.fake.pulls[0]!;
    await w.opened(pr);
    const red = w.fake.checkOf(pr)!;
    expect(red).toMatchObject({ name: "Charter sign-off", conclusion: "failure" });
    expect(red.summary).toContain("Resume kill-switch `global`: > 1 hour pause");
    expect(red.summary).toContain("| Resume kill-switch `global`: > 1 hour pause | Ingestion Owner |");
    // D9 calls these `verify` steps (authority.yml): the check names them so
    expect(red.summary).toContain("- `- [x] Metrics check` (a `verify` step of authority.yml `kill_switch.resume[2]`) by Ingestion Owner");

    await approveConfirming(w, pr, "olga-oncall"); // on-call's approval does not make the Owner's, nor confirm for them
    expect(w.fake.checkOf(pr)!.conclusion).toBe("failure");
    await w.reviewed(pr, "ana-owner");
    expect(w.fake.checkOf(pr)!.conclusion).toBe("failure"); // the steps are not confirmed in her review
    await approveConfirming(w, pr, "ana-owner");
    expect(w.fake.checkOf(pr)).toMatchObject({ conclusion: "success" });

    w.fake.merge(pr.number);
    await w.closed(pr, { merged: true, mergedBy: "ana-owner" });
    expect(switches(w.fake).global).toEqual({ active: false });
    expect(entries(w.fake).map((e) => e.action)).toEqual(["activate", "resume"]);
    expect(w.lastReply()).toContain("the kill-switch `global` is **resumed**");
  });
});

describe("GA while the kill-switch is active, end to end", () => {
  useNock();

  it("the GA gate stays red, fully signed and ticked, until the switch is resumed", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate workspace:acme error-rate-20 acme failing");
    await w.say("ana-owner", "/advance P4");
    const pr = w.fake.pulls[0]!;
    // the requester (ana-owner) never signs their own request: the other Owner does
    for (const who of ["ben-owner", "pat-pm", "sam-sre"]) await approveConfirming(w, pr, who);
    const frozen = w.fake.checkOf(pr)!;
    expect(frozen.conclusion).toBe("failure");
    expect(frozen.summary).toContain("**Frozen.** Phase gate P3 → P4 (GA) cannot pass while:");
    expect(frozen.summary).toContain("workspace:acme");
    // resumed (on-call, under an hour): the next evaluation of the same pull request is green
    await w.say("olga-oncall", '/killswitch resume workspace:acme --verified "Test upload passes"');
    await w.edited(pr, pr.body);
    expect(w.fake.checkOf(pr)!.conclusion).toBe("success");
  });
});
