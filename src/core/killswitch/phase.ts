/**
 * `/rollback <to-phase> <type> <reason…>` (D9 §6.3, §6.4) and `/advance <to-phase>` (§6.1, §6.2).
 *
 * An emergency rollback (a type with `immediate: true`) by a holder of one of its `decide` roles
 * takes effect at once: the phase is written, the rollback logged, active kill-switches marked
 * `rolled_back` (resuming them then needs the rollback authority), and the `inform` roles told.
 * Every other rollback, and every advance, is a pull request gated by the sign-off check:
 * rollbacks carry the sign-off form, advances the gate's confirmations.
 */
import { findPhase, phaseGate, phaseLabel, phaseOrder, rollbackAuthority, type RollbackAuthority } from "../authority/lookup.js";
import type { Gate } from "../model/authority.js";
import type { Governance } from "../model/governance.js";
import type { LogEntry } from "../model/state.js";
import { closest } from "../validate/suggest.js";
import { entryId, iso } from "./log.js";
import { heldRoles, mentions, peopleFor, roleTitles, rolesWithHolders } from "./people.js";
import { type CommandFacts, refuse, sentence, type CommandPlan, type PullRequestSpec, type Refusal } from "./plan.js";
import { activeSwitches } from "./scope.js";
import { appendLog, editSwitches, setPhase, type StateEdit } from "./state-text.js";

type PhaseInput = CommandFacts;

export interface RollbackInput extends PhaseInput {
  to: string | undefined;
  type: string | undefined;
  reason: string;
}

export interface AdvanceInput extends PhaseInput {
  to: string | undefined;
}

function currentAndTarget(g: Governance, to: string | undefined, command: string): Refusal | { from: string; to: string } {
  const order = phaseOrder(g);
  if (order.length === 0) return refuse("state", "authority.yml defines no phases (`phases.order`).");
  const from = g.state.phase?.phase;
  if (from === undefined) return refuse("state", "there is no `governance/state/phase.yml`, so the current phase is unknown: add it (e.g. `phase: P0`) through a pull request first.");
  if (to === undefined || to.trim() === "") return refuse("invalid", `which phase? \`${command} <phase>\`, one of ${order.map((p) => `\`${p}\``).join(", ")}.`);
  const target = findPhase(g, to);
  if (target === undefined) {
    const c = closest(to, order);
    return refuse("invalid", `unknown phase \`${to}\`${c ? `: did you mean \`${c}\`?` : ""} Phases: ${order.map((p) => `\`${p}\``).join(", ")}.`);
  }
  return { from, to: target };
}

/** The §6.4 form: one `**Field:** value` line per authority.yml `rollback.form` field. */
function rollbackForm(g: Governance, t: RollbackAuthority, values: { from: string; to: string; reason: string; actor: string; actorRoles: string[]; at: Date; approvedBy: string }): string[] {
  const fields = g.authority?.rollback?.form ?? ["Date", "Time", "Rolled back from", "Rolled back to", "Reason", "Authorized by", "Approved by", "Next steps"];
  const stamp = iso(values.at);
  const known: Record<string, string> = {
    date: stamp.slice(0, 10),
    time: `${stamp.slice(11, 16)} UTC`,
    "rolled back from": values.from,
    "rolled back to": values.to,
    reason: values.reason,
    "authorized by": `@${values.actor} (Role: ${roleTitles(g, values.actorRoles)})`,
    "approved by": values.approvedBy,
    "next steps": `investigation owner, re-ramp target date and client communication (required or not) to be agreed by ${roleTitles(g, t.decide)}`,
    type: t.title,
  };
  return fields.map((f) => `**${f}:** ${known[f.toLowerCase()] ?? `to be filled in by @${values.actor}`}`);
}

export function planRollback(g: Governance, input: RollbackInput): CommandPlan {
  const { actor, at } = input;
  const phases = currentAndTarget(g, input.to, "/rollback");
  if ("ok" in phases) return phases;
  const { from, to } = phases;
  const move = phaseGate(g, from, to);
  if (move.kind !== "rollback") {
    return refuse("invalid", from === to ? `the rollout is already in ${phaseLabel(g, from)}.` : `${phaseLabel(g, to)} is not behind the current phase ${phaseLabel(g, from)}: \`/rollback\` moves backwards; \`/advance ${to}\` moves forwards.`);
  }
  const types = Object.keys(g.authority?.rollback?.types ?? {});
  if (input.type === undefined) return refuse("invalid", `which rollback type? one of ${types.map((t) => `\`${t}\``).join(", ") || "(authority.yml defines none)"}.`);
  const t = rollbackAuthority(g, input.type);
  if (!t.ok) return refuse("invalid", sentence(t.message));
  const reason = input.reason.trim();
  if (reason === "") return refuse("invalid", "a reason is required: it goes on the rollback sign-off form (D9 §6.4) and in the log.");

  const deciders = heldRoles(g, t.decide, actor, at, input.teams, input.association);
  const requesters = t.immediate ? t.decide : [...new Set([...t.decide, ...t.approve])];
  const held = heldRoles(g, requesters, actor, at, input.teams, input.association);
  if (held.length === 0) {
    return refuse("forbidden", `the ${t.title} rollback (\`${t.id}\`) is decided by ${rolesWithHolders(g, t.decide, at, input.teams)}${t.approve.length > 0 ? ` with the approval of ${roleTitles(g, t.approve)}` : ""}; @${actor} holds none of these roles.`);
  }
  const inform = peopleFor(g, t.inform, at, { exclude: [actor], teams: input.teams });
  const consult = peopleFor(g, t.consult, at, { exclude: [actor], teams: input.teams });
  const activeScopes = activeSwitches(g.state.killswitch).map(([s]) => s);
  const label = `${phaseLabel(g, from)} → ${phaseLabel(g, to)}`;
  const commitMessage = `charter: roll back ${from} → ${to} (${t.id}) by ${actor}\n\n${reason}\n${input.link}`;
  const entry = (approval: string): LogEntry => ({
    id: entryId("rollback", input.cause),
    timestamp: iso(at),
    action: "rollback",
    actor,
    reason,
    approval,
    notified: [...new Set([...inform, ...consult])],
    from_phase: from,
    to_phase: to,
    rollback_type: t.id,
    link: input.link,
  });
  const markSwitches: StateEdit = editSwitches((switches) =>
    Object.fromEntries(Object.entries(switches).map(([scope, s]) => [scope, s.active && !s.rolled_back ? { ...s, rolled_back: true } : s])),
  );
  const signers = [...new Set([...t.decide, ...t.approve])];
  const prSpec = (e: LogEntry, note: string): PullRequestSpec => ({
    branch: `charter/rollback-${to.toLowerCase()}-${String(input.cause)}`,
    request: { kind: "rollback", issue: input.issue, by: actor, from, to, rollbackType: t.id },
    title: `Rollback: phase ${label} (${t.title})`,
    body: [
      `## Rollback sign-off: phase ${label}`,
      "",
      `**Rollback type:** ${t.title} (\`${t.id}\`)`,
      "",
      `Requested by @${actor} in #${input.issue} (${input.link}).`,
      ...(note ? ["", note] : []),
      "",
      ...rollbackForm(g, t, {
        from,
        to,
        reason,
        actor,
        actorRoles: held,
        at,
        approvedBy: `pending: sign-off on this pull request by ${roleTitles(g, signers)}`,
      }),
      "",
      `**Required sign-off:** an approving review on the head commit by a holder of each of ${roleTitles(g, signers)} (a different person for each).`,
      "",
      "| role | who holds it now |",
      "|---|---|",
      ...signers.map((r) => `| ${roleTitles(g, [r])} | ${mentions(peopleFor(g, [r], at, { teams: input.teams, backups: true }))} |`),
      "",
      ...(consult.length > 0 ? [`Consulted (${roleTitles(g, t.consult)}): ${mentions(consult)}.`] : []),
      ...(t.inform.length > 0 ? [`Informed (${roleTitles(g, t.inform)}${t.informWhen === "after" ? ", after the rollback" : ""}): ${t.informWhen === "after" ? "Charter tells them when this merges" : mentions(inform)}.`] : []),
      "",
      `Merging this pull request moves \`governance/state/phase.yml\` to ${to}; the log entry is in \`governance/state/log.yml\`.${activeScopes.length > 0 ? ` Active kill-switches (${activeScopes.join(", ")}) are then marked \`rolled_back\`.` : ""}`,
    ].join("\n"),
    edits: [setPhase({ phase: to, since: iso(at), by: actor, link: input.link }), appendLog(e)],
    commitMessage,
  });

  if (t.immediate) {
    if (deciders.length === 0) return refuse("forbidden", `only ${rolesWithHolders(g, t.decide, at, input.teams)} may roll back immediately (${t.title}).`);
    const e = entry(`not required: ${t.title}, ${roleTitles(g, deciders)} acts immediately`);
    const informed = t.inform.length > 0 ? `\n${t.informWhen === "after" ? "Informed after the rollback" : "Informed"} (${roleTitles(g, t.inform)}): ${mentions(inform)}.` : "";
    const marked = activeScopes.length > 0 ? ` Active kill-switches (${activeScopes.map((s) => `\`${s}\``).join(", ")}) are marked \`rolled_back\`: resuming them needs the rollback authority.` : "";
    return {
      ok: true,
      kind: "direct",
      edits: [setPhase({ phase: to, since: iso(at), by: actor, link: input.link }), appendLog(e), ...(activeScopes.length > 0 ? [markSwitches] : [])],
      commitMessage,
      reply: `rolled back: the rollout is now in **${phaseLabel(g, to)}** (was ${phaseLabel(g, from)}), ${t.title}. Logged in \`governance/state/log.yml\`.${marked}${informed}`,
      fallback: prSpec(e, "Branch protection refused Charter's direct write, so this emergency rollback is a pull request: it takes effect when merged."),
      fallbackReply: (p, why) => `branch protection refused Charter's direct write (${why}), so the rollout is **still in ${phaseLabel(g, from)}**. I opened #${p.number} with the rollback: merge it now.`,
    };
  }
  const e = entry(`sign-off on the pull request: ${roleTitles(g, signers)}`);
  return {
    ok: true,
    kind: "pull-request",
    pr: prSpec(e, ""),
    reply: (p) => `a ${t.title} rollback (${label}) needs sign-off by ${roleTitles(g, signers)}. I opened #${p.number} with the rollback sign-off form: it takes effect when merged; the rollout stays in ${phaseLabel(g, from)} until then.`,
  };
}

function confirmationText(c: NonNullable<Gate["confirmations"]>[number]): string {
  return typeof c === "string" ? c : c.text;
}

export function planAdvance(g: Governance, input: AdvanceInput): CommandPlan {
  const { actor, at } = input;
  const phases = currentAndTarget(g, input.to, "/advance");
  if ("ok" in phases) return phases;
  const { from, to } = phases;
  if (from === to) return refuse("invalid", `the rollout is already in ${phaseLabel(g, from)}.`);
  const move = phaseGate(g, from, to);
  let gates: Gate[];
  switch (move.kind) {
    case "unknown-phase":
      return refuse("state", `the current phase \`${move.phase}\` in state/phase.yml is not in authority.yml \`phases.order\`.`);
    case "rollback":
      return refuse("invalid", `${phaseLabel(g, to)} is behind the current phase ${phaseLabel(g, from)}: that is a rollback, \`/rollback ${to} <type> <reason>\` (types: ${Object.keys(g.authority?.rollback?.types ?? {}).map((t) => `\`${t}\``).join(", ")}).`);
    case "skip":
      if (!move.allowed) {
        const next = phaseOrder(g)[phaseOrder(g).indexOf(from) + 1]!;
        return refuse("invalid", `advancing from ${phaseLabel(g, from)} to ${phaseLabel(g, to)} would skip ${move.skipped.join(", ")}, and authority.yml \`phases.allow_skip\` is false: advance one phase at a time, \`/advance ${next}\`.`);
      }
      gates = move.gates.map((x) => x.gate);
      break;
    case "gate":
      gates = [move.gate];
      break;
    case "no-gate":
      gates = [];
      break;
  }
  const signers = [...new Set(gates.flatMap((x) => x.require))];
  const requesters = signers.length > 0 ? signers : Object.keys(g.roles.roles);
  if (heldRoles(g, requesters, actor, at, input.teams, input.association).length === 0) {
    return refuse("forbidden", `advancing to ${phaseLabel(g, to)} is asked for by a holder of a role that signs its gate: ${rolesWithHolders(g, requesters, at, input.teams)}; @${actor} holds none of these roles.`);
  }
  const label = `${phaseLabel(g, from)} → ${phaseLabel(g, to)}`;
  const confirmations = gates.flatMap((x) => x.confirmations ?? []);
  const frozen = gates.some((x) => x.freeze) ? activeSwitches(g.state.killswitch).map(([s]) => s) : [];
  const freezeNote = frozen.length > 0 ? `**Frozen:** the kill-switch is active (${frozen.map((s) => `\`${s}\``).join(", ")}) and this gate freezes while it is: the sign-off check stays red until it is resumed.` : "";
  const entry: LogEntry = {
    id: entryId("advance", input.cause),
    timestamp: iso(at),
    action: "advance",
    actor,
    approval: signers.length > 0 ? `sign-off on the pull request: ${roleTitles(g, signers)}` : "no gate defined",
    notified: peopleFor(g, signers, at, { exclude: [actor], teams: input.teams }),
    from_phase: from,
    to_phase: to,
    link: input.link,
  };
  const body = [
    `## Advance: phase ${label}`,
    "",
    `Requested by @${actor} in #${input.issue} (${input.link}).`,
    ...(freezeNote ? ["", freezeNote] : []),
    "",
    ...gates.map((x) => `**Gate ${x.title ? `${x.title} ` : ""}(${x.from} → ${x.to}):** sign-off by ${roleTitles(g, x.require)}${x.veto === "none" ? "" : "; a change request by any of them is a veto"}.`),
    ...(gates.length === 0 ? [`No gate is defined for ${label} in authority.yml \`phases.gates\`.`] : []),
    "",
    ...(signers.length > 0
      ? ["| role | who holds it now |", "|---|---|", ...signers.map((r) => `| ${roleTitles(g, [r])} | ${mentions(peopleFor(g, [r], at, { teams: input.teams, backups: true }))} |`), ""]
      : []),
    ...(confirmations.length > 0 ? ["### Confirmations", "", "Each signer confirms their line by pasting it, ticked (`- [x] …`), into the text of their approving review; ticking it here does not count:", "", ...confirmations.map((c) => `- [ ] ${confirmationText(c)}`), ""] : []),
    `Merging this pull request moves \`governance/state/phase.yml\` to ${to}; the log entry is in \`governance/state/log.yml\`.`,
    "",
    `cc ${mentions(peopleFor(g, signers, at, { exclude: [actor], teams: input.teams }))}`,
  ].join("\n");
  const edits: StateEdit[] = [setPhase({ phase: to, since: iso(at), by: actor, link: input.link }), appendLog(entry)];
  return {
    ok: true,
    kind: "pull-request",
    pr: {
      branch: `charter/advance-${to.toLowerCase()}-${String(input.cause)}`,
      request: { kind: "advance", issue: input.issue, by: actor, from, to },
      title: `Advance: phase ${label}`,
      body,
      edits,
      commitMessage: `charter: advance ${from} → ${to} requested by ${actor}\n\n${input.link}`,
    },
    reply: (p) =>
      `advancing ${label} needs ${signers.length > 0 ? `sign-off by ${roleTitles(g, signers)}` : "a merged pull request"}${confirmations.length > 0 ? ` and ${confirmations.length} confirmation${confirmations.length === 1 ? "" : "s"}` : ""}. I opened #${p.number}: the rollout moves when it is merged.${freezeNote ? ` ${freezeNote}` : ""}`,
  };
}
