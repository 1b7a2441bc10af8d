/** Issues: create, get, update, list (with filters, sorting, pagination), assignees. */
import * as o from "../objects.js";
import type { IssueRecord } from "../store.js";
import { intParam, paginate, str, strings, type RouteTable } from "./types.js";

export const issueRoutes: RouteTable = {
  "POST /repos/{owner}/{repo}/issues": (ctx) => {
    const repo = ctx.repo();
    const issue = ctx.store.createIssue(repo, {
      title: String(ctx.body.title ?? ""),
      body: str(ctx.body, "body") ?? null,
      user: ctx.actor,
      labels: strings(ctx.body, "labels") ?? [],
      assignees: [...(strings(ctx.body, "assignees") ?? []), ...(str(ctx.body, "assignee") ? [str(ctx.body, "assignee") as string] : [])],
    });
    return { status: 201, body: ctx.render.issue(repo, issue) };
  },

  "GET /repos/{owner}/{repo}/issues/{issue_number}": (ctx) => {
    const repo = ctx.repo();
    return { status: 200, body: ctx.render.issue(repo, ctx.store.issue(repo, intParam(ctx, "issue_number"))) };
  },

  "PATCH /repos/{owner}/{repo}/issues/{issue_number}": (ctx) => {
    const repo = ctx.repo();
    const issue = ctx.store.issue(repo, intParam(ctx, "issue_number"));
    const b = ctx.body;
    ctx.store.updateIssue(
      repo,
      issue,
      {
        ...(typeof b.title === "string" || typeof b.title === "number" ? { title: String(b.title) } : {}),
        ...("body" in b ? { body: (b.body as string | null) ?? null } : {}),
        ...(b.state === "open" || b.state === "closed" ? { state: b.state } : {}),
        ...("state_reason" in b ? { state_reason: b.state_reason as IssueRecord["stateReason"] } : {}),
        ...(strings(b, "labels") ? { labels: strings(b, "labels") } : {}),
        ...(strings(b, "assignees") ? { assignees: strings(b, "assignees") } : {}),
      },
      ctx.actor,
    );
    return { status: 200, body: ctx.render.issue(repo, issue) };
  },

  "GET /repos/{owner}/{repo}/issues": (ctx) => {
    const repo = ctx.repo();
    const q = ctx.query;
    const state = q.get("state") ?? "open";
    const labels = (q.get("labels") ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const since = q.get("since");
    const creator = q.get("creator")?.toLowerCase();
    const assignee = q.get("assignee");
    const sort = q.get("sort") ?? "created";
    const direction = q.get("direction") ?? "desc";
    let items = [...repo.issues.values()].filter((i) => state === "all" || i.state === state);
    if (labels.length) items = items.filter((i) => labels.every((l) => i.labels.some((n) => n.toLowerCase() === l)));
    if (since) items = items.filter((i) => i.updatedAt >= since);
    if (creator) items = items.filter((i) => i.user.toLowerCase() === creator);
    if (assignee === "none") items = items.filter((i) => i.assignees.length === 0);
    else if (assignee === "*") items = items.filter((i) => i.assignees.length > 0);
    else if (assignee) items = items.filter((i) => i.assignees.some((a) => a.toLowerCase() === assignee.toLowerCase()));
    const key = (i: IssueRecord): string | number => (sort === "updated" ? i.updatedAt : sort === "comments" ? i.comments.length : i.createdAt);
    items.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const c = ka < kb ? -1 : ka > kb ? 1 : a.number - b.number;
      return direction === "asc" ? c : -c;
    });
    return paginate(ctx, items, (i) => ctx.render.issue(repo, i));
  },

  "POST /repos/{owner}/{repo}/issues/{issue_number}/assignees": (ctx) => {
    const repo = ctx.repo();
    const issue = ctx.store.issue(repo, intParam(ctx, "issue_number"));
    ctx.store.addAssignees(issue, strings(ctx.body, "assignees") ?? []);
    return { status: 201, body: ctx.render.issue(repo, issue) };
  },

  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/assignees": (ctx) => {
    const repo = ctx.repo();
    const issue = ctx.store.issue(repo, intParam(ctx, "issue_number"));
    ctx.store.removeAssignees(issue, strings(ctx.body, "assignees") ?? []);
    return { status: 200, body: ctx.render.issue(repo, issue) };
  },

  "POST /repos/{owner}/{repo}/issues/{issue_number}/reactions": (ctx) => {
    const repo = ctx.repo();
    const issue = ctx.store.issue(repo, intParam(ctx, "issue_number"));
    const { reaction, created } = ctx.store.react(issue, ctx.body.content as o.ReactionContent, ctx.actor);
    const body = o.reaction({ id: reaction.id, content: reaction.content, user: reaction.user, created_at: reaction.createdAt, urls: ctx.urls });
    body.user = ctx.render.user(reaction.user);
    return { status: created ? 201 : 200, body };
  },
};
