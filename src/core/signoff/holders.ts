/**
 * Who can sign for a signer at an instant: the holders and backups of a role (teams expanded,
 * on-call tiers resolved), a named user, or the members of a team. Read from the default
 * branch's roles.yml: someone removed from a role there no longer signs, whatever they approved.
 *
 * `anyone` means a person with access to the repository (GitHub's `author_association` of their
 * review), never any GitHub user who can review a public repository's pull request.
 */
import { hasRepositoryAccess } from "../access/association.js";
import { ANYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";
import { roleHolders, type TeamMembers } from "../roles/resolve.js";
import { sameLogin } from "./facts.js";
import type { Signer } from "./gate.js";

export interface SignerHolders {
  holders: string[];
  backups: string[];
  /** Teams whose members are not known (they sign nobody in; their members' change requests may veto). */
  unresolvedTeams: string[];
  /** `anyone`: every person with access to the repository may sign. */
  anyone: boolean;
}

export function signerHolders(g: Governance, s: Signer, at: Date, teams?: TeamMembers): SignerHolders {
  if (s.kind === "user") {
    if (!s.onBehalf || s.onBehalf.length === 0) return { holders: [s.login], backups: [], unresolvedTeams: [], anyone: false };
    // holders of an on-behalf role may sign in the person's place (never `anyone`: validated)
    const stand = s.onBehalf.filter((r) => r !== ANYONE).map((r) => roleHolders(g, r, at, teams));
    const backups = [...new Set(stand.flatMap((r) => [...r.holders, ...r.backups]))];
    return { holders: [s.login], backups, unresolvedTeams: stand.flatMap((r) => r.unresolvedTeams), anyone: false };
  }
  if (s.kind === "team") {
    const members = teams?.get(s.team.toLowerCase());
    return members ? { holders: [...members], backups: [], unresolvedTeams: [], anyone: false } : { holders: [], backups: [], unresolvedTeams: [s.team], anyone: false };
  }
  if (s.role === ANYONE) return { holders: [], backups: [], unresolvedTeams: [], anyone: true };
  const r = roleHolders(g, s.role, at, teams);
  return { holders: r.holders, backups: r.backups, unresolvedTeams: r.unresolvedTeams, anyone: false };
}

/** Someone acting on the pull request: a login, and GitHub's association of what they wrote (for `anyone`). */
export interface Actor {
  login: string;
  association?: string | undefined;
}

/**
 * Whether `who` holds the signer. A bare login is checked against the named holders only; for
 * `anyone` the person's association must show access to the repository.
 */
export function canSign(h: SignerHolders, who: string | Actor): boolean {
  const actor = typeof who === "string" ? { login: who } : who;
  if (h.anyone) return hasRepositoryAccess(actor.association);
  return h.holders.some((x) => sameLogin(x, actor.login)) || h.backups.some((x) => sameLogin(x, actor.login));
}

/** The `org/team` teams whose members are needed to evaluate `signers` and `roles` (lower-cased). */
export function teamsReferenced(g: Governance, signers: readonly Signer[], roles: readonly string[] = []): string[] {
  const out = new Set<string>();
  const fromRole = (id: string) => {
    const role = g.roles.roles[id];
    for (const p of [...(role?.holders ?? []), ...(role?.backups ?? [])]) if (p.includes("/")) out.add(p.toLowerCase());
  };
  for (const s of signers) {
    if (s.kind === "team") out.add(s.team.toLowerCase());
    else if (s.kind === "role") fromRole(s.role);
    else s.onBehalf?.forEach(fromRole);
  }
  roles.forEach(fromRole);
  return [...out].sort();
}
