/**
 * Handoff messages and deployment reminders on the engine's exact timers, through the real server
 * (no test sweep endpoint, no webhook at the instant): the D9 handoff at Monday 09:00
 * Europe/Berlin, 08:00Z in winter and 07:00Z a week later in summer time; a deployment's missed
 * 5-minute status update reminded when the (test) clock passes its due instant.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { repositoryGovernance, World } from "./support/world.js";
import { eventually } from "./support/eventually.js";

const DEPLOYMENTS = `version: 1
deployments:
  release:
    title: Release
    label: deployment
    lead: ingestion-owner
    go_no_go: { decide: [ingestion-owner] }
    updates: { every: 5m }
    stages:
      - { id: ship, title: Ship, at: T, items: [{ id: shipped, text: Shipped, owner: sre-lead }] }
`;

let w: World;

beforeAll(async () => {
  await ensureBuilt();
  const files: Record<string, string> = { "README.md": "# ingestion\n", ...repositoryGovernance(), "governance/deployments.yml": DEPLOYMENTS };
  w = await World.start({ start: "2025-03-24T07:50:00Z", files, serverEnv: { CHARTER_TIMERS: "on" } });
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
});

const handoffs = () => {
  const issue = [...w.gh.repo("acme/ingestion").issues.values()].find((i) => i.title === "On-call handoffs");
  return issue ? w.botComments(issue.number).filter((c) => c.startsWith("### 🔁 On-call handoff")) : [];
};

describe("exact timers for handoffs and deployment reminders (no sweep)", () => {
  let deployment = 0;

  it("a deployment's missed 5-minute update is reminded when the clock passes its due instant", async () => {
    deployment = await w.openIssue("ana-owner", { title: "Release 6.5", body: "### Deployment\n\nrelease\n\n### Planned start (UTC)\n\n2025-03-24 08:00\n", labels: ["deployment"] });
    await w.comment("ana-owner", deployment, "/go");
    const reminders = () => w.botComments(deployment).filter((c) => c.startsWith("@ana-owner ⏰"));
    w.advanceMinutes(4); // 07:54: not due yet
    await new Promise((r) => setTimeout(r, 2_000));
    expect(reminders()).toEqual([]);
    w.advanceMinutes(2); // 07:56: due since 07:55
    expect(await eventually(() => reminders().length === 1), w.server.rawOutput.slice(-30).join("\n")).toBe(true);
    expect(reminders()[0]).toContain("The status update due at 07:55 UTC is missing");
    await w.comment("ana-owner", deployment, "/status shipping");
  }, 60_000);

  it("winter: the handoff message at Monday 09:00 CET (08:00Z), not before", async () => {
    w.at("2025-03-24T07:59:00Z");
    await new Promise((r) => setTimeout(r, 2_000));
    expect(handoffs()).toEqual([]);
    w.at("2025-03-24T08:00:00Z");
    expect(await eventually(() => handoffs().length === 1), w.server.rawOutput.slice(-30).join("\n")).toBe(true);
    expect(handoffs()[0]).toContain("Mon 2025-03-24 09:00 CET");
  }, 60_000);

  it("a week later, across the DST change: at Monday 09:00 CEST (07:00Z)", async () => {
    await w.comment("ana-owner", deployment, "/done shipped"); // refused (SRE Lead's item): any delivery lets the engine learn
    w.at("2025-03-31T06:59:00Z");
    await new Promise((r) => setTimeout(r, 2_000));
    expect(handoffs()).toHaveLength(1);
    w.at("2025-03-31T07:00:00Z");
    expect(await eventually(() => handoffs().length === 2), w.server.rawOutput.slice(-30).join("\n")).toBe(true);
    expect(handoffs()[1]).toContain("Mon 2025-03-31 09:00 CEST");
  }, 60_000);

  it("made only requests GitHub's API describes, and handled every delivery", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
  });
});
