/**
 * docs/drill.md is what a lead writes files and runs drills from: every example command on it is
 * run here (against governance/, an example directory, or the fixture its section names, copied
 * in as governance/) and must print exactly what the page shows; every file it shows is the
 * fixture it says; every subcommand and option of `charter drill` is documented.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drillCommand } from "../../src/cli/commands/drill.js";
import { charter, ROOT } from "../cli/support.js";

const doc = readFileSync(join(ROOT, "docs", "drill.md"), "utf8");

interface Example {
  section: string;
  fixture?: string;
  command: string[];
  output: string;
}

interface Shown {
  fixture: string;
  file: string;
  text: string;
}

/** The page's examples (```` blocks starting with `$ npx charter`) and files (```yaml blocks starting with `# governance/`). */
function parse(): { examples: Example[]; files: Shown[] } {
  const examples: Example[] = [];
  const files: Shown[] = [];
  let section = "";
  let fixture: string | undefined;
  const lines = doc.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#{2,3} /.test(line)) {
      section = line.replace(/^#+ /, "");
      fixture = undefined;
      continue;
    }
    const f = /^<!-- fixture: (\S+) -->$/.exec(line);
    if (f) fixture = f[1];
    const fence = /^(`{3,})(\w*)$/.exec(line);
    if (!fence) continue;
    const close = lines.findIndex((l, j) => j > i && l === fence[1]);
    const body = lines.slice(i + 1, close);
    if (body[0]?.startsWith("$ npx charter ")) {
      examples.push({ section, ...(fixture ? { fixture } : {}), command: body[0].slice("$ npx charter ".length).split(" "), output: body.slice(1).join("\n") });
    } else if (fence[2] === "yaml" && fixture && body[0]?.startsWith("# governance/")) {
      files.push({ fixture, file: body[0].slice("# governance/".length), text: body.slice(1).join("\n") + "\n" });
    }
    i = close;
  }
  return { examples, files };
}

const { examples, files } = parse();

describe("docs/drill.md", () => {
  it("has the examples it promises: incidents, sign-offs, and a warning for each of the five", () => {
    expect(examples.filter((e) => e.command[0] === "drill").map((e) => e.command[1])).toEqual([
      "incident", "incident", "incident", "incident", "gate", "resume", "warnings", "warnings", "warnings", "warnings", "warnings",
    ]);
    expect(examples.filter((e) => e.command.includes("warnings")).map((e) => e.fixture)).toEqual(["nobody-on-call", "two-tiers", "reminders-not-owner", "team-only-role", "nobody-to-page"]);
    expect(examples[0]!.command).toEqual(["drill", "incident", "P1", "--at", "2025-03-31T08:55+02:00"]);
  });

  it.each(examples.map((e) => [`${e.section}: charter ${e.command.join(" ")}`, e] as const))("%s prints what the page shows", async (_name, e) => {
    let cwd = ROOT;
    if (e.fixture) {
      cwd = mkdtempSync(join(tmpdir(), "charter-drill-doc-"));
      cpSync(join(ROOT, "test", "drill", "fixtures", e.fixture), join(cwd, "governance"), { recursive: true });
    }
    try {
      const r = await charter(cwd, ...e.command);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(r.out).toBe(e.output);
    } finally {
      if (cwd !== ROOT) rmSync(cwd, { recursive: true, force: true });
    }
  });

  it.each(files.map((f) => [`${f.fixture}/${f.file}`, f] as const))("the file shown for %s is the example's", (_name, f) => {
    expect(f.text).toBe(readFileSync(join(ROOT, "test", "drill", "fixtures", f.fixture, f.file), "utf8"));
  });

  it("documents every subcommand and option of charter drill", () => {
    for (const subject of ["incident", "gate", "rollback", "resume", "path", "warnings"]) expect(doc).toContain(`charter drill ${subject}`);
    const options = [...drillCommand.usage.matchAll(/--([a-z-]+)/g)].map((m) => m[1]!);
    for (const option of new Set(options)) expect([option, doc.includes(`\`--${option}`)]).toEqual([option, true]);
  });
});
