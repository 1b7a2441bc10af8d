/**
 * D9 §5.1 kill-switch authority matrix, row by row, through the real app: who may activate, what
 * is written (exact PUT bodies), who is notified (mentions), what needs approval and when.
 */
import { describe, expect, it } from "vitest";
import { APP_LOGIN } from "./fake-github.js";
import { entries, expectNoWrite, refusal, switches, T0, useNock, world } from "./harness.js";
import { requestIn } from "../support/identity.js";
import { chainHead, GENESIS } from "../../src/core/log/chain.js";

const EVERYONE_BUT_SUE = ["@ana-owner", "@olga-oncall", "@omar-oncall", "@sam-sre", "@dora-db", "@pat-pm", "@amy-accounts"];

describe("§5.1 Suspected data corruption: anyone, no approval, notify all immediately", () => {
  useNock();

  it("anyone (here the Support Lead) activates at once; every D9 §5.2 field is logged; everyone is told", async () => {
    const w = await world();
    const { url } = await w.say("sue-support", "/killswitch activate global data-corruption duplicate rows in client exports");
    expect(w.fake.puts.map((p) => `${p.branch}:${p.path}`)).toEqual(["main:governance/state/killswitch.yml", "main:governance/state/log.yml"]);
    const [ks, log] = w.fake.puts;
    expect(ks!.sha).toBeDefined(); // optimistic concurrency: the blob sha the change was computed from
    expect((ks!.yaml.switches as Record<string, unknown>).global).toEqual({
      active: true,
      since: T0,
      by: "sue-support",
      scenario: "data-corruption",
      reason: "duplicate rows in client exports",
      severity: "P1",
      approval: { status: "not-required" },
      notified: EVERYONE_BUT_SUE.map((m) => m.slice(1)),
      link: url,
    });
    expect((log!.yaml.entries as unknown[])).toEqual([
      {
        id: "activate-" + url.split("-").pop(),
        timestamp: T0,
        action: "activate",
        actor: "sue-support",
        scope: "global",
        scenario: "data-corruption",
        severity: "P1",
        reason: "duplicate rows in client exports",
        approval: "not required (activate first)",
        notified: EVERYONE_BUT_SUE.map((m) => m.slice(1)),
        link: url,
        seq: 1, // Charter's writes extend the log's hash chain
        prev: GENESIS,
      },
    ]);
    const reply = w.lastReply();
    expect(reply).toContain("the kill-switch `global` is **active**: Suspected data corruption, severity P1");
    expect(reply).toContain(`Notified (Everyone, immediately): ${EVERYONE_BUT_SUE.join(", ")}.`);
    // data integrity: resuming needs the Owner, SRE Lead and PM
    expect(reply).toContain('`/killswitch resume global --verified "Investigation complete"` (now Ingestion Owner, SRE Lead and Product Manager: Data integrity event');
    expect(w.fake.reactions).toEqual([{ comment: Number(url.split("-").pop()), content: "+1" }]);
  });

  it("has no disallowed actor (who: anyone): even a person with no role may activate", async () => {
    const w = await world();
    await w.say("random-dev", "/killswitch activate workspace:acme data-corruption checksum mismatch");
    expect(switches(w.fake)["workspace:acme"]).toMatchObject({ active: true, by: "random-dev", scenario: "data-corruption" });
  });
});

describe("§5.1 Error rate > 20%: on-call, no approval, notify the Owner within 5 min", () => {
  useNock();

  it("on-call activates at once and the Ingestion Owner is notified", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 error rate 27% on uploads");
    expect(switches(w.fake).global).toMatchObject({ active: true, by: "olga-oncall", scenario: "error-rate-20", severity: "P2", approval: { status: "not-required" }, notified: ["ana-owner"] });
    expect(entries(w.fake)).toEqual([expect.objectContaining({ action: "activate", actor: "olga-oncall", severity: "P2", scope: "global", approval: "not required (activate first)", notified: ["ana-owner"] })]);
    expect(w.lastReply()).toContain("Notified (Ingestion Owner, within 5m): @ana-owner.");
    expect(w.lastReply()).toContain("Approval: none required (activate first).");
  });

  it("the secondary on call may activate too", async () => {
    const w = await world();
    await w.say("omar-oncall", "/killswitch activate global error-rate-20 errors");
    expect(switches(w.fake).global).toMatchObject({ active: true, by: "omar-oncall" });
  });

  it("refuses someone not on call (the PM), writes nothing, and says who may", async () => {
    const w = await world();
    await w.say("pat-pm", "/killswitch activate global error-rate-20 errors");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("`/killswitch` refused: the kill-switch for `error-rate-20` (Error rate > 20%) may be activated by On-Call (now @olga-oncall, @omar-oncall); @pat-pm holds none of these roles. Nothing was changed.");
  });
});

describe("§5.1 Error rate > 10%: on-call, the Owner approves within 15 min, notify the PM", () => {
  useNock();

  it("activates at once with approval pending (due in 15 min) and pages the Owner; the PM is notified", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate workspace:acme error-rate-10 error rate 12% for acme");
    expect(switches(w.fake)["workspace:acme"]).toMatchObject({
      active: true,
      scenario: "error-rate-10",
      approval: { status: "pending", roles: ["ingestion-owner"], due: "2025-06-02T10:15:00Z" },
      notified: ["pat-pm", "ana-owner"],
    });
    expect(entries(w.fake)[0]).toMatchObject({ approval: "pending: Ingestion Owner within 15m (due 2025-06-02T10:15:00Z)", notified: ["pat-pm", "ana-owner"] });
    const reply = w.lastReply();
    expect(reply).toContain("Notified (Product Manager, within 15m): @pat-pm.");
    expect(reply).toContain("Approval needed from Ingestion Owner within 15m, by 10:15 UTC: @ana-owner, reply `/killswitch approve workspace:acme` or `/killswitch reject workspace:acme <reason>`. The activation stands meanwhile.");
  });

  it("refuses the SRE Lead (not on call), with no write", async () => {
    const w = await world();
    await w.say("sam-sre", "/killswitch activate global error-rate-10 errors");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("may be activated by On-Call");
  });

  it("`/killswitch approve` by the Owner records the approval (state + log entry)", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate global error-rate-10 error rate 12%");
    w.app.clock.advanceMinutes(6);
    const { url } = await w.say("ana-owner", "/killswitch approve");
    expect(switches(w.fake).global!.approval).toEqual({ status: "approved", roles: ["ingestion-owner"], due: "2025-06-02T10:15:00Z", by: "ana-owner", at: "2025-06-02T10:06:00Z" });
    expect(entries(w.fake).map((e) => e.action)).toEqual(["activate", "approve"]);
    expect(entries(w.fake)[1]).toMatchObject({ actor: "ana-owner", scope: "global", approval: "approved by ana-owner (Ingestion Owner)", notified: ["olga-oncall"], link: url });
    expect(w.lastReply()).toContain("approved the activation of `global` by @olga-oncall. It stays active");
  });

  it("the Owner's backup may approve; the PM may not; the activator may not approve their own activation", async () => {
    const files = { "roles.yml": (await import("../support/governance-mock.js")).d9Files()["roles.yml"]!.replace("backups: [ben-owner]", "backups: [ben-owner, olga-oncall]") };
    const w = await world({ files });
    await w.say("olga-oncall", "/killswitch activate global error-rate-10 error rate 12%");
    w.fake.reset();
    await w.say("pat-pm", "/killswitch approve global");
    expect(refusal(w)).toContain("approving the activation of `global` is for Ingestion Owner (now @ana-owner, @ben-owner, @olga-oncall); @pat-pm holds none of these roles.");
    await w.say("olga-oncall", "/killswitch approve global");
    expect(refusal(w)).toContain("@olga-oncall activated `global` and cannot also approve it (four eyes)");
    expect(w.fake.puts).toEqual([]);
    await w.say("ben-owner", "/killswitch approve global");
    expect(switches(w.fake).global!.approval).toMatchObject({ status: "approved", by: "ben-owner" });
  });

  it("`/killswitch reject` records the rejection, keeps the switch active and asks on-call to resume", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate global error-rate-10 error rate 12%");
    w.app.clock.advanceMinutes(5);
    await w.say("ana-owner", "/killswitch reject global blip, error rate back to 2%");
    expect(switches(w.fake).global).toMatchObject({ active: true, approval: { status: "rejected", by: "ana-owner", at: "2025-06-02T10:05:00Z" } });
    expect(entries(w.fake)[1]).toMatchObject({ action: "reject", actor: "ana-owner", reason: "blip, error rate back to 2%", approval: "rejected by ana-owner (Ingestion Owner)", notified: ["olga-oncall", "omar-oncall"] });
    const reply = w.lastReply();
    expect(reply).toContain("rejected the activation of `global` by @olga-oncall: blip, error rate back to 2%.");
    expect(reply).toContain("A rejection does not resume the kill-switch by itself (paused is the safe state): @olga-oncall, @omar-oncall, please decide whether to resume now.");
    expect(reply).toContain('`/killswitch resume global --verified "Test upload passes"`');
  });

  it("a missed deadline escalates once through the sweep: `approval-overdue` logged, the Owner and backup paged", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate global error-rate-10 error rate 12%");
    const { sweepOnce } = await import("./sweep.js");
    w.app.clock.set("2025-06-02T10:14:59Z");
    expect((await sweepOnce(w)).actions).toEqual([]);
    w.app.clock.set("2025-06-02T10:16:00Z");
    w.fake.reset();
    const report = await sweepOnce(w);
    expect(report.actions).toEqual(["approval of kill-switch global overdue since 2025-06-02T10:15:00.000Z: paged ana-owner, ben-owner on #7"]);
    expect(switches(w.fake).global!.approval).toMatchObject({ status: "overdue", due: "2025-06-02T10:15:00Z" });
    expect(entries(w.fake)[1]).toEqual({
      id: "approval-overdue-global-2025-06-02T10:00:00Z",
      timestamp: "2025-06-02T10:16:00Z",
      action: "approval-overdue",
      actor: APP_LOGIN,
      scope: "global",
      scenario: "error-rate-10",
      severity: "P2",
      reason: "approval by Ingestion Owner was due at 2025-06-02T10:15:00Z",
      approval: "overdue",
      notified: ["ana-owner", "ben-owner"],
      link: expect.stringContaining("/issues/7#issuecomment-"),
      seq: 2,
      prev: chainHead(entries(w.fake).slice(0, 1) as never),
    });
    expect(w.fake.comments.at(-1)).toMatchObject({ issue: 7 });
    // paged through the incidents' paging adapter (no assignment): the Owner, and the backup named below
    expect(w.lastReply()).toBe(
      [
        "📟 **Kill-switch approval overdue: `global`**: @ana-owner (Ingestion Owner)",
        "Approval of the kill-switch `global` activation (Error rate > 10%) by @olga-oncall at 10:00 UTC was due from Ingestion Owner at 10:15 UTC and is **overdue**. Backups: @ben-owner.",
        "",
        "The kill-switch stays active. Decide now: `/killswitch approve global` or `/killswitch reject global <reason>`.",
      ].join("\n"),
    );
    expect(w.fake.count("POST", /assignees$/)).toBe(0);
    // once: later sweeps find nothing to do
    w.fake.reset();
    const comments = w.fake.comments.length;
    w.app.clock.set("2025-06-02T11:00:00Z");
    expect((await sweepOnce(w)).actions).toEqual([]);
    expect(w.fake.puts.filter((p) => p.status === 0)).toEqual([]);
    expect(w.fake.count("PUT")).toBe(0);
    expect(w.fake.comments.length).toBe(comments);
    // approving late still works, and says so
    await w.say("ana-owner", "/killswitch approve");
    expect(switches(w.fake).global!.approval).toMatchObject({ status: "approved" });
    expect(w.lastReply()).toContain("(after its deadline)");
  });
});

describe("§5.1 Planned maintenance: Owner, PM approves 24 h in advance, everyone told 24 h in advance", () => {
  useNock();

  it("the Owner's request opens a pull request with the activation and the approval checklist; nothing is active yet", async () => {
    const w = await world();
    const { id } = await w.say("ana-owner", "/killswitch activate global planned-maintenance database upgrade Tuesday 02:00");
    expect(w.fake.count("PUT", /main/)).toBe(0);
    expect(switches(w.fake).global).toEqual({ active: false });
    const branch = `charter/activate-global-${id}`;
    expect(w.fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /repos/acme/ingestion/git/refs",
      "PUT /repos/acme/ingestion/contents/governance/state/killswitch.yml",
      "PUT /repos/acme/ingestion/contents/governance/state/log.yml",
      "POST /repos/acme/ingestion/pulls",
      "POST /repos/acme/ingestion/issues/comments/" + id + "/reactions",
      "POST /repos/acme/ingestion/issues/7/comments",
    ]);
    expect(w.fake.puts.every((p) => p.branch === branch)).toBe(true);
    expect(switches(w.fake, branch).global).toMatchObject({ active: true, scenario: "planned-maintenance", severity: "P3", approval: { status: "approved", roles: ["product-manager"] } });
    expect(entries(w.fake, branch)[0]).toMatchObject({ action: "activate", approval: "required 24h in advance: Product Manager (pull request sign-off)" });
    const pr = w.fake.pulls[0]!;
    expect(pr).toMatchObject({ head: branch, base: "main", title: "Kill-switch: activate global (Planned maintenance)" });
    expect(requestIn(pr)).toEqual({ ok: true, unsealed: false, request: { kind: "activate", issue: 7, by: "ana-owner", scope: "global" } });
    expect(pr.body).toContain("- [ ] Product Manager approves this activation (24h in advance): @pat-pm");
    expect(pr.body).toContain("Notified (Everyone, 24h in advance): @olga-oncall, @omar-oncall, @sam-sre, @dora-db, @pat-pm, @sue-support, @amy-accounts.");
    expect(w.lastReply()).toContain("`planned-maintenance` (Planned maintenance) needs Product Manager's approval 24h in advance, so the kill-switch `global` is **not active yet**. I opened #100");
  });

  it("the sign-off check gates it by the owners of governance/ (no transition rule covers activating: fail safe), which includes the PM", async () => {
    const w = await world();
    await w.say("ana-owner", "/killswitch activate global planned-maintenance database upgrade");
    const pr = w.fake.pulls[0]!;
    const { signoffOf } = await import("./signoff.js");
    const pmOnly = await signoffOf(w.fake, pr, [{ login: "pat-pm" }], w.app.clock.now());
    expect(pmOnly.tree.gates.map((g) => [g.gate.title, g.signers.map((x) => x.label)])).toEqual([["OWNERS /governance/", ["Ingestion Owner", "SRE Lead", "Product Manager"]]]);
    expect(pmOnly.tree.gates[0]!.gate.reasons.join(" ")).toContain("the kill-switch `global` is activated by hand");
    expect(pmOnly.check.conclusion).toBe("failure");
    const all = await signoffOf(w.fake, pr, [{ login: "pat-pm" }, { login: "ben-owner" }, { login: "sam-sre" }], w.app.clock.now());
    expect(all.check.conclusion).toBe("success");
  });

  it("merging it activates: the switch's `since` becomes the merge time and the issue hears it", async () => {
    const w = await world();
    await w.say("ana-owner", "/killswitch activate global planned-maintenance database upgrade");
    const pr = w.fake.pulls[0]!;
    w.fake.merge(pr.number);
    w.app.clock.set("2025-06-03T02:00:05Z");
    await w.closed(pr, { merged: true, mergedBy: "pat-pm", mergedAt: "2025-06-03T02:00:00Z" });
    expect(switches(w.fake).global).toMatchObject({ active: true, since: "2025-06-03T02:00:00Z", approval: { status: "approved", at: "2025-06-03T02:00:00Z" } });
    expect(entries(w.fake).map((e) => e.action)).toEqual(["activate"]);
    expect(w.lastReply()).toBe("@ana-owner the kill-switch `global` is **active** since 2025-06-03T02:00:00Z: #100 was merged by @pat-pm.");
  });

  it("refuses on-call (only the Owner may plan maintenance), with no branch or pull request", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate global planned-maintenance upgrade");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("may be activated by Ingestion Owner (now @ana-owner, @ben-owner); @olga-oncall holds none of these roles.");
  });
});

describe("§5.1 Client request: Owner with the PM's approval, Support told immediately", () => {
  useNock();

  it("the Owner's request is a pull request for the PM; merging it activates and tells Support", async () => {
    const w = await world();
    await w.say("ana-owner", "/killswitch activate workspace:globex client-request Globex asked to pause imports");
    const pr = w.fake.pulls[0]!;
    expect(pr.body).toContain("- [ ] Product Manager approves this activation (before activation): @pat-pm");
    expect(pr.body).toContain("On activation Charter notifies Support Lead (immediately).");
    expect(switches(w.fake, pr.head)["workspace:globex"]).toMatchObject({ active: true, scenario: "client-request" });
    w.fake.merge(pr.number);
    await w.closed(pr, { merged: true, mergedBy: "ana-owner", mergedAt: "2025-06-02T10:20:00Z" });
    expect(switches(w.fake)["workspace:globex"]).toMatchObject({ active: true, since: "2025-06-02T10:20:00Z" });
    expect(w.lastReply()).toContain("Notified (Support Lead): @sue-support.");
  });

  it("refuses the PM as the activator (the PM approves, the Owner activates)", async () => {
    const w = await world();
    await w.say("pat-pm", "/killswitch activate workspace:globex client-request pause");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("may be activated by Ingestion Owner");
  });

  it("closing the pull request unmerged activates nothing and says so", async () => {
    const w = await world();
    await w.say("ana-owner", "/killswitch activate workspace:globex client-request pause");
    w.fake.reset();
    await w.closed(w.fake.pulls[0]!, { merged: false });
    expect(w.fake.count("PUT")).toBe(0);
    expect(w.lastReply()).toBe("@ana-owner #100 was closed without merging: nothing changed, the kill-switch `workspace:globex` was not activated.");
  });
});

describe("bad input changes nothing", () => {
  useNock();

  it.each([
    ["/killswitch activate global error-rate-2O errors", "unknown kill-switch scenario `error-rate-2O`"],
    ["/killswitch activate everything error-rate-20 errors", "`everything` is not a scope: write `global` or `workspace:<name>`"],
    ["/killswitch activate global error-rate-20", "a reason is required: it is recorded in the activation log (D9 §5.2)."],
    ["/killswitch activte global error-rate-20 x", "unknown action `activte`: did you mean `activate`?"],
    ["/killswitch", "which action? one of `activate`, `approve`, `reject`, `resume`, `status`."],
  ])("%s", async (command, message) => {
    const w = await world();
    await w.say("olga-oncall", command);
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain(message);
    expect(w.lastReply()).toContain("Usage: `/killswitch activate <scope> <scenario> <reason…>");
  });

  it("an active scope is not activated again", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 errors");
    const puts = w.fake.puts.length;
    await w.say("omar-oncall", "/killswitch activate global error-rate-20 still errors");
    expect(w.fake.puts.length).toBe(puts);
    expect(refusal(w)).toContain("the kill-switch `global` is already active since 2025-06-02T10:00:00Z (by @olga-oncall, `error-rate-20`). `/killswitch resume global` ends it.");
  });

  it("a duplicate delivery of the same comment logs the activation once", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 errors", { id: 4242 });
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 errors", { id: 4242 });
    expect(entries(w.fake).map((e) => e.id)).toEqual(["activate-4242"]);
    expect(w.lastReply()).toContain("is **active** (already recorded)");
  });

  it("`/help` lists /killswitch for anyone (anyone may report data corruption), /rollback and /advance only for their roles", async () => {
    const w = await world();
    await w.say("sue-support", "/help");
    expect(w.lastReply()).toContain("| `/killswitch activate <scope> <scenario> <reason…>");
    expect(w.lastReply()).not.toContain("/rollback <to-phase>");
    expect(w.lastReply()).not.toContain("/advance <to-phase>");
    await w.say("ana-owner", "/help");
    expect(w.lastReply()).toContain("| `/rollback <to-phase> <type> <reason…>` |");
    expect(w.lastReply()).toContain("| `/advance <to-phase>` |");
  });

  it("`/killswitch status` shows what is active and what resuming needs now", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 errors");
    w.app.clock.advanceMinutes(90);
    await w.say("sue-support", "/killswitch status");
    // the activator is named without an @: asking for the status (anyone may, even a stranger) notifies nobody
    expect(w.lastReply()).toContain("| `global` | 10:00 UTC (1h 30m) | `olga-oncall` | Error rate > 20% | not-required | Ingestion Owner: Test upload passes, Metrics check |");
  });
});
