import { parseDuration } from "../../core/duration.js";
import { explain, EXPLAIN_SUBJECTS } from "../../core/explain/index.js";
import { systemClock } from "../../clock.js";
import { parseArgs } from "../args.js";
import type { CliCommand } from "../command.js";
import { UsageError } from "../command.js";
import { loadDir, parseAt } from "../load-dir.js";

const usage = `Usage: charter explain <what> [options]

What:
  gate <from> <to>       who must sign a phase change: P3 P4, P3->P4, P3→P4, or a title (GA)
  rollback <type>        who decides, approves and is told about a rollback of this type
  resume --paused <d>    who may resume the kill-switch after a pause of <d> (e.g. 45m, 2h)
         [--scope global|workspace:<name>] [--data-integrity] [--after-rollback]
  activate <scenario>    who may activate the kill-switch in this scenario, approval, notification
  path <path>            who owns a path (OWNERS line) and which RACI activities it belongs to
  role <id>              a role: authority, holders or who is on call, where it is named
  severity <name>        an incident severity and its escalation ladder as a timeline
  notify <severity> [service <area>]
                         where each message of such an incident goes besides GitHub (notify.yml)
  notify event <event>   where one kind of message goes (start, page, update, resolved, …)
  notify events          every event other than incidents' (kill-switch, approvals, GA, handoff,
                         deployment): what raises it and where it goes

Options:
  --dir <dir>            the governance directory (default: ./governance; a directory holding
                         governance/ means that one)
  --at <instant>         resolve on-call at this instant, e.g. 2025-03-11T03:00+01:00 (default: now)

Exit status: 0 answered, 1 unknown name or invalid governance files, 2 usage error.`;

export const explainCommand: CliCommand = {
  name: "explain",
  summary: "Explain a gate, rollback, resume, activation, path, role, severity or where messages go, in words",
  usage,
  async run(args, io) {
    const { positional, values, switches } = parseArgs(args, {
      values: ["dir", "at", "paused", "scope"],
      switches: ["data-integrity", "after-rollback"],
    });
    const [subject, ...words] = positional;
    if (subject === undefined) throw new UsageError(`what should I explain? one of: ${EXPLAIN_SUBJECTS.join(", ")}`);
    const resumeOnly = ["paused", "scope"].filter((f) => values[f] !== undefined).concat([...switches]);
    if (subject !== "resume" && resumeOnly.length > 0) throw new UsageError(`--${resumeOnly[0]} only applies to \`explain resume\``);
    let pausedMs: number | undefined;
    if (values.paused !== undefined) {
      pausedMs = parseDuration(values.paused);
      if (pausedMs === undefined) throw new UsageError(`--paused needs a duration such as 45m, 2h or 1h30m (got \`${values.paused}\`)`);
    }
    const scope = values.scope;
    if (scope !== undefined && !/^(?:global|workspace(?::[A-Za-z0-9][A-Za-z0-9_.-]*)?)$/.test(scope)) {
      throw new UsageError(`--scope is \`global\` or \`workspace:<name>\` (got \`${scope}\`)`);
    }
    const at = parseAt(values.at, () => systemClock.now());
    const loaded = await loadDir(values.dir, io, "explain");
    if (!loaded) return 1;
    const result = explain(loaded.governance, subject, words, {
      at,
      ownersFile: `${loaded.dir.label}/OWNERS`,
      resume: {
        ...(pausedMs !== undefined ? { pausedMs } : {}),
        ...(scope !== undefined ? { scope } : {}),
        dataIntegrity: switches.has("data-integrity"),
        afterRollback: switches.has("after-rollback"),
      },
    });
    if (result.ok) {
      io.out(result.text);
      return 0;
    }
    if (result.kind === "usage") throw new UsageError(result.message);
    io.err(`charter explain: ${result.message}`);
    return 1;
  },
};
