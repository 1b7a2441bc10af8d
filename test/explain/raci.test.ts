import { describe, expect, it } from "vitest";
import { charter } from "./support.js";

describe("charter raci (D9 §2.1)", () => {
  it("prints the matrix like the seed: role-title columns, bold stage rows, the legend below", async () => {
    const r = await charter("raci");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const lines = r.out.split("\n");
    expect(lines).toContain("| Activity | Ingestion Owner | On-Call | SRE Lead | Product Manager | Support Lead |");
    expect(lines).toContain("|---|---|---|---|---|---|");
    expect(lines).toContain("| GA sign-off | A | I | R | R | I |");
    expect(lines).toContain("| Rollback decision | A | R | C | C | I |");
    expect(lines).toContain("| Client communication | C | I | I | A | R |");
    expect(lines).toContain("| Test upload | R | R | I | I | I |");
    const stage = lines.indexOf("| **Pre-Launch** |");
    expect(stage).toBeGreaterThan(0);
    expect(lines[stage + 1]).toBe("| Day-0 checklist | A | R | C | I | I |");
    expect(lines.indexOf("| **GA** |")).toBe(lines.indexOf("| GA criteria review | A | C | R | R | I |") - 1);
    expect(lines.filter((l) => l.startsWith("| **"))).toEqual(["| **Pre-Launch** |", "| **Launch** |", "| **Steady State** |", "| **Incidents** |", "| **GA** |"]);
    expect(lines.at(-1)).toMatch(/^\*\*Legend:\*\* R = Responsible .*A = Accountable \(signs off\), C = Consulted .*I = Informed/);
  });

  it("--activity: that row and who is what", async () => {
    const r = await charter("raci", "--activity", "ga-sign-off");
    expect(r.code).toBe(0);
    expect(r.out).toContain("# RACI: GA sign-off (ga-sign-off)");
    expect(r.out).toContain("| GA sign-off | A | I | R | R | I |");
    expect(r.out).toContain("- Accountable (signs off): Ingestion Owner");
    expect(r.out).toContain("- Responsible (does the work; assigned): SRE Lead and Product Manager");
    expect(r.out).toContain("- Informed (mentioned): On-Call and Support Lead");
    expect(r.out).toContain("- Phase gate P3 → P4 (GA) uses it");
    expect(r.out).not.toContain("Day-0 checklist");
  });

  it("an unknown activity exits 1 with a did-you-mean; two directories exit 2", async () => {
    const r = await charter("raci", "--activity", "ga-signoff");
    expect(r.code).toBe(1);
    expect(r.err).toContain("charter raci: unknown activity `ga-signoff`. Did you mean `ga-sign-off`?");
    expect((await charter("raci", "a", "b")).code).toBe(2);
  });

  it("the seven-person team's matrix reproduces seed 000 row for row", async () => {
    const r = await charter("raci", "examples/seven-person-team/governance");
    expect(r.code).toBe(0);
    // The rows of seed 000's RACI Matrix, verbatim.
    const seed = `| **Documentation** |
| API Documentation | A | R | C | C | I | R |
| Architecture Docs | R | C | C | C | C | A |
| User Guides | C | I | I | I | I | R |
| Security Docs | C | I | I | I | R | A |
| **Code Development** |
| Core APIs | A | R | I | I | C | I |
| ML Models | C | I | I | R | C | I |
| Infrastructure Code | C | I | R | I | C | I |
| Security Features | A | R | C | I | R | I |
| **Infrastructure** |
| K8s Deployment | C | I | R | I | C | I |
| CI/CD Pipelines | A | C | R | C | C | I |
| Monitoring Setup | C | I | R | C | C | I |
| ML Infrastructure | C | I | A | R | C | I |
| **Security** |
| Threat Modeling | C | C | C | C | R | I |
| Security Testing | A | C | C | C | R | I |
| Compliance Audit | C | I | C | I | R | A |
| Incident Response | A | C | R | C | R | I |`;
    expect(r.out).toContain("| Activity | Tech Lead | Backend Engineer | DevOps/SRE Engineer | ML Engineer | Security Engineer | Tech Writer |\n|---|---|---|---|---|---|---|\n" + seed + "\n");
  });
});
