/**
 * Sign-off evaluation: for each gate, which signer is signed, missing or vetoed, by whom, who
 * could still sign, which approvals are stale, which confirmations are unticked, which form
 * fields are empty and what freezes it. The result is a tree: the check run and `/explain` are
 * both renderings of it.
 */
import type { Governance } from "../model/governance.js";
import type { TeamMembers } from "../roles/resolve.js";
import { roleTitle, uniqueLogins } from "../roles/resolve.js";
import { isTicked, missingFormFields } from "./body.js";
import { isBot, sameLogin, type IncidentFact, type PullRequestFacts, type ReviewFact } from "./facts.js";
import { freezeBlockers, type FreezeBlocker } from "./freeze.js";
import { signerLabel, type RequiredConfirmation, type Signer, type SignoffGate } from "./gate.js";
import { canSign, signerHolders, type SignerHolders } from "./holders.js";
import { maximumMatching } from "./matching.js";
import { reviewerStandings, type ReviewerStanding } from "./reviews.js";

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
  /** Holders and backups who have not signed this gate, minus the author and bots. */
  couldSign: string[];
}

export interface VetoResult {
  login: string;
  /** The signers (or veto roles) the person holds, for people. */
  as: string[];
  reviewId: number;
  commitId: string | null;
  /** The change request was made on an older commit (it still stands). */
  onOlderCommit: boolean;
}

export interface ConfirmationResult extends RequiredConfirmation {
  ticked: boolean;
  /** How to write it in the description. */
  line: string;
}

export interface GateResult {
  gate: SignoffGate;
  passed: boolean;
  signers: SignerResult[];
  vetoes: VetoResult[];
  confirmations: ConfirmationResult[];
  missingForm: string[];
  freeze: FreezeBlocker[];
}

export interface IgnoredReview {
  login: string;
  why: string;
}

export interface SignoffTree {
  headSha: string;
  author: string;
  gates: GateResult[];
  passed: boolean;
  reviewers: ReviewerStanding[];
  /** Reviews that do not count anywhere, with the reason. */
  ignored: IgnoredReview[];
}

export interface EvaluationInput {
  governance: Governance;
  facts: PullRequestFacts;
  gates: readonly SignoffGate[];
  reviews: readonly ReviewFact[];
  now: Date;
  teams?: TeamMembers;
  /** Open incidents of freezing severities (only needed when a gate freezes). */
  incidents?: readonly IncidentFact[];
}

const short = (sha: string | null | undefined) => (sha ?? "unknown").slice(0, 7);


function vetoRoles(g: Governance, gate: SignoffGate, holders: SignerHolders[], at: Date, teams: TeamMembers | undefined): { label: string; holds: (login: string) => boolean }[] {
  if (gate.veto === "none") return [];
  if (gate.veto === "any-approver") return gate.signers.map((s, i) => ({ label: signerLabel(g, s), holds: (login: string) => canSign(holders[i]!, login) }));
  return gate.veto.map((role) => {
    const h = signerHolders(g, { kind: "role", role }, at, teams);
    return { label: roleTitle(g, role), holds: (login: string) => canSign(h, login) };
  });
}

function evaluateGate(input: EvaluationInput, gate: SignoffGate, standings: readonly ReviewerStanding[], blockers: readonly FreezeBlocker[]): GateResult {
  const { governance: g, facts, now, teams } = input;
  const author = facts.author.login;
  const holders = gate.signers.map((s) => signerHolders(g, s, now, teams));
  const approvers = standings.filter((s) => s.verdict === "approved");
  const candidates = holders.map((h) => approvers.filter((a) => canSign(h, a.login)).map((a) => a.login.toLowerCase()));
  const assigned = gate.distinct ? maximumMatching(candidates) : candidates.map((c) => c[0]);
  const loginOf = (key: string | undefined) => (key === undefined ? undefined : approvers.find((a) => a.login.toLowerCase() === key)?.login);
  const signedInGate = new Set(assigned.filter((k): k is string => k !== undefined));

  const vetoers = vetoRoles(g, gate, holders, now, teams);
  const vetoes: VetoResult[] = [];
  for (const s of standings) {
    if (s.verdict !== "changes-requested" || !s.review) continue;
    const as = vetoers.filter((v) => v.holds(s.login)).map((v) => v.label);
    if (as.length === 0) continue;
    vetoes.push({ login: s.login, as: [...new Set(as)], reviewId: s.review.id, commitId: s.review.commitId, onOlderCommit: s.review.commitId !== facts.headSha });
  }

  const signers: SignerResult[] = gate.signers.map((signer, i) => {
    const h = holders[i]!;
    const label = signerLabel(g, signer);
    const signedBy = loginOf(assigned[i]);
    const vetoedBy = vetoes.filter((v) => canSign(h, v.login)).map((v) => v.login);
    const staleApprovals = standings.filter((s) => s.verdict === "stale" && canSign(h, s.login)).map((s) => ({ login: s.login, commitId: s.review?.commitId ?? null }));
    const signsElsewhere = signedBy
      ? []
      : approvers
          .filter((a) => canSign(h, a.login))
          .flatMap((a) => {
            const j = assigned.indexOf(a.login.toLowerCase());
            return j >= 0 && j !== i ? [{ login: a.login, as: signerLabel(g, gate.signers[j]!) }] : [];
          });
    const couldSign = uniqueLogins([...h.holders, ...h.backups]).filter((l) => !sameLogin(l, author) && !isBot(l) && !signedInGate.has(l.toLowerCase()));
    const status: SignerStatus = vetoedBy.length > 0 ? "vetoed" : signedBy ? "signed" : "missing";
    return { signer, label, holders: h, status, ...(signedBy ? { signedBy } : {}), staleApprovals, vetoedBy, signsElsewhere, couldSign };
  });

  const confirmations: ConfirmationResult[] = gate.confirmations.map((c) => {
    const title = c.role ? roleTitle(g, c.role) : undefined;
    return { ...c, ticked: isTicked(facts.body, c.text, title), line: `- [x] ${title ? `${title}: ` : ""}${c.text}` };
  });
  const missingForm = gate.form.length > 0 ? missingFormFields(facts.body, gate.form) : [];
  const freeze = gate.freeze ? [...blockers] : [];
  const passed =
    gate.refusal === undefined &&
    signers.every((s) => s.status === "signed") &&
    vetoes.length === 0 &&
    confirmations.every((c) => c.ticked) &&
    missingForm.length === 0 &&
    freeze.length === 0;
  return { gate, passed, signers, vetoes, confirmations, missingForm, freeze };
}

function ignoredReviews(standings: readonly ReviewerStanding[], gates: readonly GateResult[], headSha: string): IgnoredReview[] {
  const out: IgnoredReview[] = [];
  for (const s of standings) {
    const state = s.review?.state;
    switch (s.verdict) {
      case "author":
        out.push({ login: s.login, why: "the author of the pull request: their own review never counts" });
        break;
      case "bot":
        out.push({ login: s.login, why: "a bot: bot reviews never count" });
        break;
      case "stale":
        out.push({ login: s.login, why: `approved an older commit (${short(s.review?.commitId)}), not the head (${short(headSha)}): approve again to sign` });
        break;
      case "approved": {
        const counted = gates.some((r) => r.signers.some((x) => x.signedBy !== undefined && sameLogin(x.signedBy, s.login)));
        const holds = gates.some((r) => r.signers.some((x) => canSign(x.holders, s.login)));
        if (!holds) out.push({ login: s.login, why: "approved, but holds none of the roles that must sign (governance/roles.yml on the default branch, now)" });
        else if (!counted) {
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
      case "dismissed":
      case "commented":
        if (state === "DISMISSED") out.push({ login: s.login, why: "their latest review was dismissed" });
        break;
    }
  }
  return out;
}

/** Evaluate every gate against the reviews, the role holders at `now` and the freeze. */
export function evaluateSignoff(input: EvaluationInput): SignoffTree {
  const { facts } = input;
  const standings = reviewerStandings(input.reviews, { headSha: facts.headSha, author: facts.author.login });
  const blockers = input.gates.some((gate) => gate.freeze) ? freezeBlockers(input.governance, input.incidents ?? []) : [];
  const gates = input.gates.map((gate) => evaluateGate(input, gate, standings, blockers));
  return {
    headSha: facts.headSha,
    author: facts.author.login,
    gates,
    passed: gates.every((r) => r.passed),
    reviewers: standings,
    ignored: ignoredReviews(standings, gates, facts.headSha),
  };
}
