import type { Governance } from "../../core/model/governance.js";
import { systemClock } from "../../clock.js";
import { incidentZone } from "../../core/incidents/oncall-report.js";
import { formatAt } from "../../core/incidents/time.js";
import { governanceWarnings } from "../../core/validate/warnings.js";
import { formatAnnotation, formatDiagnostic, formatWarning } from "../../load/diagnostic.js";
import { loadGovernance } from "../../load/load.js";
import { directorySource } from "../../load/source.js";
import { parseArgs } from "../args.js";
import type { CliCommand, CliIO } from "../command.js";
import { dirArgument, resolveGovernanceDir } from "../governance-dir.js";
import { parseAt, parseWeeks } from "../load-dir.js";

const usage = `Usage: charter validate [--dir <dir>] [--at <instant>] [--weeks <n>]

Check a governance directory: YAML syntax, every file against its schema, and the rules across
files (unknown roles and tiers, gates nobody can satisfy, phases, escalation ladders, templates,
resume rules, state files, IANA time zones). Valid files are then drilled over the next weeks for
warnings (nobody on call, one person in two tiers at once, reminders that miss the incident's
owner, roles held only by teams, ladder steps with nobody to page): see docs/drill.md.

  --dir <dir>      the governance directory (default: ./governance; also as the one positional
                   argument). A directory that holds governance/ (a repository's root, an example)
                   means that one: \`charter validate examples/microservices\`.
  --at <instant>   start the warnings' window here, e.g. 2025-03-31T09:00+02:00 (default: now)
  --weeks <n>      the warnings' window in weeks, 1 to 104 (default: 8)

Exit status: 0 when valid (warnings or not), 1 when there are problems (each printed as
file:line:column: message). Inside GitHub Actions (GITHUB_ACTIONS=true) each problem is also
printed as an ::error annotation, and each warning as a ::warning annotation.`;

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
  if (g.deployments) {
    const kinds = Object.values(g.deployments.deployments);
    parts.push(`${plural(kinds.length, "deployment")} (${plural(kinds.reduce((n, d) => n + d.stages.length, 0), "stage")}, ${plural(kinds.reduce((n, d) => n + d.stages.reduce((m, s) => m + s.items.length, 0), 0), "checklist item")})`);
  }
  parts.push(plural(g.owners.length, "OWNERS rule"));
  return parts.join(", ");
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { positional, values } = parseArgs(args, { values: ["dir", "at", "weeks"] });
  const from = parseAt(values.at, () => systemClock.now());
  const weeks = parseWeeks(values.weeks);
  const dir = await resolveGovernanceDir(dirArgument("validate", values, positional), io, "validate");
  if (!dir) return 1;
  const { absolute, label } = dir;

  let result;
  try {
    result = await loadGovernance(directorySource(absolute, label), { warnings: (g) => governanceWarnings(g, from, weeks) });
  } catch (error) {
    // Only file-system failures get here (e.g. a file that cannot be read); bad content never throws.
    io.err(`charter validate: could not read ${label}/: ${(error as Error).message}. Check that the files are readable.`);
    return 1;
  }

  if (result.ok) {
    io.out(`${label}/ is valid: ${summarize(result.governance)}`);
    const warnings = result.warnings.map((w) => w.diagnostic);
    if (warnings.length > 0) {
      for (const d of warnings) io.out(formatWarning(d));
      if (io.env.GITHUB_ACTIONS === "true") for (const d of warnings) io.out(formatAnnotation(d, "warning"));
      const zone = incidentZone(result.governance);
      io.out(`\n${plural(warnings.length, "warning")} over the ${plural(weeks, "week")} from ${formatAt(from, zone)}: the files are valid and Charter runs them as written, but these will surprise someone. \`charter drill warnings\` shows them again; docs/drill.md explains each.`);
    }
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
