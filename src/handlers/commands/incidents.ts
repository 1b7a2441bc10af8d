import { commanderArgs, pageArgs, resolveArgs, severityArgs, updateArgs, type ArgResult } from "../../core/incidents/args.js";
import { incidentCommandAuthority, type IncidentCommand } from "../../core/incidents/authority.js";
import { oncallReport } from "../../core/incidents/oncall-report.js";
import { acknowledge, changeSeverity, escalate, pageTarget, recordUpdate, reopenIncident, resolveIncident, setCommander } from "../../core/incidents/transitions.js";
import { neutralize } from "../../core/incidents/marker.js";
import type { PassContext } from "../../core/incidents/pass.js";
import type { IncidentState } from "../../core/incidents/state.js";
import { incidentCaches } from "../../github/incidents/cache.js";
import { isIncident, runIncidentCommand, type CommandEffect, type IncidentEnv, type IssueFacts } from "../../github/incidents/engine.js";
import { incidentGovernance } from "../../github/incidents/list.js";
import { CommandRefusal, type Authorization, type CommandOutcome, type CommandRequest, type CommandSpec } from "./spec.js";

function facts(req: CommandRequest): IssueFacts {
  const t = req.thread;
  return { number: t.number, title: t.title, body: t.body, labels: t.labels, assignees: t.assignees, state: t.state, author: t.author, url: t.url };
}

function envOf(req: CommandRequest): IncidentEnv {
  const caches = incidentCaches(req.deps.governance);
  const model = incidentGovernance(req.snapshot, caches, req.repo);
  if (!model) throw new CommandRefusal("this repository has no `governance/incidents.yml`.");
  return { gh: req.gh, repo: req.repo, g: model.g, inc: model.inc, now: req.now, caches, log: req.log };
}

/** Incident commands work on incidents only, for the people incidents.yml names. */
function authorizeIncident(command: IncidentCommand) {
  return (req: CommandRequest): Authorization => {
    const inc = req.governance.incidents;
    if (!inc) return { ok: false, reason: "this repository has no `governance/incidents.yml`, so it has no incidents." };
    if (!isIncident(inc, req.thread)) {
      return {
        ok: false,
        reason: `#${req.thread.number} is not an incident: it has neither the \`${inc.label.name}\` label nor a severity label. Open incidents with the Incident issue form, or add the \`${inc.label.name}\` label.`,
      };
    }
    const verdict = incidentCommandAuthority(req.governance, inc, command, req.comment.author, req.now, req.thread.assignees, req.teams);
    return verdict.ok ? { ok: true } : { ok: false, reason: verdict.reason };
  };
}

function need<T>(r: ArgResult<T>): T {
  if (!r.ok) throw new CommandRefusal(r.message);
  return r.value;
}

/** Run an incident command: arguments first (a refusal changes nothing), then the engine. */
async function run(req: CommandRequest, effect: (state: IncidentState, ctx: PassContext, env: IncidentEnv) => CommandEffect): Promise<CommandOutcome> {
  const env = envOf(req);
  const result = await runIncidentCommand(env, facts(req), { id: req.comment.id }, (state, ctx) => effect(state, ctx, env));
  if ("refused" in result) throw new CommandRefusal(result.refused);
  if ("duplicate" in result) return {};
  return result.reply ? { reply: result.reply } : {};
}

function spec(name: IncidentCommand, usage: string, summary: string, body: (req: CommandRequest) => Promise<CommandOutcome>): CommandSpec {
  return { name, where: "issue", usage, summary, authorize: authorizeIncident(name), run: body };
}

/** `/ack`, `/escalate`, `/severity`, `/update`, `/resolve`, `/reopen`, `/commander`, `/page` on incidents, and `/oncall` anywhere. */
export const incidentCommandSpecs: CommandSpec[] = [
  spec("ack", "/ack", "Acknowledge the incident: the escalation ladder stops climbing.", (req) =>
    run(req, (state, ctx) => acknowledge(ctx, state, req.comment.author)),
  ),
  spec("escalate", "/escalate [reason]", "Page the next step of the escalation ladder now.", (req) =>
    run(req, (state, ctx) => escalate(ctx, state, req.comment.author, neutralize(req.command.text.slice(0, 500)))),
  ),
  spec("severity", "/severity <level> [reason]", "Change the severity: relabel and re-plan the remaining escalation steps.", (req) => {
    const inc = req.governance.incidents!;
    const a = need(severityArgs(inc, req.command));
    return run(req, (state, ctx, env) => changeSeverity(ctx, env.inc, state, a.severity, req.comment.author, a.reason));
  }),
  spec("update", "/update <investigating|identified|mitigating|monitoring|resolved> <what you know>", "Post a status update (resets the update reminder).", (req) => {
    const a = need(updateArgs(req.command));
    return run(req, (state, ctx, env) => recordUpdate(ctx, env.inc, state, req.comment.author, a, req.thread.url));
  }),
  spec("resolve", "/resolve <root cause>", "Resolve and close the incident; opens the post-incident review when the severity requires one.", (req) => {
    const a = need(resolveArgs(req.command));
    return run(req, (state, ctx, env) => resolveIncident(ctx, env.inc, state, req.comment.author, a, req.thread.url));
  }),
  spec("reopen", "/reopen", "Reopen a resolved incident: its ladder starts again from now.", (req) => run(req, (state, ctx, env) => reopenIncident(ctx, env.inc, state, req.comment.author))),
  spec("commander", "/commander @login", "Name the incident commander (assigned, and addressed by update reminders).", (req) => {
    const a = need(commanderArgs(req.command));
    return run(req, (state, ctx) => setCommander(ctx, state, a.login, req.comment.author));
  }),
  spec("page", "/page <role> [message]", "Page whoever holds a role or on-call tier now.", (req) => {
    const a = need(pageArgs(req.governance, req.command));
    return run(req, (state, ctx) => pageTarget(ctx, state, a.target, req.comment.author, a.message, req.comment.id));
  }),
  {
    name: "oncall",
    where: "any",
    usage: "/oncall",
    summary: "Who is on call for each tier now, and the next handoff.",
    authorize: () => ({ ok: true }),
    run: async (req) => ({ reply: oncallReport(req.governance, req.now), reaction: "eyes" }),
  },
];
