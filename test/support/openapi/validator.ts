/**
 * Validates HTTP requests and responses against GitHub's OpenAPI description.
 *
 * Everything is lazy: the description is parsed on the first call, and each operation's
 * validators are compiled the first time that operation is seen, then cached.
 */
import type { AnySchema, ErrorObject, ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { fullFormats } from "ajv-formats/dist/formats.js";
import { matchRoute, methodsForPath, type RouteEntry } from "./router.js";
import { SchemaConverter, type SchemaMode } from "./schema.js";
import { deref, loadSpec, specLoadMs, type OpenApiMediaType, type OpenApiRequestBody, type OpenApiResponse, type OpenApiSchema } from "./spec.js";

export type HeaderBag = Headers | Record<string, string | string[] | number | undefined>;

export interface RequestLike {
  method: string;
  /** Absolute URL or path with query string. A leading `/api/v3` (GHES-style base) is ignored. */
  url: string;
  headers?: HeaderBag;
  /** Raw text (JSON is parsed), an already-parsed value, or undefined for no body. */
  body?: unknown;
}

export interface ResponseLike {
  method: string;
  url: string;
  status: number;
  headers?: HeaderBag;
  body?: unknown;
}

export interface MatchedOperation {
  method: string; // upper case
  template: string;
  operationId: string | undefined;
}

export interface RequestValidation {
  ok: boolean;
  problems: string[];
  operation: MatchedOperation | undefined;
  /** Decoded path parameters, e.g. `{ owner: "o", repo: "r", issue_number: "3" }`. */
  params: Record<string, string>;
  /** Parsed JSON body (undefined when there was none). */
  body: unknown;
}

export interface ResponseValidation {
  ok: boolean;
  problems: string[];
  operation: MatchedOperation | undefined;
}

interface CompiledOperation {
  params: ValidateFunction;
  queryNames: Set<string>;
  body: ValidateFunction | undefined;
  bodyRequired: boolean;
  responses: Map<string, ValidateFunction | null>;
}

const MAX_PROBLEMS = 12;

function newAjv(mode: SchemaMode, coerce = false): Ajv2019 {
  const ajv = new Ajv2019({
    strict: false,
    allErrors: true,
    coerceTypes: coerce ? "array" : false,
    logger: false,
    validateFormats: true,
    verbose: true, // errors carry the offending data
    // compile each referenced component once as its own function instead of inlining it at
    // every use: GitHub's schemas nest the same objects (users, repositories) many times over,
    // and this cuts compile time several-fold
    inlineRefs: false,
    code: { optimize: false },
  });
  // Formats GitHub uses that carry no checkable meaning here.
  for (const name of ["int32", "int64", "double", "float", "binary", "byte", "repo.nwo", "uri-template", "password", "ssh-key", "hostname", "ipv4", "ipv6", "uuid", "regex"]) {
    ajv.addFormat(name, true);
  }
  // date-time is always checked; the looser formats only in requests (what the app sends) and in
  // webhook payloads (what a test invents).
  ajv.addFormat("date-time", fullFormats["date-time"]);
  if (mode === "request" || mode === "webhook") {
    ajv.addFormat("date", fullFormats.date);
    ajv.addFormat("uri", fullFormats.uri);
    ajv.addFormat("email", fullFormats.email);
  } else {
    for (const name of ["date", "uri", "email"]) ajv.addFormat(name, true);
  }
  return ajv;
}

class Validators {
  readonly requestAjv = newAjv("request");
  readonly responseAjv = newAjv("response");
  readonly paramAjv = newAjv("request", true);
  readonly webhookAjv = newAjv("webhook");
  readonly requestConverter = new SchemaConverter({ addSchema: (s, k) => this.requestAjv.addSchema(s, k) });
  readonly responseConverter = new SchemaConverter({ addSchema: (s, k) => this.responseAjv.addSchema(s, k) });
  readonly paramConverter = new SchemaConverter({ addSchema: (s, k) => this.paramAjv.addSchema(s, k) });
  readonly webhookConverter = new SchemaConverter({ addSchema: (s, k) => this.webhookAjv.addSchema(s, k) });
  readonly operations = new Map<RouteEntry, CompiledOperation>();
  compileMs = 0;
  compiledSchemas = 0;
}

let validators: Validators | undefined;
function state(): Validators {
  return (validators ??= new Validators());
}

function timed<T>(fn: () => T): T {
  const s = state();
  const started = performance.now();
  try {
    return fn();
  } finally {
    s.compileMs += performance.now() - started;
    s.compiledSchemas += 1;
  }
}

function pickJson(content: Record<string, OpenApiMediaType> | undefined): OpenApiMediaType | undefined {
  if (!content) return undefined;
  if (content["application/json"]) return content["application/json"];
  const key = Object.keys(content).find((k) => k.includes("json"));
  return key ? content[key] : undefined;
}

function compileOperation(route: RouteEntry): CompiledOperation {
  const s = state();
  const doc = loadSpec();
  const pathProps: Record<string, AnySchema> = {};
  const queryProps: Record<string, AnySchema> = {};
  const pathRequired: string[] = [];
  const queryRequired: string[] = [];
  for (const p of route.parameters) {
    const schema = s.paramConverter.convert(p.schema ?? {}, "request");
    if (p.in === "path") {
      pathProps[p.name] = schema;
      pathRequired.push(p.name);
    } else if (p.in === "query") {
      queryProps[p.name] = schema;
      if (p.required) queryRequired.push(p.name);
    }
  }
  const params = s.paramAjv.compile({
      type: "object",
      properties: {
        path: { type: "object", properties: pathProps, required: pathRequired },
        query: { type: "object", properties: queryProps, required: queryRequired },
      },
    });

  let body: ValidateFunction | undefined;
  let bodyRequired = false;
  if (route.operation.requestBody) {
    const rb = deref<OpenApiRequestBody>(doc, route.operation.requestBody);
    bodyRequired = rb.required === true;
    const media = rb.content?.["application/json"];
    if (media?.schema) {
      const converted = s.requestConverter.convert(media.schema, "request");
      body = s.requestAjv.compile(converted);
    }
  }
  return { params, queryNames: new Set(Object.keys(queryProps)), body, bodyRequired, responses: new Map() };
}

function compiled(route: RouteEntry): CompiledOperation {
  const s = state();
  let op = s.operations.get(route);
  if (!op) {
    op = timed(() => compileOperation(route));
    s.operations.set(route, op);
  }
  return op;
}

function responseValidator(route: RouteEntry, op: CompiledOperation, statusKey: string): ValidateFunction | null {
  if (op.responses.has(statusKey)) return op.responses.get(statusKey) ?? null;
  return timed(() => compileResponse(route, op, statusKey));
}

function compileResponse(route: RouteEntry, op: CompiledOperation, statusKey: string): ValidateFunction | null {
  const s = state();
  const raw = route.operation.responses?.[statusKey];
  let fn: ValidateFunction | null = null;
  if (raw) {
    const response = deref<OpenApiResponse>(loadSpec(), raw);
    const schema: OpenApiSchema | undefined = pickJson(response.content)?.schema;
    if (schema) {
      const converted = s.responseConverter.convert(schema, "response");
      fn = s.responseAjv.compile(converted);
    }
  }
  op.responses.set(statusKey, fn);
  return fn;
}

function splitUrl(url: string): { pathname: string; search: URLSearchParams } {
  const parsed = new URL(url, "http://relative.invalid");
  let pathname = parsed.pathname;
  if (pathname === "/api/v3" || pathname.startsWith("/api/v3/")) pathname = pathname.slice("/api/v3".length) || "/";
  if (pathname.length > 1 && pathname.endsWith("/")) pathname = pathname.slice(0, -1);
  return { pathname, search: parsed.searchParams };
}

function header(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | number | undefined>;
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : bag[key];
  return Array.isArray(value) ? value.join(", ") : value === undefined ? undefined : String(value);
}

type ParsedBody = { present: false } | { present: true; json: true; value: unknown } | { present: true; json: false; text: string };

function parseBody(body: unknown, contentType: string | undefined): ParsedBody {
  if (body === undefined || body === null) return { present: false };
  let text: string;
  if (typeof body === "string") text = body;
  else if (body instanceof Uint8Array) text = Buffer.from(body).toString("utf8");
  else if (body instanceof ArrayBuffer) text = Buffer.from(body).toString("utf8");
  else return { present: true, json: true, value: body };
  if (text.length === 0) return { present: false };
  const looksJson = contentType === undefined || contentType.includes("json") || /^\s*[[{"]/.test(text);
  if (!looksJson) return { present: true, json: false, text };
  try {
    return { present: true, json: true, value: JSON.parse(text) as unknown };
  } catch {
    return { present: true, json: false, text };
  }
}

function formatErrors(prefix: string, errors: ErrorObject[] | null | undefined): string[] {
  const out = new Set<string>();
  for (const e of errors ?? []) {
    const where = `${prefix}${e.instancePath || ""}` || "(root)";
    const params = e.params as Record<string, unknown>;
    let text: string;
    switch (e.keyword) {
      case "unevaluatedProperties":
      case "additionalProperties": {
        const field = params.unevaluatedProperty ?? params.additionalProperty;
        text = `${where}: unknown field "${String(field)}" (not in the operation's schema)`;
        break;
      }
      case "enum":
        text = `${where}: ${JSON.stringify(e.data)} is not one of ${JSON.stringify(params.allowedValues)}`;
        break;
      case "required":
        text = `${where}: missing required field "${String(params.missingProperty)}"`;
        break;
      case "type":
        text = `${where}: ${JSON.stringify(e.data)?.slice(0, 60)} must be ${String(params.type)}`;
        break;
      case "if":
      case "anyOf":
      case "oneOf":
        // summarised by the branch errors, which are more specific
        text = `${where}: ${e.message ?? e.keyword}`;
        break;
      default:
        text = `${where}: ${e.message ?? e.keyword}`;
    }
    out.add(text);
  }
  // most telling first: invented fields and wrong values, then missing fields, then combinator summaries
  const rank = (t: string): number => (t.includes("unknown field") ? 0 : t.includes("is not one of") || t.includes(" must be ") ? 1 : t.includes("missing required") ? 3 : t.includes("must match") ? 4 : 2);
  const list = [...out].sort((a, b) => rank(a) - rank(b));
  return list.length > MAX_PROBLEMS ? [...list.slice(0, MAX_PROBLEMS), `… and ${list.length - MAX_PROBLEMS} more`] : list;
}

function describe(route: RouteEntry): MatchedOperation {
  return { method: route.method.toUpperCase(), template: route.template, operationId: route.operation.operationId };
}

/** Validates a request against the operation it targets. */
export function validateRequest(req: RequestLike): RequestValidation {
  const method = req.method.toUpperCase();
  const { pathname, search } = splitUrl(req.url);
  const match = matchRoute(method, pathname);
  const parsed = parseBody(req.body, header(req.headers, "content-type"));
  const bodyValue = parsed.present && parsed.json ? parsed.value : undefined;
  if (!match) {
    const others = methodsForPath(pathname);
    const why = others.length
      ? `unknown endpoint: ${method} ${pathname} (the path exists only for ${others.join(", ")})`
      : `unknown endpoint: ${method} ${pathname} is not in GitHub's REST API description`;
    return { ok: false, problems: [why], operation: undefined, params: {}, body: bodyValue };
  }
  const { route, params } = match;
  const op = compiled(route);
  const problems: string[] = [];

  const query: Record<string, string | string[]> = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key);
    const name = key.endsWith("[]") ? key.slice(0, -2) : key;
    if (!op.queryNames.has(name)) {
      problems.push(`query: unknown parameter "${name}"`);
      continue;
    }
    query[name] = values.length === 1 && !key.endsWith("[]") ? (values[0] ?? "") : values;
  }
  const paramData = { path: { ...params }, query };
  if (!op.params(paramData)) problems.push(...formatErrors("", op.params.errors));

  if (op.body) {
    if (!parsed.present) {
      if (op.bodyRequired) problems.push("body: missing (this operation requires a JSON request body)");
    } else if (!parsed.json) {
      problems.push("body: not valid JSON");
    } else if (!op.body(parsed.value)) {
      problems.push(...formatErrors("body", op.body.errors));
    }
  } else if (parsed.present && !route.operation.requestBody && method !== "GET" && method !== "HEAD") {
    const empty = parsed.json && parsed.value !== null && typeof parsed.value === "object" && Object.keys(parsed.value).length === 0;
    if (!empty) problems.push(`body: this operation takes no request body, got ${parsed.json ? JSON.stringify(parsed.value).slice(0, 80) : "text"}`);
  }
  return { ok: problems.length === 0, problems, operation: describe(route), params, body: bodyValue };
}

/** Validates a response: documented status, and body against the documented schema. */
export function validateResponse(res: ResponseLike): ResponseValidation {
  const method = res.method.toUpperCase();
  const { pathname } = splitUrl(res.url);
  const match = matchRoute(method, pathname);
  if (!match) {
    return { ok: false, problems: [`unknown endpoint: ${method} ${pathname} is not in GitHub's REST API description`], operation: undefined };
  }
  const { route } = match;
  const op = compiled(route);
  const problems: string[] = [];
  const statusKey = String(res.status);
  const documented = route.operation.responses ?? {};
  const isError = res.status >= 400;
  const known = statusKey in documented || "default" in documented;
  if (!known && !isError && !(res.status === 304 && (method === "GET" || method === "HEAD"))) {
    problems.push(`status ${res.status} is not documented for ${method} ${route.template} (documented: ${Object.keys(documented).join(", ")})`);
  }
  if (!isError && known && res.status !== 304 && method !== "HEAD") {
    const parsed = parseBody(res.body, header(res.headers, "content-type"));
    const key = statusKey in documented ? statusKey : "default";
    const fn = responseValidator(route, op, key);
    if (fn) {
      if (!parsed.present) problems.push(`response body: missing (status ${res.status} documents a JSON body)`);
      else if (!parsed.json) problems.push("response body: not valid JSON");
      else if (!fn(parsed.value)) problems.push(...formatErrors("response", fn.errors));
    }
  }
  return { ok: problems.length === 0, problems, operation: describe(route) };
}

const webhookValidators = new Map<string, ValidateFunction | null>();

/** The key of an event's schema in `x-webhooks`: `pull_request_review` + `submitted` → `pull-request-review-submitted`. */
export function webhookSchemaKey(event: string, action: string | undefined): string {
  return `${event}-${action ?? ""}`.replace(/_/g, "-").replace(/-$/, "");
}

/**
 * Validates a webhook payload against GitHub's published schema for `event`.`action`
 * (`x-webhooks` in GitHub's OpenAPI description, the source GitHub's docs and Probot's payload
 * types are generated from). Strict like a request body: required fields, types, enums, formats,
 * and no field the schema does not list (a test's payload that carries one is invented).
 * Returns the problems, each `payload<JSON pointer>: <schema message>`; none when it validates.
 */
export function validateWebhook(event: string, action: string | undefined, payload: unknown): string[] {
  const key = webhookSchemaKey(event, action);
  let fn = webhookValidators.get(key);
  if (fn === undefined) {
    const item = loadSpec()["x-webhooks"]?.[key] as { post?: { requestBody?: OpenApiRequestBody } } | undefined;
    const schema = item?.post?.requestBody?.content?.["application/json"]?.schema;
    fn = schema ? timed(() => state().webhookAjv.compile(state().webhookConverter.convert(schema, "webhook"))) : null;
    webhookValidators.set(key, fn);
  }
  if (!fn) return [`no webhook schema for ${event}${action ? `.${action}` : ""} in GitHub's description`];
  return fn(payload) ? [] : formatErrors("payload", fn.errors);
}

export interface ValidatorStats {
  specLoadMs: number;
  compiledOperations: number;
  compiledSchemas: number;
  compileMs: number;
}

export function validatorStats(): ValidatorStats {
  const s = state();
  return { specLoadMs: specLoadMs(), compiledOperations: s.operations.size, compiledSchemas: s.compiledSchemas, compileMs: s.compileMs };
}

/** Formats problems as one readable block, for error messages. */
export function formatProblems(kind: "request" | "response", method: string, url: string, problems: string[]): string {
  const { pathname } = splitUrl(url);
  return [`OpenAPI ${kind} violation: ${method.toUpperCase()} ${pathname}`, ...problems.map((p) => `  - ${p}`)].join("\n");
}
