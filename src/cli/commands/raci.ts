import { renderRaci } from "../../core/explain/raci.js";
import { parseArgs } from "../args.js";
import type { CliCommand } from "../command.js";
import { dirArgument } from "../governance-dir.js";
import { loadDir } from "../load-dir.js";

const usage = `Usage: charter raci [--dir <dir>] [--activity <id>]

Print the RACI matrix of authority.yml as a Markdown table: one column per role (raci.columns),
a bold row per stage, the legend below. With --activity, that activity's row and who is what.

  --dir <dir>          the governance directory (default: ./governance; also as the one
                       positional argument; a directory holding governance/ means that one)
  --activity <id>      one activity, by id or title (e.g. ga-sign-off)

Exit status: 0 printed, 1 unknown activity or invalid governance files, 2 usage error.`;

export const raciCommand: CliCommand = {
  name: "raci",
  summary: "Print the RACI matrix (or one activity) as a Markdown table",
  usage,
  async run(args, io) {
    const { positional, values } = parseArgs(args, { values: ["activity", "dir"] });
    const loaded = await loadDir(dirArgument("raci", values, positional), io, "raci");
    if (!loaded) return 1;
    const result = renderRaci(loaded.governance, values.activity !== undefined ? { activity: values.activity } : {});
    if (result.ok) {
      io.out(result.text);
      return 0;
    }
    io.err(`charter raci: ${result.message}`);
    return result.kind === "usage" ? 2 : 1;
  },
};
