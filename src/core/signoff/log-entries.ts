/**
 * State-file changes are judged whole: the entries a pull request appends to
 * governance/state/log.yml must record exactly the transitions it makes, one entry per
 * transition, by the person who asked for it (the requester Charter sealed in its own pull
 * request, or the author otherwise). Any other entry (invented, extra, or with the wrong action,
 * phases, scope, type or actor) is not part of the transition: the owners of governance/ sign,
 * and the check names the entry and why.
 *
 * A transition without an entry is fine (a hand-made pull request need not log itself).
 */
import type { LogEntry } from "../model/state.js";
import { sameLogin } from "./facts.js";
import { TRANSITION_ACTIONS } from "./state-change.js";
import { at, codeSpan } from "./words.js";

export type Transition =
  | { kind: "advance"; from: string; to: string }
  | { kind: "rollback"; from: string; to: string; type?: string }
  | { kind: "resume"; scope: string };

/** Who the entries must name as their actor, or why nobody can be named. */
export type ExpectedActor = { login: string; how: string } | { login?: undefined; why: string };

function transitionWords(t: Transition): string {
  if (t.kind === "resume") return `resumes ${codeSpan(t.scope, 80)}`;
  return `${t.kind === "advance" ? "advances" : "rolls back"} ${t.from} → ${t.to}${t.kind === "rollback" && t.type ? ` (${codeSpan(t.type, 60)})` : ""}`;
}

function entryWords(e: LogEntry): string {
  const phases = e.from_phase !== undefined || e.to_phase !== undefined ? ` ${codeSpan(e.from_phase ?? "?", 40)} → ${codeSpan(e.to_phase ?? "?", 40)}` : "";
  const scope = e.scope ? ` of ${codeSpan(e.scope, 80)}` : "";
  return `the added entry ${codeSpan(e.id, 80)} (\`${e.action}\`${phases}${scope} by ${at(e.actor)})`;
}

/** Why `e` does not record `t` (undefined: it does, field by field). */
function mismatch(e: LogEntry, t: Transition): string | undefined {
  const base = e.action.replace(/-requested$/, "");
  if (base !== t.kind) return `it records a${base === "advance" ? "n" : ""} ${base}, and this pull request ${transitionWords(t)}`;
  if (t.kind === "resume") {
    if (e.scope !== t.scope) return `it names the scope ${codeSpan(e.scope ?? "(none)", 80)}, and this pull request ${transitionWords(t)}`;
    if (e.from_phase !== undefined || e.to_phase !== undefined || e.rollback_type !== undefined) return "a resume entry names no phases and no rollback type";
    return undefined;
  }
  if (e.from_phase !== t.from || e.to_phase !== t.to) return `it records ${codeSpan(e.from_phase ?? "?", 40)} → ${codeSpan(e.to_phase ?? "?", 40)}, and this pull request ${transitionWords(t)}`;
  if (e.scope !== undefined) return "a phase entry names no kill-switch scope";
  if (t.kind === "advance" && e.rollback_type !== undefined) return "an advance names no rollback type";
  if (t.kind === "rollback" && e.rollback_type !== undefined && t.type !== undefined && e.rollback_type.toLowerCase() !== t.type.toLowerCase()) {
    return `it names the rollback type ${codeSpan(e.rollback_type, 60)}, and the rollback is ${codeSpan(t.type, 60)}`;
  }
  return undefined;
}

/**
 * The added entries that are not part of the transitions, each with why, in words. Empty: every
 * entry records one transition, by the expected actor.
 */
export function logEntryProblems(added: readonly LogEntry[], transitions: readonly Transition[], actor: ExpectedActor): string[] {
  const problems: string[] = [];
  const used = new Set<number>();
  for (const e of added) {
    const what = entryWords(e);
    if (!TRANSITION_ACTIONS.has(e.action)) {
      problems.push(`${what} records no transition: only \`advance\`, \`rollback\` and \`resume\` entries go with a pull request's transition`);
      continue;
    }
    const reasons: string[] = [];
    let match = -1;
    transitions.forEach((t, i) => {
      if (match >= 0) return;
      const why = mismatch(e, t);
      if (why === undefined && !used.has(i)) match = i;
      else reasons.push(why ?? `it records ${transitionWords(t)} a second time (one entry per transition)`);
    });
    if (match < 0) {
      problems.push(`${what} matches no transition of this pull request: ${transitions.length === 0 ? "it makes none" : reasons.join("; ")}`);
      continue;
    }
    used.add(match);
    if (actor.login === undefined) problems.push(`${what} names ${at(e.actor)} as its actor, and ${actor.why}`);
    else if (!sameLogin(e.actor, actor.login)) problems.push(`${what} names ${at(e.actor)} as its actor, but the entry for this transition must name ${at(actor.login)}, ${actor.how}`);
  }
  return problems;
}
