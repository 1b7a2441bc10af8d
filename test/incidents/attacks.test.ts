/**
 * Incidents against an insider and an outsider (hardening issue #10, items 7, 8, 9, 10, 12), each
 * attack performed through the real app on a stateful fake GitHub, asserting what people see: the
 * exact reply, who is paged when, the labels, the issue's state. D9 on Wed 2025-06-04: primary
 * olga-oncall, secondary omar-oncall, Ingestion Owner ana-owner, SRE Lead sam-sre, PM pat-pm.
 * `mallory` and `tina-triage` are members of the organisation with no role (write or triage access).
 */
import { afterEach, describe, expect, it } from "vitest";
import { OWNER, REPO } from "../support/governance-mock.js";
import { mentionsIn } from "./support/fake-github.js";
import { cleanup, d9Files, pageLines, sweepEvery, world, type World } from "./support/world.js";

afterEach(cleanup);

const T0 = "2025-06-04T10:00:00Z"; // Wed 12:00 CEST
const R = `/repos/${OWNER}/${REPO}`;

/** The whole D9 P1 ladder, as pages (minute since t0, who is mentioned). */
const FULL_P1_LADDER = [
  [0, ["olga-oncall"]],
  [15, ["omar-oncall"]],
  [30, ["ana-owner"]],
  [60, ["sam-sre", "pat-pm"]],
];

const pages = (w: World, issue = 12) => pageLines(w, issue).map((p) => [p.minute, p.mentions]);

async function p1(w: World): Promise<void> {
  await w.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
}

/** Who may /ack on D9, as the refusal says it. */
const ACK_WHO =
  "`governance/incidents.yml` lets On-Call (`olga-oncall`, `omar-oncall`), Ingestion Owner (`ana-owner`, backup `ben-owner`) or SRE Lead (`sam-sre`, backup `sid-sre`) run `/ack`";
const RESOLVE_WHO =
  "`governance/incidents.yml` lets On-Call (`olga-oncall`, `omar-oncall`), Ingestion Owner (`ana-owner`, backup `ben-owner`) or SRE Lead (`sam-sre`, backup `sid-sre`) run `/resolve`";

function formBody(severity: string, impact: string): string {
  return `### Severity\n\n${severity}\n\n### Impact\n\n${impact}\n\n### Service or area\n\n_No response_\n\n### What you know so far\n\n_No response_`;
}

describe("[7] nobody but Charter writes Charter's record", () => {
  it("`/ack <!-- charter:done … -->` by someone with no role: the reply quotes it inert, and after a restart the whole ladder still climbs", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(2);
    const forged = '<!-- charter:done {"keys":["s1.1","s1.2","s1.3"],"processed":[],"ackNoticed":1} -->';
    await w.say(12, "mallory", `/ack ${forged}`);
    expect(w.gh.posted(12).at(-1)!.body).toBe(
      `> /ack &lt;!-- charter:done {"keys":["s1.1","s1.2","s1.3"],"processed":[],"ackNoticed":1} --&gt;\n\n@mallory \`/ack\` refused: ${ACK_WHO}, and \`mallory\` is none of them now. Nothing was changed.`,
    );
    // Charter restarts (a server restart, or every run in Actions mode): its record is read back from GitHub
    await w.restart();
    await sweepEvery(w, 3, 65);
    expect(pages(w)).toEqual(FULL_P1_LADDER);
    expect(w.gh.state(12).acks).toEqual([]);
  });

  it("another app's (or a person's) comment carrying Charter's markers, forged or copied verbatim with a genuine seal, is not Charter's: ignored", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(3);
    const genuine = w.gh.botComments(12)[0]!.body;
    const acked = genuine.replace('"acks":[]', `"acks":[{"by":"olga-oncall","at":"2025-06-04T10:03:00.000Z","episode":1}]`);
    const other = { id: 99, slug: "helper-bot" };
    w.gh.addComment(12, "helper-bot[bot]", 'Paged.\n\n<!-- charter:done {"keys":["s1.1","s1.2","s1.3"],"ackNoticed":1} -->', { app: other });
    w.gh.addComment(12, "helper-bot[bot]", genuine, { app: other });
    w.gh.addComment(12, "helper-bot[bot]", acked, { app: other });
    w.gh.addComment(12, "mallory", genuine);
    await w.restart();
    await sweepEvery(w, 4, 65);
    expect(pages(w)).toEqual(FULL_P1_LADDER);
    // the record stayed the status comment Charter wrote: no restart was needed
    expect(w.gh.posted(12).some((p) => p.body.includes("restarted this incident's record"))).toBe(false);
  });

  it("a writer edits the marker in Charter's status comment (an ack, pages done): it no longer verifies, Charter says so and restarts the record, never paging fewer", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(5);
    const status = w.gh.botComments(12)[0]!;
    w.gh.editComment(
      status.id,
      status.body.replace('"acks":[]', `"acks":[{"by":"olga-oncall","at":"2025-06-04T10:01:00.000Z","episode":1}]`),
    );
    w.gh.clear();
    await w.sweep();
    const restarted = w.gh.posted(12).at(-1)!.body;
    expect(restarted.split("\n")[0]).toBe(
      `⚠️ **Charter restarted this incident's record.** [its status comment](https://github.com/${OWNER}/${REPO}/issues/12#issuecomment-${status.id}) no longer verifies: the marker's seal does not verify: someone other than Charter changed the comment, or the marker was copied from elsewhere. Charter does not act on a record it cannot verify, so it rebuilt it from what GitHub itself shows: the P1 escalation ladder counts from when the issue became an incident (Wed 2025-06-04 12:00 CEST), every step already due is paged now, and the incident must be acknowledged again.`,
    );
    expect(mentionsIn(restarted)).toEqual(["olga-oncall"]); // step 0, due since t0, paged again
    await sweepEvery(w, 6, 65);
    expect(pages(w)).toEqual([...FULL_P1_LADDER.slice(0, 1), [5, ["olga-oncall"]], ...FULL_P1_LADDER.slice(1)]);
    // the edited comment is left as it is; Charter's record is the new status comment
    expect(w.gh.comments.find((c) => c.id === status.id)!.body).toContain('"acks":[{"by":"olga-oncall"');
    expect(w.gh.state(12).acks).toEqual([]);
  });

  it("a writer edits the done marker of a Charter page comment to claim later steps were paged: it no longer verifies and counts for nothing", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    await sweepEvery(w, 15, 15);
    const page = w.gh.botComments(12).at(-1)!;
    w.gh.editComment(page.id, page.body.replace('"keys":["s1.1"]', '"keys":["s1.1","s1.2","s1.3"]'));
    await w.restart();
    await sweepEvery(w, 16, 65);
    expect(pages(w)).toEqual(FULL_P1_LADDER);
  });

  it("a writer puts an older sealed version back into the status comment (resolved, before a reopening): a later Charter comment records a newer episode, so the record is restarted, not believed", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(10);
    await w.say(12, "olga-oncall", "/resolve Disk full\nExpanded the volume");
    const status = w.gh.botComments(12)[0]!;
    const resolvedVersion = status.body;
    w.at(100);
    await w.say(12, "olga-oncall", "/reopen"); // episode 2: the ladder starts again from +100
    w.gh.editComment(status.id, resolvedVersion); // a genuine seal, from an older moment
    await w.restart();
    await sweepEvery(w, 101, 130);
    expect(w.gh.posted(12).some((p) => p.body.startsWith("⚠️ **Charter restarted this incident's record.**"))).toBe(true);
    // the reopened incident keeps paging: the secondary is paged 15 minutes after the reopening
    expect(pages(w).filter(([m]) => (m as number) >= 100).map(([, who]) => who)).toContainEqual(["omar-oncall"]);
    expect(w.gh.state(12).resolution).toBeUndefined();
  });
});

describe("[9] Charter never re-posts what the commenter mentions", () => {
  it("a refused command full of @people and @org/team mentions is quoted with every mention broken; only the commenter is addressed", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(2);
    await w.say(12, "mallory", "/severity P3 @acme/sre-team @ana-owner @sam-sre wake up <img src=x>");
    const reply = w.gh.posted(12).at(-1)!.body;
    expect(reply.split("\n")[0]).toBe("> /severity P3 @\u200bacme/sre-team @\u200bana-owner @\u200bsam-sre wake up &lt;img src=x&gt;");
    expect(mentionsIn(reply)).toEqual(["mallory"]);
    expect(reply).not.toMatch(/@acme\//);
  });

  it("text of an accepted command is echoed without its mentions too (an /update, a /page message)", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(5);
    await w.say(12, "olga-oncall", "/update identified @acme/everyone look <!-- charter:incident {} -->\nnext: ping @pat-pm");
    await w.say(12, "olga-oncall", "/page database-owner @acme/dbas lag is 40m");
    const [update, page] = w.gh.posted(12).slice(-2).map((p) => p.body);
    expect(update).toContain("Findings: @\u200bacme/everyone look &lt;!-- charter:incident {} --&gt;\n");
    expect(update).toContain("Next steps: next: ping @\u200bpat-pm\n");
    expect(mentionsIn(update!)).toEqual([]);
    expect(mentionsIn(page!)).toEqual(["dora-db"]); // the page itself, not the message's mentions
    expect(page).toContain("> @\u200bacme/dbas lag is 40m");
  });
});

describe("[8] labels and closing are not a way around /resolve", () => {
  it("a triager removes the `incident` label from an open P1: Charter puts it back, says why, and the ladder climbs on", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(5);
    w.gh.clear();
    w.gh.issues.get(12)!.labels = ["severity: P1"];
    await w.deliver("issues", w.gh.issuesPayload("unlabeled", 12, { sender: "tina-triage", label: "incident" }));
    expect(w.gh.writes().map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${R}/issues/12/labels`, `POST ${R}/issues/12/comments`]);
    expect(w.gh.writes()[0]!.body).toEqual({ labels: ["incident"] });
    expect(w.gh.posted(12).at(-1)!.body).toBe(
      `@tina-triage removing the \`incident\` label from open incident #12 counts as \`/resolve\`, and ${RESOLVE_WHO}, and \`tina-triage\` is none of them now. Charter put the \`incident\` label back; the P1 escalation ladder goes on and nothing else changed. To end the incident, someone who may runs \`/resolve <root cause>\`.`,
    );
    expect(w.gh.issues.get(12)!.labels).toEqual(["severity: P1", "incident"]);
    await sweepEvery(w, 6, 65);
    expect(pages(w)).toEqual(FULL_P1_LADDER);
  });

  it("removing the severity label is a severity change only /severity makes: put back for anyone, with how to change it", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(5);
    w.gh.issues.get(12)!.labels = ["incident"];
    await w.deliver("issues", w.gh.issuesPayload("unlabeled", 12, { sender: "olga-oncall", label: "severity: P1" }));
    expect(w.gh.issues.get(12)!.labels).toEqual(["incident", "severity: P1"]);
    expect(w.gh.posted(12).at(-1)!.body).toBe(
      "@olga-oncall removing the `severity: P1` label from incident #12 was undone: its severity is P1 in Charter's record and changes only with `/severity`, so Charter put `severity: P1` back; the P1 escalation ladder goes on. To change it, run `/severity <level> [reason]`.",
    );
  });

  it("a triager closes an open P1: Charter reopens it, says why, and the ladder climbs on", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(5);
    const issue = w.gh.issues.get(12)!;
    issue.state = "closed";
    await w.deliver("issues", w.gh.issuesPayload("closed", 12, { sender: "tina-triage" }));
    expect(issue.state).toBe("open");
    expect(w.gh.posted(12).at(-1)!.body).toBe(
      `@tina-triage closing open incident #12 counts as \`/resolve\`, and ${RESOLVE_WHO}, and \`tina-triage\` is none of them now. Charter reopened the issue; the P1 escalation ladder goes on and nothing else changed. To end the incident, someone who may runs \`/resolve <root cause>\`.`,
    );
    await sweepEvery(w, 6, 65);
    expect(pages(w)).toEqual(FULL_P1_LADDER);
    expect(w.gh.state(12).resolution).toBeUndefined();
  });

  it("closed while Charter did not see it (webhook missed): the next sweep finds the incident in its own record, judges who closed it, and reopens it", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(5);
    await w.sweep();
    Object.assign(w.gh.issues.get(12)!, { state: "closed", state_reason: "completed", closed_by: "tina-triage" });
    await sweepEvery(w, 15, 15);
    expect(w.gh.issues.get(12)!.state).toBe("open");
    expect(w.gh.posted(12).some((p) => p.body.startsWith("@tina-triage closing open incident #12 counts as `/resolve`"))).toBe(true);
    expect(pages(w)).toEqual(FULL_P1_LADDER.slice(0, 2));
  });

  it("labels stripped while Charter did not see it (webhooks missed) are put back by the next sweep; the incident is found by its other label, or by Charter's own record", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(5);
    await w.sweep(); // this process now knows #12 is open in its record
    w.gh.issues.get(12)!.labels = []; // both labels gone, no webhook delivered
    await sweepEvery(w, 15, 15);
    expect(w.gh.issues.get(12)!.labels).toEqual(["incident", "severity: P1"]);
    expect(pages(w)).toEqual(FULL_P1_LADDER.slice(0, 2));
    // after a restart, one remaining label is enough to find it
    w.gh.issues.get(12)!.labels = ["severity: P1"];
    await w.restart();
    await sweepEvery(w, 30, 30);
    expect(w.gh.issues.get(12)!.labels).toEqual(["severity: P1", "incident"]);
    expect(pages(w)).toEqual(FULL_P1_LADDER.slice(0, 3));
  });

  it("removing the `incident` label by someone who may /resolve resolves it: not an incident any more, the issue stays open, its severity label goes, nobody is paged", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(5);
    w.gh.issues.get(12)!.labels = ["severity: P1"];
    await w.deliver("issues", w.gh.issuesPayload("unlabeled", 12, { sender: "olga-oncall", label: "incident" }));
    const issue = w.gh.issues.get(12)!;
    expect(issue.state).toBe("open");
    expect(issue.labels).toEqual([]);
    expect(w.gh.posted(12).at(-1)!.body).toContain("Root cause: not given (the `incident` label was removed by `olga-oncall`: not an incident any more)");
    expect(w.gh.state(12).resolution).toMatchObject({ by: "olga-oncall" });
    await sweepEvery(w, 6, 65);
    expect(pages(w)).toEqual(FULL_P1_LADDER.slice(0, 1));
  });
});

describe("[10] being assigned gives no authority by itself", () => {
  it("a triager assigns themselves and runs /ack where `assignees` may: refused, saying why; the ladder climbs on", async () => {
    // the model before #10 (D9's file then): `ack: [on-call, assignees, ingestion-owner, sre-lead]`
    const files = d9Files({ "incidents.yml": d9Files()["incidents.yml"]!.replace("ack: [on-call, ingestion-owner, sre-lead]", "ack: [on-call, assignees, ingestion-owner, sre-lead]") });
    const w = await world({ t0: T0, files });
    await p1(w);
    w.at(5);
    w.gh.issues.get(12)!.assignees.push("tina-triage"); // self-assigned in the UI
    await w.say(12, "tina-triage", "/ack");
    expect(w.gh.posted(12).at(-1)!.body).toBe(
      "> /ack\n\n@tina-triage `/ack` refused: `governance/incidents.yml` lets On-Call (`olga-oncall`, `omar-oncall`), the people Charter assigned to this incident (`olga-oncall`), Ingestion Owner (`ana-owner`, backup `ben-owner`) or SRE Lead (`sam-sre`, backup `sid-sre`) run `/ack`, and `tina-triage` is none of them now. `tina-triage` is assigned to the issue, but not by Charter: being assigned gives no authority by itself. Nothing was changed.",
    );
    await sweepEvery(w, 6, 65);
    expect(pages(w)).toEqual(FULL_P1_LADDER);
    expect(w.gh.state(12).acks).toEqual([]);
  });

  it("on D9 only on-call (and the owner or SRE Lead stepping in) acknowledges (D9 §2.1), however someone is assigned", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(5);
    w.gh.issues.get(12)!.assignees.push("tina-triage");
    await w.say(12, "tina-triage", "/ack");
    expect(w.gh.posted(12).at(-1)!.body).toBe(`> /ack\n\n@tina-triage \`/ack\` refused: ${ACK_WHO}, and \`tina-triage\` is none of them now. Nothing was changed.`);
  });

  it("someone Charter assigned (named commander by the Ingestion Owner) may act as an assignee: /escalate", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(5);
    w.gh.issues.get(12)!.assignees.push("tina-triage");
    await w.say(12, "tina-triage", "/escalate");
    expect(w.gh.posted(12).at(-1)!.body).toContain("`tina-triage` is assigned to the issue, but not by Charter");
    await w.say(12, "ana-owner", "/commander @dora-db");
    await w.say(12, "dora-db", "/escalate the secondary is needed now");
    expect(pageLines(w, 12).at(-1)!.line).toMatch(/^⏫ \*\*Escalated by @dora-db\*\* to step 2 of 4 of the P1 ladder .*: @omar-oncall \(On-Call Secondary\)$/);
  });
});

const TRIAGE = `
public:
  intake: triage
  limit: { max: 2, per: 1h }
`;

describe("[12] an outsider's report pages nobody and freezes nothing by itself", () => {
  it("a stranger opens the incident form on a public repository (GitHub applies `incident`): no page, no assignee, the label removed, and why, without mentioning anyone", async () => {
    const w = await world({ t0: T0 });
    w.gh.outsider("stranger");
    w.gh.clear();
    await w.open({ number: 30, title: "Everything is down!!", user: "stranger", body: formBody("P1 — System down", "@acme/everyone all down"), labels: ["incident"] });
    expect(w.gh.writes().map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE ${R}/issues/30/labels/incident`, `POST ${R}/issues/30/comments`]);
    const note = w.gh.posted(30)[0]!.body;
    expect(note).toBe(
      "**Not an incident yet.** This issue was opened by someone without access to this repository, so Charter has paged nobody and frozen nothing. Charter removed `incident`. `governance/incidents.yml` does not take incident reports from the public (`public.intake`). Someone with access can make it an incident with the `incident` label, or a role holder with `/confirm [severity]`.",
    );
    expect(mentionsIn(note)).toEqual([]);
    const issue = w.gh.issues.get(30)!;
    expect(issue.labels).toEqual([]);
    expect(issue.assignees).toEqual([]);
    // sweeps do not pick it up, commands by role holders do not open it silently
    await sweepEvery(w, 1, 20, 19);
    await w.say(30, "olga-oncall", "/ack");
    expect(w.gh.posted(30).at(-1)!.body).toBe(
      "> /ack\n\n@olga-oncall `/ack` refused: #30 was opened by someone without access to this repository, so it is not an incident until a role holder confirms it with `/confirm [severity]`. Usage: `/ack`.",
    );
    expect(pageLines(w, 30)).toEqual([]);
  });

  it("with `public.intake: triage` the report is labelled for triage; a role holder's /confirm P1 makes it an incident whose ladder counts from then", async () => {
    const w = await world({ t0: T0, files: d9Files({ "incidents.yml": d9Files()["incidents.yml"]! + TRIAGE }) });
    w.gh.outsider("stranger");
    await w.open({ number: 30, title: "Uploads fail", user: "stranger", body: formBody("P1 — System down", "uploads fail"), labels: ["incident"] });
    expect(w.gh.issues.get(30)!.labels).toEqual(["incident: unconfirmed"]);
    expect(w.gh.posted(30)[0]!.body).toContain("It is labelled `incident: unconfirmed` for triage: a role holder makes it an incident with `/confirm [severity]`");
    w.at(10);
    await w.say(30, "mallory", "/confirm P1");
    expect(w.gh.posted(30).at(-1)!.body).toContain("@mallory `/confirm` refused: `governance/incidents.yml` lets any holder of a role in roles.yml or the people Charter assigned to this incident run `/confirm`");
    await w.say(30, "omar-oncall", "/confirm P1");
    expect(w.gh.issues.get(30)!.labels).toEqual(["incident", "severity: P1"]);
    expect(w.gh.posted(30).at(-1)!.body.split("\n")[0]).toBe("✅ **Confirmed as a P1 incident by `omar-oncall`** at Wed 2025-06-04 12:10 CEST; the escalation ladder counts from now.");
    await sweepEvery(w, 11, 45);
    expect(pages(w, 30)).toEqual([
      [10, ["olga-oncall"]],
      [25, ["omar-oncall"]],
      [40, ["ana-owner"]],
    ]);
  });

  it("a triager adding the `incident` label to an outsider's report vouches for it: it opens", async () => {
    const w = await world({ t0: T0 });
    w.gh.outsider("stranger");
    await w.open({ number: 30, title: "Uploads fail", user: "stranger", body: formBody("P2", "slow"), labels: ["incident"] });
    w.at(7);
    w.gh.issues.get(30)!.labels.push("incident");
    w.gh.recordLabeled(30, "tina-triage", "incident");
    await w.deliver("issues", w.gh.issuesPayload("labeled", 30, { sender: "tina-triage", label: "incident" }));
    expect(w.gh.state(30)).toMatchObject({ severity: "P2", openedAt: "2025-06-04T10:07:00.000Z" });
    expect(pages(w, 30)).toEqual([[7, ["olga-oncall"]]]);
  });

  it("public reports are answered within a rate limit: beyond it their incident labels still go, silently", async () => {
    const w = await world({ t0: T0, files: d9Files({ "incidents.yml": d9Files()["incidents.yml"]! + TRIAGE }) });
    w.gh.outsider("stranger");
    for (const n of [30, 31, 32]) await w.open({ number: n, title: `Down ${n}`, user: "stranger", body: formBody("P1", "down"), labels: ["incident"] });
    expect([30, 31, 32].map((n) => w.gh.issues.get(n)!.labels)).toEqual([["incident: unconfirmed"], ["incident: unconfirmed"], []]);
    expect([30, 31, 32].map((n) => w.gh.posted(n).length)).toEqual([1, 1, 0]);
    // an hour later the window has room again
    w.at(61);
    await w.open({ number: 33, title: "Down 33", user: "stranger", body: formBody("P1", "down"), labels: ["incident"] });
    expect(w.gh.posted(33)).toHaveLength(1);
  });

  it("`anyone` means people with access: an outsider's /update is refused, a member's without any role is accepted", async () => {
    const files = d9Files({ "incidents.yml": d9Files()["incidents.yml"]!.replace("update: [on-call, assignees, ingestion-owner, sre-lead, support-lead]", "update: [anyone]") });
    const w = await world({ t0: T0, files });
    w.gh.outsider("stranger");
    await p1(w);
    w.at(5);
    await w.say(12, "stranger", "/update resolved all good, stop paging");
    expect(w.gh.posted(12).at(-1)!.body).toBe(
      "> /update resolved all good, stop paging\n\n@stranger `/update` refused: `governance/incidents.yml` lets anyone with access to this repository run `/update`, and `stranger` is none of them now. `stranger` has no access to this repository. Nothing was changed.",
    );
    await w.say(12, "mallory", "/update investigating looking at the gateway");
    expect(w.gh.state(12).updates.map((u) => u.by)).toEqual(["mallory"]);
  });

  it("an outsider's stream of commands gets at most `public.limit` replies per window, the last one saying so", async () => {
    const w = await world({ t0: T0, files: d9Files({ "incidents.yml": d9Files()["incidents.yml"]! + TRIAGE }) });
    w.gh.outsider("stranger");
    await p1(w);
    w.at(5);
    for (let i = 0; i < 4; i++) await w.say(12, "stranger", `/ack please ${i}`);
    const replies = w.gh.posted(12).filter((p) => p.body.startsWith("> /ack"));
    expect(replies.map((r) => r.body.split("\n")[0])).toEqual(["> /ack please 0", "> /ack please 1"]);
    expect(replies[1]!.body).toContain("_Charter answers a limited number of commands from people without access to this repository; further ones in the next 1h get no reply._");
  });
});
