/**
 * Text building blocks for explanations: aligned Markdown tables, lists of names, and role
 * descriptions with their current holders. Everything returns strings that read well both in a
 * terminal and rendered as GitHub Markdown.
 */
import { formatDuration } from "../duration.js";
import { ANYONE, EVERYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";
import { whoIsOnCall, type TierOnCall } from "../oncall/resolve.js";
import { roleTitle } from "../roles/resolve.js";

/** What an explanation produced: text for a person, or why there is none. */
export type ExplainResult =
  | { ok: true; text: string }
  /** `unknown`: a name that is not defined (exit 1); `usage`: the question itself is malformed (exit 2). */
  | { ok: false; kind: "unknown" | "usage"; message: string };

export const done = (lines: readonly string[]): ExplainResult => ({ ok: true, text: lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() });
export type ExplainFailure = Extract<ExplainResult, { ok: false }>;
export const unknown = (message: string): ExplainFailure => ({ ok: false, kind: "unknown", message });
export const usage = (message: string): ExplainFailure => ({ ok: false, kind: "usage", message });

/** A Markdown table whose columns line up in plain text too. `|` in cells is escaped. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (s: string | undefined) => (s ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");
  const all = [headers.map(cell), ...rows.map((r) => headers.map((_, i) => cell(r[i])))];
  const widths = headers.map((_, i) => Math.max(3, ...all.map((r) => [...r[i]!].length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c + " ".repeat(widths[i]! - [...c].length)).join(" | ")} |`;
  return [line(all[0]!), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...all.slice(1).map(line)].join("\n");
}

/** `a`, `a and b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export const at = (login: string) => `@${login}`;

/** An instant without milliseconds: `2025-03-10T09:00:00Z`. */
export function instant(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, "Z");
}

/** `+0m`, `+15m`, `+1h`. */
export function offset(ms: number): string {
  return `+${formatDuration(ms).replace(/ /g, "")}`;
}

/** A tier's display name: `Primary (ingestion/primary)`. */
export function tierTitle(g: Governance, ref: string): string {
  const [schedule = "", tier = ""] = ref.split("/");
  const title = g.oncall?.schedules[schedule]?.tiers[tier]?.title;
  return title ? `${title} (${ref})` : ref;
}

/** Any reference's display name: a role's title, a tier's title, Anyone, Everyone. */
export function refTitle(g: Governance, ref: string): string {
  if (ref.includes("/")) return tierTitle(g, ref);
  if (ref === "assignees") return "Assignees";
  return roleTitle(g, ref);
}

/** Who holds a reference at an instant, for display. */
export interface Holding {
  ref: string;
  title: string;
  /** `@login` / `@org/team`, or words (`anybody with access to the repository`). */
  holders: string[];
  backups: string[];
  /** On-call tiers consulted, with their answer at the instant. */
  oncall: TierOnCall[];
}

function tiersOf(g: Governance, ref: string): string[] {
  if (ref.includes("/")) return [ref];
  const o = g.roles.roles[ref]?.oncall;
  return o === undefined ? [] : Array.isArray(o) ? [...o] : [o];
}

function uniq(xs: string[]): string[] {
  const seen = new Set<string>();
  return xs.filter((x) => (seen.has(x.toLowerCase()) ? false : (seen.add(x.toLowerCase()), true)));
}

/** Who holds `ref` (role id, `schedule/tier`, `anyone`, `everyone`) at `when`. Teams stay teams. */
export function holding(g: Governance, ref: string, when: Date): Holding {
  const title = refTitle(g, ref);
  if (ref === ANYONE) return { ref, title, holders: ["anybody with access to the repository"], backups: [], oncall: [] };
  if (ref === EVERYONE) return { ref, title, holders: ["every role's holders"], backups: [], oncall: [] };
  if (ref === "assignees") return { ref, title, holders: ["whoever Charter assigned to the incident"], backups: [], oncall: [] };
  const role = ref.includes("/") ? undefined : g.roles.roles[ref];
  const oncall = tiersOf(g, ref).map((t) => whoIsOnCall(g.oncall, t, when));
  const holders = uniq([...(role?.holders ?? []), ...oncall.flatMap((o) => o.who)]).map(at);
  const backups = uniq(role?.backups ?? []).filter((b) => !holders.includes(at(b))).map(at);
  return { ref, title, holders, backups, oncall };
}

/** `Ingestion Owner (@ana-owner; backup @ben-owner)`, `On-Call (@olga-oncall, @omar-oncall on call)`. */
export function whoText(g: Governance, ref: string, when: Date): string {
  const h = holding(g, ref, when);
  if (ref === ANYONE || ref === EVERYONE || ref === "assignees") return `${h.title} (${h.holders.join(", ")})`;
  const parts: string[] = [];
  const onCall = h.oncall.length > 0;
  if (h.holders.length > 0) parts.push(h.holders.join(", ") + (onCall ? " on call" : ""));
  else parts.push(onCall ? "nobody on call" : "no holders");
  if (h.backups.length > 0) parts.push(`backup ${h.backups.join(", ")}`);
  return `${h.title} (${parts.join("; ")})`;
}

/** Several references: `Ingestion Owner (@ana-owner; backup @ben-owner), Product Manager (…)`. */
export function whoList(g: Governance, refs: readonly string[], when: Date): string {
  return refs.length === 0 ? "nobody" : refs.map((r) => whoText(g, r, when)).join(", ");
}

/** Titles only: `Ingestion Owner, Product Manager and SRE Lead`. */
export function titles(g: Governance, refs: readonly string[]): string {
  return andList(refs.map((r) => refTitle(g, r)));
}

/** A table of roles and who holds them: Role | Holders | Backups (| extra columns). */
export function rolesTable(g: Governance, refs: readonly string[], when: Date, extra?: { header: string; cell: (ref: string) => string }): string {
  const headers = ["Role", "Holders", "Backups", ...(extra ? [extra.header] : [])];
  const rows = refs.map((r) => {
    const h = holding(g, r, when);
    const holders = h.holders.length > 0 ? h.holders.join(", ") : h.oncall.length > 0 ? "nobody on call" : "none";
    const label = h.oncall.length > 0 ? `${holders} (on call)` : holders;
    return [h.title, label, h.backups.join(", ") || "—", ...(extra ? [extra.cell(r)] : [])];
  });
  return table(headers, rows);
}

/** Whether any of `refs` resolves through an on-call tier (so the answer depends on the time). */
export function dependsOnTime(g: Governance, refs: readonly string[]): boolean {
  return refs.some((r) => tiersOf(g, r).length > 0);
}

/** `Holders as of 2025-03-10T09:00:00Z (on-call roles resolve at this instant).` when it matters. */
export function asOf(g: Governance, refs: readonly string[], when: Date): string[] {
  return dependsOnTime(g, refs) ? [`On-call holders as of ${instant(when)}.`, ""] : [];
}
