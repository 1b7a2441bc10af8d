import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { whoIsOnCall } from "../../src/core/oncall/resolve.js";
import { formatDiagnostic } from "../../src/load/diagnostic.js";
import { loadGovernance } from "../../src/load/load.js";
import { directorySource, memorySource } from "../../src/load/source.js";

/** docs/oncall.md is what teams write their files from: its examples must be valid and its claims true. */
const root = join(import.meta.dirname, "..", "..");
const doc = readFileSync(join(root, "docs", "oncall.md"), "utf8");
const blocks = [...doc.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
const files = (marker: string) => blocks.filter((b) => b.lang === "yaml" && b.text.startsWith(`${marker}\n`)).map((b) => b.text.slice(marker.length + 1));
const oncallFiles = files("# governance/oncall.yml");
const rolesFiles = files("# governance/roles.yml");
const fixture = (name: string) => readFileSync(join(root, "test", "oncall", "fixtures", "team", name), "utf8");

describe("docs/oncall.md", () => {
  it("has complete example files", () => {
    expect(oncallFiles.length).toBe(7);
    expect(rolesFiles.length).toBe(1);
  });

  it.each(oncallFiles.map((text, i) => [i, text] as const))("example oncall.yml %i is valid", async (_i, text) => {
    const result = await loadGovernance(memorySource({ "roles.yml": "version: 1\nroles: {}\n", "oncall.yml": text }));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  });

  it("the seed 000 example is the tested fixture, with its roles.yml", () => {
    expect(oncallFiles).toContain(fixture("oncall.yml"));
    expect(rolesFiles[0]).toBe(fixture("roles.yml"));
  });

  it("the D9 example is governance/oncall.yml", () => {
    const d9 = oncallFiles.find((f) => f.includes("ingestion:"))!;
    expect(readFileSync(join(root, "governance", "oncall.yml"), "utf8")).toContain(d9);
  });

  it("the D9 table says who the resolver says", async () => {
    const result = await loadGovernance(directorySource(join(root, "governance"), "governance"));
    if (!result.ok) throw new Error("governance/ is invalid");
    const rows = [...doc.matchAll(/^\| \w{3} (\d{4}-\d{2}-\d{2}) \d{2}:\d{2} \(\**(\d{2}:\d{2})Z\**\) \| ([\w-]+) \| ([\w-]+) \| ([\w-]+) \|/gm)];
    expect(rows.length).toBe(6);
    for (const [, date, utc, primary, secondary, owner] of rows) {
      const at = new Date(`${date}T${utc}:00Z`);
      const who = ["primary", "secondary", "owner"].map((t) => whoIsOnCall(result.governance.oncall, `ingestion/${t}`, at).who.join(", "));
      expect([date, utc, ...who]).toEqual([date, utc, primary, secondary, owner]);
    }
  });

  it("the sample output is what `charter oncall` prints", async () => {
    const sample = blocks.find((b) => b.lang === "" && b.text.startsWith("On call at "))!.text.trimEnd();
    const stdout: string[] = [];
    const io: CliIO = { out: (t) => stdout.push(t), err: () => {}, env: {}, cwd: root };
    expect(await main(["oncall", "--at", "2025-03-30T10:00+02:00"], io)).toBe(0);
    expect(stdout.join("\n")).toBe(sample);
  });
});
