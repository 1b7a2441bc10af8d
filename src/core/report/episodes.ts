/**
 * An incident's episodes as Charter recorded them in its sealed state: the opening and each
 * reopening start one; each has its own acknowledgements and resolution (`history` keeps the
 * earlier ones). Everything here reads the record only: no model, no clock.
 */
import type { IncidentState, PageRecord } from "../incidents/state.js";

export type Compliance = "met" | "missed" | "pending" | "not-needed" | "unknown";

export interface Episode {
  issue: number;
  title: string;
  episode: number;
  /** The severity in force when the episode ended (resolved), or at the end of the report for one still open. */
  severity: string;
  /** When its ladder started: the issue's opening for the first episode, the reopening for later ones (epoch ms). */
  start: number;
  /** The first acknowledgement of the episode (lapsed or not). */
  ack?: { by: string; at: number };
  /** The acknowledgement deadline: recorded with the acknowledgement, else the ladder in force when it is the current episode. */
  deadline?: number;
  resolvedAt?: number;
  /** Pages sent in this episode (not `covered` records: those page nobody). */
  pages: PageRecord[];
  /** Acknowledgements of this episode, in order. */
  acks: { by: string; at: number }[];
  /** Charter announced that the acknowledgement deadline passed (`ackNoticed`). */
  noticed: boolean;
  /** The ladder paged a step after its first (a `step` page of step 2 or later; not `/escalate`). */
  escalated: boolean;
}

/** The step index of a ladder step's page key (`s<gen>.<index>`), or -1. */
function stepIndex(key: string): number {
  const dot = key.indexOf(".");
  if (!key.startsWith("s") || dot < 0) return -1;
  const n = Number(key.slice(dot + 1));
  return Number.isInteger(n) ? n : -1;
}

/** The severity in force at instant `at`: the opening severity, then each recorded change up to `at`. */
export function severityAt(state: IncidentState, at: number): string {
  let severity = state.severityChanges[0]?.from ?? state.severity;
  for (const c of state.severityChanges) if (Date.parse(c.at) <= at) severity = c.to;
  return severity;
}

/** The episodes of one incident, oldest first. `end`: the report's end, for an episode still open. */
export function episodesOf(state: IncidentState, end: number): Episode[] {
  const out: Episode[] = [];
  for (let n = 1; n <= state.episode; n++) {
    const start = n === 1 ? Date.parse(state.openedAt) : Date.parse(state.history[n - 2]?.reopenedAt ?? state.ladder.start);
    const resolution = n < state.episode ? state.history[n - 1] : state.resolution;
    const resolvedAt = resolution ? Date.parse(resolution.at) : undefined;
    const acks = state.acks.filter((a) => a.episode === n).map((a) => ({ by: a.by, at: Date.parse(a.at), due: a.due }));
    acks.sort((a, b) => a.at - b.at);
    const first = acks[0];
    let deadline: number | undefined = first?.due !== undefined ? Date.parse(first.due) : undefined;
    if (deadline === undefined && n === state.episode && state.ladder.ackWithinMs !== undefined) deadline = Date.parse(state.ladder.start) + state.ladder.ackWithinMs;
    const pages = state.pages.filter((p) => p.episode === n && p.kind !== "covered");
    out.push({
      issue: state.issue,
      title: state.title,
      episode: n,
      severity: severityAt(state, Math.min(resolvedAt ?? end, end)),
      start,
      ...(first ? { ack: { by: first.by, at: first.at } } : {}),
      ...(deadline !== undefined ? { deadline } : {}),
      ...(resolvedAt !== undefined ? { resolvedAt } : {}),
      pages,
      acks: acks.map(({ by, at }) => ({ by, at })),
      noticed: state.ackNoticed.includes(n),
      escalated: pages.some((p) => p.kind === "step" && stepIndex(p.key) >= 1),
    });
  }
  return out;
}

/**
 * Whether the episode was acknowledged within its deadline, as of `end` (the report's end):
 * - `met`: the first acknowledgement came at or before the deadline;
 * - `missed`: it came after, or none came and the deadline passed before the episode was resolved
 *   (or before `end`), or Charter announced the deadline passed;
 * - `not-needed`: resolved before the deadline without an acknowledgement;
 * - `pending`: open, not acknowledged, deadline still ahead;
 * - `unknown`: the deadline was not recorded (records older than the acknowledgement's `due`).
 */
export function compliance(e: Episode, end: number): Compliance {
  if (e.ack) {
    if (e.deadline === undefined) return "unknown";
    return e.ack.at <= e.deadline ? "met" : "missed";
  }
  if (e.noticed) return "missed";
  if (e.deadline === undefined) return e.resolvedAt !== undefined ? "unknown" : "pending";
  const stop = e.resolvedAt ?? end;
  if (e.deadline < stop) return "missed";
  return e.resolvedAt !== undefined ? "not-needed" : "pending";
}

/** The episode as it stood at instant `end`: acknowledgements, pages and a resolution after it had not happened yet. */
export function asOf(e: Episode, end: number): Episode {
  const acks = e.acks.filter((a) => a.at <= end);
  const { ack: _ack, resolvedAt: _resolved, ...rest } = e;
  const pages = e.pages.filter((p) => Date.parse(p.at) <= end);
  return {
    ...rest,
    ...(e.ack && e.ack.at <= end ? { ack: e.ack } : {}),
    ...(e.resolvedAt !== undefined && e.resolvedAt <= end ? { resolvedAt: e.resolvedAt } : {}),
    acks,
    pages,
    escalated: pages.some((p) => p.kind === "step" && stepIndex(p.key) >= 1),
  };
}
