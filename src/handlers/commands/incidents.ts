import { commanderArgs, pageArgs, resolveArgs, severityArgs, updateArgs, type ArgResult } from "../../core/incidents/args.js";
import { dependsOnAssignment, incidentCommandAuthority, type CommandActor, type IncidentCommand } from "../../core/incidents/authority.js";
import { oncallReport } from "../../core/incidents/oncall-report.js";
import type { PassContext } from "../../core/incidents/pass.js";
import { findSeverity, severityNames } from "../../core/incidents/severity.js";
import { awaitingAcks, charterAssigned, type IncidentState } from "../../core/incidents/state.js";
import { acknowledge, changeSeverity, escalate, pageTarget, recordUpdate, reopenIncident, resolveIncident, setCommander } from "../../core/incidents/transitions.js";
import { inlineUserText } from "../../core/text/untrusted.js";
import { incidentCaches } from "../../github/incidents/cache.js";
import { confirmIncident, isIncident, runIncidentCommand, type CommandEffect, type IncidentEnv, type IssueFacts } from "../../github/incidents/engine.js";
import { incidentGovernance } from "../../github/incidents/list.js";
import { loadState } from "../../github/incidents/store.js";
import { CommandRefusal, type Authorization, type CommandOutcome, type CommandRequest, type CommandSpec } from "./spec.js";

function facts(req: CommandRequest): IssueFacts {
  const t = req.thread;
  return {
    number: t.number,
    title: t.title,
    body: t.body,
    labels: t.labels,
    assignees: t.assignees,
    state: t.state,
    author: t.author,
    ...(t.authorAssociation ? { authorAssociation: t.authorAssociation } : {}),
    ...(t.authorType ? { authorType: t.authorType } : {}),
    url: t.url,
  };
}

async function envOf(req: CommandRequest): Promise<IncidentEnv> {
  const caches = incidentCaches(req.deps.governance);
  const model = incidentGovernance(req.snapshot, caches, req.repo);
  if (!model) throw new CommandRefusal("this repository has no `governance/incidents.yml`.");
  return { gh: req.gh, repo: req.repo, g: model.g, inc: model.inc, now: req.now, caches, identity: await req.deps.identity(), log: req.log, ...(req.deps.notify ? { notify: req.deps.notify } : {}) };
}

const actorOf = (req: CommandRequest): CommandActor => ({ login: req.comment.author, association: req.comment.association ?? null });

/** Charter's own record of the incident (sealed, verified), when there is one. */
async function recordOf(req: CommandRequest): Promise<{ kind: "found"; state: IncidentState } | { kind: "tampered" | "none" }> {
  const env = await envOf(req);
  const loaded = await loadState(env.gh, { identity: env.identity, repo: env.repo }, req.thread.number, env.caches);
  return loaded.kind === "found" ? { kind: "found", state: loaded.state } : { kind: loaded.kind };
}

/**
 * Incident commands work on incidents only (by their labels or form, or Charter's own record on the
 * issue), for the people incidents.yml names. `assignees` counts only people Charter assigned, so
 * when it is what could authorise the commenter, Charter's sealed record is read.
 */
function authorizeIncident(command: IncidentCommand) {
  return async (req: CommandRequest): Promise<Authorization> => {
    const inc = req.governance.incidents;
    if (!inc) return { ok: false, reason: "this repository has no `governance/incidents.yml`, so it has no incidents." };
    const actor = actorOf(req);
    let record: Awaited<ReturnType<typeof recordOf>> | undefined;
    if (!isIncident(inc, req.thread)) {
      record = await recordOf(req);
      if (record.kind === "none") {
        return {
          ok: false,
          reason: `#${req.thread.number} is not an incident: it has neither the \`${inc.label.name}\` label nor a severity label. Open incidents with the Incident issue form, or add the \`${inc.label.name}\` label.`,
        };
      }
    }
    const judge = () =>
      incidentCommandAuthority(
        req.governance,
        inc,
        command,
        actor,
        req.now,
        { assignees: req.thread.assignees, ...(record?.kind === "found" ? { charterAssigned: charterAssigned(record.state), owedAcks: awaitingAcks(record.state) } : {}) },
        req.teams,
      );
    let verdict = judge();
    // `assignees` counts only people Charter assigned, and a step with `ack: all` lets everyone it paged /ack: both are in Charter's record
    if (!verdict.ok && record === undefined && (dependsOnAssignment(inc, command, actor.login, req.thread.assignees) || (command === "ack" && Object.values(inc.severities).some((sev) => sev.escalation.some((step) => step.ack === "all"))))) {
      record = await recordOf(req);
      verdict = judge();
    }
    return verdict.ok ? { ok: true } : { ok: false, reason: verdict.reason };
  };
}

function need<T>(r: ArgResult<T>): T {
  if (!r.ok) throw new CommandRefusal(r.message);
  return r.value;
}

/** Run an incident command: arguments first (a refusal changes nothing), then the engine. */
async function run(req: CommandRequest, effect: (state: IncidentState, ctx: PassContext, env: IncidentEnv) => CommandEffect): Promise<CommandOutcome> {
  const env = await envOf(req);
  const result = await runIncidentCommand(env, facts(req), { id: req.comment.id }, (state, ctx) => effect(state, ctx, env));
  if ("refused" in result) throw new CommandRefusal(result.refused);
  if ("duplicate" in result) return {};
  return result.reply ? { reply: result.reply } : {};
}

function spec(name: IncidentCommand, usage: string, summary: string, body: (req: CommandRequest) => Promise<CommandOutcome>): CommandSpec {
  return { name, where: "issue", usage, summary, authorize: authorizeIncident(name), run: body };
}

/** `/ack`, `/escalate`, `/severity`, `/update`, `/resolve`, `/reopen`, `/commander`, `/page`, `/confirm` on incidents, and `/oncall` anywhere. */
export const incidentCommandSpecs: CommandSpec[] = [
  spec("ack", "/ack", "Acknowledge the incident: the escalation ladder stops climbing.", (req) =>
    run(req, (state, ctx) => acknowledge(ctx, state, req.comment.author)),
  ),
  spec("escalate", "/escalate [reason]", "Page the next step of the escalation ladder now.", (req) =>
    run(req, (state, ctx) => escalate(ctx, state, req.comment.author, inlineUserText(req.command.text, 500))),
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
    name: "confirm",
    where: "issue",
    usage: "/confirm [severity]",
    summary: "Make this issue an incident (e.g. a report from someone without access): the escalation ladder starts now.",
    authorize: (req) => {
      const inc = req.governance.incidents;
      if (!inc) return { ok: false, reason: "this repository has no `governance/incidents.yml`, so it has no incidents." };
      const verdict = incidentCommandAuthority(req.governance, inc, "confirm", actorOf(req), req.now, { assignees: [] }, req.teams);
      return verdict.ok ? { ok: true } : { ok: false, reason: verdict.reason };
    },
    run: async (req) => {
      const inc = req.governance.incidents!;
      const word = req.command.args[0];
      const severity = word === undefined ? undefined : findSeverity(inc, word);
      if (word !== undefined && !severity) throw new CommandRefusal(`\`${inlineUserText(word, 40)}\` is not a severity; use one of ${severityNames(inc).map((n) => `\`${n}\``).join(", ")}.`);
      const result = await confirmIncident(await envOf(req), facts(req), severity, req.comment.author);
      if ("refused" in result) throw new CommandRefusal(result.refused);
      return {};
    },
  },
  {
    name: "oncall",
    where: "any",
    usage: "/oncall",
    summary: "Who is on call for each tier now, and the next handoff.",
    authorize: () => ({ ok: true }),
    run: async (req) => ({ reply: oncallReport(req.governance, req.now), reaction: "eyes" }),
  },
];
