/**
 * Edits of the state files' text (governance/state/*.yml), keeping their comments and the
 * formatting of everything not touched. Each edit is a pure function of the file's current text,
 * so a writer that lost an optimistic-concurrency race re-reads the file and applies the same
 * edit again: log entries are appended by id (never twice), switches and the phase are set.
 * Every result is validated against the file's schema before it is returned.
 */
import { Document, isMap, isSeq, parseDocument, visit } from "yaml";
import type { z } from "zod";
import { chainAfter, chainHead, chainOnto, nextLink } from "../log/chain.js";
import { KillSwitchStateFile, LogEntry as LogEntrySchema, LogFile, PhaseStateFile, type LogEntry, type Switch } from "../model/state.js";
import { OncallFile } from "../model/oncall.js";
import { YAML_READ, YAML_TO_JS } from "../model/yaml-reading.js";
import { emitListItem, emitSwitchPair } from "./state-emit.js";
import { appendableAt, spliceSwitches, switchesLayout, type SwitchesLayout } from "./state-splice.js";

export { appendableAt } from "./state-splice.js";

/** Files under governance/ Charter writes: the state files, and oncall.yml for swaps and overrides (src/core/oncall/swap/edit.ts). */
export type StateFileName = "state/killswitch.yml" | "state/log.yml" | "state/phase.yml" | "oncall.yml";

/** A change to one state file: its new text given the current one (undefined: the file is absent). */
export interface StateEdit {
  file: StateFileName;
  edit(text: string | undefined): string;
}

/** The text a state file starts from when the repository has none yet. */
export const STATE_TEMPLATES: Record<StateFileName, string> = {
  "state/killswitch.yml":
    "# yaml-language-server: $schema=../../schema/state-killswitch.schema.json\n" +
    "# Kill-switch state, written by Charter. Services read this file (see docs/killswitch.md).\n" +
    "version: 1\nswitches: {}\n",
  "state/log.yml":
    "# yaml-language-server: $schema=../../schema/state-log.schema.json\n" +
    "# Append-only log of kill-switch activations, approvals, resumes, rollbacks and phase changes\n" +
    "# (D9 §5.2). Written by Charter; git history is the audit trail of this file.\n" +
    "version: 1\nentries: []\n",
  "state/phase.yml":
    "# yaml-language-server: $schema=../../schema/state-phase.schema.json\n" +
    "# The current rollout phase. Change it only through a pull request (gated by the phase gate)\n" +
    "# or with /advance and /rollback; Charter writes `since`, `by` and `link`.\n" +
    "version: 1\n",
  "oncall.yml": "# yaml-language-server: $schema=../schema/oncall.schema.json\nversion: 1\nschedules: {}\n",
};

/** A state file Charter cannot edit (invalid YAML or schema), or an edit that would make it invalid. */
export class StateFileError extends Error {}

/** The edit's result fails the file's schema: the first issue, at its path in the file (`under` the part that was checked). */
function wouldBeInvalid(file: StateFileName, error: z.ZodError, under: readonly (string | number)[] = []): StateFileError {
  const issue = error.issues[0]!;
  return new StateFileError(`governance/${file} would be invalid at ${[...under, ...issue.path].join(".") || "top level"}: ${issue.message}`);
}

const SCHEMAS: Record<StateFileName, z.ZodType> = {
  "state/killswitch.yml": KillSwitchStateFile,
  "state/log.yml": LogFile,
  "state/phase.yml": PhaseStateFile,
  "oncall.yml": OncallFile,
};

export function load(file: StateFileName, text: string | undefined): Document {
  // the document of a text Charter wrote or the loader read lately, copied (edits change it)
  const known = text === undefined ? undefined : validatedStateText(file, text)?.document;
  if (known) return known.clone();
  const doc = parseDocument(text ?? STATE_TEMPLATES[file], { uniqueKeys: true });
  if (doc.errors.length > 0) throw new StateFileError(`governance/${file} is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  if (!isMap(doc.contents)) throw new StateFileError(`governance/${file} is not a mapping`);
  return doc;
}

export function dump(file: StateFileName, doc: Document): string {
  const text = doc.toString({ lineWidth: 0 });
  const reparsed = parseDocument(text, YAML_READ);
  const raw: unknown = reparsed.toJS(YAML_TO_JS);
  const check = SCHEMAS[file].safeParse(raw);
  if (!check.success) throw wouldBeInvalid(file, check.error);
  if (reparsed.errors.length === 0) rememberValidated(file, text, { raw, value: check.data, document: reparsed });
  return text;
}

/**
 * The value of the last texts dump() wrote and validated, or the loader read and validated, by
 * file and text (bounded; the oldest goes first): the same text read back (the proposed state of the pull request Charter just
 * opened, src/github/signoff/files.ts; the default branch after Charter's own commit,
 * src/load/load.ts) is not parsed again. A memo of a pure function: `raw` is exactly the text's
 * YAML (parsed as the loader parses, no errors) and `value` the file's schema applied to it.
 * Never mutated by anyone (chainHead, derived from `raw`, is filled in when first needed).
 */
export interface ValidatedStateText {
  raw: unknown;
  value: unknown;
  /** state/log.yml: the column new entries can be appended at as text (appendableAt). */
  appendAt?: number;
  /** state/log.yml: `entries: []` ends the file, its `[]` at this offset (appendableAt). */
  emptyListAt?: number;
  /** state/killswitch.yml: the lines of each switch, when edits can be made as text (switchesLayout). */
  switchesAt?: SwitchesLayout;
  /** The text's yaml document (never edited: load() edits a copy). */
  document?: Document;
  /** state/log.yml: the chain's link after the last entry (src/core/log/chain.ts chainHead), once computed. */
  chainHead?: string;
}
const MAX_VALIDATED = 32;
/** Documents are kept for texts up to this long (a document takes many times its text's memory; a long log appends as text). */
const MAX_DOCUMENT_TEXT = 64 * 1024;
const validated = new Map<StateFileName, Map<string, ValidatedStateText>>();
/**
 * Remember a state text's YAML and schema-checked value (dump() and the loader, src/load/load.ts,
 * which checks more). Given the text's document, where a log can take entries as text is found
 * from it, and the document is kept if the text is short enough.
 */
export function rememberValidated(file: StateFileName, text: string, given: ValidatedStateText): void {
  const { document, ...entry } = given;
  if (document) {
    if (file === "state/log.yml" && entry.appendAt === undefined) Object.assign(entry, appendableAt(document, text));
    if (file === "state/killswitch.yml") entry.switchesAt ??= switchesLayout(document, text);
    if (text.length <= MAX_DOCUMENT_TEXT) (entry as ValidatedStateText).document = document;
  }
  let texts = validated.get(file);
  if (!texts) validated.set(file, (texts = new Map()));
  texts.delete(text);
  if (texts.size >= MAX_VALIDATED) texts.delete(texts.keys().next().value as string);
  texts.set(text, entry);
}
/** The YAML and schema-checked value of `text` as `file`, if dump() produced it or the loader validated it lately. */
export function validatedStateText(file: StateFileName, text: string): ValidatedStateText | undefined {
  return validated.get(file)?.get(text);
}

/**
 * What an edit as text needs to know of a state text: remembered (validatedStateText), or read now
 * as the loader reads it, checked by the file's schema and remembered with its document (from which
 * the layouts are found). undefined: the text has YAML errors or fails its schema, and the document
 * path says why.
 */
function readStateText(file: StateFileName, text: string): ValidatedStateText | undefined {
  const known = validatedStateText(file, text);
  if (known) return known;
  const doc = parseDocument(text, YAML_READ);
  if (doc.errors.length > 0) return undefined;
  let raw: unknown;
  try {
    raw = doc.toJS(YAML_TO_JS);
  } catch {
    return undefined;
  }
  const check = SCHEMAS[file].safeParse(raw);
  if (!check.success) return undefined;
  rememberValidated(file, text, { raw, value: check.data, document: doc });
  return validatedStateText(file, text);
}

/** Key-order-insensitive equality of plain YAML values. */
function same(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => [k, canon(x)])) : v;
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

/** A mapping node in block style whose short lists and small maps are written inline. */
export function blockNode(doc: Document, value: Record<string, unknown>) {
  const clean = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
  const node = doc.createNode(clean);
  if (isMap(node)) {
    node.flow = false;
    for (const pair of node.items) {
      const v = pair.value;
      if (isSeq(v) || isMap(v)) v.flow = true;
    }
  }
  visit(node, {
    Scalar(_, scalar) {
      // yaml writes such a string as a block scalar that reads back without its leading blank
      // (" \n\n" came back "\n\n"): double quotes keep every character
      if (typeof scalar.value === "string" && /^\s|\s$/.test(scalar.value)) scalar.type = "QUOTE_DOUBLE";
    },
  });
  return node;
}

/** Canonical key order of a switch, so files read the same whoever wrote them. */
export function orderedSwitch(s: Switch): Switch {
  const approval = s.approval && {
    status: s.approval.status,
    roles: s.approval.roles,
    due: s.approval.due,
    by: s.approval.by,
    at: s.approval.at,
  };
  return {
    active: s.active,
    since: s.since,
    by: s.by,
    scenario: s.scenario,
    reason: s.reason,
    severity: s.severity,
    approval: approval && (Object.fromEntries(Object.entries(approval).filter(([, v]) => v !== undefined)) as Switch["approval"]),
    notified: s.notified,
    rolled_back: s.rolled_back,
    link: s.link,
  };
}

/**
 * Change kill-switches: `update` gets the current switches (a copy) and returns them as they
 * should be. Only the scopes that differ are rewritten.
 */
export function editSwitches(update: (switches: Record<string, Switch>) => Record<string, Switch>): StateEdit {
  return {
    file: "state/killswitch.yml",
    edit(text) {
      const spliced = text === undefined ? undefined : switchesAsText(text, update);
      if (spliced !== undefined) return spliced;
      const doc = load("state/killswitch.yml", text);
      const current = ((doc.toJS() as { switches?: Record<string, Switch> }).switches ?? {}) as Record<string, Switch>;
      const next = update(structuredClone(current));
      let changed = false;
      if (!isMap(doc.get("switches"))) doc.set("switches", doc.createNode({}));
      const map = doc.get("switches");
      if (isMap(map)) map.flow = false;
      for (const [scope, sw] of Object.entries(next)) {
        if (same(current[scope], sw)) continue;
        doc.setIn(["switches", scope], blockNode(doc, orderedSwitch(sw) as Record<string, unknown>));
        changed = true;
      }
      for (const scope of Object.keys(current)) {
        if (!(scope in next)) {
          doc.deleteIn(["switches", scope]);
          changed = true;
        }
      }
      if (!changed && text !== undefined) return text;
      return dump("state/killswitch.yml", doc);
    },
  };
}

/** A plain copy of a value without its undefined fields: what its emitted text reads back as. */
function written<T extends object>(value: T): T {
  return structuredClone(Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))) as T;
}

/**
 * editSwitches without writing and reading the whole file again: when the text's value and its
 * switches' lines are known (validatedStateText, switchesLayout), each changed switch's lines are
 * replaced by its new lines (state-emit.ts, which writes only text that reads back as the value),
 * a removed switch's lines dropped, a new switch's lines added after the last; the new value is
 * checked against the file's schema. undefined: take the document path.
 */
function switchesAsText(text: string, update: (switches: Record<string, Switch>) => Record<string, Switch>): string | undefined {
  const known = readStateText("state/killswitch.yml", text);
  if (!known?.switchesAt) return undefined;
  const raw = known.raw as KillSwitchStateFile; // a remembered text's YAML passed the file's schema
  const current = raw.switches;
  const next = update(structuredClone(current));
  const pairs = new Map<string, string | null>();
  const values = new Map<string, Switch>();
  for (const [scope, sw] of Object.entries(next)) {
    if (same(current[scope], sw)) continue;
    const value = written(orderedSwitch(sw));
    const pair = emitSwitchPair(scope, value as Record<string, unknown>);
    if (pair === undefined) return undefined;
    pairs.set(scope, pair);
    values.set(scope, value);
  }
  for (const scope of Object.keys(current)) if (!(scope in next)) pairs.set(scope, null);
  if (pairs.size === 0) return text;
  const spliced = spliceSwitches(text, known.switchesAt, pairs);
  if (!spliced) return undefined;
  const switches: Record<string, unknown> = {};
  for (const { scope } of spliced.layout.items) switches[scope] = values.get(scope) ?? current[scope];
  const nextRaw = { ...raw, switches };
  const check = KillSwitchStateFile.safeParse(nextRaw);
  if (!check.success) throw wouldBeInvalid("state/killswitch.yml", check.error);
  rememberValidated("state/killswitch.yml", spliced.text, { raw: nextRaw, value: check.data, switchesAt: spliced.layout });
  return spliced.text;
}

/** Canonical key order of a log entry. */
export function orderedEntry(e: LogEntry): LogEntry {
  return {
    id: e.id,
    timestamp: e.timestamp,
    action: e.action,
    actor: e.actor,
    scope: e.scope,
    scenario: e.scenario,
    severity: e.severity,
    reason: e.reason,
    approval: e.approval,
    notified: e.notified,
    from_phase: e.from_phase,
    to_phase: e.to_phase,
    rollback_type: e.rollback_type,
    verified: e.verified,
    link: e.link,
    access: e.access,
    pull_request: e.pull_request,
    head: e.head,
    issue: e.issue,
    review_roles: e.review_roles,
    review_due: e.review_due,
    role: e.role,
    ref: e.ref,
    step: e.step,
    seq: e.seq,
    prev: e.prev,
  };
}

/**
 * Append log entries whose id is not in the log yet (a retried write never adds one twice), each
 * chained onto the entries before it (`seq` and `prev`: src/core/log/chain.ts).
 */
export function appendLog(...entries: LogEntry[]): StateEdit {
  return {
    file: "state/log.yml",
    edit(text) {
      const appended = text === undefined ? undefined : appendAsText(text, entries);
      if (appended !== undefined) return appended;
      const doc = load("state/log.yml", text);
      const current = (doc.toJS() as { entries?: LogEntry[] }).entries ?? [];
      const existing = new Set(current.map((e) => e.id));
      const fresh = chainOnto(current, entries.filter((e, i) => !existing.has(e.id) && entries.findIndex((x) => x.id === e.id) === i));
      if (fresh.length === 0 && text !== undefined) return text;
      if (!isSeq(doc.get("entries"))) doc.set("entries", doc.createNode([]));
      const seq = doc.get("entries");
      if (!isSeq(seq)) throw new StateFileError("governance/state/log.yml: `entries` is not a list");
      seq.flow = false;
      for (const e of fresh) {
        seq.items.push(blockNode(doc, orderedEntry(e) as Record<string, unknown>));
        existing.add(e.id);
      }
      return dump("state/log.yml", doc);
    },
  };
}

/**
 * appendLog without reading the whole log again: when the text is one whose value is known
 * (validatedStateText: written by dump() or loaded by the loader) and that can take entries as text
 * (appendableAt), the new entries are written as items of their own and added after the end of the
 * text (or in place of an empty `[]` that ends it). Items are written by state-emit.ts, whose text
 * reads back as the entry by construction; an entry it declines is written by the yaml library as a
 * list parsed back alone (each must read back exactly as intended, or the whole edit is left to the
 * document path). The log grows without bound (D9 §5.2); this keeps an append proportional to what
 * is appended. undefined: take the document path.
 */
function appendAsText(text: string, entries: readonly LogEntry[]): string | undefined {
  const known = readStateText("state/log.yml", text);
  if (!known || known.appendAt !== FRAGMENT_INDENT) return undefined;
  const raw = known.raw as LogFile; // a remembered text's YAML passed the file's schema
  const valid = known.value as LogFile;
  const current = raw.entries;
  const existing = new Set(current.map((e) => e.id));
  const head = (known.chainHead ??= chainHead(current));
  const fresh = chainAfter(head, current.length, entries.filter((e, i) => !existing.has(e.id) && entries.findIndex((x) => x.id === e.id) === i));
  if (fresh.length === 0) return text;
  const items = emittedItems(fresh) ?? writtenItems(fresh);
  if (!items) return undefined;
  // the known entries passed the file's schema; the file's schema is a list of entries, each checked alone
  const checked: LogEntry[] = [];
  for (const [i, entry] of items.back.entries()) {
    const check = LogEntrySchema.safeParse(entry);
    if (!check.success) throw wouldBeInvalid("state/log.yml", check.error, ["entries", current.length + i]);
    checked.push(check.data);
  }
  const before = known.emptyListAt === undefined ? (text.endsWith("\n") ? text : `${text}\n`) : `${text.slice(0, known.emptyListAt).trimEnd()}\n`;
  const next = before + items.text;
  rememberValidated("state/log.yml", next, {
    raw: { ...raw, entries: [...current, ...items.back] },
    value: { ...valid, entries: [...valid.entries, ...checked] },
    appendAt: FRAGMENT_INDENT,
    chainHead: nextLink(fresh.at(-1)!.prev!, fresh.at(-1)!), // each chained entry carries the link before it
  });
  return next;
}

/** New log items as state-emit.ts writes them (each reads back as the entry), or undefined when it declines one. */
function emittedItems(fresh: readonly LogEntry[]): { text: string; back: LogEntry[] } | undefined {
  let text = "";
  const back: LogEntry[] = [];
  for (const e of fresh) {
    const value = written(orderedEntry(e));
    const item = emitListItem(value as Record<string, unknown>);
    if (item === undefined) return undefined;
    text += item;
    back.push(value);
  }
  return { text, back };
}

/** New log items as the yaml library writes them, parsed back alone: each must read back as intended, or undefined. */
function writtenItems(fresh: readonly LogEntry[]): { text: string; back: LogEntry[] } | undefined {
  const list = new Document({});
  const seq = list.createNode([]) as unknown;
  if (!isSeq(seq)) return undefined;
  seq.flow = false;
  for (const e of fresh) seq.items.push(blockNode(list, orderedEntry(e) as Record<string, unknown>));
  list.set("entries", seq);
  const text = list.toString({ lineWidth: 0 });
  if (!text.startsWith(`entries:\n${" ".repeat(FRAGMENT_INDENT)}- `)) return undefined;
  const readBack = parseDocument(text, YAML_READ);
  const back = (readBack.toJS(YAML_TO_JS) as { entries?: unknown[] }).entries;
  if (readBack.errors.length > 0 || !Array.isArray(back) || back.length !== fresh.length || !fresh.every((e, i) => same(back[i], orderedEntry(e)))) return undefined;
  return { text: text.slice("entries:\n".length), back: back as LogEntry[] };
}
/** The column yaml writes a top-level block list's items at (its default indentation). */
const FRAGMENT_INDENT = 2;

/** Set the current phase (and who moved it, when, through what). */
export function setPhase(phase: { phase: string; since: string; by: string; link?: string }): StateEdit {
  return {
    file: "state/phase.yml",
    edit(text) {
      const doc = load("state/phase.yml", text);
      const current = doc.toJS() as Record<string, unknown>;
      const wanted: Record<string, string | undefined> = { phase: phase.phase, since: phase.since, by: phase.by, link: phase.link };
      if (Object.entries(wanted).every(([k, v]) => v === undefined || current[k] === v) && text !== undefined) return text;
      for (const [k, v] of Object.entries(wanted)) {
        if (v === undefined) doc.delete(k);
        else doc.set(k, v);
      }
      return dump("state/phase.yml", doc);
    },
  };
}

/** Apply edits of possibly the same file in order: one edit per file, for one write each. */
export function combineEdits(edits: readonly StateEdit[]): StateEdit[] {
  const byFile = new Map<StateFileName, StateEdit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return [...byFile].map(([file, list]) => ({
    file,
    edit: (text: string | undefined) => list.reduce<string | undefined>((t, e) => e.edit(t), text) ?? STATE_TEMPLATES[file],
  }));
}
