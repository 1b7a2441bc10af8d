/**
 * Every documentation link the CLI prints leads somewhere: `docs/<page>.md` exists and its
 * `#anchor` (or `, "Heading"`) is a heading of that page, in every command's usage, `charter
 * --help`, the messages in src/cli/ and what `charter init` prints. The same for the links inside
 * the pages this part of Charter documents (cli.md, getting-started.md, container.md, README.md).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands/index.js";
import { charter, ROOT } from "./support.js";

/** GitHub's heading anchors: lower case, punctuation dropped (not `-` or `_`), spaces to `-`. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/^```[\s\S]*?^```/gm, ""); // headings, not code
  return new Set([...text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => slug(m[1]!)));
}

function headings(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/^```[\s\S]*?^```/gm, "");
  return new Set([...text.matchAll(/^#{1,6}\s+(.+?)\s*$/gm)].map((m) => m[1]!));
}

/** Problems with the `docs/…` references in a text the CLI prints. */
function brokenCliReferences(text: string): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(/docs\/([a-z0-9-]+\.md)(?:#([a-z0-9-]+))?(?:, "([^"]+)")?/g)) {
    const [ref, page, anchor, heading] = m;
    const file = join(ROOT, "docs", page!);
    if (!existsSync(file)) {
      problems.push(`${ref}: docs/${page} does not exist`);
      continue;
    }
    if (anchor && !anchors(file).has(anchor)) problems.push(`${ref}: no heading with the anchor #${anchor}`);
    if (heading && !headings(file).has(heading)) problems.push(`${ref}: no heading "${heading}"`);
  }
  return problems;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("links the CLI prints", () => {
  it("every command's --help, and charter --help", async () => {
    const texts = [...commands.map((c) => c.usage), (await charter(ROOT, "--help")).out];
    expect(texts.join("\n")).toMatch(/docs\/[a-z-]+\.md/);
    expect(texts.flatMap(brokenCliReferences)).toEqual([]);
  });

  it("every message in src/cli/", () => {
    const problems = sources(join(ROOT, "src", "cli")).flatMap((f) => brokenCliReferences(readFileSync(f, "utf8")).map((p) => `${relative(ROOT, f)}: ${p}`));
    expect(problems).toEqual([]);
  });

  it("what charter init prints (its next steps)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "charter-links-"));
    try {
      const r = await charter(dir, "init", "--from", "d9");
      expect(r.code).toBe(0);
      expect(r.out).toContain("docs/getting-started.md#4-protect-the-default-branch");
      expect(brokenCliReferences(r.out)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the reference format is checked: a wrong anchor is caught", () => {
    expect(brokenCliReferences("see docs/cli.md#charter-sweep")).toEqual([]);
    expect(brokenCliReferences('see docs/incidents.md, "Scheduling the sweep"')).toEqual(['docs/incidents.md, "Scheduling the sweep": no heading "Scheduling the sweep"']);
    expect(brokenCliReferences("see docs/cli.md#charter-rehearse")).toEqual(["docs/cli.md#charter-rehearse: no heading with the anchor #charter-rehearse"]);
  });
});

describe("links inside the pages", () => {
  for (const page of ["docs/cli.md", "docs/getting-started.md", "docs/container.md", "README.md"]) {
    it(`${page}: every relative link and anchor exists`, () => {
      const file = join(ROOT, page);
      const text = readFileSync(file, "utf8").replace(/^```[\s\S]*?^```/gm, "");
      const problems: string[] = [];
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split("#") as [string, string | undefined];
        const resolved = path === "" ? file : normalize(join(dirname(file), path));
        if (!existsSync(resolved)) {
          problems.push(`${target}: ${relative(ROOT, resolved)} does not exist`);
          continue;
        }
        if (anchor !== undefined && resolved.endsWith(".md") && !anchors(resolved).has(anchor)) problems.push(`${target}: no heading with the anchor #${anchor}`);
      }
      expect(problems).toEqual([]);
    });
  }
});
