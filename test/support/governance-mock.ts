import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import nock from "nock";
import { blobSha } from "../emulator/git.js";
import { branch, commit, contentEntry } from "../emulator/objects.js";

export const OWNER = "acme";
export const REPO = "ingestion";
export const API = "https://api.github.com";

/** The files of a governance directory on disk, keyed by path relative to it. */
export function governanceFiles(dir = "governance", options: { notify?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  // notify.yml names channels outside GitHub (Slack, PagerDuty …): only the tests about them send there.
  if (!options.notify) delete out["notify.yml"];
  return out;
}

/** D9's governance files with some replaced (a string) or removed (null). */
export function d9Files(changes: Record<string, string | null> = {}): Record<string, string> {
  const files = governanceFiles("governance");
  for (const [path, text] of Object.entries(changes)) {
    if (text === null) delete files[path];
    else files[path] = text;
  }
  return files;
}

export interface GovernanceMockOptions {
  files: Record<string, string>;
  owner?: string;
  repo?: string;
  branch?: string;
  /** Commit sha of the default branch. */
  sha?: string;
}

/**
 * Serve governance files at the default branch's head through the endpoints Charter reads
 * (branch, directory listings, blobs). Persistent: tests count requests with `scope.pendingMocks`
 * or through their own interceptors. Returns the scope and the commit sha.
 */
export function mockGovernance(options: GovernanceMockOptions): { scope: nock.Scope; sha: string; blobs: Record<string, string> } {
  const owner = options.owner ?? OWNER;
  const repo = options.repo ?? REPO;
  const full = `${owner}/${repo}`;
  const name = options.branch ?? "main";
  const sha = options.sha ?? "a".repeat(40);
  const blobs: Record<string, string> = {};
  const byBlob = new Map<string, string>();
  for (const [path, text] of Object.entries(options.files)) {
    const s = blobSha(text);
    blobs[path] = s;
    byBlob.set(s, text);
  }
  const entries = (dir: string) => {
    const prefix = dir === "" ? "" : dir + "/";
    const names = new Map<string, "file" | "dir">();
    for (const path of Object.keys(options.files)) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const [first, ...more] = rest.split("/");
      names.set(first!, more.length ? "dir" : "file");
    }
    return [...names].map(([n, type]) => {
      const rel = prefix + n;
      return contentEntry({ repo: full, path: `governance/${rel}`, ref: sha, type, sha: type === "file" ? blobs[rel]! : blobSha(rel), size: type === "file" ? Buffer.byteLength(options.files[rel]!) : 0 });
    });
  };
  const scope = nock(API)
    .persist()
    .get(`/repos/${full}/branches/${name}`)
    .reply(200, branch({ repo: full, name, commit: commit({ repo: full, sha }) }), { etag: `"${sha}"` })
    .get(`/repos/${full}/contents/governance`)
    .query({ ref: sha })
    .reply(200, entries(""))
    .get(`/repos/${full}/contents/governance%2Fstate`)
    .query({ ref: sha })
    .reply(200, entries("state"))
    .get(/\/repos\/[^/]+\/[^/]+\/git\/blobs\/[0-9a-f]{40}$/)
    .reply((uri) => {
      const s = uri.split("/").pop()!;
      const text = byBlob.get(s);
      if (text === undefined) return [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" }];
      return [200, { sha: s, node_id: "B_" + s.slice(0, 8), size: Buffer.byteLength(text), url: `${API}/repos/${full}/git/blobs/${s}`, content: Buffer.from(text).toString("base64"), encoding: "base64" }];
    });
  return { scope, sha, blobs };
}
