/**
 * Charter's own pull requests carry a sealed request marker (src/core/trust/request.ts): what
 * Charter was asked, by whom. It counts only on a pull request Charter's bot user opened and only
 * when its seal verifies; anywhere else it is text anyone could have written, and the check says
 * it was ignored and why.
 */
import type { DecodedRequest } from "../trust/request.js";
import type { RequestFact } from "./facts.js";
import { at } from "./words.js";

export interface RequestEvidence {
  /** The marker as decoded from the description (undefined: none there). */
  decoded: DecodedRequest | undefined;
  /** Whether the pull request was opened by Charter's own bot user. */
  charterAuthored: boolean;
  /** The pull request's author. */
  author: string;
  /** Charter's bot user, for the words (`charter[bot]`). */
  botLogin?: string | undefined;
}

/** What the request marker of a pull request counts for. */
export function requestFact(e: RequestEvidence): RequestFact {
  if (e.decoded === undefined) return { kind: "none" };
  if (!e.charterAuthored) {
    const charter = e.botLogin ? ` (${at(e.botLogin)})` : "";
    return {
      kind: "ignored",
      charterAuthored: false,
      why: `this pull request was opened by ${at(e.author)}, not by Charter${charter}: a request marker counts only on Charter's own pull requests`,
    };
  }
  if (!e.decoded.ok) return { kind: "ignored", charterAuthored: true, why: e.decoded.reason };
  return { kind: "charter", request: e.decoded.request };
}

/** Who asked for the pull request's change: the requester Charter sealed for its own pull requests, else the author. */
export function requesterOf(facts: { author: { login: string }; request?: RequestFact | undefined }): { login: string; how: string } | { login?: undefined; why: string } {
  const r = facts.request;
  if (r?.kind === "charter") return { login: r.request.by, how: "who asked Charter for it, as its sealed request records" };
  if (r?.kind === "ignored" && r.charterAuthored) return { why: `Charter's request marker on this pull request does not count (${r.why}), so Charter cannot tell who asked for it` };
  return { login: facts.author.login, how: "the author of this pull request" };
}

/**
 * Whose own review never counts on this pull request: its author, and on Charter's own pull
 * requests the person who asked Charter for it (the bot is only the author on paper; the request
 * is theirs, so signing it themselves would be signing their own request).
 */
export function selfOf(facts: { author: { login: string }; request?: RequestFact | undefined }): { login: string; requested: boolean } {
  const r = facts.request;
  if (r?.kind === "charter") return { login: r.request.by, requested: true };
  return { login: facts.author.login, requested: false };
}
