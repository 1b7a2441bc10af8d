/**
 * `/swap @a @b <from> <to>` and `/override <from> <to> [@who] [<schedule>/<tier>] [urgent <reason…>]`
 * on an issue: a pull request editing governance/oncall.yml that the people involved approve, or
 * (urgent) an override in effect at once, approved afterwards with `/override approve`
 * (src/core/oncall/swap/plan.ts, docs/swaps.md).
 */
import { hasRepositoryAccess } from "../core/access/association.js";
import { OVERRIDE_USAGE, planOverrideCommand, planSwap, SWAP_USAGE } from "../core/oncall/swap/plan.js";
import type { CommandSpec } from "./commands/spec.js";
import { authorizationOf, carryOut, commandFacts, memoPlan } from "./killswitch.js";

export const swapCommand: CommandSpec = {
  name: "swap",
  where: "issue",
  summary: "Swap on-call shifts with someone between two instants (a pull request both approve)",
  usage: SWAP_USAGE,
  authorize(req) {
    if (req.command.name !== "swap") return hasRepositoryAccess(req.comment.association) ? { ok: true } : { ok: false, reason: "no access" };
    return authorizationOf(memoPlan(req, (r) => planSwap(r.governance, r.command, commandFacts(r))));
  },
  run: (req) => carryOut(req, memoPlan(req, (r) => planSwap(r.governance, r.command, commandFacts(r)))),
};

export const overrideCommand: CommandSpec = {
  name: "override",
  where: "issue",
  summary: "Cover or hand over an on-call shift (a pull request the people involved approve; `urgent`: at once, approved afterwards)",
  usage: OVERRIDE_USAGE,
  authorize(req) {
    if (req.command.name !== "override") return hasRepositoryAccess(req.comment.association) ? { ok: true } : { ok: false, reason: "no access" };
    return authorizationOf(memoPlan(req, (r) => planOverrideCommand(r.governance, r.command, commandFacts(r))));
  },
  run: (req) => carryOut(req, memoPlan(req, (r) => planOverrideCommand(r.governance, r.command, commandFacts(r)))),
};
