/**
 * Paths whose owner changes: for every OWNERS pattern of either side, a path it owns (an example
 * built from the pattern and checked against it) is looked up on both sides, last match winning
 * as always. A path that had owners and has none loses its owner; one whose owners differ changes
 * hands; one that had none gains owners.
 */
import { pathOwners } from "../authority/lookup.js";
import type { Governance } from "../model/governance.js";
import type { Owner } from "../model/owners.js";
import { matchesPattern } from "../owners/match.js";

export interface PathChange {
  /** The pattern the example path comes from, as written. */
  pattern: string;
  /** The example path looked up (repository-relative). */
  path: string;
  kind: "loses-owner" | "changes-owner" | "gains-owner";
  /** Owners on each side (empty: nobody must sign), with the OWNERS line that decided. */
  before: { owners: Owner[]; line?: number };
  after: { owners: Owner[]; line?: number };
}

/** At most this many patterns are compared (OWNERS of a monorepo can be long). */
export const MAX_PATTERNS = 2_000;

/** How many OWNERS patterns (of both sides together) were left out of the comparison. */
export function patternsNotCompared(base: Governance, head: Governance): number {
  return Math.max(0, new Set([...base.owners, ...head.owners].map((r) => r.pattern)).size - MAX_PATTERNS);
}

/** A path `pattern` owns, e.g. `/infra/` → `infra/file`, `*.sql` → `file.sql`; undefined when none can be built. */
export function examplePath(pattern: string): string | undefined {
  let p = pattern.trim();
  if (p === "" || p.length > 500) return undefined;
  p = p.replace(/^\/+/, "");
  const parts = p.split("/");
  const dirOnly = p.endsWith("/");
  const segs = parts
    .filter((s, i) => !(s === "" && i === parts.length - 1))
    .map((s) => (s === "**" ? "" : s.replace(/\\(.)/g, "$1").replace(/\*+/g, "file").replace(/\?/g, "x")))
    .filter((s) => s !== "");
  let path = segs.join("/");
  if (dirOnly || path === "") path = path === "" ? "file" : `${path}/file`;
  if (matchesPattern(pattern, path)) return path;
  if (matchesPattern(pattern, `${path}/file`)) return `${path}/file`;
  return undefined;
}

const ownerKey = (o: Owner) => (o.kind === "role" ? `role:${o.id}` : o.kind === "user" ? `user:${o.login.toLowerCase()}` : `team:${o.team.toLowerCase()}`);

function sameOwners(a: readonly Owner[], b: readonly Owner[]): boolean {
  const x = new Set(a.map(ownerKey));
  const y = new Set(b.map(ownerKey));
  return x.size === y.size && [...x].every((k) => y.has(k));
}

export function pathChanges(base: Governance, head: Governance): PathChange[] {
  const patterns = [...new Set([...base.owners, ...head.owners].map((r) => r.pattern))].slice(0, MAX_PATTERNS);
  const out: PathChange[] = [];
  const seenPaths = new Set<string>();
  for (const pattern of patterns) {
    const path = examplePath(pattern);
    if (path === undefined || seenPaths.has(path)) continue;
    seenPaths.add(path);
    const b = pathOwners(base, path);
    const h = pathOwners(head, path);
    const before = { owners: b?.owners ?? [], ...(b ? { line: b.rule.line } : {}) };
    const after = { owners: h?.owners ?? [], ...(h ? { line: h.rule.line } : {}) };
    if (sameOwners(before.owners, after.owners)) continue;
    const kind = before.owners.length > 0 && after.owners.length === 0 ? "loses-owner" : before.owners.length === 0 ? "gains-owner" : "changes-owner";
    out.push({ pattern, path, kind, before, after });
  }
  return out;
}
