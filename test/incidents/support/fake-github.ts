/**
 * A small stateful GitHub for incident tests, on nock: issues, labels, comments, assignees,
 * reactions, issue events. Every response is built with test/emulator/objects.ts, so the OpenAPI
 * guard sees schema-valid objects. Every request is recorded with the ManualClock's time, so tests
 * assert exactly what Charter did and when.
 */
import { withoutKeys } from "../../support/keys.js";
import nock from "nock";
import type { Clock } from "../../../src/clock.js";
import { decodeState } from "../../../src/core/incidents/marker.js";
import { TEST_IDENTITY } from "../../support/identity.js";
import type { IncidentState } from "../../../src/core/incidents/state.js";
import * as o from "../../emulator/objects.js";
import { webhookEnvelope, webhookIssue } from "../../emulator/payloads.js";
import { API, d9Files, mockGovernance, OWNER, REPO } from "../../support/governance-mock.js";

type Obj = Record<string, unknown>;

export const BOT = "charter[bot]";
/** Charter's app (test/support/identity.ts): what GitHub records as `performed_via_github_app` on its comments. */
export const CHARTER_APP = { id: 1, slug: "charter" };
/** The sealing context of Charter's markers in this fake repository. */
export const SEALING = { keys: TEST_IDENTITY.keys, repo: `${OWNER}/${REPO}` };

export interface Recorded {
  /** Clock time when the request arrived (ISO). */
  at: string;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  body?: Obj;
  /** Governance reads (branch, contents, blobs) are recorded too, marked. */
  governance?: boolean;
}

export interface IssueRec {
  number: number;
  title: string;
  body: string | null;
  user: string;
  labels: string[];
  assignees: string[];
  state: "open" | "closed";
  state_reason: "completed" | "reopened" | "not_planned" | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** Who closed it: only a single issue's REST representation says (`closed_by`). */
  closed_by?: string;
  pull?: boolean;
}

export interface CommentRec {
  id: number;
  issue: number;
  user: string;
  body: string;
  created_at: string;
  updated_at: string;
  /** The app that wrote it (GitHub's `performed_via_github_app`); Charter's own comments have {@link CHARTER_APP}. */
  app?: { id: number; slug: string } | null;
}

export interface LabelRec {
  name: string;
  color: string;
  description: string | null;
}

function parseQuery(uri: string): Record<string, string> {
  const q = uri.split("?")[1];
  return q ? Object.fromEntries(new URLSearchParams(q)) : {};
}

export class FakeGitHub {
  readonly full: string;
  readonly requests: Recorded[] = [];
  readonly issues = new Map<number, IssueRec>();
  readonly comments: CommentRec[] = [];
  readonly labels = new Map<string, LabelRec>();
  /** `author_association` by login (default MEMBER; bots NONE): see {@link outsider}. */
  readonly associations = new Map<string, string>();
  readonly events = new Map<number, { id: number; actor: string; label: string; created_at: string }[]>();
  nextComment = 9000;
  nextIssue = 500;
  nextReaction = 1;
  /** Who writes the comments the app posts: Charter's app by default; `asActions()` for a workflow's GITHUB_TOKEN. */
  writer: { login: string; app: { id: number; slug: string } } = { login: BOT, app: CHARTER_APP };
  /** Answer the next matching request with an error (tests of failures). */
  failNext: { method: string; path: RegExp; status: number } | undefined;

  constructor(
    readonly clock: Clock,
    readonly owner = OWNER,
    readonly repo = REPO,
  ) {
    this.full = `${owner}/${repo}`;
  }

  now(): string {
    return this.clock.now().toISOString();
  }

  // ------------------------------------------------------------------ setup

  /** Serve governance (default: D9) and this repository's issues API. Call once per test. */
  install(files: Record<string, string> = d9Files()): this {
    const { scope } = mockGovernance({ files, owner: this.owner, repo: this.repo });
    scope.on("request", (req: { method: string; path: string }) => {
      this.requests.push({ at: this.now(), method: req.method, path: decodeURIComponent(req.path.split("?")[0]!), query: parseQuery(req.path), governance: true });
    });
    const prefix = `/repos/${this.full}`;
    const mine = (uri: string) => {
      const path = uri.split("?")[0]!;
      return path === prefix || path.startsWith(`${prefix}/issues`) || path.startsWith(`${prefix}/labels`);
    };
    const handler = (method: string) => (uri: string, body: unknown) => this.handle(method, uri, body) as [number, nock.Body, Record<string, string>];
    nock(API).persist().get(mine).reply(handler("GET")).post(mine).reply(handler("POST")).patch(mine).reply(handler("PATCH")).delete(mine).reply(handler("DELETE"));
    return this;
  }

  addIssue(input: Partial<IssueRec> & { number?: number; title?: string }): IssueRec {
    const now = this.now();
    const rec: IssueRec = {
      number: input.number ?? ++this.nextIssue,
      title: input.title ?? "Ingestion is down",
      body: input.body ?? null,
      user: input.user ?? "reporter",
      labels: input.labels ?? [],
      assignees: input.assignees ?? [],
      state: input.state ?? "open",
      state_reason: input.state_reason ?? null,
      created_at: input.created_at ?? now,
      updated_at: input.updated_at ?? now,
      closed_at: input.closed_at ?? null,
      ...(input.pull ? { pull: true } : {}),
    };
    this.issues.set(rec.number, rec);
    for (const l of rec.labels) this.ensureLabel(l);
    this.events.set(rec.number, rec.labels.map((l, i) => ({ id: rec.number * 100 + i, actor: rec.user, label: l, created_at: rec.created_at })));
    return rec;
  }

  addLabel(name: string, color = "ededed", description: string | null = null): void {
    this.labels.set(name.toLowerCase(), { name, color, description });
  }

  private ensureLabel(name: string): LabelRec {
    const key = name.toLowerCase();
    let l = this.labels.get(key);
    if (!l) {
      l = { name, color: "ededed", description: null };
      this.labels.set(key, l);
    }
    return l;
  }

  /** A comment (for a comment webhook): a person's, or another app's when `app` is given. */
  addComment(issue: number, user: string, body: string, options: { app?: { id: number; slug: string } } = {}): CommentRec {
    const now = this.now();
    const c: CommentRec = { id: ++this.nextComment, issue, user, body, created_at: now, updated_at: now, app: options.app ?? null };
    this.comments.push(c);
    this.issues.get(issue)!.updated_at = now;
    return c;
  }

  /** Someone with write access edits a comment (Charter's included), as GitHub lets them. */
  editComment(id: number, body: string): CommentRec {
    const c = this.comments.find((x) => x.id === id)!;
    c.body = body;
    c.updated_at = this.now();
    return c;
  }

  /** The app writes as a workflow's GITHUB_TOKEN does: `github-actions[bot]`, performed via the GitHub Actions app. */
  asActions(): this {
    this.writer = { login: "github-actions[bot]", app: { id: 15368, slug: "github-actions" } };
    return this;
  }

  /** `login` has no access to the repository (GitHub says `NONE` on their issues and comments). */
  outsider(login: string, association = "NONE"): this {
    this.associations.set(login.toLowerCase(), association);
    return this;
  }

  association(login: string): string {
    return this.associations.get(login.toLowerCase()) ?? (login.endsWith("[bot]") ? "NONE" : "MEMBER");
  }

  // ------------------------------------------------------------------ rendering

  renderIssue(i: IssueRec): Obj {
    return o.issue({
      repo: this.full,
      number: i.number,
      title: i.title,
      body: i.body,
      user: i.user,
      state: i.state,
      state_reason: i.state_reason,
      labels: i.labels.map((name) => {
        const l = this.ensureLabel(name);
        return { name: l.name, color: l.color, description: l.description };
      }),
      assignees: i.assignees,
      author_association: this.association(i.user),
      comments: this.comments.filter((c) => c.issue === i.number).length,
      created_at: i.created_at,
      updated_at: i.updated_at,
      closed_at: i.closed_at,
      ...(i.pull ? { pull_request: { merged_at: null } } : {}),
    });
  }

  renderComment(c: CommentRec): Obj {
    const out = o.issueComment({ repo: this.full, issue_number: c.issue, id: c.id, body: c.body, user: c.user, created_at: c.created_at, updated_at: c.updated_at, author_association: this.association(c.user) });
    out.performed_via_github_app = c.app ? o.app(c.app) : null;
    return out;
  }

  private renderLabel(l: LabelRec): Obj {
    return o.label({ repo: this.full, name: l.name, color: l.color, description: l.description });
  }

  private page<T>(uri: string, items: T[], render: (t: T) => Obj): [number, unknown, Record<string, string>] {
    const q = parseQuery(uri);
    const per = Math.min(100, Number(q.per_page ?? 30));
    const page = Math.max(1, Number(q.page ?? 1));
    const slice = items.slice((page - 1) * per, page * per);
    const last = Math.max(1, Math.ceil(items.length / per));
    const headers: Record<string, string> = {};
    if (page < last) {
      const base = `${API}${uri.split("?")[0]}`;
      const params = new URLSearchParams({ ...q, page: String(page + 1) });
      const lastParams = new URLSearchParams({ ...q, page: String(last) });
      headers.link = `<${base}?${params}>; rel="next", <${base}?${lastParams}>; rel="last"`;
    }
    return [200, slice.map(render), headers];
  }

  // ------------------------------------------------------------------ the API

  handle(method: string, uri: string, rawBody: unknown): [number, unknown, Record<string, string>?] {
    const path = decodeURIComponent(uri.split("?")[0]!);
    const body = (typeof rawBody === "string" && rawBody ? JSON.parse(rawBody) : rawBody || undefined) as Obj | undefined;
    this.requests.push({ at: this.now(), method, path, query: parseQuery(uri), ...(body && Object.keys(body).length ? { body } : {}) });
    if (this.failNext && this.failNext.method === method && this.failNext.path.test(path)) {
      const status = this.failNext.status;
      this.failNext = undefined;
      return [status, o.apiError("Server Error")];
    }
    const rest = path.slice(`/repos/${this.full}`.length);
    const now = this.now();
    let m: RegExpExecArray | null;
    const notFound: [number, unknown] = [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" }];

    if (rest === "" && method === "GET") return [200, o.repository({ owner: this.owner, name: this.repo }, { full: true })];
    if (rest === "/labels" && method === "GET") return this.page(uri, [...this.labels.values()], (l) => this.renderLabel(l));
    if (rest === "/labels" && method === "POST") {
      const name = String(body!.name);
      if (this.labels.has(name.toLowerCase())) return [422, o.apiError("Validation Failed", [{ resource: "Label", code: "already_exists", field: "name" }])];
      const l: LabelRec = { name, color: String(body!.color ?? "ededed"), description: (body!.description as string | undefined) ?? null };
      this.labels.set(name.toLowerCase(), l);
      return [201, this.renderLabel(l)];
    }
    if (rest === "/issues" && method === "GET") {
      const q = parseQuery(uri);
      const wanted = (q.labels ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
      const state = q.state ?? "open";
      const items = [...this.issues.values()]
        .filter((i) => state === "all" || i.state === state)
        .filter((i) => wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)))
        .sort((a, b) => b.number - a.number);
      return this.page(uri, items, (i) => this.renderIssue(i));
    }
    if (rest === "/issues" && method === "POST") {
      const i = this.addIssue({ number: ++this.nextIssue, title: String(body!.title), body: (body!.body as string) ?? null, user: BOT, labels: (body!.labels as string[]) ?? [], assignees: (body!.assignees as string[]) ?? [] });
      return [201, this.renderIssue(i)];
    }
    if (rest === "/issues/comments" && method === "GET") {
      const q = parseQuery(uri);
      const since = q.since ? Date.parse(q.since) : 0;
      const items = this.comments.filter((c) => Date.parse(c.updated_at) >= since).sort((a, b) => (q.direction === "asc" ? a.id - b.id : b.id - a.id));
      return this.page(uri, items, (c) => this.renderComment(c));
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const c = this.comments.find((x) => x.id === Number(m![1]));
      if (!c) return notFound;
      if (method === "GET") return [200, this.renderComment(c)];
      if (method === "PATCH") {
        c.body = String(body!.body);
        c.updated_at = now;
        return [200, this.renderComment(c)];
      }
    }
    if ((m = /^\/issues\/comments\/(\d+)\/reactions$/.exec(rest)) && method === "POST") {
      return [201, o.reaction({ id: this.nextReaction++, content: body!.content as o.ReactionContent, user: BOT, created_at: now })];
    }
    if ((m = /^\/issues\/(\d+)(\/.*)?$/.exec(rest))) {
      const issue = this.issues.get(Number(m[1]));
      if (!issue) return notFound;
      const sub = m[2] ?? "";
      if (sub === "" && method === "GET") return [200, { ...this.renderIssue(issue), closed_by: issue.closed_by && issue.state === "closed" ? o.user(issue.closed_by) : null }];
      if (sub === "" && method === "PATCH") {
        if (body!.state === "closed" || body!.state === "open") {
          issue.state = body!.state;
          issue.state_reason = (body!.state_reason as IssueRec["state_reason"]) ?? (body!.state === "open" ? "reopened" : "completed");
          issue.closed_at = issue.state === "closed" ? now : null;
        }
        issue.updated_at = now;
        return [200, this.renderIssue(issue)];
      }
      if (sub === "/comments" && method === "GET") return this.page(uri, this.comments.filter((c) => c.issue === issue.number), (c) => this.renderComment(c));
      if (sub === "/comments" && method === "POST") {
        const c: CommentRec = { id: ++this.nextComment, issue: issue.number, user: this.writer.login, body: String(body!.body), created_at: now, updated_at: now, app: this.writer.app };
        this.comments.push(c);
        issue.updated_at = now;
        return [201, this.renderComment(c)];
      }
      if (sub === "/labels" && method === "POST") {
        for (const name of (body!.labels as string[]) ?? []) {
          this.ensureLabel(name);
          if (!issue.labels.some((l) => l.toLowerCase() === name.toLowerCase())) {
            issue.labels.push(name);
            this.recordLabeled(issue.number, BOT, name);
          }
        }
        issue.updated_at = now;
        return [200, issue.labels.map((n) => this.renderLabel(this.ensureLabel(n)))];
      }
      if (sub.startsWith("/labels/") && method === "DELETE") {
        const name = sub.slice("/labels/".length);
        const before = issue.labels.length;
        issue.labels = issue.labels.filter((l) => l.toLowerCase() !== name.toLowerCase());
        if (issue.labels.length === before) return notFound;
        return [200, issue.labels.map((n) => this.renderLabel(this.ensureLabel(n)))];
      }
      if (sub === "/assignees" && method === "POST") {
        for (const a of (body!.assignees as string[]) ?? []) if (!issue.assignees.some((x) => x.toLowerCase() === a.toLowerCase()) && issue.assignees.length < 10) issue.assignees.push(a);
        return [201, this.renderIssue(issue)];
      }
      if (sub === "/events" && method === "GET") {
        const events = (this.events.get(issue.number) ?? []).map((e) => ({
          id: e.id,
          node_id: o.nodeId("LabeledEvent", e.id),
          url: `${API}/repos/${this.full}/issues/events/${e.id}`,
          actor: o.user(e.actor),
          event: "labeled",
          commit_id: null,
          commit_url: null,
          created_at: e.created_at,
          performed_via_github_app: null,
          label: { name: e.label, color: this.ensureLabel(e.label).color },
        }));
        return this.page(uri, events, (e) => e);
      }
    }
    return [501, o.apiError(`FakeGitHub: ${method} ${path} is not implemented`)];
  }

  // ------------------------------------------------------------------ webhook payloads

  private base(event: string, action: string, sender: string): Obj {
    return webhookEnvelope(event, action, { repository: o.repository({ owner: this.owner, name: this.repo }), sender: o.user(sender), installationId: 1 });
  }

  /** A labeled event in the issue's timeline (who added which label, now). */
  recordLabeled(issue: number, actor: string, label: string): void {
    const list = this.events.get(issue) ?? [];
    list.push({ id: issue * 100 + list.length + 50, actor, label, created_at: this.now() });
    this.events.set(issue, list);
  }

  /** `issues.<action>` for issue `number` as it is now. */
  issuesPayload(action: "opened" | "labeled" | "unlabeled" | "closed" | "reopened" | "edited", number: number, options: { sender?: string; label?: string } = {}): Obj {
    const issue = this.issues.get(number)!;
    const p = this.base("issues", action, options.sender ?? issue.user);
    p.action = action;
    p.issue = webhookIssue(this.renderIssue(issue));
    // unlabeled: pass the label that was removed (it is no longer on the issue)
    if (action === "labeled" || action === "unlabeled") p.label = this.renderLabel(this.ensureLabel(options.label ?? issue.labels.at(-1) ?? "incident"));
    else delete p.label;
    if (action === "edited") p.changes = {};
    else delete p.changes;
    delete p.assignee;
    return p;
  }

  /** `issue_comment.created` (or edited) for a comment. */
  commentPayload(commentId: number, action: "created" | "edited" = "created"): Obj {
    const c = this.comments.find((x) => x.id === commentId)!;
    const p = this.base("issue_comment", action, c.user);
    p.action = action;
    p.issue = webhookIssue(this.renderIssue(this.issues.get(c.issue)!));
    p.comment = this.renderComment(c);
    if (action === "edited") p.changes = { body: { from: "" } };
    else delete p.changes;
    return p;
  }

  // ------------------------------------------------------------------ what happened

  /** Requests other than governance reads. */
  api(): Recorded[] {
    return this.requests.filter((r) => !r.governance);
  }

  writes(): Recorded[] {
    return this.api().filter((r) => r.method !== "GET");
  }

  /** Comments Charter posted on an issue (the status comment first). */
  botComments(issue: number): CommentRec[] {
    return this.comments.filter((c) => c.issue === issue && c.user === this.writer.login).map((c) => ({ ...c, body: withoutKeys(c.body) }));
  }

  /** The incident's state as stored in Charter's newest status comment (sealed, verified). */
  state(issue: number): IncidentState {
    for (const c of this.botComments(issue).reverse()) {
      const d = decodeState(c.body, SEALING, issue);
      if (d?.ok) return d.state;
    }
    throw new Error(`issue #${issue} has no incident state`);
  }

  /** Comments Charter posted (the status comment, pages, replies), oldest first, with the @mentions in each. */
  posted(issue?: number): { at: string; body: string; mentions: string[] }[] {
    return this.comments
      .filter((c) => c.user === this.writer.login && (issue === undefined || c.issue === issue))
      .map((c) => ({ at: c.created_at, body: withoutKeys(c.body), mentions: mentionsIn(c.body) }));
  }

  clear(): void {
    this.requests.length = 0;
  }
}

/** `@login` mentions in a comment body, in order, once each (backticked names are not mentions). */
export function mentionsIn(body: string): string[] {
  const out: string[] = [];
  const text = body.replace(/`[^`]*`/g, "").replace(/<!--[\s\S]*?-->/g, "");
  for (const m of text.matchAll(/(^|[^\w`])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))(?![\w/-])/g)) {
    const login = m[2]!;
    if (!out.includes(login)) out.push(login);
  }
  return out;
}
