import type { Governance } from "../../model/governance.js";
import type { Problem } from "../problem.js";

/**
 * services.yml: a service's secondary teams are other than its owner and listed once. (The only
 * reference in the model that can point back at its own source; role → tier → fallback cycles in
 * oncall.yml are checked with the on-call rules.)
 */
export function serviceProblems(g: Governance): Problem[] {
  const problems: Problem[] = [];
  for (const [id, s] of Object.entries(g.services?.services ?? {})) {
    (s.secondary ?? []).forEach((r, i) => {
      if (r === s.owner) {
        problems.push({
          file: "services.yml",
          path: ["services", id, "secondary", i],
          message: `service ${id} lists its owner \`${r}\` as secondary too`,
          hint: "remove it from `secondary`: the owner already has primary responsibility",
        });
      } else if (s.secondary!.indexOf(r) !== i) {
        problems.push({ file: "services.yml", path: ["services", id, "secondary", i], message: `service ${id} lists \`${r}\` as secondary twice`, hint: "list each team once" });
      }
    });
  }
  return problems;
}
