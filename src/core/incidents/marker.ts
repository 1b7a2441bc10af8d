import { z } from "zod";
import { compactOutbox, isFinal } from "../notify/outbox.js";
import { checkSeal, seal, type SealKeys } from "../trust/seal.js";
import type { IncidentState } from "./state.js";

/**
 * Hidden markers in Charter's comments. The status comment ends with the incident's state:
 *
 *     <!-- charter:incident {"v":1,"issue":12,...} seal=… -->
 *
 * and every other comment Charter posts on an incident ends with what it did, so a state write
 * lost to a crash is recovered from the comments the next time the state is read from GitHub:
 *
 *     <!-- charter:done {"keys":["s1.1"],"processed":[123],"episode":1,"gen":1} seal=… -->
 *
 * Anyone with write access can edit any comment, Charter's included, so a marker counts only when
 * it is in a comment Charter's app wrote (checked by the adapter) **and** its seal verifies: an HMAC
 * with Charter's key over the JSON and where it lives (repository, issue, marker kind, see
 * {@link markerScope}). An edited, copied or invented marker does not verify.
 *
 * JSON is written with `<`, `>` and `&` escaped (`\u003c` …), so no text inside can end the HTML
 * comment early; user text Charter quotes goes through the neutraliser (src/core/text/untrusted.ts),
 * which turns `<` into `&lt;`, so no user text can open a marker. Parsing is linear: one
 * `lastIndexOf`, one bounded slice, one `JSON.parse`; the marker must end the comment.
 */
export const STATE_TAG = "charter:incident";
export const DONE_TAG = "charter:done";

/** Where a marker lives, for its seal: `incident:acme/ingestion#12:state`. */
export function markerScope(repoFullName: string, issue: number, kind: "state" | "done"): string {
  return `incident:${repoFullName.toLowerCase()}#${issue}:${kind}`;
}

/** What sealing needs: Charter's keys and the repository (`owner/name`). */
export interface MarkerSeal {
  keys: SealKeys;
  repo: string;
}

/** Longest comment searched for a marker (GitHub's own limit for a comment body). */
const MAX_BODY = 65_536;

function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

function encode(tag: string, payload: string, sealValue: string): string {
  return `<!-- ${tag} ${payload} seal=${sealValue} -->`;
}

type RawMarker = { ok: true; payload: string; json: unknown } | { ok: false; reason: string };

/**
 * The marker `tag` ending `body`, with its seal checked against `scope`: undefined when the body
 * has no such marker, `ok: false` (with a reason in words) when it is there but does not count.
 */
function decode(body: string, tag: string, keys: SealKeys, scope: string): RawMarker | undefined {
  const text = body.length > MAX_BODY ? body.slice(0, MAX_BODY) : body;
  const open = `<!-- ${tag} `;
  const start = text.lastIndexOf(open);
  if (start < 0) return undefined;
  const rest = text.slice(start + open.length).trimEnd();
  if (!rest.endsWith(" -->")) return { ok: false, reason: "the marker does not end the comment" };
  const inner = rest.slice(0, -" -->".length);
  const at = inner.lastIndexOf(" seal=");
  if (at < 0) return { ok: false, reason: "the marker has no seal (it was not written by this version of Charter, or someone edited it)" };
  const payload = inner.slice(0, at);
  if (checkSeal(keys, scope, payload, inner.slice(at + " seal=".length)) === "invalid") {
    return { ok: false, reason: "the marker's seal does not verify: someone other than Charter changed the comment, or the marker was copied from elsewhere" };
  }
  try {
    return { ok: true, payload, json: JSON.parse(payload) as unknown };
  } catch (error) {
    return { ok: false, reason: `the marker is not JSON (${(error as Error).message})` };
  }
}

const StateShape = z.looseObject({
  v: z.literal(1),
  issue: z.number().int(),
  title: z.string(),
  severity: z.string(),
  openedAt: z.string(),
  openedBy: z.string(),
  zone: z.string(),
  intro: z.string(),
  episode: z.number().int().min(1),
  ladder: z.looseObject({ gen: z.number().int(), severity: z.string(), start: z.string(), steps: z.array(z.looseObject({ afterMs: z.number(), notify: z.array(z.string()) })), titles: z.record(z.string(), z.string()) }),
  pages: z.array(z.looseObject({ key: z.string(), kind: z.string(), at: z.string(), people: z.array(z.string()), targets: z.array(z.string()), episode: z.number() })),
  acks: z.array(z.looseObject({ by: z.string(), at: z.string(), episode: z.number() })),
  updates: z.array(z.looseObject({ by: z.string(), at: z.string(), status: z.string(), text: z.string() })),
  ackNoticed: z.array(z.number()),
  severityChanges: z.array(z.looseObject({ from: z.string(), to: z.string() })),
  history: z.array(z.looseObject({})),
  processed: z.array(z.number()),
  assigned: z.array(z.string()).optional(),
});

/** The sealed state marker that ends the status comment. */
export function encodeState(state: IncidentState, sealing: MarkerSeal): string {
  const payload = safeJson(state);
  return encode(STATE_TAG, payload, seal(sealing.keys, markerScope(sealing.repo, state.issue, "state"), payload));
}

export type DecodedState = { ok: true; state: IncidentState } | { ok: false; reason: string } | undefined;

/**
 * The state of incident `issue` in a comment body: undefined when there is no state marker, `ok:
 * false` (why, in words) when there is one that does not count: unsealed, sealed elsewhere, edited,
 * or not an incident state of this issue.
 */
export function decodeState(body: string, sealing: MarkerSeal, issue: number): DecodedState {
  const raw = decode(body, STATE_TAG, sealing.keys, markerScope(sealing.repo, issue, "state"));
  if (!raw) return undefined;
  if (!raw.ok) return raw;
  const parsed = StateShape.safeParse(raw.json);
  if (!parsed.success) return { ok: false, reason: `the marker is not an incident state (${parsed.error.issues[0]?.message ?? "invalid"})` };
  if (parsed.data.issue !== issue) return { ok: false, reason: `the marker is the state of #${parsed.data.issue}, not of #${issue}` };
  // The parsed JSON itself (not zod's copy): key order as written, so an unchanged state re-encodes to the same text.
  return { ok: true, state: raw.json as IncidentState };
}

/** What one Charter comment did, for recovery. */
export interface DoneMarker {
  /** Page keys done (steps, repeats, routing, manual pages). */
  keys: string[];
  /** Comment ids whose command this comment carried out. */
  processed?: number[];
  /** Due instant of a status-update reminder posted. */
  reminded?: string;
  /** Episode whose acknowledgement deadline was announced. */
  ackNoticed?: number;
  repeated?: { gen: number; k: number };
  /** The acknowledgements of this episode lapsed at this instant (`ack_timeout`). */
  lapsed?: { episode: number; at: string };
  /**
   * The incident's episode and ladder generation once this comment's change is recorded. A later
   * comment from a newer episode or ladder than the status comment's state shows that state is
   * not the latest (a write was lost, or the comment was put back to an older version).
   */
  episode?: number;
  gen?: number;
}

const DoneShape = z.looseObject({
  keys: z.array(z.string()),
  processed: z.array(z.number()).optional(),
  reminded: z.string().optional(),
  ackNoticed: z.number().optional(),
  repeated: z.looseObject({ gen: z.number(), k: z.number() }).optional(),
  lapsed: z.looseObject({ episode: z.number(), at: z.string() }).optional(),
  episode: z.number().int().optional(),
  gen: z.number().int().optional(),
});

/** The sealed marker that ends every other comment Charter posts on incident `issue`. */
export function encodeDone(done: DoneMarker, sealing: MarkerSeal, issue: number): string {
  const payload = safeJson(done);
  return encode(DONE_TAG, payload, seal(sealing.keys, markerScope(sealing.repo, issue, "done"), payload));
}

/** What a Charter comment on incident `issue` did, when its marker verifies. */
export function decodeDone(body: string, sealing: MarkerSeal, issue: number): DoneMarker | undefined {
  const raw = decode(body, DONE_TAG, sealing.keys, markerScope(sealing.repo, issue, "done"));
  if (!raw?.ok) return undefined;
  const parsed = DoneShape.safeParse(raw.json);
  return parsed.success ? (raw.json as DoneMarker) : undefined;
}

/** Largest state Charter writes (a comment holds at most 65,536 characters; the rest is the visible text). */
export const MAX_STATE_CHARS = 40_000;

/**
 * Keep the state within {@link MAX_STATE_CHARS}: drop finished messages' texts and the oldest
 * finished deliveries to channels, the oldest repeat pages, then shorten the oldest update texts,
 * then the oldest processed ids. Nothing the ladder needs, and nothing still to send, is dropped.
 */
export function compactState(state: IncidentState): IncidentState {
  let s = state.notify ? { ...state, notify: compactOutbox(state.notify) } : state;
  const size = () => safeJson(s).length;
  while (size() > MAX_STATE_CHARS) {
    const doneDelivery = s.notify?.deliveries.findIndex(isFinal) ?? -1;
    if (doneDelivery >= 0 && s.notify!.deliveries.length > 10) {
      s = { ...s, notify: { ...s.notify!, deliveries: s.notify!.deliveries.filter((_, i) => i !== doneDelivery) } };
      continue;
    }
    const repeatIndex = s.pages.findIndex((p) => p.kind === "repeat");
    if (repeatIndex >= 0 && s.pages.filter((p) => p.kind === "repeat").length > 3) {
      s = { ...s, pages: s.pages.filter((_, i) => i !== repeatIndex) };
      continue;
    }
    const longUpdate = s.updates.findIndex((u) => u.text.length > 40);
    if (longUpdate >= 0) {
      s = { ...s, updates: s.updates.map((u, i) => (i === longUpdate ? { ...u, text: u.text.slice(0, 37) + "…" } : u)) };
      continue;
    }
    if (s.processed.length > 20) {
      s = { ...s, processed: s.processed.slice(Math.floor(s.processed.length / 2)) };
      continue;
    }
    if (s.updates.length > 5) {
      s = { ...s, updates: s.updates.slice(1) };
      continue;
    }
    break;
  }
  return s;
}
