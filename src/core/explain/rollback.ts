import { rollbackAuthority } from "../authority/lookup.js";
import type { Governance } from "../model/governance.js";
import { asOf, done, titles, unknown, usage, whoList, type ExplainResult } from "./format.js";

/** `charter explain rollback <type>`: who decides, approves, is consulted and informed. */
export function explainRollback(g: Governance, words: readonly string[], when: Date): ExplainResult {
  const name = words.join(" ").trim();
  const types = Object.keys(g.authority?.rollback?.types ?? {});
  if (name === "") return usage(`which rollback type? ${types.length > 0 ? `one of: ${types.join(", ")}` : "authority.yml defines none"}`);
  const r = rollbackAuthority(g, name);
  if (!r.ok) return unknown(r.message);
  const all = [...r.decide, ...r.approve, ...r.consult, ...r.inform];
  const lines = [`# Rollback: ${r.title} (${r.id})`, "", ...asOf(g, all, when)];
  if (r.immediate) {
    lines.push(`- Decides: ${whoList(g, r.decide, when)}. Immediate: any one of them may roll back at once with a command; no pull request, no waiting.`);
  } else {
    lines.push(`- Decides: ${whoList(g, r.decide, when)}. ${r.decide.length > 1 ? "Each must sign" : "Signs"} the rollback pull request (an approving review of its head commit).`);
  }
  lines.push(`- Approves: ${r.approve.length > 0 ? `${whoList(g, r.approve, when)}; the rollback waits for this approval` : "no further approval"}.`);
  lines.push(`- Consulted: ${r.consult.length > 0 ? `${titles(g, r.consult)} (asked for review; does not block)` : "nobody"}.`);
  lines.push(`- Informed: ${r.inform.length > 0 ? `${titles(g, r.inform)}, ${r.informWhen === "after" ? "after the rollback" : "before the rollback"}` : "nobody"}.`);
  if (r.activity) {
    const a = g.authority?.raci?.activities[r.activity];
    lines.push(`- RACI activity: ${a ? `${a.title} (${r.activity})` : r.activity}.`);
  }
  const form = g.authority?.rollback?.form ?? [];
  if (form.length > 0) lines.push(`- Sign-off form (headings of the pull request body): ${form.join(", ")}.`);
  const reasons = g.authority?.rollback?.reasons ?? [];
  if (reasons.length > 0) lines.push(`- Reasons: ${reasons.join("; ")}.`);
  lines.push(`- Defined in: authority.yml rollback.types.${r.id}.`);
  return done(lines);
}
