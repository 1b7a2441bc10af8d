/**
 * Words and tables of drill reports. A report is either text for a terminal (what the files say,
 * as written, on one line per cell, `|` escaped so the table holds) or Markdown meant to be pasted
 * into an issue or a pull request: there every text from the governance files (titles, notes,
 * reasons, logins) goes through THE neutraliser, so the report notifies nobody, hides nothing and
 * keeps its table.
 */
import { DateTime } from "luxon";
import { formatDuration } from "../duration.js";
import { formatAt, safeZone } from "../incidents/time.js";
import { capText, inlineUserText } from "../text/untrusted.js";
import type { DrillGroup } from "./incident.js";

/** How a report is written: for a terminal, or as Markdown to paste into GitHub. */
export type Style = "text" | "markdown";

/** Governance text for one table cell or line: neutralised for Markdown; on one line, `|` escaped, for a terminal. */
export function cellIn(style: Style, text: string, max = 300): string {
  if (style === "markdown") return inlineUserText(text, max);
  return capText(text.replace(/\r\n?|\n/g, " "), max).replace(/\|/g, "\\|");
}

/** Markdown style: neutralised. */
export function cell(text: string, max = 300): string {
  return cellIn("markdown", text, max);
}

/** A Markdown table whose columns line up in plain text; cells must already be neutralised. */
export function alignedTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows.map((r) => headers.map((_, i) => r[i] ?? ""))];
  const widths = headers.map((_, i) => Math.max(3, ...all.map((r) => [...r[i]!].length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c + " ".repeat(widths[i]! - [...c].length)).join(" | ")} |`;
  return [line(all[0]!), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...all.slice(1).map(line)].join("\n");
}

/** `+0m`, `+15m`, `+1h 30m`. */
export function offsetText(ms: number): string {
  return `+${formatDuration(Math.max(0, ms))}`;
}

/** `Mon 2025-03-31 09:10 CEST`: an instant in the team's zone. */
export function localText(at: Date | number | string, zone: string): string {
  return formatAt(typeof at === "string" ? Date.parse(at) : at, safeZone(zone));
}

/** `2025-03-31T07:10Z`: the same instant in UTC, to the minute. */
export function utcText(at: Date | number | string): string {
  const ms = typeof at === "string" ? Date.parse(at) : typeof at === "number" ? at : at.getTime();
  return DateTime.fromMillis(ms, { zone: "UTC" }).toFormat("yyyy-LL-dd'T'HH:mm'Z'");
}

/** `olga-oncall (On-Call Secondary)`, `ben-owner (Ingestion Owner, backup: no holder now)`, `nobody (X has no holder now)`. */
export function groupText(g: DrillGroup): string {
  if (g.source === "nobody") return `nobody (${g.title} has no holder then)`;
  const who = [...g.people, ...g.teams.map((t) => `${t} (team)`)].join(", ");
  return `${who} (${g.title}${g.source === "backups" ? ", its backup: no holder then" : ""})`;
}

/** Logins as a list, or `nobody`. */
export function peopleText(people: readonly string[]): string {
  return people.length > 0 ? people.join(", ") : "nobody";
}

/** `4h`, `1h 30m`. */
export function durationText(ms: number): string {
  return formatDuration(ms);
}
