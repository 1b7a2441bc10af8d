import { renderRaci } from "../../core/explain/raci.js";
import { parseArgs } from "../args.js";
import type { CliCommand } from "../command.js";
import { UsageError } from "../command.js";
import { loadDir } from "../load-dir.js";

const usage = `Usage: charter raci [dir] [--activity <id>]

Print the RACI matrix of authority.yml as a Markdown table: one column per role (raci.columns),
a bold row per stage, the legend below. With --activity, that activity's row and who is what.

  dir                  governance directory (default: governance)
  --activity <id>      one activity, by id or title (e.g. ga-sign-off)

Exit status: 0 printed, 1 unknown activity or invalid governance files, 2 usage error.`;

export const raciCommand: CliCommand = {
  name: "raci",
  summary: "Print the RACI matrix (or one activity) as a Markdown table",
  usage,
  async run(args, io) {
    const { positional, values } = parseArgs(args, { values: ["activity"] });
    if (positional.length > 1) throw new UsageError(`expected at most one directory, got ${positional.length} arguments: ${positional.join(" ")}`);
    const dir = positional[0] ?? "governance";
    const g = await loadDir(dir, io, "raci");
    if (!g) return 1;
    const result = renderRaci(g, values.activity !== undefined ? { activity: values.activity } : {});
    if (result.ok) {
      io.out(result.text);
      return 0;
    }
    io.err(`charter raci: ${result.message}`);
    return result.kind === "usage" ? 2 : 1;
  },
};
