import { resumeAuthority, resumeRuleMatches, type ResumeFacts } from "../authority/lookup.js";
import { formatDuration } from "../duration.js";
import type { ResumeRule } from "../model/authority.js";
import type { Governance } from "../model/governance.js";
import { asOf, done, rolesTable, table, titles, unknown, type ExplainResult } from "./format.js";

/** The conditions of a resume rule, in words: `paused at least 1h, after a rollback`. */
export function resumeConditions(rule: ResumeRule): string {
  const w = rule.when;
  const parts: string[] = [];
  if (w.data_integrity !== undefined) parts.push(w.data_integrity ? "a data-integrity event" : "not a data-integrity event");
  if (w.after_rollback !== undefined) parts.push(w.after_rollback ? "after a rollback" : "no rollback happened");
  if (w.paused_at_least !== undefined) parts.push(`paused at least ${w.paused_at_least}`);
  if (w.paused_under !== undefined) parts.push(`paused under ${w.paused_under}`);
  if (w.scope !== undefined) parts.push(`scope ${w.scope}`);
  return parts.length > 0 ? parts.join(", ") : "always";
}

function factsText(f: ResumeFacts): string {
  const parts = [`a ${formatDuration(f.pausedMs).replace(/ /g, "")} pause`, `scope ${f.scope ?? "global"}`];
  if (f.dataIntegrity) parts.push("data-integrity event");
  if (f.afterRollback) parts.push("after a rollback");
  return parts.join(", ");
}

/** `charter explain resume --paused 2h …`: the resume rule that applies, who signs, what to verify. */
export function explainResume(g: Governance, facts: ResumeFacts, when: Date): ExplainResult {
  const found = resumeAuthority(g, facts);
  if (!found.ok) return unknown(found.message);
  const { rule, index } = found;
  const rules = g.authority?.kill_switch?.resume ?? [];
  const lines = [
    `# Resume the kill-switch after ${factsText(facts)}`,
    "",
    `Rule ${index + 1} of ${rules.length} applies: ${rule.title} (${resumeConditions(rule)}).`,
    "",
    `Resume authority: ${titles(g, rule.who)}.`,
    "",
    ...asOf(g, rule.who, when),
    rolesTable(g, rule.who, when),
    "",
    rule.who.length === 1
      ? `A single role: a holder or backup of ${titles(g, rule.who)} may resume directly (\`/killswitch resume\`), confirming the verification below.`
      : `Each role must sign the resume pull request, each by a different person, and the verification below must be confirmed.`,
    "",
    "Verification required:",
    ...rule.verify.map((v) => `- [ ] ${v}`),
    "",
    "On a resume pull request, a signer confirms each step in the text of their approving review of the head commit (`- [x] step`); a tick in the pull request description does not count.",
    "",
    "Resume rules (authority.yml kill_switch.resume; the first match applies):",
    "",
  ];
  const rows = rules.map((r, i) => {
    const m = resumeRuleMatches(r, facts);
    const verdict = i === index ? "applies" : i < index ? `no: ${m.reasons.join(", ")}` : "not reached";
    return [i === index ? "→" : "", String(i + 1), r.title, resumeConditions(r), titles(g, r.who), verdict];
  });
  lines.push(table(["", "#", "Rule", "When", "Who", "This pause"], rows));
  return done(lines);
}
