import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { charter, ROOT } from "./support.js";

/** Monday 2025-03-10 11:00 Berlin: week 10 of the D9 rotation (primary Olga, secondary Omar). */
const AT = "2025-03-10T10:00Z";

function ownersLine(prefix: string): number {
  return readFileSync(join(ROOT, "governance", "OWNERS"), "utf8").split("\n").findIndex((l) => l.startsWith(prefix)) + 1;
}

describe("charter explain gate", () => {
  it("P3 P4: the GA gate, who signs (titles, holders, backups), veto, four eyes, confirmations, freeze", async () => {
    const r = await charter("explain", "gate", "P3", "P4", "--at", AT);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toContain("# Phase gate P3 → P4 (GA)");
    expect(r.out).toContain("Must sign: Ingestion Owner, Product Manager and SRE Lead.");
    expect(r.out).toContain("| Ingestion Owner | @ana-owner | @ben-owner |");
    expect(r.out).toContain("| Product Manager | @pat-pm    | @paula-pm  |");
    expect(r.out).toContain("| SRE Lead        | @sam-sre   | @sid-sre   |");
    expect(r.out).toContain("- Veto: any single veto blocks");
    expect(r.out).toContain("- Four eyes: each required role needs a different person");
    expect(r.out).toContain("  - [ ] Technical criteria met, system stable (Ingestion Owner)");
    expect(r.out).toContain("  - [ ] Client feedback acceptable, no blockers (Product Manager)");
    expect(r.out).toContain("  - [ ] Infra stable, monitoring adequate, on-call trained (SRE Lead)");
    expect(r.out).toContain("- Freeze: yes. The gate fails while a kill-switch is active or an incident of severity P1, P2 is open.");
    expect(r.out).toContain("- RACI activity: GA sign-off (ga-sign-off)");
  });

  it("accepts P3->P4, P3→P4, `P3 -> P4`, GA and the target phase alone, with the same answer", async () => {
    const base = (await charter("explain", "gate", "P3", "P4", "--at", AT)).out;
    for (const words of [["P3->P4"], ["P3→P4"], ["P3", "->", "P4"], ["GA"], ["ga"], ["P4"]]) {
      const r = await charter("explain", "gate", ...words, "--at", AT);
      expect({ words, code: r.code, out: r.out }).toEqual({ words, code: 0, out: base });
    }
  });

  it("P0 P1: Ingestion Owner alone, no confirmations, no freeze", async () => {
    const r = await charter("explain", "gate", "P0", "P1");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Must sign: Ingestion Owner.");
    expect(r.out).toContain("- Confirmations: none.");
    expect(r.out).toContain("- Freeze: no.");
    expect(r.out).not.toContain("Product Manager |");
  });

  it("explains a move backwards as a rollback and a skip as not allowed", async () => {
    const back = await charter("explain", "gate", "P4", "P3");
    expect(back.code).toBe(0);
    expect(back.out).toContain("# P4 (GA) → P3 is a rollback");
    expect(back.out).toContain("- emergency: Emergency (data at risk)");
    const skip = await charter("explain", "gate", "P1", "P4");
    expect(skip.code).toBe(0);
    expect(skip.out).toContain("# P1 → P4 (GA) skips P2, P3");
    expect(skip.out).toContain("Move one phase at a time: P1 → P2, P2 → P3, P3 → P4.");
  });

  it("rejects an unknown phase with exit 1 and a did-you-mean; a missing gate with exit 2", async () => {
    const typo = await charter("explain", "gate", "P3", "PP4");
    expect(typo.code).toBe(1);
    expect(typo.out).toBe("");
    expect(typo.err).toBe("charter explain: unknown phase `PP4`. Did you mean `P4`? Known: P0, P1, P2, P3, P4.");
    const title = await charter("explain", "gate", "GAA");
    expect(title.code).toBe(1);
    expect(title.err).toContain("Did you mean `GA`?");
    const none = await charter("explain", "gate");
    expect(none.code).toBe(2);
    expect(none.err).toContain("which gate?");
    expect(none.err).toContain("Usage: charter explain <what>");
    const three = await charter("explain", "gate", "P1", "P2", "P3");
    expect(three.code).toBe(2);
  });
});

describe("charter explain resume", () => {
  it("--paused 2h: rule 3, Ingestion Owner, Test upload passes and Metrics check", async () => {
    const r = await charter("explain", "resume", "--paused", "2h");
    expect(r.code).toBe(0);
    expect(r.out).toContain("# Resume the kill-switch after a 2h pause, scope global");
    expect(r.out).toContain("Rule 3 of 4 applies: > 1 hour pause (paused at least 1h).");
    expect(r.out).toContain("Resume authority: Ingestion Owner.");
    expect(r.out).toContain("| Ingestion Owner | @ana-owner | @ben-owner |");
    expect(r.out).toContain("A single role: a holder or backup of Ingestion Owner may resume directly (`/killswitch resume`)");
    expect(r.out).toContain("Verification required:\n- [ ] Test upload passes\n- [ ] Metrics check\n");
    expect(r.out).toMatch(/^\| → +\| 3 +\| > 1 hour pause +\| paused at least 1h +\| Ingestion Owner +\| applies +\|$/m);
    expect(r.out).toMatch(/^\| +\| 1 +\| Data integrity event .*\| no: not a data-integrity event +\|$/m);
  });

  it("--paused 30m: On-Call, Test upload passes only", async () => {
    const r = await charter("explain", "resume", "--paused", "30m", "--at", AT);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Rule 4 of 4 applies: < 1 hour pause (paused under 1h).");
    expect(r.out).toContain("Resume authority: On-Call.");
    expect(r.out).toContain("| On-Call | @olga-oncall, @omar-oncall (on call) | —       |");
    expect(r.out).toContain("- [ ] Test upload passes");
    expect(r.out).not.toContain("- [ ] Metrics check");
  });

  it("--data-integrity and --after-rollback pick the stricter rules", async () => {
    const di = await charter("explain", "resume", "--paused", "10m", "--data-integrity", "--after-rollback");
    expect(di.out).toContain("Resume authority: Ingestion Owner, SRE Lead and Product Manager.");
    expect(di.out).toContain("Each role must sign the resume pull request, each by a different person");
    expect(di.out).toContain("- [ ] Investigation complete");
    const rb = await charter("explain", "resume", "--paused", "3h", "--after-rollback", "--scope", "workspace:acme");
    expect(rb.out).toContain("# Resume the kill-switch after a 3h pause, scope workspace:acme, after a rollback");
    expect(rb.out).toContain("Resume authority: Ingestion Owner and Product Manager.");
    expect(rb.out).toContain("- [ ] Full P0 revalidation");
  });

  it("usage errors exit 2: no --paused, a bad duration, a bad scope, resume flags elsewhere", async () => {
    for (const argv of [
      ["explain", "resume"],
      ["explain", "resume", "--paused", "2 hours"],
      ["explain", "resume", "--paused", "2h", "--scope", "planet"],
      ["explain", "gate", "P3", "P4", "--paused", "2h"],
      ["explain", "resume", "--paused", "2h", "--at", "tomorrow"],
    ]) {
      const r = await charter(...argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.out).toBe("");
    }
    expect((await charter("explain", "resume", "--paused", "2 hours")).err).toContain("--paused needs a duration such as 45m, 2h or 1h30m (got `2 hours`)");
  });
});

describe("charter explain rollback / activate", () => {
  it("rollback emergency: On-Call (who is on call at --at), immediate, everyone informed after", async () => {
    const r = await charter("explain", "rollback", "emergency", "--at", AT);
    expect(r.code).toBe(0);
    expect(r.out).toContain("# Rollback: Emergency (data at risk) (emergency)");
    expect(r.out).toContain("- Decides: On-Call (@olga-oncall, @omar-oncall on call). Immediate: any one of them may roll back at once");
    expect(r.out).toContain("- Informed: Everyone, after the rollback.");
    expect(r.out).toContain("- Sign-off form (headings of the pull request body): Date, Time, Rolled back from, Rolled back to, Reason, Authorized by, Approved by, Next steps.");
  });

  it("rollback planned: Owner decides, PM approves", async () => {
    const r = await charter("explain", "rollback", "planned");
    expect(r.out).toContain("- Decides: Ingestion Owner (@ana-owner; backup @ben-owner). Signs the rollback pull request");
    expect(r.out).toContain("- Approves: Product Manager (@pat-pm; backup @paula-pm); the rollback waits for this approval.");
  });

  it("rollback with an unknown type exits 1 with a did-you-mean", async () => {
    const r = await charter("explain", "rollback", "emergncy");
    expect(r.code).toBe(1);
    expect(r.err).toBe("charter explain: unknown rollback type `emergncy`. Did you mean `emergency`? Known: emergency, p1-incident, planned, client-request.");
  });

  it("activate error-rate-10: On-Call activates, Owner approves within 15m, PM notified within 15m", async () => {
    const r = await charter("explain", "activate", "error-rate-10", "--at", AT);
    expect(r.code).toBe(0);
    expect(r.out).toContain("- Who may activate: On-Call (@olga-oncall, @omar-oncall on call).");
    expect(r.out).toContain("- Approval: Ingestion Owner (@ana-owner; backup @ben-owner), within 15m after activation.");
    expect(r.out).toContain("- Notify: Product Manager, within 15m.");
  });

  it("activate data-corruption: anyone, no approval, everyone immediately, resume needs the data-integrity authority", async () => {
    const r = await charter("explain", "activate", "data-corruption");
    expect(r.out).toContain("- Who may activate: Anyone (anybody with access to the repository).");
    expect(r.out).toContain("- Approval: none. Activate first; nobody needs to approve.");
    expect(r.out).toContain("- Notify: Everyone, immediately.");
    expect(r.out).toContain("Resuming needs Ingestion Owner, SRE Lead and Product Manager (Data integrity event: Investigation complete).");
  });

  it("activate by title; planned maintenance needs PM approval 24h in advance", async () => {
    const r = await charter("explain", "activate", "Planned", "maintenance");
    expect(r.code).toBe(0);
    expect(r.out).toContain("- Approval: Product Manager (@pat-pm; backup @paula-pm), 24h in advance.");
    expect(r.out).toContain("- Notify: Everyone, 24h in advance.");
    const bad = await charter("explain", "activate", "data-coruption");
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("unknown kill-switch scenario `data-coruption`. Did you mean `data-corruption`?");
  });
});

describe("charter explain path", () => {
  it("a migration: the *.sql line owns it, Database Owner signs, the earlier line is overridden", async () => {
    const r = await charter("explain", "path", "db/migrations/0001_init.sql");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`- Owning line: governance/OWNERS:${ownersLine("*.sql")}: \`*.sql database-owner\` (the last matching line wins).`);
    expect(r.out).toContain(`- Also matches, overridden: governance/OWNERS:${ownersLine("/db/migrations/")}: \`/db/migrations/ database-owner\`.`);
    expect(r.out).toContain("Database Owner must sign a pull request that touches this path.");
    expect(r.out).toContain("| Database Owner (database-owner) | role | @dora-db  | @dan-db |");
  });

  it("governance/: every owner on the line must sign", async () => {
    const r = await charter("explain", "path", "governance/roles.yml");
    expect(r.out).toContain("Every owner on the line must sign a pull request that touches this path (unlike CODEOWNERS, where one owner's approval is enough): Ingestion Owner, SRE Lead and Product Manager.");
  });

  it("a feature-flag file: no OWNERS line, but the RACI activity whose paths match", async () => {
    const r = await charter("explain", "path", "config/flags/beta.yml");
    expect(r.out).toContain("No line of governance/OWNERS matches");
    expect(r.out).toMatch(/^\| Feature flag config \(feature-flag-config\) \| On-Call +\| Ingestion Owner \| SRE Lead +\| Product Manager and Support Lead \|$/m);
  });

  it("needs exactly one path", async () => {
    expect((await charter("explain", "path")).code).toBe(2);
    expect((await charter("explain", "path", "a", "b")).code).toBe(2);
  });
});

describe("charter explain role", () => {
  it("sre-lead: title, responsibility, authority, holders, backups, where it is named", async () => {
    const r = await charter("explain", "role", "sre-lead");
    expect(r.code).toBe(0);
    expect(r.out).toContain("# Role: SRE Lead (sre-lead)");
    expect(r.out).toContain("- Responsibility: Infrastructure, monitoring, capacity.");
    expect(r.out).toContain("- Authority: Circuit breaker reset, infra changes.");
    expect(r.out).toContain("- Holders: @sam-sre.");
    expect(r.out).toContain("- Backups: @sid-sre.");
    expect(r.out).toContain("- Responsible (R): Metrics review, GA criteria review, GA sign-off.");
    expect(r.out).toMatch(/^\| Phase gate +\| P3 → P4 \(GA\) +\| must sign +\|$/m);
    expect(r.out).toMatch(/^\| Kill-switch resume +\| Data integrity event +\| must sign +\|$/m);
    expect(r.out).toMatch(/^\| Incident ladder +\| severity P1 +\| paged at \+1h +\|$/m);
    expect(r.out).toMatch(/^\| Incident commands +\| \/ack, \/escalate, /m);
    expect(r.out).toMatch(new RegExp(`^\\| OWNERS +\\| line ${ownersLine("/infra/")}: /infra/ sre-lead +\\| must sign +\\|$`, "m"));
  });

  it("on-call: the tiers and who holds them at --at, with the shift", async () => {
    const r = await charter("explain", "role", "on-call", "--at", AT);
    expect(r.out).toContain("- On call (from ingestion/primary, ingestion/secondary) at 2025-03-10T10:00:00Z:");
    expect(r.out).toContain('  - Primary (ingestion/primary): @olga-oncall (rotation "weekly", 2025-03-10T08:00:00Z to 2025-03-17T08:00:00Z)');
    expect(r.out).toContain("  - Secondary (ingestion/secondary): @omar-oncall (rotation");
    expect(r.out).toMatch(/^\| Rollback +\| Emergency \(data at risk\) +\| decides \(may act at once\) +\|$/m);
  });

  it("on-call-primary during Opal's vacation: the override", async () => {
    const r = await charter("explain", "role", "on-call-primary", "--at", "2025-03-25T10:00+01:00");
    expect(r.out).toContain("  - Primary (ingestion/primary): @omar-oncall (override: Opal on vacation, Omar covers her week (swap), 2025-03-24T08:00:00Z to 2025-03-31T07:00:00Z)");
  });

  it("finds a role by title; an unknown role exits 1 with a did-you-mean", async () => {
    expect((await charter("explain", "role", "SRE", "Lead")).out).toContain("# Role: SRE Lead (sre-lead)");
    const r = await charter("explain", "role", "sre-leed");
    expect(r.code).toBe(1);
    expect(r.err).toContain("charter explain: unknown role `sre-leed`. Did you mean `sre-lead`?");
  });
});

describe("charter explain severity", () => {
  it("P1: the ladder as a timeline with who would be paged at --at", async () => {
    const r = await charter("explain", "severity", "P1", "--at", AT);
    expect(r.code).toBe(0);
    expect(r.out).toContain("# Severity P1: System down");
    expect(r.out).toContain("- Acknowledge within: 15m.");
    expect(r.out).toContain("- Status updates: every 30m");
    expect(r.out).toContain("- Post-incident review: required, due 5d after resolution, owned by Ingestion Owner.");
    const rows = r.out.split("\n").filter((l) => /^\| \+/.test(l));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/^\| \+0m +\| On-Call Primary \(@olga-oncall\) +\| Primary acks +\| acknowledged +\|$/);
    expect(rows[1]).toMatch(/^\| \+15m +\| On-Call Secondary \(@omar-oncall\) +\| Secondary joins +\| acknowledged +\|$/);
    expect(rows[2]).toMatch(/^\| \+30m +\| Ingestion Owner \(@ana-owner\) +\| Ingestion Owner joins +\|/);
    expect(rows[3]).toMatch(/^\| \+1h +\| SRE Lead \(@sam-sre\), Product Manager \(@pat-pm\) +\| SRE Lead \+ PM +\|/);
  });

  it("resolves the ladder at another instant (the override week)", async () => {
    const r = await charter("explain", "severity", "p1", "--at", "2025-03-25T10:00Z");
    expect(r.out).toMatch(/^\| \+0m +\| On-Call Primary \(@omar-oncall\) /m);
    expect(r.out).toMatch(/^\| \+15m +\| On-Call Secondary \(@oscar-oncall\) /m);
  });

  it("P2: the secondary is notified at +30m until resolved", async () => {
    const r = await charter("explain", "severity", "P2", "--at", AT);
    expect(r.out).toMatch(/^\| \+30m +\| On-Call Secondary \(@omar-oncall\) +\| Secondary notified +\| resolved +\|$/m);
  });

  it("an unknown severity exits 1 and lists the known ones", async () => {
    const r = await charter("explain", "severity", "P4");
    expect(r.code).toBe(1);
    expect(r.err).toBe("charter explain: unknown severity `P4`. Known: P1, P2, P3.");
  });
});

describe("charter explain: usage", () => {
  it("an unknown subject exits 2 with a did-you-mean", async () => {
    const r = await charter("explain", "gat", "P3", "P4");
    expect(r.code).toBe(2);
    expect(r.err).toContain("cannot explain `gat`; did you mean `gate`?");
  });

  it("nothing to explain exits 2", async () => {
    const r = await charter("explain");
    expect(r.code).toBe(2);
    expect(r.err).toContain("what should I explain?");
  });

  it("a missing governance directory exits 1", async () => {
    const r = await charter("explain", "role", "sre-lead", "--dir", "no-such-dir");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^charter explain: no-such-dir\/ does not exist \(looked for .*no-such-dir\)\. Name the governance directory with --dir <dir>, e\.g\. `charter explain --dir path\/to\/governance`\.$/);
  });

  it("reads another directory with --dir", async () => {
    const r = await charter("explain", "role", "tech-lead", "--dir", "examples/seven-person-team/governance");
    expect(r.code).toBe(0);
    expect(r.out).toContain("# Role: Tech Lead (tech-lead)");
  });
});
