import { ANYONE, EVERYONE } from "../../model/common.js";
import type { Governance } from "../../model/governance.js";
import type { Problem } from "../problem.js";
import { didYouMean } from "../suggest.js";
import { gateName, type YamlPath } from "./refs.js";

const FILE = "authority.yml";

/**
 * Phases and phase gates: every phase named is in `phases.order` (once), every gate moves between
 * two different phases and is defined once, vetoes and confirmations belong to roles that sign.
 * Reads authority.yml and roles.yml only (the current phase: currentPhaseProblems).
 */
export function gateProblems(g: Governance): Problem[] {
  const problems: Problem[] = [];
  const phases = g.authority?.phases;
  if (!phases) return problems;

  const order = phases.order;
  const known = new Set(order);
  const unknownPhase = (file: string, path: YamlPath, phase: string, subject: string) => {
    if (!known.has(phase)) problems.push(unknownPhaseProblem(order, file, path, phase, subject));
  };

  const firstIndex = new Map<string, number>();
  order.forEach((phase, i) => {
    const first = firstIndex.get(phase);
    if (first === undefined) firstIndex.set(phase, i);
    else problems.push({ file: FILE, path: ["phases", "order", i], message: `phase \`${phase}\` is listed twice in phases.order`, hint: `remove one of them (it is also item ${first + 1})` });
  });

  for (const phase of Object.keys(phases.titles ?? {})) {
    if (!known.has(phase)) {
      problems.push({ file: FILE, path: ["phases", "titles", phase], at: "key", message: `phases.titles names \`${phase}\`, which is not a phase`, hint: withOrder(order, didYouMean(phase, order, { unique: true }), "add it to phases.order or remove the title") });
    }
  }

  const seen = new Map<string, number>();
  phases.gates.forEach((gate, gi) => {
    const base: YamlPath = ["phases", "gates", gi];
    unknownPhase(FILE, [...base, "from"], gate.from, `${gateName(gate)}: \`from: ${gate.from}\``);
    unknownPhase(FILE, [...base, "to"], gate.to, `${gateName(gate)}: \`to: ${gate.to}\``);
    if (gate.from === gate.to) {
      problems.push({ file: FILE, path: [...base, "to"], message: `${gateName(gate)} goes from a phase to itself`, hint: "a gate moves the rollout to another phase: fix `from` or `to`" });
    }
    const key = `${gate.from}\u0000${gate.to}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ file: FILE, path: base, message: `${gateName(gate)} is defined twice (gates ${first + 1} and ${gi + 1})`, hint: "merge them into one gate: which one applies would be ambiguous" });
    } else seen.set(key, gi);

    const required = new Set(gate.require);
    // A misspelt role in `require` is reported as an unknown role; its vetoes and confirmations
    // would only repeat that mistake, so they are checked once `require` is right.
    const requireIsKnown = gate.require.every((r) => Object.hasOwn(g.roles.roles, r) || r === ANYONE || r === EVERYONE);
    gate.require.forEach((r, i) => {
      if (gate.require.indexOf(r) !== i) problems.push({ file: FILE, path: [...base, "require", i], message: `${gateName(gate)} requires \`${r}\` twice`, hint: "list each role once" });
    });
    if (!requireIsKnown) return;
    if (Array.isArray(gate.veto)) {
      gate.veto.forEach((r, i) => {
        if (!required.has(r)) {
          problems.push({ file: FILE, path: [...base, "veto", i], message: `${gateName(gate)}: veto role \`${r}\` is not among the roles it requires (${gate.require.join(", ")})`, hint: `only a role that signs the gate can veto it: add \`${r}\` to \`require\` or remove it from \`veto\`` });
        }
      });
    }
    (gate.confirmations ?? []).forEach((c, ci) => {
      if (typeof c === "string" || c.role === undefined || required.has(c.role)) return;
      problems.push({ file: FILE, path: [...base, "confirmations", ci, "role"], message: `${gateName(gate)}: confirmation by \`${c.role}\` is not among the roles it requires (${gate.require.join(", ")})`, hint: `add \`${c.role}\` to \`require\`, or give the confirmation to a required role` });
    });
  });

  return problems;
}

/** The current phase (state/phase.yml) is a phase of authority.yml's `phases.order`. */
export function currentPhaseProblems(g: Governance): Problem[] {
  const current = g.state.phase;
  if (!current) return [];
  const order = g.authority?.phases?.order;
  if (!order) {
    return [
      {
        file: "state/phase.yml",
        path: ["phase"],
        message: `the current phase is \`${current.phase}\`, but authority.yml defines no phases`,
        hint: "add `phases:` with `order:` and `gates:` to authority.yml, or delete state/phase.yml",
      },
    ];
  }
  return order.includes(current.phase) ? [] : [unknownPhaseProblem(order, "state/phase.yml", ["phase"], current.phase, `the current phase \`${current.phase}\``)];
}

/** A hint that ends with the phases in order: the closest name when there is one, else `otherwise`. */
function withOrder(order: readonly string[], suggestion: string | undefined, otherwise: string): string {
  const orderText = order.join(", ");
  return suggestion ? `${suggestion} phases.order is ${orderText}` : `${otherwise}; phases.order is ${orderText}`;
}

/** A phase named where `phases.order` does not list it. */
function unknownPhaseProblem(order: readonly string[], file: string, path: YamlPath, phase: string, subject: string): Problem {
  return { file, path, message: `${subject} is not a phase in phases.order`, hint: withOrder(order, didYouMean(phase, order, { unique: true }), "add it to phases.order") };
}
