/**
 * The HTTP layer: parses a request, validates it against GitHub's OpenAPI description, consults
 * the fault hook, dispatches to the route handler for the matched operation, validates and sends
 * the response, and logs it.
 */
import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "./errors.js";
import type { Fault, FaultHook } from "./faults.js";
import * as o from "./objects.js";
import type { Renderer } from "./render.js";
import { routes, type RouteContext } from "./routes/index.js";
import type { EmulatorStore } from "./store.js";
import { checkRequest, checkResponse, makeViolation, type EmulatorViolation, type ViolationKind } from "./validate.js";

export interface RequestLogEntry {
  method: string;
  /** path without query and without the `/api/v3` prefix */
  path: string;
  query: string;
  /** matched OpenAPI template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}` */
  template: string | undefined;
  operationId: string | undefined;
  status: number;
  /** true for POST/PUT/PATCH/DELETE */
  write: boolean;
  actor: string;
  at: number; // epoch ms (real time)
  durationMs: number;
}

export interface ServerHost {
  readonly store: EmulatorStore;
  readonly render: Renderer;
  readonly urls: o.Urls;
  faults: FaultHook | undefined;
  /** answer GETs with an ETag, and 304 to a matching If-None-Match (see EmulatorOptions) */
  readonly conditionalRequests?: boolean;
  readonly requestLog: RequestLogEntry[];
  recordViolation(v: EmulatorViolation): void;
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function actorFor(host: ServerHost, authorization: string | undefined): string {
  const token = authorization?.replace(/^(token|bearer)\s+/i, "").trim();
  if (token) {
    const login = host.store.tokens.get(token);
    if (login) return login;
  }
  return host.store.botLogin;
}

/** The installation an installation token was made for (undefined for any other token). */
function installationOf(host: ServerHost, authorization: string | undefined): number | undefined {
  const token = authorization?.replace(/^(token|bearer)\s+/i, "").trim();
  return token ? host.store.tokenInstallations.get(token) : undefined;
}

export function createRequestHandler(host: ServerHost): (req: IncomingMessage, res: ServerResponse) => void {
  const counts = new Map<string, number>();
  return (req, res) => {
    void handle(host, counts, req, res).catch((error: unknown) => {
      // last resort: never leave a request hanging
      const message = error instanceof Error ? error.stack ?? error.message : String(error);
      process.stderr.write(`[emulator] internal error: ${message}\n`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(o.apiError("Emulator internal error")));
    });
  };
}

async function handle(host: ServerHost, counts: Map<string, number>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const method = (req.method ?? "GET").toUpperCase();
  const rawPath = req.url ?? "/";
  const url = new URL(rawPath, `http://${req.headers.host ?? "127.0.0.1"}`);
  const path = url.pathname.replace(/^\/api\/v3(?=\/|$)/, "") || "/";
  const actor = actorFor(host, req.headers.authorization);
  const text = await readBody(req);

  const checked = checkRequest(method, rawPath, req.headers, text);
  const template = checked.operation?.template;
  const operationId = checked.operation?.operationId;
  const send = (status: number, body: unknown, headers: Record<string, string> = {}, validate = true): void => {
    if (validate && template) {
      const problems = checkResponse(method, rawPath, status, body);
      if (problems.length) violation("invalid-response", status, problems);
    }
    const payload = body === undefined ? "" : JSON.stringify(body);
    if (host.conditionalRequests && method === "GET" && status === 200) {
      // GitHub's conditional requests: an ETag on every GET, 304 (not counted against the rate
      // limit) when If-None-Match names the current one.
      const etag = `W/"${createHash("sha1").update(payload).digest("hex")}"`;
      headers = { etag, ...headers };
      const wanted = req.headers["if-none-match"];
      if (typeof wanted === "string" && wanted.split(/\s*,\s*/).some((t) => t === etag || t === etag.slice(2))) status = 304;
    }
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "x-github-request-id": randomUUID(),
      "x-github-media-type": "github.v3; format=json",
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-used": "1",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      "x-ratelimit-resource": "core",
      ...headers,
    });
    res.end(status === 204 || status === 304 ? undefined : payload);
    host.requestLog.push({
      method,
      path,
      query: url.search,
      template,
      operationId,
      status,
      write: WRITE_METHODS.has(method),
      actor,
      at: Date.now(),
      durationMs: performance.now() - started,
    });
  };
  const violation = (kind: ViolationKind, status: number, problems: string[]): void => {
    host.recordViolation(makeViolation(kind, method, rawPath, status, problems));
  };

  if (!checked.operation) {
    violation("unknown-endpoint", 404, checked.problems);
    send(404, o.apiError("Not Found"), {}, false);
    return;
  }
  if (!checked.ok) {
    const badJson = checked.problems.some((p) => p.includes("not valid JSON"));
    const status = badJson ? 400 : 422;
    violation("invalid-request", status, checked.problems);
    send(status, o.apiError(badJson ? "Problems parsing JSON" : "Invalid request.", checked.problems.map((p) => ({ code: "invalid", message: p }))), {}, false);
    return;
  }

  const key = `${method} ${checked.operation.template}`;
  const count = (counts.get(key) ?? 0) + 1;
  counts.set(key, count);
  const fault: Fault | undefined | void = host.faults?.({ method, path, query: url.search, template: checked.operation.template, operationId, count, actor });
  // `applied`: GitHub does the work first; the delay and the status then replace only the answer
  const applied = fault?.applied === true;
  if (!applied && fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (!applied && fault?.status !== undefined) {
    send(fault.status, fault.body ?? o.apiError(`Injected fault ${fault.status}`), fault.headers ?? {});
    return;
  }

  const handler = routes[key];
  if (!handler) {
    violation("unimplemented", 404, [`the emulator does not implement ${key} (${operationId ?? "?"}); add it under test/emulator/routes/`]);
    send(404, o.apiError("Not Found (not implemented by the emulator)"), {}, false);
    return;
  }

  let body: Record<string, unknown> = {};
  if (checked.body !== null && typeof checked.body === "object" && !Array.isArray(checked.body)) body = checked.body as Record<string, unknown>;
  const ctx: RouteContext = {
    store: host.store,
    render: host.render,
    params: checked.params,
    query: url.searchParams,
    body,
    actor,
    url,
    urls: host.urls,
    repo: () => host.store.repo(checked.params.owner ?? "", checked.params.repo ?? ""),
    installationId: installationOf(host, req.headers.authorization),
  };
  try {
    const result = await handler(ctx);
    if (applied && fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (applied && fault?.status !== undefined) {
      send(fault.status, fault.body ?? o.apiError(`Injected fault ${fault.status}`), fault.headers ?? {});
      return;
    }
    send(result.status, result.body, { ...(fault?.headers ?? {}), ...(result.headers ?? {}) });
  } catch (error) {
    if (error instanceof HttpError) {
      send(error.status, o.apiError(error.message, error.errors));
      return;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    violation("handler-error", 500, [message]);
    send(500, o.apiError("Emulator handler error"), {}, false);
  }
}
