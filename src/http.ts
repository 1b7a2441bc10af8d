import { timingSafeEqual } from "node:crypto";
import { createRequire } from "node:module";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "probot";
import type { Env } from "./clock-control.js";
import { testControlsAllowed } from "./clock-control.js";
import type { RepoRef } from "./github/client.js";
import type { CharterMetrics } from "./engine/metrics.js";
import type { Engine } from "./engine/types.js";
import type { InFlight } from "./in-flight.js";
import type { RepositorySweep } from "./reconcile/runner.js";

/** Charter's version, from package.json (one level above both src/ and dist/). */
export const CHARTER_VERSION: string = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

export interface HttpDeps {
  env: Env;
  log: Logger;
  /** Sweeps one repository now (test/demo endpoint). */
  sweep(repo: RepoRef): Promise<RepositorySweep>;
  /** Running event handlers (test/demo mode). */
  inFlight?: InFlight;
  /** GET /oncall.ics (src/calendar/route.ts): answers its own path, false for any other. */
  calendar?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Queued deliveries (test/demo idle) and the queues' metrics. */
  engine?: Engine;
  /** GET /metrics. */
  metrics?: CharterMetrics;
}

/** Constant-time comparison of a bearer token. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from((header ?? "").replace(/^Bearer\s+/i, ""));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

function json(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(JSON.stringify(body));
  return true;
}

function isLoopback(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

async function readJson(req: IncomingMessage, limit = 16 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error("request body too large");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return text.trim() === "" ? {} : JSON.parse(text);
}

function repoFrom(body: unknown): RepoRef | undefined {
  const b = body as { owner?: unknown; repo?: unknown } | null;
  const ok = (v: unknown): v is string => typeof v === "string" && /^[A-Za-z0-9_.-]{1,100}$/.test(v);
  return b && ok(b.owner) && ok(b.repo) ? { owner: b.owner, repo: b.repo } : undefined;
}

/**
 * Charter's own HTTP routes on Probot's server (registered with `addHandler`, after Probot's
 * webhook route):
 *
 * - `GET /healthz`: 200 `{ status: "ok", version }` for load balancers and orchestrators.
 * - `GET /oncall.ics?repo=…&token=…`: the on-call calendar (src/calendar/route.ts).
 * - `GET /metrics`: Prometheus text format (src/engine/metrics.ts). With CHARTER_METRICS_TOKEN set,
 *   only with `Authorization: Bearer <token>` (401 otherwise).
 * - `POST /charter/test/sweep` with `{ owner, repo }`: runs one reconcile pass over that
 *   repository now and answers with what it did.
 * - `GET /charter/test/idle`: answers 200 `{ idle: true }` once no event handler is running (also
 *   those of a delivery Probot already answered with 202), 503 after 60 s.
 *
 * The /charter/test/ routes exist only when NODE_ENV=test or CHARTER_DEMO=1, and only for loopback
 * callers; anywhere else they are a plain 404.
 *
 * Returns false for every other request, so Probot's 404 handler answers.
 */
export function charterHttpHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const testMode = testControlsAllowed(deps.env);
  return async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
      return json(res, 200, { status: "ok", version: CHARTER_VERSION });
    }
    if (deps.calendar && (await deps.calendar(req, res))) return true;
    if (path === "/metrics" && (req.method === "GET" || req.method === "HEAD") && deps.metrics) {
      const token = deps.env.CHARTER_METRICS_TOKEN?.trim();
      if (token && !bearerMatches(req.headers.authorization, token)) {
        res.writeHead(401, { "content-type": "text/plain; charset=utf-8", "www-authenticate": "Bearer" }).end("401: GET /metrics needs Authorization: Bearer <CHARTER_METRICS_TOKEN>\n");
        return true;
      }
      const scraped = await deps.metrics.scrape().catch((error: unknown) => {
        deps.log.error({ err: error }, "GET /metrics failed (prom-client could not be loaded, or a metric could not be read)");
        return undefined;
      });
      if (!scraped) {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("500: the metrics could not be read; see the server's log\n");
        return true;
      }
      res.writeHead(200, { "content-type": scraped.contentType, "cache-control": "no-store" }).end(scraped.text);
      return true;
    }
    if (!path?.startsWith("/charter/test/") || !testMode || !isLoopback(req.socket.remoteAddress)) return false;
    if (path === "/charter/test/idle" && req.method === "GET") {
      const queued = deps.engine ? await deps.engine.idle(60_000) : true;
      const idle = queued && (deps.inFlight ? await deps.inFlight.idle(60_000) : true);
      return json(res, idle ? 200 : 503, { idle, running: deps.inFlight?.running ?? 0 });
    }
    if (path === "/charter/test/sweep" && req.method === "POST") {
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (error) {
        return json(res, 400, { error: `body must be JSON { "owner": "…", "repo": "…" }: ${(error as Error).message}` });
      }
      const repo = repoFrom(body);
      if (!repo) return json(res, 400, { error: 'body must be JSON { "owner": "…", "repo": "…" }' });
      try {
        return json(res, 200, await deps.sweep(repo));
      } catch (error) {
        deps.log.error({ err: error, repo }, "test sweep failed");
        return json(res, 500, { error: (error as Error).message ?? String(error), status: (error as { status?: number }).status });
      }
    }
    return false;
  };
}
