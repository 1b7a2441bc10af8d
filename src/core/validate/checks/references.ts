import { ANYONE, EVERYONE } from "../../model/common.js";
import type { Governance } from "../../model/governance.js";
import type { Problem } from "../problem.js";
import { didYouMean } from "../suggest.js";
import { isTierRef, listForHint, roleReferences, type RoleReference } from "./refs.js";

function at(ref: RoleReference): Pick<Problem, "file" | "path" | "line" | "column"> {
  return ref.path ? { file: ref.file, path: ref.path } : { file: ref.file, line: ref.line ?? 1, column: ref.column ?? 1 };
}

/** Every `schedule/tier` defined in oncall.yml. */
export function knownTiers(g: Governance): string[] {
  return Object.entries(g.oncall?.schedules ?? {}).flatMap(([s, schedule]) => Object.keys(schedule.tiers).map((t) => `${s}/${t}`));
}

/** Every role id used anywhere must be defined in roles.yml (or be `anyone` / `everyone`). */
export function unknownRoleProblems(g: Governance, refs: readonly RoleReference[] = roleReferences(g)): Problem[] {
  const known = Object.keys(g.roles.roles);
  const knownSet = new Set(known);
  const problems: Problem[] = [];
  for (const ref of refs) {
    const id = ref.id;
    if (isTierRef(id) || knownSet.has(id) || id === ANYONE || id === EVERYONE || ref.extra?.includes(id)) continue;
    const candidates = [...known, ...(ref.file === "OWNERS" ? [] : [ANYONE, EVERYONE]), ...(ref.extra ?? [])];
    const fallback =
      ref.file === "OWNERS"
        ? `define \`${id}\` in roles.yml, or write @${id} for a GitHub user`
        : `define \`${id}\` in roles.yml, or use one of: ${listForHint(candidates)}`;
    problems.push({ ...at(ref), message: `unknown role \`${id}\` in ${ref.context}`, hint: didYouMean(id, candidates, { unique: true }) ?? fallback });
  }
  return problems;
}

/** Every `schedule/tier` reference must name a tier of a schedule in oncall.yml. */
export function unknownTierProblems(g: Governance, refs: readonly RoleReference[] = roleReferences(g)): Problem[] {
  const tiers = knownTiers(g);
  const tierSet = new Set(tiers);
  const problems: Problem[] = [];
  for (const ref of refs) {
    if (!isTierRef(ref.id) || tierSet.has(ref.id)) continue;
    const message = `unknown on-call tier \`${ref.id}\` in ${ref.context}`;
    if (!g.oncall) {
      const [schedule = "", tier = ""] = ref.id.split("/");
      problems.push({ ...at(ref), message: `${message}: there is no oncall.yml`, hint: `add governance/oncall.yml with schedule \`${schedule}\` and tier \`${tier}\`, or name a role instead` });
      continue;
    }
    problems.push({
      ...at(ref),
      message,
      hint: didYouMean(ref.id, tiers, { unique: true }) ?? (tiers.length ? `tiers are written schedule/tier; oncall.yml defines: ${listForHint(tiers)}` : "oncall.yml defines no tiers"),
    });
  }
  return problems;
}
