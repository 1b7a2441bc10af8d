/**
 * The impact preview end to end (issue 14 item 1): the real server and the GitHub emulator. A pull
 * request that adds a holder to Ingestion Owner gets one comment saying what nina-owner gains; a
 * second push edits that comment (no new one); a pull request that changes code only gets none.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_SEAL_SECRET } from "../support/identity.js";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { REPO, repositoryGovernance, World } from "./support/world.js";

let w: World;
const START = "2025-06-02T10:00:00Z";
const ROLES = repositoryGovernance()["governance/roles.yml"]!;
const NINA = ROLES.replace("holders: [ana-owner]", "holders: [ana-owner, nina-owner]");

beforeAll(async () => {
  await ensureBuilt();
  w = await World.start({ start: START, serverEnv: { CHARTER_SEAL_KEYS: TEST_SEAL_SECRET } });
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
});

const previews = (n: number) => w.botComments(n).filter((c) => c.includes("<!-- charter:impact "));

describe("the impact preview through the real server", () => {
  it("one comment on a pull request adding a holder to ingestion-owner, edited (not repeated) by the next push; none on a code-only pull request", async () => {
    expect(NINA).not.toBe(ROLES);
    const n = await w.openPullRequest("rita-release", { branch: "nina-owner", files: { "governance/roles.yml": NINA }, title: "Nina joins Ingestion Owner", body: "Second owner." });
    expect(previews(n)).toHaveLength(1);
    const first = previews(n)[0]!;
    expect(first).toContain("## Charter impact preview");
    expect(first).toContain("- **`nina-owner`** gains, as a holder of Ingestion Owner (`ingestion-owner`):\n  - sign the phase gate: P0 → P1, P1 → P2, P2 → P3, GA (P3 → P4)\n");
    expect(first).toContain("  - resume the kill-switch: Data integrity event, Rollback, &gt; 1 hour pause\n");

    w.gh.commitFiles(REPO, "nina-owner", { "governance/roles.yml": NINA.replace("holders: [dora-db]", "holders: [dora-db, nina-owner]") }, "Nina also owns the database", { author: "rita-release" });
    const d = await w.gh.sendWebhook(w.server.webhookUrl, "pull_request", w.gh.payloads.pullRequest("synchronize", REPO, n, { sender: "rita-release" }), { secret: w.server.secret });
    expect(d.status).toBe(200);
    await w.server.idle();
    expect(previews(n)).toHaveLength(1);
    expect(previews(n)[0]).toContain("- **`nina-owner`** gains, as a holder of Database Owner (`database-owner`):\n  - sign changes to: /db/migrations/, *.sql\n");

    const code = await w.openPullRequest("rita-release", { branch: "code-only", files: { "src/app.ts": "export const x = 1;\n" }, title: "Code", body: "" });
    expect(previews(code)).toEqual([]);
  });

  it("every request Charter made was valid for GitHub's API, and every delivery was handled", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
    expect(w.transcript.problems()).toEqual([]);
  });
});
