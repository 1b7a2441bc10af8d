/**
 * Lookups into authority.yml and OWNERS: which gate a phase change needs, who decides a rollback,
 * who may resume the kill-switch, who may activate it, who owns a path, and a RACI row.
 *
 * Pure: no I/O, no clock. Names are matched exactly; lookups by a name a person typed
 * (`rollbackAuthority`, `activationAuthority`, `activity`, `findPhase`) also accept a different
 * case or the entry's title, and answer an unknown name with a did-you-mean.
 */
import { durationMs } from "../duration.js";
import type { Activity, ActivationScenario, Gate, ResumeRule, RollbackType } from "../model/authority.js";
import type { Governance } from "../model/governance.js";
import type { Owner, OwnersRule } from "../model/owners.js";
import { matchesPattern, owningRule } from "../owners/match.js";
import { closest, editDistance } from "../validate/suggest.js";

// ---------------------------------------------------------------------------------------------
// Not found

/** An unknown name, with the known ones and the closest of them (a plausible typo), if any. */
export interface NotFound {
  ok: false;
  /** What was looked up, in words: `rollback type`, `kill-switch scenario`, `activity`, `phase`. */
  what: string;
  name: string;
  known: string[];
  suggestion?: string;
  /** One line for a person, e.g. "unknown rollback type `emergncy`. Did you mean `emergency`? Known: …". */
  message: string;
}

/**
 * The known name closest to `name` when it is a plausible typo and the only one that close
 * (`p4` among P1, P2, P3 suggests nothing).
 */
export function suggestName(name: string, known: readonly string[]): string | undefined {
  const best = closest(name, known);
  if (best === undefined) return undefined;
  const d = editDistance(name.toLowerCase(), best.toLowerCase());
  const ties = known.filter((k) => editDistance(name.toLowerCase(), k.toLowerCase()) === d);
  return ties.length === 1 ? best : undefined;
}

export function notFound(what: string, name: string, known: readonly string[], where?: string, alsoSuggest: readonly string[] = []): NotFound {
  const suggestion = suggestName(name, [...new Set([...known, ...alsoSuggest])]);
  let message = `unknown ${what} \`${name}\`.`;
  if (suggestion !== undefined) message += ` Did you mean \`${suggestion}\`?`;
  message += known.length > 0 ? ` Known: ${known.join(", ")}.` : ` None are defined${where ? ` (${where})` : ""}.`;
  return { ok: false, what, name, known: [...known], ...(suggestion !== undefined ? { suggestion } : {}), message };
}

/** Find an entry of `record` by id, by id ignoring case, or by title ignoring case. */
function byIdOrTitle<T extends { title: string }>(record: Record<string, T> | undefined, name: string): [string, T] | undefined {
  const entries = Object.entries(record ?? {});
  const exact = entries.find(([id]) => id === name);
  if (exact) return exact;
  const lower = name.trim().toLowerCase();
  return entries.find(([id]) => id.toLowerCase() === lower) ?? entries.find(([, v]) => v.title.toLowerCase() === lower);
}

// ---------------------------------------------------------------------------------------------
// Phases and gates

/** What moving the rollout from one phase to another needs (authority.yml `phases`). */
export type PhaseGateResult =
  /** A gate is defined for exactly this move. `index` is its position in `phases.gates`. */
  | { kind: "gate"; gate: Gate; index: number }
  /** `to` comes before `from` in `phases.order`: a rollback (see `rollback.types`), not a gate. */
  | { kind: "rollback"; from: string; to: string }
  /**
   * `to` is more than one phase ahead and no gate is defined for exactly this move.
   * `skipped` are the phases in between. `allowed` is `phases.allow_skip`; when it is true,
   * `gates` are the gates of every single step along the way (all of them apply).
   */
  | { kind: "skip"; from: string; to: string; skipped: string[]; allowed: boolean; gates: { gate: Gate; index: number }[] }
  /** A phase that is not in `phases.order` (or no phases are defined). */
  | { kind: "unknown-phase"; phase: string; known: string[]; suggestion?: string }
  /** The next phase (or the same phase) and no gate is defined for it: nothing to sign. */
  | { kind: "no-gate"; from: string; to: string };

/** The phases in rollout order (empty when authority.yml defines none). */
export function phaseOrder(g: Governance): string[] {
  return [...(g.authority?.phases?.order ?? [])];
}

/** A phase's display name: `P4 (GA)` when it has a title, else the name itself. */
export function phaseLabel(g: Governance, phase: string): string {
  const title = g.authority?.phases?.titles?.[phase];
  return title && title !== phase ? `${phase} (${title})` : phase;
}

function findGate(gates: readonly Gate[], from: string, to: string): { gate: Gate; index: number } | undefined {
  const index = gates.findIndex((x) => x.from === from && x.to === to);
  const gate = gates[index];
  return gate === undefined ? undefined : { gate, index };
}

/**
 * The gate a move from phase `from` to phase `to` must pass. Phase names compare exactly
 * (use `findPhase` first for names a person typed). An explicitly defined gate always wins,
 * even for a move that skips phases; moving backwards is a rollback.
 */
export function phaseGate(g: Governance, from: string, to: string): PhaseGateResult {
  const phases = g.authority?.phases;
  const order = phases?.order ?? [];
  for (const phase of [from, to]) {
    if (!order.includes(phase)) {
      const suggestion = suggestName(phase, order);
      return { kind: "unknown-phase", phase, known: [...order], ...(suggestion !== undefined ? { suggestion } : {}) };
    }
  }
  const gates = phases?.gates ?? [];
  const fromIndex = order.indexOf(from);
  const toIndex = order.indexOf(to);
  if (toIndex < fromIndex) return { kind: "rollback", from, to };
  const exact = findGate(gates, from, to);
  if (exact) return { kind: "gate", ...exact };
  if (toIndex - fromIndex <= 1) return { kind: "no-gate", from, to };
  const steps: { gate: Gate; index: number }[] = [];
  for (let i = fromIndex; i < toIndex; i++) {
    const step = findGate(gates, order[i]!, order[i + 1]!);
    if (step) steps.push(step);
  }
  return { kind: "skip", from, to, skipped: order.slice(fromIndex + 1, toIndex), allowed: phases?.allow_skip ?? false, gates: steps };
}

/**
 * A phase named by a person: its name (`P3`, `p3`) or its title (`GA`). Undefined when unknown.
 */
export function findPhase(g: Governance, name: string): string | undefined {
  const order = g.authority?.phases?.order ?? [];
  if (order.includes(name)) return name;
  const lower = name.trim().toLowerCase();
  const byName = order.find((p) => p.toLowerCase() === lower);
  if (byName) return byName;
  const titles = g.authority?.phases?.titles ?? {};
  return order.find((p) => titles[p]?.toLowerCase() === lower);
}

/** A gate named by its title (`GA`), ignoring case. */
export function findGateByTitle(g: Governance, title: string): { gate: Gate; index: number } | undefined {
  const lower = title.trim().toLowerCase();
  const gates = g.authority?.phases?.gates ?? [];
  const index = gates.findIndex((x) => x.title?.toLowerCase() === lower);
  const gate = gates[index];
  return gate === undefined ? undefined : { gate, index };
}

// ---------------------------------------------------------------------------------------------
// Rollback

export interface RollbackAuthority {
  ok: true;
  /** The type's id in `rollback.types`. */
  id: string;
  title: string;
  /** Decision makers: all must sign, or with `immediate` any one of them may act at once. */
  decide: string[];
  /** Further roles whose approval is required. */
  approve: string[];
  consult: string[];
  inform: string[];
  /** Whether those informed hear before or after (default: before). */
  informWhen: "before" | "after";
  /** Takes effect at once on command, with no pull request (emergency). */
  immediate: boolean;
  /** RACI activity of the rollback, if any. */
  activity?: string;
  type: RollbackType;
}

/** Who decides, approves, is consulted and informed for a rollback of `type` (id or title). */
export function rollbackAuthority(g: Governance, type: string): RollbackAuthority | NotFound {
  const types = g.authority?.rollback?.types;
  const found = byIdOrTitle(types, type);
  if (!found) return notFound("rollback type", type, Object.keys(types ?? {}), "authority.yml rollback.types");
  const [id, t] = found;
  return {
    ok: true,
    id,
    title: t.title,
    decide: [...t.decide],
    approve: [...(t.approve ?? [])],
    consult: [...(t.consult ?? [])],
    inform: [...(t.inform ?? [])],
    informWhen: t.inform_when ?? "before",
    immediate: t.immediate ?? false,
    ...(t.activity !== undefined ? { activity: t.activity } : {}),
    type: t,
  };
}

// ---------------------------------------------------------------------------------------------
// Kill-switch resume

/** Facts about a pause, to find who may resume it. */
export interface ResumeFacts {
  /** How long the kill-switch has been active, in milliseconds. */
  pausedMs: number;
  /** The activation was a data-integrity event (its scenario has `data_integrity: true`). */
  dataIntegrity?: boolean;
  /** A rollback happened while paused. */
  afterRollback?: boolean;
  /** `global`, `workspace`, or a state-file scope such as `workspace:acme`. Default `global`. */
  scope?: string;
}

export type ResumeAuthority =
  | { ok: true; rule: ResumeRule; /** Position in `kill_switch.resume` (0-based). */ index: number }
  | { ok: false; message: string };

/** Why a resume rule does or does not apply to a pause; `reasons` name the failed conditions. */
export function resumeRuleMatches(rule: ResumeRule, facts: ResumeFacts): { matches: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const w = rule.when;
  const scope = (facts.scope ?? "global").startsWith("workspace") ? "workspace" : "global";
  if (w.paused_under !== undefined && !(facts.pausedMs < durationMs(w.paused_under))) reasons.push(`not paused under ${w.paused_under}`);
  if (w.paused_at_least !== undefined && !(facts.pausedMs >= durationMs(w.paused_at_least))) reasons.push(`not paused at least ${w.paused_at_least}`);
  if (w.data_integrity !== undefined && w.data_integrity !== (facts.dataIntegrity ?? false)) reasons.push(w.data_integrity ? "not a data-integrity event" : "a data-integrity event");
  if (w.after_rollback !== undefined && w.after_rollback !== (facts.afterRollback ?? false)) reasons.push(w.after_rollback ? "no rollback happened" : "a rollback happened");
  if (w.scope !== undefined && w.scope !== scope) reasons.push(`scope is ${scope}, not ${w.scope}`);
  return { matches: reasons.length === 0, reasons };
}

/** The first resume rule (authority.yml `kill_switch.resume`) whose conditions all hold. */
export function resumeAuthority(g: Governance, facts: ResumeFacts): ResumeAuthority {
  const rules = g.authority?.kill_switch?.resume ?? [];
  if (rules.length === 0) return { ok: false, message: "authority.yml defines no kill_switch.resume rules" };
  const index = rules.findIndex((r) => resumeRuleMatches(r, facts).matches);
  const rule = rules[index];
  if (rule === undefined) return { ok: false, message: "no resume rule in authority.yml kill_switch.resume matches this pause; add a rule without conditions as the last one" };
  return { ok: true, rule, index };
}

// ---------------------------------------------------------------------------------------------
// Kill-switch activation

/**
 * Approval of an activation. `within`: the activation stands and approval is due this long after
 * it. `in_advance`: approval comes first, this long before (0 = just before). An approval with
 * roles but no timing is read as `in_advance` 0 (approve before activating).
 */
export type ActivationApproval =
  | { kind: "none" }
  | { kind: "within"; roles: string[]; within: string; withinMs: number }
  | { kind: "in_advance"; roles: string[]; inAdvance: string; inAdvanceMs: number };

export interface ActivationNotify {
  roles: string[];
  within?: string;
  withinMs?: number;
  inAdvance?: string;
  inAdvanceMs?: number;
}

export interface ActivationAuthority {
  ok: true;
  /** The scenario's id in `kill_switch.activation`. */
  id: string;
  title: string;
  /** Who may activate (`anyone`: people with access to the repository). */
  who: string[];
  approval: ActivationApproval;
  notify: ActivationNotify;
  severity?: string;
  dataIntegrity: boolean;
  /**
   * The explicit opt-in for people without access to the repository (`public: { max, per }`):
   * at most `max` such activations per `per` (in ms: `perMs`) in the repository.
   */
  public?: { max: number; per: string; perMs: number };
  scenario: ActivationScenario;
}

/** Who may activate the kill-switch in `scenario` (id or title), its approval and notification. */
export function activationAuthority(g: Governance, scenario: string): ActivationAuthority | NotFound {
  const scenarios = g.authority?.kill_switch?.activation;
  const found = byIdOrTitle(scenarios, scenario);
  if (!found) return notFound("kill-switch scenario", scenario, Object.keys(scenarios ?? {}), "authority.yml kill_switch.activation");
  const [id, s] = found;
  let approval: ActivationApproval;
  if (s.approval === "none") approval = { kind: "none" };
  else if (s.approval.in_advance === undefined && s.approval.within !== undefined) {
    approval = { kind: "within", roles: [...s.approval.roles], within: s.approval.within, withinMs: durationMs(s.approval.within) };
  } else {
    const inAdvance = s.approval.in_advance ?? "0m";
    approval = { kind: "in_advance", roles: [...s.approval.roles], inAdvance, inAdvanceMs: durationMs(inAdvance) };
  }
  const n = s.notify;
  const notify: ActivationNotify = {
    roles: [...n.roles],
    ...(n.within !== undefined ? { within: n.within, withinMs: durationMs(n.within) } : {}),
    ...(n.in_advance !== undefined ? { inAdvance: n.in_advance, inAdvanceMs: durationMs(n.in_advance) } : {}),
  };
  return {
    ok: true,
    id,
    title: s.title,
    who: [...s.who],
    approval,
    notify,
    ...(s.severity !== undefined ? { severity: s.severity } : {}),
    dataIntegrity: s.data_integrity ?? false,
    ...(s.public ? { public: { max: s.public.max, per: s.public.per, perMs: durationMs(s.public.per) } } : {}),
    scenario: s,
  };
}

// ---------------------------------------------------------------------------------------------
// Paths

export interface PathOwnership {
  /** The path as asked, normalised to repository-relative (no leading `/` or `./`). */
  path: string;
  /** The owning rule: the last line of OWNERS whose pattern matches. */
  rule: OwnersRule;
  /** Its owners; every one must sign. Empty: the line deliberately assigns no owners. */
  owners: Owner[];
  /** Owners by kind, for convenience. */
  roles: string[];
  users: string[];
  teams: string[];
  /** Earlier matching lines, overridden by `rule` (file order). */
  overridden: OwnersRule[];
}

/** `./a/b`, `/a/b` → `a/b`. */
export function normalizePath(path: string): string {
  return path.trim().replace(/^(?:\.\/)+/, "").replace(/^\/+/, "");
}

/** Who owns `path` under governance/OWNERS (last match wins); undefined when no line matches. */
export function pathOwners(g: Governance, path: string): PathOwnership | undefined {
  const p = normalizePath(path);
  const rule = owningRule(g.owners, p);
  if (!rule) return undefined;
  const roles: string[] = [];
  const users: string[] = [];
  const teams: string[] = [];
  for (const o of rule.owners) {
    if (o.kind === "role") roles.push(o.id);
    else if (o.kind === "user") users.push(o.login);
    else teams.push(o.team);
  }
  const overridden = g.owners.filter((r) => r !== rule && r.line < rule.line && matchesPattern(r.pattern, p));
  return { path: p, rule, owners: [...rule.owners], roles, users, teams, overridden };
}

// ---------------------------------------------------------------------------------------------
// RACI

export type RaciLetter = "R" | "A" | "C" | "I";
export const RACI_LETTERS: readonly RaciLetter[] = ["R", "A", "C", "I"];
export const RACI_MEANING: Readonly<Record<RaciLetter, string>> = {
  R: "Responsible",
  A: "Accountable",
  C: "Consulted",
  I: "Informed",
};

export interface ActivityRow {
  ok: true;
  id: string;
  title: string;
  stage?: string;
  R: string[];
  A: string[];
  C: string[];
  I: string[];
  paths: string[];
  activity: Activity;
}

function row(id: string, a: Activity): ActivityRow {
  return {
    ok: true,
    id,
    title: a.title,
    ...(a.stage !== undefined ? { stage: a.stage } : {}),
    R: [...(a.R ?? [])],
    A: [...(a.A ?? [])],
    C: [...(a.C ?? [])],
    I: [...(a.I ?? [])],
    paths: [...(a.paths ?? [])],
    activity: a,
  };
}

/** A RACI row (authority.yml `raci.activities`) by id or title. */
export function activity(g: Governance, id: string): ActivityRow | NotFound {
  const activities = g.authority?.raci?.activities;
  const found = byIdOrTitle(activities, id);
  if (!found) return notFound("activity", id, Object.keys(activities ?? {}), "authority.yml raci.activities");
  return row(found[0], found[1]);
}

/** Every RACI activity whose `paths` match `path`, in file order. */
export function activitiesForPath(g: Governance, path: string): ActivityRow[] {
  const p = normalizePath(path);
  return Object.entries(g.authority?.raci?.activities ?? {})
    .filter(([, a]) => (a.paths ?? []).some((pattern) => matchesPattern(pattern, p)))
    .map(([id, a]) => row(id, a));
}

/**
 * The letters `roleId` has in an activity, in R, A, C, I order. A role named nowhere takes the
 * letters given to `everyone`, if any.
 */
export function raciLettersOf(a: Activity, roleId: string): RaciLetter[] {
  const own = RACI_LETTERS.filter((l) => (a[l] ?? []).includes(roleId));
  return own.length > 0 ? own : RACI_LETTERS.filter((l) => (a[l] ?? []).includes("everyone"));
}
