import type { ProposedModel } from "../core/diff/index.js";
import { formatDiagnostic } from "./diagnostic.js";
import type { LoadResult } from "./load.js";

/**
 * A proposed governance directory (a pull request's files, `charter diff`'s head) as the impact
 * preview reads it: the model when every file passed its schema (even if checks across files
 * failed), and every located problem. Never policy.
 */
export function proposedModel(result: LoadResult): ProposedModel {
  if (result.ok) return { governance: result.governance, problems: [] };
  return { ...(result.unchecked ? { governance: result.unchecked } : {}), problems: result.diagnostics.map(formatDiagnostic) };
}
