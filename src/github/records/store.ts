/**
 * Records in Charter's own comments (src/core/records/marker.ts): found, posted, rewritten. Only
 * comments Charter's app wrote count, and in them only records whose seal verifies.
 *
 * Posting a record that must exist once per key (a handoff message, an event's notification) is
 * post-then-verify: Charter looks for the key, posts, then looks again; of several comments with
 * the same key (two processes raced) the oldest stands and the others delete themselves before
 * anything is sent to a channel. Comment ids grow with creation, and a process that has posted
 * sees every older comment when it looks again, so exactly one survives and only it sends.
 */
import { decodeRecord, encodeRecord, recordBody, type RecordBase } from "../../core/records/marker.js";
import { httpStatus, type GitHubClient, type RepoRef } from "../client.js";
import { isCharterAuthored, type AuthoredLike, type CharterIdentity } from "../identity.js";

export interface RecordComment<R extends RecordBase = RecordBase> {
  id: number;
  body: string;
  createdAt: string;
  url: string;
  record: R;
}

interface CommentLike extends AuthoredLike {
  id: number;
  body?: string | null;
  created_at: string;
  html_url: string;
}

export interface RecordPlace {
  gh: GitHubClient;
  repo: RepoRef;
  identity: CharterIdentity;
}

const full = (repo: RepoRef) => `${repo.owner}/${repo.repo}`;

/** The record in one comment, when Charter wrote it and its seal verifies for `issue`. */
export function recordIn<R extends RecordBase>(place: Omit<RecordPlace, "gh">, issue: number, c: CommentLike): RecordComment<R> | undefined {
  if (!isCharterAuthored(place.identity, c)) return undefined;
  const d = decodeRecord(c.body ?? "", place.identity.keys, full(place.repo), issue);
  if (!d?.ok) return undefined;
  return { id: c.id, body: c.body ?? "", createdAt: c.created_at, url: c.html_url, record: d.record as unknown as R };
}

/**
 * Charter's records on issue `issue` (oldest first), optionally only comments updated since
 * `since` (GitHub's `since` filter: a record posted or rewritten after it).
 */
export async function listRecords<R extends RecordBase = RecordBase>(place: RecordPlace, issue: number, options: { since?: string; key?: (key: string) => boolean } = {}): Promise<RecordComment<R>[]> {
  const comments = (await place.gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    ...place.repo,
    issue_number: issue,
    per_page: 100,
    ...(options.since ? { since: options.since } : {}),
  })) as CommentLike[];
  const out: RecordComment<R>[] = [];
  for (const c of comments) {
    const r = recordIn<R>(place, issue, c);
    if (r && (!options.key || options.key(r.record.key))) out.push(r);
  }
  return out.sort((a, b) => a.id - b.id);
}

/** One record comment, read again by id (undefined when it is gone or no longer verifies). */
export async function readRecord<R extends RecordBase>(place: RecordPlace, issue: number, commentId: number): Promise<RecordComment<R> | undefined> {
  try {
    const { data } = await place.gh.request("GET /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...place.repo, comment_id: commentId });
    return recordIn<R>(place, issue, data as CommentLike);
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  }
}

/** Post `text` with `record` sealed at its end (and `section` between them) on issue `issue`. */
export async function postRecord<R extends RecordBase>(place: RecordPlace, issue: number, text: string, record: R, section: readonly string[] = []): Promise<RecordComment<R>> {
  const body = recordBody(text, section, encodeRecord(record, place.identity.keys, full(place.repo), issue));
  const { data } = await place.gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...place.repo, issue_number: issue, body });
  return { id: Number(data.id), body, createdAt: data.created_at, url: data.html_url, record };
}

/** Rewrite record comment `commentId`: the same text, a new section and record. Skipped when nothing changes. */
export async function rewriteRecord<R extends RecordBase>(place: RecordPlace, issue: number, current: RecordComment, text: string, record: R, section: readonly string[] = []): Promise<RecordComment<R>> {
  const body = recordBody(text, section, encodeRecord(record, place.identity.keys, full(place.repo), issue));
  if (body !== current.body) await place.gh.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...place.repo, comment_id: current.id, body });
  return { ...current, body, record };
}

export type PostOnce<R extends RecordBase> = { kind: "posted"; comment: RecordComment<R> } | { kind: "exists"; comment: RecordComment<R> };

/**
 * The record `record.key` on issue `issue`, posted once: when Charter's records there (updated
 * since `since`) already have the key, that one; otherwise this one is posted, the records are
 * read again, and a younger duplicate deletes itself in favour of the oldest. `lookedAlready`: the
 * caller has just listed them and found none.
 */
export async function postOnce<R extends RecordBase>(
  place: RecordPlace,
  issue: number,
  text: string,
  record: R,
  since: string,
  options: { section?: readonly string[]; lookedAlready?: boolean } = {},
): Promise<PostOnce<R>> {
  const same = (key: string) => key === record.key;
  const section = options.section ?? [];
  if (!options.lookedAlready) {
    const before = await listRecords<R>(place, issue, { since, key: same });
    if (before[0]) return { kind: "exists", comment: before[0] };
  }
  const mine = await postRecord(place, issue, text, record, section);
  const after = await listRecords<R>(place, issue, { since, key: same });
  const first = after[0];
  if (first && first.id < mine.id) {
    await place.gh.request("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...place.repo, comment_id: mine.id }).catch(() => undefined);
    return { kind: "exists", comment: first };
  }
  return { kind: "posted", comment: mine };
}
