/**
 * docs/security.md is Charter's threat model (hardening issue #10): every attack row names the test
 * that refuses it, and that claim is only worth something while the tests it names exist. So:
 *
 * - every test file the page cites (a code span `test/….ts`) exists;
 * - in a row's test cell, every name in double quotes after a cited file is the title of an `it`,
 *   `test` or `describe` in that file, found by parsing the file's TypeScript: alone, or after the
 *   titles of the `describe` blocks around it (joined by a space, as in vitest's full name, or by
 *   ` > `, as its reporter shows it). In a quoted name `…` stands for words left out and a code
 *   span `` `<word>` `` for a placeholder of the title (`%s`, `$name`, `${…}`); a placeholder is
 *   also matched by any string literal of the file (the values of an `it.each` table or of a loop
 *   over cases);
 * - a cited file is followed only by quoted names (`: "…", "…"`), notes in parentheses, `;` or
 *   `,` and a few words introducing the next file: a name written without quotes would escape
 *   the check, so it is refused;
 * - each test of test/signoff/security.test.ts (the first version's sign-off cases) has its row.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../e2e/support/build.js";

const DOC = "docs/security.md";

/** A placeholder in a title: `%s`, `$name`, `${…}`, a computed title. */
const SLOT = "\u0001";

const collapse = (text: string) => text.replace(/\s+/g, " ").trim();

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A quoted name as a pattern over titles: `…` is any text (with the spaces around it), and a code
 * span `` `<word>` `` a placeholder of the title (or that very text).
 */
function namePattern(name: string): RegExp {
  const part = (text: string) => text.trim().split(/(`<[a-z][a-z -]*>`)/).map((piece, i) => (i % 2 === 1 ? `(?:${SLOT}|${escape(piece)})` : escape(piece))).join("");
  const parts = collapse(name).split("…").map(part);
  return new RegExp(`${parts[0] === "" ? "" : "^"}${parts.join("[\\s\\S]*")}${parts.at(-1) === "" ? "" : "$"}`);
}

function titleOf(node: ts.Expression | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => SLOT + s.literal.text).join("");
  if (ts.isParenthesizedExpression(node)) return titleOf(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return (titleOf(node.left) ?? SLOT) + (titleOf(node.right) ?? SLOT);
  }
  return undefined;
}

/**
 * The titles a title argument gives: string and template literals and `+` of them; `c.name` (in a
 * loop over a table of cases) gives every string the file gives a property `name`.
 */
function titlesOf(node: ts.Expression | undefined, properties: ReadonlyMap<string, string[]>): string[] {
  if (node && ts.isPropertyAccessExpression(node)) return properties.get(node.name.text) ?? [];
  const title = titleOf(node);
  return title === undefined ? [] : [title];
}

/** vitest's `.each`/`.for` title formatting: printf placeholders and `$name` are placeholders. */
const eachTitle = (title: string) => title.replace(/%%|%[sdifjoOc#]|\$[A-Za-z_$][\w$]*(?:\.[\w$]+)*/g, (m) => (m === "%%" ? "%" : SLOT));

/** Whether a title says anything: not only placeholders and punctuation. */
const says = (title: string) => title.replace(/[^\p{L}\p{N}]/gu, "").length >= 4;

interface TestFile {
  /** every `it`/`test`/`describe` title, alone and after its `describe` blocks (may hold SLOT) */
  titles: string[];
  /** the file's one-line string literals: what a placeholder may stand for */
  literals: string[];
}

/** The titles of a test file, found by parsing it (local names of vitest's imports followed: `describe as group`). */
function testFile(file: string): TestFile {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const kinds = new Map<string, "describe" | "test">();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== "vitest") continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const el of bindings.elements) {
      const imported = (el.propertyName ?? el.name).text;
      if (imported === "describe" || imported === "suite") kinds.set(el.name.text, "describe");
      if (imported === "it" || imported === "test") kinds.set(el.name.text, "test");
    }
  }
  if (kinds.size === 0) for (const [name, kind] of [["describe", "describe"], ["suite", "describe"], ["it", "test"], ["test", "test"]] as const) kinds.set(name, kind);

  /** `it(…)`, `it.skip(…)`, `it.each(table)(…)`, `describe.skipIf(c)(…)`: which kind, and whether titles are formatted. */
  const classify = (call: ts.CallExpression): { kind: "describe" | "test"; each: boolean } | undefined => {
    let e: ts.Expression = call.expression;
    let each = false;
    for (;;) {
      if (ts.isIdentifier(e)) {
        const kind = kinds.get(e.text);
        return kind ? { kind, each } : undefined;
      }
      if (ts.isPropertyAccessExpression(e)) {
        if (e.name.text === "each" || e.name.text === "for") each = true;
        e = e.expression;
      } else if (ts.isCallExpression(e)) {
        e = e.expression;
      } else {
        return undefined;
      }
    }
  };

  const literals = new Set<string>();
  const properties = new Map<string, string[]>();
  const collect = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text.length > 0 && node.text.length <= 300 && !node.text.includes("\n")) literals.add(node.text);
    if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
      const value = titleOf(node.initializer);
      if (value !== undefined) properties.set(node.name.text, [...(properties.get(node.name.text) ?? []), value]);
    }
    ts.forEachChild(node, collect);
  };
  collect(source);

  const titles: string[] = [];
  const visit = (node: ts.Node, outer: readonly string[]): void => {
    let inner = outer;
    if (ts.isCallExpression(node)) {
      const call = classify(node);
      const found = call ? titlesOf(node.arguments[0], properties).map((t) => (call.each ? eachTitle(t) : t)) : [];
      for (const title of found) {
        for (let k = 0; k <= outer.length; k++) {
          const chain = [...outer.slice(outer.length - k), title];
          if (says(chain.join(""))) titles.push(collapse(chain.join(" ")), collapse(chain.join(" > ")));
        }
      }
      if (call?.kind === "describe" && node.arguments.length > 1) inner = [...outer, found.length === 1 ? found[0]! : SLOT];
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(source, []);
  return { titles, literals: [...literals] };
}

/** Whether a quoted name is a title of the file, a placeholder standing for itself (`<word>`) or for a literal of the file. */
function resolves(name: string, file: TestFile): boolean {
  const pattern = namePattern(name);
  for (const title of file.titles) {
    if (pattern.test(title)) return true;
    for (let at = title.indexOf(SLOT); at >= 0; at = title.indexOf(SLOT, at + 1)) {
      for (const literal of file.literals) if (pattern.test(collapse(title.slice(0, at) + literal + title.slice(at + 1)))) return true;
    }
  }
  return false;
}

/** A cell's double-quoted strings (`\"` inside one), with markdown's `\|` and `\"` unescaped. */
function quoted(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(["|])/g, "$1"));
}

/** The text left when quoted names, code spans and notes in parentheses are taken out. */
function residue(text: string): string {
  let rest = text.replace(/"((?:[^"\\]|\\.)*)"/g, '""').replace(/`[^`]*`/g, "");
  for (let previous = ""; previous !== rest; ) {
    previous = rest;
    rest = rest.replace(/\([^()]*\)/g, "");
  }
  return rest;
}

interface Citation {
  line: number;
  file: string;
  names: string[];
}

/**
 * The problems of a threat model's text: cited files that do not exist, quoted names that are no
 * test's title, names written without quotes, rows that cite no test file.
 */
function securityDocProblems(doc: string): { problems: string[]; citations: Citation[] } {
  const problems: string[] = [];
  const citations: Citation[] = [];
  const files = new Map<string, TestFile>();
  const parsed = (file: string) => {
    if (!files.has(file)) files.set(file, testFile(join(ROOT, file)));
    return files.get(file)!;
  };
  let testColumn = false;
  doc.split("\n").forEach((text, index) => {
    const line = index + 1;
    for (const m of text.matchAll(/`(test\/[^`\s]+\.ts)`/g)) {
      if (!existsSync(join(ROOT, m[1]!))) problems.push(`${DOC}:${line}: ${m[1]} does not exist`);
    }
    if (!text.startsWith("|")) {
      testColumn = false;
      return;
    }
    const cells = text.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    if (cells.every((c) => /^:?-+:?$/.test(c))) return; // the separator row
    if (!testColumn && cells.at(-1)?.toLowerCase() === "test") {
      testColumn = true; // a header row: the table's rows name their tests in the last column
      return;
    }
    if (!testColumn) return;
    const cell = cells.at(-1) ?? "";
    const refs = [...cell.matchAll(/`(test\/[^`\s]+\.ts)`/g)];
    if (refs.length === 0) {
      problems.push(`${DOC}:${line}: the row names no test file`);
      return;
    }
    if (quoted(cell.slice(0, refs[0]!.index)).length > 0) problems.push(`${DOC}:${line}: a quoted name before any test file`);
    refs.forEach((ref, k) => {
      const file = ref[1]!;
      const segment = cell.slice(ref.index + ref[0].length, refs[k + 1]?.index ?? cell.length);
      const names = quoted(segment);
      citations.push({ line, file, names });
      // after the file: `: "name", "name"; "name"` (a short label may introduce a name: `the checker
      // itself: "name"`), notes in parentheses, then a few words introducing the next file
      const shape = /^\s*(?::\s*(?:[^":;,]{1,40}:\s*)?""(?:\s*[,;]\s*(?:[^":;,]{1,40}:\s*)?"")*)?\s*(?:[;,]\s*(?<lead>[^";]{0,60}?))?\s*$/.exec(residue(segment));
      if (!shape || (shape.groups?.lead && k === refs.length - 1)) {
        problems.push(`${DOC}:${line}: after ${file}, write test names in double quotes (found ${JSON.stringify(segment.trim())})`);
      }
      if (!existsSync(join(ROOT, file))) return;
      for (const name of names) if (!resolves(name, parsed(file))) problems.push(`${DOC}:${line}: ${file} has no test named "${name}"`);
    });
  });
  return { problems, citations };
}

const doc = readFileSync(join(ROOT, DOC), "utf8");

describe("docs/security.md names tests that exist", () => {
  it("every cited test file exists, and every quoted test name is a test of that file", () => {
    const { problems, citations } = securityDocProblems(doc);
    expect(citations.length).toBeGreaterThan(200);
    expect(citations.flatMap((c) => c.names).length).toBeGreaterThan(250);
    expect(problems).toEqual([]);
  });

  it("each test of test/signoff/security.test.ts (the first version's sign-off cases) has its row", () => {
    const FILE = "test/signoff/security.test.ts";
    const names = securityDocProblems(doc).citations.filter((c) => c.file === FILE).flatMap((c) => c.names.map(namePattern));
    const source = ts.createSourceFile(FILE, readFileSync(join(ROOT, FILE), "utf8"), ts.ScriptTarget.Latest, true);
    const cases: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "it") cases.push(collapse(titleOf(node.arguments[0]) ?? SLOT));
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(cases.length).toBeGreaterThanOrEqual(10);
    expect(cases.filter((c) => !names.some((n) => n.test(c)))).toEqual([]);
  });

  it("the check itself: a wrong name, an unquoted name, a missing file and a row without a test are caught", () => {
    const row = (cell: string) => `| attack | refused because | test |\n|---|---|---|\n| an attack | a reason | ${cell} |\n`;
    const check = (cell: string) => securityDocProblems(row(cell)).problems;
    const real = "the author's own review never counts, even as a holder of a required role";
    expect(check(`\`test/signoff/security.test.ts\`: "${real}"`)).toEqual([]);
    expect(check(`\`test/signoff/security.test.ts\`: "the author's own review never counts …"`)).toEqual([]);
    expect(check(`\`test/signoff/security.test.ts\`: "sign-off cannot be forged > ${real}"`)).toEqual([]); // describe > it
    expect(check(`\`test/validate/timezone.test.ts\`: "EST is refused with a did-you-mean"`)).toEqual([]); // it.each's %s, from its table
    expect(check(`\`test/validate/timezone.test.ts\`: "\`<zone>\` is refused with a did-you-mean"`)).toEqual([]);
    expect(check(`\`test/signoff/security.test.ts\`: "the author's own review counts"`)).toEqual([`${DOC}:3: test/signoff/security.test.ts has no test named "the author's own review counts"`]);
    expect(check(`\`test/signoff/security.test.ts\`: "the author's own review never counts, even as a holder of a role"`)).toHaveLength(1);
    expect(check(`\`test/validate/timezone.test.ts\`: "EDT is refused with a did-you-mean"`)).toHaveLength(1); // not a value of the table
    expect(check(`\`test/signoff/security.test.ts\`: ${real}`)).toEqual([expect.stringContaining("after test/signoff/security.test.ts, write test names in double quotes")]);
    expect(check(`\`test/signoff/nothing-here.test.ts\`: "${real}"`)).toEqual([`${DOC}:3: test/signoff/nothing-here.test.ts does not exist`]);
    expect(check("a test somewhere")).toEqual([`${DOC}:3: the row names no test file`]);
    // and the page itself, with one quoted name changed by a word
    const broken = doc.replace('"governance is read from the default branch', '"governance is read from the head branch');
    expect(broken).not.toBe(doc);
    const before = securityDocProblems(doc).problems;
    expect(securityDocProblems(broken).problems.filter((p) => !before.includes(p))).toEqual([expect.stringMatching(/test\/signoff\/security\.test\.ts has no test named "governance is read from the head branch/)]);
  });
});
