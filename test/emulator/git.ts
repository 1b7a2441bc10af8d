/**
 * A tiny content-addressed store: blobs and commits, as git does it (sha1 of the object),
 * minus trees as separate objects (a commit holds its whole path → blob map).
 */
import { createHash } from "node:crypto";

export interface Signature {
  name: string;
  email: string;
  date: string; // ISO 8601, seconds precision, Z
}

export interface CommitObject {
  sha: string;
  treeSha: string;
  parents: string[];
  message: string;
  author: Signature;
  committer: Signature;
  /** GitHub login of the author, when known (the user or app that made the commit) */
  login: string | null;
  /** path → blob sha */
  files: ReadonlyMap<string, string>;
}

export interface FileChange {
  path: string;
  status: "added" | "removed" | "modified";
  /** blob sha after the change (null when removed) */
  sha: string | null;
  additions: number;
  deletions: number;
}

function sha1(text: string | Buffer): string {
  return createHash("sha1").update(text).digest("hex");
}

export function blobSha(content: string): string {
  const body = Buffer.from(content, "utf8");
  return sha1(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body]));
}

function lineCount(text: string): number {
  if (text.length === 0) return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

export class GitStore {
  private readonly blobs = new Map<string, string>();
  private readonly commits = new Map<string, CommitObject>();

  putBlob(content: string): string {
    const sha = blobSha(content);
    this.blobs.set(sha, content);
    return sha;
  }

  blob(sha: string): string | undefined {
    return this.blobs.get(sha);
  }

  getCommit(sha: string): CommitObject | undefined {
    return this.commits.get(sha);
  }

  /** Resolves a full or abbreviated (>= 7 chars) commit sha. */
  resolveSha(prefix: string): CommitObject | undefined {
    const exact = this.commits.get(prefix);
    if (exact) return exact;
    if (!/^[0-9a-f]{7,39}$/.test(prefix)) return undefined;
    for (const [sha, c] of this.commits) if (sha.startsWith(prefix)) return c;
    return undefined;
  }

  /**
   * Creates a commit on top of `parent` (or a root commit) applying `changes`
   * (path → new content, or null to delete).
   */
  commit(input: {
    parent: string | undefined;
    extraParents?: string[];
    changes: Record<string, string | null>;
    message: string;
    author: Signature;
    committer?: Signature;
    login?: string | null;
  }): CommitObject {
    const base = input.parent ? this.commits.get(input.parent) : undefined;
    if (input.parent && !base) throw new Error(`unknown parent commit ${input.parent}`);
    const files = new Map(base?.files ?? []);
    for (const [path, content] of Object.entries(input.changes)) {
      if (content === null) files.delete(path);
      else files.set(path, this.putBlob(content));
    }
    const sorted = [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const treeSha = sha1(`tree\0${sorted.map(([p, s]) => `${p}\0${s}`).join("\n")}`);
    const parents = [...(input.parent ? [input.parent] : []), ...(input.extraParents ?? [])];
    const committer = input.committer ?? input.author;
    const text = [
      `tree ${treeSha}`,
      ...parents.map((p) => `parent ${p}`),
      `author ${input.author.name} <${input.author.email}> ${input.author.date}`,
      `committer ${committer.name} <${committer.email}> ${committer.date}`,
      "",
      input.message,
    ].join("\n");
    // the commit counter keeps two identical commits (same tree, parent, time) distinct
    const sha = sha1(`commit ${this.commits.size}\0${text}`);
    const commit: CommitObject = { sha, treeSha, parents, message: input.message, author: input.author, committer, login: input.login ?? null, files };
    this.commits.set(sha, commit);
    return commit;
  }

  /** The file at `path` in commit `sha`, if any. */
  fileAt(sha: string, path: string): { sha: string; content: string } | undefined {
    const blob = this.commits.get(sha)?.files.get(path);
    if (blob === undefined) return undefined;
    return { sha: blob, content: this.blobs.get(blob) ?? "" };
  }

  /** Immediate children (files and directories) of `dir` ("" for the root) in commit `sha`. */
  listDir(sha: string, dir: string): Array<{ name: string; path: string; type: "file" | "dir"; sha: string; size: number }> | undefined {
    const c = this.commits.get(sha);
    if (!c) return undefined;
    const prefix = dir === "" ? "" : `${dir.replace(/\/+$/, "")}/`;
    const seen = new Map<string, { name: string; path: string; type: "file" | "dir"; sha: string; size: number }>();
    for (const [path, blob] of c.files) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash === -1) {
        seen.set(rest, { name: rest, path, type: "file", sha: blob, size: Buffer.byteLength(this.blobs.get(blob) ?? "") });
      } else {
        const name = rest.slice(0, slash);
        if (!seen.has(name)) seen.set(name, { name, path: `${prefix}${name}`, type: "dir", sha: sha1(`dir:${c.treeSha}:${prefix}${name}`), size: 0 });
      }
    }
    if (seen.size === 0 && prefix !== "") return undefined;
    return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Files changed between two commits (base → head), sorted by path. */
  diff(baseSha: string, headSha: string): FileChange[] {
    const base = this.commits.get(baseSha)?.files ?? new Map<string, string>();
    const head = this.commits.get(headSha)?.files ?? new Map<string, string>();
    const out: FileChange[] = [];
    for (const [path, sha] of head) {
      const before = base.get(path);
      if (before === sha) continue;
      const after = this.blobs.get(sha) ?? "";
      if (before === undefined) out.push({ path, status: "added", sha, additions: lineCount(after), deletions: 0 });
      else out.push({ path, status: "modified", sha, additions: lineCount(after), deletions: lineCount(this.blobs.get(before) ?? "") });
    }
    for (const [path, sha] of base) {
      if (!head.has(path)) out.push({ path, status: "removed", sha: null, additions: 0, deletions: lineCount(this.blobs.get(sha) ?? "") });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** Whether `ancestor` is reachable from `sha` by following parents. */
  isAncestor(ancestor: string, sha: string): boolean {
    const stack = [sha];
    const seen = new Set<string>();
    while (stack.length) {
      const s = stack.pop() as string;
      if (s === ancestor) return true;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(this.commits.get(s)?.parents ?? []));
    }
    return false;
  }

  /** Nearest common ancestor (first found walking `a`'s history breadth-first). */
  mergeBase(a: string, b: string): string | undefined {
    const queue = [a];
    const seen = new Set<string>();
    while (queue.length) {
      const s = queue.shift() as string;
      if (seen.has(s)) continue;
      seen.add(s);
      if (this.isAncestor(s, b)) return s;
      queue.push(...(this.commits.get(s)?.parents ?? []));
    }
    return undefined;
  }
}
