import type { Urls } from "../objects.js";
import type { Renderer } from "../render.js";
import type { EmulatorStore, RepoState } from "../store.js";

export interface RouteContext {
  store: EmulatorStore;
  render: Renderer;
  /** decoded path parameters of the matched OpenAPI template */
  params: Record<string, string>;
  query: URLSearchParams;
  /** parsed JSON body ({} when none) */
  body: Record<string, unknown>;
  /** login acting: the app's bot for installation tokens, or the user a test token belongs to */
  actor: string;
  /** absolute URL of the request as the client sent it (for Link headers) */
  url: URL;
  /** the emulator's URL bases, for URLs inside objects */
  urls: Urls;
  repo(): RepoState;
  /** The installation of the request's token, when it is an installation token the emulator made. */
  installationId?: number | undefined;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RouteContext) => RouteResult | Promise<RouteResult>;

/** Handlers keyed by `METHOD /openapi/template`, e.g. `GET /repos/{owner}/{repo}/issues`. */
export type RouteTable = Record<string, Handler>;

export function str(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  return typeof v === "string" ? v : undefined;
}

export function strings(body: Record<string, unknown>, key: string): string[] | undefined {
  const v = body[key];
  return Array.isArray(v) ? v.map((x) => (typeof x === "string" ? x : String((x as { name?: unknown }).name ?? x))) : undefined;
}

export function intParam(ctx: RouteContext, name: string): number {
  return Number.parseInt(ctx.params[name] ?? "", 10);
}

/**
 * Slices `items` by `per_page` (default 30, max 100) and `page` (default 1), with a Link header
 * (`first`/`prev`/`next`/`last`) like GitHub's.
 */
export function paginate<T>(ctx: RouteContext, items: T[], render: (item: T) => unknown): RouteResult {
  const perPage = Math.min(100, Math.max(1, Number.parseInt(ctx.query.get("per_page") ?? "30", 10) || 30));
  const page = Math.max(1, Number.parseInt(ctx.query.get("page") ?? "1", 10) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  const link = (p: number, rel: string): string => {
    const u = new URL(ctx.url.href);
    u.searchParams.set("per_page", String(perPage));
    u.searchParams.set("page", String(p));
    return `<${u.href}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  if (links.length) headers.link = links.join(", ");
  return { status: 200, body: slice.map(render), headers };
}
