/**
 * Issue 14, item 6: GitHub's merge queue. Charter reports `Charter sign-off` on each merge group's
 * head commit (`merge_group.checks_requested`), so a repository can require it with a merge
 * queue. The pull request is evaluated again when its group is built: a freeze, a kill-switch or
 * an expired approval since it was queued turns the group red; a group Charter cannot attribute
 * fails closed.
 */
import { afterEach, describe, expect, it } from "vitest";
import { d9Files } from "../support/governance-mock.js";
import { closeWorld, confirming, GA_BODY, phaseYml, SignoffWorld } from "./world.js";

afterEach(closeWorld);

const GA = "Phase gate P3 → P4 (GA)";

async function signedGa(governance: Record<string, string> = {}): Promise<SignoffWorld> {
  const w = await SignoffWorld.create({ governance });
  w.openPull({ number: 300, files: { "governance/state/phase.yml": phaseYml("P4") }, body: GA_BODY });
  await w.pullEvent("opened", 300);
  for (const who of ["ana-owner", "pat-pm", "sam-sre"]) await w.submit(300, who, "APPROVED", confirming(who));
  expect(w.lastCheck()).toMatchObject({ conclusion: "success", head_sha: w.pull(300).headSha });
  return w;
}

describe("the Charter sign-off check on a merge group", () => {
  it("a signed-off pull request's group is green, on the group's head commit, and says it is the merge queue", async () => {
    const w = await signedGa();
    const requested = w.reviewRequests.length;
    const group = await w.enqueue(300);
    const check = w.checkOn(group)!;
    expect(check).toMatchObject({ name: "Charter sign-off", head_sha: group, status: "completed", conclusion: "success", output: { title: `#300: Signed off: ${GA}` } });
    expect(check.output.summary).toMatch(/^\*\*Merge queue\.\*\* This commit \(`[0-9a-f]{7}`\) is the merge group of #300\./);
    expect(check.external_id).toBeUndefined(); // Charter's record stays on the pull request's own head
    expect(w.reviewRequests.length).toBe(requested); // no RACI requests from a merge group
  });

  it("during a freeze (a P1 incident opened after the pull request turned green) the group is red", async () => {
    const w = await signedGa();
    w.openIncident(7, "Uploads failing", "P1"); // no event reached the pull request: its own check is still green
    const group = await w.enqueue(300);
    expect(w.checkOn(group)).toMatchObject({ conclusion: "failure", output: { title: "#300: Frozen by incident #7 (P1)" } });
    expect(w.checkOn(group)!.output.summary).toContain(`**Frozen.** ${GA} cannot pass while:`);
  });

  it("while a kill-switch is active on the default branch the group is red", async () => {
    const killswitch = d9Files()["state/killswitch.yml"]!.replace("global: { active: false }", "global: { active: true, since: 2025-06-02T09:00:00Z, by: olga-oncall, scenario: error-rate-20, reason: uploads failing }");
    const w = await SignoffWorld.create({ governance: { "state/killswitch.yml": killswitch } });
    w.openPull({ number: 301, files: { "governance/state/phase.yml": phaseYml("P4") }, body: GA_BODY });
    for (const who of ["ana-owner", "pat-pm", "sam-sre"]) w.review(301, who, "APPROVED", confirming(who));
    const group = await w.enqueue(301);
    expect(w.checkOn(group)!.conclusion).toBe("failure");
    expect(w.checkOn(group)!.output.title).toMatch(/^#301: Frozen by active kill-switch global/);
  });

  it("approvals that expired while the pull request waited: the group is red", async () => {
    const authority = d9Files()["authority.yml"]!.replace("      freeze: true\n", "      freeze: true\n      valid_for: 72h\n");
    const w = await signedGa({ "authority.yml": authority });
    w.app.clock.set("2025-06-05T11:00:00Z");
    const group = await w.enqueue(300);
    expect(w.checkOn(group)!.output.title).toMatch(/^#300: Waiting for Ingestion Owner, Product Manager and SRE Lead; approvals by .* expired$/);
  });

  it("a group Charter cannot attribute fails closed: an unknown branch, a closed or missing pull request", async () => {
    const w = await signedGa();
    const odd = await w.enqueue(300, { headRef: "refs/heads/some-other-queue/main/300" });
    expect(w.checkOn(odd)).toMatchObject({ conclusion: "failure", output: { title: "Merge group not signed off: its branch `some-other-queue/main/300` does not name the pull request it is for" } });
    w.pull(300).state = "closed";
    const closed = await w.enqueue(300);
    expect(w.checkOn(closed)).toMatchObject({ conclusion: "failure", output: { title: "Merge group not signed off: pull request #300 is closed" } });
  });

  it("a merge group into another branch is not governed (success, saying so)", async () => {
    const w = await signedGa();
    const group = await w.enqueue(300, { base: "release" });
    expect(w.checkOn(group)).toMatchObject({ conclusion: "success", output: { title: "Not governed: this pull request merges into release; Charter governs merges into main" } });
  });
});
