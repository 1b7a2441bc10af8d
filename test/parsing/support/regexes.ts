/**
 * Every regular expression in the app's source, found by parsing the TypeScript (not by grepping:
 * a `/` in a comment or a division is not a RegExp, and a RegExp built with `new RegExp(...)` is
 * one), and checked for super-linear backtracking with recheck, a maintained ReDoS checker
 * (automata analysis, with fuzzing where automata do not apply).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { checkSync, type Diagnostics } from "recheck";
import ts from "typescript";

export interface FoundRegex {
  /** `src/core/x.ts:12` */
  where: string;
  /** As written in the source. */
  text: string;
  /** The pattern and flags, when they are known statically. */
  source?: string;
  flags?: string;
}

/** Every RegExp literal, and every `RegExp(...)` / `new RegExp(...)`, in one TypeScript file's text. */
export function regexesIn(file: string, text: string): FoundRegex[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: FoundRegex[] = [];
  const where = (node: ts.Node) => `${file}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
  const constant = (node: ts.Expression | undefined): string | undefined =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText(sf);
      const end = literal.lastIndexOf("/");
      out.push({ where: where(node), text: literal, source: literal.slice(1, end), flags: literal.slice(end + 1) });
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && isRegExpCallee(node.expression)) {
      const [pattern, flags] = node.arguments ?? [];
      const text = node.getText(sf);
      if (pattern && ts.isRegularExpressionLiteral(pattern)) {
        // `new RegExp(/x/, flags)`: the literal is checked on its own; its flags are replaced
        const f = flags === undefined ? undefined : constant(flags);
        const lit = pattern.getText(sf);
        if (f !== undefined) out.push({ where: where(node), text, source: lit.slice(1, lit.lastIndexOf("/")), flags: f });
        else if (flags !== undefined) out.push({ where: where(node), text });
      } else {
        const source = constant(pattern);
        const f = flags === undefined ? "" : constant(flags);
        out.push(source !== undefined && f !== undefined ? { where: where(node), text, source, flags: f } : { where: where(node), text });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function isRegExpCallee(e: ts.Expression): boolean {
  if (ts.isIdentifier(e)) return e.text === "RegExp";
  return ts.isPropertyAccessExpression(e) && e.name.text === "RegExp" && ts.isIdentifier(e.expression) && ["globalThis", "window", "global"].includes(e.expression.text);
}

/** Every `.ts` file under `dir`, as paths relative to `root`. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(relative(root, path).split("\\").join("/"));
    }
  };
  walk(join(root, dir));
  return out;
}

export function regexesUnder(root: string, dir: string): FoundRegex[] {
  return sourceFiles(root, dir).flatMap((file) => regexesIn(file, readFileSync(join(root, file), "utf8")));
}

export interface Verdict {
  found: FoundRegex;
  status: "safe" | "vulnerable" | "unknown" | "dynamic";
  /** For a vulnerable one: its complexity and an attack string recheck found. */
  detail?: string;
}

/** Fixed seed and generous limits: the same verdicts on every run and machine. */
const PARAMS = { randomSeed: 10, timeout: 20_000 } as const;

export function check(found: FoundRegex): Verdict {
  if (found.source === undefined || found.flags === undefined) return { found, status: "dynamic", detail: "built from a value known only at run time: its pattern cannot be checked" };
  const d: Diagnostics = checkSync(found.source, found.flags, PARAMS);
  if (d.status === "vulnerable") return { found, status: "vulnerable", detail: `${d.complexity.type}${d.complexity.type === "polynomial" ? ` (degree ${d.complexity.degree})` : ""}, attack ${d.attack.pattern}` };
  if (d.status === "unknown") return { found, status: "unknown", detail: `${d.error.kind}${"message" in d.error ? `: ${d.error.message}` : ""}` };
  return { found, status: "safe" };
}

/** One line per finding: `src/x.ts:12 /re/ is vulnerable: polynomial (degree 2), attack ' '.repeat(…) + 'x'`. */
export function describe(v: Verdict): string {
  return `${v.found.where} ${v.found.text.slice(0, 120)} is ${v.status}${v.detail ? `: ${v.detail}` : ""}`;
}
