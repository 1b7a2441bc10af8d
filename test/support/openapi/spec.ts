/**
 * Loads GitHub's official OpenAPI description (from `@octokit/openapi`) once per process, lazily.
 *
 * We read the *non-dereferenced* file (13 MB, ~0.2 s to parse) rather than the dereferenced one
 * (73 MB, ~1 s): `$ref`s are resolved on demand per operation by `schema.ts`, which is both faster
 * and keeps recursive schemas finite.
 *
 * On first use the description is also written, without its prose (descriptions, summaries,
 * examples), to `node_modules/.cache/charter-openapi/`; later processes parse that 3 MB copy
 * instead of the 13 MB original. The cache is keyed by package version and file size and is
 * rebuilt whenever either changes.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export type JsonObject = { [key: string]: unknown };

export interface OpenApiSchema {
  [key: string]: unknown;
}

export interface OpenApiParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: OpenApiSchema;
  "x-multi-segment"?: boolean;
}

export interface OpenApiMediaType {
  schema?: OpenApiSchema;
}

export interface OpenApiRequestBody {
  required?: boolean;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiResponse {
  description?: string;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiOperation {
  operationId?: string;
  parameters?: Array<OpenApiParameter | { $ref: string }>;
  requestBody?: OpenApiRequestBody | { $ref: string };
  responses?: Record<string, OpenApiResponse | { $ref: string }>;
}

export interface OpenApiDocument {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, OpenApiSchema>;
    parameters: Record<string, OpenApiParameter>;
    responses: Record<string, OpenApiResponse>;
    requestBodies?: Record<string, OpenApiRequestBody>;
  };
  "x-webhooks"?: Record<string, Record<string, unknown>>;
}

let cached: OpenApiDocument | undefined;
let loadMs = 0;

/** Absolute path of the api.github.com description inside `@octokit/openapi`. */
export function specPath(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve("@octokit/openapi/package.json");
  return pkg.replace(/package\.json$/, "generated/api.github.com.json");
}

/** Keys whose string values are prose only; dropped from the cached copy (never inside `properties`). */
const PROSE = new Set(["description", "summary", "title"]);
const NOISE = new Set(["example", "examples", "externalDocs", "x-github", "x-github-breaking-changes"]);

function stripProse(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripProse);
  if (value === null || typeof value !== "object") return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value as JsonObject)) {
    if (NOISE.has(key) || (PROSE.has(key) && typeof v === "string")) continue;
    if (key === "properties" && v !== null && typeof v === "object") {
      // property names are data, not keywords: keep every one
      out[key] = Object.fromEntries(Object.entries(v as JsonObject).map(([name, sub]) => [name, stripProse(sub)]));
    } else {
      out[key] = stripProse(v);
    }
  }
  return out;
}

function cachePath(source: string): string | undefined {
  try {
    const pkgDir = dirname(dirname(source)); // …/node_modules/@octokit/openapi
    const version = (JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { version: string }).version;
    const nodeModules = dirname(dirname(pkgDir));
    return join(nodeModules, ".cache", "charter-openapi", `api.github.com-${version}-${statSync(source).size}.json`);
  } catch {
    return undefined;
  }
}

export function loadSpec(): OpenApiDocument {
  if (cached) return cached;
  const started = performance.now();
  const source = specPath();
  const cache = cachePath(source);
  if (cache) {
    try {
      cached = JSON.parse(readFileSync(cache, "utf8")) as OpenApiDocument;
    } catch {
      cached = undefined;
    }
  }
  if (!cached) {
    cached = stripProse(JSON.parse(readFileSync(source, "utf8"))) as OpenApiDocument;
    if (cache) {
      try {
        mkdirSync(dirname(cache), { recursive: true });
        const tmp = `${cache}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(cached));
        renameSync(tmp, cache); // atomic: parallel workers never see a half-written file
      } catch {
        // a read-only tree just means no cache
      }
    }
  }
  loadMs = performance.now() - started;
  return cached;
}

export function specLoadMs(): number {
  return loadMs;
}

/** Resolves a local JSON pointer such as `#/components/parameters/owner`. */
export function resolvePointer(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith("#/")) throw new Error(`Only local $refs are supported, got ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object") throw new Error(`Dangling $ref ${ref}`);
    node = (node as JsonObject)[key];
  }
  if (node === undefined) throw new Error(`Dangling $ref ${ref}`);
  return node;
}

/** Follows `$ref` chains on a parameter/response/requestBody object. */
export function deref<T>(doc: OpenApiDocument, value: T | { $ref: string }): T {
  let current: unknown = value;
  for (let i = 0; i < 10 && current && typeof current === "object" && "$ref" in current; i++) {
    current = resolvePointer(doc, (current as { $ref: string }).$ref);
  }
  return current as T;
}
