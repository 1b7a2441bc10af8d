/**
 * `charter explain gate` explains issue 14's time limits and break-glass from the same core the
 * check uses: how long an approval counts, when signers are reminded, who may break the glass.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { charter, ROOT } from "../cli/support.js";
import { withBreakGlass } from "./world.js";

function governanceWith(edit: (authority: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "charter-explain-"));
  cpSync(join(ROOT, "governance"), join(dir, "governance"), { recursive: true });
  const file = join(dir, "governance", "authority.yml");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return dir;
}

describe("charter explain gate, with valid_for, remind_after and break_glass", () => {
  it("says how long an approval counts, when signers are reminded, and who may break the glass", async () => {
    const dir = governanceWith((a) => withBreakGlass(a).replace("      freeze: true\n", "      freeze: true\n      valid_for: 72h\n").replace("# §8 Decision authority summary.", "signoff:\n  remind_after: 24h\n\n# §8 Decision authority summary."));
    const r = await charter(dir, "explain", "gate", "GA", "--at", "2025-03-10T10:00Z");
    expect(r.err).toBe("");
    expect(r.out).toContain("- Approvals expire: one counts for 72h after it is given; an older one no longer signs (authority.yml phases.gates[3].valid_for).");
    expect(r.out).toContain("- Turnaround: signers still missing 24h after the pull request was opened are reminded once, their backups after 2d (authority.yml signoff.remind_after).");
    expect(r.out).toContain("- Break-glass: a holder of On-Call and SRE Lead may pass it at once with `/breakglass <reason>` (not for a change to governance/), logged and reviewed by Ingestion Owner and SRE Lead within 24h (authority.yml break_glass).");
  });

  it("without them, nothing is said", async () => {
    const r = await charter(ROOT, "explain", "gate", "GA", "--at", "2025-03-10T10:00Z");
    expect(r.out).not.toContain("Approvals expire");
    expect(r.out).not.toContain("Break-glass");
  });
});
