import type { Governance } from "../core/model/governance.js";
import { formatDiagnostic } from "../load/diagnostic.js";
import type { Problem } from "../core/validate/problem.js";
import { loadGovernance, type LoadOptions, type LocatedWarning } from "../load/load.js";
import { directorySource } from "../load/source.js";
import type { CliIO } from "./command.js";
import { UsageError } from "./command.js";
import { resolveGovernanceDir, type GovernanceDir } from "./governance-dir.js";

/**
 * Load the governance directory a command reads (explain, oncall, raci): `given` is its --dir or
 * positional argument, undefined for the default ./governance. Prints every diagnostic
 * (file:line:column) to stderr and returns undefined when the directory is missing or invalid.
 */
export async function loadDir<W extends Problem = Problem>(
  given: string | undefined,
  io: CliIO,
  command: string,
  options: LoadOptions<W> = {},
): Promise<{ governance: Governance; dir: GovernanceDir; warnings: LocatedWarning<W>[] } | undefined> {
  const dir = await resolveGovernanceDir(given, io, command);
  if (!dir) return undefined;
  const result = await loadGovernance(directorySource(dir.absolute, dir.label), options);
  if (result.ok) return { governance: result.governance, dir, warnings: result.warnings };
  const n = result.diagnostics.length;
  io.err(`charter ${command}: ${dir.label} has ${n === 1 ? "a problem" : `${n} problems`}; fix ${n === 1 ? "it" : "them"} first (\`charter validate ${dir.label}\`):`);
  for (const d of result.diagnostics) io.err(formatDiagnostic(d));
  return undefined;
}

/** `--at`: an ISO 8601 instant with its offset. */
export function parseAt(text: string | undefined, now: () => Date): Date {
  if (text === undefined) return now();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new UsageError(`--at needs an instant with its offset, e.g. 2025-03-11T03:00+01:00 or 2025-03-11T02:00Z (got \`${text}\`)`);
  }
  return new Date(text);
}

/** `--weeks`: a whole number of weeks, 1 to 104 (default 8). */
export function parseWeeks(text: string | undefined, fallback = 8): number {
  if (text === undefined) return fallback;
  const n = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 104) throw new UsageError(`--weeks needs a whole number of weeks from 1 to 104 (got \`${text}\`)`);
  return n;
}
