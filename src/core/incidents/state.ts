import type { Outbox } from "../notify/outbox.js";
import type { RecordedLadder } from "./ladder.js";

/** A page that was sent (or, for `covered`, found unnecessary): who, when, why. */
export interface PageRecord {
  /** `s<gen>.<step>` for ladder steps, `r<gen>.<k>` for repeats, `p<comment id>` for `/page`, `o<episode>` for routing at opening, `t<episode>.<n>` for a lapsed acknowledgement. */
  key: string;
  kind: "step" | "repeat" | "escalate" | "page" | "covered" | "routing" | "lapse";
  /** When it was done. */
  at: string;
  /** When it was due (ladder steps and repeats). */
  due?: string;
  /** `late`: Charter was not running when it was due; `replanned`: due before a severity change re-planned the ladder; `lapsed`: skipped while acknowledged, paged when the acknowledgement lapsed. */
  late?: "late" | "replanned" | "lapsed";
  targets: string[];
  people: string[];
  note?: string;
  by?: string;
  episode: number;
  /** The step says `ack: all`: everyone it paged must acknowledge. */
  ackAll?: true;
}

export interface AckRecord {
  by: string;
  at: string;
  episode: number;
  /**
   * The acknowledgement deadline in force when this person acknowledged: the ladder's start plus
   * the severity's `ack_within` (an instant). Recorded for `charter report`'s ladder compliance,
   * which must still know it after a severity change or a reopening replaced the ladder. Absent on
   * records written before Charter kept it.
   */
  due?: string;
  /** When it lapsed (`ack_timeout` passed without `/update` or `/resolve`): it no longer counts. */
  lapsed?: string;
}

export type UpdateStatus = "investigating" | "identified" | "mitigating" | "monitoring" | "resolved";
export const UPDATE_STATUSES: readonly UpdateStatus[] = ["investigating", "identified", "mitigating", "monitoring", "resolved"];

export interface UpdateRecord {
  by: string;
  at: string;
  status: UpdateStatus;
  text: string;
  /** The next steps (lines below the command), for channels outside GitHub. */
  next?: string;
}

export interface SeverityChange {
  from: string;
  to: string;
  by: string;
  at: string;
  reason?: string;
}

export interface Resolution {
  by: string;
  at: string;
  /** Missing when the issue was closed without `/resolve`. */
  rootCause?: string;
  resolution?: string;
  episode: number;
  review?: { due: string; owner?: string; assignees: string[]; number?: number };
}

/**
 * Everything Charter knows about an incident, kept in a hidden marker in its status comment on
 * the issue (`<!-- charter:incident {json} -->`). Times are ISO instants.
 */
export interface IncidentState {
  v: 1;
  issue: number;
  title: string;
  severity: string;
  openedAt: string;
  openedBy: string;
  impact?: string;
  service?: string;
  /** Time zone messages are written in (the first on-call schedule's, else UTC). */
  zone: string;
  /** The incident-start message as posted (the top of the status comment). */
  intro: string;
  /** 1, then +1 at each reopening. */
  episode: number;
  ladder: RecordedLadder;
  pages: PageRecord[];
  acks: AckRecord[];
  updates: UpdateRecord[];
  /** Due instant of the latest status-update reminder posted. */
  reminded?: string;
  /** Episodes whose acknowledgement deadline passed and was announced. */
  ackNoticed: number[];
  /** Highest repeat done, per ladder generation. */
  repeated?: { gen: number; k: number };
  severityChanges: SeverityChange[];
  commander?: { login: string; by: string; at: string };
  resolution?: Resolution;
  /** Earlier resolutions, before reopenings. */
  history: (Resolution & { reopenedAt: string; reopenedBy: string })[];
  /** Ids of comments whose command was carried out (newest last). */
  processed: number[];
  /** People Charter assigned when the incident opened (the responders and routing's extra roles). */
  assigned?: string[];
  /**
   * The incident's owners when it opened: the people assigned as its responders (the holders of
   * `assign`, or of the route's `assign`), not routing's extra pages. Absent on records written
   * before Charter kept it.
   */
  owners?: string[];
  /** Messages for channels outside GitHub (notify.yml): what was sent where, what failed, what is still to send. */
  notify?: Outbox;
}

export const MAX_PROCESSED = 400;

export function isResolved(state: IncidentState): boolean {
  return state.resolution !== undefined;
}

/** The first acknowledgement of this episode that still counts (not lapsed). */
export function currentAck(state: IncidentState): AckRecord | undefined {
  return state.acks.find((a) => a.episode === state.episode && !a.lapsed);
}

/** Acknowledgements of this episode that still count, in order. */
export function liveAcks(state: IncidentState): AckRecord[] {
  return state.acks.filter((a) => a.episode === state.episode && !a.lapsed);
}

/**
 * People who still owe an acknowledgement: everyone a step with `ack: all` paged in this episode,
 * until they run `/ack` (or their acknowledgement lapsed).
 */
export function awaitingAcks(state: IncidentState, beforeStep?: number): string[] {
  const acked = new Set(liveAcks(state).map((a) => a.by.toLowerCase()));
  const prefix = `s${state.ladder.gen}.`;
  const index = (key: string) => (key.startsWith(prefix) ? Number(key.slice(prefix.length)) : -1);
  const owed = state.pages.filter((p) => p.ackAll && p.episode === state.episode && (beforeStep === undefined || index(p.key) < beforeStep)).flatMap((p) => p.people);
  const seen = new Set<string>();
  return owed.filter((l) => !acked.has(l.toLowerCase()) && !seen.has(l.toLowerCase()) && seen.add(l.toLowerCase()));
}

/**
 * Acknowledged: someone ran `/ack` in this episode (and it has not lapsed), and nobody a step with
 * `ack: all` paged still owes one. With `beforeStep`, only steps earlier in the ladder count: a
 * later step with `until: acknowledged` waits for everyone an earlier `ack: all` step paged, but an
 * `ack: all` step paged after the acknowledgement does not bring back the steps before it.
 */
export function isAcknowledged(state: IncidentState, beforeStep?: number): boolean {
  return currentAck(state) !== undefined && awaitingAcks(state, beforeStep).length === 0;
}

export function isProcessed(state: IncidentState, commentId: number): boolean {
  return state.processed.includes(commentId);
}

export function markProcessed(state: IncidentState, commentId: number): IncidentState {
  if (isProcessed(state, commentId)) return state;
  return { ...state, processed: [...state.processed, commentId].slice(-MAX_PROCESSED) };
}

export function hasPage(state: IncidentState, key: string): boolean {
  return state.pages.some((p) => p.key === key);
}

/** Pages of the current episode. */
export function episodePages(state: IncidentState): PageRecord[] {
  return state.pages.filter((p) => p.episode === state.episode);
}

/** The latest `/update` of the current episode. */
export function lastUpdate(state: IncidentState): UpdateRecord | undefined {
  const start = Date.parse(state.ladder.start);
  return state.updates.filter((u) => Date.parse(u.at) >= start).at(-1);
}

/**
 * The incident's owner, whom status-update reminders (`remind: [owner]`, the default) and the
 * acknowledgement notice address: the commander, else whoever acknowledged in this episode, else
 * the people assigned as responders when it opened. Only when nobody was assigned then (the
 * assigned role had no holder) or the record predates `owners`: the first people paged.
 */
export function incidentOwner(state: IncidentState): string[] {
  if (state.commander) return [state.commander.login];
  const ack = currentAck(state);
  if (ack) return [ack.by];
  if (state.owners && state.owners.length > 0) return [...state.owners];
  const first = episodePages(state).find((p) => p.people.length > 0 && p.kind !== "covered");
  return first ? first.people : [];
}

/**
 * Everyone Charter itself assigned to this incident, as its sealed state records: the responders
 * at opening, everyone it paged, whoever acknowledged, the commander an authorised person named.
 * `assignees` in incidents.yml means these people (while they are still assigned), never whoever
 * assigned themselves: anyone with triage access can edit an issue's assignees.
 */
export function charterAssigned(state: IncidentState): string[] {
  const all = [
    ...(state.assigned ?? []),
    ...state.pages.filter((p) => p.kind !== "covered").flatMap((p) => p.people),
    ...state.acks.map((a) => a.by),
    ...(state.commander ? [state.commander.login] : []),
  ];
  const seen = new Set<string>();
  return all.filter((l) => !seen.has(l.toLowerCase()) && seen.add(l.toLowerCase()));
}
