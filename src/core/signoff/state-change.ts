/**
 * What a pull request proposes to do to the state files: move the rollout to another phase,
 * resume kill-switches, or something else (which no transition rule governs).
 */
import type { KillSwitchStateFile, LogEntry, Switch } from "../model/state.js";
import type { StateFacts } from "./facts.js";
import { codeSpan, userText } from "./words.js";

export const PHASE_FILE = "governance/state/phase.yml";
export const KILLSWITCH_FILE = "governance/state/killswitch.yml";
export const ONCALL_FILE = "governance/oncall.yml";

export type PhaseChange =
  /** The pull request does not change state/phase.yml. */
  | { kind: "none" }
  | { kind: "move"; from: string; to: string }
  /** The head version does not parse or validate. */
  | { kind: "invalid"; message: string }
  /** A change that is not a move between two phases (edited fields only, created, removed). */
  | { kind: "other"; why: string };

export function phaseChange(state: StateFacts): PhaseChange {
  const head = state.head.phase;
  if (head === undefined) return { kind: "none" };
  if (head.kind === "invalid") return { kind: "invalid", message: head.message };
  if (head.kind === "removed") return { kind: "other", why: `${PHASE_FILE} is deleted` };
  const from = state.base.phase?.phase;
  if (from === undefined) return { kind: "other", why: `${PHASE_FILE} is created (there is no current phase on the default branch)` };
  if (from === head.value.phase) return { kind: "other", why: `${PHASE_FILE} changes but the phase stays ${from}` };
  return { kind: "move", from, to: head.value.phase };
}

export interface Resume {
  scope: string;
  /** The switch as it is on the default branch (active). */
  active: Switch;
}

export type KillSwitchChange =
  | { kind: "none" }
  | { kind: "invalid"; message: string }
  /** `resumes`: active switches the pull request turns off; `other`: any further change, in words. */
  | { kind: "change"; resumes: Resume[]; other: string[] };

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function killSwitchChange(state: StateFacts): KillSwitchChange {
  const head = state.head.killswitch;
  if (head === undefined) return { kind: "none" };
  if (head.kind === "invalid") return { kind: "invalid", message: head.message };
  const base: KillSwitchStateFile["switches"] = state.base.killswitch?.switches ?? {};
  if (head.kind === "removed") {
    const resumes = Object.entries(base).filter(([, s]) => s.active).map(([scope, s]) => ({ scope, active: s }));
    return { kind: "change", resumes, other: [`${KILLSWITCH_FILE} is deleted`] };
  }
  const proposed = head.value.switches;
  const resumes: Resume[] = [];
  const other: string[] = [];
  const scopes = [...new Set([...Object.keys(base), ...Object.keys(proposed)])];
  for (const scope of scopes) {
    const before = base[scope];
    const after = proposed[scope];
    if (before?.active && !after?.active) {
      resumes.push({ scope, active: before });
      continue;
    }
    if (same(before, after)) continue;
    if (!before) other.push(after!.active ? `the kill-switch \`${scope}\` is added as active` : `the kill-switch \`${scope}\` is added`);
    else if (!after) other.push(`the kill-switch \`${scope}\` is removed`);
    else if (!before.active && after.active) other.push(`the kill-switch \`${scope}\` is activated by hand`);
    else other.push(`the kill-switch \`${scope}\` is edited`);
  }
  if (resumes.length === 0 && other.length === 0) other.push(`${KILLSWITCH_FILE} changes but no kill-switch changes state`);
  return { kind: "change", resumes, other };
}

export const LOG_FILE = "governance/state/log.yml";

/** Log actions that record the transitions a pull request can carry (advance, rollback, resume). */
export const TRANSITION_ACTIONS: ReadonlySet<string> = new Set(["advance", "advance-requested", "rollback", "rollback-requested", "resume", "resume-requested"]);

export type LogChange =
  | { kind: "none" }
  /**
   * Entries are only added, and each records a transition. Whether they record exactly the
   * transitions the pull request makes is judged with them (log-entries.ts).
   */
  | { kind: "append"; entries: LogEntry[] }
  | { kind: "other"; why: string };

/** The log's diff against the merge base removes a line (other than the empty list `entries: []`). */
export function removesLogLines(patch: string): boolean {
  return patch.split("\n").some((l) => l.startsWith("-") && !/^-\s*entries:\s*\[\]\s*$/.test(l) && l.trim() !== "-");
}

/**
 * What the pull request does to state/log.yml. An append of transition entries is part of the
 * transition; anything else (an edit, a removal, another kind of entry) is not.
 * `patch` is the file's diff against the merge base: it proves that nothing was removed even when
 * the default branch has gained entries since the pull request branched. Without it, every entry
 * of the default branch must still be in the pull request's version.
 */
export function logChange(state: StateFacts, patch: string | undefined): LogChange {
  const head = state.head.log;
  if (head === undefined) return { kind: "none" };
  if (head.kind === "invalid") return { kind: "other", why: `the proposed ${LOG_FILE} is invalid: ${userText(head.message, 300)}` };
  if (head.kind === "removed") return { kind: "other", why: `${LOG_FILE} is deleted` };
  const base = new Map((state.base.log?.entries ?? []).map((e) => [e.id, e]));
  const added = [];
  for (const entry of head.value.entries) {
    const before = base.get(entry.id);
    if (!before) added.push(entry);
    else if (!same(before, entry)) return { kind: "other", why: `${LOG_FILE}: the entry ${codeSpan(entry.id, 80)} is edited` };
  }
  if (patch !== undefined) {
    if (removesLogLines(patch)) return { kind: "other", why: `${LOG_FILE}: lines are removed, not only appended` };
  } else {
    // no diff (GitHub omits it for large files): every entry of the default branch must still be there
    const kept = new Set(head.value.entries.map((e) => e.id));
    const missing = [...base.keys()].filter((id) => !kept.has(id));
    if (missing.length > 0) return { kind: "other", why: `${LOG_FILE}: entries of the default branch are missing (${missing.slice(0, 5).map((id) => codeSpan(id, 80)).join(", ")}${missing.length > 5 ? ` and ${missing.length - 5} more` : ""}); rebase the pull request` };
  }
  if (added.length === 0) return { kind: "other", why: `${LOG_FILE} changes but no entry is added` };
  const foreign = added.filter((e) => !TRANSITION_ACTIONS.has(e.action));
  if (foreign.length > 0) return { kind: "other", why: `${LOG_FILE}: ${[...new Set(foreign.map((e) => `\`${e.action}\``))].join(", ")} entries are added by hand (${foreign.slice(0, 5).map((e) => codeSpan(e.id, 80)).join(", ")})` };
  return { kind: "append", entries: added };
}
