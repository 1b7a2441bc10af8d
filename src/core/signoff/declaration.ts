/**
 * The rollback type a pull request declares, and how much that declaration is worth.
 *
 * - On Charter's own pull request (opened by its bot user, with a sealed request that verifies)
 *   the type is the one sealed in the request: nobody can edit it.
 * - On anyone else's pull request the type is a visible `Rollback type:` line of the description:
 *   the author's claim. It selects who must sign, so any role of the rollback authority may veto
 *   whatever type is declared, and approvals given before the declaration changed do not count.
 * - A hidden `<!-- charter:rollback type=… -->` marker, or a request marker, in anyone else's pull
 *   request counts for nothing, and the check says it was ignored and why.
 */
import { visibleText, rollbackDeclarations } from "./body.js";
import type { PullRequestFacts } from "./facts.js";
import { codeSpan } from "./words.js";

export type RollbackDeclaration =
  /** Sealed by Charter in its own request: the type id. */
  | { kind: "sealed"; type: string; by: string; issue: number; notices: string[] }
  /** Visible `Rollback type:` lines, as written (the author's claim). */
  | { kind: "claimed"; values: string[]; notices: string[] }
  /** Charter's own pull request whose request cannot be trusted: no type can be. */
  | { kind: "refused"; why: string; notices: string[] };

/** Longest description read for declarations (GitHub's own limit for a body). */
const MAX_BODY = 65_536;

/** Whether the description holds a hidden `<!-- charter:rollback …` marker (one linear scan). */
export function hasHiddenRollbackMarker(body: string): boolean {
  const text = body.slice(0, MAX_BODY);
  let from = 0;
  for (;;) {
    const open = text.indexOf("<!--", from);
    if (open < 0) return false;
    let i = open + 4;
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
    if (text.slice(i, i + 16).toLowerCase() === "charter:rollback") return true;
    from = open + 4;
  }
}

const HIDDEN_IGNORED = "the hidden `<!-- charter:rollback … -->` marker in the description was ignored: only Charter's own pull requests declare a rollback type that way (sealed); write a visible `Rollback type: <type>` line";

/** The rollback type the pull request declares, and notes on what was ignored. */
export function rollbackDeclaration(facts: Pick<PullRequestFacts, "body" | "request">): RollbackDeclaration {
  const body = facts.body.slice(0, MAX_BODY);
  const notices: string[] = [];
  const visible = rollbackDeclarations(visibleText(body));
  const request = facts.request;
  if (request?.kind === "charter") {
    if (hasHiddenRollbackMarker(body)) notices.push("a hidden `<!-- charter:rollback … -->` marker in the description was ignored: Charter's sealed request decides the rollback type");
    const r = request.request;
    if (r.kind !== "rollback" || r.rollbackType === undefined) {
      return { kind: "refused", why: `Charter's sealed request of this pull request is a${r.kind === "advance" || r.kind === "activate" ? "n" : ""} ${r.kind}, not a rollback with a type, so nobody can sign it as a rollback`, notices };
    }
    if (visible.length > 0) notices.push(`the description's \`Rollback type:\` line was not read: the type is the one sealed in Charter's request (${codeSpan(r.rollbackType, 60)}), which nobody can edit`);
    return { kind: "sealed", type: r.rollbackType, by: r.by, issue: r.issue, notices };
  }
  if (request?.kind === "ignored") {
    if (request.charterAuthored) {
      return { kind: "refused", why: `Charter's request marker in the description does not verify, so Charter cannot tell which rollback was asked for: close this pull request and ask again with \`/rollback\`. Why it does not verify: ${request.why}`, notices };
    }
    notices.push(`a Charter request marker in the description was ignored: ${request.why}`);
  }
  if (hasHiddenRollbackMarker(body)) notices.push(HIDDEN_IGNORED);
  return { kind: "claimed", values: visible, notices };
}
