/** Git blobs by sha (Charter reads governance files this way, cached by blob sha). */
import { HttpError } from "../errors.js";
import * as o from "../objects.js";
import type { RouteTable } from "./types.js";

export const blobRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/git/blobs/{file_sha}": (ctx) => {
    const repo = ctx.repo();
    const sha = ctx.params.file_sha ?? "";
    const content = /^[0-9a-f]{40}$/.test(sha) ? ctx.store.git.blob(sha) : undefined;
    if (content === undefined) throw new HttpError(404, "Not Found");
    const base64 = Buffer.from(content, "utf8").toString("base64");
    return {
      status: 200,
      body: {
        sha,
        node_id: o.nodeId("Blob", parseInt(sha.slice(0, 8), 16)),
        size: Buffer.byteLength(content, "utf8"),
        url: `${ctx.urls.api}/repos/${repo.fullName}/git/blobs/${sha}`,
        // GitHub wraps base64 at 60 characters per line
        content: (base64.match(/.{1,60}/g) ?? [""]).join("\n") + "\n",
        encoding: "base64",
      },
    };
  },
};
