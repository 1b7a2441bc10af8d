import { durationMs } from "../duration.js";
import type { Governance } from "../model/governance.js";
import type { Severity } from "../model/incidents.js";
import { notFound } from "../authority/lookup.js";
import { asOf, done, holding, offset, table, titles, unknown, usage, type ExplainResult } from "./format.js";

/** A severity named by a person: `P1`, `p1`, or its label `severity: P1`. */
export function findSeverity(g: Governance, name: string): [string, Severity] | undefined {
  const entries = Object.entries(g.incidents?.severities ?? {});
  const lower = name.trim().toLowerCase();
  return entries.find(([n]) => n === name) ?? entries.find(([n]) => n.toLowerCase() === lower) ?? entries.find(([, s]) => s.label.toLowerCase() === lower);
}

function pageCell(g: Governance, refs: readonly string[], when: Date): string {
  return refs
    .map((r) => {
      const h = holding(g, r, when);
      const who = h.holders.length > 0 ? h.holders.join(", ") : h.oncall.length > 0 ? "nobody on call" : "no holders";
      return `${h.title} (${who})`;
    })
    .join(", ");
}

/** `charter explain severity P1`: the ladder as a timeline, with who would be paged at `when`. */
export function explainSeverity(g: Governance, words: readonly string[], when: Date): ExplainResult {
  const name = words.join(" ").trim();
  const names = Object.keys(g.incidents?.severities ?? {});
  if (name === "") return usage(`which severity? ${names.length > 0 ? `one of: ${names.join(", ")}` : "incidents.yml defines none"}`);
  const found = findSeverity(g, name);
  if (!found) return unknown(notFound("severity", name, names, "incidents.yml severities").message);
  const [id, s] = found;
  const steps = [...s.escalation].sort((a, b) => durationMs(a.after) - durationMs(b.after));
  const refs = [...steps.flatMap((x) => x.notify), ...(s.assign ? [s.assign] : [])];
  const lines = [`# Severity ${id}${s.title ? `: ${s.title}` : ""}`, "", s.description, ""];
  if (s.examples?.length) lines.push(`- Examples: ${s.examples.join("; ")}.`);
  lines.push(`- Label: \`${s.label}\`.`);
  lines.push(`- Acknowledge within: ${s.ack_within}.`);
  const assign = s.assign ?? steps[0]?.notify[0];
  if (assign) lines.push(`- Assigned when it opens: ${pageCell(g, [assign], when)}.`);
  lines.push(`- Status updates: ${s.updates_every ? `every ${s.updates_every} (Charter reminds when one is missed)` : "no cadence"}.`);
  if (s.review) {
    lines.push(`- Post-incident review: ${s.review.required ? `required${s.review.within ? `, due ${s.review.within} after resolution` : ""}${s.review.owner ? `, owned by ${titles(g, [s.review.owner])}` : ""}` : "not required"}.`);
  }
  if (s.freeze) lines.push(`- Freeze: yes; phase gates marked \`freeze\` fail while it is open.`);
  if (s.response) lines.push(`- Response: ${s.response}.`);
  if (s.channel) lines.push(`- Channel: ${s.channel}.`);
  lines.push("", "Escalation ladder (time since the incident opened):", "", ...asOf(g, refs, when));
  if (steps.length === 0) lines.push("No escalation steps: nobody is paged automatically.");
  else {
    lines.push(
      table(
        ["When", "Page", "Note", "Stops once"],
        steps.map((x) => [offset(durationMs(x.after)), pageCell(g, x.notify, when), x.note ?? "", x.until ?? "acknowledged"]),
      ),
    );
  }
  if (s.repeat) {
    lines.push("", `Then the last step repeats every ${s.repeat.every}${s.repeat.max ? `, at most ${s.repeat.max} times,` : ""} until ${s.repeat.until ?? "acknowledged"}.`);
  }
  return done(lines);
}
