/**
 * Hardening issue #10, item 11: Charter's own pull requests are trusted by their editable body.
 *
 * When a pull request is merged, Charter acts (confirms, notifies, writes follow-ups) only on its
 * own request: opened by Charter's bot user, from a branch of this repository, into the default
 * branch, with a sealed request marker that verifies. Anything else that looks like a Charter
 * request is refused and said so on the pull request. And a merge changes only what its files
 * change: a follow-up edit is written only when the merged state files show exactly what the
 * request asked for; otherwise Charter does nothing and says why.
 */
import { describe, expect, it } from "vitest";
import { sealedRequest } from "../support/identity.js";
import { entries, switches, T0, useNock, world, type World } from "./harness.js";
import type { PullRecord } from "./fake-github.js";

/** Comments Charter wrote on issue or pull request `n`. */
const commentsOn = (w: World, n: number) => w.fake.comments.filter((c) => c.issue === n).map((c) => c.body);

/** Writes to the default branch (file PUTs on `main`). */
const mainWrites = (w: World) => w.fake.puts.filter((p) => p.branch === "main");

/** A pull request someone other than Charter opened, from `head` with `files` changed. */
function foreignPull(w: World, head: string, body: string, files: Record<string, string>): PullRecord {
  w.fake.branches.set(head, w.fake.branches.get("main")!);
  w.fake.branchPoints.set(head, w.fake.branches.get("main")!);
  w.fake.write(head, files, "looks like Charter");
  const pr: PullRecord = { number: 900 + w.fake.pulls.length, title: "Kill-switch: activate global", head, base: "main", body, headSha: w.fake.branches.get(head)!, state: "open" };
  w.fake.pulls.push(pr);
  return pr;
}

describe("#10 item 11: a merged pull request that is not Charter's own request", () => {
  useNock();

  it("an owner-signed `workspace:acme` resume whose marker is edited to `kind=activate scope=global`: nothing is written, the pending approval stays pending, and the pull request says why", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate workspace:acme error-rate-20 acme uploads failing");
    w.app.clock.advanceMinutes(90);
    await w.say("omar-oncall", "/killswitch activate global error-rate-10 error rate 12%");
    const globalBefore = switches(w.fake).global;
    expect(globalBefore).toMatchObject({ active: true, by: "omar-oncall", approval: { status: "pending" } });
    await w.say("olga-oncall", '/killswitch resume workspace:acme --verified "Test upload passes" --verified "Metrics check"');
    const pr = w.fake.pulls[0]!;
    expect(pr.body).toContain('{"kind":"resume","issue":7,"by":"olga-oncall","scope":"workspace:acme"}');

    // the attacker (anyone with write access) edits the description; the owner signs the resume and merges
    pr.body = pr.body.replace('{"kind":"resume","issue":7,"by":"olga-oncall","scope":"workspace:acme"}', '{"kind":"activate","issue":7,"by":"olga-oncall","scope":"global"}');
    w.fake.review(pr.number, "ana-owner");
    w.fake.merge(pr.number);
    w.fake.reset();
    const before = w.fake.comments.length;
    await w.closed(pr, { merged: true, mergedBy: "ana-owner", mergedAt: "2025-06-02T11:35:00Z" });

    expect(mainWrites(w)).toEqual([]);
    expect(switches(w.fake).global).toEqual(globalBefore); // since and the pending approval untouched
    expect(switches(w.fake)["workspace:acme"]).toEqual({ active: false }); // what the merged files say, nothing more
    const added = w.fake.comments.slice(before);
    expect(added.map((c) => c.issue)).toEqual([pr.number]);
    expect(added[0]!.body).toBe(
      `Charter did not act on this merge: the request marker in this pull request's description was edited, or copied from elsewhere (its seal does not match), so Charter cannot tell what was requested. The merged files are in effect as merged; Charter confirmed nothing, notified nobody and wrote no follow-up. Check \`governance/state/\` on \`main\` by hand.`,
    );
  });

  it("another bot's `charter/*` pull request, carrying a marker copied from Charter's, is not acted on, and the pull request says so", async () => {
    const w = await world();
    const head = "charter/activate-global-4242";
    const marker = sealedRequest({ kind: "activate", issue: 7, by: "olga-oncall", scope: "global" }, head); // a valid seal, copied
    const pr = foreignPull(w, head, `${marker}\nActivate global.`, { "state/killswitch.yml": "version: 1\nswitches:\n  global: { active: true, since: 2025-06-02T09:00:00Z, by: olga-oncall, scenario: error-rate-10, approval: { status: pending, roles: [ingestion-owner], due: 2025-06-02T09:15:00Z } }\n" });
    w.fake.merge(pr.number);
    w.fake.reset();
    await w.closed(pr, { merged: true, mergedBy: "olga-oncall", mergedAt: "2025-06-02T10:30:00Z", user: "helper-app[bot]" });
    expect(mainWrites(w)).toEqual([]);
    expect(switches(w.fake).global).toMatchObject({ since: "2025-06-02T09:00:00Z", approval: { status: "pending" } });
    expect(commentsOn(w, 7)).toEqual([]);
    expect(commentsOn(w, pr.number)).toEqual([
      "Charter did not act on this merge: this pull request was opened by helper-app[bot], not by Charter (`charter[bot]`). Only pull requests Charter opens carry its requests, whatever their branch or description say. The merged files are in effect as merged; Charter confirmed nothing, notified nobody and wrote no follow-up. Check `governance/state/` on `main` by hand.",
    ]);
  });

  it("a pull request from a fork with a `charter/` branch is not acted on, and the pull request says so", async () => {
    const w = await world();
    const head = "charter/resume-global-77";
    const marker = sealedRequest({ kind: "resume", issue: 7, by: "olga-oncall", scope: "global" }, head);
    const pr = foreignPull(w, head, `${marker}\nResume.`, { "README.md": "hi\n" });
    w.fake.merge(pr.number);
    w.fake.reset();
    await w.closed(pr, { merged: true, mergedBy: "ana-owner", user: "mallory", headRepo: "mallory/ingestion" });
    expect(mainWrites(w)).toEqual([]);
    expect(commentsOn(w, 7)).toEqual([]);
    expect(commentsOn(w, pr.number)).toEqual([
      "Charter did not act on this merge: its branch `charter/resume-global-77` is in mallory/ingestion, not in this repository. Only pull requests Charter opens carry its requests, whatever their branch or description say. The merged files are in effect as merged; Charter confirmed nothing, notified nobody and wrote no follow-up. Check `governance/state/` on `main` by hand.",
    ]);
  });

  it("closing such a pull request without merging changes nothing and says nothing", async () => {
    const w = await world();
    const pr = foreignPull(w, "charter/activate-global-1", sealedRequest({ kind: "activate", issue: 7, by: "olga-oncall", scope: "global" }, "charter/activate-global-1"), { "README.md": "x\n" });
    w.fake.reset();
    await w.closed(pr, { merged: false, user: "helper-app[bot]" });
    expect(w.fake.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("an ordinary pull request (no `charter/` branch, no marker) is none of Charter's business here", async () => {
    const w = await world();
    const pr = foreignPull(w, "docs", "Docs.", { "README.md": "x\n" });
    w.fake.merge(pr.number);
    w.fake.reset();
    await w.closed(pr, { merged: true, mergedBy: "ana-owner", user: "rob-release" });
    expect(w.fake.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });
});

describe("#10 item 11: merging a Charter pull request changes only what its files change", () => {
  useNock();

  it("an activation whose branch was changed so the merged killswitch.yml shows someone else's pending activation: `since` and the pending approval are left alone, and the issue hears why", async () => {
    const w = await world();
    await w.say("ana-owner", "/killswitch activate global planned-maintenance database migration on Tuesday");
    const pr = w.fake.pulls[0]!;
    // meanwhile on-call activates global directly; its approval by the Owner is pending
    w.app.clock.advanceMinutes(5);
    await w.say("omar-oncall", "/killswitch activate global error-rate-10 error rate 12%");
    const pending = switches(w.fake).global;
    expect(pending).toMatchObject({ by: "omar-oncall", approval: { status: "pending" } });
    // the branch is "updated with main" so it merges cleanly: its killswitch.yml is main's, its log adds the activation entry
    const mainLog = w.fake.file("state/log.yml")!;
    const prEntry = w.fake.file("state/log.yml", pr.head)!.split("entries:\n")[1]!;
    w.fake.write(pr.head, { "state/killswitch.yml": w.fake.file("state/killswitch.yml")!, "state/log.yml": `${mainLog.trimEnd()}\n${prEntry}` });
    w.fake.merge(pr.number);
    w.fake.reset();
    await w.closed(pr, { merged: true, mergedBy: "pat-pm", mergedAt: "2025-06-02T10:30:00Z" });

    expect(mainWrites(w)).toEqual([]);
    expect(switches(w.fake).global).toEqual(pending);
    expect(w.lastReply()).toBe(
      `@ana-owner Charter did not finish #${pr.number} (merged by @pat-pm): the merged \`governance/state/killswitch.yml\` does not show \`global\` activated by this request (it shows the activation by @omar-oncall at 2025-06-02T10:05:00Z), so Charter wrote no follow-up and notified nobody. Check the merged change.`,
    );
  });

  it("an activation whose branch no longer activates anything: nothing is written and the issue hears why", async () => {
    const w = await world();
    await w.say("ana-owner", "/killswitch activate workspace:acme planned-maintenance maintenance");
    const pr = w.fake.pulls[0]!;
    w.fake.write(pr.head, { "state/killswitch.yml": w.fake.file("state/killswitch.yml")! });
    w.fake.merge(pr.number);
    w.fake.reset();
    await w.closed(pr, { merged: true, mergedBy: "pat-pm" });
    expect(mainWrites(w)).toEqual([]);
    expect(w.lastReply()).toBe(
      `@ana-owner Charter did not finish #${pr.number} (merged by @pat-pm): the merged \`governance/state/killswitch.yml\` does not show \`workspace:acme\` activated by this request (it shows \`workspace:acme\` inactive), so Charter wrote no follow-up and notified nobody. Check the merged change.`,
    );
  });

  it("a rollback whose branch was changed so the merged phase.yml is not the rollback's: no switch is marked `rolled_back`, and the issue hears why", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 errors");
    await w.say("olga-oncall", "/rollback P2 p1-incident error rate above 20% for an hour");
    const pr = w.fake.pulls[0]!;
    w.fake.write(pr.head, { "state/phase.yml": w.fake.file("state/phase.yml")! }); // phase stays P3
    w.fake.merge(pr.number);
    w.fake.reset();
    await w.closed(pr, { merged: true, mergedBy: "ana-owner" });
    expect(mainWrites(w)).toEqual([]);
    expect(switches(w.fake).global!.rolled_back).toBeUndefined();
    expect(w.lastReply()).toBe(
      `@olga-oncall Charter did not finish #${pr.number} (merged by @ana-owner): the merged \`governance/state/phase.yml\` shows P3, not P2 as this rollback requested, so Charter marked no kill-switch \`rolled_back\` and informed nobody. Check the merged change.`,
    );
  });

  it("a resume whose merged killswitch.yml still shows the switch active is not confirmed, and nobody is notified", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 errors");
    w.app.clock.advanceMinutes(120);
    await w.say("olga-oncall", '/killswitch resume global --verified "Test upload passes" --verified "Metrics check"');
    const pr = w.fake.pulls[0]!;
    w.fake.write(pr.head, { "state/killswitch.yml": w.fake.file("state/killswitch.yml")! });
    w.fake.merge(pr.number);
    w.fake.reset();
    await w.closed(pr, { merged: true, mergedBy: "ana-owner" });
    expect(mainWrites(w)).toEqual([]);
    expect(w.lastReply()).toBe(
      `@olga-oncall Charter did not finish #${pr.number} (merged by @ana-owner): the merged \`governance/state/killswitch.yml\` still shows \`global\` active, so the kill-switch is **not** resumed and Charter notified nobody. Check the merged change.`,
    );
  });

  it("an advance whose merged phase.yml is not the requested phase is not confirmed", async () => {
    const w = await world();
    await w.say("ana-owner", "/advance P4");
    const pr = w.fake.pulls[0]!;
    w.fake.write(pr.head, { "state/phase.yml": w.fake.file("state/phase.yml")! });
    w.fake.merge(pr.number);
    await w.closed(pr, { merged: true, mergedBy: "pat-pm" });
    expect(w.lastReply()).toBe(`@ana-owner Charter did not finish #${pr.number} (merged by @pat-pm): the merged \`governance/state/phase.yml\` shows P3, not P4 as this advance requested. Check the merged change.`);
  });

  it("the legitimate merges still finish: activation `since` becomes the merge time, and the log is untouched", async () => {
    const w = await world({ now: T0 });
    await w.say("ana-owner", "/killswitch activate global planned-maintenance database migration");
    const pr = w.fake.pulls[0]!;
    w.fake.merge(pr.number);
    const log = entries(w.fake);
    w.fake.reset();
    await w.closed(pr, { merged: true, mergedBy: "pat-pm", mergedAt: "2025-06-03T02:00:00Z" });
    expect(mainWrites(w).map((p) => p.path)).toEqual(["governance/state/killswitch.yml"]);
    expect(switches(w.fake).global).toMatchObject({ active: true, by: "ana-owner", since: "2025-06-03T02:00:00Z", approval: { status: "approved", at: "2025-06-03T02:00:00Z" } });
    expect(entries(w.fake)).toEqual(log);
  });
});
