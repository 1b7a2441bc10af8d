import { ANYONE, EVERYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";
import { whoIsOnCall } from "../oncall/resolve.js";

/** Members of `org/team` teams, gathered from GitHub by an adapter (lower-cased logins). */
export type TeamMembers = ReadonlyMap<string, readonly string[]>;

export interface RoleHolders {
  role: string;
  /** Logins who currently hold the role (holders, teams expanded, or whoever is on call). */
  holders: string[];
  backups: string[];
  /** Teams that could not be expanded (no membership facts given). */
  unresolvedTeams: string[];
}

function expand(people: readonly string[] | undefined, teams: TeamMembers | undefined, unresolved: string[]): string[] {
  const out: string[] = [];
  for (const p of people ?? []) {
    if (p.includes("/")) {
      const members = teams?.get(p.toLowerCase());
      if (members) out.push(...members);
      else unresolved.push(p);
    } else out.push(p);
  }
  return out;
}

/** Logins without repeats, compared case-insensitively (GitHub logins are); the first spelling is kept. */
export function uniqueLogins(logins: readonly string[]): string[] {
  const seen = new Set<string>();
  return logins.filter((l) => {
    const k = l.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Who holds `roleId` at `at`. A role resolves from its holders (teams expanded from `teams`),
 * or from its on-call tiers at that instant. `schedule/tier` references resolve directly.
 */
export function roleHolders(g: Governance, roleId: string, at: Date, teams?: TeamMembers): RoleHolders {
  const unresolvedTeams: string[] = [];
  if (roleId.includes("/")) {
    return { role: roleId, holders: uniqueLogins(whoIsOnCall(g.oncall, roleId, at).who), backups: [], unresolvedTeams };
  }
  if (roleId === EVERYONE) {
    const all = Object.keys(g.roles.roles).flatMap((id) => roleHolders(g, id, at, teams).holders);
    return { role: roleId, holders: uniqueLogins(all), backups: [], unresolvedTeams };
  }
  const role = g.roles.roles[roleId];
  if (!role) return { role: roleId, holders: [], backups: [], unresolvedTeams };
  const fromOncall = role.oncall === undefined ? [] : (Array.isArray(role.oncall) ? role.oncall : [role.oncall]).flatMap((ref) => whoIsOnCall(g.oncall, ref, at).who);
  const holders = uniqueLogins([...expand(role.holders, teams, unresolvedTeams), ...fromOncall]);
  const backups = uniqueLogins(expand(role.backups, teams, unresolvedTeams)).filter((b) => !holders.some((h) => h.toLowerCase() === b.toLowerCase()));
  return { role: roleId, holders, backups, unresolvedTeams };
}

/** Whether `login` may act as `roleId` at `at` (holder or backup; `anyone` admits everybody). */
export function holdsRole(g: Governance, roleId: string, login: string, at: Date, teams?: TeamMembers): boolean {
  if (roleId === ANYONE) return true;
  const { holders, backups } = roleHolders(g, roleId, at, teams);
  const l = login.toLowerCase();
  return holders.some((h) => h.toLowerCase() === l) || backups.some((b) => b.toLowerCase() === l);
}

/** The roles `login` holds at `at`, in roles.yml order. */
export function rolesOf(g: Governance, login: string, at: Date, teams?: TeamMembers): string[] {
  return Object.keys(g.roles.roles).filter((id) => holdsRole(g, id, login, at, teams));
}

/** A role's display title, or the id itself for tiers and unknown ids. */
export function roleTitle(g: Governance, roleId: string): string {
  if (roleId === EVERYONE) return "Everyone";
  if (roleId === ANYONE) return "Anyone";
  return g.roles.roles[roleId]?.title ?? roleId;
}
