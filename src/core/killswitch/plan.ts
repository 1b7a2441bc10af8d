import type { TeamMembers } from "../roles/resolve.js";
/**
 * What a kill-switch or phase command decided, for the adapter to carry out: refuse, write state
 * directly, or open a pull request that a sign-off gates. Replies are composed here, so what a
 * person reads is decided (and tested) in the pure core.
 */
import type { RequestMarker } from "../trust/request.js";
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
  /** What the pull request requests: the adapter seals it into the description (src/core/trust/request.ts). */
  request?: RequestMarker;
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
  /**
   * Set when no fallback pull request may be opened (a person without access to the repository
   * acting under a public opt-in: a pull request would escape its rate limit): the reply instead.
   */
  noFallback?(why: string): string;
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

export type { RequestMarker } from "../trust/request.js";

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
  /**
   * GitHub's `author_association` of the comment: whether the commenter has access to the
   * repository, which is what `anyone` in an authority table means. Missing: no access (fail closed).
   */
  association?: string | null;
}
