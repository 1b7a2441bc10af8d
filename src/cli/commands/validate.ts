import type { Governance } from "../../core/model/governance.js";
import { formatAnnotation, formatDiagnostic } from "../../load/diagnostic.js";
import { loadGovernance } from "../../load/load.js";
import { directorySource } from "../../load/source.js";
import { parseArgs } from "../args.js";
import type { CliCommand, CliIO } from "../command.js";
import { dirArgument, resolveGovernanceDir } from "../governance-dir.js";

const usage = `Usage: charter validate [--dir <dir>]

Check a governance directory: YAML syntax, every file against its schema, and the rules across
files (unknown roles and tiers, gates nobody can satisfy, phases, escalation ladders, templates,
resume rules, state files).

  --dir <dir>   the governance directory (default: ./governance; also as the one positional
                argument). A directory that holds governance/ (a repository's root, an example)
                means that one: \`charter validate examples/microservices\`.

Exit status: 0 when valid, 1 when there are problems (each printed as file:line:column: message).
Inside GitHub Actions (GITHUB_ACTIONS=true) each problem is also printed as an ::error annotation.`;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "9 roles, 4 gates, 3 severities, 1 schedule (3 tiers), …": what the directory defines. */
export function summarize(g: Governance): string {
  const parts = [plural(Object.keys(g.roles.roles).length, "role")];
  const a = g.authority;
  if (a?.phases) parts.push(plural(a.phases.gates.length, "gate"));
  if (g.incidents) parts.push(plural(Object.keys(g.incidents.severities).length, "severity", "severities"));
  if (g.oncall) {
    const schedules = Object.values(g.oncall.schedules);
    const tiers = schedules.reduce((n, s) => n + Object.keys(s.tiers).length, 0);
    parts.push(`${plural(schedules.length, "schedule")} (${plural(tiers, "tier")})`);
  }
  if (a?.raci) parts.push(plural(Object.keys(a.raci.activities).length, "RACI activity", "RACI activities"));
  if (a?.rollback) parts.push(plural(Object.keys(a.rollback.types).length, "rollback type"));
  if (a?.kill_switch) {
    parts.push(plural(Object.keys(a.kill_switch.activation).length, "kill-switch scenario"));
    parts.push(plural(a.kill_switch.resume.length, "resume rule"));
  }
  if (g.services) parts.push(plural(Object.keys(g.services.services).length, "service"));
  parts.push(plural(g.owners.length, "OWNERS rule"));
  return parts.join(", ");
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { positional, values } = parseArgs(args, { values: ["dir"] });
  const dir = await resolveGovernanceDir(dirArgument("validate", values, positional), io, "validate");
  if (!dir) return 1;
  const { absolute, label } = dir;

  let result;
  try {
    result = await loadGovernance(directorySource(absolute, label));
  } catch (error) {
    // Only file-system failures get here (e.g. a file that cannot be read); bad content never throws.
    io.err(`charter validate: could not read ${label}/: ${(error as Error).message}. Check that the files are readable.`);
    return 1;
  }

  if (result.ok) {
    io.out(`${label}/ is valid: ${summarize(result.governance)}`);
    return 0;
  }
  for (const d of result.diagnostics) io.out(formatDiagnostic(d));
  if (io.env.GITHUB_ACTIONS === "true") for (const d of result.diagnostics) io.out(formatAnnotation(d));
  const files = new Set(result.diagnostics.map((d) => d.file)).size;
  io.out(`\n${label}/ is not valid: ${plural(result.diagnostics.length, "problem")} in ${plural(files, "file")}. Fix ${result.diagnostics.length === 1 ? "it" : "them"} and run \`charter validate ${label}\` again.`);
  return 1;
}

export const validateCommand: CliCommand = {
  name: "validate",
  summary: "Check the governance files: schema, cross-file rules, file:line:column for each problem",
  usage,
  run,
};
