/** The contents API: read files/directories at a ref; write with optimistic concurrency. */
import { HttpError, unprocessable } from "../errors.js";
import * as o from "../objects.js";
import type { RouteContext, RouteTable } from "./types.js";
import { str } from "./types.js";

function decodeBase64(ctx: RouteContext): string {
  const content = str(ctx.body, "content") ?? "";
  if (!/^[A-Za-z0-9+/=\s]*$/.test(content)) throw unprocessable("content is not valid Base64");
  return Buffer.from(content, "base64").toString("utf8");
}

function refName(ctx: RouteContext, fallback: string): string {
  return ctx.query.get("ref") ?? fallback;
}

export const contentRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/contents/{path}": (ctx) => {
    const repo = ctx.repo();
    const ref = refName(ctx, repo.defaultBranch);
    const commit = ctx.store.resolveRef(repo, ref);
    const path = (ctx.params.path ?? "").replace(/^\/+|\/+$/g, "");
    const file = ctx.store.git.fileAt(commit.sha, path);
    if (file) {
      return {
        status: 200,
        body: o.contentFile({ repo: repo.fullName, path, ref, sha: file.sha, size: Buffer.byteLength(file.content), content: file.content, urls: ctx.urls }),
      };
    }
    const entries = ctx.store.git.listDir(commit.sha, path);
    if (!entries) throw new HttpError(404, "Not Found");
    return { status: 200, body: entries.map((e) => o.contentEntry({ repo: repo.fullName, path: e.path, ref, sha: e.sha, size: e.size, type: e.type, urls: ctx.urls })) };
  },

  "PUT /repos/{owner}/{repo}/contents/{path}": (ctx) => {
    const repo = ctx.repo();
    const path = ctx.params.path ?? "";
    const branch = str(ctx.body, "branch") ?? repo.defaultBranch;
    const sha = str(ctx.body, "sha");
    const { commit, created } = ctx.store.putContent(repo, {
      path,
      content: decodeBase64(ctx),
      message: str(ctx.body, "message") ?? "",
      branch,
      login: ctx.actor,
      ...(sha === undefined ? {} : { sha }),
    });
    const file = ctx.store.git.fileAt(commit.sha, path);
    const content = o.contentEntry({ repo: repo.fullName, path, ref: branch, sha: file?.sha ?? "", size: Buffer.byteLength(file?.content ?? ""), type: "file", urls: ctx.urls });
    return {
      status: created ? 201 : 200,
      body: o.fileCommit({ repo: repo.fullName, content, commit: ctx.render.commit(repo, commit), tree_sha: commit.treeSha, urls: ctx.urls }),
    };
  },

  "DELETE /repos/{owner}/{repo}/contents/{path}": (ctx) => {
    const repo = ctx.repo();
    const branch = str(ctx.body, "branch") ?? repo.defaultBranch;
    const commit = ctx.store.deleteContent(repo, {
      path: ctx.params.path ?? "",
      message: str(ctx.body, "message") ?? "",
      sha: str(ctx.body, "sha") ?? "",
      branch,
      login: ctx.actor,
    });
    return { status: 200, body: o.fileCommit({ repo: repo.fullName, content: null, commit: ctx.render.commit(repo, commit), tree_sha: commit.treeSha, urls: ctx.urls }) };
  },
};
