/** Repositories, branches, commits and git refs. */
import { HttpError, unprocessable } from "../errors.js";
import * as o from "../objects.js";
import { paginate, str, type RouteTable } from "./types.js";

export const repoRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}": (ctx) => ({ status: 200, body: ctx.render.repository(ctx.repo(), true) }),

  "GET /repos/{owner}/{repo}/branches": (ctx) => {
    const repo = ctx.repo();
    const names = [...repo.branches.keys()].sort();
    return paginate(ctx, names, (name) => o.shortBranch({ repo: repo.fullName, name, sha: repo.branches.get(name) ?? "" }));
  },

  "GET /repos/{owner}/{repo}/branches/{branch}": (ctx) => {
    const repo = ctx.repo();
    const name = ctx.params.branch ?? "";
    const sha = repo.branches.get(name);
    if (!sha) throw new HttpError(404, "Branch not found");
    const c = ctx.store.git.getCommit(sha);
    if (!c) throw new HttpError(404, "Branch not found");
    return { status: 200, body: o.branch({ repo: repo.fullName, name, commit: ctx.render.commit(repo, c), urls: ctx.urls }) };
  },

  "GET /repos/{owner}/{repo}/commits/{ref}": (ctx) => {
    const repo = ctx.repo();
    const c = ctx.store.resolveRef(repo, ctx.params.ref);
    return { status: 200, body: ctx.render.commit(repo, c, true) };
  },

  "GET /repos/{owner}/{repo}/git/ref/{ref}": (ctx) => {
    const repo = ctx.repo();
    const ref = ctx.params.ref ?? "";
    const m = /^heads\/(.+)$/.exec(ref);
    const sha = m?.[1] ? repo.branches.get(m[1]) : undefined;
    if (!sha) throw new HttpError(404, "Not Found");
    return { status: 200, body: o.gitRef({ repo: repo.fullName, ref: `refs/${ref}`, sha, urls: ctx.urls }) };
  },

  "POST /repos/{owner}/{repo}/git/refs": (ctx) => {
    const repo = ctx.repo();
    const ref = str(ctx.body, "ref") ?? "";
    const sha = str(ctx.body, "sha") ?? "";
    const m = /^refs\/heads\/(.+)$/.exec(ref);
    if (!m?.[1]) throw unprocessable("Reference name must start with 'refs/heads/' in this emulator");
    ctx.store.createBranch(repo, m[1], sha);
    return { status: 201, body: o.gitRef({ repo: repo.fullName, ref, sha, urls: ctx.urls }) };
  },

  "PATCH /repos/{owner}/{repo}/git/refs/{ref}": (ctx) => {
    const repo = ctx.repo();
    const ref = ctx.params.ref ?? "";
    const m = /^heads\/(.+)$/.exec(ref);
    const branch = m?.[1];
    if (!branch || !repo.branches.has(branch)) throw unprocessable("Reference does not exist");
    const sha = str(ctx.body, "sha") ?? "";
    if (!ctx.store.git.getCommit(sha)) throw unprocessable("Object does not exist");
    const current = repo.branches.get(branch) ?? "";
    if (ctx.body.force !== true && !ctx.store.git.isAncestor(current, sha)) throw unprocessable("Update is not a fast forward");
    ctx.store.moveBranch(repo, branch, sha);
    return { status: 200, body: o.gitRef({ repo: repo.fullName, ref: `refs/${ref}`, sha, urls: ctx.urls }) };
  },
};
