/**
 * Edits of the state files' text (governance/state/*.yml), keeping their comments and the
 * formatting of everything not touched. Each edit is a pure function of the file's current text,
 * so a writer that lost an optimistic-concurrency race re-reads the file and applies the same
 * edit again: log entries are appended by id (never twice), switches and the phase are set.
 * Every result is validated against the file's schema before it is returned.
 */
import { isMap, isSeq, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { chainOnto } from "../log/chain.js";
import { KillSwitchStateFile, LogFile, PhaseStateFile, type LogEntry, type Switch } from "../model/state.js";
import { OncallFile } from "../model/oncall.js";

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

const SCHEMAS: Record<StateFileName, z.ZodType> = {
  "state/killswitch.yml": KillSwitchStateFile,
  "state/log.yml": LogFile,
  "state/phase.yml": PhaseStateFile,
  "oncall.yml": OncallFile,
};

export function load(file: StateFileName, text: string | undefined): Document {
  const doc = parseDocument(text ?? STATE_TEMPLATES[file], { uniqueKeys: true });
  if (doc.errors.length > 0) throw new StateFileError(`governance/${file} is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  if (!isMap(doc.contents)) throw new StateFileError(`governance/${file} is not a mapping`);
  return doc;
}

export function dump(file: StateFileName, doc: Document): string {
  const text = doc.toString({ lineWidth: 0 });
  const reparsed = parseDocument(text);
  const check = SCHEMAS[file].safeParse(reparsed.toJS());
  if (!check.success) {
    const issue = check.error.issues[0]!;
    throw new StateFileError(`governance/${file} would be invalid at ${issue.path.join(".") || "top level"}: ${issue.message}`);
  }
  if (reparsed.errors.length === 0) rememberValidated(file, text, check.data);
  return text;
}

/**
 * The value of the last texts dump() wrote and validated, by file and text (bounded; the oldest
 * goes first): the same text read back (the proposed state of the pull request Charter just
 * opened, src/github/signoff/files.ts) is not parsed again. A memo of a pure function: the value
 * is exactly the file's schema applied to the text's YAML. Never mutated by anyone.
 */
const MAX_VALIDATED = 32;
const validated = new Map<string, unknown>();
function rememberValidated(file: StateFileName, text: string, value: unknown): void {
  const key = `${file}\u0000${text}`;
  validated.delete(key);
  if (validated.size >= MAX_VALIDATED) validated.delete(validated.keys().next().value as string);
  validated.set(key, value);
}
/** The schema-checked value of `text` as `file`, if dump() produced and validated exactly this text lately. */
export function validatedStateText(file: StateFileName, text: string): { value: unknown } | undefined {
  const key = `${file}\u0000${text}`;
  return validated.has(key) ? { value: validated.get(key) } : undefined;
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
