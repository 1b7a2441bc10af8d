import { compactState, decodeDone, decodeState, encodeDone, type DoneMarker } from "../../core/incidents/marker.js";
import { statusCommentBody } from "../../core/incidents/messages.js";
import { MAX_PROCESSED, type IncidentState, type PageRecord } from "../../core/incidents/state.js";
import { httpStatus, type GitHubClient, type RepoRef } from "../client.js";
import { incidentKey, type IncidentCaches } from "./cache.js";

export type LoadedState =
  | { kind: "found"; commentId: number; state: IncidentState; body: string; recovered: boolean }
  | { kind: "none" }
  | { kind: "unreadable"; commentId: number; reason: string };

interface CommentLike {
  id: number;
  body?: string | null;
  created_at: string;
  user: { type?: string; login: string } | null;
}

/** Charter's own comments are by a bot account (the app, or github-actions[bot] in Actions). */
function byBot(c: CommentLike): boolean {
  return c.user?.type === "Bot" || (c.user?.login ?? "").endsWith("[bot]");
}

const KIND: Record<string, PageRecord["kind"]> = { s: "step", r: "repeat", p: "page", o: "routing" };

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
    if (done.repeated && (!s.repeated || (done.repeated.gen === s.repeated.gen && done.repeated.k > s.repeated.k) || done.repeated.gen > s.repeated.gen)) {
      s = { ...s, repeated: done.repeated };
      changed = true;
    }
  }
  return { state: s, changed };
}

/**
 * Read an incident's state from GitHub: the status comment this process last saw (one request),
 * else the issue's comments (the first Charter comment with a state marker, plus what later
 * Charter comments record as done). `knownEmpty`: the issue has no comments (a new issue).
 */
export async function loadState(gh: GitHubClient, repo: RepoRef, issueNumber: number, caches: IncidentCaches, options: { knownEmpty?: boolean } = {}): Promise<LoadedState> {
  const key = incidentKey(repo, issueNumber);
  const cached = caches.status(key);
  if (cached) {
    try {
      const { data } = await gh.request("GET /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...repo, comment_id: cached.commentId });
      const decoded = decodeState(data.body ?? "");
      if (decoded?.ok && byBot(data as CommentLike) && decoded.state.issue === issueNumber) {
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
  let status: { comment: CommentLike; state: IncidentState } | undefined;
  let unreadable: { commentId: number; reason: string } | undefined;
  const later: { done: DoneMarker; at: string }[] = [];
  for (const c of comments) {
    if (!byBot(c)) continue;
    const body = c.body ?? "";
    if (!status) {
      const decoded = decodeState(body);
      if (decoded?.ok && decoded.state.issue === issueNumber) status = { comment: c, state: decoded.state };
      else if (decoded && !decoded.ok) unreadable ??= { commentId: c.id, reason: decoded.reason };
      continue;
    }
    const done = decodeDone(body);
    if (done) later.push({ done, at: c.created_at });
  }
  if (!status) return unreadable ? { kind: "unreadable", ...unreadable } : { kind: "none" };
  const { state, changed } = recover(status.state, later);
  const body = status.comment.body ?? "";
  caches.setStatus(key, { commentId: status.comment.id, state, body });
  return { kind: "found", commentId: status.comment.id, state, body, recovered: changed };
}

/** Post the status comment of a new incident. */
export async function createStatusComment(gh: GitHubClient, repo: RepoRef, state: IncidentState, caches: IncidentCaches): Promise<number> {
  const s = compactState(state);
  const body = statusCommentBody(s);
  const { data } = await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: state.issue, body });
  caches.setStatus(incidentKey(repo, state.issue), { commentId: Number(data.id), state: s, body });
  return Number(data.id);
}

/** Write the state back into the status comment, if its text changed. */
export async function writeState(gh: GitHubClient, repo: RepoRef, commentId: number, previousBody: string, state: IncidentState, caches: IncidentCaches, stamp?: number): Promise<boolean> {
  const key = incidentKey(repo, state.issue);
  const s = compactState(state);
  const body = statusCommentBody(s);
  if (body === previousBody) {
    caches.setStatus(key, { commentId, state: s, body, ...(stamp !== undefined ? { stamp } : {}) });
    return false;
  }
  try {
    await gh.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...repo, comment_id: commentId, body });
  } catch (error) {
    caches.forget(key);
    throw error;
  }
  caches.setStatus(key, { commentId, state: s, body, ...(stamp !== undefined ? { stamp } : {}) });
  return true;
}

/** Post a comment that does something on an incident, ending with what it did (for recovery). */
export async function postActionComment(gh: GitHubClient, repo: RepoRef, issueNumber: number, lines: string[], done: DoneMarker): Promise<number> {
  const body = `${lines.join("\n").trimEnd()}\n\n${encodeDone(done)}`;
  const { data } = await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: issueNumber, body });
  return Number(data.id);
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
