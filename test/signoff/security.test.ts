/**
 * Attacks on sign-off, each refused with the reason shown in the check run.
 */
import { afterEach, describe, expect, it } from "vitest";
import { blobSha } from "../emulator/git.js";
import { d9Files } from "../support/governance-mock.js";
import { closeWorld, confirming, GA_BODY, phaseYml, SignoffWorld } from "./world.js";

afterEach(closeWorld);

const GA_FILES = { "governance/state/phase.yml": phaseYml("P4") };
const roles = (edit: (text: string) => string) => edit(d9Files()["roles.yml"]!);

describe("sign-off cannot be forged", () => {
  it("a pull request adding its author to a role, approved by nobody else, waits for the owners of governance/", async () => {
    const w = await SignoffWorld.create();
    const pr = w.openPull({ number: 50, author: "mallory", files: { "governance/roles.yml": roles((t) => t.replace("holders: [sam-sre]", "holders: [sam-sre, mallory]")) } });
    w.review(50, "mallory", "APPROVED");
    await w.pullEvent("opened", 50);
    const check = w.lastCheck();
    expect(check).toMatchObject({ name: "Charter sign-off", head_sha: pr.headSha, status: "completed", conclusion: "failure", output: { title: "Waiting for Ingestion Owner, SRE Lead and Product Manager" } });
    expect(check.output.summary).toContain("1. **OWNERS /governance/** ❌ does not pass yet.");
    expect(check.output.summary).toContain("   - changes `governance/roles.yml` (OWNERS line 17: `/governance/`)");
    // holders come from the default branch: mallory is not an SRE Lead there
    expect(check.output.summary).toContain("|  | SRE Lead | @\u200bsam-sre, @\u200bsid-sre (backup) |  | ⏳ missing |  |  |");
    expect(check.output.summary).toContain("- @\u200bmallory: the author of the pull request: their own review never counts");
  });

  it("the author's own review never counts, even as a holder of a required role", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 51, author: "pat-pm", files: GA_FILES, body: GA_BODY });
    for (const who of ["ana-owner", "pat-pm", "sam-sre"]) w.review(51, who, "APPROVED", confirming(who));
    await w.pullEvent("opened", 51);
    const check = w.lastCheck();
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toBe("Waiting for Product Manager");
    expect(check.output.summary).toContain("- @\u200bpat-pm: the author of the pull request: their own review never counts");
    expect(check.output.summary).toContain("- Product Manager: @\u200bpaula-pm");
    await w.submit(51, "paula-pm", "APPROVED", confirming("paula-pm"));
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Phase gate P3 → P4 (GA)" } });
  });

  it("a bot's approval never counts, even when the bot is listed as a holder", async () => {
    const w = await SignoffWorld.create({ governance: { "roles.yml": roles((t) => t.replace("holders: [sam-sre]", "holders: [ci-robot]")) } });
    w.openPull({ number: 52, files: GA_FILES, body: GA_BODY });
    w.review(52, "ana-owner", "APPROVED");
    w.review(52, "pat-pm", "APPROVED");
    const robot = w.review(52, "ci-robot", "APPROVED");
    (robot.user as Record<string, unknown>).type = "Bot";
    w.review(52, "renovate[bot]", "APPROVED");
    await w.pullEvent("opened", 52);
    const check = w.lastCheck();
    expect(check.output.title).toBe("Waiting for SRE Lead");
    expect(check.output.summary).toContain("- @\u200bci-robot: a bot: bot reviews never count");
    expect(check.output.summary).toContain("- @\u200brenovate[bot]: a bot: bot reviews never count");
  });

  it("an approval of an older commit is stale after a new push, and shown as such", async () => {
    const w = await SignoffWorld.create();
    const pr = w.openPull({ number: 53, files: GA_FILES, body: GA_BODY });
    const old = pr.headSha;
    await w.pullEvent("opened", 53);
    for (const who of ["ana-owner", "pat-pm", "sam-sre"]) await w.submit(53, who, "APPROVED", confirming(who));
    expect(w.lastCheck().conclusion).toBe("success");
    const head = w.pushTo(53, { "docs/ga.md": "notes" });
    await w.pullEvent("synchronize", 53);
    const check = w.lastCheck();
    expect(check).toMatchObject({ head_sha: head, conclusion: "failure", output: { title: "Waiting for Ingestion Owner, Product Manager and SRE Lead" } });
    expect(check.output.summary).toContain(`| Phase gate P3 → P4 (GA) | Ingestion Owner | @\u200bana-owner, @\u200bben-owner (backup) |  | ⏳ missing |  | @\u200bana-owner (${old.slice(0, 7)}) |`);
    expect(check.output.summary).toContain(`- @\u200bsam-sre: approved an older commit (${old.slice(0, 7)}), not the head (${head.slice(0, 7)}): approve again to sign`);
  });

  it("a reviewer removed from the role on the default branch after approving no longer signs", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 54, files: GA_FILES, body: GA_BODY });
    await w.pullEvent("opened", 54);
    for (const who of ["ana-owner", "pat-pm", "sam-sre"]) await w.submit(54, who, "APPROVED", confirming(who));
    expect(w.lastCheck().conclusion).toBe("success");
    const before = w.governanceSha;
    w.setGovernance({ "roles.yml": roles((t) => t.replace("holders: [sam-sre]", "holders: [sven-sre]")) }, "b".repeat(40));
    await w.pushGovernance(before, { modified: ["governance/roles.yml"] });
    const check = w.lastCheck();
    expect(check).toMatchObject({ conclusion: "failure", output: { title: "Waiting for SRE Lead" } });
    expect(check.output.summary).toContain("- @\u200bsam-sre: approved, but holds none of the roles that must sign (governance/roles.yml on the default branch, now)");
    expect(check.output.summary).toContain("|  | SRE Lead | @\u200bsven-sre, @\u200bsid-sre (backup) |  | ⏳ missing |  |  |");
  });

  it("logins compare case-insensitively: `SreLead` in roles.yml signs as `srelead`, and cannot approve their own pull request as `srelead`", async () => {
    const w = await SignoffWorld.create({ governance: { "roles.yml": roles((t) => t.replace("holders: [sam-sre]", "holders: [SreLead]")) } });
    w.openPull({ number: 55, files: GA_FILES, body: GA_BODY });
    for (const who of ["ana-owner", "pat-pm", "srelead"]) w.review(55, who, "APPROVED", confirming(who));
    await w.pullEvent("opened", 55);
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Phase gate P3 → P4 (GA)" } });
    expect(w.lastCheck().output.summary).toContain("|  | SRE Lead | @\u200bSreLead, @\u200bsid-sre (backup) | @\u200bsrelead | ✅ signed |  |  |");

    w.openPull({ number: 56, author: "SreLead", files: GA_FILES, body: GA_BODY });
    for (const who of ["ana-owner", "pat-pm", "srelead"]) w.review(56, who, "APPROVED", confirming(who));
    await w.pullEvent("opened", 56);
    expect(w.lastCheck()).toMatchObject({ conclusion: "failure", output: { title: "Waiting for SRE Lead" } });
    expect(w.lastCheck().output.summary).toContain("- @\u200bsrelead: the author of the pull request: their own review never counts");
  });

  it("one person holding two roles signs only one of them (four eyes)", async () => {
    const w = await SignoffWorld.create({ governance: { "roles.yml": roles((t) => t.replace("holders: [sam-sre]", "holders: [sam-sre, pat-pm]")) } });
    w.openPull({ number: 57, files: GA_FILES, body: GA_BODY });
    for (const who of ["ana-owner", "pat-pm"]) w.review(57, who, "APPROVED", confirming(who));
    await w.pullEvent("opened", 57);
    const check = w.lastCheck();
    expect(check.output.title).toBe("Waiting for SRE Lead");
    expect(check.output.summary).toContain("- @\u200bpat-pm approved, but already signs as Product Manager in Phase gate P3 → P4 (GA), so does not also sign as SRE Lead (four eyes)");
    expect(check.output.summary).toContain("- SRE Lead: @\u200bsam-sre, @\u200bsid-sre");
  });

  it("governance is read from the default branch: a pull request that drops SRE Lead from the GA gate is still held to it", async () => {
    const w = await SignoffWorld.create();
    const weakened = d9Files()["authority.yml"]!.replace("require: [ingestion-owner, product-manager, sre-lead]", "require: [ingestion-owner, product-manager]");
    w.openPull({ number: 58, author: "rita-release", files: { ...GA_FILES, "governance/authority.yml": weakened }, body: GA_BODY });
    for (const who of ["ana-owner", "pat-pm"]) w.review(58, who, "APPROVED", confirming(who));
    await w.pullEvent("opened", 58);
    const check = w.lastCheck();
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toBe("Waiting for SRE Lead");
    expect(check.output.summary).toContain("1. **Phase gate P3 → P4 (GA)** ❌");
    expect(check.output.summary).toContain("2. **OWNERS /governance/** ❌");
    // the check was decided and written before the head's authority.yml was read; it is read only
    // for the impact preview (src/handlers/impact.ts), which says what the change would do
    const headRead = w.requests.findIndex((r) => r.includes(blobSha(weakened)));
    expect(headRead).toBeGreaterThan(w.requests.findIndex((r) => r.endsWith("/check-runs")));
    expect(w.checkRuns).toHaveLength(1);
    expect(String(w.commentsOn(58).find((c) => String(c.body).includes("charter:impact"))?.body)).toContain("- **`sam-sre`** loses, as a holder of SRE Lead (`sre-lead`):\n  - sign the phase gate: GA (P3 → P4)\n");
    expect(w.requests.filter((r) => r.includes("/contents/")).every((r) => r.includes(`ref=${w.governanceSha}`))).toBe(true);
  });
});

describe("retargeting: Charter governs merges into the default branch", () => {
  it("a pull request into another branch gets a success that says so; retargeted to main it is red again", async () => {
    const w = await SignoffWorld.create();
    const pr = w.openPull({ number: 60, base: "release", files: GA_FILES, body: GA_BODY });
    await w.pullEvent("opened", 60);
    expect(w.lastCheck()).toMatchObject({
      name: "Charter sign-off",
      head_sha: pr.headSha,
      conclusion: "success",
      output: { title: "Not governed: this pull request merges into release; Charter governs merges into main" },
    });
    expect(w.lastCheck().output.summary).toContain("If the pull request is retargeted to `main`, Charter re-evaluates it at once and this check turns red until every gate passes.");
    w.pull(60).base = "main";
    await w.pullEvent("edited", 60, { changes: { base: { ref: { from: "release" }, sha: { from: "x" } } } });
    expect(w.lastCheck()).toMatchObject({ head_sha: pr.headSha, conclusion: "failure", output: { title: "Waiting for Ingestion Owner, Product Manager and SRE Lead" } });
  });

  it("a commit that is also the head of an open pull request into main is judged by that pull request, never 'not governed'", async () => {
    const w = await SignoffWorld.create();
    const main = w.openPull({ number: 61, files: GA_FILES, body: GA_BODY });
    await w.pullEvent("opened", 61);
    expect(w.lastCheck().conclusion).toBe("failure");
    // the same commit proposed into another branch, hoping for a green check on the shared sha
    w.openPull({ number: 62, base: "release", headSha: main.headSha, files: GA_FILES, body: GA_BODY });
    w.reset();
    await w.pullEvent("opened", 62);
    // nothing changed for the commit: no write, and certainly no success
    expect(w.checkRuns).toEqual([]);
    expect(w.requests).toContain("GET /repos/acme/ingestion/pulls?state=open&base=main&per_page=100");
    await w.rerequest(62);
    expect(w.lastCheck()).toMatchObject({ head_sha: main.headSha, conclusion: "failure", output: { title: "Waiting for Ingestion Owner, Product Manager and SRE Lead" } });
  });
});
