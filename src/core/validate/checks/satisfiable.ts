import type { Governance } from "../../model/governance.js";
import type { Problem } from "../problem.js";
import { isTierRef, roleReferences, type RoleReference } from "./refs.js";

/**
 * A requirement nobody can ever satisfy: a gate, rollback, resume rule, activation, OWNERS rule or
 * review that needs a role which has no holders, no backups and no on-call tier. Such a gate stays
 * red forever (or an action can never be taken), so it is an error, not a warning.
 * Unknown roles and tiers are reported by references.ts, not here.
 */
export function unsatisfiableProblems(g: Governance, refs: readonly RoleReference[] = roleReferences(g)): Problem[] {
  const problems: Problem[] = [];
  for (const ref of refs) {
    if (ref.required === undefined || isTierRef(ref.id)) continue;
    if (!Object.hasOwn(g.roles.roles, ref.id)) continue;
    const role = g.roles.roles[ref.id]!;
    const hasPeople = (role.holders?.length ?? 0) > 0 || (role.backups?.length ?? 0) > 0 || role.oncall !== undefined;
    if (hasPeople) continue;
    problems.push({
      ...(ref.path ? { file: ref.file, path: ref.path } : { file: ref.file, line: ref.line ?? 1, column: ref.column ?? 1 }),
      message: `${ref.context} needs \`${ref.id}\` to ${ref.required}, but nobody holds that role: it can never be satisfied`,
      hint: `give \`${ref.id}\` holders or backups (GitHub logins or org/team) or an \`oncall:\` tier in roles.yml`,
    });
  }
  return problems;
}
