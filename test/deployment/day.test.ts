/**
 * Seed 004's deployment day end to end, through the real app against the GitHub emulator, with
 * real loopback Slack receivers (#deployment, the Deployment Lead's DM): the issue opened from the
 * Deployment form gets Charter's status comment; the go/no-go gate is signed GO; the stages are
 * ticked by their owners (and forged ticks count for nothing); a missed 5-minute status update is
 * reminded once, across sweeps and a restart; the all-clear is refused until every item is done,
 * then posted in seed 004's format.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploymentTask } from "../../src/reconcile/deployment.js";
import { HttpReceiver } from "../notify/support/receivers.js";
import { REPO, World } from "../handoff/support/world.js";

const EXAMPLE = join(import.meta.dirname, "..", "..", "examples", "deployment-day", "governance");
const files: Record<string, string> = { "README.md": "# shop\n" };
for (const f of readdirSync(EXAMPLE)) files[`governance/${f}`] = readFileSync(join(EXAMPLE, f), "utf8");

let w: World;
let channel: HttpReceiver;
let dm: HttpReceiver;
let issue: number;

/** What a Slack receiver showed: the message's section (its `text` is the notification's one-line fallback). */
const texts = (r: HttpReceiver) => r.received.map((x) => (x.json as { blocks: { text?: { text: string } }[] }).blocks[0]!.text!.text);
const statusComment = () => w.botComments(issue).findLast((b) => b.startsWith("### 🚀 Production deployment (Phase 6.5)"))!;
const lastBot = () => w.botComments(issue).at(-1)!;
const row = (id: string) => statusComment().split("\n").find((l) => l.includes(`| \`${id}\` `))!;

beforeAll(async () => {
  channel = await HttpReceiver.start("ok");
  dm = await HttpReceiver.start("ok");
  w = await World.start({
    start: "2025-11-11T04:35:00Z",
    files,
    env: { CHARTER_SLACK_DEPLOYMENT_URL: `${channel.url}/services/T0/B0/deployment`, CHARTER_SLACK_LEAD_DM_URL: `${dm.url}/services/T0/B0/dm` },
    tasks: [deploymentTask],
  });
});

afterAll(async () => {
  await w?.stop();
  await channel?.stop();
  await dm?.stop();
});

const say = async (login: string, body: string) => {
  await w.comment(login, issue, body);
  await w.settleChannels();
};

describe("seed 004's deployment day", () => {
  it("the issue opened from the Deployment form gets the status comment: gate, stages at T-30…T+30 with owners, rollback gate", async () => {
    issue = await w.openIssue("dana-lead", {
      title: "[Deployment] Production deployment (Phase 6.5)",
      body: "### Deployment\n\nproduction — Production deployment (Phase 6.5)\n\n### Planned start (UTC)\n\n2025-11-11 05:10\n\n### What is deployed\n\nRelease 6.5.0\n",
      labels: ["deployment"],
    });
    const c = statusComment();
    expect(c).toContain("Planned start (T): 2025-11-11 05:10 UTC · Deployment Lead: Deployment Lead (dana-lead)");
    expect(c).toContain("**Go/no-go gate** (Deployment Lead): ⏳ not signed: `/go` or `/no-go <reason>`");
    expect(c).toContain("GO = Training ✓ AND Systems Healthy ✓ AND Backups Ready ✓ AND Communication Ready ✓ AND Leadership Approved ✓ AND Risk Acceptable ✓");
    expect(c).toContain("| Pre-Deployment | T-30m (04:40 UTC) | `team-assembled` Team assembled | Deployment Lead | ⬜ |");
    expect(c).toContain("| Pre-Flight Checks | T-20m (04:50 UTC) | `backup-taken` Production backup taken | DevOps Engineer | ⬜ |");
    expect(c).toContain("| Go-Live | T+30m (05:40 UTC) | `product-announces` Product announces | Product Manager | ⬜ |");
    expect(c).toContain("Rollback gate: authority.yml rollback type `deployment` (Deployment rollback (authorized by the Deployment Lead)): decided by Deployment Lead. Ask with `/rollback <to-phase> deployment <reason>`.");
    expect(w.botComments(issue)).toHaveLength(1);
  });

  it("an issue opened from the form by someone without access (the form labels it for anyone) gets no status comment", async () => {
    const stranger = w.gh.createIssue(REPO, { title: "[Deployment] mine", body: "### Deployment\n\nproduction\n", user: "random-stranger", labels: ["deployment"] });
    const payload = w.gh.payloads.issues("opened", REPO, stranger.number, { sender: "random-stranger" }) as { issue: { author_association: string } };
    payload.issue.author_association = "NONE";
    await w.deliver("issues", payload as unknown as Record<string, unknown>);
    expect(w.botComments(stranger.number)).toEqual([]);
    w.gh.updateIssue(REPO, stranger.number, { state: "closed" }, "dana-lead"); // (the emulator reports every user as a member to the sweep's listing)
  });

  it("forged ticks count for nothing: another role's /done, a ticked box in the issue, an edited comment, an edited status comment", async () => {
    await say("quinn-qa", "/done backup-taken");
    expect(lastBot()).toContain("@quinn-qa `/done` refused: `backup-taken` (Production backup taken) is ticked by the DevOps Engineer only.");
    expect(row("backup-taken")).toContain("| ⬜ |");

    // a box ticked in the issue body (anyone who can edit it could)
    w.gh.updateIssue(REPO, issue, { body: "### Deployment\n\nproduction\n\n- [x] Production backup taken\n- [x] Team assembled\n" }, "quinn-qa");
    await w.deliver("issues", w.gh.payloads.issues("edited", REPO, issue, { sender: "quinn-qa" }));
    // a harmless comment, edited afterwards into a command (edits are never read as commands)
    const id = await w.comment("quinn-qa", issue, "looks good");
    w.gh.editComment(REPO, id, "/done qa-standing-by");
    await w.deliver("issue_comment", w.gh.payloads.issueComment("edited", REPO, id, { sender: "quinn-qa", changes: { body: { from: "looks good" } } }));
    expect(row("team-assembled")).toContain("| ⬜ |");
    expect(row("qa-standing-by")).toContain("| ⬜ |");

    // someone with write access edits Charter's status comment to tick everything: the seal breaks
    const repo = w.gh.repo(REPO);
    const own = repo.issues.get(issue)!.comments.find((c) => c.body.startsWith("### 🚀"))!;
    w.gh.editComment(REPO, own.id, own.body.replace('"done":{}', '"done":{"backup-taken":{"by":"dev-ops","at":"2025-11-11T04:36:00.000Z"}}').replaceAll("⬜", "✅"));
    await say("dana-lead", "/done team-assembled");
    expect(row("team-assembled")).toContain("✅ dana-lead");
    expect(row("backup-taken")).toContain("| ⬜ |");
    expect(w.botComments(issue)).toContain("⚠️ This was Charter's status comment of the deployment. Someone other than Charter edited it, so it no longer counts (its ticks and its gate are ignored); Charter's status comment is further down.");
  });

  it("the Deployment Lead signs GO; owners tick their items; #deployment gets the go", async () => {
    w.at("2025-11-11T04:50:00Z");
    await say("dev-ops", "/go");
    expect(lastBot()).toContain("`/go` refused: only the Deployment Lead signs the go/no-go gate.");
    await say("dana-lead", "/go");
    expect(statusComment()).toContain("**Go/no-go gate** (Deployment Lead): ✅ GO by dana-lead at 04:50 UTC");
    expect(statusComment()).toContain("the next is due at 04:55 UTC");
    expect(texts(channel).at(-1)).toContain("GO: Production deployment (Phase 6.5)");
    for (const item of ["channel-open", "brief-given"]) await say("dana-lead", `/done ${item}`);
    for (const item of ["backup-taken", "monitoring-active", "rollback-ready"]) await say("dev-ops", `/done ${item}`);
    await say("quinn-qa", "/done qa-standing-by");
    expect(row("backup-taken")).toContain("✅ dev-ops 04:50 UTC");
    expect(row("qa-standing-by")).toContain("✅ quinn-qa 04:50 UTC");
  });

  it("a status update in seed 004's format goes to #deployment and sets the next due time", async () => {
    w.at("2025-11-11T04:54:00Z");
    await say("dana-lead", "/status Pre-flight checks complete, starting the deployment");
    const sent = texts(channel).at(-1)!;
    expect(sent).toContain("[Deployment Status - 04:54 UTC]");
    expect(sent).toContain("📊 Status: IN PROGRESS");
    expect(sent).toContain("⏱️ Elapsed: 4m");
    expect(sent).toContain("🟢 Pre-Deployment: COMPLETE\n🟢 Pre-Flight Checks: COMPLETE\n🟡 Deployment: IN PROGRESS (0/2)\n⏳ Post-Deployment Verification: PENDING\n⏳ Go-Live: PENDING");
    expect(sent).toContain("🚨 Issues: None");
    expect(sent).toContain("Next update: 04:59 UTC");
    expect(statusComment()).toContain("1 so far; the next is due at 04:59 UTC");
  });

  it("a missed 5-minute update is reminded to the Deployment Lead once (on GitHub and in the lead's DM), across sweeps and a restart", async () => {
    w.at("2025-11-11T04:58:59Z");
    expect((await w.sweep()).reports[0]!.actions).toEqual([]);
    w.at("2025-11-11T04:59:00Z");
    const r = await w.sweep();
    expect(r.reports[0]!.actions).toEqual([`#${issue}: reminded the Deployment Lead of the status update due at 2025-11-11T04:59:00.000Z`]);
    await w.settleChannels();
    expect(lastBot()).toBe("@dana-lead ⏰ The status update due at 04:59 UTC is missing (every 5m; the last was 5m ago). Post one with `/status <what is happening>`.");
    expect(texts(dm)).toEqual(["⏰ The status update due at 04:59 UTC is missing (every 5m; the last was 5m ago). Post one with `/status <what is happening>`."]);
    w.at("2025-11-11T05:01:00Z");
    await w.sweep();
    await w.restart();
    w.at("2025-11-11T05:03:00Z");
    expect((await w.sweep()).reports[0]!.actions).toEqual([]);
    await w.settleChannels();
    expect(w.botComments(issue).filter((b) => b.startsWith("@dana-lead ⏰"))).toHaveLength(1);
    expect(dm.received).toHaveLength(1);
    // still no update at the next due instant: reminded again
    w.at("2025-11-11T05:04:00Z");
    expect((await w.sweep()).reports[0]!.actions).toEqual([`#${issue}: reminded the Deployment Lead of the status update due at 2025-11-11T05:04:00.000Z`]);
    await w.settleChannels();
    expect(dm.received).toHaveLength(2);
  });

  it("an issue and its resolution in seed 004's formats", async () => {
    w.at("2025-11-11T05:05:00Z");
    await say("dev-ops", "/alert high Database connection errors\nDescription: connection pool exhausted on db-2\nAction: raising the pool size\nETA: 05:15");
    expect(texts(channel).at(-1)).toBe(
      "🚨 ALERT: Database connection errors\nSeverity: High\nTime: 05:05 UTC\nDescription: connection pool exhausted on db-2\nAction: raising the pool size\nETA: 05:15\nAssignee: dev-ops",
    );
    w.at("2025-11-11T05:12:00Z");
    await say("dev-ops", "/resolved 1 Back to normal\nRoot cause: pool size too small for the new release\nNext steps: keep watching");
    expect(texts(channel).at(-1)).toBe("✅ RESOLVED: Database connection errors\nResolution Time: 7m\nStatus: Back to normal\nRoot Cause: pool size too small for the new release\nNext Steps: keep watching");
  });

  it("costs: a /done is 4 requests; a sweep that reminds is 6, one that finds nothing due 3", async () => {
    const ops = () => w.gh.requestLog.map((r) => `${r.method} ${r.template!.replace("/repos/{owner}/{repo}", "")}`);
    w.gh.clearRequestLog();
    await w.comment("dev-ops", issue, "/done deploy-initiated");
    expect(ops()).toEqual(["GET /branches/{branch}", "GET /issues/{issue_number}/comments", "PATCH /issues/comments/{comment_id}", "POST /issues/comments/{comment_id}/reactions"]);
    w.gh.clearRequestLog();
    await w.sweep(); // 05:12, the last update at 04:54: a reminder is due
    expect(ops()).toEqual(["GET /branches/{branch}", "GET /issues", "GET /issues/{issue_number}/comments", "GET /issues/{issue_number}/comments", "PATCH /issues/comments/{comment_id}", "POST /issues/{issue_number}/comments"]);
    await w.settleChannels(); // (recording the reminder's delivery to the lead's DM: a read and a write of the status comment)
    w.gh.clearRequestLog();
    await w.sweep();
    expect(ops()).toEqual(["GET /branches/{branch}", "GET /issues", "GET /issues/{issue_number}/comments"]);
    await w.settleChannels();
  });

  it("the all-clear is refused while items are open, then posted once everything is done", async () => {
    await say("dana-lead", "/all-clear");
    expect(lastBot()).toContain("`/all-clear` refused: not every item is done: `deploy-complete` (DevOps Engineer)");
    await say("dev-ops", "/done deploy-complete");
    await say("quinn-qa", "/done qa-tests");
    await say("olly-oncall", "/done oncall-monitoring");
    await say("dana-lead", "/done success-verified");
    await say("pat-product", "/done product-announces");
    w.at("2025-11-11T05:40:00Z");
    await say("dana-lead", "/all-clear Error rate 0.02%, p95 310ms");
    expect(texts(channel).at(-1)).toBe(
      "🎉 DEPLOYMENT COMPLETE\nDeployment: SUCCESS\nDuration: 50m\nChecks: All passing ✓\nStatus: Live in production\nMetrics: Error rate 0.02%, p95 310ms\nNext: Monitoring continues for 24 hours\nThanks to: dana-lead, dev-ops, quinn-qa, olly-oncall, pat-product",
    );
    expect(statusComment()).toContain("**All-clear** by dana-lead at 05:40 UTC.");
    w.at("2025-11-11T06:00:00Z");
    expect((await w.sweep()).reports[0]!.actions).toEqual([]);
    expect(w.violations).toEqual([]);
  });
});
