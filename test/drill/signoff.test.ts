/**
 * `charter drill gate | rollback | resume | path`: which roles and which people would have to sign
 * (at --at), four eyes, who could veto. The answers come from the app's own gate selection and
 * evaluation (src/core/signoff/) on a pull request the drill makes up.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { charter, ROOT } from "../cli/support.js";
import { applyEdits, d9Texts, type Edit } from "../validate/support.js";

async function inD9With(edits: Edit[], ...args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "charter-drill-signoff-"));
  try {
    for (const [name, text] of Object.entries(applyEdits(d9Texts(), edits))) {
      mkdirSync(dirname(join(dir, "governance", name)), { recursive: true });
      writeFileSync(join(dir, "governance", name), text);
    }
    return await charter(dir, "drill", ...args);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("charter drill gate", () => {
  it("GA on D9: three roles, their holders and backups, four eyes, who could veto, the confirmations, the freeze", async () => {
    const r = await charter(ROOT, "drill", "gate", "P3", "P4", "--at", "2025-03-10T10:00Z");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      [
        "## Phase gate P3 → P4 (GA)",
        "",
        "Why it applies: governance/state/phase.yml moves the rollout from P3 to P4 (GA). Rule: authority.yml phases.gates[3].",
        "",
        "| Must sign       | Holders   | Backups   | Note |",
        "| --------------- | --------- | --------- | ---- |",
        "| Ingestion Owner | ana-owner | ben-owner |      |",
        "| Product Manager | pat-pm    | paula-pm  |      |",
        "| SRE Lead        | sam-sre   | sid-sre   |      |",
        "",
        "- Four eyes: each signer needs a different person; one person's approval counts for one of them only.",
        '- Veto: a "request changes" review by anyone who may sign for a required role blocks until that person approves instead or a holder of the same role dismisses it: ana-owner, ben-owner (Ingestion Owner); pat-pm, paula-pm (Product Manager); sam-sre, sid-sre (SRE Lead).',
      ].join("\n"),
    );
    expect(r.out).toContain("  - [ ] Infra stable, monitoring adequate, on-call trained (SRE Lead)");
    expect(r.out).toContain("- Freeze: yes");
  });

  it("by title (GA) gives the same answer; skipping a phase is refused whoever signs, as the check would", async () => {
    expect((await charter(ROOT, "drill", "gate", "GA", "--at", "2025-03-10T10:00Z")).out).toBe((await charter(ROOT, "drill", "gate", "P3", "P4", "--at", "2025-03-10T10:00Z")).out);
    const skip = await charter(ROOT, "drill", "gate", "P2", "P4", "--at", "2025-03-10T10:00Z");
    expect(skip.code).toBe(0);
    expect(skip.out).toContain("Refused whoever signs: skipping P3 is not allowed (authority.yml phases.allow_skip is false); move one phase at a time: P2 → P3, P3 → P4.");
  });

  it("an on-call role signs with whoever is on call at --at", async () => {
    const edits: Edit[] = [{ file: "authority.yml", from: "{ from: P1, to: P2, require: [ingestion-owner, product-manager]", to: "{ from: P1, to: P2, require: [ingestion-owner, on-call-primary]" }];
    const r = await inD9With(edits, "gate", "P1", "P2", "--at", "2025-03-31T08:55+02:00");
    expect(r.err).toBe("");
    expect(r.out).toMatch(/^\| On-Call Primary +\| omar-oncall +\| — +\| +\|$/m);
    const later = await inD9With(edits, "gate", "P1", "P2", "--at", "2025-03-31T09:05+02:00");
    expect(later.out).toMatch(/^\| On-Call Primary +\| oscar-oncall +\| — +\| +\|$/m);
  });

  it("a role held only by a team says that its members sign in App mode but nobody with GITHUB_TOKEN", async () => {
    const r = await inD9With([{ file: "roles.yml", from: "    holders: [sam-sre]\n    backups: [sid-sre]", to: "    holders: [acme/sre]" }], "gate", "P3", "P4");
    expect(r.out).toMatch(/^\| SRE Lead +\| acme\/sre \(team\) +\| — +\| members of acme\/sre: read from GitHub in App mode; with the workflow's GITHUB_TOKEN in Actions they cannot be read, so they sign nobody in there \|$/m);
  });
});

describe("charter drill rollback", () => {
  it("planned on D9 (from the current phase P3 back to P2): who decides and approves, the form, and every rollback role's veto", async () => {
    const r = await charter(ROOT, "drill", "rollback", "planned", "--at", "2025-03-10T10:00Z");
    expect(r.code).toBe(0);
    expect(r.out).toContain("## Rollback P3 → P2: Planned (bug found)");
    expect(r.out).toMatch(/^\| Ingestion Owner \| ana-owner \| ben-owner \|/m);
    expect(r.out).toMatch(/^\| Product Manager \| pat-pm +\| paula-pm +\|/m);
    expect(r.out).toContain('- Veto: a "request changes" review by a holder of any role of the rollback authority (whatever type is declared) blocks');
    expect(r.out).toContain("- Sign-off form, filled in in the description: `Date:`, `Time:`, `Rolled back from:`");
  });

  it("emergency is immediate: the note says who may roll back at once, by command", async () => {
    const r = await charter(ROOT, "drill", "rollback", "emergency", "--at", "2025-03-10T10:00Z");
    expect(r.out).toContain("Note: Emergency (data at risk) is immediate: a holder of On-Call may roll back at once with `/rollback P2 emergency` and a reason");
  });

  it("an unknown type gets a did-you-mean (exit 1); --from/--to choose the phases", async () => {
    const r = await charter(ROOT, "drill", "rollback", "emergncy");
    expect(r.code).toBe(1);
    expect(r.err).toBe("charter drill: unknown rollback type `emergncy`. Did you mean `emergency`? Known: emergency, p1-incident, planned, client-request.");
    const moved = await charter(ROOT, "drill", "rollback", "planned", "--from", "P4", "--to", "P2");
    expect(moved.out).toContain("## Rollback P4 (GA) → P2: Planned (bug found)");
  });
});

describe("charter drill resume", () => {
  it("--paused 2h: the > 1 hour rule; one role, so its holder may also resume directly by command", async () => {
    const r = await charter(ROOT, "drill", "resume", "--paused", "2h", "--at", "2025-03-10T10:00Z");
    expect(r.out).toContain("Note: One role signs: a holder or backup of Ingestion Owner may also resume directly with `/killswitch resume global`");
    expect(r.out).toContain("## Resume kill-switch `global`: > 1 hour pause");
    expect(r.out).toContain("  - [ ] Test upload passes");
  });

  it("--paused 30m --scope workspace:acme: the on-call at --at signs", async () => {
    const r = await charter(ROOT, "drill", "resume", "--paused", "30m", "--scope", "workspace:acme", "--at", "2025-03-31T08:55+02:00");
    expect(r.out).toContain("## Resume kill-switch `workspace:acme`: < 1 hour pause");
    expect(r.out).toMatch(/^\| On-Call +\| omar-oncall, oscar-oncall \|/m);
  });

  it("--data-integrity: Ingestion Owner, SRE Lead and PM, each a different person", async () => {
    const r = await charter(ROOT, "drill", "resume", "--paused", "10m", "--data-integrity", "--at", "2025-03-10T10:00Z");
    expect(r.out).toContain("## Resume kill-switch `global`: Data integrity event");
    expect(r.out.match(/^\| (Ingestion Owner|SRE Lead|Product Manager) /gm)).toEqual(["| Ingestion Owner ", "| SRE Lead ", "| Product Manager "]);
    expect(r.out).toContain("- Four eyes: each signer needs a different person");
  });
});

describe("charter drill path", () => {
  it("each file's OWNERS line and who signs; a file nobody owns needs nobody", async () => {
    const r = await charter(ROOT, "drill", "path", "db/migrations/0001_init.sql", "README.md", "--at", "2025-03-10T10:00Z");
    expect(r.code).toBe(0);
    expect(r.out).toContain("## OWNERS *.sql\n\nWhy it applies: changes `db/migrations/0001_init.sql` (OWNERS line 14: `*.sql`). Rule: OWNERS line 14.");
    expect(r.out).toMatch(/^\| Database Owner \| dora-db +\| dan-db +\|/m);
    expect(r.out).not.toContain("README.md (OWNERS");
    const none = await charter(ROOT, "drill", "path", "README.md");
    expect(none.out).toContain("No gate applies");
  });

  it("--json: gates, signers, veto as data", async () => {
    const r = await charter(ROOT, "drill", "path", "/infra/main.tf", "--json", "--at", "2025-03-10T10:00Z");
    const d = JSON.parse(r.out) as { question: unknown; gates: { title: string; signers: { label: string; holders: string[]; backups: string[] }[]; fourEyes: boolean; veto: { rule: string } }[] };
    expect(d.question).toEqual({ kind: "path", paths: ["infra/main.tf"] });
    expect(d.gates).toMatchObject([{ title: "OWNERS /infra/", signers: [{ label: "SRE Lead", holders: ["sam-sre"], backups: ["sid-sre"] }], fourEyes: true, veto: { rule: "any-approver" } }]);
  });
});
