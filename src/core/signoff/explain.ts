/**
 * `/explain` on a pull request: the sign-off tree in words, including who could still sign
 * each role. Charter keeps one such comment per pull request (found by its hidden marker).
 */
import type { GateResult, SignerResult, SignoffTree } from "./evaluate.js";
import { andList, at, blockerText, confirmersText, governanceLink, shortSha, sourceText, teamName, unreadableTeamSentence, vetoSentence, type GovernanceRef } from "./words.js";

export const EXPLAIN_MARKER = "<!-- charter:explain -->";

function signerSentence(s: SignerResult, author: string): string {
  const could = s.couldSign.length > 0 ? ` Could sign: ${andList(s.couldSign.map(at))}.` : s.holders.anyone ? " Anyone with access to the repository but the author could sign." : ` Nobody else holds it${s.holders.unresolvedTeams.length > 0 ? ` (members of ${andList(s.holders.unresolvedTeams.map(teamName))} cannot be read)` : ""}.`;
  const stale = s.staleApprovals.length > 0 ? ` ${andList(s.staleApprovals.map((a) => at(a.login)))} approved an older commit (${andList(s.staleApprovals.map((a) => `\`${shortSha(a.commitId)}\``))}): that does not count; approve the head commit again.` : "";
  const elsewhere = s.signsElsewhere.length > 0 ? ` ${andList(s.signsElsewhere.map((e) => `${at(e.login)} already signs as ${e.as}`))} (one person signs one role).` : "";
  if (s.status === "signed" && s.vetoedBy.length === 0) return `- **${s.label}**: signed by ${at(s.signedBy!)}.`;
  if (s.status === "vetoed") {
    return `- **${s.label}**: vetoed by ${andList(s.vetoedBy.map(at))}. A change request stands until the same person approves, or it is dismissed by them or another holder of the role.${s.signedBy ? ` (${at(s.signedBy)} signed, but any single veto blocks.)` : could}${stale}`;
  }
  const authorNote = s.holders.holders.concat(s.holders.backups).some((h) => h.toLowerCase() === author.toLowerCase()) ? ` The author, ${at(author)}, holds this role but cannot sign their own pull request.` : "";
  return `- **${s.label}**: not signed yet.${could}${stale}${elsewhere}${authorNote}`;
}

function gateWords(r: GateResult, tree: SignoffTree, ref: GovernanceRef): string[] {
  const lines = [`#### ${r.passed ? "✅" : "❌"} ${r.gate.title}`, "", `Why it applies: ${r.gate.reasons.join("; ")}. Rule: ${sourceText(ref, r.gate)}.`];
  if (r.gate.refusal !== undefined) {
    lines.push("", `🚫 This change is refused whoever signs: ${r.gate.refusal}.`);
    return lines;
  }
  const veto = r.gate.veto === "any-approver" ? "a change request by any holder of a required role blocks" : r.gate.veto === "none" ? "change requests do not block" : `change requests by ${andList(r.vetoLabels)} block`;
  lines.push(`Each signer approves the head commit \`${shortSha(tree.headSha)}\`; ${veto}${r.gate.distinct ? "; each role needs a different person" : ""}.`, "");
  for (const s of r.signers) lines.push(signerSentence(s, tree.author));
  for (const n of r.gate.notices ?? []) lines.push(`- ⚠️ ${n}.`);
  for (const v of r.vetoes) if (v.dismissed || v.possibly.length > 0 || !r.signers.some((s) => s.vetoedBy.includes(v.login))) lines.push(`- ${vetoSentence(v, r.gate.title)}.`);
  const missing = r.confirmations.filter((c) => !c.confirmed);
  if (r.confirmations.length > 0) {
    lines.push(missing.length === 0 ? `- Confirmations: all given (${andList(r.confirmations.map((c) => `by ${at(c.confirmedBy ?? "?")}`))}).` : "- Confirmations not given yet. A tick in the description does not count: the person who confirms pastes the line into the text of their approving review of the head commit:");
    for (const c of missing) lines.push(`  - \`${c.line}\` by ${confirmersText(c)}${c.tickedInDescription ? " (ticked in the description, which does not count)" : ""}`);
  }
  if (r.missingForm.length > 0) lines.push(`- Sign-off form: fill in ${andList(r.missingForm.map((f) => `\`${f}:\``))} in the description.`);
  for (const b of r.freeze) lines.push(`- Frozen: ${blockerText(b)}.`);
  return lines;
}

/** The body of Charter's `/explain` comment. */
export function explainComment(tree: SignoffTree, ref: GovernanceRef, pr: { number: number }): string {
  const lines = [EXPLAIN_MARKER, `### Charter sign-off for #${pr.number} at \`${shortSha(tree.headSha)}\``, ""];
  if (tree.gates.length === 0) {
    lines.push("No gate applies: this pull request changes no phase, kill-switch or owned path, so it needs no sign-off from Charter.");
  } else {
    lines.push(
      tree.passed ? "Every gate passes: the `Charter sign-off` check is green." : `${tree.gates.filter((r) => !r.passed).length} of ${tree.gates.length} gate${tree.gates.length === 1 ? "" : "s"} not passed yet: the \`Charter sign-off\` check stays red until all pass.`,
    );
    for (const r of tree.gates) lines.push("", ...gateWords(r, tree, ref));
  }
  if (tree.unreadableTeams.length > 0) {
    lines.push("", "Teams Charter cannot read (they sign nobody in, and a change request by anyone who might be a member counts as a veto):");
    for (const t of tree.unreadableTeams) lines.push(`- ${unreadableTeamSentence(t)}.`);
  }
  if (tree.ignored.length > 0) {
    lines.push("", "Reviews that do not count:");
    for (const x of tree.ignored) lines.push(`- ${at(x.login)}: ${x.why}.`);
  }
  lines.push("", `Rules read from \`${ref.branch}\` at \`${shortSha(ref.sha)}\` ([roles.yml](${governanceLink(ref, "roles.yml")}), [authority.yml](${governanceLink(ref, "authority.yml")}), [OWNERS](${governanceLink(ref, "OWNERS")})). This comment is updated each time someone runs \`/explain\`.`);
  return lines.join("\n");
}
