/**
 * Who a list of roles means at an instant, for mentions and pages: holders (and, on request,
 * backups), teams as `org/team`, `everyone` as every role's holders. Logins are unique
 * (case-insensitive) and keep their first spelling.
 */
import { hasRepositoryAccess } from "../access/association.js";
import { ANYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";
import { holdsRole, roleHolders, roleTitle, type TeamMembers } from "../roles/resolve.js";

export interface PeopleOptions {
  /** Add each role's backups after its holders (escalation pages). */
  backups?: boolean;
  /** Leave these logins out (the person who acted knows already). */
  exclude?: readonly string[];
  teams?: TeamMembers;
}

/** Logins (and `org/team` for teams not expanded) holding any of `roles` at `at`. */
export function peopleFor(g: Governance, roles: readonly string[], at: Date, options: PeopleOptions = {}): string[] {
  const out: string[] = [];
  const seen = new Set((options.exclude ?? []).map((l) => l.toLowerCase()));
  const add = (login: string) => {
    const k = login.toLowerCase();
    if (seen.has(k)) return;
    seen.add(k);
    out.push(login);
  };
  for (const role of roles) {
    if (role === ANYONE) continue;
    const h = roleHolders(g, role, at, options.teams);
    h.holders.forEach(add);
    h.unresolvedTeams.forEach(add);
    if (options.backups) h.backups.forEach(add);
  }
  return out;
}

/** `@a, @b` (or `nobody` when empty). */
export function mentions(logins: readonly string[]): string {
  return logins.length === 0 ? "nobody" : logins.map((l) => `@${l}`).join(", ");
}

/** `Ingestion Owner`, `On-Call and Ingestion Owner`, `Anyone`. */
export function roleTitles(g: Governance, roles: readonly string[], joiner = "and"): string {
  const t = roles.map((r) => roleTitle(g, r));
  if (t.length <= 1) return t.join("");
  return `${t.slice(0, -1).join(", ")} ${joiner} ${t[t.length - 1]}`;
}

/**
 * The roles of `roles` that `login` holds (or may act as, as a backup) at `at`. `anyone` counts
 * only when GitHub's `author_association` says the person has access to the repository: on a
 * public repository a stranger who can comment is not `anyone`.
 */
export function heldRoles(g: Governance, roles: readonly string[], login: string, at: Date, teams?: TeamMembers, association?: string | null): string[] {
  return roles.filter((r) => (r === ANYONE ? hasRepositoryAccess(association) : holdsRole(g, r, login, at, teams)));
}

/** `On-Call (now @olga-oncall, @omar-oncall)`: roles with who holds them now, for refusals. */
export function rolesWithHolders(g: Governance, roles: readonly string[], at: Date, teams?: TeamMembers): string {
  return roles
    .map((r) => {
      if (r === ANYONE) return "anyone with access to this repository";
      const people = peopleFor(g, [r], at, { teams, backups: true });
      return `${roleTitle(g, r)} (now ${people.length > 0 ? people.map((p) => `@${p}`).join(", ") : "nobody"})`;
    })
    .join(", ");
}

/** Same login, compared as GitHub does. */
export function sameLogin(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/**
 * Charter's own words with every `@login` and `@org/team` made silent (a zero-width space after the
 * `@`): for replies to people without access to the repository, who must not be able to make
 * Charter notify anyone by commenting. The text reads the same.
 */
export function quietMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9])/g, "@\u200b");
}
