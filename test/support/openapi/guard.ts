/**
 * The fetch guard: every request to a GitHub API base is checked against GitHub's OpenAPI
 * description before it is sent, and its response after it arrives.
 *
 * It wraps `globalThis.fetch` from the outside, so it also sees requests that nock answers
 * (nock patches `globalThis.fetch` when it is imported; `test/setup/openapi-guard.ts` imports nock
 * first and installs the guard on top). Octokit and Probot read `globalThis.fetch` at call time.
 *
 * A violation throws from fetch AND is recorded: the setup file's `afterEach` fails the test even
 * if app code caught the error. `expectOpenApiViolation` is the escape hatch for tests that make
 * a bad request on purpose.
 *
 * State lives on `globalThis` under a registered symbol, so every copy of this module in a worker
 * (setup file, test file, emulator) shares one list of bases and one list of violations.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { formatProblems, validateRequest, validateResponse } from "./validator.js";

export interface OpenApiViolation {
  kind: "request" | "response";
  method: string;
  url: string;
  status?: number;
  problems: string[];
  message: string;
  /** Where it was seen: the fetch guard (client side) or the emulator (server side). */
  source: "fetch-guard" | "emulator";
}

export class OpenApiViolationError extends Error {
  constructor(readonly violation: OpenApiViolation) {
    super(violation.message);
    this.name = "OpenApiViolationError";
  }
}

type Fetch = typeof globalThis.fetch;
type FetchInput = Parameters<Fetch>[0];

interface GuardState {
  bases: Map<string, number>;
  violations: OpenApiViolation[];
  inner: Fetch | undefined;
  pristine: Fetch | undefined;
  guard: Fetch | undefined;
  enabled: boolean;
}

const KEY = Symbol.for("charter.test.openapiGuard");
const DEFAULT_BASE = "https://api.github.com";

function guardState(): GuardState {
  const g = globalThis as unknown as Record<symbol, GuardState | undefined>;
  let s = g[KEY];
  if (!s) {
    s = { bases: new Map([[DEFAULT_BASE, 1]]), violations: [], inner: undefined, pristine: globalThis.fetch, guard: undefined, enabled: true };
    g[KEY] = s;
  }
  return s;
}
// capture the pristine fetch as early as possible (the setup file imports this module before nock)
guardState();

/**
 * Registers an extra GitHub API base URL, e.g. the emulator's `http://127.0.0.1:PORT`
 * (its `/api/v3` form is covered too). Returns a function that unregisters it.
 */
export function registerGitHubApiBase(base: string): () => void {
  const s = guardState();
  const key = base.replace(/\/+$/, "").replace(/\/api\/v3$/, "");
  s.bases.set(key, (s.bases.get(key) ?? 0) + 1);
  return () => {
    const n = (s.bases.get(key) ?? 1) - 1;
    if (n <= 0) s.bases.delete(key);
    else s.bases.set(key, n);
  };
}

export function githubApiBases(): string[] {
  return [...guardState().bases.keys()];
}

/** Records a violation (used by the guard and by the emulator). */
export function recordOpenApiViolation(v: OpenApiViolation): void {
  guardState().violations.push(v);
}

/** Violations recorded so far and not yet taken. */
export function openApiViolations(): readonly OpenApiViolation[] {
  return guardState().violations;
}

/** Returns and clears the recorded violations. */
export function takeOpenApiViolations(): OpenApiViolation[] {
  const s = guardState();
  return s.violations.splice(0, s.violations.length);
}

export function formatViolations(violations: readonly OpenApiViolation[]): string {
  return violations.map((v) => `[${v.source}] ${v.message}`).join("\n");
}

/**
 * Runs `fn`, which is expected to make at least one request that violates GitHub's OpenAPI
 * description. Errors thrown by `fn` are swallowed when a violation was recorded (the guard's own
 * error, or anything the app wrapped it in). The violations are removed from the record, so the
 * `afterEach` check stays green, and returned for further assertions.
 * @param match when given, at least one violation's message must contain it / match it.
 */
export async function expectOpenApiViolation(fn: () => unknown, match?: string | RegExp): Promise<OpenApiViolation[]> {
  const s = guardState();
  const before = s.violations.length;
  let thrown: unknown;
  try {
    await fn();
  } catch (error) {
    thrown = error;
  }
  const caught = s.violations.splice(before, s.violations.length - before);
  if (caught.length === 0) {
    const suffix = thrown === undefined ? "" : ` (fn threw: ${thrown instanceof Error ? thrown.message : String(thrown)})`;
    throw new Error(`expected an OpenAPI violation, but none was recorded${suffix}`);
  }
  if (match !== undefined) {
    const hit = caught.some((v) => (typeof match === "string" ? v.message.includes(match) : match.test(v.message)));
    if (!hit) throw new Error(`expected an OpenAPI violation matching ${String(match)}, got:\n${formatViolations(caught)}`);
  }
  return caught;
}

function baseOf(url: string): string | undefined {
  for (const base of guardState().bases.keys()) {
    if (url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`)) return base;
  }
  return undefined;
}

async function readRequest(input: FetchInput, init: RequestInit | undefined): Promise<{ url: string; method: string; headers: Headers; body: unknown }> {
  if (input instanceof Request) {
    const body = init?.body !== undefined ? init.body : input.body ? await input.clone().text() : undefined;
    return { url: input.url, method: (init?.method ?? input.method).toUpperCase(), headers: new Headers(init?.headers ?? input.headers), body };
  }
  const url = input instanceof URL ? input.href : String(input);
  let body: unknown = init?.body ?? undefined;
  if (body instanceof URLSearchParams) body = body.toString();
  else if (body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array) && !(body instanceof ArrayBuffer)) {
    body = undefined; // a stream or form: cannot be read without consuming it
  }
  return { url, method: (init?.method ?? "GET").toUpperCase(), headers: new Headers(init?.headers), body };
}

const reentry = new AsyncLocalStorage<boolean>();

function violation(kind: "request" | "response", method: string, url: string, problems: string[], status?: number): OpenApiViolationError {
  const v: OpenApiViolation = {
    kind,
    method,
    url,
    problems,
    message: formatProblems(kind, method, url, problems) + (status === undefined ? "" : `\n  (response status ${status})`),
    source: "fetch-guard",
    ...(status === undefined ? {} : { status }),
  };
  recordOpenApiViolation(v);
  return new OpenApiViolationError(v);
}

async function guardedFetch(input: FetchInput, init?: RequestInit): Promise<Response> {
  const s = guardState();
  const inner = s.inner ?? s.pristine;
  if (!inner) throw new Error("openapi guard: no fetch implementation to delegate to");
  if (reentry.getStore()) {
    // something wrapped the guard and calls it back (e.g. nock re-activated on top of it)
    return (s.pristine ?? inner)(input, init);
  }
  if (!s.enabled) return inner(input, init);
  const url = input instanceof Request ? input.url : input instanceof URL ? input.href : String(input);
  const base = baseOf(url);
  if (!base) return inner(input, init);

  const req = await readRequest(input, init);
  const relative = url.slice(base.length) || "/";
  const checked = validateRequest({ method: req.method, url: relative, headers: req.headers, body: req.body });
  if (!checked.ok) throw violation("request", req.method, relative, checked.problems);

  const response = await reentry.run(true, () => inner(input, init));
  const contentType = response.headers.get("content-type") ?? "";
  let body: string | undefined;
  if (response.status !== 204 && response.status !== 304 && req.method !== "HEAD" && (contentType.includes("json") || contentType === "")) {
    body = await response.clone().text();
  }
  const res = validateResponse({ method: req.method, url: relative, status: response.status, headers: response.headers, body });
  if (!res.ok) throw violation("response", req.method, relative, res.problems, response.status);
  return response;
}

/**
 * Installs the guard as the outermost `globalThis.fetch`. Idempotent; call again after anything
 * replaced `globalThis.fetch` (the setup file does so before each test).
 */
export function installFetchGuard(): void {
  const s = guardState();
  if (!s.guard) s.guard = guardedFetch as Fetch;
  if (globalThis.fetch === s.guard) return;
  s.inner = globalThis.fetch;
  globalThis.fetch = s.guard;
}

/** Turns checking off (true) or on (false); returns the previous value. Prefer expectOpenApiViolation. */
export function setFetchGuardEnabled(enabled: boolean): boolean {
  const s = guardState();
  const previous = s.enabled;
  s.enabled = enabled;
  return previous;
}
