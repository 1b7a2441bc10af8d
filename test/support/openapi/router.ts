/**
 * Matches a concrete request path (e.g. `/repos/o/r/issues/3`) to an OpenAPI path template
 * (`/repos/{owner}/{repo}/issues/{issue_number}`).
 *
 * Rules, mirroring how GitHub routes:
 * - a literal segment beats a parameter at the same position (`/issues/comments` is not issue "comments");
 * - a parameter matches one segment, except parameters flagged `x-multi-segment` in the description
 *   (branch names, refs, content paths), which may span several (`contents/governance/roles.yml`);
 * - each captured segment is percent-decoded (Octokit sends `heads%2Fmain`).
 */
import { deref, loadSpec, type OpenApiDocument, type OpenApiOperation, type OpenApiParameter } from "./spec.js";

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export interface RouteEntry {
  method: string; // lower case
  template: string;
  operation: OpenApiOperation;
  parameters: OpenApiParameter[];
  regex: RegExp;
  paramNames: string[];
  /** Higher is more specific: literal segments count most, multi-segment params count least. */
  score: number;
}

export interface RouteMatch {
  route: RouteEntry;
  params: Record<string, string>;
}

interface RouteIndex {
  /** method → first path segment → entries (sorted by score desc). */
  byMethod: Map<string, Map<string, RouteEntry[]>>;
  /** every template (any method), to tell "wrong method" from "unknown path". */
  all: RouteEntry[];
}

let index: RouteIndex | undefined;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function collectParameters(doc: OpenApiDocument, pathItem: Record<string, unknown>, op: OpenApiOperation): OpenApiParameter[] {
  const byKey = new Map<string, OpenApiParameter>();
  const shared = (pathItem.parameters ?? []) as Array<OpenApiParameter | { $ref: string }>;
  for (const p of [...shared, ...(op.parameters ?? [])]) {
    const param = deref<OpenApiParameter>(doc, p);
    byKey.set(`${param.in}:${param.name}`, param);
  }
  return [...byKey.values()];
}

function compile(method: string, template: string, operation: OpenApiOperation, parameters: OpenApiParameter[]): RouteEntry {
  const multi = new Set(parameters.filter((p) => p.in === "path" && p["x-multi-segment"]).map((p) => p.name));
  const paramNames: string[] = [];
  let score = 0;
  const segments = template.split("/").slice(1);
  const parts = segments.map((segment, i) => {
    const weight = 2 ** Math.max(0, 12 - i); // earlier literals matter more
    if (!segment.includes("{")) {
      score += 4 * weight;
      return escapeRegex(segment);
    }
    // a segment may hold a param plus literal text, e.g. `{name}.json` (rare in GitHub's API)
    return segment.replace(/\{([^}]+)\}|([^{]+)/g, (_m, name: string | undefined, literal: string | undefined) => {
      if (literal !== undefined) return escapeRegex(literal);
      const paramName = name ?? "";
      paramNames.push(paramName);
      if (multi.has(paramName)) {
        score += 1 * weight;
        return "(.+)";
      }
      score += 2 * weight;
      return "([^/]+)";
    });
  });
  return {
    method,
    template,
    operation,
    parameters,
    regex: new RegExp(`^/${parts.join("/")}$`),
    paramNames,
    score,
  };
}

function firstSegment(path: string): string {
  const end = path.indexOf("/", 1);
  return end === -1 ? path.slice(1) : path.slice(1, end);
}

function buildIndex(): RouteIndex {
  const doc = loadSpec();
  const byMethod = new Map<string, Map<string, RouteEntry[]>>();
  const all: RouteEntry[] = [];
  for (const [template, pathItem] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method] as OpenApiOperation | undefined;
      if (!operation) continue;
      const entry = compile(method, template, operation, collectParameters(doc, pathItem, operation));
      all.push(entry);
      let buckets = byMethod.get(method);
      if (!buckets) byMethod.set(method, (buckets = new Map()));
      // templates never start with a parameter in GitHub's API; bucket by the first literal
      const key = firstSegment(template);
      const list = buckets.get(key) ?? [];
      list.push(entry);
      buckets.set(key, list);
    }
  }
  for (const buckets of byMethod.values()) for (const list of buckets.values()) list.sort((a, b) => b.score - a.score);
  return { byMethod, all };
}

function routeIndex(): RouteIndex {
  return (index ??= buildIndex());
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Finds the operation for `method` + `pathname` (no query string, no `/api/v3` prefix). */
export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  const buckets = routeIndex().byMethod.get(method.toLowerCase());
  const candidates = buckets?.get(firstSegment(pathname));
  if (!candidates) return undefined;
  for (const route of candidates) {
    const m = route.regex.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.paramNames.forEach((name, i) => {
      params[name] = decode(m[i + 1] ?? "");
    });
    return { route, params };
  }
  return undefined;
}

/** Methods for which `pathname` is a documented path (used to explain a wrong-method request). */
export function methodsForPath(pathname: string): string[] {
  return routeIndex()
    .all.filter((r) => r.regex.test(pathname))
    .map((r) => r.method.toUpperCase());
}
