/**
 * Invalid governance fails the check closed with file:line:col; pushes to the default branch
 * re-evaluate open pull requests; freezing gates fail while a freezing incident is open or a
 * kill-switch is active, naming the blocker.
 */
import { afterEach, describe, expect, it } from "vitest";
import { d9Files } from "../support/governance-mock.js";
import { closeWorld, confirming, GA_BODY, phaseYml, REPO_URL, SignoffWorld } from "./world.js";

afterEach(closeWorld);

const GA_FILES = { "governance/state/phase.yml": phaseYml("P4") };

async function signedGa(w: SignoffWorld, number = 70) {
  const pr = w.openPull({ number, files: GA_FILES, body: GA_BODY });
  for (const who of ["ana-owner", "pat-pm", "sam-sre"]) w.review(number, who, "APPROVED", confirming(who));
  return pr;
}

describe("invalid governance on the default branch", () => {
  it("fails the check closed, listing file:line:col: message", async () => {
    const broken = d9Files()["roles.yml"]!.replace("title: SRE Lead", "titel: SRE Lead");
    const line = broken.split("\n").findIndex((l) => l.includes("titel:")) + 1;
    const role = broken.split("\n").findIndex((l) => l.startsWith("  sre-lead:")) + 1;
    const w = await SignoffWorld.create({ governance: { "roles.yml": broken } });
    const pr = await signedGa(w);
    await w.pullEvent("opened", 70);
    const check = w.lastCheck();
    expect(check).toMatchObject({
      name: "Charter sign-off",
      head_sha: pr.headSha,
      status: "completed",
      conclusion: "failure",
      output: { title: "Governance on main is invalid (2 problems): nothing can be signed off" },
    });
    // the diagnostics, as `file:line:col: message (hint)`, in a code block
    const block = /```\n([\s\S]*?)\n```/.exec(check.output.summary)![1]!.split("\n");
    expect(block).toHaveLength(2);
    expect(block[0]).toMatch(new RegExp(`^governance/roles\\.yml:${role}:3: \`roles\\.sre-lead\` is missing \`title\` \\(`));
    expect(block[1]).toBe(`governance/roles.yml:${line}:5: unknown key \`titel\` in \`roles.sre-lead\` (did you mean \`title\`?)`);
    expect(check.output.summary).toContain(`The governance files on \`main\` at [\`aaaaaaa\`](${REPO_URL}/commit/${w.governanceSha}) do not load`);
    // no review was read and nothing else was written: the check alone says why
    expect(w.requests.filter((r) => !r.includes("/git/blobs/") && !r.includes("/contents/"))).toEqual(["GET /repos/acme/ingestion/branches/main", "POST /repos/acme/ingestion/check-runs"]);
  });

  it("a push that fixes governance re-evaluates every open pull request into main", async () => {
    const broken = d9Files()["authority.yml"]!.replace("veto: any-approver, activity: go-no-go-decision", "veto: anyone, activity: go-no-go-decision");
    const w = await SignoffWorld.create({ governance: { "authority.yml": broken } });
    await signedGa(w);
    await w.pullEvent("opened", 70);
    expect(w.lastCheck().conclusion).toBe("failure");
    expect(w.lastCheck().output.summary).toMatch(/governance\/authority\.yml:\d+:\d+: /);
    const before = w.governanceSha;
    w.setGovernance({}, "c".repeat(40));
    w.reset();
    await w.pushGovernance(before, { modified: ["governance/authority.yml"] });
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Phase gate P3 → P4 (GA)" } });
    expect(w.lastCheck().output.summary).toContain(`${REPO_URL}/blob/${"c".repeat(40)}/governance/authority.yml`);
  });

  it("a push to main that does not touch governance/ re-evaluates nothing", async () => {
    const w = await SignoffWorld.create();
    await signedGa(w);
    await w.pullEvent("opened", 70);
    w.reset();
    await w.pushGovernance(w.governanceSha, { modified: ["src/app.ts"] });
    expect(w.requests).toEqual([]);
  });
});

describe("freeze", () => {
  it("the GA gate fails while a P1 incident is open, naming it, and passes once it is closed", async () => {
    const w = await SignoffWorld.create();
    const incident = w.openIncident(7, "Ingestion down", "P1");
    const pr = await signedGa(w);
    await w.pullEvent("opened", 70);
    const check = w.lastCheck();
    expect(check).toMatchObject({ name: "Charter sign-off", head_sha: pr.headSha, status: "completed", conclusion: "failure", output: { title: "Frozen by incident #7 (P1)" } });
    expect(check.output.summary).toContain("**Frozen.** Phase gate P3 → P4 (GA) cannot pass while:\n- incident [#7](https://github.com/acme/ingestion/issues/7) Ingestion down (severity P1) is open");
    expect(w.requests).toContain("GET /repos/acme/ingestion/issues?state=open&labels=incident&per_page=100");
    incident.state = "closed";
    await w.incidentEvent("closed", incident);
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Phase gate P3 → P4 (GA)" } });
  });

  it("opening a P1 incident turns a green GA check red at once", async () => {
    const w = await SignoffWorld.create();
    await signedGa(w);
    await w.pullEvent("opened", 70);
    expect(w.lastCheck().conclusion).toBe("success");
    await w.incidentEvent("opened", w.openIncident(8, "Data corruption suspected", "P1"));
    expect(w.lastCheck()).toMatchObject({ conclusion: "failure", output: { title: "Frozen by incident #8 (P1)" } });
  });

  it("removing the `incident` label from an open P1 does not lift the freeze: the severity label alone freezes", async () => {
    const w = await SignoffWorld.create();
    const incident = w.openIncident(11, "Uploads failing", "P1");
    incident.labels = (incident.labels as { name: string }[]).filter((l) => l.name !== "incident");
    await signedGa(w);
    await w.pullEvent("opened", 70);
    expect(w.lastCheck()).toMatchObject({ conclusion: "failure", output: { title: "Frozen by incident #11 (P1)" } });
    // one listing per label that can mark a freezing incident, issued together
    expect(w.requests).toEqual(expect.arrayContaining(["GET /repos/acme/ingestion/issues?state=open&labels=incident&per_page=100", "GET /repos/acme/ingestion/issues?state=open&labels=severity: P1&per_page=100", "GET /repos/acme/ingestion/issues?state=open&labels=severity: P2&per_page=100"]));
  });

  it("a P3 incident does not freeze", async () => {
    const w = await SignoffWorld.create();
    w.openIncident(9, "One upload stuck", "P3");
    await signedGa(w);
    await w.pullEvent("opened", 70);
    expect(w.lastCheck().conclusion).toBe("success");
  });

  it("gates without `freeze` pass during an incident and never read incidents", async () => {
    const w2 = await SignoffWorld.create({ governance: { "state/phase.yml": phaseYml("P1") } });
    w2.openIncident(7, "Ingestion down", "P1");
    w2.openPull({ number: 71, files: { "governance/state/phase.yml": phaseYml("P2") } });
    for (const who of ["ana-owner", "pat-pm"]) w2.review(71, who, "APPROVED");
    await w2.pullEvent("opened", 71);
    expect(w2.lastCheck().conclusion).toBe("success");
    expect(w2.requests.some((r) => r.includes("/issues?"))).toBe(false);
  });

  it("the GA gate fails while the kill-switch is active, naming the switch", async () => {
    const w = await SignoffWorld.create({
      governance: { "state/killswitch.yml": "version: 1\nswitches:\n  global: { active: true, since: 2025-06-02T09:12:00Z, by: oscar-oncall, scenario: error-rate-20, reason: Error rate 24% }\n" },
    });
    await signedGa(w);
    await w.pullEvent("opened", 70);
    const check = w.lastCheck();
    expect(check).toMatchObject({ conclusion: "failure", output: { title: "Frozen by active kill-switch global" } });
    expect(check.output.summary).toContain("- kill-switch `global` is active (since 2025-06-02T09:12:00Z, by @\u200boscar-oncall, reason: Error rate 24%)");
  });
});
