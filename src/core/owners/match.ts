import type { OwnersRule } from "../model/owners.js";
import { compilePattern, matchesSegments, pathSegments, type CompiledPattern } from "./pattern.js";

/** Compiled patterns by text. Patterns come from the governance files, so there are few; the cap only bounds memory. */
const cache = new Map<string, CompiledPattern>();
const CACHE_MAX = 10_000;

function compiled(pattern: string): CompiledPattern {
  let c = cache.get(pattern);
  if (!c) {
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(pattern, (c = compilePattern(pattern)));
  }
  return c;
}

/**
 * Whether a CODEOWNERS pattern (as written in OWNERS, or in `paths` of services.yml and
 * authority.yml) matches a repository path. See ./pattern.ts for the rules (GitHub's CODEOWNERS).
 */
export function matchesPattern(pattern: string, path: string): boolean {
  return matchesSegments(compiled(pattern), pathSegments(path));
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

function indexFor(rules: readonly OwnersRule[]): OwnersIndex {
  let index = indexes.get(rules);
  if (index) return index;
  index = { root: { rules: [], children: new Map() }, general: [] };
  rules.forEach((rule, i) => {
    const prefix = compiled(rule.pattern).literalPrefix;
    if (prefix.length === 0) {
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
 * directories (any path they match starts with exactly those), so a large OWNERS file costs a
 * walk down the path plus the few candidates.
 */
export function owningRule(rules: readonly OwnersRule[], path: string): OwnersRule | undefined {
  const segments = pathSegments(path);
  const index = indexFor(rules);
  const candidates = [...index.general];
  let node: TrieNode | undefined = index.root;
  for (const segment of segments) {
    node = node.children.get(segment);
    if (!node) break;
    candidates.push(...node.rules);
  }
  candidates.sort((a, b) => b - a);
  for (const i of candidates) {
    const rule = rules[i]!;
    if (matchesSegments(compiled(rule.pattern), segments)) return rule;
  }
  return undefined;
}
