import type { Governance } from "../../model/governance.js";
import type { Problem } from "../problem.js";
import { didYouMean } from "../suggest.js";
import { gateName, listForHint, type YamlPath } from "./refs.js";

/** Gates and rollback types that name a RACI activity must name one defined in raci.activities. */
export function activityProblems(g: Governance): Problem[] {
  const a = g.authority;
  if (!a) return [];
  const known = Object.keys(a.raci?.activities ?? {});
  const knownSet = new Set(known);
  const problems: Problem[] = [];
  const check = (path: YamlPath, id: string | undefined, context: string) => {
    if (id === undefined || knownSet.has(id)) return;
    problems.push({
      file: "authority.yml",
      path,
      message: `unknown activity \`${id}\` in ${context}`,
      hint: didYouMean(id, known, { unique: true }) ?? (known.length ? `define it under raci.activities, or use one of: ${listForHint(known)}` : "define it under raci.activities (there are none yet), or remove `activity`"),
    });
  };
  (a.phases?.gates ?? []).forEach((gate, gi) => check(["phases", "gates", gi, "activity"], gate.activity, gateName(gate)));
  for (const [id, t] of Object.entries(a.rollback?.types ?? {})) check(["rollback", "types", id, "activity"], t.activity, `rollback ${id}`);
  return problems;
}
