/**
 * Handoff messages through the real app against the GitHub emulator: D9's weekly handoff, Monday
 * 09:00 Europe/Berlin, announced on the "On-call handoffs" issue and on Slack #ingestion-rollout
 * (a real loopback receiver) at 07:00Z in summer time and at 08:00Z in winter time; once across
 * repeated sweeps, a restart, and two processes racing. And what the incoming people take over,
 * gathered from GitHub at the handoff (src/reconcile/handoff-facts.ts): an open P1, the active
 * `workspace:acme` kill-switch and Charter's resume pull request waiting for sign-off, line by line.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handoffTask } from "../../src/reconcile/handoff.js";
import { postOnce, listRecords } from "../../src/github/records/store.js";
import { TEST_IDENTITY } from "../support/identity.js";
import { HttpReceiver } from "../notify/support/receivers.js";
import { repositoryGovernance } from "../e2e/support/world.js";
import { REPO, World } from "./support/world.js";
import type { GitHubClient } from "../../src/github/client.js";

let w: World;
let slack: HttpReceiver;

const handoffsIssue = () => w.issues().find((i) => i.title === "On-call handoffs");
const handoffComments = () => w.botComments(handoffsIssue()!.number).filter((b) => b.startsWith("### 🔁 On-call handoff"));
const slackTexts = () => slack.received.map((r) => (r.json as { text: string }).text);

beforeAll(async () => {
  slack = await HttpReceiver.start("ok");
  w = await World.start({
    start: "2025-03-24T07:00:00Z",
    files: { "README.md": "# ingestion\n", ...repositoryGovernance({ notify: true }) },
    env: { CHARTER_SLACK_INGESTION_ROLLOUT_URL: `${slack.url}/services/T0/B0/x` },
    tasks: [handoffTask],
  });
});

afterAll(async () => {
  await w?.stop();
  await slack?.stop();
});

describe("handoff at Monday 09:00 Europe/Berlin, both sides of the spring DST change", () => {
  it("winter: nothing at 08:00 CET (07:00Z); the message at 09:00 CET (08:00Z), on GitHub and in Slack", async () => {
    await w.sweep();
    expect(handoffsIssue()).toBeUndefined();
    w.at("2025-03-24T08:00:00Z");
    const r = await w.sweep();
    expect(r.reports[0]!.actions).toEqual([expect.stringContaining("handoff ingestion at 2025-03-24T08:00:00.000Z announced on #")]);
    await w.settleChannels();
    const [comment] = handoffComments();
    expect(comment).toContain("### 🔁 On-call handoff: Ingestion on-call: Mon 2025-03-24 09:00 CET");
    expect(comment).toContain("| Secondary | @opal-oncall | @oscar-oncall |");
    expect(slackTexts()).toEqual(["On-call handoff, Ingestion on-call: Mon 2025-03-24 09:00 CET: Secondary opal-oncall → oscar-oncall"]);
  });

  it("says in the comment where the message went", async () => {
    await w.settleChannels();
    const [comment] = handoffComments();
    expect(comment).toMatch(/📣 Sent to Slack #ingestion-rollout 09:00 CET/);
  });

  it("once: a second sweep, a restart and a sweep of the new process within the hour send nothing again", async () => {
    w.at("2025-03-24T08:20:00Z");
    await w.sweep();
    await w.restart();
    w.at("2025-03-24T08:40:00Z");
    const r = await w.sweep();
    expect(r.reports[0]!.actions).toEqual([]);
    await w.settleChannels();
    expect(handoffComments()).toHaveLength(1);
    expect(slack.received).toHaveLength(1);
  });

  it("summer: nothing at 08:59 CEST; the message at 09:00 CEST (07:00Z) with both tiers", async () => {
    w.at("2025-03-31T06:59:00Z");
    await w.sweep();
    expect(handoffComments()).toHaveLength(1);
    w.at("2025-03-31T07:00:00Z");
    await w.sweep();
    await w.settleChannels();
    const comments = handoffComments();
    expect(comments).toHaveLength(2);
    expect(comments[1]).toContain("### 🔁 On-call handoff: Ingestion on-call: Mon 2025-03-31 09:00 CEST");
    expect(comments[1]).toContain("| Primary | @omar-oncall | @oscar-oncall |");
    expect(comments[1]).toContain("| Secondary | @oscar-oncall | @olga-oncall |");
    expect(slackTexts()[1]).toBe("On-call handoff, Ingestion on-call: Mon 2025-03-31 09:00 CEST: Primary omar-oncall → oscar-oncall; Secondary oscar-oncall → olga-oncall");
    expect(slack.received).toHaveLength(2);
  });

  it("posts in the one handoffs issue, which Charter opened and marked", () => {
    const issues = w.issues().filter((i) => i.title === "On-call handoffs");
    expect(issues).toHaveLength(1);
    expect(issues[0]!.user).toBe(w.botLogin);
  });

  it("two processes racing for the same handoff leave one message: the younger deletes itself", async () => {
    const issue = handoffsIssue()!.number;
    const installation = (await w.p.probot.auth(w.gh.installationId("acme"))) as unknown as GitHubClient;
    const place = { gh: installation, repo: { owner: "acme", repo: "ingestion" }, identity: TEST_IDENTITY };
    const record = { v: 1 as const, key: "handoff:race@2025-04-07T07:00:00.000Z" };
    const [a, b] = await Promise.all([
      postOnce(place, issue, "### 🔁 race A", record, "2025-03-30T00:00:00Z", { lookedAlready: true }),
      postOnce(place, issue, "### 🔁 race B", record, "2025-03-30T00:00:00Z", { lookedAlready: true }),
    ]);
    expect([a.kind, b.kind].sort()).toEqual(["exists", "posted"]);
    const left = await listRecords(place, issue, { key: (k) => k === record.key });
    expect(left).toHaveLength(1);
    expect(left[0]!.id).toBe((a.kind === "posted" ? a : b).comment.id);
  });

  it("a forged record (another author, or an edited seal) does not silence a handoff", async () => {
    const issue = handoffsIssue()!.number;
    // a person copies Charter's newest record, changing its key to next week's handoff; another edits Charter's own
    const real = w.gh.listComments("acme/ingestion", issue).filter((c) => c.user === w.botLogin).at(-1)!;
    w.gh.addComment("acme/ingestion", issue, real.body.replace("2025-03-31T07:00:00.000Z", "2025-04-07T07:00:00.000Z"), "mallory");
    w.gh.editComment("acme/ingestion", real.id, real.body.replace("2025-03-31T07:00:00.000Z", "2025-04-07T07:00:00.000Z"));
    w.at("2025-04-07T07:00:00Z");
    await w.sweep();
    await w.settleChannels();
    expect(handoffComments().at(-1)).toContain("Mon 2025-04-07 09:00 CEST");
    expect(slack.received).toHaveLength(3);
  });

  it("every request Charter made was valid for GitHub's API", () => {
    expect(w.violations).toEqual([]);
  });
});

describe("what the incoming people take over: an open P1, the workspace:acme kill-switch, a resume waiting for sign-off", () => {
  let v: World;
  let rx: HttpReceiver;
  let incident: number;
  let resume: number;

  beforeAll(async () => {
    rx = await HttpReceiver.start("ok");
    v = await World.start({
      start: "2025-03-31T05:00:00Z",
      files: { "README.md": "# ingestion\n", ...repositoryGovernance({ notify: true }) },
      env: { CHARTER_SLACK_INGESTION_ROLLOUT_URL: `${rx.url}/services/T0/B0/x` },
      tasks: [handoffTask],
    });
  });

  afterAll(async () => {
    await v?.stop();
    await rx?.stop();
  });

  it("before the handoff: a P1 is open, workspace:acme is paused in killswitch.yml, and Charter's resume pull request waits for sign-off", async () => {
    v.at("2025-03-31T05:40:00Z");
    incident = await v.openIssue("rita-reporter", { title: "Uploads fail for every workspace", body: "Every upload since 07:30 CEST answers 500.", labels: ["incident", "severity: P1"] });
    v.at("2025-03-31T05:45:00Z");
    await v.comment("omar-oncall", incident, "/killswitch activate workspace:acme error-rate-20 error rate 27% for acme");
    v.at("2025-03-31T06:50:00Z");
    await v.comment("omar-oncall", incident, "/killswitch resume workspace:acme");
    expect(v.gh.getFile(REPO, "governance/state/killswitch.yml")).toContain("  workspace:acme:\n    active: true\n    since: 2025-03-31T05:45:00Z\n    by: omar-oncall\n");
    const pulls = [...v.gh.repo(REPO).pulls.keys()];
    expect(pulls).toHaveLength(1);
    resume = pulls[0]!;
    const { issue } = v.gh.getPullRequest(REPO, resume);
    expect([issue.user, issue.state, issue.title]).toEqual([v.botLogin, "open", "Kill-switch: resume workspace:acme"]);
    // a look-alike by someone else (Charter's title and description, her branch) is no pending approval
    const body = v.gh.getPullRequest(REPO, resume).issue.body ?? "";
    v.gh.createBranch(REPO, "mallory/resume");
    v.gh.commitFiles(REPO, "mallory/resume", { "governance/state/killswitch.yml": "version: 1\nswitches:\n  global: { active: false }\n" }, "resume", { author: "mallory" });
    v.gh.openPullRequest(REPO, { head: "mallory/resume", title: "Kill-switch: resume workspace:acme", body, user: "mallory" });
    // nor is a closed incident an open one
    const closed = v.gh.createIssue(REPO, { title: "Old outage", user: "rita-reporter", labels: ["incident", "severity: P2"] });
    v.gh.updateIssue(REPO, closed.number, { state: "closed" }, "rita-reporter");
  });

  it("at Monday 09:00 CEST (07:00Z) the message lists exactly them, on GitHub and in Slack", async () => {
    v.at("2025-03-31T07:00:00Z");
    const r = await v.sweep();
    expect(r.errors).toEqual([]);
    expect(r.reports[0]!.actions).toEqual([expect.stringContaining("handoff ingestion at 2025-03-31T07:00:00.000Z announced on #")]);
    await v.settleChannels();
    const handoffs = v.issues().find((i) => i.title === "On-call handoffs")!;
    const [comment] = v.botComments(handoffs.number).filter((b) => b.startsWith("### 🔁 On-call handoff"));
    const lists = [
      "**Open incidents (1)**",
      `- #${incident} P1 Uploads fail for every workspace (omar-oncall)`,
      "",
      "**Active kill-switches (1)**",
      "- `workspace:acme` since Mon 2025-03-31 07:45 CEST by omar-oncall: error rate 27% for acme",
      "",
      "**Pending approvals (1)**",
      `- #${resume} Kill-switch: resume workspace:acme (resume, asked by omar-oncall)`,
      "",
      "**Outgoing (@omar-oncall, @oscar-oncall)**",
    ].join("\n");
    expect(comment).toContain(`| Secondary | @oscar-oncall | @olga-oncall |\n\n${lists}`);
    const sent = rx.received.map((x) => x.json as { text: string; blocks: { text?: { text: string } }[] }).filter((m) => m.text.startsWith("On-call handoff"));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.blocks[0]!.text!.text.split("\n").slice(1, 4)).toEqual([
      `Open incidents (1): #${incident} P1 Uploads fail for every workspace (omar-oncall)`,
      "Active kill-switches (1): `workspace:acme` since Mon 2025-03-31 07:45 CEST by omar-oncall: error rate 27% for acme",
      `Pending approvals (1): #${resume} Kill-switch: resume workspace:acme (resume, asked by omar-oncall)`,
    ]);
    expect(v.violations).toEqual([]);
  });
});
