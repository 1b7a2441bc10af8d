/** Sign-off lead time per gate (docs/report.md, "Sign-off lead time"). */
import { issueNumberOf } from "../killswitch/approval.js";
import type { LogEntry } from "../model/state.js";
import type { RequestPullFact } from "./facts.js";
import { stat, hours, type Stat } from "./stats.js";

export interface GateRow {
  gate: string;
  /** Sign-offs counted: pull requests merged (break-glass: reviews completed) in the period. */
  count: number;
  /** Hours from the request (pull request opened; break-glass logged) to the approval that completed the sign-off. */
  leadTime: Stat;
  /** Hours from the pull request's opening to its merge (empty for break-glass). */
  toMerge: Stat;
  /** Merged without an approving review on the merged commit (e.g. by an administrator). */
  unsigned: number;
  /** Break-glass reviews started in the period and not complete at its end. */
  pending: number;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The gate a Charter pull request asks to pass, in words: `advance P3 → P4`, `rollback P3 → P2 (p1-incident)`, `resume global`, `on-call swap`. */
export function gateOf(r: RequestPullFact["request"]): string {
  switch (r.kind) {
    case "advance":
      return `advance ${r.from ?? "?"} → ${r.to ?? "?"}`;
    case "rollback":
      return `rollback ${r.from ?? "?"} → ${r.to ?? "?"}${r.rollbackType ? ` (${r.rollbackType})` : ""}`;
    case "resume":
      return `resume ${r.scope ?? "?"}`;
    case "activate":
      return `activate ${r.scope ?? "?"}`;
    case "swap":
    case "override":
      return `on-call ${r.kind}`; // one row for all swaps (and one for overrides): whose shifts is not a gate
  }
}

/**
 * When a merged pull request's sign-off completed: the latest approving review on the merged head
 * commit submitted at or before the merge, by a person (not a bot, not the requester).
 */
export function signedAt(p: RequestPullFact): number | undefined {
  if (!p.mergedAt) return undefined;
  const merged = Date.parse(p.mergedAt);
  const times = p.reviews
    .filter((r) => r.state === "APPROVED" && !r.bot && !same(r.by, p.request.by) && r.commit === p.head && r.at !== undefined && Date.parse(r.at) <= merged)
    .map((r) => Date.parse(r.at!));
  return times.length ? Math.max(...times) : undefined;
}

export const BREAKGLASS_GATE = "break-glass review";

export function gateRows(pulls: readonly RequestPullFact[], log: readonly LogEntry[], since: number, until: number): GateRow[] {
  const groups = new Map<string, { lead: number[]; merge: number[]; unsigned: number; pending: number }>();
  const group = (gate: string) => {
    let g = groups.get(gate);
    if (!g) groups.set(gate, (g = { lead: [], merge: [], unsigned: 0, pending: 0 }));
    return g;
  };
  for (const p of pulls) {
    if (!p.mergedAt) continue;
    const merged = Date.parse(p.mergedAt);
    if (merged < since || merged >= until) continue;
    const g = group(gateOf(p.request));
    const opened = Date.parse(p.openedAt);
    g.merge.push(hours(merged - opened));
    const signed = signedAt(p);
    if (signed === undefined) g.unsigned++;
    else g.lead.push(hours(Math.max(0, signed - opened)));
  }
  // Break-glass: the review is complete when every role it named has signed (one `breakglass-signed` entry per role).
  for (const b of log) {
    if (b.action !== "breakglass") continue;
    const started = Date.parse(b.timestamp);
    const roles = new Set((b.review_roles ?? []).map((r) => r.toLowerCase()));
    const signed = new Set<string>();
    let done: number | undefined;
    for (const s of log) {
      if (s.action !== "breakglass-signed" || s.ref !== b.id || !s.role) continue;
      signed.add(s.role.toLowerCase());
      if ([...roles].every((r) => signed.has(r))) {
        done = Date.parse(s.timestamp);
        break;
      }
    }
    if (done !== undefined && done >= since && done < until) group(BREAKGLASS_GATE).lead.push(hours(Math.max(0, done - started)));
    else if ((done === undefined || done >= until) && started >= since && started < until) group(BREAKGLASS_GATE).pending++;
  }
  return [...groups.entries()]
    .map(([gate, g]) => ({ gate, count: g.lead.length + g.unsigned, leadTime: stat(g.lead), toMerge: stat(g.merge), unsigned: g.unsigned, pending: g.pending }))
    .sort((a, b) => a.gate.localeCompare(b.gate));
}

/** The merge of a Charter pull request that made a log entry take effect (an activation approved in advance, a resume by sign-off). */
export function effectiveAt(e: LogEntry, pulls: readonly RequestPullFact[]): number {
  const issue = issueNumberOf(e.link);
  const pr = pulls.find(
    (p) => p.mergedAt && p.request.kind === e.action && p.request.scope === e.scope && same(p.request.by, e.actor) && p.request.issue === issue && Date.parse(p.mergedAt) >= Date.parse(e.timestamp),
  );
  return pr?.mergedAt ? Date.parse(pr.mergedAt) : Date.parse(e.timestamp);
}
