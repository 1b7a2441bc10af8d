/**
 * Records Charter keeps in its own comments, outside incidents: a handoff message and what was sent
 * where, a notification of a kill-switch or GA event, a deployment's state. Each comment ends with
 *
 *     <!-- charter:record {"v":1,"key":"handoff:ingestion@2025-03-31T07:00:00.000Z",...} seal=… -->
 *
 * A record counts only in a comment Charter's app wrote (checked by the adapter) **and** when its
 * seal verifies: an HMAC with Charter's key over the JSON and where it lives (repository and issue,
 * {@link recordScope}). An edited, copied or invented record does not verify, so it neither
 * silences a message (a forged "already sent") nor fakes a state.
 *
 * JSON is written with `<`, `>` and `&` escaped, so no text inside can end the HTML comment early.
 * Parsing is linear: one `lastIndexOf`, one bounded slice, one `JSON.parse`; the marker must end
 * the comment.
 */
import { checkSeal, seal, type SealKeys } from "../trust/seal.js";

export const RECORD_TAG = "charter:record";

/** The line above which a record comment's text stays as written and below which Charter re-renders (what was sent where). */
export const SECTION_MARK = "<!-- charter:notifications -->";

/** Where a record lives, for its seal: `record:acme/ingestion#12`. */
export function recordScope(repoFullName: string, issue: number): string {
  return `record:${repoFullName.toLowerCase()}#${issue}`;
}

/** Every record has a version and a key saying what it is; the rest is the record's own. */
export interface RecordBase {
  v: 1;
  /** What the record is, unique on its issue: `handoff:ingestion@<instant>`, `event:<log entry id>`, `deployment`. */
  key: string;
}

const MAX_BODY = 65_536;

export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

/** The sealed marker line for `record` on issue `issue` of `repo`. */
export function encodeRecord(record: RecordBase, keys: SealKeys, repo: string, issue: number): string {
  const payload = safeJson(record);
  return `<!-- ${RECORD_TAG} ${payload} seal=${seal(keys, recordScope(repo, issue), payload)} -->`;
}

export type DecodedRecord = { ok: true; record: RecordBase & Record<string, unknown> } | { ok: false; reason: string } | undefined;

/**
 * The record ending `body`, its seal checked for issue `issue` of `repo`: undefined when there is
 * none, `ok: false` (why, in words) when there is one that does not count.
 */
export function decodeRecord(body: string, keys: SealKeys, repo: string, issue: number): DecodedRecord {
  const text = body.length > MAX_BODY ? body.slice(0, MAX_BODY) : body;
  const open = `<!-- ${RECORD_TAG} `;
  const start = text.lastIndexOf(open);
  if (start < 0) return undefined;
  const rest = text.slice(start + open.length).trimEnd();
  if (!rest.endsWith(" -->")) return { ok: false, reason: "the record does not end the comment" };
  const inner = rest.slice(0, -" -->".length);
  const at = inner.lastIndexOf(" seal=");
  if (at < 0) return { ok: false, reason: "the record has no seal" };
  const payload = inner.slice(0, at);
  if (checkSeal(keys, recordScope(repo, issue), payload, inner.slice(at + " seal=".length)) === "invalid") {
    return { ok: false, reason: "the record's seal does not verify: someone other than Charter changed the comment, or it was copied from elsewhere" };
  }
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (error) {
    return { ok: false, reason: `the record is not JSON (${(error as Error).message})` };
  }
  const r = json as Partial<RecordBase> | null;
  if (!r || typeof r !== "object" || r.v !== 1 || typeof r.key !== "string") return { ok: false, reason: "the record has no version or key" };
  return { ok: true, record: r as RecordBase & Record<string, unknown> };
}

/**
 * A record comment's body: the text people read, the section Charter re-renders (what was sent
 * where; may be empty), and the sealed record.
 */
export function recordBody(text: string, section: readonly string[], marker: string): string {
  return [text.trimEnd(), "", SECTION_MARK, ...section, marker].join("\n");
}

/** The text above the re-rendered section of a record comment Charter wrote with {@link recordBody}. */
export function recordText(body: string): string {
  const at = body.lastIndexOf(`\n${SECTION_MARK}`);
  return (at < 0 ? body : body.slice(0, at)).trimEnd();
}
