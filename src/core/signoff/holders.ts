/**
 * Who can sign for a signer at an instant: the holders and backups of a role (teams expanded,
 * on-call tiers resolved), a named user, or the members of a team. Read from the default
 * branch's roles.yml: someone removed from a role there no longer signs, whatever they approved.
 */
import { ANYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";
import { roleHolders, type TeamMembers } from "../roles/resolve.js";
import { sameLogin } from "./facts.js";
import type { Signer } from "./gate.js";

export interface SignerHolders {
  holders: string[];
  backups: string[];
  /** Teams whose members are not known (they sign nobody in). */
  unresolvedTeams: string[];
  /** `anyone`: every person who can review may sign. */
  anyone: boolean;
}

export function signerHolders(g: Governance, s: Signer, at: Date, teams?: TeamMembers): SignerHolders {
  if (s.kind === "user") return { holders: [s.login], backups: [], unresolvedTeams: [], anyone: false };
  if (s.kind === "team") {
    const members = teams?.get(s.team.toLowerCase());
    return members ? { holders: [...members], backups: [], unresolvedTeams: [], anyone: false } : { holders: [], backups: [], unresolvedTeams: [s.team], anyone: false };
  }
  if (s.role === ANYONE) return { holders: [], backups: [], unresolvedTeams: [], anyone: true };
  const r = roleHolders(g, s.role, at, teams);
  return { holders: r.holders, backups: r.backups, unresolvedTeams: r.unresolvedTeams, anyone: false };
}

export function canSign(h: SignerHolders, login: string): boolean {
  return h.anyone || h.holders.some((x) => sameLogin(x, login)) || h.backups.some((x) => sameLogin(x, login));
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
  }
  roles.forEach(fromRole);
  return [...out].sort();
}
