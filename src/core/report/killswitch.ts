/** Kill-switch time active per scope (docs/report.md, "Kill-switch time active"). */
import type { LogEntry } from "../model/state.js";
import type { RequestPullFact } from "./facts.js";
import { effectiveAt } from "./signoff.js";
import { hours } from "./stats.js";

export interface ScopeRow {
  scope: string;
  /** Activations that took effect in the period. */
  activations: number;
  /** Hours active within the period. */
  activeHours: number;
  /** The longest activation overlapping the period, whole (hours; an active one counts up to the period's end). */
  longestHours: number;
  /** Still active at the period's end. */
  activeAtEnd: boolean;
}

/**
 * Intervals per scope from the log's `activate` and `resume` entries, in log order: an activation
 * starts one (a second activation of an active scope changes nothing), a resume ends it. Each takes
 * effect when logged, or when the Charter pull request that carries it merged.
 */
export function switchRows(log: readonly LogEntry[], pulls: readonly RequestPullFact[], since: number, until: number): ScopeRow[] {
  const open = new Map<string, number>();
  const intervals = new Map<string, [number, number][]>();
  const add = (scope: string, a: number, b: number) => {
    const list = intervals.get(scope) ?? [];
    list.push([a, b]);
    intervals.set(scope, list);
  };
  const events = log
    .filter((e) => (e.action === "activate" || e.action === "resume") && e.scope)
    .map((e, i) => ({ e, at: effectiveAt(e, pulls), i }))
    .sort((a, b) => a.at - b.at || a.i - b.i);
  for (const { e, at } of events) {
    const scope = e.scope!;
    if (e.action === "activate") {
      if (!open.has(scope)) open.set(scope, at);
    } else if (open.has(scope)) {
      add(scope, open.get(scope)!, at);
      open.delete(scope);
    }
  }
  for (const [scope, from] of open) if (from < until) add(scope, from, until);
  const rows: ScopeRow[] = [];
  for (const [scope, list] of intervals) {
    const overlapping = list.filter(([a, b]) => b > since && a < until);
    if (overlapping.length === 0) continue;
    rows.push({
      scope,
      activations: list.filter(([a]) => a >= since && a < until).length,
      activeHours: hours(overlapping.reduce((s, [a, b]) => s + Math.min(b, until) - Math.max(a, since), 0)),
      longestHours: hours(Math.max(...overlapping.map(([a, b]) => b - a))),
      activeAtEnd: list.some(([a, b]) => a < until && b >= until),
    });
  }
  return rows.sort((a, b) => a.scope.localeCompare(b.scope));
}
