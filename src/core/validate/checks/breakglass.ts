import { ANYONE, EVERYONE } from "../../model/common.js";
import type { Governance } from "../../model/governance.js";
import type { Problem } from "../problem.js";

/**
 * Break-glass (authority.yml `break_glass`) is for named roles only: `anyone` or `everyone` would
 * let any person with access pass every sign-off gate, or sign its review. The review's roles are
 * listed once each.
 */
export function breakGlassProblems(g: Governance): Problem[] {
  const bg = g.authority?.break_glass;
  const problems: Problem[] = [];
  const named = (ids: readonly string[], path: (string | number)[], what: string) =>
    ids.forEach((id, i) => {
      if (id === ANYONE || id === EVERYONE) problems.push({ file: "authority.yml", path: [...path, i], message: `break_glass: \`${id}\` may not ${what}`, hint: "name the roles, e.g. [on-call, sre-lead]: a break-glass passes every sign-off gate of a pull request" });
    });
  if (bg) {
    named(bg.who, ["break_glass", "who"], "break the glass");
    named(bg.review.roles, ["break_glass", "review", "roles"], "sign a break-glass review");
    bg.review.roles.forEach((r, i) => {
      if (bg.review.roles.indexOf(r) !== i) problems.push({ file: "authority.yml", path: ["break_glass", "review", "roles", i], message: `break_glass review lists \`${r}\` twice`, hint: "list each role once" });
    });
  }
  // swaps: acting or approving for others, and urgent overrides, are for named roles too
  for (const key of ["on_behalf", "urgent"] as const) {
    (g.authority?.swaps?.[key] ?? []).forEach((id, i) => {
      if (id === ANYONE || id === EVERYONE) problems.push({ file: "authority.yml", path: ["swaps", key, i], message: `swaps: \`${id}\` may not be ${key === "urgent" ? "allowed urgent overrides" : "allowed to act for others"}`, hint: "name the roles, e.g. [sre-lead]: everyone may already ask about their own shifts" });
    });
  }
  return problems;
}
