/**
 * Issue 14, item 5: break-glass. A role allowed by authority.yml `break_glass.who` runs
 * `/breakglass <reason>` on a pull request: the gate passes now (the check says break-glass, by
 * whom, why), it is logged in governance/state/log.yml, and a review issue opens that the named
 * roles must sign within 24 h, escalating through the ladder when they do not. Then the abuses:
 * the author without the role, another app, a push after the break-glass, a governance change,
 * edited comments and issue bodies, a hand-made log entry, a refused log write, and signing one's
 * own break-glass.
 */
import { afterEach, describe, expect, it } from "vitest";
import { verifyChain } from "../../src/core/log/chain.js";
import { REPO } from "../faults/support/world.js";
import { BreakGlassWorld, T0 } from "./world.js";

let world: BreakGlassWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const u = (login: string) => `@\u200b${login}`;
const hours = (h: number) => new Date(Date.parse(T0) + h * 3_600_000).toISOString();
const REASON = "hotfix: uploads are corrupting client data (incident #7)";

async function broken(): Promise<{ b: BreakGlassWorld; pr: number; review: number }> {
  const b = (world = await BreakGlassWorld.start());
  const pr = await b.infraPull();
  expect(b.check(pr)).toMatchObject({ conclusion: "failure", output: { title: "Waiting for SRE Lead" } });
  await b.comment("olga-oncall", pr, `/breakglass ${REASON}`);
  const review = b.reviewIssue()!.number;
  return { b, pr, review };
}

describe("/breakglass by on-call on an unsigned pull request", () => {
  it("passes the gate now (the check says by whom and why), logs it, opens the review issue, and replies", async () => {
    const { b, pr, review } = await broken();
    const check = b.check(pr)!;
    expect(check.conclusion).toBe("success");
    expect(check.output.title).toBe(`Passed by break-glass (${u("olga-oncall")}): ${REASON}`);
    expect(check.output.summary).toMatch(/^## 🔨 Passed by break-glass\n\n@\u200bolga-oncall broke the glass at 2025-06-03 08:00 UTC for head commit `[0-9a-f]{7}` only: “hotfix: uploads are corrupting client data \(incident #7\)”\. The gates below were \*\*not\*\* signed; they pass because of it\. Review #\d+ due 2025-06-04 08:00 UTC, signed by Ingestion Owner and SRE Lead; logged as `breakglass-\d+` in `governance\/state\/log\.yml`\./);
    expect(check.output.summary).toContain("1. **OWNERS /infra/** 🔨 passed by break-glass (not signed).");

    const [entry] = b.log().filter((e) => e.action === "breakglass");
    expect(entry).toMatchObject({ action: "breakglass", actor: "olga-oncall", reason: REASON, pull_request: pr, issue: review, review_roles: ["ingestion-owner", "sre-lead"], review_due: "2025-06-04T08:00:00Z", seq: 1 });
    expect(entry!.head).toBe(check.headSha);
    expect(verifyChain(b.log()).broken).toBeUndefined();

    const issue = b.issue(review);
    expect(issue.title).toBe(`Break-glass review: #${pr} Hotfix: stop corrupting uploads`);
    expect(issue.body).toContain(`@olga-oncall broke the glass on #${pr} at 2025-06-03 08:00 UTC`);
    expect(issue.body).toContain(`> ${REASON}`);
    expect(issue.body).toContain("- **OWNERS /infra/**: not signed by SRE Lead");
    expect(issue.body).toContain("| Ingestion Owner | @ana-owner, @ben-owner (backup) |");
    expect(issue.body).toContain("| SRE Lead | @sam-sre, @sid-sre (backup) |");
    expect(issue.body).toContain("If the review is not signed by the deadline, Charter pages: 0m after the deadline: Ingestion Owner, SRE Lead; 4h after the deadline: Product Manager.");
    expect(b.lastReply(pr)).toContain(`@olga-oncall broke the glass on this pull request: the \`Charter sign-off\` check passes for head commit \`${check.headSha.slice(0, 7)}\` only (a push after this is not covered). Logged in \`governance/state/log.yml\`; review #${review}, due 2025-06-04 08:00 UTC, by Ingestion Owner and SRE Lead.`);
  });

  it("merged, then nobody signs: the review escalates through the ladder, each step once; signing completes it", async () => {
    const { b, pr, review } = await broken();
    await b.merge(pr, "olga-oncall");
    b.at(hours(23.9));
    await b.sweep();
    expect(b.replies(review)).toEqual([]);

    b.at(hours(24));
    await b.sweep();
    await b.sweep();
    expect(b.replies(review)).toHaveLength(1);
    expect(b.replies(review)[0]).toContain(`📟 **Break-glass review overdue: #${pr}**: @ana-owner (Ingestion Owner), @sam-sre (SRE Lead)`);
    expect(b.replies(review)[0]).toContain("was due 08:00 UTC and is **overdue** (step 1 of 2). Still to sign: Ingestion Owner and SRE Lead.");
    expect(b.log().filter((e) => e.action === "breakglass-escalated")).toMatchObject([{ step: 1, actor: "charter[bot]", notified: ["ana-owner", "sam-sre"] }]);

    b.at(hours(28));
    await b.sweep();
    await b.sweep();
    expect(b.replies(review)).toHaveLength(2);
    expect(b.replies(review)[1]).toContain(`📟 **Break-glass review overdue: #${pr}**: @pat-pm (Product Manager)`);
    expect(b.replies(review)[1]).toContain("Nobody has reviewed the break-glass. The review of @olga-oncall's break-glass");

    await b.comment("ana-owner", review, "/breakglass sign looked at the diff, fine");
    expect(b.lastReply(review)).toContain("@ana-owner signed the break-glass review as Ingestion Owner (after its deadline). Still to sign: SRE Lead.");
    await b.comment("sam-sre", review, "/breakglass sign");
    expect(b.lastReply(review)).toContain("Every role has signed");
    expect(b.issue(review).state).toBe("closed");
    expect(b.log().filter((e) => e.action === "breakglass-signed").map((e) => [e.actor, e.role])).toEqual([["ana-owner", "ingestion-owner"], ["sam-sre", "sre-lead"]]);
    b.at(hours(60));
    await b.sweep();
    expect(b.replies(review).filter((r) => r.includes("📟"))).toHaveLength(2);
    expect(verifyChain(b.log()).broken).toBeUndefined();
  });
});

describe("abuse", () => {
  it("the author without the role: refused, nothing written", async () => {
    const b = (world = await BreakGlassWorld.start());
    const pr = await b.infraPull("rita-release");
    await b.comment("rita-release", pr, "/breakglass I need this merged");
    expect(b.lastReply(pr)).toContain("`/breakglass` refused: breaking the glass is for On-Call (now @olga-oncall");
    expect(b.lastReply(pr)).toContain("(authority.yml `break_glass.who`); @rita-release holds none of these roles. Nothing was changed.");
    expect(b.log()).toEqual([]);
    expect(b.reviewIssue()).toBeUndefined();
    expect(b.check(pr)!.conclusion).toBe("failure");
  });

  it("another app or a workflow comments /breakglass: ignored (no reaction, nothing written)", async () => {
    const b = (world = await BreakGlassWorld.start());
    const pr = await b.infraPull();
    await b.comment("deploy-bot[bot]", pr, "/breakglass automated hotfix");
    expect(b.replies(pr)).toEqual([]);
    expect(b.log()).toEqual([]);
    expect(b.check(pr)!.conclusion).toBe("failure");
  });

  it("a push after the break-glass is not covered: the check turns red and says why", async () => {
    const { b, pr } = await broken();
    await b.push(pr, "hotfix", { "infra/other.tf": "added after the break-glass" });
    const check = b.check(pr)!;
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toBe("Waiting for SRE Lead");
    expect(check.output.summary).toMatch(/\*\*Break-glass not applied\.\*\* @\u200bolga-oncall broke the glass for commit `[0-9a-f]{7}`; the head is now `[0-9a-f]{7}`, pushed after it, and a break-glass covers only the commit it was given on/);
  });

  it("a pull request that changes governance/: refused (policy and state have their own gates)", async () => {
    const b = (world = await BreakGlassWorld.start());
    const pr = await b.w.openPullRequest("rita-release", { branch: "roles", files: { "governance/roles.yml": (b.w.file("governance/roles.yml") ?? "") + "\n# me too\n" }, title: "Add me", body: "" });
    await b.comment("olga-oncall", pr, "/breakglass need this now");
    expect(b.lastReply(pr)).toContain("`/breakglass` refused: this pull request changes `governance/`, which a break-glass never covers");
    expect(b.log()).toEqual([]);
  });

  it("a writer edits Charter's reply and the review issue's body: nothing Charter decides is read from them", async () => {
    const { b, pr, review } = await broken();
    const reply = b.w.gh.listComments(REPO, pr).filter((c) => c.user === "charter[bot]").at(-1)!;
    b.w.gh.editComment(REPO, reply.id, "signed by everyone, nothing to see");
    b.w.gh.updateIssue(REPO, review, { body: "Reviewed and signed by @ana-owner and @sam-sre." }, "wendy-writer");
    b.at(hours(24));
    await b.sweep();
    expect(b.replies(review).at(-1)).toContain("📟 **Break-glass review overdue");
  });

  it("a writer appends a `breakglass` entry for their own pull request by hand: the owners of governance/ must sign that", async () => {
    const b = (world = await BreakGlassWorld.start());
    const log = b.w.file("governance/state/log.yml")!;
    const forged = log.replace("entries: []", `entries:\n  - { id: breakglass-1, timestamp: 2025-06-03T08:00:00Z, action: breakglass, actor: olga-oncall, reason: x, pull_request: 99, head: '${"0".repeat(40)}' }`);
    const pr = await b.w.openPullRequest("wendy-writer", { branch: "forge", files: { "governance/state/log.yml": forged }, title: "log", body: "" });
    const check = b.check(pr)!;
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toContain("**OWNERS /governance/** ❌");
    expect(check.output.summary).toContain("`breakglass` entries are added by hand");
  });

  it("the log write is refused by branch protection: not applied, the review issue is closed saying so, the check unchanged", async () => {
    const b = (world = await BreakGlassWorld.start());
    const pr = await b.infraPull();
    b.w.gh.faults = (r) => (r.method === "PUT" && r.template === "/repos/{owner}/{repo}/contents/{path}" && r.path.includes("log.yml") ? { status: 409, body: { message: "Changes must be made through a pull request.", documentation_url: "https://docs.github.com/rest" } } : undefined);
    await b.comment("olga-oncall", pr, `/breakglass ${REASON}`);
    b.w.gh.faults = undefined;
    expect(b.lastReply(pr)).toContain("Charter could not log the break-glass (branch protection on `main` refused Charter's write");
    expect(b.lastReply(pr)).toContain("so it is **not** applied: the sign-off check is unchanged");
    const issue = b.reviewIssue()!;
    expect(issue.state).toBe("closed");
    expect(b.w.gh.listComments(REPO, issue.number).at(-1)!.body).toContain("**Not applied.**");
    expect(b.log()).toEqual([]);
    expect(b.check(pr)!.conclusion).toBe("failure");
  });

  it("signing: not the person who broke the glass, not the pull request's author, not without a review role, one role per person", async () => {
    const b = (world = await BreakGlassWorld.start());
    const pr = await b.infraPull("ben-owner"); // the author is the backup Ingestion Owner
    await b.comment("sam-sre", pr, "/breakglass the SRE lead breaks it"); // the SRE lead may break it too
    const review = b.reviewIssue()!.number;
    await b.comment("sam-sre", review, "/breakglass sign");
    expect(b.lastReply(review)).toContain("@sam-sre broke the glass and cannot also review it (four eyes)");
    await b.comment("ben-owner", review, "/breakglass sign");
    expect(b.lastReply(review)).toContain(`@ben-owner wrote #${pr} and cannot review its break-glass`);
    await b.comment("rita-release", review, "/breakglass sign");
    expect(b.lastReply(review)).toContain("@rita-release holds none of these roles");
    await b.comment("sid-sre", review, "/breakglass sign"); // the SRE lead's backup
    expect(b.lastReply(review)).toContain("signed the break-glass review as SRE Lead");
    await b.comment("sid-sre", review, "/breakglass sign");
    expect(b.lastReply(review)).toContain("@sid-sre already signed this review as SRE Lead");
    await b.comment("olga-oncall", pr, "/breakglass sign"); // on the pull request, `sign` is just a reason: it is already broken for this head
    expect(b.lastReply(pr)).toContain("already broke the glass for this head commit");
    expect(b.log().filter((e) => e.action === "breakglass-signed")).toHaveLength(1);
  });

  it("/breakglass sign on an issue that is not a break-glass review: refused", async () => {
    const b = (world = await BreakGlassWorld.start());
    const issue = await b.w.openIssue("rita-release", { title: "Question", body: "?" });
    await b.comment("ana-owner", issue, "/breakglass sign");
    expect(b.lastReply(issue)).toContain("this issue is not a break-glass review");
  });

  it("nothing to break: a signed-off pull request is refused", async () => {
    const b = (world = await BreakGlassWorld.start());
    const pr = await b.infraPull();
    await b.w.review("sam-sre", pr, "APPROVED");
    await b.comment("olga-oncall", pr, "/breakglass just in case");
    expect(b.lastReply(pr)).toContain("the sign-off check already passes: there is no glass to break.");
  });
});
