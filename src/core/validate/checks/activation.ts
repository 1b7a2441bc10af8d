import { durationMs } from "../../duration.js";
import type { ActivationScenario } from "../../model/authority.js";
import { ANYONE } from "../../model/common.js";
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
    if (s.public !== undefined) problems.push(...publicProblems(id, s, base));
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

/**
 * The public opt-in (`public: { max, per }`, for people without access to the repository) widens
 * `anyone`, so it needs `anyone` in `who`; it cannot apply to a scenario approved in advance (a
 * pull request would escape its rate limit); and a zero window would count nothing.
 */
function publicProblems(id: string, s: ActivationScenario, base: (string | number)[]): Problem[] {
  const out: Problem[] = [];
  const pub = s.public!;
  if (!s.who.includes(ANYONE)) {
    out.push({
      file: "authority.yml",
      path: [...base, "public"],
      message: `kill-switch scenario ${id}: \`public\` lets people without access to the repository activate, but \`who\` does not include \`anyone\``,
      hint: "add `anyone` to `who` (people with access), or remove `public`",
    });
  }
  if (s.approval !== "none" && (s.approval.in_advance !== undefined || s.approval.within === undefined)) {
    out.push({
      file: "authority.yml",
      path: [...base, "public"],
      message: `kill-switch scenario ${id}: \`public\` on a scenario approved in advance (a pull request) is never used: people without access cannot ask for an activation that needs approval first`,
      hint: "remove `public`, or make the approval `none` or `within`",
    });
  }
  if (durationMs(pub.per) <= 0) {
    out.push({ file: "authority.yml", path: [...base, "public", "per"], message: `kill-switch scenario ${id}: \`public.per\` is ${pub.per}, a window that counts nothing`, hint: "give the window the limit counts over, e.g. `per: 1h`" });
  }
  return out;
}
