/**
 * Pull requests as approval requests beyond phase gates: rollbacks with the sign-off form,
 * kill-switch resumes, OWNERS with teams and membership changes, RACI review requests and the one
 * Informed comment, `/explain`, and "Re-run" on the check.
 */
import { afterEach, describe, expect, it } from "vitest";
import * as o from "../emulator/objects.js";
import { d9Files } from "../support/governance-mock.js";
import { closeWorld, GA_BODY, phaseYml, SignoffWorld } from "./world.js";

afterEach(closeWorld);

const ROLLBACK_BODY = [
  "<!-- charter:rollback type=planned -->",
  "## Rollback sign-off: phase P3 → P2",
  "",
  "Rollback type: **Planned (bug found)** (`planned`).",
  "",
  "**Date:** 2025-06-02",
  "**Time:** 10:00 UTC",
  "**Rolled back from:** P3",
  "**Rolled back to:** P2",
  "**Reason:**",
  "- [x] Error rate exceeded threshold",
  "- [ ] Other: ____",
  "",
  "**Authorized by:** @ana-owner (Role: Ingestion Owner)",
  "**Approved by:** pending",
  "**Next steps:** investigation assigned to @dora-db",
].join("\n");

describe("rollback", () => {
  it("needs the declared type's roles and a complete sign-off form", async () => {
    const w = await SignoffWorld.create();
    const incomplete = ROLLBACK_BODY.replace("**Time:** 10:00 UTC", "**Time:** ____").replace("**Next steps:** investigation assigned to @dora-db", "**Next steps:**");
    w.openPull({ number: 80, files: { "governance/state/phase.yml": phaseYml("P2") }, body: incomplete });
    for (const who of ["ana-owner", "pat-pm"]) w.review(80, who, "APPROVED");
    await w.pullEvent("opened", 80);
    const check = w.lastCheck();
    expect(check).toMatchObject({ conclusion: "failure", output: { title: "Rollback form incomplete (Time, Next steps)" } });
    expect(check.output.summary).toContain("1. **Rollback P3 → P2: Planned (bug found)** ❌ does not pass yet.");
    expect(check.output.summary).toContain("   - the description declares the rollback type `planned` (Planned (bug found))");
    expect(check.output.summary).toContain("**Sign-off form** of Rollback P3 → P2: Planned (bug found): fill in `Time:`, `Next steps:` in the description.");
    w.pull(80).body = ROLLBACK_BODY;
    await w.pullEvent("edited", 80, { changes: { body: { from: incomplete } } });
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Rollback P3 → P2: Planned (bug found)" } });
    // rollback-decision: A ingestion-owner (signed), C sre-lead + product-manager (signed) → asks sam-sre; I support-lead
    expect(w.reviewRequests).toEqual([{ pr: 80, reviewers: ["sam-sre"] }]);
  });

  it("without a declared type it is refused, saying how to declare one", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 81, files: { "governance/state/phase.yml": phaseYml("P2") }, body: "Roll back please" });
    await w.pullEvent("opened", 81);
    expect(w.lastCheck()).toMatchObject({
      conclusion: "failure",
      output: { title: "Rollback P3 → P2 refused: a rollback must declare its type in the description: add a line `Rollback type: <type>` (one of `emergency`, `p1-incident`, `planned`, `client-request`)" },
    });
    expect(w.lastCheck().output.summary).toContain("   - 🚫 **Refused:** a rollback must declare its type");
  });
});

describe("kill-switch resume", () => {
  const active = "version: 1\nswitches:\n  global: { active: true, since: 2025-06-02T09:40:00Z, by: oscar-oncall, scenario: data-corruption, reason: checksum mismatch }\n";
  const resumed = "version: 1\nswitches:\n  global: { active: false }\n";

  it("after a data-integrity event needs Ingestion Owner, SRE Lead and PM, and 'Investigation complete' ticked", async () => {
    const w = await SignoffWorld.create({ governance: { "state/killswitch.yml": active } });
    w.openPull({ number: 85, author: "oscar-oncall", files: { "governance/state/killswitch.yml": resumed }, body: "- [x] Investigation complete" });
    for (const who of ["ana-owner", "sam-sre", "pat-pm"]) w.review(85, who, "APPROVED");
    await w.pullEvent("opened", 85);
    // ticked in the description by the author: counts for nothing
    expect(w.lastCheck()).toMatchObject({ conclusion: "failure", output: { title: "1 confirmation not given" } });
    expect(w.lastCheck().output.summary).toContain(
      "- `- [x] Investigation complete` (a `verify` step of authority.yml `kill_switch.resume[0]`) by Ingestion Owner (@\u200bana-owner, @\u200bben-owner (backup)) or SRE Lead (@\u200bsam-sre, @\u200bsid-sre (backup)) or Product Manager (@\u200bpat-pm, @\u200bpaula-pm (backup)) (ticked in the description, which does not count)",
    );
    expect(w.lastCheck().output.summary).toContain("1. **Resume kill-switch `global`: Data integrity event** ❌ does not pass yet.");
    expect(w.lastCheck().output.summary).toContain("   - governance/state/killswitch.yml turns off the active kill-switch `global` (paused since 2025-06-02T09:40:00Z; scenario `data-corruption` (a data-integrity event))");
    // a holder of a required signer confirms it in the text of their approving review
    await w.submit(85, "sam-sre", "APPROVED", { body: "- [x] Investigation complete" });
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Resume kill-switch `global`: Data integrity event" } });
  });

  it("a short pause is resumed by on-call alone, with the log entry the resume appends", async () => {
    const w = await SignoffWorld.create({ governance: { "state/killswitch.yml": "version: 1\nswitches:\n  global: { active: true, since: 2025-06-02T09:30:00Z, by: oscar-oncall, scenario: error-rate-20 }\n" } });
    const log = d9Files()["state/log.yml"]!.replace(
      "entries: []",
      "entries:\n  - { id: resume-global-1, timestamp: 2025-06-02T10:00:00Z, action: resume-requested, actor: oscar-oncall, scope: global }",
    );
    w.openPull({ number: 87, author: "oscar-oncall", files: { "governance/state/killswitch.yml": resumed, "governance/state/log.yml": log } });
    w.review(87, "olga-oncall", "APPROVED", { body: "Uploads work again.\n\n- [x] Test upload passes" });
    await w.pullEvent("opened", 87);
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Resume kill-switch `global`: < 1 hour pause" } });
  });

  it("editing killswitch.yml to activate a switch needs the owners of governance/", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 86, author: "mallory", files: { "governance/state/killswitch.yml": "version: 1\nswitches:\n  global: { active: true, since: 2025-06-02T09:40:00Z, by: mallory, scenario: data-corruption }\n" } });
    await w.pullEvent("opened", 86);
    expect(w.lastCheck().output.title).toBe("Waiting for Ingestion Owner, SRE Lead and Product Manager");
    expect(w.lastCheck().output.summary).toContain("the kill-switch `global` is activated by hand: no resume rule governs this change, so the owners of governance/ sign (fail safe)");
  });
});

describe("OWNERS teams and membership", () => {
  it("a team owner signs through any member; a membership change re-evaluates", async () => {
    const owners = d9Files()["OWNERS"]!.replace("/db/migrations/         database-owner", "/db/migrations/         @acme/dba");
    const w = await SignoffWorld.create({ governance: { OWNERS: owners } });
    w.teams.set("acme/dba", ["dora-db"]);
    w.openPull({ number: 90, files: { "db/migrations/002_index.rb": "add_index" } });
    w.review(90, "dan-db", "APPROVED");
    await w.pullEvent("opened", 90);
    expect(w.requests).toContain("GET /orgs/acme/teams/dba/members?per_page=100");
    expect(w.lastCheck()).toMatchObject({ conclusion: "failure", output: { title: "Waiting for @\u200bacme/dba" } });
    // cached: a review event does not read the team again
    w.reset();
    await w.submit(90, "ned-dev", "COMMENTED");
    expect(w.requests.some((r) => r.includes("/teams/"))).toBe(false);
    w.teams.set("acme/dba", ["dora-db", "dan-db"]);
    await w.membership("added", "acme/dba", "dan-db");
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: OWNERS /db/migrations/" } });
  });
});

describe("RACI on pull requests", () => {
  it("requests reviews from Accountable holders who have not signed and Consulted holders, once; mentions Informed roles in one comment, edited not repeated", async () => {
    const w = await SignoffWorld.create({ governance: { "state/phase.yml": phaseYml("P0") } });
    w.openPull({ number: 95, author: "pat-pm", files: { "governance/state/phase.yml": phaseYml("P1") }, requested: ["olga-oncall"] });
    await w.pullEvent("opened", 95);
    // go-no-go-decision: A ingestion-owner; C on-call (olga, omar) + sre-lead; I support-lead; never the author, never olga again
    expect(w.reviewRequests).toEqual([{ pr: 95, reviewers: ["ana-owner", "omar-oncall", "sam-sre"] }]);
    const comments = w.comments.get(95)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toBe(
      "<!-- charter:informed -->\nFor your information (RACI: Informed): this pull request is **Go/No-Go decision** (governance/authority.yml `raci`). No action is needed from you.\n\n- Support Lead: @sue-support",
    );
    // another event after GitHub dropped Charter's requests (as it does once someone reviews):
    // nobody is asked twice, and the comment is not repeated
    w.pull(95).requested = ["olga-oncall"];
    await w.pullEvent("synchronize", 95);
    expect(w.reviewRequests).toHaveLength(1);
    expect(w.comments.get(95)).toHaveLength(1);
    // a changed file adds an activity (feature-flag-config: I product-manager, support-lead): the comment is edited
    w.pushTo(95, { "config/flags/ingestion.yml": "enabled: true" });
    await w.pullEvent("synchronize", 95);
    expect(w.comments.get(95)).toHaveLength(1);
    expect(w.comments.get(95)![0]!.body).toContain("this pull request is **Go/No-Go decision**, **Feature flag config**");
    expect(w.requests.filter((r) => r.startsWith("PATCH "))).toHaveLength(1);
  });

  it("another app's comment carrying the RACI marker is not Charter's notice: Charter posts its own and leaves the other alone", async () => {
    const w = await SignoffWorld.create({ governance: { "state/phase.yml": phaseYml("P0") } });
    w.openPull({ number: 97, author: "pat-pm", files: { "governance/state/phase.yml": phaseYml("P1") } });
    const planted = o.issueComment({ repo: "acme/ingestion", issue_number: 97, id: 8999, body: "<!-- charter:informed -->\nNothing to see here.", user: "other-app[bot]" });
    w.comments.set(97, [planted]);
    await w.pullEvent("opened", 97);
    const comments = w.comments.get(97)!;
    expect(comments.map((c) => (c.user as { login: string }).login)).toEqual(["other-app[bot]", "charter[bot]"]);
    expect(comments[0]!.body).toBe("<!-- charter:informed -->\nNothing to see here.");
    expect(String(comments[1]!.body)).toContain("For your information (RACI: Informed)");
    expect(w.requests.filter((r) => r.startsWith("PATCH "))).toEqual([]);
  });

  it("asks nobody while the pull request is a draft", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 96, draft: true, files: { "governance/state/phase.yml": phaseYml("P4") }, body: GA_BODY });
    await w.pullEvent("opened", 96);
    expect(w.reviewRequests).toEqual([]);
    expect(w.comments.get(96)).toBeUndefined();
    w.pull(96).draft = false;
    await w.pullEvent("ready_for_review", 96);
    expect(w.reviewRequests).toEqual([{ pr: 96, reviewers: ["ana-owner"] }]);
  });
});

describe("/explain and re-run", () => {
  it("/explain posts the tree in words, then edits the same comment", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 97, files: { "governance/state/phase.yml": phaseYml("P4") }, body: GA_BODY });
    w.review(97, "ana-owner", "APPROVED");
    w.review(97, "pat-pm", "CHANGES_REQUESTED");
    await w.comment(97, "newcomer", "/explain");
    const explain = () => (w.comments.get(97) ?? []).filter((c) => String(c.body).startsWith("<!-- charter:explain -->"));
    expect(explain()).toHaveLength(1);
    const body = String(explain()[0]!.body);
    expect(body).toContain("#### ❌ Phase gate P3 → P4 (GA)");
    expect(body).toContain("- **Ingestion Owner**: signed by @\u200bana-owner.");
    expect(body).toContain("- **Product Manager**: vetoed by @\u200bpat-pm. A change request stands until the same person approves, or it is dismissed by them or another holder of the role. Could sign: @\u200bpat-pm and @\u200bpaula-pm.");
    expect(body).toContain("- **SRE Lead**: not signed yet. Could sign: @\u200bsam-sre and @\u200bsid-sre.");
    expect(w.reactions.at(-1)?.content).toBe("+1");
    await w.submit(97, "pat-pm", "APPROVED");
    await w.comment(97, "newcomer", "/explain");
    expect(explain()).toHaveLength(1);
    expect(String(explain()[0]!.body)).toContain("- **Product Manager**: signed by @\u200bpat-pm.");
  });

  it("'Re-run' on the check writes it again even when unchanged", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 98, files: { "infra/main.tf": "x" } });
    await w.pullEvent("opened", 98);
    await w.pullEvent("labeled", 98, { label: "infra" });
    expect(w.checkRuns).toHaveLength(1);
    await w.rerequest(98);
    expect(w.checkRuns).toHaveLength(2);
    expect(w.checkRuns[1]).toEqual({ ...w.checkRuns[0], completed_at: w.checkRuns[1]!.completed_at });
  });
});
