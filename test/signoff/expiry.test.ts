/**
 * Issue 14, item 4: approval expiry. A gate may say `valid_for: 72h` (or `signoff.valid_for` for
 * every gate): an approval older than that no longer counts, and the check says whose expired and
 * when. Time is an input: elapsed hours across a DST change and a week boundary.
 */
import { afterEach, describe, expect, it } from "vitest";
import { d9Files } from "../support/governance-mock.js";
import { closeWorld, confirming, GA_BODY, phaseYml, SignoffWorld } from "./world.js";

afterEach(closeWorld);

const u = (login: string) => `@\u200b${login}`;
const GA = "Phase gate P3 → P4 (GA)";
const GA_FILES = { "governance/state/phase.yml": phaseYml("P4") };
/** D9's authority.yml with `valid_for` on the GA gate (and optional defaults for every gate). */
function authority(options: { ga?: string; defaults?: string } = {}): string {
  let text = d9Files()["authority.yml"]!;
  if (options.ga) text = text.replace("      freeze: true\n", `      freeze: true\n      valid_for: ${options.ga}\n`);
  if (options.defaults) text = text.replace("# §8 Decision authority summary.", `signoff:\n  valid_for: ${options.defaults}\n\n# §8 Decision authority summary.`);
  return text;
}

async function signedGa(now: string, options: { ga?: string; defaults?: string } = { ga: "72h" }): Promise<SignoffWorld> {
  const w = await SignoffWorld.create({ now, governance: { "authority.yml": authority(options) } });
  w.openPull({ number: 200, files: GA_FILES, body: GA_BODY });
  await w.pullEvent("opened", 200);
  for (const who of ["ana-owner", "pat-pm", "sam-sre"]) await w.submit(200, who, "APPROVED", confirming(who));
  return w;
}

describe("valid_for: 72h on the GA gate", () => {
  it("approvals count for 72 hours; at 73 hours they do not, and the check says whose expired and when", async () => {
    const w = await signedGa("2025-06-02T10:00:00Z");
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: `Signed off: ${GA}` } });

    w.app.clock.set("2025-06-05T10:00:00Z"); // 72 hours (less the milliseconds between the reviews): still counts
    await w.rerequest(200);
    expect(w.lastCheck()).toMatchObject({ conclusion: "success" });

    w.app.clock.set("2025-06-05T11:00:00Z"); // 73 hours
    await w.rerequest(200);
    const check = w.lastCheck();
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toBe(`Waiting for Ingestion Owner, Product Manager and SRE Lead; approvals by ${u("ana-owner")}, ${u("pat-pm")} and ${u("sam-sre")} expired`);
    expect(check.output.summary).toContain(`| ${GA} | Ingestion Owner | ${u("ana-owner")}, ${u("ben-owner")} (backup) |  | ⏳ missing |  | ${u("ana-owner")} (expired 2025-06-05 10:00 UTC) |`);
    expect(check.output.summary).toContain(
      `**Expired approvals.** ${GA} accepts an approval for 72h after it is given (authority.yml \`phases.gates[3].valid_for\`); these no longer count:\n- ${u("ana-owner")} (Ingestion Owner) approved at 2025-06-02 10:00 UTC; it expired at 2025-06-05 10:00 UTC: approve again to sign`,
    );
    expect(check.output.summary).toContain(`- ${u("pat-pm")}: approved at 2025-06-02 10:00 UTC, and that approval expired at 2025-06-05 10:00 UTC: ${GA} accepts approvals for 72h (authority.yml \`phases.gates[3].valid_for\`). Approve again to sign`);

    // the PM approves again at 73 hours: the PM signs, the others are still expired
    await w.submit(200, "pat-pm", "APPROVED", confirming("pat-pm"));
    expect(w.lastCheck().output.title).toBe(`Waiting for Ingestion Owner and SRE Lead; approvals by ${u("ana-owner")} and ${u("sam-sre")} expired`);
  });

  it("an approval given 73 hours ago does not count, one given 71 hours ago does (mixed)", async () => {
    const w = await SignoffWorld.create({ now: "2025-06-05T11:00:00Z", governance: { "authority.yml": authority({ ga: "72h" }) } });
    w.openPull({ number: 201, files: GA_FILES, body: GA_BODY });
    w.review(201, "ana-owner", "APPROVED", { ...confirming("ana-owner"), at: "2025-06-02T10:00:00Z" }); // 73 h
    w.review(201, "pat-pm", "APPROVED", { ...confirming("pat-pm"), at: "2025-06-02T12:00:00Z" }); // 71 h
    w.review(201, "sam-sre", "APPROVED", { ...confirming("sam-sre"), at: "2025-06-05T10:59:00Z" });
    await w.pullEvent("opened", 201);
    const check = w.lastCheck();
    expect(check.output.title).toBe(`Waiting for Ingestion Owner; approval by ${u("ana-owner")} expired`);
    expect(check.output.summary).toContain(`| ${u("pat-pm")} | ✅ signed |`);
    // a confirmation in an expired approval does not count either
    expect(check.output.summary).not.toContain("1 confirmation");
  });

  it("an approval expired for the GA gate still signs a gate without `valid_for` (the OWNERS line of governance/)", async () => {
    const w = await SignoffWorld.create({ now: "2025-06-05T11:00:00Z", governance: { "authority.yml": authority({ ga: "72h" }) } });
    w.openPull({ number: 202, files: { ...GA_FILES, "governance/roles.yml": d9Files()["roles.yml"]! + "\n# note\n" }, body: GA_BODY });
    for (const who of ["ana-owner", "pat-pm", "sam-sre"]) w.review(202, who, "APPROVED", { ...confirming(who), at: "2025-06-02T10:00:00Z" });
    await w.pullEvent("opened", 202);
    const summary = w.lastCheck().output.summary;
    expect(summary).toContain(`1. **${GA}** ❌ does not pass yet.`);
    expect(summary).toContain("2. **OWNERS /governance/** ✅ passes.");
  });

  it("approvals expire across the spring DST change by elapsed time (Europe/Berlin, 2025-03-30)", async () => {
    // Friday 2025-03-28 10:00 in Berlin (CET, 09:00 UTC); the clocks go forward on Sunday
    const w = await signedGa("2025-03-28T09:00:00Z");
    const at = async (iso: string) => {
      w.app.clock.set(iso);
      await w.rerequest(200);
      return w.lastCheck();
    };
    // Monday 10:00 Berlin (CEST) is only 71 hours later: still signed
    expect((await at("2025-03-31T08:00:00Z")).conclusion).toBe("success");
    // Monday 11:00 Berlin: 72 hours
    expect((await at("2025-03-31T09:00:00Z")).conclusion).toBe("success");
    // Monday 12:00 Berlin: 73 hours, expired at 11:00 Berlin (09:00 UTC)
    const red = await at("2025-03-31T10:00:00Z");
    expect(red.conclusion).toBe("failure");
    expect(red.output.summary).toContain(`${u("ana-owner")} (Ingestion Owner) approved at 2025-03-28 09:00 UTC; it expired at 2025-03-31 09:00 UTC`);
  });
});

describe("signoff.valid_for: the default for every gate", () => {
  it("an OWNERS gate: 24 hours across a week boundary (Sunday 23:30 to Monday 23:30), weekends included", async () => {
    const w = await SignoffWorld.create({ now: "2025-06-08T23:30:00Z", governance: { "authority.yml": authority({ defaults: "24h" }) } });
    w.openPull({ number: 210, author: "rita-release", files: { "infra/main.tf": "x" } });
    await w.pullEvent("opened", 210);
    await w.submit(210, "sam-sre", "APPROVED");
    expect(w.lastCheck().output.title).toBe("Signed off: OWNERS /infra/");
    w.app.clock.set("2025-06-09T23:30:00Z");
    await w.rerequest(210);
    expect(w.lastCheck().conclusion).toBe("success");
    w.app.clock.set("2025-06-09T23:31:00Z");
    await w.rerequest(210);
    expect(w.lastCheck()).toMatchObject({ conclusion: "failure", output: { title: `Waiting for SRE Lead; approval by ${u("sam-sre")} expired` } });
    expect(w.lastCheck().output.summary).toContain("**Expired approvals.** OWNERS /infra/ accepts an approval for 24h after it is given (authority.yml `signoff.valid_for`)");
  });

  it("a phase gate's own `valid_for` wins over the default", async () => {
    const w = await signedGa("2025-06-02T10:00:00Z", { ga: "96h", defaults: "24h" });
    w.app.clock.set("2025-06-05T11:00:00Z");
    await w.rerequest(200);
    expect(w.lastCheck().conclusion).toBe("success");
  });

  it("a change request does not expire: a veto stands past valid_for", async () => {
    const w = await signedGa("2025-06-02T10:00:00Z");
    await w.submit(200, "pat-pm", "CHANGES_REQUESTED", { body: "not yet" });
    w.app.clock.set("2025-06-09T10:00:00Z");
    await w.rerequest(200);
    expect(w.lastCheck().output.title).toContain(`vetoed by ${u("pat-pm")} (Product Manager)`);
  });
});
