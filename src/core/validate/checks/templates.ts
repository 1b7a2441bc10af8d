import type { Governance } from "../../model/governance.js";
import type { Problem } from "../problem.js";
import { didYouMean } from "../suggest.js";

/** The placeholders Charter fills in incident messages. */
export const TEMPLATE_PLACEHOLDERS = [
  "severity", "time", "impact", "status", "oncall", "secondary", "backup", "next_update", "findings", "next_steps",
  "duration", "root_cause", "resolution", "follow_up", "title", "issue", "commander", "service", "url",
] as const;

const ALLOWED: ReadonlySet<string> = new Set(TEMPLATE_PLACEHOLDERS);

export interface TemplateIssue {
  /** 1-based line and column within the template text. */
  line: number;
  column: number;
  message: string;
  hint: string;
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/** Placeholders in one template: `{{name}}` with a known name, braces balanced. Pure, text only. */
export function templateIssues(text: string): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{{", i);
    const close = text.indexOf("}}", i);
    if (open === -1 && close === -1) break;
    if (open === -1 || (close !== -1 && close < open)) {
      issues.push({ ...position(text, close), message: "`}}` without an opening `{{`", hint: "write placeholders as {{name}}, e.g. {{severity}}" });
      i = close + 2;
      continue;
    }
    const end = text.indexOf("}}", open + 2);
    const nextOpen = text.indexOf("{{", open + 2);
    const lineEnd = text.indexOf("\n", open);
    if (end === -1 || (nextOpen !== -1 && nextOpen < end) || (lineEnd !== -1 && lineEnd < end)) {
      issues.push({ ...position(text, open), message: "`{{` is not closed with `}}` on the same line", hint: "write placeholders as {{name}}, e.g. {{severity}}" });
      i = open + 2;
      continue;
    }
    const inner = text.slice(open + 2, end);
    const name = inner.trim();
    if (inner !== name && ALLOWED.has(name)) {
      issues.push({ ...position(text, open), message: `\`{{${inner}}}\` has spaces inside the braces`, hint: `write {{${name}}}` });
    } else if (!ALLOWED.has(name)) {
      const suggestion = didYouMean(name, TEMPLATE_PLACEHOLDERS, { unique: true });
      issues.push({
        ...position(text, open),
        message: `unknown placeholder \`{{${inner}}}\``,
        hint: `${suggestion ? suggestion + " " : ""}placeholders are: ${TEMPLATE_PLACEHOLDERS.join(", ")}`,
      });
    }
    i = end + 2;
  }
  return issues;
}

/** Incident message templates use only the placeholders Charter fills, with balanced braces. */
export function templateProblems(g: Governance): Problem[] {
  const templates = g.incidents?.templates;
  if (!templates) return [];
  const problems: Problem[] = [];
  for (const [name, text] of Object.entries(templates)) {
    for (const issue of templateIssues(text)) {
      problems.push({
        file: "incidents.yml",
        path: ["templates", name],
        message: `template \`${name}\`, line ${issue.line} column ${issue.column} of the message: ${issue.message}`,
        hint: issue.hint,
      });
    }
  }
  return problems;
}
