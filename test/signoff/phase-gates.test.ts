/**
 * D9 §6.1's four phase gates through the real app (Probot + nock, every request checked against
 * GitHub's OpenAPI description): each passes with exactly its roles, fails with one missing,
 * fails on any single veto, and passes again when the veto is replaced by an approval.
 */
import { afterEach, describe, expect, it } from "vitest";
import { closeWorld, confirming, GA_BODY, phaseYml, REPO_URL, SignoffWorld } from "./world.js";

afterEach(closeWorld);

const HOLDER: Record<string, { login: string; title: string }> = {
  "ingestion-owner": { login: "ana-owner", title: "Ingestion Owner" },
  "product-manager": { login: "pat-pm", title: "Product Manager" },
  "sre-lead": { login: "sam-sre", title: "SRE Lead" },
};


const GATES = [
  { from: "P0", to: "P1", title: "Phase gate P0 → P1", roles: ["ingestion-owner"] },
  { from: "P1", to: "P2", title: "Phase gate P1 → P2", roles: ["ingestion-owner", "product-manager"] },
  { from: "P2", to: "P3", title: "Phase gate P2 → P3", roles: ["ingestion-owner", "product-manager"] },
  { from: "P3", to: "P4", title: "Phase gate P3 → P4 (GA)", roles: ["ingestion-owner", "product-manager", "sre-lead"] },
];

async function gatePull(gate: (typeof GATES)[number]) {
  const w = await SignoffWorld.create({ governance: { "state/phase.yml": phaseYml(gate.from) } });
  const pr = w.openPull({ number: 40, author: "rita-release", files: { "governance/state/phase.yml": phaseYml(gate.to) }, body: gate.to === "P4" ? GA_BODY : `Moves the rollout to ${gate.to}.` });
  await w.pullEvent("opened", 40);
  return { w, pr };
}

const list = (items: string[]) => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);

describe.each(GATES)("D9 phase gate $from → $to", (gate) => {
  it(`passes with exactly ${gate.roles.join(", ")}`, async () => {
    const { w, pr } = await gatePull(gate);
    expect(w.lastCheck()).toMatchObject({
      name: "Charter sign-off",
      head_sha: pr.headSha,
      status: "completed",
      conclusion: "failure",
      output: { title: `Waiting for ${list(gate.roles.map((r) => HOLDER[r]!.title))}` },
    });
    for (const [i, role] of gate.roles.entries()) {
      await w.submit(40, HOLDER[role]!.login, "APPROVED", confirming(HOLDER[role]!.login));
      const rest = gate.roles.slice(i + 1).map((r) => HOLDER[r]!.title);
      if (rest.length > 0) expect(w.lastCheck().output.title).toBe(`Waiting for ${list(rest)}`);
    }
    const check = w.lastCheck();
    expect(check).toMatchObject({ name: "Charter sign-off", head_sha: pr.headSha, status: "completed", conclusion: "success", output: { title: `Signed off: ${gate.title}` } });
    for (const role of gate.roles) expect(check.output.summary).toContain(`| ${HOLDER[role]!.title} | `);
    for (const role of gate.roles) expect(check.output.summary).toMatch(new RegExp(`\\| ${HOLDER[role]!.title} \\| [^|]+ \\| @\u200b${HOLDER[role]!.login} \\| ✅ signed \\|  \\|  \\|`));
    expect(check.output.summary).toContain(`[authority.yml](${REPO_URL}/blob/${w.governanceSha}/governance/authority.yml) \`phases.gates[${GATES.indexOf(gate)}]\``);
  });

  it.each(gate.roles)("fails while %s has not signed", async (missing) => {
    const { w } = await gatePull(gate);
    for (const role of gate.roles.filter((r) => r !== missing)) await w.submit(40, HOLDER[role]!.login, "APPROVED", confirming(HOLDER[role]!.login));
    const check = w.lastCheck();
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toBe(`Waiting for ${HOLDER[missing]!.title}`);
    expect(check.output.summary).toMatch(new RegExp(`\\| ${HOLDER[missing]!.title} \\| [^|]+ \\|  \\| ⏳ missing \\|`));
  });

  it.each(gate.roles)("fails on a single veto by %s, and passes again when it is replaced by an approval", async (vetoer) => {
    const { w, pr } = await gatePull(gate);
    for (const role of gate.roles.filter((r) => r !== vetoer)) await w.submit(40, HOLDER[role]!.login, "APPROVED", confirming(HOLDER[role]!.login));
    await w.submit(40, HOLDER[vetoer]!.login, "CHANGES_REQUESTED");
    const vetoed = w.lastCheck();
    expect(vetoed).toMatchObject({ name: "Charter sign-off", head_sha: pr.headSha, status: "completed", conclusion: "failure", output: { title: `Vetoed by @\u200b${HOLDER[vetoer]!.login} (${HOLDER[vetoer]!.title})` } });
    expect(vetoed.output.summary).toMatch(new RegExp(`\\| ${HOLDER[vetoer]!.title} \\| [^|]+ \\|  \\| ⛔ vetoed \\| @\u200b${HOLDER[vetoer]!.login} \\|`));
    expect(vetoed.output.summary).toContain(`- @\u200b${HOLDER[vetoer]!.login} (${HOLDER[vetoer]!.title}) requested changes: blocks ${gate.title}`);
    // a comment does not lift the veto
    await w.submit(40, HOLDER[vetoer]!.login, "COMMENTED");
    expect(w.lastCheck().conclusion).toBe("failure");
    await w.submit(40, HOLDER[vetoer]!.login, "APPROVED", confirming(HOLDER[vetoer]!.login));
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: `Signed off: ${gate.title}` } });
  });
});

describe("veto and dismissal", () => {
  it("a backup's change request vetoes too, and once another holder of the role dismisses it, it no longer blocks", async () => {
    const { w } = await gatePull(GATES[3]!);
    for (const role of GATES[3]!.roles) await w.submit(40, HOLDER[role]!.login, "APPROVED", confirming(HOLDER[role]!.login));
    expect(w.lastCheck().conclusion).toBe("success");
    const veto = await w.submit(40, "sid-sre", "CHANGES_REQUESTED");
    expect(w.lastCheck().output.title).toBe("Vetoed by @\u200bsid-sre (SRE Lead)");
    // dismissed by sam-sre, who holds SRE Lead too (a dismissal by anyone else does not lift it: insider.test.ts)
    w.dismiss(40, veto.id as number, "sam-sre");
    await w.reviewEvent("dismissed", 40, w.pull(40).reviews.find((r) => r.id === veto.id)!);
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Phase gate P3 → P4 (GA)" } });
  });

  it("GA's confirmations are given by the role holders in their approving reviews, not by ticks in the description", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 41, files: { "governance/state/phase.yml": phaseYml("P4") }, body: GA_BODY });
    w.review(41, "ana-owner", "APPROVED", confirming("ana-owner"));
    w.review(41, "pat-pm", "APPROVED", { body: "LGTM" });
    w.review(41, "sam-sre", "APPROVED", { body: "Dashboards are live.\n\nInfra stable, monitoring adequate, on-call trained" });
    await w.pullEvent("opened", 41);
    const check = w.lastCheck();
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toBe("1 confirmation not given");
    expect(check.output.summary).toContain(
      "**Confirmations to give.** A tick in the description does not count: each is confirmed by a person who holds its role, in the text of their approving review of the head commit",
    );
    expect(check.output.summary).toContain(
      "- `- [x] Client feedback acceptable, no blockers` by Product Manager (@\u200bpat-pm, @\u200bpaula-pm (backup)) (ticked in the description, which does not count)",
    );
    // the Ingestion Owner's ticked item and the SRE Lead's own line both count
    expect(check.output.summary).toContain("Confirmed: “Technical criteria met, system stable” (by @\u200bana-owner); “Infra stable, monitoring adequate, on-call trained” (by @\u200bsam-sre).");
    await w.submit(41, "pat-pm", "APPROVED", { body: "Product Manager: Client feedback acceptable, no blockers." });
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: Phase gate P3 → P4 (GA)" } });
  });
});
