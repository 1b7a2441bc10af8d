/**
 * The reads a pull request's gates could need, known before its proposed state files are read.
 *
 * Which gates apply depends on what the pull request proposes in governance/state/ (a phase move
 * selects a phase gate or a rollback, a kill-switch change a resume), and which facts the decision
 * reads depends on those gates: reviews when someone signs, freezing incidents when a gate freezes,
 * Charter's own records when the description declares something (a rollback type), the Informed
 * comment when the pull request is a RACI activity. Reading the proposed text first and only then
 * those facts costs a round trip; this says, from the model and the list of changed files alone,
 * which of those reads the gates *could* need, so an adapter can issue them with the proposed text.
 * The decision is still made with the real gates: a read that turns out unneeded is ignored.
 *
 * A superset on purpose (it may say a read could be needed when it will not be), never a subset
 * of what the real gates need for the changes it can know of; an adapter still reads afterwards
 * what the real gates need and was not read here.
 */
import type { Governance } from "../model/governance.js";
import { activitiesForPath, phaseGate } from "../authority/lookup.js";
import type { ChangedFile } from "./facts.js";
import { KILLSWITCH_FILE, LOG_FILE, ONCALL_FILE, PHASE_FILE } from "./state-change.js";

export interface StateReads {
  /** The pull request's reviews (any gate someone signs, or a RACI activity). */
  reviews: boolean;
  /** The open freezing incidents (a phase gate with `freeze: true`). */
  incidents: boolean;
  /** Charter's own records on the head commit (a declaration in the description: the rollback type). */
  records: boolean;
  /** The Informed comment (the pull request is a RACI activity). */
  informed: boolean;
}

export interface StateReadsInput {
  files: readonly ChangedFile[];
  /** Review requests and the Informed mention are made on this event (pull request events, not drafts). */
  raci: boolean;
  /** Charter's own swap or override pull request: its oncall.yml is read too. */
  oncall?: boolean;
}

const touches = (files: readonly ChangedFile[], path: string) => files.some((f) => f.filename === path || f.previousFilename === path);

/** The state files whose proposed text decides the gates, among those the pull request changes. */
export function proposesStateFiles(input: StateReadsInput): boolean {
  return [PHASE_FILE, KILLSWITCH_FILE, LOG_FILE, ...(input.oncall ? [ONCALL_FILE] : [])].some((p) => touches(input.files, p));
}

/**
 * Which reads the gates could need whatever the proposed state files say (all false when the pull
 * request proposes none: then the gates are known without them, and nothing is read ahead).
 */
export function readsStateCouldNeed(g: Governance, input: StateReadsInput): StateReads {
  if (!proposesStateFiles(input)) return { reviews: false, incidents: false, records: false, informed: false };
  // A phase move selects the gates of a move from the current phase to another phase of the
  // order (a name outside it is refused), or a rollback type when it moves backwards.
  const from = touches(input.files, PHASE_FILE) ? g.state.phase?.phase : undefined;
  const moves = from === undefined ? [] : (g.authority?.phases?.order ?? []).filter((to) => to !== from).map((to) => phaseGate(g, from, to));
  const gates = moves.flatMap((m) => (m.kind === "gate" ? [m.gate] : m.kind === "skip" && m.allowed ? m.gates.map((step) => step.gate) : []));
  const rollbacks = moves.some((m) => m.kind === "rollback") ? Object.values(g.authority?.rollback?.types ?? {}) : [];
  const activity = input.raci && (input.files.some((f) => activitiesForPath(g, f.filename).length > 0) || gates.some((x) => x.activity) || rollbacks.some((t) => t.activity));
  return {
    // every gate a state file can select (a transition, a resume, a swap, OWNERS' fail safe) is signed by someone, unless refused
    reviews: true,
    // only phase gates freeze (rollbacks, resumes, swaps and OWNERS lines never do)
    incidents: gates.some((x) => x.freeze === true),
    // only a rollback declared in the description declares something (needs a rollback type to resolve to)
    records: rollbacks.length > 0,
    informed: activity,
  };
}
