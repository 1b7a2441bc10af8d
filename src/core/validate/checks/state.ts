import type { Governance } from "../../model/governance.js";
import type { LogEntry } from "../../model/state.js";
import type { Problem } from "../problem.js";
import { didYouMean } from "../suggest.js";
import { listForHint } from "./refs.js";

function missing(value: unknown): boolean {
  return value === undefined || (typeof value === "string" && value.trim() === "");
}

/**
 * State files: an active kill-switch says since when, by whom and under which scenario (resume
 * authority depends on it); activation log entries carry the fields authority.yml requires
 * (kill_switch.log_fields, D9 §5.2); log entry ids are unique (so a retried write is recognised).
 */
export function stateProblems(g: Governance): Problem[] {
  const problems: Problem[] = [];
  const ks = g.authority?.kill_switch;
  const scenarios = Object.keys(ks?.activation ?? {});

  for (const [scope, sw] of Object.entries(g.state.killswitch?.switches ?? {})) {
    if (!sw.active) continue;
    const absent = (["since", "by", "scenario"] as const).filter((k) => missing(sw[k]));
    if (absent.length > 0) {
      problems.push({
        file: "state/killswitch.yml",
        path: ["switches", scope],
        message: `kill-switch \`${scope}\` is active but has no ${absent.map((k) => `\`${k}\``).join(", ")}`,
        hint: "an active switch records since (an instant, e.g. 2025-03-10T09:00Z), by (a GitHub login) and scenario (an id from authority.yml kill_switch.activation): resume authority depends on them",
      });
    }
    if (ks && sw.scenario !== undefined && !missing(sw.scenario) && !scenarios.includes(sw.scenario)) {
      problems.push({
        file: "state/killswitch.yml",
        path: ["switches", scope, "scenario"],
        message: `kill-switch \`${scope}\`: scenario \`${sw.scenario}\` is not in authority.yml kill_switch.activation`,
        hint: didYouMean(sw.scenario, scenarios, { unique: true }) ?? `use one of: ${listForHint(scenarios)}`,
      });
    }
  }

  const entries = g.state.log?.entries ?? [];
  const required = ks?.log_fields ?? [];
  const firstById = new Map<string, number>();
  entries.forEach((entry, i) => {
    const first = firstById.get(entry.id);
    if (first !== undefined) {
      problems.push({
        file: "state/log.yml",
        path: ["entries", i, "id"],
        message: `log entry ${i + 1} reuses the id \`${entry.id}\` of entry ${first + 1}`,
        hint: "every entry needs its own id: Charter recognises a retried write by it",
      });
    } else firstById.set(entry.id, i);

    // kill_switch.log_fields describe the activation log (D9 §5.2): they apply to activations.
    if (entry.action !== "activate" || required.length === 0) return;
    const absent = required.filter((field) => missing(entry[field as keyof LogEntry]));
    if (absent.length > 0) {
      problems.push({
        file: "state/log.yml",
        path: ["entries", i],
        message: `log entry ${i + 1} (\`${entry.id}\`, activate) is missing ${absent.map((f) => `\`${f}\``).join(", ")}`,
        hint: `authority.yml kill_switch.log_fields requires every activation to record: ${required.join(", ")}`,
      });
    }
  });
  return problems;
}
