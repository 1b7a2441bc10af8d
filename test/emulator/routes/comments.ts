/** Issue comments and reactions on them. */
import * as o from "../objects.js";
import { intParam, paginate, str, type RouteTable } from "./types.js";

export const commentRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments": (ctx) => {
    const repo = ctx.repo();
    const issue = ctx.store.issue(repo, intParam(ctx, "issue_number"));
    const since = ctx.query.get("since");
    const items = issue.comments.filter((c) => !since || c.updatedAt >= since);
    return paginate(ctx, items, (c) => ctx.render.comment(repo, c));
  },

  "GET /repos/{owner}/{repo}/issues/comments": (ctx) => {
    const repo = ctx.repo();
    const since = ctx.query.get("since");
    const all = [...repo.issues.values()].flatMap((i) => i.comments).filter((c) => !since || c.updatedAt >= since);
    const direction = ctx.query.get("direction") ?? "asc";
    all.sort((a, b) => (a.id - b.id) * (direction === "desc" ? -1 : 1));
    return paginate(ctx, all, (c) => ctx.render.comment(repo, c));
  },

  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": (ctx) => {
    const repo = ctx.repo();
    const issue = ctx.store.issue(repo, intParam(ctx, "issue_number"));
    const c = ctx.store.addComment(repo, issue, str(ctx.body, "body") ?? "", ctx.actor);
    return { status: 201, body: ctx.render.comment(repo, c) };
  },

  "GET /repos/{owner}/{repo}/issues/comments/{comment_id}": (ctx) => {
    const repo = ctx.repo();
    return { status: 200, body: ctx.render.comment(repo, ctx.store.comment(repo, intParam(ctx, "comment_id")).comment) };
  },

  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": (ctx) => {
    const repo = ctx.repo();
    const c = ctx.store.editComment(repo, intParam(ctx, "comment_id"), str(ctx.body, "body") ?? "");
    return { status: 200, body: ctx.render.comment(repo, c) };
  },

  "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}": (ctx) => {
    const repo = ctx.repo();
    ctx.store.deleteComment(repo, intParam(ctx, "comment_id"));
    return { status: 204 };
  },

  "GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions": (ctx) => {
    const repo = ctx.repo();
    const { comment } = ctx.store.comment(repo, intParam(ctx, "comment_id"));
    const content = ctx.query.get("content");
    const items = comment.reactions.filter((r) => !content || r.content === content);
    return paginate(ctx, items, (r) => o.reaction({ id: r.id, content: r.content, user: r.user, created_at: r.createdAt, urls: ctx.urls }));
  },

  "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions": (ctx) => {
    const repo = ctx.repo();
    const { comment } = ctx.store.comment(repo, intParam(ctx, "comment_id"));
    const { reaction, created } = ctx.store.react(comment, ctx.body.content as o.ReactionContent, ctx.actor);
    const body = o.reaction({ id: reaction.id, content: reaction.content, user: reaction.user, created_at: reaction.createdAt, urls: ctx.urls });
    body.user = ctx.render.user(reaction.user);
    return { status: created ? 201 : 200, body };
  },
};
