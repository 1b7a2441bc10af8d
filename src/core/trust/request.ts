/**
 * The request a Charter pull request carries (resume, rollback, advance, activate), read back when
 * it is evaluated, merged or closed. It lives in the pull request's description, which anyone with
 * write access can edit, so it is sealed: bound to the repository and the pull request's head
 * branch (which cannot change for an open pull request), made with Charter's key. An edited,
 * copied or invented marker does not verify and Charter does not act on it.
 *
 *     <!-- charter:request {"kind":"resume","issue":12,"by":"omar","scope":"global"} seal=… -->
 */
import { z } from "zod";
import { checkSeal, seal, type SealKeys } from "./seal.js";

export interface RequestMarker {
  kind: "resume" | "rollback" | "advance" | "activate" | "swap" | "override";
  /** The issue or pull request the command was written on. */
  issue: number;
  /** Who asked. */
  by: string;
  scope?: string;
  from?: string;
  to?: string;
  /** A rollback's type (an id of authority.yml `rollback.types`). */
  rollbackType?: string;
  /** A swap or override: the people whose consent it needs (those who take and give up shifts). */
  people?: string[];
  /** A swap or override: the digest of the overrides it adds to governance/oncall.yml (src/core/oncall/swap/digest.ts). */
  change?: string;
}

const Shape = z.strictObject({
  kind: z.enum(["resume", "rollback", "advance", "activate", "swap", "override"]),
  issue: z.number().int().positive(),
  by: z.string().min(1).max(100),
  scope: z.string().min(1).max(200).optional(),
  from: z.string().min(1).max(100).optional(),
  to: z.string().min(1).max(100).optional(),
  rollbackType: z.string().min(1).max(100).optional(),
  people: z.array(z.string().min(1).max(100)).min(1).max(20).optional(),
  change: z.string().min(1).max(100).optional(),
});

/** Where a request marker lives: the repository and the pull request's head branch. */
export function requestScope(repoFullName: string, headRef: string): string {
  return `request:${repoFullName.toLowerCase()}:${headRef}`;
}

function json(m: RequestMarker): string {
  const ordered: Record<string, unknown> = {};
  for (const k of ["kind", "issue", "by", "scope", "from", "to", "rollbackType", "people", "change"] as const) if (m[k] !== undefined) ordered[k] = m[k];
  return JSON.stringify(ordered).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

/** The sealed marker line for a pull request description. */
export function encodeRequest(m: RequestMarker, keys: SealKeys, scope: string): string {
  const payload = json(m);
  return `<!-- charter:request ${payload} seal=${seal(keys, scope, payload)} -->`;
}

export type DecodedRequest =
  | { ok: true; request: RequestMarker; unsealed: boolean }
  | { ok: false; reason: string };

/** Longest description searched for the marker (GitHub's own limit for a body). */
const MAX_BODY = 65_536;

/**
 * The request in a description: undefined when there is none, `ok: false` when a marker is there
 * but does not verify (edited, copied or invented). Linear: one indexOf, one bounded slice.
 */
export function decodeRequest(body: string | null | undefined, keys: SealKeys, scope: string): DecodedRequest | undefined {
  const text = (body ?? "").slice(0, MAX_BODY);
  const start = text.indexOf("<!-- charter:request ");
  if (start < 0) return undefined;
  const end = text.indexOf(" -->", start);
  if (end < 0) return { ok: false, reason: "the request marker is not closed" };
  const inner = text.slice(start + "<!-- charter:request ".length, end);
  const at = inner.lastIndexOf(" seal=");
  if (at < 0) return { ok: false, reason: "the request marker has no seal" };
  const payload = inner.slice(0, at);
  const check = checkSeal(keys, scope, payload, inner.slice(at + " seal=".length));
  if (check === "invalid") return { ok: false, reason: "the request marker's seal does not match (the description was edited, or the marker was copied from elsewhere)" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return { ok: false, reason: "the request marker is not JSON" };
  }
  const shape = Shape.safeParse(parsed);
  if (!shape.success) return { ok: false, reason: "the request marker is not a Charter request" };
  const r = shape.data;
  const request: RequestMarker = { kind: r.kind, issue: r.issue, by: r.by };
  for (const k of ["scope", "from", "to", "rollbackType", "change"] as const) if (r[k] !== undefined) request[k] = r[k];
  if (r.people !== undefined) request.people = r.people;
  return { ok: true, request, unsealed: check === "unsealed-accepted" };
}
