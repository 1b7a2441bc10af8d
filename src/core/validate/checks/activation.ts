import type { Governance } from "../../model/governance.js";
import type { Problem } from "../problem.js";
import { didYouMean } from "../suggest.js";

/**
 * Kill-switch activation scenarios: an approval is either due after activation (`within`, the
 * switch is pulled first) or needed before it (`in_advance`), never both; a scenario's severity is
 * one of incidents.yml's severities.
 */
export function activationProblems(g: Governance): Problem[] {
  const ks = g.authority?.kill_switch;
  if (!ks) return [];
  const problems: Problem[] = [];
  const severities = g.incidents ? Object.keys(g.incidents.severities) : undefined;
  for (const [id, s] of Object.entries(ks.activation)) {
    const base = ["kill_switch", "activation", id];
    if (s.approval !== "none" && s.approval.within !== undefined && s.approval.in_advance !== undefined) {
      problems.push({
        file: "authority.yml",
        path: [...base, "approval"],
        message: `kill-switch scenario ${id}: approval has both \`within\` (approve after activating) and \`in_advance\` (approve before activating)`,
        hint: `keep one: \`within: ${s.approval.within}\` lets the switch be pulled first and approved afterwards; \`in_advance: ${s.approval.in_advance}\` needs approval before it is pulled`,
      });
    }
    if (severities && s.severity !== undefined && !severities.includes(s.severity)) {
      problems.push({
        file: "authority.yml",
        path: [...base, "severity"],
        message: `kill-switch scenario ${id}: severity \`${s.severity}\` is not a severity in incidents.yml`,
        hint: didYouMean(s.severity, severities, { unique: true }) ?? `use one of: ${severities.join(", ") || "(incidents.yml defines none)"}`,
      });
    }
  }
  return problems;
}
