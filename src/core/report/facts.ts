/**
 * What `charter report` is computed from, as the adapter gathered it from GitHub and already
 * filtered for trust: only incident records sealed by Charter in comments Charter's app wrote, only
 * pull requests Charter opened whose sealed request verifies, and the log on the default branch.
 */
import type { IncidentState } from "../incidents/state.js";
import type { LogEntry } from "../model/state.js";
import type { RequestMarker } from "../trust/request.js";

/** A review as GitHub lists it on a pull request. */
export interface ReviewFact {
  by: string;
  /** GitHub's review state: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING. */
  state: string;
  /** When it was submitted (ISO instant). */
  at?: string;
  /** The commit it was given on. */
  commit?: string;
  /** The reviewer is a bot (its review never counts as sign-off). */
  bot: boolean;
}

/** One of Charter's own sign-off pull requests (advance, rollback, resume, activation), from its sealed request. */
export interface RequestPullFact {
  number: number;
  request: RequestMarker;
  openedAt: string;
  mergedAt?: string;
  /** The head commit when it merged (or now, for one not merged). */
  head: string;
  reviews: ReviewFact[];
}

export interface ReportFacts {
  repo?: string;
  incidents: IncidentState[];
  pulls: RequestPullFact[];
  /** governance/state/log.yml on the default branch. */
  log: LogEntry[];
  /** What the adapter found and did not count, and why, in words (forged or edited records). */
  notCounted?: string[];
}
