/**
 * What the description declares that selects or shapes a gate (today: the rollback type of a
 * pull request that is not Charter's own), and since when it is as it is now.
 *
 * A description can be edited after people approved: a rollback approved as `planned` must not
 * merge as `emergency` on the same approvals. GitHub keeps no record of description edits that an
 * app can read over REST, so Charter keeps its own, where only Charter can write: in its check
 * run on the head commit (`external_id`, only apps write check runs, and Charter reads back only
 * runs of its own app). Each evaluation compares the declarations now with the record: when they
 * differ, the selection changed now, and approvals submitted before that instant do not count.
 *
 * Without a record for the head commit (Charter has not evaluated it yet), the record of the
 * previous head carries over when the declarations are the same; otherwise the selection counts
 * as new at the first evaluation (fail closed: approvals before it do not count).
 */
import { createHash } from "node:crypto";
import type { SignoffGate } from "./gate.js";

/** One declaration of the description that selects or shapes a gate. */
export interface Declaration {
  /** Stable key, e.g. `rollback-type:P3->P2`. */
  key: string;
  /** The declared value as Charter understood it (e.g. the resolved type id; raw text when unresolved). */
  value: string;
  /** For people: what it is, e.g. "the rollback type". */
  what: string;
  /** For people: the value, e.g. "`planned` (Planned (bug found))" (already neutralised). */
  shown: string;
}

export interface SelectionRecord {
  /** Fingerprint of the declarations ("" when none). */
  fingerprint: string;
  /** ISO instant since when the declarations are as the fingerprint says. */
  since: string;
}

export interface SelectionState {
  declarations: Declaration[];
  /** The record to write on the head commit's check run (undefined when nothing is declared and nothing was). */
  record?: SelectionRecord;
  /** Approvals submitted before this instant do not count. */
  since?: string;
  /** How `since` came about. */
  how?: "changed" | "first-seen" | "unchanged";
}

/** The declarations behind a set of gates, in key order. */
export function declarationsOf(gates: readonly SignoffGate[]): Declaration[] {
  return gates.flatMap((g) => g.declared ?? []).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A short fingerprint of the declarations (what they select, not how they are spelled). */
export function selectionFingerprint(declarations: readonly Declaration[]): string {
  if (declarations.length === 0) return "";
  const canonical = JSON.stringify(declarations.map((d) => [d.key, d.value.toLowerCase()]));
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 22);
}

const PREFIX = "charter-selection:v1:";

/** The record as Charter writes it into its check run's `external_id`. */
export function recordExternalId(r: SelectionRecord): string {
  return `${PREFIX}${r.fingerprint}:${r.since}`;
}

/** A record read back from Charter's own check run; undefined when it holds none (or something else). */
export function parseRecord(externalId: string | null | undefined): SelectionRecord | undefined {
  if (!externalId || externalId.length > 200 || !externalId.startsWith(PREFIX)) return undefined;
  const rest = externalId.slice(PREFIX.length);
  const colon = rest.indexOf(":");
  if (colon < 0) return undefined;
  const fingerprint = rest.slice(0, colon);
  const since = rest.slice(colon + 1);
  if (!/^[A-Za-z0-9_-]{0,22}$/.test(fingerprint) || Number.isNaN(Date.parse(since))) return undefined;
  return { fingerprint, since };
}

export interface PreviousRecords {
  /** Charter's record on the head commit. */
  head?: SelectionRecord | undefined;
  /** Charter's record on the commit the head replaced (a push), if known. */
  before?: SelectionRecord | undefined;
}

/** Since when the declarations are as they are now, from Charter's records. */
export function selectionState(declarations: Declaration[], previous: PreviousRecords, now: Date): SelectionState {
  const fingerprint = selectionFingerprint(declarations);
  const nowIso = now.toISOString();
  const { head, before } = previous;
  if (head) {
    if (head.fingerprint === fingerprint) return fingerprint === "" ? { declarations, record: head } : { declarations, record: head, since: head.since, how: "unchanged" };
    return { declarations, record: { fingerprint, since: nowIso }, since: nowIso, how: "changed" };
  }
  if (fingerprint === "") return { declarations };
  if (before && before.fingerprint === fingerprint) return { declarations, record: before, since: before.since, how: "unchanged" };
  return { declarations, record: { fingerprint, since: nowIso }, since: nowIso, how: before ? "changed" : "first-seen" };
}
