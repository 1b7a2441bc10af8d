/**
 * Each reviewer's standing on a pull request, with GitHub's semantics: only a reviewer's latest
 * review counts (ordered by submission time, then id); a comment neither replaces an approval nor
 * a change request; a dismissed review removes the reviewer's standing; a pending review is not
 * submitted. The author's and bots' reviews never count, and an approval of an older commit is
 * stale.
 */
import { isBot, sameLogin, type ReviewFact } from "./facts.js";

export type ReviewVerdict =
  /** Approved the current head commit: counts. */
  | "approved"
  /** Approved an older commit: reported, not counted. */
  | "stale"
  /** Requested changes (on any commit): stands until dismissed or replaced. */
  | "changes-requested"
  /** The pull request's author: never counts, never vetoes. */
  | "author"
  /** A bot: never counts, never vetoes. */
  | "bot"
  /** The latest approval or change request was dismissed. */
  | "dismissed"
  /** Only comments. */
  | "commented";

export interface ReviewerStanding {
  /** As GitHub spells it on the reviewer's latest review. */
  login: string;
  verdict: ReviewVerdict;
  /** The review that decides the standing (approval, change request or dismissal), if any. */
  review?: ReviewFact;
}

function submittedMs(r: ReviewFact): number {
  const t = r.submittedAt ? Date.parse(r.submittedAt) : Number.NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** Reviews in the order they were submitted (time, then id); pending reviews are left out. */
export function submittedInOrder(reviews: readonly ReviewFact[]): ReviewFact[] {
  return reviews.filter((r) => r.state !== "PENDING").sort((a, b) => submittedMs(a) - submittedMs(b) || a.id - b.id);
}

/** Every reviewer's standing, in the order of their first review. */
export function reviewerStandings(reviews: readonly ReviewFact[], ctx: { headSha: string; author: string }): ReviewerStanding[] {
  const byLogin = new Map<string, { login: string; userType: string; decisive?: ReviewFact; dismissed: boolean }>();
  for (const r of submittedInOrder(reviews)) {
    const key = r.login.toLowerCase();
    let entry = byLogin.get(key);
    if (!entry) byLogin.set(key, (entry = { login: r.login, userType: r.userType, dismissed: false }));
    entry.login = r.login;
    entry.userType = r.userType;
    if (r.state === "APPROVED" || r.state === "CHANGES_REQUESTED") {
      entry.decisive = r;
      entry.dismissed = false;
    } else if (r.state === "DISMISSED") {
      entry.decisive = r;
      entry.dismissed = true;
    }
  }
  return [...byLogin.values()].map(({ login, userType, decisive, dismissed }) => {
    const base = { login, ...(decisive ? { review: decisive } : {}) };
    if (!decisive) return { ...base, verdict: "commented" };
    if (dismissed) return { ...base, verdict: "dismissed" };
    if (sameLogin(login, ctx.author)) return { ...base, verdict: "author" };
    if (isBot(login, userType)) return { ...base, verdict: "bot" };
    if (decisive.state === "CHANGES_REQUESTED") return { ...base, verdict: "changes-requested" };
    return { ...base, verdict: decisive.commitId === ctx.headSha ? "approved" : "stale" };
  });
}
