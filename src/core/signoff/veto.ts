/**
 * Vetoes. A change request by someone whose change request blocks the gate (a holder of a
 * required role, or of a listed veto role) stands until:
 *
 * - the same person replaces it with an approval, or
 * - it is dismissed by the vetoer or by another holder of the same role.
 *
 * A dismissal by anyone else (the author, a writer without the role, a bot) does not lift it, and
 * the check says so; GitHub allows no second dismissal, so it then stands until the vetoer
 * approves. Another holder's approval never lifts it (any single veto blocks: D9 §6.2). Who
 * dismissed a review comes from the pull request's timeline; without that record, it stands.
 *
 * Teams whose members Charter cannot read do not drop vetoes: a change request by anyone who
 * might be a member of such a team holding a veto role counts as a possible veto (fail closed).
 */
import type { Governance } from "../model/governance.js";
import { roleTitle, type TeamMembers } from "../roles/resolve.js";
import { isBot, sameLogin, type DismissalFact } from "./facts.js";
import { signerLabel, type SignoffGate } from "./gate.js";
import { canSign, signerHolders, type SignerHolders } from "./holders.js";
import type { ReviewerStanding } from "./reviews.js";

/** A role (or signer) whose holders' change requests block the gate. */
export interface VetoRole {
  label: string;
  holders: SignerHolders;
}

/** A dismissal that did not lift the veto, and why. */
export interface StandingDismissal {
  /** Who dismissed it (undefined: the timeline does not record it). */
  by?: string;
  byAuthor: boolean;
  byBot: boolean;
  at?: string | null;
}

export interface VetoResult {
  login: string;
  /** The roles the person holds whose change request blocks the gate (those still standing). */
  as: string[];
  /** Roles the person may hold through teams Charter cannot read: counted as vetoes (fail closed). */
  possibly: { label: string; teams: string[] }[];
  reviewId: number;
  commitId: string | null;
  /** The change request was made on an older commit (it still stands). */
  onOlderCommit: boolean;
  /** The change request was dismissed by someone who could not lift it. */
  dismissed?: StandingDismissal;
  /** Who may still lift it (holders of the roles, for the words). */
  liftedBy: VetoRole[];
}

/** A change request lifted by a dismissal, for the words of the reviews that do not count. */
export interface LiftedVeto {
  login: string;
  by: string;
  as: string[];
}

export function vetoRoles(g: Governance, gate: SignoffGate, holders: readonly SignerHolders[], at: Date, teams: TeamMembers | undefined): VetoRole[] {
  if (gate.veto === "none") return [];
  if (gate.veto === "any-approver") return gate.signers.map((s, i) => ({ label: signerLabel(g, s), holders: holders[i]! }));
  return gate.veto.map((role) => ({ label: roleTitle(g, role), holders: signerHolders(g, { kind: "role", role }, at, teams) }));
}

export interface VetoInput {
  roles: readonly VetoRole[];
  standings: readonly ReviewerStanding[];
  author: string;
  headSha: string;
}

/** The vetoes standing on a gate, and the change requests a dismissal lifted. */
export function gateVetoes(input: VetoInput): { vetoes: VetoResult[]; lifted: LiftedVeto[] } {
  const { roles, standings, author } = input;
  const vetoes: VetoResult[] = [];
  const lifted: LiftedVeto[] = [];
  for (const s of standings) {
    const dismissed = s.verdict === "dismissed" && s.dismissed !== undefined && s.dismissed.changeRequest !== false;
    if ((s.verdict !== "changes-requested" && !dismissed) || !s.review) continue;
    const actor = { login: s.login, association: s.review.association };
    const held = roles.filter((r) => canSign(r.holders, actor));
    const maybe = roles.filter((r) => !held.includes(r) && r.holders.unresolvedTeams.length > 0);
    if (held.length === 0 && maybe.length === 0) continue;

    let standingHeld = held;
    let standingMaybe = maybe;
    let dismissal: StandingDismissal | undefined;
    if (dismissed) {
      const fact: DismissalFact | undefined = s.dismissed!.fact;
      const byAuthor = fact !== undefined && sameLogin(fact.by, author);
      const byBot = fact !== undefined && isBot(fact.by, fact.byType);
      const dismisserCounts = fact !== undefined && !byAuthor && !byBot;
      const liftedByDismissal = (r: VetoRole) => dismisserCounts && (sameLogin(fact!.by, s.login) || canSign(r.holders, fact!.by));
      standingHeld = held.filter((r) => !liftedByDismissal(r));
      standingMaybe = maybe.filter((r) => !liftedByDismissal(r));
      if (standingHeld.length === 0 && standingMaybe.length === 0) {
        lifted.push({ login: s.login, by: fact!.by, as: held.map((r) => r.label) });
        continue;
      }
      dismissal = { ...(fact ? { by: fact.by, at: fact.at } : {}), byAuthor, byBot };
    }
    vetoes.push({
      login: s.login,
      as: [...new Set(standingHeld.map((r) => r.label))],
      possibly: standingMaybe.map((r) => ({ label: r.label, teams: [...r.holders.unresolvedTeams] })),
      reviewId: s.review.id,
      commitId: s.review.commitId,
      onOlderCommit: s.review.commitId !== input.headSha,
      ...(dismissal ? { dismissed: dismissal } : {}),
      liftedBy: [...standingHeld, ...standingMaybe],
    });
  }
  return { vetoes, lifted };
}
