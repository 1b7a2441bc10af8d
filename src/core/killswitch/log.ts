/**
 * The activation log (governance/state/log.yml): entry ids, and reading it back (filters and the
 * aligned table `charter log` prints).
 */
import type { LogEntry } from "../model/state.js";
import { joinLines } from "../text/scan.js";

/** An instant without milliseconds: `2025-06-02T10:00:00Z`. */
export function iso(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, "Z");
}

/** `10:15 UTC`, `2025-06-03 10:15 UTC` when not on the same day as `relativeTo`. */
export function utcTime(d: Date, relativeTo?: Date): string {
  const s = iso(d);
  const day = s.slice(0, 10);
  const time = s.slice(11, 16);
  return relativeTo && iso(relativeTo).slice(0, 10) === day ? `${time} UTC` : `${day} ${time} UTC`;
}

/**
 * The id of the entry an action writes. Made from what caused it (the comment, the pull request,
 * the deadline), so a duplicate delivery or a retried write recognises its own entry.
 */
export function entryId(action: LogEntry["action"], cause: string | number): string {
  return `${action}-${String(cause).replace(/[^A-Za-z0-9_.:-]+/g, "-")}`;
}

export interface LogFilter {
  /** Only entries of this scope (`global`, `workspace:<name>`); `phase` selects phase changes. */
  scope?: string;
  /** Only entries at or after this instant. */
  since?: Date;
}

/** Entries matching a filter, in log order. */
export function filterLog(entries: readonly LogEntry[], filter: LogFilter = {}): LogEntry[] {
  return entries.filter((e) => {
    if (filter.since && new Date(e.timestamp).getTime() < filter.since.getTime()) return false;
    if (filter.scope !== undefined) {
      if (filter.scope === "phase") return e.from_phase !== undefined || e.to_phase !== undefined;
      if (e.scope !== filter.scope) return false;
    }
    return true;
  });
}

/** What an entry changed, in a few words: `P3 → P2 (emergency)`, `global`. */
function subject(e: LogEntry): string {
  if (e.from_phase !== undefined || e.to_phase !== undefined) return `${e.from_phase ?? "?"} → ${e.to_phase ?? "?"}${e.rollback_type ? ` (${e.rollback_type})` : ""}`;
  return e.scope ?? "";
}

export const LOG_COLUMNS = ["timestamp", "action", "scope / phase", "actor", "scenario", "severity", "approval", "notified", "reason"] as const;

/** The rows `charter log` prints, one per entry. */
export function logRows(entries: readonly LogEntry[]): string[][] {
  return entries.map((e) => [
    e.timestamp,
    e.action,
    subject(e),
    e.actor,
    e.scenario ?? "",
    e.severity ?? "",
    e.approval ?? "",
    (e.notified ?? []).join(" "),
    [e.reason ?? "", e.verified && e.verified.length > 0 ? `verified: ${e.verified.join("; ")}` : ""].filter(Boolean).join("; "),
  ]);
}

/** A plain-text table whose columns line up (no Markdown escaping; for a terminal). */
export function alignedTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows].map((r) => headers.map((_, i) => joinLines(r[i] ?? "")));
  const widths = headers.map((_, i) => Math.max(...all.map((r) => [...r[i]!].length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c + " ".repeat(widths[i]! - [...c].length))).join("  ").trimEnd();
  return [line(all[0]!), line(widths.map((w) => "-".repeat(w))), ...all.slice(1).map(line)].join("\n");
}
