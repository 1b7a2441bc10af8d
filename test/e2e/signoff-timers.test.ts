/**
 * Sign-off's timed work on the engine's timers, with no sweep at all (CHARTER_SWEEP_INTERVAL_SECONDS
 * 0): a turnaround reminder goes out once the (test) clock passes `remind_after`, and an approval
 * stops counting once `valid_for` has passed, each with no webhook and no test endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { repositoryGovernance, World } from "./support/world.js";
import { eventually } from "./support/eventually.js";

const START = "2025-06-03T08:00:00Z";
let w: World;

beforeAll(async () => {
  await ensureBuilt();
  const files: Record<string, string> = { "README.md": "# ingestion\n", ...repositoryGovernance() };
  files["governance/authority.yml"] = `${files["governance/authority.yml"]!}\nsignoff:\n  valid_for: 72h\n  remind_after: 24h\n`;
  w = await World.start({ start: START, files, serverEnv: { CHARTER_TIMERS: "on" } });
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
});

describe("sign-off timers on the engine (no sweep)", () => {
  it("reminds the SRE lead once when 24 hours pass, then an approval expires 72 hours after it was given", async () => {
    const pr = await w.openPullRequest("rita-release", { branch: "terraform", files: { "terraform/network.tf": 'resource "vpc" {}\n' }, title: "Terraform: new VPC", body: "" });
    const reminders = () => w.botComments(pr).filter((c) => c.startsWith("⏰"));
    w.advanceMinutes(23 * 60);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(reminders(), w.transcript.toText()).toEqual([]);

    w.advanceMinutes(61);
    expect(await eventually(() => reminders().length === 1, 15_000), w.server.rawOutput.slice(-30).join("\n")).toBe(true);
    expect(reminders()[0]).toContain("- **OWNERS /terraform/**, SRE Lead: @sam-sre");
    await new Promise((r) => setTimeout(r, 2_500));
    expect(reminders()).toHaveLength(1);

    await w.review("sam-sre", pr, "APPROVED", "Looks right.");
    expect(w.check(pr)).toMatchObject({ conclusion: "success" });
    w.advanceMinutes(72 * 60 + 1);
    expect(await eventually(() => w.check(pr)?.conclusion === "failure", 15_000), w.server.rawOutput.slice(-30).join("\n")).toBe(true);
    expect(w.check(pr)?.output.title).toBe("Waiting for SRE Lead; approval by @\u200bsam-sre expired");
  }, 90_000);

  it("made only requests GitHub's API describes, and handled every delivery", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
  });
});
