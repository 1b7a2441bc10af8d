import { stat } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import type { Governance } from "../core/model/governance.js";
import { formatDiagnostic } from "../load/diagnostic.js";
import { loadGovernance } from "../load/load.js";
import { directorySource } from "../load/source.js";
import type { CliIO } from "./command.js";
import { UsageError } from "./command.js";
import { trimEndOf } from "../core/text/scan.js";

/**
 * Load a governance directory for a command that reads it (explain, raci). Prints every diagnostic
 * (file:line:column) to stderr and returns undefined when the files are invalid.
 */
export async function loadDir(dir: string, io: CliIO, command: string): Promise<Governance | undefined> {
  const path = isAbsolute(dir) ? dir : join(io.cwd, dir);
  const isDir = await stat(path).then((s) => s.isDirectory(), () => false);
  if (!isDir) {
    io.err(`charter ${command}: no governance directory at \`${dir}\` (give the directory that holds roles.yml)`);
    return undefined;
  }
  const result = await loadGovernance(directorySource(path, trimEndOf(dir, "/") || dir));
  if (result.ok) return result.governance;
  io.err(`charter ${command}: ${dir} has ${result.diagnostics.length === 1 ? "a problem" : `${result.diagnostics.length} problems`}; fix ${result.diagnostics.length === 1 ? "it" : "them"} first (\`charter validate ${dir}\`):`);
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
