/**
 * D9 §6.3 rollback authority row by row, §6.4 sign-off form, §6.1/§6.2 phase gates through the
 * real app: the allowed actor succeeds (emergency at once, the rest as gated pull requests), the
 * disallowed one is refused with no write; the sign-off check reads the bodies Charter writes.
 */
import { describe, expect, it } from "vitest";
import { missingFormFields } from "../../src/core/signoff/body.js";
import { d9Files } from "../support/governance-mock.js";
import { entries, expectNoWrite, refusal, switches, T0, useNock, world } from "./harness.js";
import { confirmAll, signoffOf } from "./signoff.js";
import { requestIn } from "../support/identity.js";
import { chainHead } from "../../src/core/log/chain.js";

const FORM = ["Date", "Time", "Rolled back from", "Rolled back to", "Reason", "Authorized by", "Approved by", "Next steps"];
const phaseOf = (w: { fake: { yaml(p: string, b?: string): Record<string, unknown> } }, branch?: string) => w.fake.yaml("state/phase.yml", branch);

describe("§6.3 Emergency (data at risk): On-Call decides immediately, everyone is told after", () => {
  useNock();

  it("on-call rolls back at once: phase written, rollback logged, active switches marked rolled_back, everyone informed", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 errors");
    w.app.clock.advanceMinutes(3);
    w.fake.reset();
    const { url, id } = await w.say("olga-oncall", "/rollback P2 emergency uploads are corrupting client data");
    expect(w.fake.puts.map((p) => p.path)).toEqual(["governance/state/phase.yml", "governance/state/log.yml", "governance/state/killswitch.yml"]);
    expect(w.fake.puts[0]!.yaml).toEqual({ version: 1, phase: "P2", since: "2025-06-02T10:03:00Z", by: "olga-oncall", link: url });
    expect(w.fake.puts[0]!.text).toContain("# The current rollout phase."); // comments kept
    expect(entries(w.fake)[1]).toEqual({
      id: `rollback-${id}`,
      timestamp: "2025-06-02T10:03:00Z",
      action: "rollback",
      actor: "olga-oncall",
      reason: "uploads are corrupting client data",
      approval: "not required: Emergency (data at risk), On-Call acts immediately",
      notified: ["ana-owner", "omar-oncall", "sam-sre", "dora-db", "pat-pm", "sue-support", "amy-accounts"],
      from_phase: "P3",
      to_phase: "P2",
      rollback_type: "emergency",
      link: url,
      seq: 2,
      prev: chainHead(entries(w.fake).slice(0, 1) as never),
    });
    expect(switches(w.fake).global).toMatchObject({ active: true, rolled_back: true });
    expect(w.lastReply()).toContain("rolled back: the rollout is now in **P2** (was P3), Emergency (data at risk).");
    expect(w.lastReply()).toContain("Informed after the rollback (Everyone): @ana-owner, @omar-oncall, @sam-sre, @dora-db, @pat-pm, @sue-support, @amy-accounts.");
    expect(w.lastReply()).toContain("Active kill-switches (`global`) are marked `rolled_back`: resuming them needs the rollback authority.");
  });

  it("refuses the PM (not a decision maker of an emergency rollback), with no write", async () => {
    const w = await world();
    await w.say("pat-pm", "/rollback P2 emergency data at risk");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("the Emergency (data at risk) rollback (`emergency`) is decided by On-Call (now @olga-oncall, @omar-oncall); @pat-pm holds none of these roles.");
    expect(phaseOf(w).phase).toBe("P3");
  });
});

describe("§6.3 P1 incident: On-Call + Owner, PM informed", () => {
  useNock();

  it("on-call opens a rollback pull request with the marker and the filled-in §6.4 form", async () => {
    const w = await world();
    const { id, url } = await w.say("olga-oncall", "/rollback P2 p1-incident error rate above 20% for an hour");
    expect(phaseOf(w).phase).toBe("P3");
    const pr = w.fake.pulls[0]!;
    expect(pr.head).toBe(`charter/rollback-p2-${id}`);
    expect(phaseOf(w, pr.head)).toMatchObject({ phase: "P2", by: "olga-oncall", link: url });
    expect(entries(w.fake, pr.head)[0]).toMatchObject({ action: "rollback", from_phase: "P3", to_phase: "P2", rollback_type: "p1-incident", approval: "sign-off on the pull request: On-Call and Ingestion Owner" });
    const lines = pr.body.split("\n");
    expect(requestIn(pr)).toEqual({ ok: true, unsealed: false, request: { kind: "rollback", issue: 7, by: "olga-oncall", from: "P3", to: "P2", rollbackType: "p1-incident" } });
    expect(lines).toEqual(
      expect.arrayContaining([
        "**Rollback type:** P1 incident (`p1-incident`)",
        "**Date:** 2025-06-02",
        "**Time:** 10:00 UTC",
        "**Rolled back from:** P3",
        "**Rolled back to:** P2",
        "**Reason:** error rate above 20% for an hour",
        "**Authorized by:** @olga-oncall (Role: On-Call)",
        "**Approved by:** pending: sign-off on this pull request by On-Call and Ingestion Owner",
        "**Next steps:** investigation owner, re-ramp target date and client communication (required or not) to be agreed by On-Call and Ingestion Owner",
        "Informed (Product Manager): @pat-pm.",
      ]),
    );
    expect(missingFormFields(pr.body, FORM)).toEqual([]);
    const check = await signoffOf(w.fake, pr, [{ login: "omar-oncall" }], w.app.clock.now());
    expect(check.tree.gates.map((g) => g.gate.title)).toEqual(["Rollback P3 → P2: P1 incident"]);
    expect(check.check.conclusion).toBe("failure");
    expect((await signoffOf(w.fake, pr, [{ login: "omar-oncall" }, { login: "ana-owner" }], w.app.clock.now())).check.conclusion).toBe("success");
    expect(w.lastReply()).toContain(`a P1 incident rollback (P3 → P2) needs sign-off by On-Call and Ingestion Owner. I opened #${pr.number} with the rollback sign-off form`);
  });

  it("merging it moves the phase, marks active switches rolled back and confirms on the issue", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 errors");
    await w.say("olga-oncall", "/rollback P2 p1-incident error rate above 20% for an hour");
    const pr = w.fake.pulls[0]!;
    w.fake.merge(pr.number);
    w.fake.reset();
    await w.closed(pr, { merged: true, mergedBy: "ana-owner" });
    expect(phaseOf(w).phase).toBe("P2");
    expect(w.fake.puts.map((p) => p.path)).toEqual(["governance/state/killswitch.yml"]);
    expect(switches(w.fake).global).toMatchObject({ active: true, rolled_back: true });
    expect(entries(w.fake).map((e) => e.action)).toEqual(["activate", "rollback"]);
    expect(w.lastReply()).toBe(`@olga-oncall rolled back: the rollout is now in **P2** (#${pr.number} merged by @ana-owner). Active kill-switches (\`global\`) are marked \`rolled_back\`.\nInformed (Product Manager): @pat-pm.`);
  });

  it("refuses Support, with no write", async () => {
    const w = await world();
    await w.say("sue-support", "/rollback P2 p1-incident errors");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("is decided by On-Call (now @olga-oncall, @omar-oncall), Ingestion Owner (now @ana-owner, @ben-owner); @sue-support holds none of these roles.");
  });
});

describe("§6.3 Planned (bug found): Owner decides, PM approves", () => {
  useNock();

  it("the Owner opens a rollback pull request needing the Owner and the PM", async () => {
    const w = await world();
    await w.say("ana-owner", "/rollback P2 planned bug in the dedup stage");
    const pr = w.fake.pulls[0]!;
    expect(requestIn(pr)).toMatchObject({ ok: true, request: { kind: "rollback", rollbackType: "planned" } });
    expect(pr.body).toContain("**Authorized by:** @ana-owner (Role: Ingestion Owner)");
    expect(pr.body).toContain("| Ingestion Owner | @ana-owner, @ben-owner |\n| Product Manager | @pat-pm, @paula-pm |");
    const check = await signoffOf(w.fake, pr, [{ login: "ben-owner" }], w.app.clock.now());
    expect(check.check.conclusion).toBe("failure");
    expect((await signoffOf(w.fake, pr, [{ login: "ben-owner" }, { login: "pat-pm" }], w.app.clock.now())).check.conclusion).toBe("success");
  });

  it("the PM (approver) may ask for it too; on-call may not", async () => {
    const w = await world();
    await w.say("olga-oncall", "/rollback P2 planned bug");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("is decided by Ingestion Owner (now @ana-owner, @ben-owner) with the approval of Product Manager; @olga-oncall holds none of these roles.");
    await w.say("pat-pm", "/rollback P2 planned bug");
    expect(w.fake.pulls).toHaveLength(1);
  });
});

describe("§6.3 Client request: Owner + PM, Support informed", () => {
  useNock();

  it("the PM opens a rollback pull request; Support is informed", async () => {
    const w = await world();
    await w.say("pat-pm", "/rollback P1 client-request Globex asked to return to the beta flow");
    const pr = w.fake.pulls[0]!;
    expect(requestIn(pr)).toMatchObject({ ok: true, request: { kind: "rollback", rollbackType: "client-request" } });
    expect(pr.body).toContain("Informed (Support Lead): @sue-support.");
    expect(pr.body).toContain("**Rolled back to:** P1");
    // pat-pm asked for it: their own approval never counts, so the PM's backup signs as PM
    const own = await signoffOf(w.fake, pr, [{ login: "ana-owner" }, { login: "pat-pm" }], w.app.clock.now());
    expect(own.check.conclusion).toBe("failure");
    expect(own.tree.ignored).toContainEqual({ login: "pat-pm", why: "asked Charter for this pull request (its sealed request): their own review never counts" });
    const check = await signoffOf(w.fake, pr, [{ login: "ana-owner" }, { login: "paula-pm" }], w.app.clock.now());
    expect(check.tree.gates.map((g) => g.gate.title)).toEqual(["Rollback P3 → P1: Client request"]);
    expect(check.check.conclusion).toBe("success");
  });

  it("refuses on-call, with no write", async () => {
    const w = await world();
    await w.say("omar-oncall", "/rollback P1 client-request asked");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("is decided by Ingestion Owner (now @ana-owner, @ben-owner), Product Manager (now @pat-pm, @paula-pm)");
  });
});

describe("/rollback refuses bad input", () => {
  useNock();

  it.each([
    ["/rollback P2 emergncy data", "unknown rollback type `emergncy`"],
    ["/rollback P4 emergency data", "P4 (GA) is not behind the current phase P3: `/rollback` moves backwards; `/advance P4` moves forwards."],
    ["/rollback P3 emergency data", "the rollout is already in P3."],
    ["/rollback Q2 emergency data", "unknown phase `Q2`: did you mean `P2`?"],
    ["/rollback P2 emergency", "a reason is required"],
  ])("%s", async (command, message) => {
    const w = await world();
    await w.say("olga-oncall", command);
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain(message);
  });
});

describe("§6.1/§6.2 /advance: every advance is a pull request gated by its phase gate", () => {
  useNock();

  it("P3 → P4 (GA): the gate's confirmations as unticked items; the check needs the Owner, the PM and the SRE Lead", async () => {
    const w = await world();
    const { id, url } = await w.say("ana-owner", "/advance GA");
    const pr = w.fake.pulls[0]!;
    expect(pr.head).toBe(`charter/advance-p4-${id}`);
    expect(phaseOf(w, pr.head)).toMatchObject({ phase: "P4", by: "ana-owner", link: url });
    expect(entries(w.fake, pr.head)[0]).toMatchObject({ action: "advance", from_phase: "P3", to_phase: "P4", approval: "sign-off on the pull request: Ingestion Owner, Product Manager and SRE Lead" });
    expect(pr.body).toContain("**Gate GA (P3 → P4):** sign-off by Ingestion Owner, Product Manager and SRE Lead; a change request by any of them is a veto.");
    expect(pr.body).toContain("- [ ] Technical criteria met, system stable\n- [ ] Client feedback acceptable, no blockers\n- [ ] Infra stable, monitoring adequate, on-call trained");
    expect(pr.body).toContain("cc @pat-pm, @sam-sre");
    const now = w.app.clock.now();
    // ana-owner asked for the advance: the Owner's other holder signs as Ingestion Owner
    const signed = [{ login: "ben-owner" }, { login: "pat-pm" }, { login: "sam-sre" }];
    expect((await signoffOf(w.fake, pr, signed, now)).check.conclusion).toBe("failure"); // not confirmed
    const confirmed = signed.map((r) => ({ ...r, body: confirmAll(pr.body) }));
    expect((await signoffOf(w.fake, pr, confirmed, now)).check.conclusion).toBe("success");
    expect((await signoffOf(w.fake, pr, [...confirmed, { login: "sam-sre", state: "CHANGES_REQUESTED" }], now)).check.conclusion).toBe("failure"); // veto
  });

  it("the GA gate fails while the kill-switch is active, even fully signed and ticked", async () => {
    const w = await world();
    await w.say("olga-oncall", "/killswitch activate workspace:acme error-rate-20 errors");
    await w.say("ana-owner", "/advance P4");
    const pr = w.fake.pulls[0]!;
    expect(pr.body).toContain("**Frozen:** the kill-switch is active (`workspace:acme`) and this gate freezes while it is: the sign-off check stays red until it is resumed.");
    const signed = [{ login: "ben-owner" }, { login: "pat-pm" }, { login: "sam-sre" }].map((r) => ({ ...r, body: confirmAll(pr.body) }));
    const frozen = await signoffOf(w.fake, pr, signed, w.app.clock.now());
    expect(frozen.check.conclusion).toBe("failure");
    expect(frozen.check.summary).toContain("**Frozen.**");
    expect(frozen.check.summary).toContain("workspace:acme");
    // resumed: the same pull request passes
    await w.say("olga-oncall", '/killswitch resume workspace:acme --verified "Test upload passes"');
    expect((await signoffOf(w.fake, pr, signed, w.app.clock.now())).check.conclusion).toBe("success");
  });

  it("merging it moves the phase and confirms on the issue", async () => {
    const w = await world();
    await w.say("ana-owner", "/advance P4");
    const pr = w.fake.pulls[0]!;
    w.fake.merge(pr.number);
    await w.closed(pr, { merged: true, mergedBy: "pat-pm" });
    expect(phaseOf(w).phase).toBe("P4");
    expect(w.lastReply()).toBe(`@ana-owner the rollout is now in **P4 (GA)** (was P3): #${pr.number} was merged by @pat-pm.`);
  });

  it("refuses a non-adjacent phase when skipping is not allowed", async () => {
    const w = await world({ files: { "state/phase.yml": d9Files()["state/phase.yml"]!.replace("phase: P3", "phase: P1") } });
    await w.say("ana-owner", "/advance P3");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("advancing from P1 to P3 would skip P2, and authority.yml `phases.allow_skip` is false: advance one phase at a time, `/advance P2`.");
  });

  it.each([
    ["/advance P2", "P2 is behind the current phase P3: that is a rollback, `/rollback P2 <type> <reason>`"],
    ["/advance GAA", "unknown phase `GAA`"],
    ["/advance P3", "the rollout is already in P3."],
    ["/advance", "which phase? `/advance <phase>`, one of `P0`, `P1`, `P2`, `P3`, `P4`."],
  ])("%s is refused", async (command, message) => {
    const w = await world();
    await w.say("ana-owner", command);
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain(message);
  });

  it("refuses someone who signs no gate (Support), with no write", async () => {
    const w = await world();
    await w.say("sue-support", "/advance P4");
    expectNoWrite(w.fake);
    expect(refusal(w)).toContain("advancing to P4 (GA) is asked for by a holder of a role that signs its gate: Ingestion Owner (now @ana-owner, @ben-owner), Product Manager (now @pat-pm, @paula-pm), SRE Lead (now @sam-sre, @sid-sre); @sue-support holds none of these roles.");
  });

  it("T0 is a Monday morning in Berlin (on call: olga primary, omar secondary)", () => {
    expect(new Date(T0).getUTCDay()).toBe(1);
  });
});
