/**
 * Timed work is level-triggered: duplicate deliveries, concurrent sweeps, hours of downtime and a
 * crash between paging and writing the state each lead to every page exactly once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { TestOctokit } from "../support/app-harness.js";
import { OWNER, REPO } from "../support/governance-mock.js";
import { incidentSweepTask } from "../../src/reconcile/incidents.js";
import { governanceFromDefaultBranch } from "../../src/github/governance.js";
import { cleanup, pageLines, world, type World } from "./support/world.js";
import { testIdentity } from "../support/identity.js";

afterEach(cleanup);

const T0 = "2025-06-04T10:00:00Z";

async function p1(w: World, number = 12) {
  return w.open({ number, title: "Ingestion down", labels: ["incident", "severity: P1"] });
}

const statusComments = (w: World, issue: number) => w.gh.botComments(issue).filter((c) => c.body.includes("<!-- charter:incident "));

describe("idempotence", () => {
  it("the same issues.opened delivered twice opens the incident once", async () => {
    const w = await world({ t0: T0 });
    const issue = w.gh.addIssue({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    const payload = w.gh.issuesPayload("opened", issue.number);
    await w.deliver("issues", payload, "delivery-1");
    await w.deliver("issues", payload, "delivery-1");
    expect(statusComments(w, 12)).toHaveLength(1);
    expect(w.gh.writes().filter((r) => r.path.endsWith("/issues/12/assignees"))).toHaveLength(1);
    expect(pageLines(w, 12)).toHaveLength(1);
  });

  it("issues.opened and issues.labeled for the same new issue, concurrently, open it once", async () => {
    const w = await world({ t0: T0 });
    const issue = w.gh.addIssue({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    await Promise.all([
      w.deliver("issues", w.gh.issuesPayload("opened", issue.number)),
      w.deliver("issues", w.gh.issuesPayload("labeled", issue.number, { label: "incident" })),
      w.deliver("issues", w.gh.issuesPayload("labeled", issue.number, { label: "severity: P1" })),
    ]);
    expect(statusComments(w, 12)).toHaveLength(1);
    expect(pageLines(w, 12)).toHaveLength(1);
  });

  it("a redelivered command comment (same comment id) is carried out once, also by a restarted process", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(5);
    const c = w.gh.addComment(12, "olga-oncall", "/escalate secondary needed, DB is involved");
    const payload = w.gh.commentPayload(c.id);
    await w.deliver("issue_comment", payload, "delivery-7");
    const before = w.gh.writes().length;
    await w.deliver("issue_comment", payload, "delivery-7"); // the same process: the dispatcher knows the delivery
    expect(w.gh.writes().slice(before)).toEqual([]);
    await w.restart(); // a new process knows nothing in memory: the state's processed ids decide
    await w.deliver("issue_comment", payload, "delivery-7");
    const second = w.gh.writes().slice(before);
    // no comment, no assignment, no state edit; only the (idempotent) 👍 again
    expect(second.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /repos/${OWNER}/${REPO}/issues/comments/${c.id}/reactions`]);
    expect(pageLines(w, 12).map((p) => [p.minute, p.mentions])).toEqual([
      [0, ["olga-oncall"]],
      [5, ["olga-oncall", "omar-oncall"]],
    ]);
    expect(pageLines(w, 12)[1]!.line).toBe("⏫ **Escalated by @olga-oncall** to step 2 of 4 of the P1 ladder (+15m, Secondary joins): secondary needed, DB is involved: @omar-oncall (On-Call Secondary)");
    expect(w.gh.state(12).processed).toEqual([c.id]);
    // …and the escalated step is not paged again when its time comes
    w.at(15);
    await w.sweep();
    expect(pageLines(w, 12)).toHaveLength(2);
  });

  it("two sweeps at once page the +15 step once", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(15);
    await Promise.all([w.sweep(), w.sweep()]);
    // and the task itself, run twice concurrently outside the runner's per-repository queue, with a webhook in between
    w.at(30);
    const gh = new TestOctokit({ auth: "test-token" });
    const deps = { clock: w.app.clock, governance: w.app.cache, identity: testIdentity };
    const snapshot = await governanceFromDefaultBranch(gh, { owner: OWNER, repo: REPO }, "main", w.app.cache);
    const input = { gh, repo: { owner: OWNER, repo: REPO }, defaultBranch: "main", snapshot, now: w.app.clock.now(), deps, log: w.app.probot.log };
    const comment = w.gh.addComment(12, "ana-owner", "Looking at the dashboards now");
    await Promise.all([incidentSweepTask.run(input), incidentSweepTask.run(input), w.deliver("issue_comment", w.gh.commentPayload(comment.id))]);
    expect(pageLines(w, 12).map((p) => [p.minute, p.mentions])).toEqual([
      [0, ["olga-oncall"]],
      [15, ["omar-oncall"]],
      [30, ["ana-owner"]],
    ]);
  });

  it("after 3 hours of downtime one sweep does each missed step once, and says it is late", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    // Charter is down from t0+1s to +3h05m; then a fresh process sweeps
    w.at(185);
    await w.restart();
    w.gh.clear();
    await w.sweep();
    const comments = w.gh.posted(12).slice(1); // after the status comment
    expect(comments).toHaveLength(1);
    expect(comments[0]!.at).toBe("2025-06-04T13:05:00.000Z");
    const lines = comments[0]!.body.split("\n");
    expect(lines.filter((l) => l.startsWith("🔔"))).toEqual([
      "🔔 **Step 2 of 4 of the P1 ladder (+15m, Secondary joins)**: @omar-oncall (On-Call Secondary) — +15m step done at +3h 5m: Charter was not running when it was due (12:15 CEST)",
      "🔔 **Step 3 of 4 of the P1 ladder (+30m, Ingestion Owner joins)**: @ana-owner (Ingestion Owner) — +30m step done at +3h 5m: Charter was not running when it was due (12:30 CEST)",
      "🔔 **Step 4 of 4 of the P1 ladder (+1h, SRE Lead + PM)**: @sam-sre (SRE Lead), @pat-pm (Product Manager) — +1h step done at +3h 5m: Charter was not running when it was due (13:00 CEST)",
    ]);
    // one acknowledgement notice and one reminder (the latest), not six
    expect(lines.filter((l) => l.startsWith("⏰"))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith("📝"))).toEqual([
      "📝 **Status update due** (every 30m; no update since 12:00 CEST): @olga-oncall, post one with `/update <status> <what you know>`. (5 earlier reminders were not sent: Charter was not running)",
    ]);
    // the requests of that sweep: list incidents (by the incident label and each of the 3 severity labels),
    // read the comments (no cache after the restart), page, assign, write state
    expect(w.gh.api().map((r) => `${r.method} ${r.path}${r.path.endsWith("/issues") ? `?labels=${r.query.labels}` : ""}`)).toEqual([
      `GET /repos/${OWNER}/${REPO}/issues?labels=incident`,
      `GET /repos/${OWNER}/${REPO}/issues?labels=severity: P1`,
      `GET /repos/${OWNER}/${REPO}/issues?labels=severity: P2`,
      `GET /repos/${OWNER}/${REPO}/issues?labels=severity: P3`,
      `GET /repos/${OWNER}/${REPO}/issues/12/comments`,
      `POST /repos/${OWNER}/${REPO}/issues/12/comments`,
      `POST /repos/${OWNER}/${REPO}/issues/12/assignees`,
      `PATCH /repos/${OWNER}/${REPO}/issues/comments/${statusComments(w, 12)[0]!.id}`,
    ]);
    expect(w.gh.state(12).pages.filter((p) => p.late === "late").map((p) => p.key)).toEqual(["s1.1", "s1.2", "s1.3"]);
    // a second sweep, and a third one after another restart, do nothing
    w.gh.clear();
    await w.sweep();
    await w.restart();
    await w.sweep();
    expect(w.gh.writes()).toEqual([]);
  });

  it("a crash between the page and the state write does not page twice (recovered from the page's marker)", async () => {
    const w = await world({ t0: T0 });
    await p1(w);
    w.at(15);
    w.gh.failNext = { method: "PATCH", path: /\/issues\/comments\/\d+$/, status: 500 };
    const r = await w.sweep();
    expect(r.reports[0]!.actions).toEqual([expect.stringMatching(/^#12 failed/)]);
    expect(pageLines(w, 12)).toHaveLength(2); // the page went out, the state write failed
    expect(w.gh.state(12).pages.map((p) => p.key)).toEqual(["s1.0"]);
    await w.restart();
    w.at(16);
    await w.sweep();
    w.at(20);
    await w.sweep();
    expect(pageLines(w, 12).map((p) => [p.minute, p.mentions])).toEqual([
      [0, ["olga-oncall"]],
      [15, ["omar-oncall"]],
    ]);
    expect(w.gh.state(12).pages.map((p) => p.key)).toEqual(["s1.0", "s1.1"]);
    expect(w.gh.state(12).ackNoticed).toEqual([1]);
  });
});
