/**
 * D9 §5.3 resume authority, row by row, through the real app: the commenter alone resumes at once
 * when the rule allows; otherwise a resume pull request carries the verification checklist and
 * the required roles, the sign-off check gates it, and merging it resumes.
 */
import { describe, expect, it } from "vitest";
import { entries, expectNoWrite, refusal, switches, T0, useNock, world, type World } from "./harness.js";
import { confirmAll, signoffOf } from "./signoff.js";
import { sealedRequest } from "../support/identity.js";
import { chainHead } from "../../src/core/log/chain.js";

async function activated(scenario = "error-rate-20", by = "olga-oncall", scope = "global"): Promise<World> {
  const w = await world();
  await w.say(by, `/killswitch activate ${scope} ${scenario} error rate 27% on uploads`);
  return w;
}

describe("§5.3 < 1 hour pause: On-Call, test upload passes", () => {
  useNock();

  it("on-call resumes directly after 30 minutes with the step verified (case-insensitive)", async () => {
    const w = await activated();
    w.app.clock.advanceMinutes(30);
    w.fake.reset();
    const { url } = await w.say("omar-oncall", '/killswitch resume global --verified "test upload PASSES"');
    expect(w.fake.puts.slice(-2).map((p) => `${p.branch}:${p.path}`)).toEqual(["main:governance/state/killswitch.yml", "main:governance/state/log.yml"]);
    expect(switches(w.fake).global).toEqual({ active: false });
    expect(entries(w.fake)[1]).toEqual({
      id: "resume-" + url.split("-").pop(),
      timestamp: "2025-06-02T10:30:00Z",
      action: "resume",
      actor: "omar-oncall",
      scope: "global",
      scenario: "error-rate-20",
      severity: "P2",
      reason: "resumed after 30m (< 1 hour pause)",
      approval: "not required: < 1 hour pause, On-Call resumes directly",
      notified: ["pat-pm"],
      verified: ["Test upload passes"],
      link: url,
      seq: 2,
      prev: chainHead(entries(w.fake).slice(0, 1) as never),
    });
    expect(w.lastReply()).toContain("the kill-switch `global` is **resumed** (it was active 30m, since 10:00 UTC by @olga-oncall: Error rate > 20% (`error-rate-20`)). < 1 hour pause: On-Call may resume directly; verified: Test upload passes.\nNotified (Product Manager): @pat-pm.");
    expect(w.fake.pulls).toEqual([]);
  });

  it("the step may be given unquoted, as the words after --verified", async () => {
    const w = await activated();
    w.app.clock.advanceMinutes(10);
    await w.say("olga-oncall", "/killswitch resume --verified Test upload passes");
    expect(switches(w.fake).global).toEqual({ active: false });
  });

  it("without the verification, on-call gets a resume pull request with the checklist instead", async () => {
    const w = await activated();
    w.app.clock.advanceMinutes(30);
    await w.say("olga-oncall", "/killswitch resume global");
    expect(switches(w.fake).global).toMatchObject({ active: true });
    const pr = w.fake.pulls[0]!;
    expect(pr.body).toContain("- [ ] Test upload passes");
    expect(w.lastReply()).toContain('(With every step confirmed, e.g. `--verified "Test upload passes"`, you could have resumed at once.)');
  });

  it("refuses someone who is neither on call nor the Owner (Support), with no write", async () => {
    const w = await activated();
    w.app.clock.advanceMinutes(30);
    w.fake.reset();
    await w.say("sue-support", '/killswitch resume global --verified "Test upload passes"');
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("resuming `global` (active 30m: < 1 hour pause) needs On-Call; a resume may be asked for by On-Call (now @olga-oncall, @omar-oncall), Ingestion Owner (now @ana-owner, @ben-owner), and @sue-support holds none of these roles.");
  });

  it("an unknown verification step is refused with a did-you-mean", async () => {
    const w = await activated();
    w.fake.reset();
    await w.say("olga-oncall", '/killswitch resume global --verified "Test uplod passes"');
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("unknown verification step `Test uplod passes` (did you mean `Test upload passes`?)");
  });
});

describe("§5.3 > 1 hour pause: Ingestion Owner, test upload + metrics check", () => {
  useNock();

  it("after 2 hours on-call gets a pull request needing the Ingestion Owner; merging it after approval resumes", async () => {
    const w = await activated();
    w.app.clock.set("2025-06-02T12:00:00Z");
    w.fake.reset();
    const { id, url } = await w.say("olga-oncall", '/killswitch resume global --verified "Test upload passes"');
    const branch = `charter/resume-global-${id}`;
    expect(w.fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /repos/acme/ingestion/git/refs",
      "PUT /repos/acme/ingestion/contents/governance/state/killswitch.yml",
      "PUT /repos/acme/ingestion/contents/governance/state/log.yml",
      "POST /repos/acme/ingestion/pulls",
      `POST /repos/acme/ingestion/issues/comments/${id}/reactions`,
      "POST /repos/acme/ingestion/issues/7/comments",
    ]);
    expect(w.fake.requests.find((r) => r.path.endsWith("/git/refs"))!.body).toEqual({ ref: `refs/heads/${branch}`, sha: expect.stringMatching(/^[0-9a-f]{40}$/) });
    // the default branch is untouched: the switch stays active until the merge
    expect(switches(w.fake).global).toMatchObject({ active: true });
    expect(switches(w.fake, branch).global).toEqual({ active: false });
    expect(entries(w.fake, branch).at(-1)).toMatchObject({ action: "resume", actor: "olga-oncall", approval: "sign-off on the pull request: Ingestion Owner (> 1 hour pause)", verified: ["Test upload passes"], link: url });
    const pr = w.fake.pulls[0]!;
    expect(pr.title).toBe("Kill-switch: resume global");
    expect(pr.body).toBe(
      [
        sealedRequest({ kind: "resume", issue: 7, by: "olga-oncall", scope: "global" }, branch),
        "## Resume the kill-switch `global`",
        "",
        `Requested by @olga-oncall in #7 (${url}). The switch has been active 2h, since 10:00 UTC by @olga-oncall: Error rate > 20% (\`error-rate-20\`).`,
        "",
        '**Resume authority:** Ingestion Owner (authority.yml `kill_switch.resume` rule 3, "> 1 hour pause").',
        "",
        "**Required sign-off:** an approving review on the head commit by a holder of each role:",
        "",
        "| role | who holds it now |",
        "|---|---|",
        "| Ingestion Owner | @ana-owner, @ben-owner |",
        "",
        "### Verification",
        "",
        "A signer confirms each step by pasting it, ticked (`- [x] …`), into the text of their approving review; ticking it here does not count:",
        "",
        "- [x] Test upload passes",
        "- [ ] Metrics check",
        "",
        "Merging this pull request resumes `global`: the merged `governance/state/killswitch.yml` is the new state, and the log entry is already in `governance/state/log.yml`. Charter then notifies Product Manager.",
        "",
        "cc @ana-owner",
      ].join("\n"),
    );
    expect(w.lastReply()).toContain(`resuming \`global\` (active 2h, since 10:00 UTC by @olga-oncall: Error rate > 20% (\`error-rate-20\`)) needs Ingestion Owner (> 1 hour pause) and verification: Test upload passes, Metrics check. I opened #${pr.number}`);

    // The sign-off check on that pull request names the Ingestion Owner, and stays red until the Owner approves confirming the steps.
    const now = w.app.clock.now();
    const before = await signoffOf(w.fake, pr, [], now);
    expect(before.check.conclusion).toBe("failure");
    expect(before.tree.gates.map((g) => g.gate.title)).toEqual(["Resume kill-switch `global`: > 1 hour pause"]);
    expect(before.check.summary).toContain("| Resume kill-switch `global`: > 1 hour pause | Ingestion Owner |");
    expect(before.check.summary).toContain("- `- [x] Metrics check` (a `verify` step of authority.yml `kill_switch.resume[2]`) by Ingestion Owner");
    const onCallOnly = await signoffOf(w.fake, pr, [{ login: "olga-oncall", body: confirmAll(pr.body) }], now);
    expect(onCallOnly.check.conclusion).toBe("failure");
    const approved = await signoffOf(w.fake, pr, [{ login: "ana-owner", body: confirmAll(pr.body) }], now);
    expect(approved.check.conclusion).toBe("success");

    // Merged: the merged file is the resumed state; nothing is logged twice; the issue hears it.
    w.fake.merge(pr.number);
    w.app.clock.set("2025-06-02T12:20:00Z");
    w.fake.reset();
    await w.closed(pr, { merged: true, mergedBy: "ana-owner", mergedAt: "2025-06-02T12:19:00Z" });
    expect(w.fake.count("PUT")).toBe(0);
    expect(switches(w.fake).global).toEqual({ active: false });
    expect(entries(w.fake).map((e) => e.action)).toEqual(["activate", "resume"]);
    expect(w.lastReply()).toBe(`@olga-oncall the kill-switch \`global\` is **resumed**: #${pr.number} was merged by @ana-owner.\nNotified (Product Manager): @pat-pm.`);
    expect(w.fake.comments.at(-1)!.issue).toBe(7);
  });

  it("the Owner alone, with both steps verified, resumes directly after 2 hours", async () => {
    const w = await activated();
    w.app.clock.set("2025-06-02T12:00:00Z");
    await w.say("ana-owner", '/killswitch resume global --verified "Test upload passes" --verified "metrics check"');
    expect(switches(w.fake).global).toEqual({ active: false });
    expect(entries(w.fake)[1]).toMatchObject({ approval: "not required: > 1 hour pause, Ingestion Owner resumes directly", verified: ["Test upload passes", "Metrics check"] });
  });

  it("refuses Support after 2 hours, with no write", async () => {
    const w = await activated();
    w.app.clock.set("2025-06-02T12:00:00Z");
    w.fake.reset();
    await w.say("sue-support", "/killswitch resume global");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("resuming `global` (active 2h: > 1 hour pause) needs Ingestion Owner");
  });
});

describe("§5.3 Rollback: Ingestion Owner + PM, full P0 revalidation", () => {
  useNock();

  it("after an emergency rollback the resume is a pull request for the Owner and the PM", async () => {
    const w = await activated();
    await w.say("olga-oncall", "/rollback P2 emergency uploads corrupting data");
    expect(switches(w.fake).global).toMatchObject({ active: true, rolled_back: true });
    w.app.clock.advanceMinutes(20); // under an hour, but after a rollback
    await w.say("ana-owner", '/killswitch resume global --verified "Full P0 revalidation"');
    expect(switches(w.fake).global).toMatchObject({ active: true });
    const pr = w.fake.pulls[0]!;
    expect(pr.body).toContain('**Resume authority:** Ingestion Owner and Product Manager (authority.yml `kill_switch.resume` rule 2, "Rollback"; after a rollback).');
    expect(pr.body).toContain("| Ingestion Owner | @ana-owner, @ben-owner |\n| Product Manager | @pat-pm, @paula-pm |");
    expect(pr.body).toContain("- [x] Full P0 revalidation");
    const check = await signoffOf(w.fake, pr, [{ login: "ben-owner" }], w.app.clock.now());
    expect(check.tree.gates[0]!.gate.title).toBe("Resume kill-switch `global`: Rollback");
    expect(check.check.conclusion).toBe("failure");
    // the step ticked by the requester's `--verified` in Charter's description is not a confirmation: a signer gives it in their approving review
    expect((await signoffOf(w.fake, pr, [{ login: "ben-owner" }, { login: "pat-pm" }], w.app.clock.now())).check.conclusion).toBe("failure");
    // ana-owner asked for the resume: their own approval never counts, even confirming
    expect((await signoffOf(w.fake, pr, [{ login: "ana-owner", body: confirmAll(pr.body) }, { login: "pat-pm" }], w.app.clock.now())).check.conclusion).toBe("failure");
    expect((await signoffOf(w.fake, pr, [{ login: "ben-owner", body: confirmAll(pr.body) }, { login: "pat-pm" }], w.app.clock.now())).check.conclusion).toBe("success");
  });

  it("refuses the SRE Lead, with no write", async () => {
    const w = await activated();
    await w.say("olga-oncall", "/rollback P2 emergency uploads corrupting data");
    w.fake.reset();
    await w.say("sam-sre", "/killswitch resume global");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("needs Ingestion Owner and Product Manager");
  });
});

describe("§5.3 Data integrity event: Ingestion Owner + SRE Lead + PM, investigation complete", () => {
  useNock();

  it("a data-corruption pause needs all three, even after 5 minutes", async () => {
    const w = await activated("data-corruption", "sue-support");
    w.app.clock.advanceMinutes(5);
    await w.say("ana-owner", '/killswitch resume global --verified "Investigation complete"');
    expect(switches(w.fake).global).toMatchObject({ active: true });
    const pr = w.fake.pulls[0]!;
    expect(pr.body).toContain("**Resume authority:** Ingestion Owner, SRE Lead and Product Manager");
    expect(pr.body).toContain("(a different person for each)");
    const check = await signoffOf(w.fake, pr, [{ login: "ben-owner" }, { login: "sam-sre" }], w.app.clock.now());
    expect(check.tree.gates[0]!.gate.title).toBe("Resume kill-switch `global`: Data integrity event");
    expect(check.check.conclusion).toBe("failure");
    expect((await signoffOf(w.fake, pr, [{ login: "ben-owner", body: confirmAll(pr.body) }, { login: "sam-sre" }, { login: "pat-pm" }], w.app.clock.now())).check.conclusion).toBe("success");
  });

  it("refuses the Database Owner, with no write", async () => {
    const w = await activated("data-corruption", "sue-support");
    w.fake.reset();
    await w.say("dora-db", "/killswitch resume global");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("needs Ingestion Owner, SRE Lead and Product Manager");
  });
});

describe("resume: which switch", () => {
  useNock();

  it("nothing active: refused", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch resume");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("no kill-switch is active, so there is nothing to resume.");
  });

  it("several active and no scope: says which are", async () => {
    const w = await activated();
    await w.say("olga-oncall", "/killswitch activate workspace:acme error-rate-20 acme too");
    w.fake.reset();
    await w.say("olga-oncall", "/killswitch resume");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("several kill-switches are active (`global`, `workspace:acme`): say which, e.g. `/killswitch resume global`.");
  });

  it("resuming a workspace while global is active says global still overrides it", async () => {
    const w = await activated();
    await w.say("olga-oncall", "/killswitch activate workspace:acme error-rate-20 acme too");
    await w.say("olga-oncall", '/killswitch resume workspace:acme --verified "Test upload passes"');
    expect(switches(w.fake)).toMatchObject({ global: { active: true }, "workspace:acme": { active: false } });
    expect(w.lastReply()).toContain("Note: the `global` kill-switch is still active and overrides `workspace:acme`");
  });

  it("at the start of the pause the activation time is the one written (T0)", () => {
    expect(T0).toBe("2025-06-02T10:00:00Z");
  });
});
