/** Repository labels and labels on issues. */
import { intParam, paginate, str, strings, type RouteTable } from "./types.js";

export const labelRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/labels": (ctx) => {
    const repo = ctx.repo();
    return paginate(ctx, [...repo.labels.values()], (l) => ctx.render.label(repo, l.name));
  },

  "POST /repos/{owner}/{repo}/labels": (ctx) => {
    const repo = ctx.repo();
    const l = ctx.store.createLabel(repo, str(ctx.body, "name") ?? "", str(ctx.body, "color")?.replace(/^#/, ""), str(ctx.body, "description") ?? null);
    return { status: 201, body: ctx.render.label(repo, l.name) };
  },

  "GET /repos/{owner}/{repo}/labels/{name}": (ctx) => {
    const repo = ctx.repo();
    return { status: 200, body: ctx.render.label(repo, ctx.store.label(repo, ctx.params.name ?? "").name) };
  },

  "PATCH /repos/{owner}/{repo}/labels/{name}": (ctx) => {
    const repo = ctx.repo();
    const l = ctx.store.label(repo, ctx.params.name ?? "");
    const color = str(ctx.body, "color");
    if (color) l.color = color.replace(/^#/, "");
    if ("description" in ctx.body) l.description = str(ctx.body, "description") ?? null;
    const newName = str(ctx.body, "new_name");
    if (newName && newName !== l.name) {
      repo.labels.delete(l.name.toLowerCase());
      for (const issue of repo.issues.values()) issue.labels = issue.labels.map((n) => (n.toLowerCase() === l.name.toLowerCase() ? newName : n));
      l.name = newName;
      repo.labels.set(newName.toLowerCase(), l);
    }
    return { status: 200, body: ctx.render.label(repo, l.name) };
  },

  "GET /repos/{owner}/{repo}/issues/{issue_number}/labels": (ctx) => {
    const repo = ctx.repo();
    const issue = ctx.store.issue(repo, intParam(ctx, "issue_number"));
    return paginate(ctx, issue.labels, (n) => ctx.render.label(repo, n));
  },

  "POST /repos/{owner}/{repo}/issues/{issue_number}/labels": (ctx) => {
    const repo = ctx.repo();
    const issue = ctx.store.issue(repo, intParam(ctx, "issue_number"));
    ctx.store.addLabels(repo, issue, strings(ctx.body, "labels") ?? []);
    return { status: 200, body: issue.labels.map((n) => ctx.render.label(repo, n)) };
  },

  "PUT /repos/{owner}/{repo}/issues/{issue_number}/labels": (ctx) => {
    const repo = ctx.repo();
    const issue = ctx.store.issue(repo, intParam(ctx, "issue_number"));
    issue.labels = [];
    ctx.store.addLabels(repo, issue, strings(ctx.body, "labels") ?? []);
    return { status: 200, body: issue.labels.map((n) => ctx.render.label(repo, n)) };
  },

  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}": (ctx) => {
    const repo = ctx.repo();
    const issue = ctx.store.issue(repo, intParam(ctx, "issue_number"));
    ctx.store.removeLabel(repo, issue, ctx.params.name ?? "");
    return { status: 200, body: issue.labels.map((n) => ctx.render.label(repo, n)) };
  },
};
