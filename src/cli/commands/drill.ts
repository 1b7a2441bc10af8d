/**
 * `charter drill`: rehearse the team's own files with no GitHub and without writing anything. The
 * answers come from the same pure core the app runs (src/core/drill/ drives src/core/incidents/
 * and src/core/signoff/). See docs/drill.md.
 */
import { activationAuthority, normalizePath, notFound, phaseOrder, rollbackAuthority } from "../../core/authority/lookup.js";
import { parseDuration } from "../../core/duration.js";
import { drillIncident, defaultDrillLength } from "../../core/drill/incident.js";
import { incidentDrillJson, incidentDrillMarkdown, incidentDrillText } from "../../core/drill/incident-render.js";
import { currentPhase, drillSignoff, previousPhase, type SignoffQuestion } from "../../core/drill/signoff.js";
import { signoffDrillJson, signoffDrillText } from "../../core/drill/signoff-render.js";
import { drillWarnings, type DrillWarning } from "../../core/drill/warnings/index.js";
import { windowOf } from "../../core/drill/window.js";
import { parseGateSpec } from "../../core/explain/gate.js";
import { findSeverity } from "../../core/explain/severity.js";
import { incidentZone } from "../../core/incidents/oncall-report.js";
import { formatAt } from "../../core/incidents/time.js";
import { routeFor } from "../../core/incidents/people.js";
import { areaKey } from "../../core/incidents/form.js";
import type { Governance } from "../../core/model/governance.js";
import { closest } from "../../core/validate/suggest.js";
import { systemClock } from "../../clock.js";
import { formatAnnotation, formatWarning } from "../../load/diagnostic.js";
import type { LocatedWarning } from "../../load/load.js";
import { parseArgs } from "../args.js";
import type { CliCommand, CliIO } from "../command.js";
import { UsageError } from "../command.js";
import { loadDir, parseAt, parseWeeks } from "../load-dir.js";

const SUBJECTS = ["incident", "gate", "rollback", "resume", "path", "warnings"] as const;

const usage = `Usage: charter drill <what> [options]

Rehearse your governance files with no GitHub: who would be assigned, paged and reminded, who
would have to sign, and what will surprise someone. Nothing is sent or written anywhere.

What:
  incident <severity>     an incident of this severity (P1, p1 or its label): who is assigned,
                          named as the backup, paged, notified and reminded, and when
        [--at <instant>] [--ack <offset>] [--service <name>] [--for <duration>] [--markdown]
  gate <from> <to>        who must sign a phase change (P3 P4, P3->P4, or a title: GA), who could veto
  rollback <type>         who must sign a rollback of this type [--from <phase>] [--to <phase>]
                          (default: from the current phase, state/phase.yml, to the one before)
  resume --paused <d>     who must sign to resume the kill-switch after a pause of <d> (45m, 2h)
        [--scope global|workspace:<name>] [--data-integrity] [--after-rollback]
  path <file>...          who must sign a pull request that changes these files (OWNERS)
  warnings                nobody on call, one person in two tiers at once, reminders that miss the
                          incident's owner, roles held only by teams, ladder steps with nobody to
                          page: over the next --weeks (default 8)

Options:
  --dir <dir>        the governance directory (default: ./governance; a directory holding
                     governance/ means that one)
  --at <instant>     when: the incident opens, on-call holders are resolved, the warnings' window
                     starts; e.g. 2025-03-31T08:55+02:00 (default: now)
  --ack <offset>     incident: the owner runs /ack this long after opening, e.g. 20m (default: never)
  --service <name>   incident: the service or area the incident form names (routing)
  --for <duration>   incident: how long to follow it (default: 4h, or the last step + 1h if later)
  --weeks <n>        the warnings' window, 1 to 104 weeks (default: 8)
  --markdown         incident: Markdown with a Mermaid timeline
  --json             the answer as JSON

Exit status: 0 answered, 1 invalid governance files or an unknown name, 2 usage error.
Documentation: docs/drill.md.`;

function usageFor(subject: string): never {
  const suggestion = closest(subject, SUBJECTS);
  throw new UsageError(`cannot drill \`${subject}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ""} (one of: ${SUBJECTS.join(", ")})`);
}

function duration(flag: string, text: string | undefined, example: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`--${flag} needs a duration such as ${example} (got \`${text}\`)`);
  return ms;
}

/** "in the 8 weeks from Mon 2025-03-31 08:55 CEST". */
function windowWords(g: Governance, from: Date, weeks: number): string {
  return `the ${weeks} week${weeks === 1 ? "" : "s"} from ${formatAt(from, incidentZone(g))}`;
}

function warningJson(w: LocatedWarning<DrillWarning>) {
  const { file: _f, path: _p, at: _a, line: _l, column: _c, ...rest } = w.warning;
  return { file: w.diagnostic.file, line: w.diagnostic.line, column: w.diagnostic.column, ...rest };
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { positional, values, switches } = parseArgs(args, {
    values: ["dir", "at", "ack", "service", "for", "weeks", "paused", "scope", "from", "to"],
    switches: ["json", "markdown", "data-integrity", "after-rollback"],
  });
  const [subject, ...words] = positional;
  if (subject === undefined) throw new UsageError(`what should I drill? one of: ${SUBJECTS.join(", ")}`);
  if (!(SUBJECTS as readonly string[]).includes(subject)) usageFor(subject);
  const only: Record<string, readonly string[]> = {
    ack: ["incident"],
    service: ["incident"],
    for: ["incident"],
    markdown: ["incident"],
    paused: ["resume"],
    scope: ["resume"],
    "data-integrity": ["resume"],
    "after-rollback": ["resume"],
    from: ["rollback"],
    to: ["rollback"],
    weeks: ["incident", "warnings"],
  };
  for (const [flag, subjects] of Object.entries(only)) {
    if ((values[flag] !== undefined || switches.has(flag)) && !subjects.includes(subject)) throw new UsageError(`--${flag} only applies to \`drill ${subjects.join("` or `drill ")}\``);
  }
  if (switches.has("json") && switches.has("markdown")) throw new UsageError("give --json or --markdown, not both");
  const at = parseAt(values.at, () => systemClock.now());
  const weeks = parseWeeks(values.weeks);
  const ackMs = duration("ack", values.ack, "20m or 1h");
  const forMs = duration("for", values.for, "4h or 90m");
  if (forMs !== undefined && (forMs <= 0 || forMs > 7 * 86_400_000)) throw new UsageError(`--for is more than 0 and at most 7d (got \`${values.for}\`)`);
  const pausedMs = duration("paused", values.paused, "45m, 2h or 1h30m");
  const scope = values.scope ?? "global";
  if (!/^(?:global|workspace:[A-Za-z0-9][A-Za-z0-9_.-]{0,99})$/.test(scope)) throw new UsageError(`--scope is \`global\` or \`workspace:<name>\` (got \`${scope}\`)`);
  if (subject === "incident" && words.length !== 1) throw new UsageError("name one severity, e.g. `charter drill incident P1`");
  if (subject === "gate" && words.length === 0) throw new UsageError("which gate? e.g. `drill gate P3 P4`, `drill gate P3->P4` or `drill gate GA`");
  if (subject === "rollback" && words.length !== 1) throw new UsageError("name one rollback type, e.g. `charter drill rollback planned`");
  if (subject === "resume" && words.length > 0) throw new UsageError("resume takes options, not names: --paused <duration> [--scope global|workspace:<name>] [--data-integrity] [--after-rollback]");
  if (subject === "resume" && pausedMs === undefined) throw new UsageError("how long was it paused? give --paused <duration>, e.g. --paused 2h");
  if (subject === "path" && words.length === 0) throw new UsageError("name one or more files, e.g. `charter drill path db/migrations/0001_init.sql`");
  if (subject === "warnings" && words.length > 0) throw new UsageError("warnings takes no names; --weeks <n> sets the window");

  const wantsWarnings = subject === "incident" || subject === "warnings";
  const loaded = await loadDir<DrillWarning>(values.dir, io, "drill", wantsWarnings ? { warnings: (g) => drillWarnings(g, windowOf(at, weeks)) } : {});
  if (!loaded) return 1;
  const g = loaded.governance;
  const dir = loaded.dir.label;
  const json = switches.has("json");
  const fail = (message: string) => {
    io.err(`charter drill: ${message}`);
    return 1;
  };

  switch (subject) {
    case "warnings": {
      if (json) {
        io.out(JSON.stringify({ from: at.toISOString(), weeks, warnings: loaded.warnings.map(warningJson) }, null, 2));
        return 0;
      }
      const window = windowWords(g, at, weeks);
      if (loaded.warnings.length === 0) {
        io.out(`No warnings for ${dir}/ in ${window}.`);
        return 0;
      }
      io.out(`${loaded.warnings.length} warning${loaded.warnings.length === 1 ? "" : "s"} for ${dir}/ in ${window}:\n`);
      for (const w of loaded.warnings) io.out(formatWarning(w.diagnostic));
      if (io.env.GITHUB_ACTIONS === "true") for (const w of loaded.warnings) io.out(formatAnnotation(w.diagnostic, "warning"));
      return 0;
    }
    case "incident": {
      if (!g.incidents) return fail(`${dir}/ has no incidents.yml, so there are no severities to drill`);
      const names = Object.keys(g.incidents.severities);
      const found = findSeverity(g, words[0]!);
      if (!found) return fail(notFound("severity", words[0]!, names, "incidents.yml severities").message);
      const severity = found[0];
      const service = values.service;
      if (service !== undefined && (service.trim() === "" || service.length > 100)) throw new UsageError("--service names a service or area in at most 100 characters, e.g. --service security");
      const d = drillIncident(g, { severity, at, forMs: forMs ?? defaultDrillLength(g, severity), ...(ackMs !== undefined ? { ackAfterMs: ackMs } : {}), ...(service !== undefined ? { service } : {}) });
      if (service !== undefined && !routeFor(g.incidents, service) && !g.services?.services[areaKey(service)]?.oncall) {
        const known = [...Object.keys(g.incidents.routing ?? {}), ...Object.keys(g.services?.services ?? {})];
        const near = closest(areaKey(service), known);
        io.err(`charter drill: no route in incidents.yml and no on-call tier in services.yml for \`${areaKey(service)}\`${near ? ` (did you mean \`${near}\`?)` : ""}: the incident is assigned as any ${severity} incident.`);
      }
      const relevant = loaded.warnings.filter((w) => w.warning.kind !== "team-only-role" && (w.warning.severity === undefined || w.warning.severity === severity));
      if (json) {
        io.out(incidentDrillJson(d, relevant.map(warningJson)));
        return 0;
      }
      const options = { dir, warnings: { lines: relevant.map((w) => formatWarning(w.diagnostic)), window: windowWords(g, at, weeks) } };
      io.out(switches.has("markdown") ? incidentDrillMarkdown(g, d, options) : incidentDrillText(g, d, options));
      return 0;
    }
    case "gate":
    case "rollback":
    case "resume":
    case "path": {
      let q: SignoffQuestion;
      if (subject === "gate") {
        const parsed = parseGateSpec(g, words);
        if (!parsed.ok) {
          if (parsed.kind === "usage") throw new UsageError(parsed.message);
          return fail(parsed.message);
        }
        const spec = parsed.spec;
        q = "gate" in spec ? { kind: "gate", from: spec.gate.from, to: spec.gate.to } : { kind: "gate", from: spec.from, to: spec.to };
      } else if (subject === "rollback") {
        const type = rollbackAuthority(g, words[0]!);
        if (!type.ok) return fail(type.message);
        const order = phaseOrder(g);
        if (order.length === 0) return fail("authority.yml defines no phases (`phases.order`), so there is nothing to roll back");
        const from = values.from ?? currentPhase(g) ?? order[order.length - 1]!;
        const to = values.to ?? previousPhase(g, from);
        if (!order.includes(from)) return fail(notFound("phase", from, order, "authority.yml phases.order").message);
        if (to === undefined) return fail(`\`${from}\` is the first phase: there is no phase to roll back to; give --from <phase>`);
        if (!order.includes(to)) return fail(notFound("phase", to, order, "authority.yml phases.order").message);
        q = { kind: "rollback", type: type.id, from, to };
      } else if (subject === "resume") {
        let scenario: string | undefined;
        if (switches.has("data-integrity")) {
          const hit = Object.keys(g.authority?.kill_switch?.activation ?? {}).find((id) => {
            const a = activationAuthority(g, id);
            return a.ok && a.dataIntegrity;
          });
          if (!hit) return fail("no kill-switch scenario of authority.yml is a data-integrity event (`data_integrity: true`), so no pause can be one");
          scenario = hit;
        }
        q = { kind: "resume", scope, pausedMs: pausedMs!, ...(scenario ? { scenario } : {}), afterRollback: switches.has("after-rollback") };
      } else {
        q = { kind: "path", paths: [...new Set(words.map(normalizePath))] };
      }
      const d = drillSignoff(g, q, at);
      io.out(json ? signoffDrillJson(d) : signoffDrillText(g, d, dir));
      return 0;
    }
  }
  return 2;
}

export const drillCommand: CliCommand = {
  name: "drill",
  summary: "Rehearse your files offline: who is paged when, who must sign, warnings for the next weeks",
  usage,
  run,
};
