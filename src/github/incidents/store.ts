import { compactState, decodeDone, decodeState, encodeDone, type DoneMarker, type MarkerSeal } from "../../core/incidents/marker.js";
import { statusCommentBody } from "../../core/incidents/messages.js";
import { MAX_PROCESSED, type IncidentState, type PageRecord } from "../../core/incidents/state.js";
import { httpStatus, type GitHubClient, type RepoRef } from "../client.js";
import { isCharterAuthored, type AuthoredLike, type CharterIdentity } from "../identity.js";
import { createComment } from "../writes/create.js";
import { incidentKey, type IncidentCaches } from "./cache.js";

/**
 * An incident's state as read from GitHub:
 * - `found`: Charter's newest status comment, its sealed state verified, plus what Charter's later
 *   comments record as done;
 * - `none`: Charter has written no status comment on the issue;
 * - `tampered`: Charter's newest status comment carries a state that does not count (edited by
 *   someone else, unsealed, or older than what Charter's later comments record). Charter never
 *   acts on it; the engine restarts the record (see docs/incidents.md, "When the record does not
 *   verify").
 */
export type LoadedState =
  | { kind: "found"; commentId: number; state: IncidentState; body: string; recovered: boolean }
  | { kind: "none" }
  | { kind: "tampered"; commentId: number; reason: string };

interface CommentLike extends AuthoredLike {
  id: number;
  body?: string | null;
  created_at: string;
}

/** What sealing and recognising Charter's markers need: who Charter is, and where. */
export interface MarkerContext {
  identity: CharterIdentity;
  repo: RepoRef;
}

export function markerSeal(ctx: MarkerContext): MarkerSeal {
  return { keys: ctx.identity.keys, repo: `${ctx.repo.owner}/${ctx.repo.repo}` };
}

const KIND: Record<string, PageRecord["kind"]> = { s: "step", r: "repeat", p: "page", o: "routing", t: "lapse" };

/** Whether a later comment records an episode or ladder newer than the state's: the state is not the latest. */
export function newerThan(state: IncidentState, done: DoneMarker): boolean {
  if (done.episode !== undefined && done.episode > state.episode) return true;
  return done.episode === state.episode && done.gen !== undefined && done.gen > state.ladder.gen;
}

/** Merge what later Charter comments say they did into a state whose write may have been lost. */
export function recover(state: IncidentState, later: { done: DoneMarker; at: string }[]): { state: IncidentState; changed: boolean } {
  let s = state;
  let changed = false;
  for (const { done, at } of later) {
    for (const key of done.keys) {
      if (s.pages.some((p) => p.key === key)) continue;
      s = { ...s, pages: [...s.pages, { key, kind: KIND[key[0] ?? ""] ?? "step", at, targets: [], people: [], episode: s.episode, note: "recovered from Charter's comment" }] };
      changed = true;
    }
    for (const id of done.processed ?? []) {
      if (s.processed.includes(id)) continue;
      s = { ...s, processed: [...s.processed, id].slice(-MAX_PROCESSED) };
      changed = true;
    }
    if (done.reminded && (!s.reminded || done.reminded > s.reminded)) {
      s = { ...s, reminded: done.reminded };
      changed = true;
    }
    if (done.ackNoticed !== undefined && !s.ackNoticed.includes(done.ackNoticed)) {
      s = { ...s, ackNoticed: [...s.ackNoticed, done.ackNoticed] };
      changed = true;
    }
    if (done.lapsed) {
      const { episode, at: lapsedAt } = done.lapsed;
      if (s.acks.some((a) => a.episode === episode && !a.lapsed && a.at <= lapsedAt)) {
        s = { ...s, acks: s.acks.map((a) => (a.episode === episode && !a.lapsed && a.at <= lapsedAt ? { ...a, lapsed: lapsedAt } : a)) };
        changed = true;
      }
    }
    if (done.repeated && (!s.repeated || (done.repeated.gen === s.repeated.gen && done.repeated.k > s.repeated.k) || done.repeated.gen > s.repeated.gen)) {
      s = { ...s, repeated: done.repeated };
      changed = true;
    }
  }
  return { state: s, changed };
}

/** The state sealed into one of Charter's comments, when it is Charter's and its seal verifies. */
function stateIn(ctx: MarkerContext, issueNumber: number, c: CommentLike): ReturnType<typeof decodeState> {
  if (!isCharterAuthored(ctx.identity, c)) return undefined;
  return decodeState(c.body ?? "", markerSeal(ctx), issueNumber);
}

/**
 * Read an incident's state from GitHub: the status comment this process last saw (one request),
 * else the issue's comments. Only comments Charter's own app wrote count, and in them only markers
 * whose seal verifies: anyone with write access can edit a comment, and any app or workflow can
 * write one. `knownEmpty`: the issue has no comments (a new issue).
 */
export async function loadState(gh: GitHubClient, ctx: MarkerContext, issueNumber: number, caches: IncidentCaches, options: { knownEmpty?: boolean } = {}): Promise<LoadedState> {
  const { repo } = ctx;
  const key = incidentKey(repo, issueNumber);
  const cached = caches.status(key);
  if (cached) {
    try {
      const { data } = await gh.request("GET /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...repo, comment_id: cached.commentId });
      const decoded = stateIn(ctx, issueNumber, data as CommentLike);
      if (decoded?.ok) {
        caches.setStatus(key, { commentId: Number(data.id), state: decoded.state, body: data.body ?? "" });
        return { kind: "found", commentId: Number(data.id), state: decoded.state, body: data.body ?? "", recovered: false };
      }
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
    }
    caches.forget(key);
  }
  if (options.knownEmpty) return { kind: "none" };
  const comments = (await gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: issueNumber, per_page: 100 })) as CommentLike[];
  // The newest of Charter's comments that carries a state marker is the record; older ones were superseded.
  let statusIndex = -1;
  let decoded: ReturnType<typeof decodeState>;
  for (let i = comments.length - 1; i >= 0; i--) {
    const d = stateIn(ctx, issueNumber, comments[i]!);
    if (d) {
      statusIndex = i;
      decoded = d;
      break;
    }
  }
  if (statusIndex < 0 || !decoded) {
    // No status comment, yet Charter's own sealed comments show it acted on this incident: the record was deleted or wiped.
    const acted = comments.find((c) => isCharterAuthored(ctx.identity, c) && decodeDone(c.body ?? "", markerSeal(ctx), issueNumber));
    return acted ? { kind: "tampered", commentId: acted.id, reason: "Charter's status comment is gone or no longer carries its record, though Charter's later comments show it was handling this incident" } : { kind: "none" };
  }
  const status = comments[statusIndex]!;
  if (!decoded.ok) return { kind: "tampered", commentId: status.id, reason: decoded.reason };
  const later: { done: DoneMarker; at: string }[] = [];
  for (const c of comments.slice(statusIndex + 1)) {
    if (!isCharterAuthored(ctx.identity, c)) continue;
    const done = decodeDone(c.body ?? "", markerSeal(ctx), issueNumber);
    if (!done) continue;
    if (newerThan(decoded.state, done)) {
      return { kind: "tampered", commentId: status.id, reason: `Charter's later comment ${c.id} records episode ${done.episode}${done.gen !== undefined ? `, ladder ${done.gen}` : ""}, newer than the record's (episode ${decoded.state.episode}, ladder ${decoded.state.ladder.gen}): the record is not the latest` };
    }
    later.push({ done, at: c.created_at });
  }
  const { state, changed } = recover(decoded.state, later);
  const body = status.body ?? "";
  caches.setStatus(key, { commentId: status.id, state, body });
  return { kind: "found", commentId: status.id, state, body, recovered: changed };
}

/** Post the status comment of a new incident. */
export async function createStatusComment(gh: GitHubClient, ctx: MarkerContext, state: IncidentState, caches: IncidentCaches): Promise<number> {
  const s = compactState(state);
  const body = statusCommentBody(s, markerSeal(ctx));
  // found by its own sealed state (the whole body: nobody can predict it without Charter's key)
  const created = await createComment({ gh, repo: ctx.repo, identity: ctx.identity }, state.issue, body, { key: `incident/status/e${s.episode}`, marker: body });
  caches.setStatus(incidentKey(ctx.repo, state.issue), { commentId: created.id, state: s, body });
  return created.id;
}

/** Write the state back into the status comment, if its text changed. */
export async function writeState(gh: GitHubClient, ctx: MarkerContext, commentId: number, previousBody: string, state: IncidentState, caches: IncidentCaches, stamp?: number): Promise<boolean> {
  const key = incidentKey(ctx.repo, state.issue);
  const s = compactState(state);
  const body = statusCommentBody(s, markerSeal(ctx));
  if (body === previousBody) {
    caches.setStatus(key, { commentId, state: s, body, ...(stamp !== undefined ? { stamp } : {}) });
    return false;
  }
  try {
    await gh.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...ctx.repo, comment_id: commentId, body });
  } catch (error) {
    caches.forget(key);
    throw error;
  }
  caches.setStatus(key, { commentId, state: s, body, ...(stamp !== undefined ? { stamp } : {}) });
  return true;
}

/** Post a comment that does something on an incident, ending with what it did (sealed, for recovery). */
export async function postActionComment(gh: GitHubClient, ctx: MarkerContext, issueNumber: number, lines: string[], done: DoneMarker): Promise<number> {
  const marker = encodeDone(done, markerSeal(ctx), issueNumber);
  const body = `${lines.join("\n").trimEnd()}\n\n${marker}`;
  // found by its sealed `done` marker: what it did (steps, the command's comment id) is its key
  const created = await createComment({ gh, repo: ctx.repo, identity: ctx.identity }, issueNumber, body, { key: `incident/done/${done.processed?.join(".") ?? ""}/${done.keys.join(".")}`, marker });
  return created.id;
}

/** Add assignees not yet assigned (GitHub allows 10 per issue). Returns who was added. */
export async function addAssignees(gh: GitHubClient, repo: RepoRef, issueNumber: number, logins: readonly string[], current: readonly string[]): Promise<string[]> {
  const have = new Set(current.map((c) => c.toLowerCase()));
  const add: string[] = [];
  for (const l of logins) {
    if (have.has(l.toLowerCase())) continue;
    have.add(l.toLowerCase());
    add.push(l);
  }
  const room = Math.max(0, 10 - current.length);
  const batch = add.slice(0, room);
  if (batch.length === 0) return [];
  await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/assignees", { ...repo, issue_number: issueNumber, assignees: batch });
  return batch;
}
