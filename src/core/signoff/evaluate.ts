/**
 * Sign-off evaluation: for each gate, which signer is signed, missing or vetoed, by whom, who
 * could still sign, which approvals are stale, which confirmations are not given, which form
 * fields are empty and what freezes it. The result is a tree: the check run and `/explain` are
 * both renderings of it.
 */
import { hasRepositoryAccess } from "../access/association.js";
import type { Governance } from "../model/governance.js";
import type { TeamMembers } from "../roles/resolve.js";
import { uniqueLogins } from "../roles/resolve.js";
import { missingFormFields } from "./body.js";
import { confirmationResults, type ConfirmationResult } from "./confirmations.js";
import { isBot, sameLogin, type DismissalFact, type IncidentFact, type PullRequestFacts, type ReviewFact } from "./facts.js";
import { breakGlassStanding, type BreakGlassFact, type BreakGlassStanding } from "./breakglass.js";
import { freezeBlockers, type FreezeBlocker } from "./freeze.js";
import { signerLabel, type Signer, type SignoffGate } from "./gate.js";
import { canSign, signerHolders, type SignerHolders } from "./holders.js";
import { maximumMatching } from "./matching.js";
import { selfOf } from "./request.js";
import { reviewerStandings, type ReviewerStanding } from "./reviews.js";
import type { SelectionState } from "./selection.js";
import { gateVetoes, vetoRoles, type LiftedVeto, type VetoResult } from "./veto.js";
import { utcTime } from "../killswitch/log.js";
import { expiresAt, hasExpired } from "./timing.js";
import { at, shortSha } from "./words.js";

export type { ConfirmationResult } from "./confirmations.js";
export type { VetoResult } from "./veto.js";

export type SignerStatus = "signed" | "missing" | "vetoed";

export interface SignerResult {
  signer: Signer;
  /** `SRE Lead`, `@alice`, `@acme/dba`. */
  label: string;
  holders: SignerHolders;
  status: SignerStatus;
  /** Whose approval of the head commit counts for this signer. */
  signedBy?: string;
  /** Holders whose latest approval is of an older commit. */
  staleApprovals: { login: string; commitId: string | null }[];
  /** Holders whose change request stands (and may veto under the gate's rule). */
  vetoedBy: string[];
  /** Holders who approved the head but sign for another signer of this gate (four eyes). */
  signsElsewhere: { login: string; as: string }[];
  /** Holders whose approval of the head is older than the gate's `valid_for`: when given, when it expired. */
  expired: ExpiredApproval[];
  /** Holders and backups who have not signed this gate, minus the author and bots. */
  couldSign: string[];
}

export interface ExpiredApproval {
  login: string;
  /** ISO instant the approval was given. */
  at: string | null;
  /** When it stopped counting. */
  expiredAt: Date;
}

export interface GateResult {
  gate: SignoffGate;
  passed: boolean;
  signers: SignerResult[];
  vetoes: VetoResult[];
  /** The roles (or signers) whose change requests block this gate. */
  vetoLabels: string[];
  /** Change requests a dismissal by the vetoer or a holder of the role lifted. */
  lifted: LiftedVeto[];
  confirmations: ConfirmationResult[];
  missingForm: string[];
  freeze: FreezeBlocker[];
  /** The earliest instant a counted approval of this gate expires (its `valid_for`), if any. */
  expiresAt?: Date;
}

export interface IgnoredReview {
  login: string;
  why: string;
}

/** A team holding a role whose members Charter cannot read, and GitHub's answer. */
export interface UnreadableTeam {
  team: string;
  /** HTTP status GitHub answered (403, 404). */
  status: number;
}

export interface SignoffTree {
  headSha: string;
  author: string;
  gates: GateResult[];
  passed: boolean;
  reviewers: ReviewerStanding[];
  /** Reviews that do not count anywhere, with the reason. */
  ignored: IgnoredReview[];
  /** Teams whose members could not be read, among those the gates need. */
  unreadableTeams: UnreadableTeam[];
  /** What the description declares that selects the gates, and since when (Charter's record). */
  selection?: SelectionState;
  /** The next instant the verdict may change by time alone (an approval expiring), for timed re-evaluation. */
  nextChange?: Date;
  /** A break-glass on this pull request (from the default branch's log): applied, or why not. */
  breakGlass?: BreakGlassStanding;
}

export interface EvaluationInput {
  governance: Governance;
  facts: PullRequestFacts;
  gates: readonly SignoffGate[];
  reviews: readonly ReviewFact[];
  now: Date;
  teams?: TeamMembers;
  /** Teams GitHub would not list (lower-cased `org/team` → HTTP status). */
  unreadableTeams?: ReadonlyMap<string, number>;
  /** `review_dismissed` events of the pull request's timeline (only needed when a review is dismissed). */
  dismissals?: readonly DismissalFact[];
  /** Since when the declarations that select the gates are as they are (src/core/signoff/selection.ts). */
  selection?: SelectionState;
  /** Open incidents of freezing severities (only needed when a gate freezes). */
  incidents?: readonly IncidentFact[];
  /** A break-glass logged on the default branch for this pull request (src/core/signoff/breakglass.ts). */
  breakGlass?: BreakGlassFact;
}

function actorOf(s: ReviewerStanding) {
  return { login: s.login, association: s.review?.association };
}

function evaluateGate(input: EvaluationInput, gate: SignoffGate, standings: readonly ReviewerStanding[], blockers: readonly FreezeBlocker[]): GateResult {
  const { governance: g, facts, now, teams } = input;
  const author = selfOf(facts).login;
  const holders = gate.signers.map((s) => signerHolders(g, s, now, teams));
  // approvals older than the gate's `valid_for` no longer count here (another gate may accept them)
  const expiredHere = (s: ReviewerStanding) => s.verdict === "approved" && s.review !== undefined && hasExpired(gate, s.review, now);
  const gateStandings: ReviewerStanding[] = gate.validFor
    ? standings.map((s) => (expiredHere(s) ? { ...s, verdict: "expired" } : s.headApprovals ? { ...s, headApprovals: s.headApprovals.filter((r) => !hasExpired(gate, r, now)) } : s))
    : [...standings];
  const approvers = gateStandings.filter((s) => s.verdict === "approved");
  const candidates = holders.map((h) => approvers.filter((a) => canSign(h, actorOf(a))).map((a) => a.login.toLowerCase()));
  const assigned = gate.distinct ? maximumMatching(candidates) : candidates.map((c) => c[0]);
  const loginOf = (key: string | undefined) => (key === undefined ? undefined : approvers.find((a) => a.login.toLowerCase() === key)?.login);
  const signedInGate = new Set(assigned.filter((k): k is string => k !== undefined));

  const roles = vetoRoles(g, gate, holders, now, teams);
  const { vetoes, lifted } = gateVetoes({ roles, standings, author, headSha: facts.headSha });

  const signers: SignerResult[] = gate.signers.map((signer, i) => {
    const h = holders[i]!;
    const label = signerLabel(g, signer);
    const signedBy = loginOf(assigned[i]);
    const vetoedBy = vetoes.filter((v) => v.as.includes(label) || v.possibly.some((p) => p.label === label)).map((v) => v.login);
    const staleApprovals = standings.filter((s) => s.verdict === "stale" && canSign(h, actorOf(s))).map((s) => ({ login: s.login, commitId: s.review?.commitId ?? null }));
    const expired = gateStandings
      .filter((s) => s.verdict === "expired" && canSign(h, actorOf(s)))
      .map((s) => ({ login: s.login, at: s.review?.submittedAt ?? null, expiredAt: expiresAt(gate, s.review!)! }));
    const signsElsewhere = signedBy
      ? []
      : approvers
          .filter((a) => canSign(h, actorOf(a)))
          .flatMap((a) => {
            const j = assigned.indexOf(a.login.toLowerCase());
            return j >= 0 && j !== i ? [{ login: a.login, as: signerLabel(g, gate.signers[j]!) }] : [];
          });
    const couldSign = uniqueLogins([...h.holders, ...h.backups]).filter((l) => !sameLogin(l, author) && !isBot(l) && !signedInGate.has(l.toLowerCase()));
    const status: SignerStatus = vetoedBy.length > 0 ? "vetoed" : signedBy ? "signed" : "missing";
    return { signer, label, holders: h, status, ...(signedBy ? { signedBy } : {}), staleApprovals, vetoedBy, signsElsewhere, couldSign, expired };
  });

  const confirmations = confirmationResults({ governance: g, gate, holders, standings: gateStandings, facts, now, teams });
  const missingForm = gate.form.length > 0 ? missingFormFields(facts.body, gate.form) : [];
  const freeze = gate.freeze ? [...blockers] : [];
  const passed =
    gate.refusal === undefined &&
    signers.every((s) => s.status === "signed") &&
    vetoes.length === 0 &&
    confirmations.every((c) => c.confirmed) &&
    missingForm.length === 0 &&
    freeze.length === 0;
  // the earliest a counted approval (a signature, or a confirmation's review) stops counting
  const counted = approvers.filter((a) => signedInGate.has(a.login.toLowerCase()) || confirmations.some((c) => c.confirmedBy !== undefined && sameLogin(c.confirmedBy, a.login)));
  const ends = counted.flatMap((a) => [a.review!, ...(a.headApprovals ?? [])].map((r) => expiresAt(gate, r)?.getTime() ?? Number.POSITIVE_INFINITY));
  const soonest = Math.min(Number.POSITIVE_INFINITY, ...ends);
  const expiresAtGate = Number.isFinite(soonest) ? { expiresAt: new Date(soonest) } : {};
  return { gate, passed, signers, vetoes, vetoLabels: [...new Set(roles.map((r) => r.label))], lifted, confirmations, missingForm, freeze, ...expiresAtGate };
}

function beforeChangeWords(selection: SelectionState | undefined): string {
  const declarations = selection?.declarations ?? [];
  const when = selection?.since ?? "now";
  if (selection?.how === "changed") {
    const what = declarations.length > 0 ? declarations.map((d) => `${d.what} changed to ${d.shown}`).join(" and ") : "what the description declares changed";
    return `approved before ${what} at ${when}: approve again`;
  }
  const what = declarations.length > 0 ? declarations.map((d) => `${d.what} ${d.shown}`).join(" and ") : "what the description declares";
  return `approved before Charter recorded ${what} for this commit (at ${when}): approve again`;
}

function ignoredReviews(standings: readonly ReviewerStanding[], gates: readonly GateResult[], headSha: string, selection: SelectionState | undefined, requested: boolean): IgnoredReview[] {
  const out: IgnoredReview[] = [];
  const anyoneGate = gates.some((r) => r.signers.some((x) => x.holders.anyone));
  for (const s of standings) {
    const state = s.review?.state;
    switch (s.verdict) {
      case "author":
        out.push({ login: s.login, why: requested ? "asked Charter for this pull request (its sealed request): their own review never counts" : "the author of the pull request: their own review never counts" });
        break;
      case "bot":
        out.push({ login: s.login, why: "a bot: bot reviews never count" });
        break;
      case "stale":
        out.push({ login: s.login, why: `approved an older commit (${shortSha(s.review?.commitId)}), not the head (${shortSha(headSha)}): approve again to sign` });
        break;
      case "before-change":
        out.push({ login: s.login, why: beforeChangeWords(selection) });
        break;
      case "approved": {
        const counted = gates.some((r) => r.signers.some((x) => x.signedBy !== undefined && sameLogin(x.signedBy, s.login)));
        const holds = gates.some((r) => r.signers.some((x) => canSign(x.holders, actorOf(s))));
        const expired = gates.flatMap((r) => r.signers.flatMap((x) => x.expired.filter((e) => sameLogin(e.login, s.login)).map((e) => ({ gate: r.gate, e }))));
        if (!counted && expired.length > 0) {
          const { gate, e } = expired[0]!;
          out.push({ login: s.login, why: `approved at ${whenText(e.at)}, and that approval expired at ${utcTime(e.expiredAt)}: ${gate.title} accepts approvals for ${gate.validFor!.text} (authority.yml \`${gate.validFor!.where}\`). Approve again to sign` });
        } else if (!holds) {
          const noAccess = anyoneGate && !hasRepositoryAccess(s.review?.association);
          out.push({
            login: s.login,
            why: noAccess
              ? "approved, but has no access to this repository: `anyone` means people with access (GitHub's author association of the review), never any GitHub user"
              : "approved, but holds none of the roles that must sign (governance/roles.yml on the default branch, now)",
          });
        } else if (!counted) {
          const elsewhere = gates.flatMap((r) => r.signers.flatMap((x) => x.signsElsewhere.filter((e) => sameLogin(e.login, s.login))));
          if (elsewhere.length > 0) out.push({ login: s.login, why: `approved, but already signs as ${elsewhere[0]!.as}: one person signs one role per gate (four eyes)` });
        }
        break;
      }
      case "changes-requested": {
        const vetoes = gates.some((r) => r.vetoes.some((v) => sameLogin(v.login, s.login)));
        if (!vetoes && gates.length > 0) out.push({ login: s.login, why: "requested changes, but holds no role whose change request blocks these gates" });
        break;
      }
      case "dismissed": {
        if (gates.some((r) => r.vetoes.some((v) => sameLogin(v.login, s.login)))) break; // still a veto: said there
        const lift = gates.flatMap((r) => r.lifted).find((l) => sameLogin(l.login, s.login));
        if (lift) out.push({ login: s.login, why: `their change request was dismissed by ${sameLogin(lift.by, s.login) ? "themselves" : `${at(lift.by)}, who holds ${lift.as.join(", ")}`}: it no longer blocks` });
        else if (state === "DISMISSED") out.push({ login: s.login, why: "their latest review was dismissed" });
        break;
      }
      case "commented":
        break;
    }
  }
  return out;
}

/** Evaluate every gate against the reviews, the role holders at `now` and the freeze. */
export function evaluateSignoff(input: EvaluationInput): SignoffTree {
  const { facts } = input;
  const standings = reviewerStandings(input.reviews, {
    headSha: facts.headSha,
    author: selfOf(facts).login,
    ...(input.dismissals ? { dismissals: input.dismissals } : {}),
    ...(input.selection?.since ? { selectionSince: input.selection.since } : {}),
  });
  const blockers = input.gates.some((gate) => gate.freeze) ? freezeBlockers(input.governance, input.incidents ?? []) : [];
  const gates = input.gates.map((gate) => evaluateGate(input, gate, standings, blockers));
  const needed = new Set(gates.flatMap((r) => [...r.signers.flatMap((s) => s.holders.unresolvedTeams), ...r.vetoes.flatMap((v) => v.possibly.flatMap((p) => p.teams))].map((t) => t.toLowerCase())));
  const unreadableTeams = [...needed].sort().map((team) => ({ team, status: input.unreadableTeams?.get(team) ?? 404 }));
  const soonest = Math.min(Number.POSITIVE_INFINITY, ...gates.map((r) => r.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY));
  const signed = gates.every((r) => r.passed);
  const breakGlass = !signed && input.breakGlass ? breakGlassStanding(input.governance, input.breakGlass, { gates, headSha: facts.headSha }, facts) : undefined;
  return {
    headSha: facts.headSha,
    author: facts.author.login,
    gates,
    passed: signed || breakGlass?.applied === true,
    ...(breakGlass ? { breakGlass } : {}),
    reviewers: standings,
    ignored: ignoredReviews(standings, gates, facts.headSha, input.selection, selfOf(facts).requested),
    unreadableTeams,
    ...(input.selection ? { selection: input.selection } : {}),
    ...(Number.isFinite(soonest) ? { nextChange: new Date(soonest) } : {}),
  };
}

/** `2025-06-02 10:00 UTC` for a review's ISO time (`an unknown time` without one). */
function whenText(iso: string | null): string {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(t) ? "an unknown time" : utcTime(new Date(t));
}
