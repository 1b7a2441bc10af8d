import type { OwnersRule } from "../model/owners.js";

const cache = new Map<string, RegExp>();

function escapeRegex(s: string): string {
  return s.replace(/[.+^${}()|\\]/g, "\\$&");
}

/**
 * Compile a CODEOWNERS pattern to a regular expression over repository-relative paths
 * (no leading slash), following GitHub's CODEOWNERS rules:
 * - a leading `/`, or a `/` inside the pattern, anchors it at the repository root;
 *   otherwise it matches at any depth (`*.js`, `apps/`);
 * - a trailing `/` matches everything inside that directory;
 * - `*` and `?` never cross `/`; `**` does (`**\/logs`, `docs/**`, `a/**\/b`);
 * - a pattern whose last segment is a plain name also matches everything below it;
 *   one whose last segment has a wildcard matches only at that level (`docs/*`).
 */
export function compilePattern(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let p = pattern;
  const dirOnly = p.endsWith("/") && p.length > 1;
  if (dirOnly) p = p.slice(0, -1);
  const anchored = p.startsWith("/") || p.includes("/");
  if (p.startsWith("/")) p = p.slice(1);

  let body = "";
  let i = 0;
  while (i < p.length) {
    if (p.startsWith("**/", i)) {
      body += "(?:.*/)?";
      i += 3;
    } else if (p.startsWith("/**", i) && i + 3 === p.length) {
      body += "/.*";
      i += 3;
    } else if (p.startsWith("**", i)) {
      body += ".*";
      i += 2;
    } else if (p[i] === "*") {
      body += "[^/]*";
      i++;
    } else if (p[i] === "?") {
      body += "[^/]";
      i++;
    } else {
      body += escapeRegex(p[i]!);
      i++;
    }
  }
  const lastSegment = p.split("/").pop() ?? "";
  const literalLast = !/[*?]/.test(lastSegment);
  let suffix: string;
  if (dirOnly) suffix = "/.*";
  else if (literalLast) suffix = "(?:/.*)?";
  else suffix = "";
  const prefix = anchored ? "^" : "^(?:.*/)?";
  const re = new RegExp(`${prefix}${body}${suffix}$`);
  cache.set(pattern, re);
  return re;
}

export function matchesPattern(pattern: string, path: string): boolean {
  return compilePattern(pattern).test(path.replace(/^\/+/, ""));
}

/** The rule that owns `path`: the last matching rule in file order, or undefined. */
export function owningRule(rules: readonly OwnersRule[], path: string): OwnersRule | undefined {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i]!;
    if (matchesPattern(rule.pattern, path)) return rule;
  }
  return undefined;
}
