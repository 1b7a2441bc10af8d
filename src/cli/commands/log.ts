import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { systemClock } from "../../clock.js";
import { parseDuration } from "../../core/duration.js";
import { alignedTable, filterLog, LOG_COLUMNS, logRows, type LogFilter } from "../../core/killswitch/log.js";
import { breakWords, verifyChain } from "../../core/log/chain.js";
import type { LogEntry } from "../../core/model/state.js";
import { parseScope } from "../../core/killswitch/scope.js";
import { LogFile } from "../../core/model/state.js";
import { parseYaml } from "../../load/yaml-document.js";
import { parseArgs } from "../args.js";
import type { CliCommand, CliIO } from "../command.js";
import { UsageError } from "../command.js";
import { dirArgument, resolveGovernanceDir } from "../governance-dir.js";

const usage = `Usage: charter log [--dir <dir>] [--json] [--scope <scope>] [--since <when>]
       charter log --verify [--dir <dir>] [--json]

The history of kill-switch and phase changes from <dir>/state/log.yml (D9 §5.2 activation log):
activations, approvals, rejections, overdue approvals, resumes, rollbacks, advances and
break-glass, oldest first, as an aligned table (or JSON).

  --verify          check the log's hash chain (every entry's \`seq\` and \`prev\`): name the first
                    entry that was edited, reordered or removed, with its line; or print the chain's
                    head (the \`prev\` of the next entry). Exit status 1 when the chain is broken.
  --dir <dir>       the governance directory (default: ./governance; also as the one positional
                    argument; a directory holding governance/ means that one)
  --json            print the entries as a JSON array
  --scope <scope>   only this kill-switch scope (global, workspace:<name>), or \`phase\` for phase changes
  --since <when>    only entries at or after: an instant (2025-06-02T10:00Z), a date (2025-06-02,
                    midnight UTC) or a duration back from now (24h, 7d)

Exit status: 0 printed (or the chain holds), 1 the log file is invalid or its chain is broken,
2 usage error.`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** `--since`: an instant, a date (UTC midnight) or a duration before `now`. */
export function parseSince(text: string, now: Date): Date {
  if (INSTANT.test(text) || DATE.test(text)) {
    const d = new Date(DATE.test(text) ? `${text}T00:00:00Z` : text);
    if (!Number.isNaN(d.getTime())) return d;
  }
  const ms = parseDuration(text);
  if (ms !== undefined) return new Date(now.getTime() - ms);
  throw new UsageError(`--since \`${text}\` is not an instant (2025-06-02T10:00Z), a date (2025-06-02) or a duration (24h, 7d)`);
}

export const logCommand: CliCommand = {
  name: "log",
  summary: "Print the history of kill-switch and phase changes (state/log.yml)",
  usage,
  async run(args, io) {
    const { positional, values, switches } = parseArgs(args, { values: ["scope", "since", "dir"], switches: ["json", "verify"] });
    if (switches.has("verify") && (values.scope !== undefined || values.since !== undefined)) throw new UsageError("--verify checks the whole log: it takes no --scope or --since");
    const given = dirArgument("log", values, positional);
    const filter: LogFilter = {};
    if (values.scope !== undefined) {
      if (values.scope === "phase") filter.scope = "phase";
      else {
        const s = parseScope(values.scope);
        if (!s.ok) throw new UsageError(`--scope: ${s.message}, or \`phase\``);
        filter.scope = s.scope;
      }
    }
    if (values.since !== undefined) filter.since = parseSince(values.since, systemClock.now());
    const dir = await resolveGovernanceDir(given, io, "log");
    if (!dir) return 1;
    const shown = `${dir.label}/state/log.yml`;
    let text: string;
    try {
      text = await readFile(join(dir.absolute, "state", "log.yml"), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      io.out(switches.has("json") ? "[]" : `No log yet: ${shown} does not exist (Charter creates it with the first kill-switch or phase change).`);
      return 0;
    }
    const doc = parseYaml(text);
    if (doc.syntaxErrors.length > 0) {
      for (const e of doc.syntaxErrors) io.err(`${shown}:${e.line}:${e.column}: YAML syntax error: ${e.message}`);
      return 1;
    }
    const parsed = LogFile.safeParse(doc.value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const pos = doc.locate(issue.path as (string | number)[]);
        io.err(`${shown}:${pos.line}:${pos.column}: ${issue.message}${issue.path.length > 0 ? ` (at ${issue.path.join(".")})` : ""}`);
      }
      return 1;
    }
    if (switches.has("verify")) return verify(parsed.data.entries, shown, (path) => doc.locate(path), io, switches.has("json"));
    const entries = filterLog(parsed.data.entries, filter);
    if (switches.has("json")) {
      io.out(JSON.stringify(entries, null, 2));
      return 0;
    }
    if (entries.length === 0) {
      io.out(parsed.data.entries.length === 0 ? `No entries in ${shown}.` : `No entries in ${shown} match.`);
      return 0;
    }
    io.out(alignedTable(LOG_COLUMNS, logRows(entries)));
    return 0;
  },
};

/** `charter log --verify`: the chain holds (exit 0), or the first break, located (exit 1). */
function verify(entries: readonly LogEntry[], shown: string, locate: (path: (string | number)[]) => { line: number; column: number }, io: CliIO, json: boolean): number {
  const report = verifyChain(entries);
  if (json) {
    const broken = report.broken && { kind: report.broken.kind, position: report.broken.position, id: report.broken.entry.id, message: breakWords(report.broken, (t) => t) };
    io.out(JSON.stringify({ ok: !report.broken, count: report.count, ...(report.startsAt !== undefined ? { startsAt: report.startsAt } : {}), head: report.head, ...(broken ? { broken } : {}) }, null, 2));
    return report.broken ? 1 : 0;
  }
  if (report.broken) {
    const pos = locate(["entries", report.broken.position - 1]);
    io.err(`${shown}:${pos.line}:${pos.column}: the hash chain is broken: ${breakWords(report.broken)}.`);
    io.err("Compare the file with its git history (git log -p -- state/log.yml) to see what changed, and restore it.");
    return 1;
  }
  const next = `the next entry is seq ${report.count + 1} with prev ${report.head}`;
  if (report.startsAt === undefined) {
    io.out(`${shown}: ${report.count} entr${report.count === 1 ? "y" : "ies"}, none chained yet: the chain starts with the next entry Charter writes (${next}).`);
  } else {
    io.out(`${shown}: the hash chain holds: ${report.count} entr${report.count === 1 ? "y" : "ies"}, chained from entry ${report.startsAt}${report.startsAt > 1 ? ` (whose hash covers the ${report.startsAt - 1} before it)` : ""}; ${next}.`);
  }
  return 0;
}
