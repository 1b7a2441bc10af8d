/**
 * Confirmations (a gate's `confirmations`, a resume rule's `verify` steps) are bound to the
 * person who confirms. A tick in the description counts for nothing: anyone with write access
 * can tick it. A confirmation counts when a holder of its role (without a role: a holder of any
 * signer of the gate) writes it in the text of their approving review of the head commit, as a
 * ticked item `- [x] text` or as a line of its own (`Role title: text` is accepted too).
 *
 * The check shows exactly what to paste, and who may confirm.
 */
import type { Governance } from "../model/governance.js";
import { roleTitle, type TeamMembers } from "../roles/resolve.js";
import { isTicked, normalizeText, proseLines, taskItems } from "./body.js";
import type { PullRequestFacts, ReviewFact } from "./facts.js";
import { signerLabel, type RequiredConfirmation, type SignoffGate } from "./gate.js";
import { canSign, signerHolders, type SignerHolders } from "./holders.js";
import type { ReviewerStanding } from "./reviews.js";

/** Longest review text read for confirmations (GitHub's own limit for a body). */
const MAX_REVIEW = 65_536;

export interface ConfirmationResult extends RequiredConfirmation {
  confirmed: boolean;
  /** Who confirmed it, in their approving review of the head commit. */
  confirmedBy?: string;
  /** What to paste into the approving review. */
  line: string;
  /** Who may confirm: the role's holders (or every signer's). */
  by: { label: string; holders: SignerHolders }[];
  /** Ticked in the description: shown, not counted. */
  tickedInDescription: boolean;
}

function wantedTexts(text: string, roleTitleText: string | undefined): Set<string> {
  const strip = (s: string) => normalizeText(s).replace(/\.$/, "");
  const wanted = new Set([strip(text)]);
  if (roleTitleText) wanted.add(strip(`${roleTitleText}: ${text}`));
  return wanted;
}

/** Whether a review's text confirms `text`: a ticked item or a line of its own. */
export function reviewConfirms(body: string, text: string, roleTitleText?: string): boolean {
  const capped = body.slice(0, MAX_REVIEW);
  const wanted = wantedTexts(text, roleTitleText);
  const strip = (s: string) => normalizeText(s).replace(/\.$/, "");
  if (taskItems(capped).some((item) => item.ticked && wanted.has(strip(item.text)))) return true;
  for (const raw of proseLines(capped)) {
    let line = raw.trim();
    if (line.startsWith(">")) continue; // a quote of someone else's words
    if (line.startsWith("- ") || line.startsWith("* ") || line.startsWith("+ ")) line = line.slice(2).trim();
    if (line.startsWith("[")) continue; // a task item: only ticked ones count, read above
    if (wanted.has(strip(line))) return true;
  }
  return false;
}

export interface ConfirmationInput {
  governance: Governance;
  gate: SignoffGate;
  /** Holders of each of the gate's signers, in order. */
  holders: SignerHolders[];
  standings: readonly ReviewerStanding[];
  facts: Pick<PullRequestFacts, "body">;
  now: Date;
  teams?: TeamMembers | undefined;
}

/** Each of the gate's confirmations: given or not, by whom, and what to paste. */
export function confirmationResults(input: ConfirmationInput): ConfirmationResult[] {
  const { governance: g, gate, standings } = input;
  return gate.confirmations.map((c) => {
    const title = c.role ? roleTitle(g, c.role) : undefined;
    const by = c.role
      ? [{ label: title!, holders: signerHolders(g, { kind: "role", role: c.role }, input.now, input.teams) }]
      : gate.signers.map((s, i) => ({ label: signerLabel(g, s), holders: input.holders[i]! }));
    let confirmedBy: string | undefined;
    for (const s of standings) {
      if (s.verdict !== "approved") continue;
      const reviews: readonly ReviewFact[] = s.headApprovals ?? (s.review ? [s.review] : []);
      const actor = { login: s.login, association: s.review?.association };
      if (!by.some((b) => canSign(b.holders, actor))) continue;
      if (reviews.some((r) => reviewConfirms(r.body ?? "", c.text, title))) {
        confirmedBy = s.login;
        break;
      }
    }
    return {
      ...c,
      confirmed: confirmedBy !== undefined,
      ...(confirmedBy ? { confirmedBy } : {}),
      line: `- [x] ${c.text}`,
      by,
      tickedInDescription: isTicked(input.facts.body.slice(0, MAX_REVIEW), c.text, title),
    };
  });
}
