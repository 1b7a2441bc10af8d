/**
 * The `Charter sign-off` check run's verdict: conclusion, a one-line title saying what is
 * missing, and a Markdown summary a person understands at a glance.
 */
import type { SignerResult, SignoffTree } from "./evaluate.js";
import { utcTime } from "../killswitch/log.js";
import { recordExternalId } from "./selection.js";
import { andList, at, blockerText, confirmersText, governanceLink, holdersText, missingTitle, shortSha, sourceText, statusWord, teamName, unreadableTeamSentence, userText, vetoSentence, type GovernanceRef } from "./words.js";

/** The check's name. Stable: branch protection requires it by this name. */
export const CHECK_NAME = "Charter sign-off";

export interface CheckOutput {
  conclusion: "success" | "failure";
  title: string;
  summary: string;
  /** Charter's record of what the description declares (selection.ts), kept in the check run's `external_id`. */
  externalId?: string;
}

/** GitHub accepts at most 65535 characters of summary. */
const MAX_SUMMARY = 65_000;

/** A table cell: pipes not escaped yet (policy text; user text arrives neutralised) are escaped, lines joined. */
function cell(text: string): string {
  // most cells have neither: no copy; otherwise the runs between them are copied whole
  if (!text.includes("|") && !text.includes("\n")) return text;
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 124 /* | */ && text[i - 1] !== "\\") {
      out += `${text.slice(from, i)}\\|`;
      from = i + 1;
    } else if (code === 10 /* \n */) {
      out += `${text.slice(from, i)} `;
      from = i + 1;
    }
  }
  return out + text.slice(from);
}

function clip(summary: string): string {
  return summary.length > MAX_SUMMARY ? `${summary.slice(0, MAX_SUMMARY)}\n\n… (cut: run \`/explain\` on the pull request for the rest)` : summary;
}

function footer(ref: GovernanceRef): string {
  const files = ["roles.yml", "authority.yml", "OWNERS", "incidents.yml", "oncall.yml", "state/phase.yml", "state/killswitch.yml"];
  return [
    "---",
    `Policy read from \`${ref.branch}\` at [\`${shortSha(ref.sha)}\`](${ref.repoUrl}/commit/${ref.sha}), never from the pull request: ${files.map((f) => `[${f}](${governanceLink(ref, f)})`).join(" · ")}`,
    "",
    "Comment `/explain` on the pull request for this in words. Sign-off is an approving review of the head commit by a current holder of the role.",
  ].join("\n");
}

/** What the description declares that selected the gates, as Charter recorded it. */
function selectionLine(tree: SignoffTree): string[] {
  const sel = tree.selection;
  if (!sel || sel.declarations.length === 0 || !sel.since) return [];
  const what = sel.declarations.map((d) => `${d.what} ${d.shown}`).join(" and ");
  return ["", `Charter's record of what the description declares: ${what}, as it is since ${sel.since}. Approvals given before then do not count.`];
}

/** The check for a pull request into the default branch, from the evaluation tree. */
export function signoffCheck(tree: SignoffTree, ref: GovernanceRef): CheckOutput {
  const externalId = tree.selection?.record ? recordExternalId(tree.selection.record) : undefined;
  const withRecord = (out: CheckOutput): CheckOutput => (externalId !== undefined ? { ...out, externalId } : out);
  if (tree.gates.length === 0) {
    return withRecord({
      conclusion: "success",
      title: "No sign-off needed: no gate applies to this pull request",
      summary: clip(
        [
          "## ✅ No sign-off needed",
          "",
          `No phase change, rollback, kill-switch resume or owned path (governance/OWNERS) in this pull request at \`${shortSha(tree.headSha)}\`.`,
          "",
          footer(ref),
        ].join("\n"),
      ),
    });
  }
  const lines: string[] = [];
  const glass = tree.breakGlass?.applied ? tree.breakGlass.words : undefined;
  if (glass) {
    lines.push("## 🔨 Passed by break-glass", "", glass.paragraph);
  } else if (tree.passed) {
    lines.push("## ✅ Signed off", "", `Every gate passes for head commit \`${shortSha(tree.headSha)}\`.`);
  } else {
    lines.push("## ❌ Not signed off", "", `Head commit \`${shortSha(tree.headSha)}\`. Every gate below must pass before this can merge.`);
  }
  lines.push("", "### Gates", "");
  tree.gates.forEach((r, i) => {
    const rule = r.gate.refusal !== undefined ? "refused" : r.passed ? "passes" : glass ? "passed by break-glass (not signed)" : "does not pass yet";
    const how = r.gate.kind === "refused" || r.gate.kind === "notice" ? "" : `; veto: ${r.gate.veto === "any-approver" ? "any approver" : r.gate.veto === "none" ? "none" : andList(r.vetoLabels)}${r.gate.distinct ? "; four eyes (one person signs one role)" : ""}`;
    lines.push(`${i + 1}. **${r.gate.title}** ${r.passed ? "✅" : glass ? "🔨" : "❌"} ${rule}. Rule: ${sourceText(ref, r.gate)}${how}.`);
    for (const why of r.gate.reasons) lines.push(`   - ${why}`);
    for (const notice of r.gate.notices ?? []) lines.push(`   - ⚠️ ${notice}`);
    if (r.gate.refusal !== undefined) lines.push(`   - 🚫 **Refused:** ${r.gate.refusal}`);
  });

  const rows = tree.gates.flatMap((r) =>
    r.signers.map((s, i) => [
      i === 0 ? r.gate.title : "",
      s.label,
      holdersText(s.holders),
      s.signedBy ? at(s.signedBy) : "",
      statusWord(s),
      s.vetoedBy.map(at).join(", "),
      [...s.staleApprovals.map((a) => `${at(a.login)} (${shortSha(a.commitId)})`), ...s.expired.map((e) => `${at(e.login)} (expired ${utcTime(e.expiredAt)})`)].join(", "),
    ]),
  );
  if (rows.length > 0) {
    lines.push("", "| gate | role | holders | signed by | status | vetoes | stale approvals |", "|---|---|---|---|---|---|---|");
    for (const row of rows) lines.push(`| ${row.map(cell).join(" | ")} |`);
  }

  const vetoes = tree.gates.flatMap((r) => r.vetoes.map((v) => ({ gate: r.gate.title, v })));
  if (vetoes.length > 0) {
    lines.push("", "**Vetoes.** A change request by a holder of a role whose change request blocks stands until that person approves, or it is dismissed by them or by another holder of the same role:");
    for (const { gate, v } of vetoes) lines.push(`- ${vetoSentence(v, gate)}`);
  }
  const expired = tree.gates.filter((r) => r.signers.some((s) => s.expired.length > 0 && s.status !== "signed"));
  for (const r of expired) {
    lines.push("", `**Expired approvals.** ${r.gate.title} accepts an approval for ${r.gate.validFor!.text} after it is given (authority.yml \`${r.gate.validFor!.where}\`); these no longer count:`);
    for (const s of r.signers) for (const e of s.status === "signed" ? [] : s.expired) lines.push(`- ${at(e.login)} (${s.label}) approved at ${e.at ? utcTime(new Date(e.at)) : "an unknown time"}; it expired at ${utcTime(e.expiredAt)}: approve again to sign`);
  }
  const elsewhere = tree.gates.flatMap((r) => r.signers.flatMap((s) => s.signsElsewhere.map((e) => `- ${at(e.login)} approved, but already signs as ${e.as} in ${r.gate.title}, so does not also sign as ${s.label} (four eyes)`)));
  if (elsewhere.length > 0) lines.push("", "**Four eyes.**", ...[...new Set(elsewhere)]);

  // a resume rule's confirmations are its `verify` steps (authority.yml): named as the file names them
  const missing = tree.gates.flatMap((r) => r.confirmations.filter((c) => !c.confirmed).map((c) => ({ c, step: r.gate.kind === "resume" ? ` (a \`verify\` step of ${r.gate.source.file}${r.gate.source.where ? ` \`${r.gate.source.where}\`` : ""})` : "" })));
  if (missing.length > 0) {
    lines.push("", `**Confirmations to give.** A tick in the description does not count: each is confirmed by a person who holds its role, in the text of their approving review of the head commit \`${shortSha(tree.headSha)}\`. Paste the line into the review:`);
    for (const { c, step } of missing) lines.push(`- \`${c.line}\`${step} by ${confirmersText(c)}${c.tickedInDescription ? " (ticked in the description, which does not count)" : ""}`);
  }
  const confirmed = tree.gates.flatMap((r) => r.confirmations.filter((c) => c.confirmed && c.confirmedBy));
  if (confirmed.length > 0 && missing.length > 0) {
    lines.push("", "Confirmed: " + confirmed.map((c) => `${userTextShort(c.text)} (by ${at(c.confirmedBy!)})`).join("; ") + ".");
  }
  const form = tree.gates.filter((r) => r.missingForm.length > 0);
  for (const r of form) lines.push("", `**Sign-off form** of ${r.gate.title}: fill in ${r.missingForm.map((f) => `\`${f}:\``).join(", ")} in the description.`);
  const freeze = tree.gates.filter((r) => r.freeze.length > 0);
  for (const r of freeze) {
    lines.push("", `**Frozen.** ${r.gate.title} cannot pass while:`);
    for (const b of r.freeze) lines.push(`- ${blockerText(b)}`);
  }
  if (tree.unreadableTeams.length > 0) {
    lines.push("", "**Teams Charter cannot read.** Until Charter can list their members, these teams sign nobody in, and a change request by anyone who might be a member counts as a veto (fail closed):");
    for (const t of tree.unreadableTeams) lines.push(`- ${unreadableTeamSentence(t)}`);
  }
  if (tree.breakGlass && !tree.breakGlass.applied) lines.push("", `**Break-glass not applied.** ${tree.breakGlass.why}.`);
  const waiting = tree.gates.flatMap((r) => r.signers.filter((s) => s.status !== "signed").map((s) => ({ gate: r.gate.title, label: s.label, who: whoCouldSign(s) })));
  if (waiting.length > 0) {
    lines.push("", "**Who could still sign:**");
    // one line per role, unless four eyes leaves different people for it in different gates
    for (const label of [...new Set(waiting.map((x) => x.label))]) {
      const rows = waiting.filter((x) => x.label === label);
      if (new Set(rows.map((x) => x.who)).size === 1) lines.push(`- ${label}: ${rows[0]!.who}`);
      else for (const x of rows) lines.push(`- ${label} (${x.gate}): ${x.who}`);
    }
  }
  if (tree.ignored.length > 0) {
    lines.push("", "**Reviews that do not count:**");
    for (const x of tree.ignored) lines.push(`- ${at(x.login)}: ${x.why}`);
  }
  lines.push(...selectionLine(tree));
  lines.push("", footer(ref));
  const title = glass ? glass.title : tree.passed ? `Signed off: ${andList(tree.gates.map((r) => r.gate.title))}` : missingTitle(tree);
  return withRecord({ conclusion: tree.passed ? "success" : "failure", title: title.length > 240 ? `${title.slice(0, 237)}…` : title, summary: clip(lines.join("\n")) });
}

function userTextShort(text: string): string {
  return `“${userText(text, 80)}”`;
}

/** Who could still sign a signer, in words. */
function whoCouldSign(s: SignerResult): string {
  if (s.couldSign.length > 0) return s.couldSign.map(at).join(", ");
  if (s.holders.anyone) return "anyone with access to the repository but the author";
  if (s.holders.unresolvedTeams.length > 0 && s.holders.holders.length === 0 && s.holders.backups.length === 0) {
    return `nobody: held only by ${andList(s.holders.unresolvedTeams.map(teamName))}, whose members Charter cannot read`;
  }
  return "nobody (no other holder)";
}

/** Invalid governance on the default branch: fail closed, listing `file:line:col: message`. */
export function invalidGovernanceCheck(diagnostics: readonly string[], ref: GovernanceRef): CheckOutput {
  const shown = diagnostics.slice(0, 50);
  return {
    conclusion: "failure",
    title: `Governance on ${ref.branch} is invalid (${diagnostics.length} problem${diagnostics.length === 1 ? "" : "s"}): nothing can be signed off`,
    summary: clip(
      [
        "## ❌ Governance files are invalid",
        "",
        `The governance files on \`${ref.branch}\` at [\`${shortSha(ref.sha)}\`](${ref.repoUrl}/commit/${ref.sha}) do not load, so Charter cannot tell who must sign. The check fails closed until they are fixed on \`${ref.branch}\`:`,
        "",
        "```",
        ...shown,
        ...(diagnostics.length > shown.length ? [`… and ${diagnostics.length - shown.length} more`] : []),
        "```",
        "",
        "Run `charter validate` locally to see the same list. A pull request that fixes them is itself gated by the owners of `governance/` once the files load again; to bootstrap, an administrator merges the fix.",
      ].join("\n"),
    ),
  };
}

/** The default branch has no governance/ directory: nothing to enforce. */
export function noGovernanceCheck(ref: GovernanceRef): CheckOutput {
  return {
    conclusion: "success",
    title: `No governance/ directory on ${ref.branch}: nothing to sign`,
    summary: [
      "## ✅ Nothing to enforce",
      "",
      `\`${ref.branch}\` at \`${shortSha(ref.sha)}\` has no \`governance/\` directory, so Charter has no roles or gates to enforce. Add \`governance/roles.yml\` (and \`authority.yml\`, \`OWNERS\`) to start.`,
    ].join("\n"),
  };
}

/**
 * A pull request into another branch. Charter governs merges into the default branch only;
 * whether other branches require this check is the team's choice in branch protection.
 */
export function notGovernedCheck(baseRef: string, defaultBranch: string, headSha: string): CheckOutput {
  return {
    conclusion: "success",
    title: `Not governed: this pull request merges into ${baseRef}; Charter governs merges into ${defaultBranch}`,
    summary: [
      `## ➖ Not governed: base branch \`${baseRef}\``,
      "",
      `Charter enforces sign-off only for merges into the default branch, \`${defaultBranch}\`. This pull request merges into \`${baseRef}\`, so no gate applies here. Protect \`${baseRef}\` in branch protection if it needs its own rules.`,
      "",
      `If the pull request is retargeted to \`${defaultBranch}\`, Charter re-evaluates it at once and this check turns red until every gate passes. A commit (\`${shortSha(headSha)}\`) that is also the head of an open pull request into \`${defaultBranch}\` is always judged by that pull request's gates, never by this answer.`,
    ].join("\n"),
  };
}
