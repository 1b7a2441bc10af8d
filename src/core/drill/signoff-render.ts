/** The words of `charter drill gate | resume | rollback | path`: Markdown that reads as text, or JSON. */
import { incidentZone } from "../incidents/oncall-report.js";
import type { Governance } from "../model/governance.js";
import { alignedTable, cellIn, localText, utcText } from "./format.js";

/** Sign-off drills print text for a terminal (Markdown that reads as text, like `charter explain`). */
const cell = (text: string, max?: number) => cellIn("text", text, max);
import type { DrillGate, DrillSigner, SignoffDrill } from "./signoff.js";

function list(people: readonly string[]): string {
  return people.length > 0 ? people.join(", ") : "—";
}

function signerNote(s: DrillSigner): string {
  if (s.anyone) return "anyone with access to the repository (not the author)";
  const notes: string[] = [];
  if (s.teams.length > 0) {
    notes.push(`members of ${s.teams.join(", ")}: read from GitHub in App mode; with the workflow's GITHUB_TOKEN in Actions they cannot be read, so they sign nobody in there`);
  }
  if (s.holders.length === 0 && s.backups.length === 0 && s.teams.length === 0) notes.push("nobody holds it now: this gate cannot pass");
  return notes.join("; ");
}

function vetoText(gate: DrillGate): string {
  if (gate.veto.rule === "none") return "none: change requests do not block; only missing sign-offs do";
  const who = gate.veto.by.map((v) => `${list([...v.holders, ...v.backups, ...v.teams.map((t) => `${t} (team)`)])} (${v.label})`).join("; ");
  const whose = gate.veto.rule === "any-approver" ? "anyone who may sign for a required role" : gate.kind === "rollback" ? "a holder of any role of the rollback authority (whatever type is declared)" : "a holder of a veto role";
  return `a "request changes" review by ${whose} blocks until that person approves instead or a holder of the same role dismisses it: ${who || "nobody"}`;
}

function gateLines(gate: DrillGate, showReasons: boolean): string[] {
  const lines = [`## ${cell(gate.title)}`, ""];
  if (showReasons && gate.reasons.length > 0) lines.push(`Why it applies: ${cell(gate.reasons.join("; "), 1_000)}. Rule: ${gate.source}.`, "");
  else lines.push(`Rule: ${gate.source}.`, "");
  if (gate.refusal !== undefined) {
    lines.push(`Refused whoever signs: ${cell(gate.refusal, 1_000)}.`);
    return lines;
  }
  lines.push(
    alignedTable(
      ["Must sign", "Holders", "Backups", "Note"],
      gate.signers.map((s) => [cell(s.label), s.anyone ? "anyone" : cell(list([...s.holders, ...s.teams.map((t) => `${t} (team)`)])), cell(list(s.backups)), cell(signerNote(s), 500)]),
    ),
    "",
    gate.fourEyes ? "- Four eyes: each signer needs a different person; one person's approval counts for one of them only." : "- Four eyes: off: one person who holds several of these roles signs for all of them.",
    `- Veto: ${cell(vetoText(gate), 2_000)}.`,
  );
  if (gate.confirmations.length > 0) {
    lines.push("- Confirmations, each as a ticked line (`- [x] …`) in the confirmer's approving review of the head commit:");
    for (const c of gate.confirmations) lines.push(`  - [ ] ${cell(c.text)}${c.by ? ` (${cell(c.by)})` : ""}`);
  }
  if (gate.form.length > 0) lines.push(`- Sign-off form, filled in in the description: ${gate.form.map((f) => `\`${cell(f, 100)}:\``).join(", ")}.`);
  lines.push(gate.freeze ? "- Freeze: yes: it fails while a kill-switch is active or a freezing incident is open." : "- Freeze: no.");
  return lines;
}

const QUESTION: Record<SignoffDrill["question"]["kind"], string> = {
  gate: "Drill: who must sign",
  rollback: "Drill: who must sign a rollback",
  resume: "Drill: who must sign to resume the kill-switch",
  path: "Drill: who must sign a change to",
};

export function signoffDrillText(g: Governance, d: SignoffDrill, dir: string): string {
  const zone = incidentZone(g);
  const q = d.question;
  const what = q.kind === "gate" ? `phase ${q.from} → ${q.to}` : q.kind === "rollback" ? `${q.from} → ${q.to}, type ${q.type}` : q.kind === "resume" ? `\`${q.scope}\`` : q.paths.map((p) => `\`${cell(p, 200)}\``).join(", ");
  const lines = [
    `${QUESTION[q.kind]} ${what}, with the holders at ${localText(d.at, zone)} (${utcText(d.at)}).`,
    `Nothing is sent or written anywhere: ${cell(d.scenario, 2_000)}, in ${dir}/ as it is, would need what follows (as if nobody had reviewed it yet).`,
  ];
  for (const n of d.notes) lines.push("", `Note: ${cell(n, 1_000)}`);
  if (d.gates.length === 0) lines.push("", "No gate applies: no phase, kill-switch or owned path changes, so Charter asks for no sign-off.");
  for (const gate of d.gates) lines.push("", ...gateLines(gate, q.kind !== "rollback"));
  return lines.join("\n");
}

export function signoffDrillJson(d: SignoffDrill): string {
  return JSON.stringify(d, null, 2);
}
