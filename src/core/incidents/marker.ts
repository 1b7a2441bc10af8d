import { z } from "zod";
import { MAX_BODY_UNITS, overCap, tooLongToRead } from "../text/limits.js";
import type { IncidentState } from "./state.js";

/**
 * Hidden markers in Charter's comments. The status comment ends with the incident's state:
 *
 *     <!-- charter:incident {"v":1,"issue":12,...} -->
 *
 * and every other comment Charter posts on an incident ends with what it did, so a state write
 * lost to a crash is recovered from the comments the next time the state is read from GitHub:
 *
 *     <!-- charter:done {"keys":["s1.1"],"processed":[123]} -->
 *
 * JSON is written with `<`, `>` and `&` escaped (`\u003c` …), so no text inside can end the HTML
 * comment early, and user text Charter quotes is passed through {@link neutralize}.
 */
export const STATE_TAG = "charter:incident";
export const DONE_TAG = "charter:done";

/**
 * The JSON of the first `<!-- <tag> {…} -->` marker in a body: from the first `{` after the tag to
 * the first `} -->`. Linear: forward `indexOf` only (a lazy regular expression here was quadratic
 * on a comment of unclosed markers, and anyone with write access can edit Charter's comments).
 */
function markerJson(body: string, tag: string): string | undefined {
  const open = `<!-- ${tag} {`;
  const start = body.indexOf(open);
  if (start < 0) return undefined;
  const from = start + open.length - 1;
  const end = body.indexOf("} -->", from + 1);
  return end < 0 ? undefined : body.slice(from, end + 1);
}

function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

/** User text made safe to quote in a Charter comment: it cannot open or close an HTML comment (and so cannot fake a marker). */
export function neutralize(text: string): string {
  return text.replace(/<!--/g, "&lt;!--").replace(/--!?>/g, "--&gt;");
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
});

export function encodeState(state: IncidentState): string {
  return `<!-- ${STATE_TAG} ${safeJson(state)} -->`;
}

export type DecodedState = { ok: true; state: IncidentState } | { ok: false; reason: string } | undefined;

/**
 * The state in a comment body: undefined when there is no marker, `ok: false` when it is there but
 * unreadable (also when the comment is longer than GitHub allows: it is not read).
 */
export function decodeState(body: string, maxUnits = MAX_BODY_UNITS): DecodedState {
  if (overCap(body, maxUnits)) return body.includes(`<!-- ${STATE_TAG} `) ? { ok: false, reason: tooLongToRead("the comment") } : undefined;
  const marker = markerJson(body, STATE_TAG);
  if (marker === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(marker);
  } catch (error) {
    return { ok: false, reason: `the state marker is not JSON (${(error as Error).message})` };
  }
  const parsed = StateShape.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `the state marker is not an incident state (${parsed.error.issues[0]?.message ?? "invalid"})` };
  // The parsed JSON itself (not zod's copy): key order as written, so an unchanged state re-encodes to the same text.
  return { ok: true, state: json as IncidentState };
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
}

export function encodeDone(done: DoneMarker): string {
  return `<!-- ${DONE_TAG} ${safeJson(done)} -->`;
}

export function decodeDone(body: string, maxUnits = MAX_BODY_UNITS): DoneMarker | undefined {
  if (overCap(body, maxUnits)) return undefined;
  const marker = markerJson(body, DONE_TAG);
  if (marker === undefined) return undefined;
  try {
    const d = JSON.parse(marker) as DoneMarker;
    return Array.isArray(d.keys) ? d : undefined;
  } catch {
    return undefined;
  }
}

/** Largest state Charter writes (a comment holds at most 65,536 characters; the rest is the visible text). */
export const MAX_STATE_CHARS = 40_000;

/**
 * Keep the state within {@link MAX_STATE_CHARS}: drop the oldest repeat pages, then shorten the
 * oldest update texts, then the oldest processed ids. Nothing the ladder needs is dropped.
 */
export function compactState(state: IncidentState): IncidentState {
  let s = state;
  const size = () => safeJson(s).length;
  while (size() > MAX_STATE_CHARS) {
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
