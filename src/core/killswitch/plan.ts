import type { TeamMembers } from "../roles/resolve.js";
/**
 * What a kill-switch or phase command decided, for the adapter to carry out: refuse, write state
 * directly, or open a pull request that a sign-off gates. Replies are composed here, so what a
 * person reads is decided (and tested) in the pure core.
 */
import type { StateEdit } from "./state-text.js";

/**
 * Why nothing happens. `forbidden`: the commenter may not do this; `state`: the state does not
 * allow it (already active, nothing to resume); `invalid`: the command itself is malformed.
 */
export interface Refusal {
  ok: false;
  kind: "forbidden" | "state" | "invalid";
  message: string;
}

export const refuse = (kind: Refusal["kind"], message: string): Refusal => ({ ok: false, kind, message });

/** A message as one sentence: exactly one final period. */
export function sentence(message: string): string {
  const m = message.trimEnd();
  return /[.?!]$/.test(m) ? m : `${m}.`;
}

/** A pull request carrying a state change, gated by the sign-off check. */
export interface PullRequestSpec {
  /** Branch to create from the default branch head, e.g. `charter/resume-global-1001`. */
  branch: string;
  title: string;
  body: string;
  edits: StateEdit[];
  commitMessage: string;
}

export interface PullRequestRef {
  number: number;
  url: string;
}

/** Write the state on the default branch now (the authority table allows acting first). */
export interface DirectPlan {
  ok: true;
  kind: "direct";
  edits: StateEdit[];
  commitMessage: string;
  /** The reply on the thread once written. */
  reply: string;
  /** If branch protection refuses the direct write: the same change as a pull request. */
  fallback: PullRequestSpec;
  /** The reply when the fallback pull request was opened instead. */
  fallbackReply(pr: PullRequestRef, why: string): string;
}

/** Open a pull request: the change takes effect when it merges. */
export interface PullRequestPlan {
  ok: true;
  kind: "pull-request";
  pr: PullRequestSpec;
  reply(pr: PullRequestRef): string;
}

/** Only answer (status questions). */
export interface ReplyPlan {
  ok: true;
  kind: "reply";
  reply: string;
}

export type CommandPlan = Refusal | DirectPlan | PullRequestPlan | ReplyPlan;

/** Metadata in a Charter pull request's body, read back when it is merged or closed. */
export interface RequestMarker {
  kind: "resume" | "rollback" | "advance" | "activate";
  /** The issue or pull request the command was written on. */
  issue: number;
  /** Who asked. */
  by: string;
  scope?: string;
  from?: string;
  to?: string;
}

const MARKER = /<!--\s*charter:request\s+([^>]*?)\s*-->/;

export function requestMarker(m: RequestMarker): string {
  const parts = Object.entries(m)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`);
  return `<!-- charter:request ${parts.join(" ")} -->`;
}

/** The request marker in a pull request body, if any (never throws). */
export function parseRequestMarker(body: string | null | undefined): RequestMarker | undefined {
  const m = MARKER.exec(body ?? "");
  if (!m) return undefined;
  const fields = Object.fromEntries(m[1]!.split(/\s+/).map((kv) => kv.split("=", 2) as [string, string]).filter(([, v]) => v !== undefined));
  const kind = fields.kind;
  const issue = Number(fields.issue);
  if (kind !== "resume" && kind !== "rollback" && kind !== "advance" && kind !== "activate") return undefined;
  if (!Number.isInteger(issue) || issue <= 0 || !fields.by) return undefined;
  return {
    kind,
    issue,
    by: fields.by,
    ...(fields.scope ? { scope: fields.scope } : {}),
    ...(fields.from ? { from: fields.from } : {}),
    ...(fields.to ? { to: fields.to } : {}),
  };
}

/** Who asked, when, and where: the facts every kill-switch and phase command carries. */
export interface CommandFacts {
  /** The commenter. */
  actor: string;
  at: Date;
  /** The comment's URL. */
  link: string;
  /** The comment's id: names log entries and branches, so repeats are recognised. */
  cause: string | number;
  /** The issue or pull request the comment is on. */
  issue: number;
  teams?: TeamMembers;
}
