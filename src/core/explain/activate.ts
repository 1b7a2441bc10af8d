import { activationAuthority, resumeAuthority } from "../authority/lookup.js";
import type { Governance } from "../model/governance.js";
import { asOf, done, titles, unknown, usage, whoList, type ExplainResult } from "./format.js";

/** `charter explain activate <scenario>`: who may pull the kill-switch, approval, notification. */
export function explainActivate(g: Governance, words: readonly string[], when: Date): ExplainResult {
  const name = words.join(" ").trim();
  const scenarios = Object.keys(g.authority?.kill_switch?.activation ?? {});
  if (name === "") return usage(`which scenario? ${scenarios.length > 0 ? `one of: ${scenarios.join(", ")}` : "authority.yml defines none"}`);
  const a = activationAuthority(g, name);
  if (!a.ok) return unknown(a.message);
  const approvalRoles = a.approval.kind === "none" ? [] : a.approval.roles;
  const lines = [`# Kill-switch activation: ${a.title} (${a.id})`, "", ...asOf(g, [...a.who, ...approvalRoles, ...a.notify.roles], when)];
  lines.push(`- Who may activate: ${whoList(g, a.who, when)}.`);
  if (a.public) lines.push(`- Also people without access to the repository (public opt-in): at most ${a.public.max} such activation${a.public.max === 1 ? "" : "s"} per ${a.public.per} in the repository, counted from the log.`);
  switch (a.approval.kind) {
    case "none":
      lines.push(`- Approval: none. Activate first; nobody needs to approve.`);
      break;
    case "within":
      lines.push(`- Approval: ${whoList(g, a.approval.roles, when)}, within ${a.approval.within} after activation. The activation takes effect at once and stands meanwhile; an approval still missing after ${a.approval.within} is overdue.`);
      break;
    case "in_advance":
      lines.push(
        a.approval.inAdvanceMs > 0
          ? `- Approval: ${whoList(g, a.approval.roles, when)}, ${a.approval.inAdvance} in advance. Charter opens an activation pull request; it takes effect only once approved.`
          : `- Approval: ${whoList(g, a.approval.roles, when)}, before activation. Charter opens an activation pull request; it takes effect only once approved.`,
      );
      break;
  }
  const n = a.notify;
  const timing =
    n.inAdvance !== undefined ? `${n.inAdvance} in advance` : n.within === undefined ? "" : n.withinMs === 0 ? "immediately" : `within ${n.within}`;
  lines.push(`- Notify: ${titles(g, n.roles)}${timing ? `, ${timing}` : ""}.`);
  if (a.severity) lines.push(`- Severity recorded in the log: ${a.severity}.`);
  if (a.dataIntegrity) {
    const r = resumeAuthority(g, { pausedMs: 0, dataIntegrity: true });
    lines.push(`- Data-integrity event: yes.${r.ok ? ` Resuming needs ${titles(g, r.rule.who)} (${r.rule.title}: ${r.rule.verify.join(", ")}).` : ""}`);
  }
  const fields = g.authority?.kill_switch?.log_fields ?? [];
  if (fields.length > 0) lines.push(`- The activation log entry records: ${fields.join(", ")}.`);
  lines.push(`- Defined in: authority.yml kill_switch.activation.${a.id}.`);
  return done(lines);
}
