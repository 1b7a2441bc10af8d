/**
 * An issue's timeline (`GET /repos/{owner}/{repo}/issues/{issue_number}/timeline`), for pull
 * requests: each submitted review (`reviewed`) and each dismissal (`review_dismissed`, with who
 * dismissed it: GitHub records that nowhere else), oldest first. Other kinds of events (comments,
 * commits, labels) are not emulated.
 */
import { reviewDismissedEvent } from "../timeline.js";
import { intParam, paginate, type RouteTable } from "./types.js";

type Obj = Record<string, unknown>;

export const timelineRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/issues/{issue_number}/timeline": (ctx) => {
    const repo = ctx.repo();
    const number = intParam(ctx, "issue_number");
    const issue = ctx.store.issue(repo, number);
    const events: { at: string; seq: number; event: Obj }[] = [];
    if (issue.isPull) {
      const { pull } = ctx.store.pull(repo, number);
      for (const r of pull.reviews) {
        if (r.state === "PENDING") continue;
        const reviewed = ctx.render.review(repo, pull, r);
        // the timeline shows a dismissed review as it was submitted, then its dismissal
        events.push({ at: r.submittedAt, seq: r.id, event: { event: "reviewed", ...reviewed, state: String(r.dismissal?.previousState ?? r.state).toLowerCase() } });
        if (r.dismissal) {
          const d = r.dismissal;
          const event = reviewDismissedEvent({
            repo: repo.fullName,
            issue_number: number,
            review_id: r.id,
            state: d.previousState.toLowerCase() as "changes_requested",
            actor: d.by,
            created_at: d.at,
            message: d.message,
            commit_id: d.commitId,
            urls: ctx.urls,
          });
          event.actor = ctx.render.user(d.by);
          events.push({ at: d.at, seq: d.id, event });
        }
      }
    }
    events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq));
    return paginate(ctx, events, (e) => e.event);
  },
};
