/**
 * `charter diff <base-dir> <head-dir>`: what changing the governance files of `base-dir` into
 * those of `head-dir` would do, in words: the impact preview Charter comments on a pull request
 * that changes governance/ (src/core/diff/, docs/impact-preview.md), with no GitHub.
 */
import { governanceImpact } from "../../core/diff/index.js";
import { renderImpact } from "../../core/diff/render.js";
import { systemClock } from "../../clock.js";
import { loadGovernance } from "../../load/load.js";
import { proposedModel } from "../../load/proposed.js";
import { directorySource } from "../../load/source.js";
import { parseArgs } from "../args.js";
import type { CliCommand, CliIO } from "../command.js";
import { UsageError } from "../command.js";
import { resolveGovernanceDir } from "../governance-dir.js";
import { loadDir, parseAt, parseWeeks } from "../load-dir.js";

const usage = `Usage: charter diff <base-dir> <head-dir> [--at <instant>] [--weeks <n>] [--markdown | --json]

What changing the governance files of <base-dir> into those of <head-dir> would do: who gains or
loses which authority (sign or veto a gate, activate, approve or resume the kill-switch, decide a
rollback, run each incident command, be paged), which requirements become impossible to satisfy,
which paths lose their owner, RACI activities left without an Accountable role, and on-call
warnings (gaps, one person in two tiers, unavailability) and changes over the next weeks. The same
words Charter comments on a pull request that changes governance/.

<base-dir> must be valid (it stands for the default branch). <head-dir> may not be: its problems
are listed, and what it would change is still said when every file passes its schema.
Each directory may also be one that holds governance/ (a checkout of the repository).

  --at <instant>     where the on-call window starts, e.g. 2025-06-02T10:00Z (default: now)
  --weeks <n>        the on-call window, 1 to 104 weeks (default: 8)
  --markdown         Markdown (what the pull request comment shows)
  --json             the report as JSON

Exit status: 0 the proposed files are valid, 1 they are not (or <base-dir> is invalid or missing),
2 usage error. Documentation: docs/impact-preview.md.`;

async function run(args: string[], io: CliIO): Promise<number> {
  const { positional, values, switches } = parseArgs(args, { values: ["at", "weeks"], switches: ["json", "markdown"] });
  if (positional.length !== 2) throw new UsageError(`expected two directories, <base-dir> and <head-dir>; got ${positional.length === 0 ? "none" : positional.map((p) => `\`${p}\``).join(" ")}`);
  if (switches.has("json") && switches.has("markdown")) throw new UsageError("give --json or --markdown, not both");
  const at = parseAt(values.at, () => systemClock.now());
  const weeks = parseWeeks(values.weeks);
  const base = await loadDir(positional[0], io, "diff");
  if (!base) return 1;
  const headDir = await resolveGovernanceDir(positional[1], io, "diff");
  if (!headDir) return 1;
  const head = proposedModel(await loadGovernance(directorySource(headDir.absolute, headDir.label)));
  const report = governanceImpact(base.governance, head, { at, weeks });
  if (switches.has("json")) io.out(JSON.stringify(report, null, 2));
  else io.out(renderImpact(report, { base: base.governance, ...(head.governance ? { head: head.governance } : {}), style: switches.has("markdown") ? "markdown" : "text" }));
  return report.head.valid ? 0 : 1;
}

export const diffCommand: CliCommand = {
  name: "diff",
  summary: "Say what changing one governance directory into another would do (the impact preview)",
  usage,
  run,
};
