/**
 * Hardening issue #10, sign-off: the attacks of an insider (the pull request's author, any
 * writer) and of an outsider on a public repository, each performed through the real app
 * (Probot + nock, every request checked against GitHub's OpenAPI description) and refused, with
 * what a reviewer sees in the `Charter sign-off` check.
 */
import { afterEach, describe, expect, it } from "vitest";
import { d9Files } from "../support/governance-mock.js";
import { sealedRequest } from "../support/identity.js";
import { closeWorld, confirming, GA_BODY, phaseYml, SignoffWorld } from "./world.js";

afterEach(closeWorld);

/** How Charter writes a login in its check: `@` and a zero-width space, so nobody is notified. */
const u = (login: string) => `@\u200b${login}`;
const GA_FILES = { "governance/state/phase.yml": phaseYml("P4") };
const GA = "Phase gate P3 → P4 (GA)";

describe("[1] a veto stands until the vetoer or another holder of the same role lifts it", () => {
  async function vetoedGa(dismisser: string, author = "rita-release") {
    const w = await SignoffWorld.create();
    w.openPull({ number: 100, author, files: GA_FILES, body: GA_BODY });
    await w.pullEvent("opened", 100);
    const veto = await w.submit(100, author === "pat-pm" ? "paula-pm" : "pat-pm", "CHANGES_REQUESTED", { body: "Client feedback is not in yet." });
    w.dismiss(100, veto.id as number, dismisser);
    await w.reviewEvent("dismissed", 100, veto);
    return { w, veto };
  }

  it("the author dismisses the PM's change request, the backup PM, owner and SRE lead approve: still vetoed, and the check says why", async () => {
    const { w } = await vetoedGa("rita-release");
    for (const who of ["paula-pm", "ana-owner", "sam-sre"]) await w.submit(100, who, "APPROVED", confirming(who));
    const check = w.lastCheck();
    expect(check).toMatchObject({ conclusion: "failure", output: { title: `Vetoed by ${u("pat-pm")} (Product Manager)` } });
    expect(check.output.summary).toContain(
      `- ${u("pat-pm")}'s change request (Product Manager) was dismissed by ${u("rita-release")}, who does not hold Product Manager: the veto stands and blocks ${GA} until ${u("pat-pm")} approves (only ${u("pat-pm")} or another holder of Product Manager can lift it by dismissing it)`,
    );
    expect(check.output.summary).toContain(`|  | Product Manager | ${u("pat-pm")}, ${u("paula-pm")} (backup) | ${u("paula-pm")} | ⛔ vetoed | ${u("pat-pm")} |  |`);
    // who dismissed it is read from the timeline
    expect(w.requests).toContain("GET /repos/acme/ingestion/issues/100/timeline?per_page=100");
    // the vetoer's own approval lifts it
    await w.submit(100, "pat-pm", "APPROVED", confirming("pat-pm"));
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: `Signed off: ${GA}` } });
  });

  it("a writer who holds no role dismisses it: the veto stands", async () => {
    const { w } = await vetoedGa("wendy-writer");
    expect(w.lastCheck().output.summary).toContain(`was dismissed by ${u("wendy-writer")}, who does not hold Product Manager: the veto stands`);
    expect(w.lastCheck().output.title).toBe(`Waiting for Ingestion Owner and SRE Lead; vetoed by ${u("pat-pm")} (Product Manager)`);
  });

  it("the author holds the role and dismisses a backup's veto on their own pull request: it stands", async () => {
    const { w } = await vetoedGa("pat-pm", "pat-pm");
    expect(w.lastCheck().output.summary).toContain(
      `- ${u("paula-pm")}'s change request (Product Manager) was dismissed by ${u("pat-pm")}, the author of this pull request, who cannot lift a veto on their own pull request: the veto stands`,
    );
  });

  it("a bot dismisses it: the veto stands", async () => {
    const { w } = await vetoedGa("ci-robot[bot]");
    expect(w.lastCheck().output.summary).toContain(`was dismissed by ${u("ci-robot[bot]")}, a bot, which cannot lift a veto: the veto stands`);
  });

  it("another holder of the same role (the backup PM) dismisses it: lifted, and said so", async () => {
    const { w } = await vetoedGa("paula-pm");
    for (const who of ["paula-pm", "ana-owner", "sam-sre"]) await w.submit(100, who, "APPROVED", confirming(who));
    const check = w.lastCheck();
    expect(check).toMatchObject({ conclusion: "success", output: { title: `Signed off: ${GA}` } });
    expect(check.output.summary).toContain(`- ${u("pat-pm")}: their change request was dismissed by ${u("paula-pm")}, who holds Product Manager: it no longer blocks`);
  });

  it("the vetoer dismisses their own change request: lifted", async () => {
    const { w } = await vetoedGa("pat-pm");
    expect(w.lastCheck().output.summary).toContain(`- ${u("pat-pm")}: their change request was dismissed by themselves: it no longer blocks`);
    expect(w.lastCheck().output.title).toBe("Waiting for Ingestion Owner, Product Manager and SRE Lead");
  });

  it("a dismissal the timeline does not record: the veto stands (fail closed)", async () => {
    const { w, veto } = await vetoedGa("rita-release");
    w.pull(100).timeline.length = 0;
    await w.reviewEvent("dismissed", 100, veto);
    expect(w.lastCheck().output.summary).toContain(`- ${u("pat-pm")}'s change request (Product Manager) was dismissed, but the pull request's timeline does not say by whom: the veto stands`);
  });
});

const FORM = [
  "**Date:** 2025-06-02",
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
const rollbackBody = (type: string, extra = "") => `${extra}Rollback type: ${type}\n\n${FORM}`;
const ROLLBACK_FILES = { "governance/state/phase.yml": phaseYml("P2") };

describe("[2] the author cannot weaken the gate", () => {
  it("the PM vetoes a `planned` rollback, the author edits it to `p1-incident` (PM not required): still vetoed", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 110, author: "rita-release", files: ROLLBACK_FILES, body: rollbackBody("planned") });
    await w.pullEvent("opened", 110);
    await w.submit(110, "pat-pm", "CHANGES_REQUESTED");
    w.app.clock.advanceMinutes(5);
    w.pull(110).body = rollbackBody("p1-incident");
    await w.pullEvent("edited", 110, { changes: { body: { from: rollbackBody("planned") } } });
    for (const who of ["olga-oncall", "ana-owner"]) await w.submit(110, who, "APPROVED");
    const check = w.lastCheck();
    expect(check).toMatchObject({ conclusion: "failure", output: { title: `Vetoed by ${u("pat-pm")} (Product Manager)` } });
    expect(check.output.summary).toContain("1. **Rollback P3 → P2: P1 incident** ❌ does not pass yet.");
    expect(check.output.summary).toContain("veto: On-Call, Ingestion Owner and Product Manager; four eyes");
    expect(check.output.summary).toContain(
      "   - the description declares the rollback type `p1-incident` (P1 incident): the author's claim, so any role of the rollback authority (On-Call, Ingestion Owner and Product Manager) may veto it, whatever type is declared; approvals given before it last changed do not count",
    );
    expect(check.output.summary).toContain(`- ${u("pat-pm")} (Product Manager) requested changes: blocks Rollback P3 → P2: P1 incident`);
  });

  it("on an `emergency` rollback the Ingestion Owner's and the PM's change requests block (only on-call decides it)", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 111, author: "oscar-oncall", files: ROLLBACK_FILES, body: rollbackBody("emergency") });
    await w.pullEvent("opened", 111);
    await w.submit(111, "olga-oncall", "APPROVED");
    expect(w.lastCheck().conclusion).toBe("success");
    await w.submit(111, "ana-owner", "CHANGES_REQUESTED");
    await w.submit(111, "pat-pm", "CHANGES_REQUESTED");
    expect(w.lastCheck()).toMatchObject({ conclusion: "failure", output: { title: `Vetoed by ${u("ana-owner")} (Ingestion Owner) and ${u("pat-pm")} (Product Manager)` } });
  });

  it("approvals given before the rollback type changed do not count; approving again does", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 112, author: "rita-release", files: ROLLBACK_FILES, body: rollbackBody("planned") });
    await w.pullEvent("opened", 112);
    for (const who of ["ana-owner", "pat-pm"]) await w.submit(112, who, "APPROVED");
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Rollback P3 → P2: Planned (bug found)" } });
    // Charter keeps its record of the declaration in its own check run
    expect(w.lastCheck().external_id).toMatch(/^charter-selection:v1:[A-Za-z0-9_-]{22}:2025-06-02T10:00:00\.000Z$/);
    expect(w.requests).toContain(`GET /repos/acme/ingestion/commits/${w.pull(112).headSha}/check-runs?check_name=Charter sign-off&app_id=1&filter=latest&per_page=10`);

    // client-request is decided by the same two people: their earlier approvals must not carry over
    w.app.clock.advanceMinutes(5);
    w.pull(112).body = rollbackBody("client-request");
    await w.pullEvent("edited", 112, { changes: { body: { from: rollbackBody("planned") } } });
    const check = w.lastCheck();
    expect(check).toMatchObject({ conclusion: "failure", output: { title: "Waiting for Ingestion Owner and Product Manager" } });
    expect(check.output.summary).toContain(`- ${u("ana-owner")}: approved before the rollback type changed to \`client-request\` (Client request) at 2025-06-02T10:05:00.000Z: approve again`);
    expect(check.output.summary).toContain("Charter's record of what the description declares: the rollback type `client-request` (Client request), as it is since 2025-06-02T10:05:00.000Z. Approvals given before then do not count.");

    w.app.clock.advanceMinutes(1);
    for (const who of ["ana-owner", "pat-pm"]) await w.submit(112, who, "APPROVED");
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Rollback P3 → P2: Client request" } });
  });

  it("a server clock behind GitHub's cannot let approvals given just before the edit count: the change is dated by GitHub's `updated_at`", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 118, author: "rita-release", files: ROLLBACK_FILES, body: rollbackBody("planned") });
    await w.pullEvent("opened", 118);
    // GitHub's clock is 30 s ahead of Charter's: approvals at 10:05:10, the edit at 10:05:30 (GitHub), evaluated at 10:05:00 (Charter)
    for (const who of ["ana-owner", "pat-pm"]) w.review(118, who, "APPROVED", { at: "2025-06-02T10:05:10Z" });
    w.app.clock.set("2025-06-02T10:05:00Z");
    w.pull(118).body = rollbackBody("client-request");
    w.pull(118).updatedAt = "2025-06-02T10:05:30Z";
    await w.pullEvent("edited", 118, { changes: { body: { from: rollbackBody("planned") } } });
    expect(w.lastCheck()).toMatchObject({ conclusion: "failure", output: { title: "Waiting for Ingestion Owner and Product Manager" } });
    expect(w.lastCheck().output.summary).toContain(`- ${u("pat-pm")}: approved before the rollback type changed to \`client-request\` (Client request) at 2025-06-02T10:05:30.000Z: approve again`);
  });

  it("a record written by another app or workflow (same check name, a fingerprint anyone can compute) is never read", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 117, author: "rita-release", files: ROLLBACK_FILES, body: rollbackBody("planned") });
    await w.pullEvent("opened", 117);
    for (const who of ["ana-owner", "pat-pm"]) await w.submit(117, who, "APPROVED");
    w.app.clock.advanceMinutes(5);
    w.pull(117).body = rollbackBody("client-request");
    await w.pullEvent("edited", 117, { changes: { body: { from: rollbackBody("planned") } } });
    const charters = w.lastCheck().external_id!;
    expect(w.lastCheck().output.title).toBe("Waiting for Ingestion Owner and Product Manager");
    // a workflow with checks: write posts a run named like Charter's, back-dating client-request's record
    const forged = charters.replace(/:[^:]+$/, "").concat(":2025-06-01T00:00:00.000Z");
    w.foreignChecks.push({ ...w.lastCheck(), conclusion: "success", external_id: forged, appId: 15368 });
    w.app.clock.advanceMinutes(1);
    await w.rerequest(117);
    expect(w.lastCheck()).toMatchObject({ conclusion: "failure", output: { title: "Waiting for Ingestion Owner and Product Manager" } });
    expect(w.lastCheck().external_id).toBe(charters);
  });

  it("a push keeps Charter's record when the type did not change; a commit Charter never saw starts a new one (fail closed)", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 116, author: "rita-release", files: ROLLBACK_FILES, body: rollbackBody("planned") });
    await w.pullEvent("opened", 116);
    w.app.clock.advanceMinutes(10);
    const old = w.pull(116).headSha;
    w.pushTo(116, { "docs/rollback.md": "why" });
    // both approve the new head before Charter sees the push
    for (const who of ["ana-owner", "pat-pm"]) w.review(116, who, "APPROVED");
    w.app.clock.advanceMinutes(1);
    await w.pullEvent("synchronize", 116, { before: old });
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Rollback P3 → P2: Planned (bug found)" } });
    expect(w.requests).toContain(`GET /repos/acme/ingestion/commits/${old}/check-runs?check_name=Charter sign-off&app_id=1&filter=latest&per_page=10`);

    // the same on a commit whose predecessor Charter cannot tell (a missed push): approvals before now do not count
    w.pushTo(116, { "docs/rollback.md": "why, again" });
    for (const who of ["ana-owner", "pat-pm"]) w.review(116, who, "APPROVED");
    w.app.clock.advanceMinutes(1);
    await w.reviewEvent("submitted", 116, w.pull(116).reviews.at(-1)!);
    expect(w.lastCheck()).toMatchObject({ conclusion: "failure", output: { title: "Waiting for Ingestion Owner and Product Manager" } });
    expect(w.lastCheck().output.summary).toContain(`- ${u("ana-owner")}: approved before Charter recorded the rollback type \`planned\` (Planned (bug found)) for this commit (at 2025-06-02T10:12:00.000Z): approve again`);
  });

  it("a hidden `<!-- charter:rollback type=… -->` marker in someone else's pull request counts for nothing, and the check says so", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 113, author: "oscar-oncall", files: ROLLBACK_FILES, body: `<!-- charter:rollback type=emergency -->\n${FORM}` });
    await w.pullEvent("opened", 113);
    const check = w.lastCheck();
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toMatch(/^Rollback P3 → P2 refused: a rollback must declare its type in the description/);
    expect(check.output.summary).toContain(
      "   - ⚠️ the hidden `<!-- charter:rollback … -->` marker in the description was ignored: only Charter's own pull requests declare a rollback type that way (sealed); write a visible `Rollback type: <type>` line",
    );
  });

  it("a sealed request marker copied into someone else's pull request counts for nothing", async () => {
    const w = await SignoffWorld.create();
    const marker = sealedRequest({ kind: "rollback", issue: 7, by: "olga-oncall", from: "P3", to: "P2", rollbackType: "emergency" }, "feature-114");
    w.openPull({ number: 114, author: "mallory", files: ROLLBACK_FILES, body: `${marker}\n${rollbackBody("planned")}` });
    w.review(114, "olga-oncall", "APPROVED");
    await w.pullEvent("opened", 114);
    const check = w.lastCheck();
    expect(check.output.title).toBe("Waiting for Ingestion Owner and Product Manager");
    expect(check.output.summary).toContain(
      `   - ⚠️ a Charter request marker in the description was ignored: this pull request was opened by ${u("mallory")}, not by Charter (${u("charter[bot]")}): a request marker counts only on Charter's own pull requests`,
    );
  });

  it("on Charter's own rollback pull request the type is the sealed one: the visible line is not read, and an edited marker refuses the gate", async () => {
    const w = await SignoffWorld.create();
    const head = "charter/rollback-p2-7";
    const marker = sealedRequest({ kind: "rollback", issue: 7, by: "ana-owner", from: "P3", to: "P2", rollbackType: "planned" }, head);
    const body = `${marker}\n${rollbackBody("emergency")}`;
    w.openPull({ number: 115, author: "charter[bot]", headRef: head, files: ROLLBACK_FILES, body });
    w.review(115, "olga-oncall", "APPROVED");
    await w.pullEvent("opened", 115);
    let check = w.lastCheck();
    expect(check.output.title).toBe("Waiting for Ingestion Owner and Product Manager");
    expect(check.output.summary).toContain("1. **Rollback P3 → P2: Planned (bug found)** ❌");
    expect(check.output.summary).toContain(`   - Charter's sealed request (asked by ${u("ana-owner")} in #7) is a rollback of type \`planned\` (Planned (bug found))`);
    expect(check.output.summary).toContain("   - ⚠️ the description's `Rollback type:` line was not read: the type is the one sealed in Charter's request (`planned`), which nobody can edit");
    // no record is needed: nothing the description says selects the gate
    expect(check.external_id).toBeUndefined();

    // a writer edits the sealed marker to ask for an emergency rollback
    w.pull(115).body = body.replace('"rollbackType":"planned"', '"rollbackType":"emergency"');
    await w.pullEvent("edited", 115, { changes: { body: { from: body } } });
    check = w.lastCheck();
    expect(check.output.title).toMatch(/^Rollback P3 → P2 refused: Charter's request marker in the description does not verify, so Charter cannot tell which rollback was asked for/);
    expect(check.output.summary).toContain(
      "   - 🚫 **Refused:** Charter's request marker in the description does not verify, so Charter cannot tell which rollback was asked for: close this pull request and ask again with `/rollback`. Why it does not verify: the request marker's seal does not match (the description was edited, or the marker was copied from elsewhere)",
    );
  });
});

describe("[3] confirmations are bound to the confirming person", () => {
  it("all three GA approvals arrive without confirmations; the author ticks them in the description afterwards: still red, saying what to paste and who may", async () => {
    const w = await SignoffWorld.create();
    const unticked = GA_BODY.replace(/\[x\]/g, "[ ]");
    w.openPull({ number: 120, author: "rita-release", files: GA_FILES, body: unticked });
    await w.pullEvent("opened", 120);
    for (const who of ["ana-owner", "pat-pm", "sam-sre"]) await w.submit(120, who, "APPROVED", { body: "LGTM" });
    w.pull(120).body = GA_BODY;
    await w.pullEvent("edited", 120, { changes: { body: { from: unticked } } });
    const check = w.lastCheck();
    expect(check).toMatchObject({ conclusion: "failure", output: { title: "3 confirmations not given" } });
    expect(check.output.summary).toContain(
      [
        "- `- [x] Technical criteria met, system stable` by Ingestion Owner (" + `${u("ana-owner")}, ${u("ben-owner")} (backup)) (ticked in the description, which does not count)`,
        "- `- [x] Client feedback acceptable, no blockers` by Product Manager (" + `${u("pat-pm")}, ${u("paula-pm")} (backup)) (ticked in the description, which does not count)`,
        "- `- [x] Infra stable, monitoring adequate, on-call trained` by SRE Lead (" + `${u("sam-sre")}, ${u("sid-sre")} (backup)) (ticked in the description, which does not count)`,
      ].join("\n"),
    );
  });

  it("a confirmation written by someone who does not hold its role, in a comment, in a quote, or on an older commit does not count", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 121, author: "rita-release", files: GA_FILES });
    await w.pullEvent("opened", 121);
    // the owner writes the PM's confirmation; the PM comments it (not an approval) and quotes it in an approval
    await w.submit(121, "ana-owner", "APPROVED", { body: "- [x] Technical criteria met, system stable\n- [x] Client feedback acceptable, no blockers" });
    await w.submit(121, "pat-pm", "COMMENTED", { body: "- [x] Client feedback acceptable, no blockers" });
    await w.submit(121, "pat-pm", "APPROVED", { body: "> - [x] Client feedback acceptable, no blockers\n\nAs the release manager wrote above." });
    const old = w.pull(121).headSha;
    await w.submit(121, "sam-sre", "APPROVED", confirming("sam-sre"));
    let check = w.lastCheck();
    expect(check.output.title).toBe("1 confirmation not given");
    expect(check.output.summary).toContain("- `- [x] Client feedback acceptable, no blockers` by Product Manager");
    // a new commit: the SRE Lead's confirmation was given on the old one
    w.pushTo(121, { "docs/ga.md": "notes" });
    await w.pullEvent("synchronize", 121, { before: old });
    for (const who of ["ana-owner", "pat-pm"]) await w.submit(121, who, "APPROVED", confirming(who));
    await w.submit(121, "sam-sre", "APPROVED", { body: "still fine" });
    check = w.lastCheck();
    expect(check.output.title).toBe("1 confirmation not given");
    expect(check.output.summary).toContain("- `- [x] Infra stable, monitoring adequate, on-call trained` by SRE Lead");
  });
});

describe("[4] state-file changes are judged whole", () => {
  const rolledBack = (entries: string[]) => d9Files()["state/log.yml"]!.replace("entries: []", `entries:\n${entries.map((e) => `  - ${e}`).join("\n")}`);
  const legit = "{ id: rollback-9, timestamp: 2025-06-02T10:00:00Z, action: rollback, actor: oscar-oncall, from_phase: P3, to_phase: P2, rollback_type: emergency }";
  const invented = '{ id: advance-9, timestamp: 2025-06-02T10:00:00Z, action: advance, actor: rita-release, from_phase: P3, to_phase: P4, approval: "signed off by ana-owner, pat-pm, sam-sre" }';

  it("an emergency rollback signed by on-call also appends an invented advance: the owners of governance/ must sign, and the check names the entry", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 130, author: "oscar-oncall", files: { ...ROLLBACK_FILES, "governance/state/log.yml": rolledBack([legit, invented]) }, body: rollbackBody("emergency") });
    w.review(130, "olga-oncall", "APPROVED");
    await w.pullEvent("opened", 130);
    const check = w.lastCheck();
    expect(check).toMatchObject({ conclusion: "failure", output: { title: "Waiting for Ingestion Owner, SRE Lead and Product Manager" } });
    expect(check.output.summary).toContain("2. **OWNERS /governance/** ❌ does not pass yet.");
    expect(check.output.summary).toContain(
      `governance/state/log.yml: the added entry \`advance-9\` (\`advance\` \`P3\` → \`P4\` by ${u("rita-release")}) matches no transition of this pull request: it records an advance, and this pull request rolls back P3 → P2 (\`emergency\`)`,
    );
    // the same pull request with only its own entry needs nobody else
    w.pushTo(130, { "governance/state/log.yml": rolledBack([legit]) });
    w.review(130, "olga-oncall", "APPROVED");
    await w.pullEvent("synchronize", 130);
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Rollback P3 → P2: Emergency (data at risk)" } });
  });

  it("an entry naming someone else as its actor, or a second entry for the same transition, needs the owners of governance/", async () => {
    const w = await SignoffWorld.create();
    const other = legit.replace("actor: oscar-oncall", "actor: ana-owner");
    w.openPull({ number: 131, author: "oscar-oncall", files: { ...ROLLBACK_FILES, "governance/state/log.yml": rolledBack([other, legit.replace("rollback-9", "rollback-10")]) }, body: rollbackBody("emergency") });
    await w.pullEvent("opened", 131);
    const summary = w.lastCheck().output.summary;
    expect(summary).toContain(
      `the added entry \`rollback-9\` (\`rollback\` \`P3\` → \`P2\` by ${u("ana-owner")}) names ${u("ana-owner")} as its actor, but the entry for this transition must name ${u("oscar-oncall")}, the author of this pull request`,
    );
    expect(summary).toContain("the added entry `rollback-10` (`rollback` `P3` → `P2` by " + `${u("oscar-oncall")}) matches no transition of this pull request: it records rolls back P3 → P2 (\`emergency\`) a second time (one entry per transition)`);
  });

  it("on Charter's own pull request the actor is the requester sealed in its request", async () => {
    const w = await SignoffWorld.create();
    const head = "charter/rollback-p2-9";
    const marker = sealedRequest({ kind: "rollback", issue: 9, by: "olga-oncall", from: "P3", to: "P2", rollbackType: "emergency" }, head);
    const byOlga = legit.replace("actor: oscar-oncall", "actor: olga-oncall");
    w.openPull({ number: 132, author: "charter[bot]", headRef: head, files: { ...ROLLBACK_FILES, "governance/state/log.yml": rolledBack([byOlga]) }, body: `${marker}\n${FORM}` });
    w.review(132, "omar-oncall", "APPROVED");
    await w.pullEvent("opened", 132);
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Rollback P3 → P2: Emergency (data at risk)" } });
    // a writer pushes the entry with another actor
    w.pushTo(132, { "governance/state/log.yml": rolledBack([legit]) });
    w.review(132, "omar-oncall", "APPROVED");
    await w.pullEvent("synchronize", 132);
    expect(w.lastCheck().output.summary).toContain(`must name ${u("olga-oncall")}, who asked Charter for it, as its sealed request records`);
  });
});

describe("[5] unreadable teams do not drop vetoes", () => {
  const sreTeam = () => d9Files()["roles.yml"]!.replace("holders: [sam-sre]", "holders: [sam-sre, acme/sre]");

  it("a change request by someone who may be a member of a team Charter cannot read (403) counts as a veto, and the check says what permission fixes it", async () => {
    const w = await SignoffWorld.create({ governance: { "roles.yml": sreTeam() } });
    w.teamStatus.set("acme/sre", 403);
    w.openPull({ number: 140, files: GA_FILES });
    await w.pullEvent("opened", 140);
    for (const who of ["ana-owner", "pat-pm", "sam-sre"]) await w.submit(140, who, "APPROVED", confirming(who));
    await w.submit(140, "tess-sre", "CHANGES_REQUESTED", { body: "On-call is not trained yet." });
    const check = w.lastCheck();
    expect(check).toMatchObject({ conclusion: "failure", output: { title: `Vetoed by ${u("tess-sre")} (possibly SRE Lead); members of ${u("acme/sre")} cannot be read` } });
    expect(check.output.summary).toContain(
      `- ${u("tess-sre")} (possibly SRE Lead) requested changes and may be a member of ${u("acme/sre")} (SRE Lead), whose members Charter cannot read: counted as a veto (fail closed): blocks ${GA}`,
    );
    expect(check.output.summary).toContain(
      `- ${u("acme/sre")}: GitHub answered 403, Charter may not read the organization's members. Give the Charter app the organization permission **Members: read**`,
    );
    // a holder of the role (sam-sre) dismisses it: lifted
    w.dismiss(140, w.pull(140).reviews.at(-1)!.id as number, "sam-sre");
    await w.reviewEvent("dismissed", 140, w.pull(140).reviews.at(-1)!);
    expect(w.lastCheck().conclusion).toBe("success");
  });

  it("a role held only by a team Charter cannot read (404) signs nobody, and the check says so", async () => {
    const w = await SignoffWorld.create({ governance: { "roles.yml": d9Files()["roles.yml"]!.replace("holders: [sam-sre]", "holders: [acme/sre]").replace("backups: [sid-sre]", "backups: []") } });
    w.openPull({ number: 141, files: GA_FILES });
    for (const who of ["ana-owner", "pat-pm", "tess-sre"]) w.review(141, who, "APPROVED", confirming(who));
    await w.pullEvent("opened", 141);
    const check = w.lastCheck();
    expect(check.output.title).toBe(`Waiting for SRE Lead; members of ${u("acme/sre")} cannot be read`);
    expect(check.output.summary).toContain(`- SRE Lead: nobody: held only by ${u("acme/sre")}, whose members Charter cannot read`);
    expect(check.output.summary).toContain(`- ${u("acme/sre")}: GitHub answered 404: the team does not exist, or it is secret and Charter cannot see it.`);
  });
});

describe("[6] user text echoed into the check cannot hide what follows or mention anyone", () => {
  const reason = "checksums <!-- the rest of this check is hidden | @acme/everyone look --> ok";

  it("a kill-switch reason with `<!--`, `|` and `@team` shows the vetoes and blockers after it, and mentions nobody", async () => {
    const w = await SignoffWorld.create({
      governance: { "state/killswitch.yml": `version: 1\nswitches:\n  global: { active: true, since: 2025-06-02T09:12:00Z, by: oscar-oncall, scenario: error-rate-20, reason: "${reason}" }\n` },
    });
    w.openIncident(7, "Down <!-- hide --> @acme/everyone", "P1");
    w.openPull({ number: 150, files: GA_FILES });
    await w.pullEvent("opened", 150);
    await w.submit(150, "pat-pm", "CHANGES_REQUESTED");
    const { title, summary } = w.lastCheck().output;
    expect(summary.match(/<!--/g)).toBeNull();
    expect(summary).not.toMatch(/@acme\/everyone/);
    expect(summary).toContain("reason: checksums &lt;!-- the rest of this check is hidden \\| @\u200bacme/everyone look --&gt; ok)");
    expect(summary).toContain("incident [#7](https://github.com/acme/ingestion/issues/7) Down &lt;!-- hide --&gt; @\u200bacme/everyone (severity P1) is open");
    // what follows the reason is all there
    expect(summary.indexOf("**Who could still sign:**")).toBeGreaterThan(summary.indexOf("reason: checksums"));
    expect(summary).toContain(`- ${u("pat-pm")} (Product Manager) requested changes: blocks ${GA}`);
    expect(title).toBe(`Waiting for Ingestion Owner and SRE Lead; vetoed by ${u("pat-pm")} (Product Manager); frozen by incident #7 (P1) and active kill-switch global`);

    // /explain, a comment that would notify: nothing mentioned, one marker only
    await w.comment(150, "newcomer", "/explain");
    const explain = String(w.comments.get(150)!.find((c) => String(c.body).startsWith("<!-- charter:explain -->"))!.body);
    expect(explain.match(/<!--/g)).toHaveLength(1);
    expect(explain).not.toMatch(/@[A-Za-z0-9]/);
  });

  it("a file name with `<!--`, `|`, a backtick and `@team` is shown inert", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 151, files: { "infra/<!--x-->|`@acme/dba`.tf": "x" } });
    await w.pullEvent("opened", 151);
    const { summary } = w.lastCheck().output;
    expect(summary).toContain("   - changes ``infra/&lt;!--x--&gt;\\|`@\u200bacme/dba`.tf`` (OWNERS line 7: `/infra/`)");
    expect(summary.match(/<!--/g)).toBeNull();
  });
});

describe("`anyone` means a reviewer with access to the repository", () => {
  it("an outsider's approval on a public repository does not sign an `anyone` gate", async () => {
    const authority = d9Files()["authority.yml"]!.replace("- { from: P0, to: P1, require: [ingestion-owner], veto: any-approver, activity: go-no-go-decision }", "- { from: P0, to: P1, require: [anyone], veto: none }");
    const w = await SignoffWorld.create({ governance: { "authority.yml": authority, "state/phase.yml": phaseYml("P0") } });
    w.openPull({ number: 160, files: { "governance/state/phase.yml": phaseYml("P1") } });
    w.review(160, "stranger", "APPROVED", { association: "NONE" });
    await w.pullEvent("opened", 160);
    expect(w.lastCheck()).toMatchObject({ conclusion: "failure", output: { title: "Waiting for Anyone" } });
    expect(w.lastCheck().output.summary).toContain(
      `- ${u("stranger")}: approved, but has no access to this repository: \`anyone\` means people with access (GitHub's author association of the review), never any GitHub user`,
    );
    await w.submit(160, "carl-collaborator", "APPROVED", { association: "COLLABORATOR" });
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Phase gate P0 → P1" } });
  });
});
