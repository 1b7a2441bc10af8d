/** Pull requests: create/get/update/list, files, commits, reviews, reviewers, merge. */
import { HttpError, unprocessable } from "../errors.js";
import type { ReviewState } from "../objects.js";
import { intParam, paginate, str, strings, type RouteTable } from "./types.js";

const EVENT_STATE: Record<string, ReviewState> = { APPROVE: "APPROVED", REQUEST_CHANGES: "CHANGES_REQUESTED", COMMENT: "COMMENTED" };

export const pullRoutes: RouteTable = {
  "POST /repos/{owner}/{repo}/pulls": (ctx) => {
    const repo = ctx.repo();
    const { issue, pull } = ctx.store.openPullRequest(repo, {
      head: str(ctx.body, "head") ?? "",
      base: str(ctx.body, "base") ?? repo.defaultBranch,
      title: str(ctx.body, "title") ?? "",
      body: str(ctx.body, "body") ?? null,
      user: ctx.actor,
      draft: ctx.body.draft === true,
    });
    return { status: 201, body: ctx.render.pullRequest(repo, issue, pull) };
  },

  "GET /repos/{owner}/{repo}/pulls/{pull_number}": (ctx) => {
    const repo = ctx.repo();
    const { issue, pull } = ctx.store.pull(repo, intParam(ctx, "pull_number"));
    return { status: 200, body: ctx.render.pullRequest(repo, issue, pull) };
  },

  "PATCH /repos/{owner}/{repo}/pulls/{pull_number}": (ctx) => {
    const repo = ctx.repo();
    const { issue, pull } = ctx.store.pull(repo, intParam(ctx, "pull_number"));
    const b = ctx.body;
    ctx.store.updateIssue(
      repo,
      issue,
      {
        ...(typeof b.title === "string" ? { title: b.title } : {}),
        ...(typeof b.body === "string" ? { body: b.body } : {}),
        ...(b.state === "open" || b.state === "closed" ? { state: b.state } : {}),
      },
      ctx.actor,
    );
    const base = str(b, "base");
    if (base) {
      pull.baseRef = base;
      pull.baseSha = ctx.store.branchTip(repo, base);
    }
    return { status: 200, body: ctx.render.pullRequest(repo, issue, pull) };
  },

  "GET /repos/{owner}/{repo}/pulls": (ctx) => {
    const repo = ctx.repo();
    const state = ctx.query.get("state") ?? "open";
    const head = ctx.query.get("head");
    const base = ctx.query.get("base");
    const direction = ctx.query.get("direction") ?? "desc";
    // sort: created (default, by number) or updated; other sorts (popularity, long-running) fall back to created
    const byUpdate = ctx.query.get("sort") === "updated";
    const items = [...repo.pulls.values()]
      .map((pull) => ({ pull, issue: ctx.store.issue(repo, pull.number) }))
      .filter(({ issue }) => state === "all" || issue.state === state)
      .filter(({ pull }) => !head || `${repo.owner}:${pull.headRef}`.toLowerCase() === head.toLowerCase() || pull.headRef === head)
      .filter(({ pull }) => !base || pull.baseRef === base)
      .sort((a, b) => {
        const c = byUpdate ? (a.issue.updatedAt < b.issue.updatedAt ? -1 : a.issue.updatedAt > b.issue.updatedAt ? 1 : a.pull.number - b.pull.number) : a.pull.number - b.pull.number;
        return direction === "asc" ? c : -c;
      });
    return paginate(ctx, items, ({ issue, pull }) => ctx.render.pullRequest(repo, issue, pull, true));
  },

  "GET /repos/{owner}/{repo}/pulls/{pull_number}/files": (ctx) => {
    const repo = ctx.repo();
    const { pull } = ctx.store.pull(repo, intParam(ctx, "pull_number"));
    return paginate(ctx, ctx.store.changedFiles(pull), (f) => ctx.render.diffEntry(repo, f, pull.headSha));
  },

  "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits": (ctx) => {
    const repo = ctx.repo();
    const { pull } = ctx.store.pull(repo, intParam(ctx, "pull_number"));
    return paginate(ctx, ctx.store.commitsOf(pull), (c) => ctx.render.commit(repo, c));
  },

  "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews": (ctx) => {
    const repo = ctx.repo();
    const { pull } = ctx.store.pull(repo, intParam(ctx, "pull_number"));
    return paginate(ctx, pull.reviews, (r) => ctx.render.review(repo, pull, r));
  },

  "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews": (ctx) => {
    const repo = ctx.repo();
    const number = intParam(ctx, "pull_number");
    const { pull } = ctx.store.pull(repo, number);
    const event = str(ctx.body, "event");
    const state = event ? EVENT_STATE[event] : undefined;
    if (!state) throw unprocessable("This emulator only creates submitted reviews: pass event APPROVE, REQUEST_CHANGES or COMMENT");
    const commitId = str(ctx.body, "commit_id");
    const r = ctx.store.submitReview(repo, number, { user: ctx.actor, state, body: str(ctx.body, "body") ?? "", ...(commitId ? { commitId } : {}) });
    return { status: 200, body: ctx.render.review(repo, pull, r) };
  },

  "PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals": (ctx) => {
    const repo = ctx.repo();
    const number = intParam(ctx, "pull_number");
    const { pull } = ctx.store.pull(repo, number);
    const r = ctx.store.dismissReview(repo, number, intParam(ctx, "review_id"), ctx.actor, str(ctx.body, "message") ?? null);
    return { status: 200, body: ctx.render.review(repo, pull, r) };
  },

  "GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers": (ctx) => {
    const repo = ctx.repo();
    const { pull } = ctx.store.pull(repo, intParam(ctx, "pull_number"));
    return { status: 200, body: { users: pull.requestedReviewers.map((u) => ctx.render.user(u)), teams: [] } };
  },

  "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers": (ctx) => {
    const repo = ctx.repo();
    const number = intParam(ctx, "pull_number");
    if ((strings(ctx.body, "team_reviewers") ?? []).length > 0) throw unprocessable("Team review requests are not supported by this emulator");
    ctx.store.requestReviewers(repo, number, strings(ctx.body, "reviewers") ?? []);
    const { issue, pull } = ctx.store.pull(repo, number);
    return { status: 201, body: ctx.render.pullRequest(repo, issue, pull, true) };
  },

  "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge": (ctx) => {
    const repo = ctx.repo();
    const number = intParam(ctx, "pull_number");
    const method = str(ctx.body, "merge_method");
    const sha = str(ctx.body, "sha");
    const title = str(ctx.body, "commit_title");
    const c = ctx.store.merge(repo, number, {
      login: ctx.actor,
      ...(sha ? { sha } : {}),
      ...(title ? { commitTitle: title } : {}),
      ...(method === "merge" || method === "squash" || method === "rebase" ? { mergeMethod: method } : {}),
    });
    if (!c) throw new HttpError(405, "Pull Request is not mergeable");
    return { status: 200, body: { sha: c.sha, merged: true, message: "Pull Request successfully merged" } };
  },
};
