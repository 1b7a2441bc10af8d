import { activity as findActivity, phaseLabel, RACI_LETTERS, raciLettersOf } from "../authority/lookup.js";
import type { Activity } from "../model/authority.js";
import { ANYONE, EVERYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";
import { roleTitle } from "../roles/resolve.js";
import { done, titles, unknown, type ExplainResult } from "./format.js";

export const RACI_LEGEND =
  "**Legend:** R = Responsible (does the work; assigned), A = Accountable (signs off), C = Consulted (asked for review; does not block), I = Informed (mentioned, kept in the loop)";

const LETTER_WORDS = {
  R: "Responsible (does the work; assigned)",
  A: "Accountable (signs off)",
  C: "Consulted (asked for review)",
  I: "Informed (mentioned)",
} as const;

/** The RACI columns: `raci.columns`, then any other role an activity names (roles.yml order). */
export function raciColumns(g: Governance): string[] {
  const activities = Object.values(g.authority?.raci?.activities ?? {});
  const named = new Set(activities.flatMap((a) => RACI_LETTERS.flatMap((l) => a[l] ?? [])));
  const columns = [...(g.authority?.raci?.columns ?? [])];
  const extra = [...Object.keys(g.roles.roles), ...named].filter((r) => named.has(r) && !columns.includes(r) && r !== EVERYONE && r !== ANYONE);
  return [...columns, ...new Set(extra)];
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

function rowOf(a: Activity, columns: readonly string[]): string {
  return `| ${[cell(a.title), ...columns.map((c) => raciLettersOf(a, c).join("/") || "—")].join(" | ")} |`;
}

function header(g: Governance, columns: readonly string[]): string[] {
  return [`| ${["Activity", ...columns.map((c) => cell(roleTitle(g, c)))].join(" | ")} |`, `|${["Activity", ...columns].map(() => "---").join("|")}|`];
}

/**
 * The RACI matrix as a Markdown table like the seeds': one column per role (titles), a bold row
 * per stage, the legend below. With `activity`, that one row and who is what.
 */
export function renderRaci(g: Governance, options: { activity?: string } = {}): ExplainResult {
  const raci = g.authority?.raci;
  const activities = Object.entries(raci?.activities ?? {});
  if (options.activity !== undefined) {
    const found = findActivity(g, options.activity);
    if (!found.ok) return unknown(found.message);
    const columns = raciColumns(g);
    const lines = [`# RACI: ${found.title} (${found.id})`, "", ...header(g, columns), rowOf(found.activity, columns), ""];
    for (const l of RACI_LETTERS) lines.push(`- ${LETTER_WORDS[l]}: ${found[l].length > 0 ? titles(g, found[l]) : "—"}`);
    if (found.stage) lines.push(`- Stage: ${found.stage}`);
    if (found.paths.length > 0) lines.push(`- A pull request touching ${found.paths.map((p) => `\`${p}\``).join(", ")} is this activity.`);
    const gates = (g.authority?.phases?.gates ?? []).filter((x) => x.activity === found.id);
    for (const x of gates) lines.push(`- Phase gate ${phaseLabel(g, x.from)} → ${phaseLabel(g, x.to)} uses it: review requests for A and C, a mention for I.`);
    const rollbacks = Object.values(g.authority?.rollback?.types ?? {}).filter((t) => t.activity === found.id);
    if (rollbacks.length > 0) lines.push(`- Rollback types using it: ${rollbacks.map((t) => t.title).join(", ")}.`);
    lines.push("", RACI_LEGEND);
    return done(lines);
  }
  if (activities.length === 0) return done(["# RACI matrix", "", "authority.yml defines no RACI activities (raci.activities)."]);
  const columns = raciColumns(g);
  const lines = ["# RACI matrix", "", ...header(g, columns)];
  let stage: string | undefined;
  for (const [, a] of activities) {
    if (a.stage !== undefined && a.stage !== stage) lines.push(`| **${cell(a.stage)}** |`);
    stage = a.stage;
    lines.push(rowOf(a, columns));
  }
  lines.push("", RACI_LEGEND);
  return done(lines);
}
