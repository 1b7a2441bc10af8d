/**
 * Who a reference in the governance files can mean, without a clock: a role's holders, backups
 * and everyone who may ever be on call for its tiers (participants, layers' backups, overrides,
 * fallback tiers), `everyone`, `anyone`, `assignees`. A change's impact is said about these
 * people ("ana gains …"), with the way each holds it ("as a holder of Ingestion Owner").
 */
import { ANYONE, EVERYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";
import { parseTierRef } from "../oncall/resolve.js";

/** Who gains or loses something. */
export type Subject =
  | { kind: "person"; login: string }
  | { kind: "team"; team: string }
  /** `anyone`: anyone with access to the repository. */
  | { kind: "anyone" }
  /** `assignees`: the people Charter assigned to an incident. */
  | { kind: "assignees" };

/** How a subject comes to hold something. */
export interface Way {
  as: "holder" | "backup" | "on-call" | "tier" | "any-role" | "anyone" | "assignees" | "named";
  /** The role (id) it goes through. */
  role?: string;
  /** The on-call tier (`schedule/tier`) it goes through. */
  tier?: string;
}

export interface Holding {
  subject: Subject;
  way: Way;
}

export function subjectKey(s: Subject): string {
  switch (s.kind) {
    case "person":
      return `person:${s.login.toLowerCase()}`;
    case "team":
      return `team:${s.team.toLowerCase()}`;
    default:
      return s.kind;
  }
}

export function wayKey(w: Way): string {
  return `${w.as}:${w.role ?? ""}:${w.tier ?? ""}`;
}

const person = (login: string): Subject => (login.includes("/") ? { kind: "team", team: login } : { kind: "person", login });

/** Everyone who may ever be on call for a tier (its layers' participants and backups, overrides of it, its fallback's people). */
export function tierPeople(g: Governance, ref: string, seen: Set<string> = new Set()): string[] {
  if (seen.has(ref)) return [];
  seen.add(ref);
  const { schedule: sid, tier: tid } = parseTierRef(ref);
  const schedule = g.oncall?.schedules[sid];
  const tier = schedule?.tiers[tid];
  if (!schedule || !tier) return [];
  const out: string[] = [];
  for (const layer of tier.layers) out.push(...layer.participants, ...(layer.backup ?? []));
  for (const o of schedule.overrides ?? []) if (o.tier === tid) out.push(o.who);
  if (tier.fallback) out.push(...tierPeople(g, tier.fallback, seen));
  return unique(out);
}

function unique(logins: readonly string[]): string[] {
  const seen = new Set<string>();
  return logins.filter((l) => {
    const k = l.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface ExpandOptions {
  /** Pages: backups only when the role has no holder and no tier (pages go to holders first). */
  paging?: boolean;
}

const expanded = new WeakMap<Governance, Map<string, Holding[]>>();

/**
 * Who `ref` (a role id, a tier, `everyone`, `anyone`, `assignees`) can mean, and how. Remembered
 * per model: a proposal may name `everyone` in a thousand places.
 */
export function expandRef(g: Governance, ref: string, options: ExpandOptions = {}): Holding[] {
  let memo = expanded.get(g);
  if (!memo) expanded.set(g, (memo = new Map()));
  const key = `${options.paging ? "p" : "-"}|${ref}`;
  let hit = memo.get(key);
  if (!hit) memo.set(key, (hit = expandUncached(g, ref, options)));
  return hit;
}

function expandUncached(g: Governance, ref: string, options: ExpandOptions): Holding[] {
  if (ref === ANYONE) return [{ subject: { kind: "anyone" }, way: { as: "anyone" } }];
  if (ref === "assignees") return [{ subject: { kind: "assignees" }, way: { as: "assignees" } }];
  if (ref === EVERYONE) {
    // each person (or team) once: how they hold a role does not matter here
    const out = new Map<string, Holding>();
    for (const id of Object.keys(g.roles.roles)) for (const h of expandRef(g, id, options)) out.set(subjectKey(h.subject), { subject: h.subject, way: { as: "any-role" } });
    return [...out.values()];
  }
  if (ref.includes("/")) return tierPeople(g, ref).map((p) => ({ subject: person(p), way: { as: "tier", tier: ref } }));
  const role = g.roles.roles[ref];
  if (!role) return [];
  const out: Holding[] = [];
  for (const h of role.holders ?? []) out.push({ subject: person(h), way: { as: "holder", role: ref } });
  const tiers = role.oncall === undefined ? [] : Array.isArray(role.oncall) ? role.oncall : [role.oncall];
  for (const t of tiers) for (const p of tierPeople(g, t)) out.push({ subject: person(p), way: { as: "on-call", role: ref, tier: t } });
  const backupsCount = !options.paging || ((role.holders?.length ?? 0) === 0 && tiers.length === 0);
  if (backupsCount) for (const b of role.backups ?? []) out.push({ subject: person(b), way: { as: "backup", role: ref } });
  return out;
}

/** The logins (and teams) that could ever act for a role: holders, backups, its tiers' people. */
const peopleOf = new WeakMap<Governance, Map<string, RolePeople>>();

export interface RolePeople {
  people: string[];
  teams: string[];
  unbounded: boolean;
}

export function rolePeople(g: Governance, ref: string): RolePeople {
  let memo = peopleOf.get(g);
  if (!memo) peopleOf.set(g, (memo = new Map()));
  let hit = memo.get(ref);
  if (!hit) memo.set(ref, (hit = rolePeopleUncached(g, ref)));
  return hit;
}

function rolePeopleUncached(g: Governance, ref: string): RolePeople {
  if (ref === ANYONE || ref === "assignees") return { people: [], teams: [], unbounded: true };
  const holdings = expandRef(g, ref);
  const people = unique(holdings.flatMap((h) => (h.subject.kind === "person" ? [h.subject.login] : [])));
  const teams = unique(holdings.flatMap((h) => (h.subject.kind === "team" ? [h.subject.team] : [])));
  return { people, teams, unbounded: teams.length > 0 };
}

const anyHeld = new WeakMap<Governance, boolean>();

/** Whether anyone at all could act as `everyone` (someone holds, backs up or is on call for some role). Remembered per model. */
export function anyRoleHeld(g: Governance): boolean {
  let hit = anyHeld.get(g);
  if (hit === undefined) anyHeld.set(g, (hit = Object.keys(g.roles.roles).some((x) => rolePeople(g, x).people.length > 0 || rolePeople(g, x).unbounded)));
  return hit;
}
