/**
 * Requirements that can never be met: a gate, resume rule, rollback, OWNERS line or break-glass
 * review that needs roles nobody can sign for, or more different people (four eyes) than there are
 * people able to sign; an activation, approval or command nobody may carry out. People are those
 * who could ever act for a role (holders, backups, anyone who may be on call for its tiers); a team
 * counts as enough people, since its members are not known here.
 */
import { pathOwners } from "../authority/lookup.js";
import { INCIDENT_COMMANDS, whoMayRun } from "../incidents/authority.js";
import { GOVERNANCE_DIR } from "../model/file-names.js";
import type { Governance } from "../model/governance.js";
import { gateLabel } from "./authority.js";
import { anyRoleHeld, rolePeople } from "./people.js";

export interface Requirement {
  key: string;
  /** What it is, in words: "the phase gate GA (P3 → P4)". */
  what: string;
  /** What it asks: "sign" (each role, all of them) or "act" (any one of them). */
  need: "all" | "any";
  roles: string[];
  /** Each role needs a different person (four eyes). */
  distinct: boolean;
  /** An OWNERS line that decides who signs changes to governance/ itself. */
  locksGovernance?: boolean;
}

export interface Unsatisfiable {
  requirement: Requirement;
  /** Roles nobody can act for. */
  empty: string[];
  /** When every role has someone but not enough different people: those who could sign. */
  tooFew?: { needed: number; most: number; people: string[] };
}

export function requirementsOf(g: Governance): Requirement[] {
  const out: Requirement[] = [];
  const a = g.authority;
  for (const gate of a?.phases?.gates ?? []) out.push({ key: `gate:${gate.from}>${gate.to}`, what: `the phase gate ${gateLabel(gate)}`, need: "all", roles: [...gate.require], distinct: gate.distinct ?? true });
  for (const rule of a?.kill_switch?.resume ?? []) out.push({ key: `resume:${rule.title}`, what: `resuming the kill-switch (${rule.title})`, need: "all", roles: [...rule.who], distinct: true });
  for (const [id, s] of Object.entries(a?.kill_switch?.activation ?? {})) {
    out.push({ key: `activate:${id}`, what: `activating the kill-switch (${s.title})`, need: "any", roles: [...s.who], distinct: false });
    if (s.approval !== "none") out.push({ key: `approve:${id}`, what: `approving a kill-switch activation (${s.title})`, need: "any", roles: [...s.approval.roles], distinct: false });
  }
  for (const [id, t] of Object.entries(a?.rollback?.types ?? {})) {
    if (t.immediate) out.push({ key: `rollback:${id}`, what: `a rollback (${t.title})`, need: "any", roles: [...t.decide], distinct: false });
    else out.push({ key: `rollback:${id}`, what: `a rollback (${t.title})`, need: "all", roles: [...t.decide, ...(t.approve ?? [])], distinct: true });
  }
  if (a?.break_glass) {
    out.push({ key: "breakglass", what: "breaking the glass", need: "any", roles: [...a.break_glass.who], distinct: false });
    out.push({ key: "breakglass:review", what: "a break-glass review", need: "all", roles: [...a.break_glass.review.roles], distinct: true });
  }
  const governanceRule = pathOwners(g, `${GOVERNANCE_DIR}/${"roles.yml"}`)?.rule;
  for (const rule of g.owners) {
    const roles = rule.owners.flatMap((o) => (o.kind === "role" ? [o.id] : []));
    if (roles.length > 0) out.push({ key: `owners:${rule.pattern}`, what: `changes to ${rule.pattern} (OWNERS line ${rule.line})`, need: "all", roles, distinct: true, ...(rule === governanceRule ? { locksGovernance: true } : {}) });
  }
  if (g.incidents) for (const cmd of INCIDENT_COMMANDS) out.push({ key: `cmd:${cmd}`, what: `the command /${cmd}`, need: "any", roles: [...whoMayRun(g.incidents, cmd)], distinct: false });
  return out;
}

/** Kuhn's augmenting paths: the largest set of roles that can each get a different person. */
function maxMatching(candidates: readonly (readonly string[])[]): number {
  const owner = new Map<string, number>();
  const tryRole = (r: number, seen: Set<string>): boolean => {
    for (const p of candidates[r]!) {
      if (seen.has(p)) continue;
      seen.add(p);
      const other = owner.get(p);
      if (other === undefined || tryRole(other, seen)) {
        owner.set(p, r);
        return true;
      }
    }
    return false;
  };
  let matched = 0;
  for (let r = 0; r < candidates.length; r++) if (tryRole(r, new Set())) matched++;
  return matched;
}

/** Why `r` can never be met in `g`, or undefined when it can. */
export function unsatisfiable(g: Governance, r: Requirement): Unsatisfiable | undefined {
  const roles = [...new Set(r.roles)];
  const people = roles.map((id) => ({ id, ...(id === "everyone" ? { people: [], teams: [], unbounded: anyRoleHeld(g) } : rolePeople(g, id)) }));
  const empty = people.filter((p) => !p.unbounded && p.people.length === 0).map((p) => p.id);
  if (r.need === "any") return empty.length === roles.length && roles.length > 0 ? { requirement: r, empty } : undefined;
  if (empty.length > 0) return { requirement: r, empty };
  if (!r.distinct) return undefined;
  const bounded = people.filter((p) => !p.unbounded);
  const candidates = bounded.map((p) => p.people.map((x) => x.toLowerCase()));
  const most = maxMatching(candidates);
  if (most >= bounded.length) return undefined;
  const all = [...new Map(bounded.flatMap((p) => p.people).map((x) => [x.toLowerCase(), x] as const)).values()];
  return { requirement: r, empty: [], tooFew: { needed: bounded.length, most, people: all } };
}

/** Every requirement of `g` that can never be met. */
export function unsatisfiableRequirements(g: Governance): Unsatisfiable[] {
  return requirementsOf(g).flatMap((r) => {
    const u = unsatisfiable(g, r);
    return u ? [u] : [];
  });
}
