/**
 * A small stateful GitHub for the kill-switch tests, served through nock (so every request passes
 * the OpenAPI guard): a repository whose default branch holds the governance files, the contents
 * API with real optimistic concurrency (a PUT with a stale blob sha gets 409), branches, pull
 * requests, issue comments and reactions. Every request is recorded for assertions and counts.
 */
import { withoutKeys } from "../support/keys.js";
import nock from "nock";
import { parse } from "yaml";
import { GitStore, type Signature } from "../emulator/git.js";
import * as o from "../emulator/objects.js";
import { patchOf } from "./patch.js";

export const OWNER = "acme";
export const REPO = "ingestion";
export const FULL = `${OWNER}/${REPO}`;
export const API = "https://api.github.com";
export const APP_LOGIN = "charter[bot]";

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
  status: number;
}

export interface PutRecord {
  path: string;
  branch: string;
  sha: string | undefined;
  /** The decoded file text that was sent. */
  text: string;
  /** Parsed YAML of the text. */
  yaml: Record<string, unknown>;
  message: string;
  status: number;
}

export interface PullRecord {
  number: number;
  title: string;
  head: string;
  base: string;
  body: string;
  /** The head commit sha when it was opened. */
  headSha: string;
  state: "open" | "closed";
}

export interface ReviewRecord {
  id: number;
  login: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED";
  commitId: string;
  /** The review's text (confirmations are given in it). */
  body?: string;
}

export interface CheckRunRecord {
  name: string;
  headSha: string;
  conclusion: string;
  title: string;
  summary: string;
}

interface Fault {
  method: string;
  path: RegExp;
  times: number;
  status: number;
  message: string;
  /** Run instead of (before) answering: e.g. make a concurrent write land first. */
  before?: () => void;
}

const SIG: Signature = { name: "Charter", email: "charter@example.com", date: "2025-06-02T10:00:00Z" };

export class FakeGitHub {
  readonly git = new GitStore();
  readonly branches = new Map<string, string>();
  readonly requests: Recorded[] = [];
  readonly puts: PutRecord[] = [];
  readonly pulls: PullRecord[] = [];
  /** Comments Charter posted: `body` as people read it (without Charter's hidden idempotency key), `raw` as sent. */
  readonly comments: { issue: number; body: string; id: number; raw?: string }[] = [];
  readonly reactions: { comment: number; content: string }[] = [];
  readonly faults: Fault[] = [];
  readonly reviews = new Map<number, ReviewRecord[]>();
  readonly checkRuns: CheckRunRecord[] = [];
  /** Where each branch was created from (the merge base of its pull request). */
  readonly branchPoints = new Map<string, string>();
  #nextId = 5000;
  #nextPull = 100;

  constructor(files: Record<string, string>, readonly defaultBranch = "main") {
    const changes = Object.fromEntries(Object.entries(files).map(([p, t]) => [`governance/${p}`, t]));
    const c = this.git.commit({ parent: undefined, changes, message: "governance", author: SIG });
    this.branches.set(defaultBranch, c.sha);
  }

  /** A governance file's text on a branch (path relative to governance/). */
  file(path: string, branch = this.defaultBranch): string | undefined {
    return this.git.fileAt(this.branches.get(branch)!, `governance/${path}`)?.content;
  }

  yaml(path: string, branch = this.defaultBranch): Record<string, unknown> {
    return parse(this.file(path, branch) ?? "null") as Record<string, unknown>;
  }

  /** Commit directly on a branch (someone else's write, or a merge). */
  write(branch: string, changes: Record<string, string>, message = "change"): string {
    const parent = this.branches.get(branch)!;
    const c = this.git.commit({ parent, changes: Object.fromEntries(Object.entries(changes).map(([p, t]) => [`governance/${p}`, t])), message, author: SIG });
    this.branches.set(branch, c.sha);
    return c.sha;
  }

  /** Merge a pull request: its branch's governance files as they are on the head replace the default branch's (a fast-forward-like merge). */
  merge(number: number): string {
    const pr = this.pulls.find((p) => p.number === number)!;
    const head = this.git.getCommit(this.branches.get(pr.head)!)!;
    const base = this.git.getCommit(this.branches.get(pr.base)!)!;
    const changes: Record<string, string> = {};
    for (const [path, blob] of head.files) if (base.files.get(path) !== blob) changes[path.replace(/^governance\//, "")] = this.git.blob(blob)!;
    pr.state = "closed";
    return this.write(pr.base, changes, `Merge pull request #${number}`);
  }

  /** A review of a pull request's current head. */
  review(number: number, login: string, state: ReviewRecord["state"] = "APPROVED", body?: string): ReviewRecord {
    const pr = this.pulls.find((p) => p.number === number)!;
    const r: ReviewRecord = { id: this.#nextId++, login, state, commitId: this.branches.get(pr.head)!, ...(body !== undefined ? { body } : {}) };
    this.reviews.set(number, [...(this.reviews.get(number) ?? []), r]);
    return r;
  }

  reviewObject(number: number, r: ReviewRecord): Record<string, unknown> {
    return o.review({ repo: FULL, pull_number: number, id: r.id, user: r.login, state: r.state, commit_id: r.commitId, submitted_at: "2025-06-02T12:00:00Z", ...(r.body !== undefined ? { body: r.body } : {}) });
  }

  /** The latest check run written for a pull request's head. */
  checkOf(pr: PullRecord): CheckRunRecord | undefined {
    const head = this.branches.get(pr.head);
    return this.checkRuns.filter((c) => c.headSha === head).at(-1);
  }

  /** Governance files a pull request changes, against where its branch was created. */
  private pullFiles(pr: PullRecord): Record<string, unknown>[] {
    const base = this.git.getCommit(this.branchPoints.get(pr.head) ?? this.branches.get(pr.base)!)!;
    const head = this.git.getCommit(this.branches.get(pr.head)!)!;
    const out: Record<string, unknown>[] = [];
    for (const [path, blob] of head.files) {
      const before = base.files.get(path);
      if (before === blob) continue;
      const a = before === undefined ? undefined : this.git.blob(before)!;
      const b = this.git.blob(blob)!;
      out.push(o.diffEntry({ repo: FULL, filename: path, status: before === undefined ? "added" : "modified", sha: blob, ref: head.sha, patch: patchOf(a, b) }));
    }
    return out;
  }

  /** Answer the next `times` matching requests with an error (optionally doing something first). */
  fail(method: string, path: RegExp, status: number, message: string, options: { times?: number; before?: () => void } = {}): void {
    this.faults.push({ method, path, status, message, times: options.times ?? 1, ...(options.before ? { before: options.before } : {}) });
  }

  /** Requests of a method whose path matches. */
  count(method?: string, path?: RegExp): number {
    return this.requests.filter((r) => (method === undefined || r.method === method) && (path === undefined || path.test(r.path))).length;
  }

  /** Forget recorded requests and PUTs (to count those of one step). */
  reset(): void {
    this.requests.length = 0;
    this.puts.length = 0;
  }

  /** Requests as `METHOD /path` lines, for messages. */
  lines(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}${[...r.query].length ? `?${r.query}` : ""} → ${r.status}`);
  }

  install(): nock.Scope {
    const handle = (method: string, uri: string, body: unknown, headers: Record<string, string | string[] | undefined>) => this.handle(method, uri, body, headers);
    const scope = nock(API).persist();
    for (const method of ["get", "put", "post", "patch", "delete"] as const) {
      scope[method](/.*/).reply(function (uri, body) {
        return handle(method.toUpperCase(), uri, body, this.req.headers as Record<string, string | string[] | undefined>);
      });
    }
    return scope;
  }

  private handle(method: string, uri: string, rawBody: unknown, headers: Record<string, string | string[] | undefined>): [number, unknown, Record<string, string>?] {
    const url = new URL(uri, API);
    const path = decodeURIComponent(url.pathname);
    const body = (typeof rawBody === "string" && rawBody !== "" ? JSON.parse(rawBody) : rawBody && typeof rawBody === "object" ? rawBody : undefined) as Record<string, unknown> | undefined;
    const record: Recorded = { method, path, query: url.searchParams, body, status: 0 };
    this.requests.push(record);
    const fault = this.faults.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    let result: [number, unknown, Record<string, string>?];
    if (fault) {
      fault.times--;
      fault.before?.();
      result = [fault.status, o.apiError(fault.message)];
    } else {
      result = this.route(method, path, url.searchParams, body, headers);
    }
    record.status = result[0];
    return result;
  }

  private route(method: string, path: string, query: URLSearchParams, body: Record<string, unknown> | undefined, headers: Record<string, string | string[] | undefined>): [number, unknown, Record<string, string>?] {
    const prefix = `/repos/${FULL}`;
    if (!path.startsWith(prefix)) return [404, o.apiError("Not Found")];
    const rest = path.slice(prefix.length);
    let m: RegExpExecArray | null;
    if (method === "GET" && (m = /^\/branches\/(.+)$/.exec(rest))) {
      const sha = this.branches.get(m[1]!);
      if (!sha) return [404, o.apiError("Branch not found")];
      const etag = `"${sha}"`;
      if (headers["if-none-match"] === etag) return [304, "", { etag }];
      return [200, o.branch({ repo: FULL, name: m[1]!, commit: o.commit({ repo: FULL, sha }) }), { etag }];
    }
    if ((m = /^\/contents\/(.+)$/.exec(rest))) {
      const file = m[1]!.replace(/^\/+|\/+$/g, "");
      if (method === "GET") {
        const ref = query.get("ref") ?? this.defaultBranch;
        const sha = this.branches.get(ref) ?? (this.git.getCommit(ref) ? ref : undefined);
        if (!sha) return [404, o.apiError("No commit found for the ref")];
        const f = this.git.fileAt(sha, file);
        if (f && String(headers.accept ?? "").includes("application/vnd.github.raw")) return [200, f.content, { "content-type": "application/vnd.github.raw; charset=utf-8" }];
        if (f) return [200, o.contentFile({ repo: FULL, path: file, ref, sha: f.sha, size: Buffer.byteLength(f.content), content: f.content })];
        const entries = this.git.listDir(sha, file);
        if (!entries || entries.length === 0) return [404, o.apiError("Not Found")];
        return [200, entries.map((e) => o.contentEntry({ repo: FULL, path: e.path, ref, sha: e.sha, size: e.size, type: e.type }))];
      }
      if (method === "PUT") {
        const branch = String(body?.branch ?? this.defaultBranch);
        const tip = this.branches.get(branch);
        const text = Buffer.from(String(body?.content ?? ""), "base64").toString("utf8");
        const given = body?.sha as string | undefined;
        const put: PutRecord = { path: file, branch, sha: given, text, yaml: parse(text) as Record<string, unknown>, message: String(body?.message ?? ""), status: 0 };
        this.puts.push(put);
        if (!tip) return [(put.status = 404), o.apiError(`Branch ${branch} not found`)];
        const existing = this.git.fileAt(tip, file);
        if (existing && given === undefined) return [(put.status = 422), o.apiError('Invalid request.\n\n"sha" wasn\'t supplied.')];
        if ((existing && given !== existing.sha) || (!existing && given !== undefined)) return [(put.status = 409), o.apiError(`${file} does not match ${given}`)];
        const c = this.git.commit({ parent: tip, changes: { [file]: text }, message: put.message, author: SIG, login: APP_LOGIN });
        this.branches.set(branch, c.sha);
        const blob = this.git.fileAt(c.sha, file)!;
        const content = o.contentEntry({ repo: FULL, path: file, ref: branch, sha: blob.sha, size: Buffer.byteLength(text), type: "file" });
        put.status = existing ? 200 : 201;
        return [put.status, o.fileCommit({ repo: FULL, content, commit: o.commit({ repo: FULL, sha: c.sha, tree_sha: c.treeSha, message: put.message, parents: [tip] }), tree_sha: c.treeSha })];
      }
    }
    if (method === "GET" && (m = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(rest))) {
      const text = this.git.blob(m[1]!);
      if (text === undefined) return [404, o.apiError("Not Found")];
      return [200, { sha: m[1], node_id: "B_" + m[1]!.slice(0, 8), size: Buffer.byteLength(text), url: `${API}${prefix}/git/blobs/${m[1]}`, content: Buffer.from(text).toString("base64"), encoding: "base64" }];
    }
    if (method === "POST" && rest === "/git/refs") {
      const ref = String(body?.ref ?? "");
      const name = ref.replace(/^refs\/heads\//, "");
      if (this.branches.has(name)) return [422, o.apiError("Reference already exists")];
      this.branches.set(name, String(body?.sha));
      this.branchPoints.set(name, String(body?.sha));
      return [201, o.gitRef({ repo: FULL, ref, sha: String(body?.sha) })];
    }
    if (rest === "/pulls" && method === "POST") {
      const number = this.#nextPull++;
      const pr: PullRecord = { number, title: String(body?.title), head: String(body?.head), base: String(body?.base), body: String(body?.body ?? ""), headSha: this.branches.get(String(body?.head)) ?? "", state: "open" };
      this.pulls.push(pr);
      return [201, this.pullObject(pr)];
    }
    if (rest === "/pulls" && method === "GET") {
      const head = query.get("head")?.split(":").pop();
      const state = query.get("state") ?? "open";
      return [200, this.pulls.filter((p) => (head === undefined || p.head === head) && (state === "all" || p.state === state)).map((p) => this.pullObject(p, true))];
    }
    if (method === "POST" && (m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const id = this.#nextId++;
      this.comments.push({ issue: Number(m[1]), body: withoutKeys(String(body?.body)), raw: String(body?.body), id });
      return [201, o.issueComment({ repo: FULL, issue_number: Number(m[1]), id, body: String(body?.body), user: APP_LOGIN })];
    }
    if (method === "POST" && (m = /^\/issues\/comments\/(\d+)\/reactions$/.exec(rest))) {
      this.reactions.push({ comment: Number(m[1]), content: String(body?.content) });
      return [201, o.reaction({ id: this.#nextId++, content: body?.content as o.ReactionContent, user: APP_LOGIN })];
    }
    if ((m = /^\/pulls\/(\d+)(\/.*)?$/.exec(rest))) {
      const pr = this.pulls.find((p) => p.number === Number(m![1]));
      if (!pr) return [404, o.apiError("Not Found")];
      const sub = m[2] ?? "";
      if (method === "GET" && sub === "") return [200, this.pullObject(pr)];
      if (method === "GET" && sub === "/files") return [200, this.pullFiles(pr)];
      if (method === "GET" && sub === "/reviews") return [200, (this.reviews.get(pr.number) ?? []).map((r) => this.reviewObject(pr.number, r))];
      if (method === "POST" && sub === "/requested_reviewers") return [201, this.pullObject(pr, true)];
    }
    if (method === "POST" && rest === "/check-runs") {
      const output = (body?.output ?? {}) as { title?: string; summary?: string };
      const run: CheckRunRecord = { name: String(body?.name), headSha: String(body?.head_sha), conclusion: String(body?.conclusion), title: output.title ?? "", summary: output.summary ?? "" };
      this.checkRuns.push(run);
      return [201, o.checkRun({ id: this.#nextId++, repo: FULL, name: run.name, head_sha: run.headSha, status: "completed", conclusion: run.conclusion as "success", output: { title: run.title, summary: run.summary } })];
    }
    if (method === "GET" && rest === "/issues") return [200, []];
    if (method === "GET" && rest === "/issues/comments") {
      // the repository's comments (the fake keeps only Charter's own; commands arrive as webhooks)
      return [200, this.comments.map((c) => o.issueComment({ repo: FULL, issue_number: c.issue, id: c.id, body: c.raw ?? c.body, user: APP_LOGIN }))];
    }
    if (method === "GET" && (m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const n = Number(m[1]);
      return [200, this.comments.filter((c) => c.issue === n).map((c) => o.issueComment({ repo: FULL, issue_number: n, id: c.id, body: c.raw ?? c.body, user: APP_LOGIN }))];
    }
    if (method === "PATCH" && (m = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const c = this.comments.find((x) => x.id === Number(m![1]));
      if (!c) return [404, o.apiError("Not Found")];
      c.body = String(body?.body);
      return [200, o.issueComment({ repo: FULL, issue_number: c.issue, id: c.id, body: c.raw ?? c.body, user: APP_LOGIN })];
    }
    return [404, o.apiError(`FakeGitHub: no route for ${method} ${path}`)];
  }

  pullObject(pr: PullRecord, simple = false, extra: Partial<o.PullRequestInput> = {}): Record<string, unknown> {
    return o.pullRequest(
      {
        repo: { owner: OWNER, name: REPO },
        number: pr.number,
        title: pr.title,
        body: pr.body,
        user: APP_LOGIN,
        state: pr.state,
        head: { ref: pr.head, sha: this.branches.get(pr.head) ?? pr.headSha },
        base: { ref: pr.base, sha: this.branches.get(pr.base)! },
        ...extra,
      },
      { simple },
    );
  }
}
