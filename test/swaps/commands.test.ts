/**
 * `/swap` and `/override` through the real app against FakeGitHub (issue 14 item 2): who may ask,
 * the pull request Charter opens (sealed request, the overrides of governance/oncall.yml), and the
 * urgent override that takes effect at once and is approved afterwards, logged in the chained log.
 *
 * D9 (governance/oncall.yml, Europe/Berlin, handoff Monday 09:00): week of Mon 2025-06-09 primary
 * omar-oncall, secondary opal-oncall; week of 2025-06-16 primary opal-oncall, secondary oscar-oncall.
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { verifyChain } from "../../src/core/log/chain.js";
import { whoIsOnCall } from "../../src/core/oncall/resolve.js";
import { OncallFile } from "../../src/core/model/oncall.js";
import { requestIn } from "../support/identity.js";
import type { Logger } from "probot";
import { sweepRepository } from "../../src/reconcile/runner.js";
import { urgentOverrideTask } from "../../src/reconcile/swaps.js";
import { TestOctokit } from "../support/app-harness.js";
import { testIdentity } from "../support/identity.js";
import { OWNER, REPO } from "../killswitch/fake-github.js";
import { entries, expectNoWrite, refusal, useNock, world, type World } from "./../killswitch/harness.js";
import { d9Files } from "../support/governance-mock.js";

async function sweep(w: World) {
  const quiet = { child: () => quiet, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, trace() {} };
  const result = await sweepRepository(new TestOctokit({ auth: "test-token" }), { owner: OWNER, repo: REPO }, { clock: w.app.clock, governance: w.app.cache, identity: testIdentity }, quiet as unknown as Logger, { defaultBranch: "main", tasks: [urgentOverrideTask] });
  expect(result.errors).toEqual([]);
  return result.reports[0]!;
}

const SWAP = "/swap @omar-oncall @oscar-oncall 2025-06-09T09:00 2025-06-16T09:00";

/** D9's oncall.yml with one absence added. */
function awayFiles(who: string, from: string, to: string, reason: string): Record<string, string> {
  const oncall = d9Files()["oncall.yml"]!.replace(/^handoff_messages:/m, `unavailable:\n  - { who: ${who}, from: ${from}, to: ${to}, reason: ${reason} }\n\nhandoff_messages:`);
  if (!oncall.includes(`who: ${who}`)) throw new Error("the absence was not added");
  return { "oncall.yml": oncall };
}

function oncallOn(fake: { file(path: string, branch?: string): string | undefined }, branch?: string): OncallFile {
  return OncallFile.parse(parse(fake.file("oncall.yml", branch) ?? ""));
}

describe("/swap: who may ask", () => {
  useNock();

  it("a person with access but no role cannot swap other people's shifts: refused, nothing written", async () => {
    const w = await world();
    await w.say("rita-reporter", SWAP);
    expectNoWrite(w.fake);
    expect(refusal(w)).toBe(
      `> ${SWAP.replace(/@/g, "@\u200b")}\n\n@rita-reporter \`/swap\` refused: A swap of @omar-oncall, @oscar-oncall may be asked for only by one of them, or by SRE Lead (now @sam-sre, @sid-sre) for anybody (authority.yml \`swaps.on_behalf\`); @rita-reporter is neither. Nothing was changed.`,
    );
  });

  it("a person with access but no role cannot override someone else's shift either", async () => {
    const w = await world();
    await w.say("rita-reporter", "/override 2025-06-10T10:00 2025-06-10T18:00 @olga-oncall ingestion/primary");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("An override of @olga-oncall, @omar-oncall may be asked for only by one of them, or by SRE Lead (now @sam-sre, @sid-sre) for anybody (authority.yml `swaps.on_behalf`); @rita-reporter is neither.");
  });

  it("a shift is never handed to a stranger (in no rotation, holding no role): refused, nothing written", async () => {
    const w = await world({ now: "2025-06-10T08:00:00Z" });
    await w.say("omar-oncall", "/override 2025-06-10T10:00 2025-06-10T18:00 @mallory");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("@mallory is in no rotation of governance/oncall.yml and holds no role in governance/roles.yml, so Charter hands them no shift: add them to a rotation or a role through a pull request first.");
    await w.say("omar-oncall", "/swap @omar-oncall @mallory 2025-06-10T10:00 2025-06-10T18:00");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("@mallory is in no rotation");
  });

  it("a non-member (no access to the repository) cannot swap, not even their own shift, and Charter mentions nobody", async () => {
    const w = await world();
    await w.say("omar-oncall", SWAP, { association: "NONE" });
    expectNoWrite(w.fake);
    const r = refusal(w);
    expect(r).toContain("A swap is for people with access to this repository; @\u200bomar-oncall has none.");
    expect(r).not.toMatch(/@(?!\u200b|omar-oncall `\/swap` refused)[a-z]/);
  });

  it("one of the two people opens a pull request: the overrides, the sealed request with both people, nothing on the default branch yet", async () => {
    const w = await world();
    const before = w.fake.file("oncall.yml");
    await w.say("omar-oncall", SWAP);
    expect(w.fake.file("oncall.yml")).toBe(before);
    const pr = w.fake.pulls.at(-1)!;
    expect(pr.head).toMatch(/^charter\/swap-\d+$/);
    const decoded = requestIn({ body: pr.body, head: pr.head });
    expect(decoded).toMatchObject({ ok: true, request: { kind: "swap", issue: 7, by: "omar-oncall", people: ["omar-oncall", "oscar-oncall"] } });
    const proposed = oncallOn(w.fake, pr.head);
    expect(proposed.schedules.ingestion!.overrides!.slice(1)).toEqual([
      { tier: "primary", from: "2025-06-09T09:00+02:00", until: "2025-06-16T09:00+02:00", who: "oscar-oncall", replaces: "omar-oncall", reason: "swap omar-oncall ↔ oscar-oncall (#7)" },
    ]);
    expect(whoIsOnCall(proposed, "ingestion/primary", new Date("2025-06-10T10:00Z")).who).toEqual(["oscar-oncall"]);
    expect(w.lastReply()).toContain(`It takes effect when it is merged, once @oscar-oncall has approved it.`);
    expect(pr.body).toContain("- @oscar-oncall approves with an approving review of this pull request, or a holder of SRE Lead on their behalf.");
  });

  it("a duplicate delivery of the same comment opens no second pull request", async () => {
    const w = await world();
    await w.say("omar-oncall", SWAP, { id: 4242 });
    await w.say("omar-oncall", SWAP, { id: 4242 });
    expect(w.fake.pulls.length).toBe(1);
    expect(w.fake.pulls[0]!.head).toBe("charter/swap-4242");
  });

  it("a swap that puts one person in two tiers at once says so (the drill's double-tier warning)", async () => {
    const w = await world();
    // week of 2025-06-09: primary omar, secondary opal. Swapping omar with opal would leave… each in the other's tier: fine.
    // Swapping omar (primary) with olga (off that week) is fine too; swapping opal (secondary) into primary by /override is not.
    await w.say("opal-oncall", "/override 2025-06-10T09:00 2025-06-11T09:00 @opal-oncall ingestion/primary");
    const pr = w.fake.pulls.at(-1)!;
    expect(pr.body).toContain("`opal-oncall` is on call for `ingestion/primary` and `ingestion/secondary` at once");
  });
});

describe("a swap or an override that puts someone on call while they are unavailable", () => {
  useNock();

  it("/swap onto a person on vacation that week: the reply and the pull request say so (an override is not skipped, so pages would reach them)", async () => {
    const w = await world({ files: awayFiles("oscar-oncall", "2025-06-10", "2025-06-12", "vacation") });
    await w.say("omar-oncall", SWAP);
    const pr = w.fake.pulls.at(-1)!;
    const warning = "puts `oscar-oncall` on call for `ingestion/primary` from Tue 2025-06-10 00:00 CEST to Fri 2025-06-13 00:00 CEST, while they are unavailable (vacation): an override is an explicit choice and is not skipped, so pages would reach them";
    expect(pr.body).toContain("### Warning");
    expect(pr.body).toContain(warning);
    expect(w.lastReply()).toContain(`Warning: \`overrides.1\` of schedule \`ingestion\` ${warning}.`);
  });

  it("the same swap with nobody away says nothing of the kind", async () => {
    const w = await world();
    await w.say("omar-oncall", SWAP);
    expect(w.fake.pulls.at(-1)!.body).not.toContain("unavailable");
    expect(w.lastReply()).not.toContain("Warning");
  });

  it("an urgent override, in effect at once, onto a person on leave: its reply says so", async () => {
    const w = await world({ now: "2025-06-10T08:00:00Z", files: awayFiles("olga-oncall", "2025-06-10", "2025-06-10", "parental leave") });
    await w.say("omar-oncall", "/override 2025-06-10T10:00 2025-06-10T18:00 @olga-oncall urgent sick, going home");
    expect(w.lastReply()).toContain("the urgent override is **in effect now**");
    expect(w.lastReply()).toContain("puts `olga-oncall` on call for `ingestion/primary` from Tue 2025-06-10 10:00 CEST to Tue 2025-06-10 18:00 CEST, while they are unavailable (parental leave)");
  });
});

describe("/override urgent: act first, approve afterwards", () => {
  useNock();

  it("on-call makes an urgent override: in effect on the default branch at once, logged in the chained log; the person taking it approves afterwards", async () => {
    const w = await world({ now: "2025-06-10T08:00:00Z" }); // Tue 10:00 Berlin: primary omar-oncall
    await w.say("omar-oncall", "/override 2025-06-10T10:00 2025-06-10T18:00 @olga-oncall urgent sick, going home");
    expect(whoIsOnCall(oncallOn(w.fake), "ingestion/primary", new Date("2025-06-10T09:00Z")).who).toEqual(["olga-oncall"]);
    const log = entries(w.fake);
    expect(log.at(-1)).toMatchObject({ action: "oncall-override", actor: "omar-oncall", notified: ["olga-oncall"], issue: 7, review_due: "2025-06-10T12:00:00Z" });
    expect(w.lastReply()).toContain("the urgent override is **in effect now**");
    expect(w.lastReply()).toContain("Approval needed afterwards from @olga-oncall by Tue 2025-06-10 14:00 (+02:00): reply `/override approve` here.");

    await w.say("omar-oncall", "/override approve");
    expect(refusal(w)).toContain("@omar-oncall made this urgent override and cannot also approve it: @olga-oncall must.");
    await w.say("rita-reporter", "/override approve");
    expect(refusal(w)).toContain("this urgent override is approved by @olga-oncall (or by SRE Lead on their behalf); @rita-reporter is not one of them.");
    await w.say("olga-oncall", "/override approve");
    expect(w.lastReply()).toContain("approved the urgent override of #7. Everyone involved has approved it.");
    const after = entries(w.fake);
    expect(after.at(-1)).toMatchObject({ action: "oncall-override-approved", actor: "olga-oncall", role: "olga-oncall", ref: log.at(-1)!.id });
    expect(verifyChain(after as never).broken).toBeUndefined();
  });

  it("approval overdue: the sweep pages the person still to approve and the SRE Lead once, logged; a second sweep does nothing", async () => {
    const w = await world({ now: "2025-06-10T08:00:00Z" });
    await w.say("omar-oncall", "/override 2025-06-10T10:00 2025-06-10T18:00 @olga-oncall urgent sick, going home");
    w.app.clock.set(new Date("2025-06-10T12:01:00Z"));
    const first = await sweep(w);
    expect(first.actions).toEqual(["urgent override of #7 overdue: paged olga-oncall, sam-sre"]);
    expect(w.lastReply()).toBe(
      "@olga-oncall the urgent on-call override @omar-oncall made here at 08:00 UTC was to be approved by 12:00 UTC and is **overdue**. It stays in effect: reply `/override approve` if you agree, or ask for a new `/swap` or `/override` if not.\n\nSRE Lead may approve on their behalf: @sam-sre.",
    );
    expect(entries(w.fake).at(-1)).toMatchObject({ action: "oncall-override-overdue", actor: "charter[bot]", notified: ["olga-oncall", "sam-sre"] });
    const replies = w.replies().length;
    expect((await sweep(w)).actions).toEqual([]);
    expect(w.replies().length).toBe(replies);
    await w.say("sam-sre", "/override approve");
    expect(w.lastReply()).toContain("approved the urgent override of #7 on behalf of @olga-oncall (SRE Lead) (after its deadline). Everyone involved has approved it.");
    expect(verifyChain(entries(w.fake) as never).broken).toBeUndefined();
  });

  it("urgent is for the roles of swaps.urgent: a person with access but no such role is refused, nothing written", async () => {
    const w = await world({ now: "2025-06-10T08:00:00Z" });
    await w.say("ana-owner", "/override 2025-06-10T10:00 2025-06-10T18:00 ingestion/primary urgent I cover");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("an urgent override (in effect at once) may be made by On-Call (now @omar-oncall, @opal-oncall), SRE Lead (now @sam-sre, @sid-sre) (authority.yml `swaps.urgent`); @ana-owner holds none of these roles.");
  });
});

describe("instants in the schedule's zone", () => {
  useNock();

  it("a swap across the 2025-03-30 DST change: shifts cut at the Monday 09:00 handoffs, each written with its own offset; the existing vacation override is respected", async () => {
    const w = await world({ now: "2025-03-20T10:00:00Z" });
    await w.say("opal-oncall", "/swap @opal-oncall @oscar-oncall 2025-03-24 2025-04-07");
    const pr = w.fake.pulls.at(-1)!;
    const reason = "swap opal-oncall ↔ oscar-oncall (#7)";
    // primary 03-24..03-31 is already omar-oncall's (Opal's vacation, overrides.0): nothing of Opal's to swap there
    expect(oncallOn(w.fake, pr.head).schedules.ingestion!.overrides!.slice(1)).toEqual([
      { tier: "primary", from: "2025-03-31T09:00+02:00", until: "2025-04-07T00:00+02:00", who: "opal-oncall", replaces: "oscar-oncall", reason },
      { tier: "secondary", from: "2025-03-24T00:00+01:00", until: "2025-03-24T09:00+01:00", who: "oscar-oncall", replaces: "opal-oncall", reason },
      { tier: "secondary", from: "2025-03-24T09:00+01:00", until: "2025-03-31T09:00+02:00", who: "opal-oncall", replaces: "oscar-oncall", reason },
    ]);
    const proposed = oncallOn(w.fake, pr.head);
    expect(whoIsOnCall(proposed, "ingestion/secondary", new Date("2025-03-30T10:00:00Z")).who).toEqual(["opal-oncall"]);
    expect(whoIsOnCall(proposed, "ingestion/primary", new Date("2025-04-01T10:00:00Z")).who).toEqual(["opal-oncall"]);
  });

  it.each([
    ["/swap @omar-oncall @oscar-oncall 2025-03-30T02:30 2025-04-01", "`2025-03-30T02:30` does not exist in Europe/Berlin (the clocks jump over it)"],
    ["/swap @omar-oncall @oscar-oncall 2025-10-26T02:30 2025-10-27", "`2025-10-26T02:30` happens twice in Europe/Berlin (the clocks go back): write the instant with its offset"],
    ["/swap @omar-oncall @oscar-oncall tomorrow 2025-06-16", "`tomorrow` is not a date or time"],
    ["/swap @omar-oncall @oscar-oncall 2025-06-16 2025-06-09", "must be after the start"],
    ["/swap @omar-oncall omar 2025-06-09 2025-06-16", "`omar` is not a person"],
  ])("%s is refused with a clear message, nothing written", async (command, words) => {
    const w = await world({ now: "2025-03-01T00:00:00Z" });
    await w.say("omar-oncall", command);
    expectNoWrite(w.fake);
    expect(w.lastReply()).toContain(words);
  });
});
