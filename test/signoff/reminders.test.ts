/**
 * Issue 14, item 4: turnaround reminders (`remind_after: 24h`, seed 003's "code review turnaround
 * under 24 hours") and approvals that expire with no event, both done by the reconcile sweep.
 * A reminder goes out once at 24 hours to the holders, then at 48 hours to the backups, once
 * each, whatever restarts or repeated sweeps; what was reminded is read back from Charter's own
 * sealed markers, so edited or copied markers never silence anyone.
 */
import { afterEach, describe, expect, it } from "vitest";
import { encodeReminded, reminderScope } from "../../src/core/signoff/reminders.js";
import { TEST_IDENTITY } from "../support/identity.js";
import { d9Files } from "../support/governance-mock.js";
import * as o from "../emulator/objects.js";
import { closeWorld, confirming, FULL, GA_BODY, phaseYml, SignoffWorld } from "./world.js";

afterEach(closeWorld);

function authority(signoff: string): string {
  return d9Files()["authority.yml"]!.replace("# §8 Decision authority summary.", `signoff:\n${signoff}\n\n# §8 Decision authority summary.`);
}

/** An infra change (OWNERS /infra/: SRE Lead, held by sam-sre, backup sid-sre) opened at `now`. */
async function infraPull(now: string, signoff = "  remind_after: 24h"): Promise<SignoffWorld> {
  const w = await SignoffWorld.create({ now, governance: { "authority.yml": authority(signoff) } });
  w.openPull({ number: 400, author: "rita-release", files: { "infra/main.tf": "resource {}" } });
  await w.pullEvent("opened", 400);
  return w;
}

const reminders = (w: SignoffWorld) => w.commentsOn(400).filter((c) => String(c.body).startsWith("⏰"));
const at = (w: SignoffWorld, iso: string) => w.app.clock.set(iso);

describe("remind_after: 24h", () => {
  it("the holders are reminded once at 24 hours, the backups once at 48 hours; repeated sweeps and a restart remind nobody twice", async () => {
    const w = await infraPull("2025-06-02T10:00:00Z");
    at(w, "2025-06-03T09:59:00Z");
    await w.sweep();
    expect(reminders(w)).toEqual([]);

    at(w, "2025-06-03T10:00:00Z");
    const [report] = await w.sweep();
    expect(report!.actions).toEqual(["reminded sam-sre (SRE Lead, holders) on #400: OWNERS /infra/"]);
    const first = String(reminders(w)[0]!.body);
    expect(first.split("\n").slice(0, 3)).toEqual([
      "⏰ **Sign-off reminder.** This pull request has waited since 2025-06-02 10:00 UTC for sign-off (turnaround 24h, authority.yml `signoff.remind_after`):",
      "",
      "- **OWNERS /infra/**, SRE Lead: @sam-sre",
    ]);
    expect(first).toMatch(/\n<!-- charter:reminded \{"keys":\["owners:\d+\|role:sre-lead\|holders"\]\} seal=[A-Za-z0-9_-]{32} -->$/);

    await w.sweep();
    at(w, "2025-06-03T18:00:00Z");
    await w.sweep({ restart: true }); // a restart: only GitHub remembers
    await w.sweep();
    expect(reminders(w)).toHaveLength(1);

    at(w, "2025-06-04T10:00:00Z");
    await w.sweep({ restart: true });
    expect(reminders(w)).toHaveLength(2);
    expect(String(reminders(w)[1]!.body)).toContain("- **OWNERS /infra/**, SRE Lead (backup, 2d without a sign-off): @sid-sre");
    expect(String(reminders(w)[1]!.body)).not.toContain("@sam-sre");
    for (const restart of [false, true, false]) await w.sweep({ restart });
    at(w, "2025-06-09T10:00:00Z");
    await w.sweep({ restart: true });
    expect(reminders(w)).toHaveLength(2);
  });

  it("nobody is reminded once the role has signed; the author is never reminded; drafts are not reminded", async () => {
    const w = await infraPull("2025-06-02T10:00:00Z");
    await w.submit(400, "sam-sre", "APPROVED");
    w.openPull({ number: 401, author: "sam-sre", files: { "infra/b.tf": "x" } }); // the SRE lead's own: only the backup can sign
    w.openPull({ number: 402, author: "rita-release", files: { "infra/c.tf": "x" }, draft: true });
    at(w, "2025-06-03T10:00:00Z");
    await w.sweep();
    expect(reminders(w)).toEqual([]);
    expect(w.commentsOn(402)).toEqual([]);
    const own = w.commentsOn(401).map((c) => String(c.body));
    expect(own).toEqual([]); // the holder is the author: nobody in the first tier
    at(w, "2025-06-04T10:00:00Z");
    await w.sweep();
    expect(w.commentsOn(401).map((c) => String(c.body))[0]).toContain("SRE Lead (backup, 2d without a sign-off): @sid-sre");
  });

  it("across the spring DST change and a week boundary: 24 elapsed hours", async () => {
    // Saturday 2025-03-29 10:00 in Berlin (09:00 UTC); Sunday the clocks go forward: 24 hours later is 11:00 local
    const w = await infraPull("2025-03-29T09:00:00Z");
    at(w, "2025-03-30T08:59:00Z"); // Sunday 10:59 Berlin: 23h59 elapsed
    await w.sweep();
    expect(reminders(w)).toEqual([]);
    at(w, "2025-03-30T09:00:00Z"); // Sunday 11:00 Berlin
    await w.sweep();
    expect(reminders(w)).toHaveLength(1);
    // the backups 48 hours after opening: Monday 11:00 Berlin, across the week boundary
    at(w, "2025-03-31T08:59:00Z");
    await w.sweep();
    expect(reminders(w)).toHaveLength(1);
    at(w, "2025-03-31T09:00:00Z");
    await w.sweep();
    expect(reminders(w)).toHaveLength(2);
  });

  it("a phase gate's own remind_after: the GA signers still missing are reminded, those who signed are not", async () => {
    const text = d9Files()["authority.yml"]!.replace("      freeze: true\n", "      freeze: true\n      remind_after: 24h\n");
    const w = await SignoffWorld.create({ now: "2025-06-02T10:00:00Z", governance: { "authority.yml": text } });
    w.openPull({ number: 400, files: { "governance/state/phase.yml": phaseYml("P4") }, body: GA_BODY });
    await w.pullEvent("opened", 400);
    await w.submit(400, "pat-pm", "APPROVED", confirming("pat-pm"));
    at(w, "2025-06-03T10:00:00Z");
    await w.sweep();
    const body = String(reminders(w)[0]!.body);
    expect(body).toContain("(turnaround 24h, authority.yml `phases.gates[3].remind_after`)");
    expect(body).toContain("- **Phase gate P3 → P4 (GA)**, Ingestion Owner: @ana-owner");
    expect(body).toContain("- **Phase gate P3 → P4 (GA)**, SRE Lead: @sam-sre");
    expect(body).not.toContain("pat-pm");
  });
});

describe("markers that are not Charter's own, or were edited, silence nobody", () => {
  it("a writer edits Charter's reminder marker to claim the backups were reminded: at 48 hours they are", async () => {
    const w = await infraPull("2025-06-02T10:00:00Z");
    at(w, "2025-06-03T10:00:00Z");
    await w.sweep();
    const mine = reminders(w)[0]!;
    mine.body = String(mine.body).replace('|holders"]', '|holders","' + String(mine.body).match(/"(owners:\d+\|role:sre-lead)\|holders"/)![1] + '|backups"]');
    at(w, "2025-06-04T10:00:00Z");
    await w.sweep({ restart: true });
    const bodies = reminders(w).map((c) => String(c.body));
    expect(bodies.at(-1)).toContain("@sid-sre");
    // the edited marker no longer verifies, so the holders are reminded again too: never fewer
    expect(bodies.at(-1)).toContain("- **OWNERS /infra/**, SRE Lead: @sam-sre");
  });

  it("a person or another app posts a genuine-looking marker (even one sealed for this pull request): reminders still go out", async () => {
    const w = await infraPull("2025-06-02T10:00:00Z");
    const keys = ["owners:17|role:sre-lead|holders", "owners:17|role:sre-lead|backups"].map((k) => k.replace("17", String(w.lastCheck().output.summary.match(/OWNERS line (\d+)/)![1])));
    const forged = encodeReminded(keys, TEST_IDENTITY.keys, reminderScope(FULL, 400));
    w.comments.set(400, [
      o.issueComment({ repo: FULL, issue_number: 400, id: 7001, body: `done ${forged}`, user: "wendy-writer" }),
      o.issueComment({ repo: FULL, issue_number: 400, id: 7002, body: `done ${forged}`, user: "other-app[bot]" }),
    ]);
    at(w, "2025-06-04T10:00:00Z");
    await w.sweep();
    const body = String(reminders(w).at(-1)!.body);
    expect(body).toContain("@sam-sre");
    expect(body).toContain("@sid-sre");
  });

  it("a marker Charter sealed for another pull request, copied here by Charter's own hand, does not count", async () => {
    const w = await infraPull("2025-06-02T10:00:00Z");
    const keys = [`owners:${w.lastCheck().output.summary.match(/OWNERS line (\d+)/)![1]}|role:sre-lead|holders`];
    const elsewhere = encodeReminded(keys, TEST_IDENTITY.keys, reminderScope(FULL, 999));
    w.comments.set(400, [o.issueComment({ repo: FULL, issue_number: 400, id: 7003, body: `⏰ copied ${elsewhere}`, user: "charter[bot]" })]);
    at(w, "2025-06-03T10:00:00Z");
    await w.sweep();
    expect(reminders(w).at(-1)!.body).toContain("@sam-sre");
  });
});

describe("approvals that expire with no event", () => {
  it("the sweep turns the check red at 73 hours on a valid_for: 72h gate; nothing is written while nothing changes", async () => {
    const w = await infraPull("2025-06-02T10:00:00Z", "  valid_for: 72h");
    await w.submit(400, "sam-sre", "APPROVED");
    expect(w.lastCheck().conclusion).toBe("success");
    at(w, "2025-06-05T09:00:00Z");
    await w.sweep();
    const written = w.checkRuns.length;
    await w.sweep();
    expect(w.checkRuns.length).toBe(written);
    at(w, "2025-06-05T11:00:00Z");
    await w.sweep();
    expect(w.lastCheck()).toMatchObject({ conclusion: "failure", output: { title: "Waiting for SRE Lead; approval by @\u200bsam-sre expired" } });
  });

  it("an approval handled by another process after the sweep last looked still expires on time (the sweep's hint is bounded by valid_for)", async () => {
    const w = await infraPull("2025-06-02T10:00:00Z", "  valid_for: 72h");
    at(w, "2025-06-02T11:00:00Z");
    await w.sweep(); // nothing approved yet: nothing to expire
    at(w, "2025-06-02T12:00:00Z");
    await w.submit(400, "sam-sre", "APPROVED"); // the webhook, handled by the app (not the sweeper's process)
    expect(w.lastCheck().conclusion).toBe("success");
    at(w, "2025-06-05T13:00:00Z"); // 73 hours after the approval; GitHub's updated_at of the pull request unchanged
    await w.sweep();
    expect(w.lastCheck()).toMatchObject({ conclusion: "failure", output: { title: "Waiting for SRE Lead; approval by @\u200bsam-sre expired" } });
  });

  it("a repository without valid_for or remind_after: the sweep reads no pull request", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 410, files: { "infra/main.tf": "x" } });
    w.reset();
    await w.sweep();
    expect(w.requests.filter((r) => !r.includes("/branches/main") && !r.includes("/contents/governance") && !r.includes("/git/blobs/"))).toEqual([]);
  });
});
