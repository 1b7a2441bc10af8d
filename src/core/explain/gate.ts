import { findGateByTitle, findPhase, notFound, phaseGate, phaseLabel, phaseOrder } from "../authority/lookup.js";
import type { Gate } from "../model/authority.js";
import type { Governance } from "../model/governance.js";
import { formatDuration } from "../duration.js";
import { gateTiming } from "../signoff/timing.js";
import { asOf, done, rolesTable, titles, unknown, usage, type ExplainFailure, type ExplainResult } from "./format.js";

/** A gate as a person names it: `P3 P4`, `P3->P4`, `P3 → P4`, `GA` (a gate or phase title), `P4` (the gate into P4). */
export type GateSpec = { from: string; to: string } | { gate: Gate; index: number };

/** Parse the words after `explain gate`. Unknown phases come back with a did-you-mean. */
export function parseGateSpec(g: Governance, words: readonly string[]): { ok: true; spec: GateSpec } | ExplainFailure {
  const tokens = words.join(" ").split(/\s*(?:->|→|=>|\.\.)\s*|\s+/).filter((t) => t.length > 0);
  const order = phaseOrder(g);
  const phaseTitles = Object.values(g.authority?.phases?.titles ?? {});
  const gateTitles = (g.authority?.phases?.gates ?? []).flatMap((x) => (x.title ? [x.title] : []));
  const unknownPhase = (name: string) => unknown(notFound("phase", name, order, "authority.yml phases.order", [...phaseTitles, ...gateTitles]).message);
  if (tokens.length === 1) {
    const name = tokens[0]!;
    const byTitle = findGateByTitle(g, name);
    if (byTitle) return { ok: true, spec: byTitle };
    const phase = findPhase(g, name);
    if (phase === undefined) return unknownPhase(name);
    const i = order.indexOf(phase);
    if (i === 0) return usage(`\`${phase}\` is the first phase: no gate leads into it; name two phases, e.g. \`gate ${phase} ${order[1] ?? ""}\``.trim());
    return { ok: true, spec: { from: order[i - 1]!, to: phase } };
  }
  if (tokens.length !== 2) return usage("name a gate as two phases (`gate P3 P4`, `gate P3->P4`) or by its title (`gate GA`)");
  const from = findPhase(g, tokens[0]!);
  if (from === undefined) return unknownPhase(tokens[0]!);
  const to = findPhase(g, tokens[1]!);
  if (to === undefined) return unknownPhase(tokens[1]!);
  return { ok: true, spec: { from, to } };
}

function vetoText(g: Governance, gate: Gate): string {
  const veto = gate.veto ?? "any-approver";
  if (veto === "any-approver") {
    return `any single veto blocks: a "request changes" review by anyone who may sign for a required role (holder or backup) blocks the gate until that person approves instead or the review is dismissed`;
  }
  if (veto === "none") return `none: change requests do not block; only the missing sign-offs do`;
  return `only ${titles(g, veto)} can veto: a "request changes" review by a holder of ${veto.length === 1 ? "that role" : "one of those roles"} blocks the gate until replaced or dismissed`;
}

function freezingSeverities(g: Governance): string[] {
  return Object.entries(g.incidents?.severities ?? {}).filter(([, s]) => s.freeze).map(([n]) => n);
}

/** The full explanation of one gate. */
export function renderGate(g: Governance, gate: Gate, index: number, when: Date): string[] {
  const head = `${phaseLabel(g, gate.from)} → ${phaseLabel(g, gate.to)}${gate.title && !phaseLabel(g, gate.to).includes(`(${gate.title})`) ? ` (${gate.title})` : ""}`;
  const distinct = gate.distinct ?? true;
  const lines = [
    `# Phase gate ${head}`,
    "",
    `Must sign: ${titles(g, gate.require)}. Each approves the pull request's current head commit; the author's own review and bot reviews never count.`,
    "",
    ...asOf(g, gate.require, when),
    rolesTable(g, gate.require, when),
    "",
    `- Veto: ${vetoText(g, gate)}.`,
    distinct
      ? `- Four eyes: each required role needs a different person; one person's approval counts for one role only.`
      : `- Four eyes: off: one person who holds several required roles signs for all of them.`,
  ];
  const confirmations = gate.confirmations ?? [];
  if (confirmations.length > 0) {
    lines.push(`- Confirmations: each is given by a holder of its role (without a role: of a required role) in the text of their approving review of the head commit, as the line ticked (\`- [x] …\`); a tick in the pull request description does not count:`);
    for (const c of confirmations) {
      if (typeof c === "string") lines.push(`  - [ ] ${c}`);
      else lines.push(`  - [ ] ${c.text}${c.role ? ` (${titles(g, [c.role])})` : ""}`);
    }
  } else lines.push(`- Confirmations: none.`);
  if (gate.freeze) {
    const sev = freezingSeverities(g);
    lines.push(`- Freeze: yes. The gate fails while a kill-switch is active${sev.length > 0 ? ` or an incident of severity ${sev.join(", ")} is open` : ""}.`);
  } else lines.push(`- Freeze: no.`);
  const timing = gateTiming(g, { gate, index });
  if (timing.validFor) lines.push(`- Approvals expire: one counts for ${timing.validFor.text} after it is given; an older one no longer signs (authority.yml ${timing.validFor.where}).`);
  if (timing.remindAfter) lines.push(`- Turnaround: signers still missing ${timing.remindAfter.text} after the pull request was opened are reminded once, their backups after ${formatDuration(2 * timing.remindAfter.ms)} (authority.yml ${timing.remindAfter.where}).`);
  const bg = g.authority?.break_glass;
  if (bg) lines.push(`- Break-glass: a holder of ${titles(g, bg.who)} may pass it at once with \`/breakglass <reason>\` (not for a change to governance/), logged and reviewed by ${titles(g, bg.review.roles)} within ${bg.review.within} (authority.yml break_glass).`);
  if (gate.activity) {
    const a = g.authority?.raci?.activities[gate.activity];
    if (a) {
      const parts = (["A", "R", "C", "I"] as const)
        .filter((l) => (a[l] ?? []).length > 0)
        .map((l) => `${{ A: "Accountable", R: "Responsible", C: "Consulted", I: "Informed" }[l]} ${titles(g, a[l] ?? [])}`);
      lines.push(`- RACI activity: ${a.title} (${gate.activity}): ${parts.join("; ")}.`);
    }
  }
  lines.push(`- Defined in: authority.yml phases.gates[${index}].`);
  return lines;
}

/** `charter explain gate …`: who must sign a phase change, and how. */
export function explainGate(g: Governance, words: readonly string[], when: Date): ExplainResult {
  if (words.length === 0) return usage("which gate? e.g. `gate P3 P4`, `gate P3->P4` or `gate GA`");
  const parsed = parseGateSpec(g, words);
  if (!parsed.ok) return parsed;
  const spec = parsed.spec;
  if ("gate" in spec) return done(renderGate(g, spec.gate, spec.index, when));
  const result = phaseGate(g, spec.from, spec.to);
  const move = `${phaseLabel(g, spec.from)} → ${phaseLabel(g, spec.to)}`;
  switch (result.kind) {
    case "gate":
      return done(renderGate(g, result.gate, result.index, when));
    case "unknown-phase":
      return unknown(notFound("phase", result.phase, result.known, "authority.yml phases.order").message);
    case "no-gate":
      return done([
        `# ${move}: no gate`,
        "",
        result.from === result.to
          ? `${result.from} is not a change of phase: nothing to sign.`
          : `authority.yml defines no gate from ${result.from} to ${result.to}. Charter falls back to OWNERS (fail safe): the owners of governance/state/phase.yml sign, or, when its line names none, the owners of /governance/.`,
      ]);
    case "rollback": {
      const types = Object.entries(g.authority?.rollback?.types ?? {});
      return done([
        `# ${move} is a rollback`,
        "",
        `Moving back to an earlier phase is a rollback: no phase gate applies; the rollback authority decides.`,
        ...(types.length > 0
          ? ["", "Rollback types (`charter explain rollback <type>`):", ...types.map(([id, t]) => `- ${id}: ${t.title}`)]
          : ["", "authority.yml defines no rollback types."]),
      ]);
    }
    case "skip": {
      const lines = [`# ${move} skips ${result.skipped.join(", ")}`, ""];
      if (!result.allowed) {
        const order = phaseOrder(g);
        const path = order.slice(order.indexOf(result.from), order.indexOf(result.to) + 1);
        const steps = path.slice(1).map((p, i) => `${path[i]} → ${p}`);
        lines.push(`Skipping phases is not allowed (authority.yml phases.allow_skip is false). Move one phase at a time: ${steps.join(", ")}.`);
        return done(lines);
      }
      lines.push(`Skipping is allowed (phases.allow_skip: true); every gate along the way applies:`, "");
      for (const step of result.gates) lines.push(...renderGate(g, step.gate, step.index, when).map((l) => (l.startsWith("# ") ? `#${l}` : l)), "");
      if (result.gates.length === 0) lines.push("No gates are defined along the way. Charter falls back to OWNERS (fail safe): the owners of governance/state/phase.yml sign, or, when its line names none, the owners of /governance/.");
      return done(lines);
    }
  }
}
