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

interface TrieNode {
  /** Indexes of anchored rules whose literal leading directories end here. */
  rules: number[];
  children: Map<string, TrieNode>;
}

interface OwnersIndex {
  root: TrieNode;
  /** Rules that can match anywhere (unanchored, or a wildcard in the first segment). */
  general: number[];
}

const indexes = new WeakMap<readonly OwnersRule[], OwnersIndex>();

/**
 * The leading segments of an anchored pattern that hold no wildcard: any path it matches starts
 * with exactly these segments. Undefined for patterns that may match anywhere.
 */
function literalPrefix(pattern: string): string[] | undefined {
  let p = pattern;
  if (p.endsWith("/") && p.length > 1) p = p.slice(0, -1);
  if (!(p.startsWith("/") || p.includes("/"))) return undefined;
  if (p.startsWith("/")) p = p.slice(1);
  const literal: string[] = [];
  for (const segment of p.split("/")) {
    if (segment === "" || /[*?]/.test(segment)) break;
    literal.push(segment);
  }
  return literal.length > 0 ? literal : undefined;
}

function indexFor(rules: readonly OwnersRule[]): OwnersIndex {
  let index = indexes.get(rules);
  if (index) return index;
  index = { root: { rules: [], children: new Map() }, general: [] };
  rules.forEach((rule, i) => {
    const prefix = literalPrefix(rule.pattern);
    if (!prefix) {
      index!.general.push(i);
      return;
    }
    let node = index!.root;
    for (const segment of prefix) {
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = { rules: [], children: new Map() }));
      node = child;
    }
    node.rules.push(i);
  });
  indexes.set(rules, index);
  return index;
}

/**
 * The rule that owns `path`: the last matching rule in file order, or undefined.
 * Only rules that can match are tested: anchored rules are indexed by their literal leading
 * directories, so a large OWNERS file costs a walk down the path plus the few candidates.
 */
export function owningRule(rules: readonly OwnersRule[], path: string): OwnersRule | undefined {
  const clean = path.replace(/^\/+/, "");
  const index = indexFor(rules);
  const candidates = [...index.general];
  let node: TrieNode | undefined = index.root;
  for (const segment of clean.split("/")) {
    node = node.children.get(segment);
    if (!node) break;
    candidates.push(...node.rules);
  }
  candidates.sort((a, b) => b - a);
  for (const i of candidates) {
    const rule = rules[i]!;
    if (matchesPattern(rule.pattern, clean)) return rule;
  }
  return undefined;
}
