/** `/rollback <to-phase> <type> <reason…>` and `/advance <to-phase>`: phase changes (authority.yml phases, rollback). */
import { planAdvanceCommand, planRollbackCommand } from "../core/killswitch/command.js";
import { heldRoles } from "../core/killswitch/people.js";
import type { CommandRequest, CommandSpec } from "./commands/spec.js";
import { authorizationOf, carryOut, commandFacts, memoPlan } from "./killswitch.js";

/** For /help: whether the commenter holds one of `roles` (`anyone` only with access to the repository). */
function mayActAsAny(req: CommandRequest, roles: string[]): boolean {
  return heldRoles(req.governance, roles, req.comment.author, req.now, req.teams, req.comment.association).length > 0;
}

export const rollbackCommand: CommandSpec = {
  name: "rollback",
  where: "any",
  summary: "Roll the rollout back to an earlier phase (emergency: at once; otherwise a sign-off pull request)",
  usage: "/rollback <to-phase> <type> <reason…>",
  authorize(req) {
    if (req.command.name !== "rollback") {
      const roles = Object.values(req.governance.authority?.rollback?.types ?? {}).flatMap((t) => [...t.decide, ...(t.approve ?? [])]);
      return mayActAsAny(req, roles) ? { ok: true } : { ok: false, reason: "no rollback role" };
    }
    return authorizationOf(memoPlan(req, (r) => planRollbackCommand(r.governance, r.command, commandFacts(r))));
  },
  run: (req) => carryOut(req, memoPlan(req, (r) => planRollbackCommand(r.governance, r.command, commandFacts(r)))),
};

export const advanceCommand: CommandSpec = {
  name: "advance",
  where: "any",
  summary: "Ask to move the rollout to the next phase (a pull request gated by the phase gate)",
  usage: "/advance <to-phase>",
  authorize(req) {
    if (req.command.name !== "advance") {
      const roles = (req.governance.authority?.phases?.gates ?? []).flatMap((x) => x.require);
      return mayActAsAny(req, roles) ? { ok: true } : { ok: false, reason: "no gate role" };
    }
    return authorizationOf(memoPlan(req, (r) => planAdvanceCommand(r.governance, r.command, commandFacts(r))));
  },
  run: (req) => carryOut(req, memoPlan(req, (r) => planAdvanceCommand(r.governance, r.command, commandFacts(r)))),
};
