/**
 * The activation log's hash chain (governance/state/log.yml): every entry Charter writes carries
 * its position (`seq`, 1-based, counting every entry of the file) and `prev`, the hash of the
 * previous entry together with everything before it:
 *
 *     link(0) = sha256("charter-log-chain-v1")
 *     link(i) = sha256(link(i-1) + "\n" + canonical(entry i))      canonical: sorted-key JSON, without `prev`
 *     entry i carries prev = link(i-1), seq = i
 *
 * Editing, reordering or removing an entry therefore breaks the link the next entry records, and
 * `verifyChain` names the first entry that no longer fits. The hash is of the values, not the text:
 * re-indenting or re-quoting the YAML changes nothing.
 *
 * Migration: a log written before the chain existed has entries without `seq`/`prev`. The chain
 * starts at the first entry that carries them, and that entry's `prev` covers every entry before it
 * (so the old entries cannot be changed afterwards either). After it, every entry must carry them.
 *
 * What it cannot see: the removal of the last entry (nothing follows it to notice), and someone who
 * recomputes every link after their edit. Neither passes Charter's sign-off check in a pull request
 * (signoff/log-chain.ts refuses one that removes or edits entries of an intact chain); on the
 * default branch itself, only people
 * who can bypass branch protection can do it, and git history shows it.
 */
import { createHash } from "node:crypto";
import type { LogEntry } from "../model/state.js";

/** `sha256:<64 hex digits>`. */
export type ChainLink = string;

const PREFIX = "sha256:";

function sha256(text: string): ChainLink {
  return PREFIX + createHash("sha256").update(text, "utf8").digest("hex");
}

/** The link before the first entry. */
export const GENESIS: ChainLink = sha256("charter-log-chain-v1");

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sorted(v);
    }
    return out;
  }
  return value;
}

/** An entry's canonical text: its values as JSON with sorted keys, without `prev`. */
export function canonicalEntry(entry: LogEntry): string {
  const { prev: _prev, ...rest } = entry;
  return JSON.stringify(sorted(rest));
}

/** The link after `entry`, given the link before it. */
export function nextLink(before: ChainLink, entry: LogEntry): ChainLink {
  return sha256(`${before}\n${canonicalEntry(entry)}`);
}

/** The link after every entry: what the next entry's `prev` must be. */
export function chainHead(entries: readonly LogEntry[]): ChainLink {
  let link = GENESIS;
  for (const e of entries) link = nextLink(link, e);
  return link;
}

/**
 * `entries` (appended after `existing`) with their `seq` and `prev`, chained onto the existing
 * entries (whatever `seq`/`prev` they carried is replaced: where an entry lands decides them).
 */
export function chainOnto(existing: readonly LogEntry[], entries: readonly LogEntry[]): LogEntry[] {
  return chainAfter(chainHead(existing), existing.length, entries);
}

/** chainOnto, given the link after the existing entries (chainHead) and their number. */
export function chainAfter(head: ChainLink, count: number, entries: readonly LogEntry[]): LogEntry[] {
  let link = head;
  let seq = count;
  return entries.map((e) => {
    seq++;
    const chained: LogEntry = { ...e, seq, prev: link };
    link = nextLink(link, chained);
    return chained;
  });
}

export type ChainBreakKind =
  /** The entry before `position` no longer matches the hash `position` records. */
  | "edited"
  /** The entry numbered `position` is missing. */
  | "removed"
  /** An entry stands before one it should follow (`position`: where the first misplaced one is). */
  | "reordered"
  /** Two entries claim the same number. */
  | "inserted"
  /** After the chain started, an entry without `seq`/`prev`, or with only one of them. */
  | "unchained"
  /** One of the entries before the chain started was changed (which one, the file cannot say). */
  | "before-chain";

export interface ChainBreak {
  kind: ChainBreakKind;
  /** 1-based position in `entries` of the entry named first. */
  position: number;
  /** The entry named first. */
  entry: LogEntry;
  /** Another entry the words need (the one before, the one out of place, the duplicate). */
  other?: { position: number; entry: LogEntry };
  /** For `removed`: the number found where `position` should be. */
  found?: number;
}

export interface ChainReport {
  /** Entries in the log. */
  count: number;
  /** Position of the first entry that carries `seq`/`prev`; undefined: the chain has not started. */
  startsAt?: number;
  /** The link after the last entry (what the next entry's `prev` will be). */
  head: ChainLink;
  /** The first break, if any. */
  broken?: ChainBreak;
}

function chained(e: LogEntry): boolean {
  return e.prev !== undefined && e.seq !== undefined;
}

/** Check the chain from the first entry on; stop at the first break. Linear in the log's size. */
export function verifyChain(entries: readonly LogEntry[]): ChainReport {
  let link = GENESIS;
  let startsAt: number | undefined;
  const at = (i: number) => ({ position: i + 1, entry: entries[i]! });
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const position = i + 1;
    const report = (broken: ChainBreak): ChainReport => ({ count: entries.length, ...(startsAt !== undefined ? { startsAt } : {}), head: chainHead(entries), broken });
    if (e.prev === undefined && e.seq === undefined && startsAt === undefined) {
      link = nextLink(link, e);
      continue;
    }
    if (!chained(e)) return report({ kind: "unchained", ...at(i) });
    startsAt ??= position;
    // its own number was edited: its `prev` fits this position
    if (e.seq !== position && e.prev === link) return report({ kind: "edited", ...at(i), ...(i + 1 < entries.length ? { other: at(i + 1) } : {}) });
    if (e.seq !== position) {
      if (e.seq! > position) {
        const later = entries.findIndex((x, j) => j > i && x.seq === position);
        if (later >= 0) return report({ kind: "reordered", ...at(later), other: at(i) });
        return report({ kind: "removed", ...at(i), found: e.seq!, ...(i > 0 ? { other: at(i - 1) } : {}) });
      }
      const twin = entries.findIndex((x, j) => j < i && x.seq === e.seq);
      if (twin >= 0 && entries[twin]!.prev === e.prev) return report({ kind: "inserted", ...at(twin), other: at(i) });
      if (twin >= 0) return report({ kind: "reordered", ...at(i), other: at(twin) });
      return report({ kind: "inserted", ...at(i) });
    }
    if (e.prev !== link) {
      if (startsAt === position && position > 1) return report({ kind: "before-chain", ...at(i) });
      // (or `prev` itself was edited: the file cannot tell which of the two changed; once
      // Charter appends after such an edit, the later links fit either story)
      return report({ kind: "edited", ...at(i - 1), other: at(i) });
    }
    link = nextLink(link, e);
  }
  return { count: entries.length, ...(startsAt !== undefined ? { startsAt } : {}), head: link };
}

/** Two breaks name the same thing (the same kind at the same entry). */
export function sameBreak(a: ChainBreak | undefined, b: ChainBreak | undefined): boolean {
  if (!a || !b) return a === b;
  return a.kind === b.kind && a.entry.id === b.entry.id && a.position === b.position;
}

/**
 * A break in words. `code` renders an entry id (the check neutralises it; the terminal prints it
 * as is).
 */
export function breakWords(b: ChainBreak, code: (text: string) => string = (t) => `\`${t}\``): string {
  const name = (x: { position: number; entry: LogEntry }) => `entry ${x.position} (${code(x.entry.id)}, ${x.entry.timestamp})`;
  switch (b.kind) {
    case "edited":
      return `${name(b)} was edited: it no longer matches the hash that ${b.other ? name(b.other) : "the next entry"} records of it${b.other && b.other.position === b.position + 1 ? ` (or that entry's \`prev\` was edited)` : ""}`;
    case "removed":
      return `the entry numbered ${b.position} was removed: ${b.other ? `after ${name(b.other)} ` : ""}comes ${code(b.entry.id)}, numbered ${b.found}`;
    case "reordered":
      return `entries were reordered: ${name(b)} is numbered ${b.entry.seq} but stands at position ${b.position}${b.other ? `, after ${code(b.other.entry.id)} (numbered ${b.other.entry.seq})` : ""}`;
    case "inserted":
      return b.other
        ? `an entry was inserted: ${name(b)} and ${name(b.other)} both claim number ${b.entry.seq} and the same predecessor`
        : `an entry was inserted before ${name(b)}: it is numbered ${b.entry.seq} at position ${b.position}`;
    case "unchained":
      return `${name(b)} carries no chain (${b.entry.prev === undefined ? "no `prev`" : "no `seq`"}): once the chain has started, every entry carries \`seq\` and \`prev\``;
    case "before-chain":
      return `the entries before the chain started (1 to ${b.position - 1}) were edited, reordered or removed: ${name(b)}, the first chained entry, records a different hash of them`;
  }
}
