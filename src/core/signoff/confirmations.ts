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
import { isTickedIn, normalizeText, proseLines, taskLine, tickedTexts } from "./body.js";
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

const strip = (s: string) => normalizeText(s).replace(/\.$/, "");

function wantedTexts(text: string, roleTitleText: string | undefined): string[] {
  return roleTitleText ? [strip(text), strip(`${roleTitleText}: ${text}`)] : [strip(text)];
}

/**
 * Everything a review's text can confirm, normalized: its ticked items and its lines of their own
 * (not quotes, not task items). Read once per review, whatever the number of confirmations.
 */
export function confirmingTexts(body: string): Set<string> {
  const said = new Set<string>();
  for (const raw of proseLines(body.slice(0, MAX_REVIEW))) {
    const item = taskLine(raw);
    if (item && item.mark !== " ") said.add(strip(item.text.trim()));
    let line = raw.trim();
    if (line.startsWith(">")) continue; // a quote of someone else's words
    if (line.startsWith("- ") || line.startsWith("* ") || line.startsWith("+ ")) line = line.slice(2).trim();
    if (line.startsWith("[")) continue; // a task item: only ticked ones count, read above
    said.add(strip(line));
  }
  return said;
}

/** Whether a review's text confirms `text`: a ticked item or a line of its own. */
export function reviewConfirms(body: string, text: string, roleTitleText?: string): boolean {
  const said = confirmingTexts(body);
  return wantedTexts(text, roleTitleText).some((w) => said.has(w));
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
  if (gate.confirmations.length === 0) return [];
  const saidIn = new Map<string, Set<string>>(); // each review's text read once, by its text
  const confirms = (body: string, wanted: readonly string[]) => {
    let said = saidIn.get(body);
    if (!said) saidIn.set(body, (said = confirmingTexts(body)));
    return wanted.some((w) => said.has(w));
  };
  const ticked = tickedTexts(input.facts.body.slice(0, MAX_REVIEW));
  return gate.confirmations.map((c) => {
    const title = c.role ? roleTitle(g, c.role) : undefined;
    const by = c.role
      ? [{ label: title!, holders: signerHolders(g, { kind: "role", role: c.role }, input.now, input.teams) }]
      : gate.signers.map((s, i) => ({ label: signerLabel(g, s), holders: input.holders[i]! }));
    const wanted = wantedTexts(c.text, title);
    let confirmedBy: string | undefined;
    for (const s of standings) {
      if (s.verdict !== "approved") continue;
      const reviews: readonly ReviewFact[] = s.headApprovals ?? (s.review ? [s.review] : []);
      const actor = { login: s.login, association: s.review?.association };
      if (!by.some((b) => canSign(b.holders, actor))) continue;
      if (reviews.some((r) => confirms(r.body ?? "", wanted))) {
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
      tickedInDescription: isTickedIn(ticked, c.text, title),
    };
  });
}
