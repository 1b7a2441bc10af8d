/**
 * The comment commands of this area, from parsed words to a plan:
 *
 *   /killswitch activate <scope> <scenario> <reason…>
 *   /killswitch approve [<scope>]
 *   /killswitch reject [<scope>] [reason…]
 *   /killswitch resume [<scope>] [--verified <step> …]
 *   /killswitch status
 *   /rollback <to-phase> <type> <reason…>
 *   /advance <to-phase>
 */
import { restAfter, type ParsedCommand } from "../commands/parse.js";
import type { Governance } from "../model/governance.js";
import { closest } from "../validate/suggest.js";
import { planActivation } from "./activate.js";
import { planDecision } from "./approval.js";
import { planAdvance, planRollback } from "./phase.js";
import { refuse, sentence, type CommandFacts, type CommandPlan } from "./plan.js";

export type { CommandFacts };
import { parseResumeArgs, planResume } from "./resume.js";
import { planStatus } from "./status.js";


export const KILLSWITCH_SUBCOMMANDS = ["activate", "approve", "reject", "resume", "status"] as const;

export const KILLSWITCH_USAGE = "/killswitch activate <scope> <scenario> <reason…> | approve [<scope>] | reject [<scope>] [reason…] | resume [<scope>] [--verified <step> …] | status";

export function planKillSwitchCommand(g: Governance, command: ParsedCommand, facts: CommandFacts): CommandPlan {
  const sub = command.args[0];
  const base = { actor: facts.actor, at: facts.at, link: facts.link, cause: facts.cause, ...(facts.teams ? { teams: facts.teams } : {}), ...(facts.association !== undefined ? { association: facts.association } : {}) };
  switch (sub) {
    case "activate":
      return planActivation(g, { ...base, issue: facts.issue, scope: command.args[1], scenario: command.args[2], reason: restAfter(command, 3) });
    case "approve":
    case "reject":
      return planDecision(g, { ...base, decision: sub, args: command.args.slice(1) });
    case "resume": {
      const parsed = parseResumeArgs(restAfter(command, 1));
      if (!parsed.ok) return refuse("invalid", sentence(parsed.message));
      return planResume(g, { ...base, issue: facts.issue, args: parsed.args });
    }
    case "status":
      return planStatus(g, facts.at);
    case undefined:
      return refuse("invalid", `which action? one of ${KILLSWITCH_SUBCOMMANDS.map((s) => `\`${s}\``).join(", ")}.`);
    default: {
      const c = closest(sub, KILLSWITCH_SUBCOMMANDS);
      return refuse("invalid", `unknown action \`${sub}\`${c ? `: did you mean \`${c}\`?` : ""} Actions: ${KILLSWITCH_SUBCOMMANDS.map((s) => `\`${s}\``).join(", ")}.`);
    }
  }
}

export function planRollbackCommand(g: Governance, command: ParsedCommand, facts: CommandFacts): CommandPlan {
  return planRollback(g, { ...facts, to: command.args[0], type: command.args[1], reason: restAfter(command, 2) });
}

export function planAdvanceCommand(g: Governance, command: ParsedCommand, facts: CommandFacts): CommandPlan {
  if (command.args.length > 1) return refuse("invalid", `\`/advance\` takes one phase, got \`${command.text}\`.`);
  return planAdvance(g, { ...facts, to: command.args[0] });
}
