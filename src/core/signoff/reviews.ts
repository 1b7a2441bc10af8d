/**
 * Each reviewer's standing on a pull request, with GitHub's semantics: only a reviewer's latest
 * review counts (ordered by submission time, then id); a comment neither replaces an approval nor
 * a change request; a pending review is not submitted. The author's and bots' reviews never count,
 * and an approval of an older commit is stale.
 *
 * Two rules of Charter's on top: a dismissed change request is remembered with who dismissed it
 * (the gate decides whether that person could lift the veto), and an approval given before what
 * the description declares for the gate changed (e.g. the rollback type) does not count.
 */
import { isBot, sameLogin, type DismissalFact, type ReviewFact } from "./facts.js";

export type ReviewVerdict =
  /** Approved the current head commit: counts. */
  | "approved"
  /** Approved an older commit: reported, not counted. */
  | "stale"
  /** Approved the head longer ago than the gate's `valid_for` (decided per gate in evaluate.ts, never here). */
  | "expired"
  /** Approved the head, but before what selects the gate changed: reported, not counted. */
  | "before-change"
  /** Requested changes (on any commit): stands until replaced or lifted. */
  | "changes-requested"
  /** The pull request's author: never counts, never vetoes. */
  | "author"
  /** A bot: never counts, never vetoes. */
  | "bot"
  /** The latest approval or change request was dismissed (a dismissed change request may still stand). */
  | "dismissed"
  /** Only comments. */
  | "commented";

/** A dismissed review, as far as GitHub's timeline tells. */
export interface DismissedReview {
  /** The dismissal event; absent when the timeline does not record it. */
  fact?: DismissalFact;
  /** Whether the dismissed review was a change request ("unknown" without the event: treated as one). */
  changeRequest: boolean | "unknown";
}

export interface ReviewerStanding {
  /** As GitHub spells it on the reviewer's latest review. */
  login: string;
  verdict: ReviewVerdict;
  /** The review that decides the standing (approval, change request or dismissal), if any. */
  review?: ReviewFact;
  /** For `dismissed`: what was dismissed, and by whom. */
  dismissed?: DismissedReview;
  /** For `approved`: every approval of the head commit that counts (confirmations are read from their text). */
  headApprovals?: ReviewFact[];
}

export interface StandingContext {
  headSha: string;
  author: string;
  /** `review_dismissed` events of the pull request's timeline. */
  dismissals?: readonly DismissalFact[];
  /** ISO instant since when the gate's selection (what the description declares) is as it is now. */
  selectionSince?: string;
}

function submittedMs(r: ReviewFact): number {
  const t = r.submittedAt ? Date.parse(r.submittedAt) : Number.NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** Reviews in the order they were submitted (time, then id); pending reviews are left out. */
export function submittedInOrder(reviews: readonly ReviewFact[]): ReviewFact[] {
  return reviews.filter((r) => r.state !== "PENDING").sort((a, b) => submittedMs(a) - submittedMs(b) || a.id - b.id);
}

/** Whether an approval was given before the selection it approves came to be (unknown time: before). */
export function beforeSelection(r: ReviewFact, since: string | undefined): boolean {
  if (since === undefined) return false;
  return submittedMs(r) === Number.POSITIVE_INFINITY || submittedMs(r) < Date.parse(since);
}

function dismissedReview(r: ReviewFact, dismissals: readonly DismissalFact[] | undefined): DismissedReview {
  const fact = dismissals?.find((d) => d.reviewId === r.id);
  if (!fact) return { changeRequest: "unknown" };
  return { fact, changeRequest: fact.state.toLowerCase() === "changes_requested" };
}

/** Every reviewer's standing, in the order of their first review. */
export function reviewerStandings(reviews: readonly ReviewFact[], ctx: StandingContext): ReviewerStanding[] {
  const byLogin = new Map<string, { login: string; userType: string; decisive?: ReviewFact; all: ReviewFact[] }>();
  for (const r of submittedInOrder(reviews)) {
    const key = r.login.toLowerCase();
    let entry = byLogin.get(key);
    if (!entry) byLogin.set(key, (entry = { login: r.login, userType: r.userType, all: [] }));
    entry.login = r.login;
    entry.userType = r.userType;
    entry.all.push(r);
    if (r.state === "APPROVED" || r.state === "CHANGES_REQUESTED" || r.state === "DISMISSED") entry.decisive = r;
  }
  return [...byLogin.values()].map(({ login, userType, decisive, all }): ReviewerStanding => {
    const base = { login, ...(decisive ? { review: decisive } : {}) };
    if (!decisive) return { ...base, verdict: "commented" };
    if (sameLogin(login, ctx.author)) return { ...base, verdict: "author" };
    if (isBot(login, userType)) return { ...base, verdict: "bot" };
    if (decisive.state === "DISMISSED") return { ...base, verdict: "dismissed", dismissed: dismissedReview(decisive, ctx.dismissals) };
    if (decisive.state === "CHANGES_REQUESTED") return { ...base, verdict: "changes-requested" };
    if (decisive.commitId !== ctx.headSha) return { ...base, verdict: "stale" };
    if (beforeSelection(decisive, ctx.selectionSince)) return { ...base, verdict: "before-change" };
    const headApprovals = all.filter((r) => r.state === "APPROVED" && r.commitId === ctx.headSha && !beforeSelection(r, ctx.selectionSince));
    return { ...base, verdict: "approved", headApprovals };
  });
}
