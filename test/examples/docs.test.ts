import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { phaseGate, pathOwners } from "../../src/core/authority/lookup.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";

const root = join(import.meta.dirname, "..", "..");

/** The code blocks of a section of docs/governance.md whose first line is `# governance/<file>`. */
function filesOfSection(heading: string): Record<string, string> {
  const doc = readFileSync(join(root, "docs", "governance.md"), "utf8");
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`test setup: no section ${heading}`);
  const end = doc.indexOf("\n## ", start + 1);
  const section = doc.slice(start, end < 0 ? undefined : end);
  const files: Record<string, string> = {};
  for (const m of section.matchAll(/```[a-z]*\n# governance\/(\S+)\n([\s\S]*?)```/g)) files[m[1]!] = m[2]!;
  return files;
}

describe("docs/governance.md", () => {
  it("its first governance directory is complete and valid, and means what the page says", async () => {
    const files = filesOfSection("A first governance directory");
    expect(Object.keys(files).sort()).toEqual(["OWNERS", "authority.yml", "roles.yml"]);
    const result = await loadGovernance(memorySource(files));
    expect(result.diagnostics).toEqual([]);
    if (!result.ok) return;
    const g = result.governance;
    expect(pathOwners(g, "src/main.ts")?.roles).toEqual(["tech-lead"]);
    expect(pathOwners(g, "governance/roles.yml")?.roles).toEqual(["tech-lead", "product-manager"]);
    expect(phaseGate(g, "beta", "ga")).toMatchObject({ kind: "gate", gate: { title: "GA", require: ["tech-lead", "product-manager"] } });
  });
});
