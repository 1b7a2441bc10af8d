/**
 * Facts about a pull request, as an adapter gathered them from GitHub. The sign-off core decides
 * from these, the governance model of the default branch and the time; it never sees GitHub.
 */
import type { OncallFile } from "../model/oncall.js";
import type { KillSwitchStateFile, LogFile, PhaseStateFile } from "../model/state.js";
import type { RequestMarker } from "../trust/request.js";

/** A file the pull request changes (GET /pulls/{n}/files). */
export interface ChangedFile {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  /** The old path of a renamed or copied file: it counts as touched too. */
  previousFilename?: string;
  /** The unified diff against the merge base, when GitHub includes it (not for large diffs). */
  patch?: string;
}

/**
 * The pull request's version of a state file it changes. Read from the head commit only to learn
 * the proposed change, never as policy.
 */
export type ProposedFile<T> =
  | { kind: "valid"; value: T }
  /** It does not parse or does not match its schema. */
  | { kind: "invalid"; message: string }
  | { kind: "removed" };

export interface StateFacts {
  /** On the default branch, from the governance snapshot Charter evaluates with. */
  base: { phase?: PhaseStateFile; killswitch?: KillSwitchStateFile; log?: LogFile; oncall?: OncallFile };
  /**
   * At the pull request's head, present only for state files the pull request changes (and
   * oncall.yml, read for Charter's own swap and override pull requests).
   */
  head: { phase?: ProposedFile<PhaseStateFile>; killswitch?: ProposedFile<KillSwitchStateFile>; log?: ProposedFile<LogFile>; oncall?: ProposedFile<OncallFile> };
}

export interface PullRequestFacts {
  number: number;
  author: { login: string; type: string };
  headSha: string;
  /** The branch the pull request merges into. */
  baseRef: string;
  /** The repository's default branch: the only branch Charter governs. */
  defaultBranch: string;
  draft: boolean;
  body: string;
  labels: string[];
  files: ChangedFile[];
  /** GitHub lists at most 3000 files of a pull request: when cut short, ownership cannot be known. */
  filesTruncated?: boolean;
  state: StateFacts;
  /**
   * Charter's own sealed request, for a pull request Charter opened (adapters decide: the author
   * is Charter's bot user and the marker verifies). Absent: a pull request by someone else, with
   * nothing that looks like a request marker.
   */
  request?: RequestFact;
}

/** What Charter's sealed request marker says about a pull request (src/core/trust/request.ts). */
export type RequestFact =
  /** No request marker in the description. */
  | { kind: "none" }
  /** Opened by Charter's own bot user, with a request marker that verifies: what Charter was asked. */
  | { kind: "charter"; request: RequestMarker }
  /** A request marker that counts for nothing, and why (not Charter's pull request, or it does not verify). */
  | { kind: "ignored"; why: string; charterAuthored: boolean };

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

/** A pull request review (GET /pulls/{n}/reviews). */
export interface ReviewFact {
  id: number;
  login: string;
  /** `User`, `Bot`, `Organization`, … */
  userType: string;
  state: ReviewState;
  /** The commit the review was made on. */
  commitId: string | null;
  /** ISO instant; null for a pending review. */
  submittedAt: string | null;
  /**
   * GitHub's `author_association` of the review: whether the reviewer has access to the
   * repository (`anyone` signs only with access). Unknown: no access.
   */
  association?: string;
  /** The review's text, capped by the adapter: confirmations are given in it. */
  body?: string;
}

/**
 * A review dismissal, as the pull request's timeline records it (`review_dismissed` events).
 * GitHub records who dismissed a review only there: the review itself just turns `DISMISSED`.
 */
export interface DismissalFact {
  reviewId: number;
  /** Who dismissed it. */
  by: string;
  byType?: string;
  /** ISO instant of the dismissal. */
  at: string | null;
  /** The review's state before it was dismissed, as GitHub spells it (`changes_requested`, `approved`, `commented`). */
  state: string;
}

/** An open incident issue of a severity that freezes gates. */
export interface IncidentFact {
  number: number;
  title: string;
  url: string;
  severity: string;
}

/** Bots never sign: a `Bot` account, or a login such as `dependabot[bot]`. */
export function isBot(login: string, type?: string): boolean {
  return type === "Bot" || login.toLowerCase().endsWith("[bot]");
}

export function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
