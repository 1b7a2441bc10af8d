/**
 * Where a state file's text can take Charter's edits as text (src/core/killswitch/state-text.ts):
 * found once from the yaml document of a text whose value is known, then carried from one edit to
 * the next by arithmetic, so an edit rewrites the lines it changes and parses nothing.
 *
 * The argument each layout rests on: YAML's block collections are made of lines and indentation.
 * A top-level key at column 0 owns the lines after it that are indented further; a block map whose
 * keys are at column 2 (or a list whose dashes are) ends at the first later line at column 0 or 1.
 * So whole lines at column 2 and deeper, each a complete pair or item (state-emit.ts), can replace
 * or follow such a pair's or item's lines without changing how any other line reads. Layouts are
 * refused for texts with a `%YAML` directive (another schema), anchors or aliases (a replaced line
 * could hold an anchor used elsewhere), tags, flow-style parents or anything else these rules do
 * not cover.
 */
import { isMap, isScalar, isSeq, visit, type Document, type Node, type Pair } from "yaml";

/** state/log.yml: new items can be written at column `appendAt`, at the end of the text or in place of an empty `[]`. */
export interface LogLayout {
  appendAt?: number;
  /** `entries: []` ends the file: the offset of its `[]`, replaced by the first items. */
  emptyListAt?: number;
}

/** state/killswitch.yml: the lines of each pair of the block map `switches` (keys at column 2), in text order. */
export interface SwitchesLayout {
  /** Each switch's whole lines: [start, end) offsets, end just after its last line's newline (or the end of the text). */
  items: { scope: string; start: number; end: number }[];
  /** `switches: {}`: the offset of its `{}`, replaced by the first pairs (items is then empty). */
  emptyMapAt?: number;
}

const lineStart = (text: string, at: number) => text.lastIndexOf("\n", at - 1) + 1;

/**
 * A document read under YAML 1.2's core schema, the one state-emit.ts writes for: `%YAML 1.1`
 * would read `2025-06-02T10:30:00Z` as a date and `0b101` as a number.
 */
const coreSchema = (doc: Document) => doc.errors.length === 0 && doc.schema.name === "core" && doc.directives?.yaml.version === "1.2" && !doc.directives.yaml.explicit;

/** The end of the line holding `at` (after its newline), if nothing but spaces follows `at` on it. */
function restOfLineBlank(text: string, at: number): number | undefined {
  if (at > 0 && text[at - 1] === "\n") return at;
  const nl = text.indexOf("\n", at);
  const end = nl === -1 ? text.length : nl;
  for (let i = at; i < end; i++) if (text[i] !== " ") return undefined;
  return nl === -1 ? text.length : nl + 1;
}

/** A top-level block map with no anchors, aliases or tags anywhere, and its pair named `key` at column 0. */
function topLevelPair(doc: Document, text: string, key: string): Pair | undefined {
  if (!coreSchema(doc) || !isMap(doc.contents) || doc.contents.flow) return undefined;
  let plain = true;
  visit(doc, {
    Alias() {
      plain = false;
      return visit.BREAK;
    },
    Node(_, node) {
      if (node.anchor || node.tag) {
        plain = false;
        return visit.BREAK;
      }
    },
  });
  if (!plain) return undefined;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key);
  if (!pair || !isScalar(pair.key) || !pair.key.range || lineStart(text, pair.key.range[0]) !== pair.key.range[0]) return undefined;
  return pair as Pair;
}

/** An empty flow collection written exactly `empty` (`[]`, `{}`) on the rest of its key's line: the offset of its first character. */
function emptyFlowAt(text: string, keyEnd: number, node: Node, empty: "[]" | "{}"): number | undefined {
  if (!node.range || text.slice(node.range[0], node.range[1]) !== empty) return undefined;
  if (!/^: +$/.test(text.slice(keyEnd, node.range[0]))) return undefined;
  return restOfLineBlank(text, node.range[1]) === undefined ? undefined : node.range[0];
}

/**
 * Where a log's text can take new entries as text: its `entries` is the last thing in the file
 * (nothing after it but blank space: no other key, comment or document marker), either a block list
 * whose items start at `appendAt` columns (new items written at that column after the end of the
 * text extend that list and nothing else: an item ends where a line at or left of its dash begins),
 * or an empty `[]` after a key at column 0 (replaced by items at column 2).
 */
export function appendableAt(doc: Document, text: string): LogLayout {
  if (!coreSchema(doc) || doc.comment || !isMap(doc.contents) || doc.contents.flow) return {};
  const last = doc.contents.items.at(-1);
  const seq = last?.value;
  if (!last || !isScalar(last.key) || last.key.value !== "entries" || !isSeq(seq) || !seq.range) return {};
  if (!/^\s*$/.test(text.slice(seq.range[2]))) return {};
  if (seq.flow) {
    if (seq.items.length > 0 || seq.anchor || seq.tag || seq.comment || !last.key.range || lineStart(text, last.key.range[0]) !== last.key.range[0]) return {};
    const at = emptyFlowAt(text, last.key.range[1], seq, "[]");
    return at === undefined ? {} : { appendAt: 2, emptyListAt: at };
  }
  if (seq.items.length === 0 || text.slice(seq.range[0], seq.range[0] + 2) !== "- ") return {};
  return { appendAt: seq.range[0] - lineStart(text, seq.range[0]) };
}

/** The layout of killswitch.yml's `switches`, or undefined when edits to it must take the document path. */
export function switchesLayout(doc: Document, text: string): SwitchesLayout | undefined {
  const pair = topLevelPair(doc, text, "switches");
  const map = pair?.value;
  if (!pair || !isMap(map) || !isScalar(pair.key)) return undefined;
  if (map.flow) {
    if (map.items.length > 0 || map.comment) return undefined;
    const at = emptyFlowAt(text, pair.key.range![1], map, "{}");
    return at === undefined ? undefined : { items: [], emptyMapAt: at };
  }
  const items: SwitchesLayout["items"] = [];
  for (const item of map.items) {
    const key = item.key;
    const value = item.value as Node | null;
    if (!isScalar(key) || typeof key.value !== "string" || !key.range || !value?.range) return undefined;
    const start = key.range[0] - 2;
    if (start < 0 || lineStart(text, key.range[0]) !== start || text.slice(start, key.range[0]) !== "  ") return undefined;
    const end = restOfLineBlank(text, value.range[1]);
    if (end === undefined || (items.length > 0 && start < items.at(-1)!.end)) return undefined;
    items.push({ scope: key.value, start, end });
  }
  return items.length > 0 ? { items } : undefined;
}

/**
 * Rewrite `switches` in text: `pairs` gives, by scope, the new pair's lines (state-emit.ts
 * emitSwitchPair), `null` to remove the pair, or nothing to keep it as it is; scopes not in the text
 * are added after its last pair, in the order given. Returns the text and its layout, or undefined
 * when no switch would be left (an empty block map reads as null: the document path writes `{}`).
 */
export function spliceSwitches(text: string, layout: SwitchesLayout, pairs: ReadonlyMap<string, string | null>): { text: string; layout: SwitchesLayout } | undefined {
  const items: SwitchesLayout["items"] = [];
  const known = new Set(layout.items.map((i) => i.scope));
  let out: string;
  let rest: number;
  if (layout.emptyMapAt !== undefined) {
    out = `${text.slice(0, layout.emptyMapAt).trimEnd()}\n`;
    rest = restOfLineBlank(text, layout.emptyMapAt + 2)!;
  } else {
    out = "";
    rest = 0;
    for (const item of layout.items) {
      out += text.slice(rest, item.start);
      rest = item.end;
      const pair = pairs.get(item.scope);
      if (pair === null) continue;
      const lines = pair ?? text.slice(item.start, item.end);
      const start = out.length;
      out += lines.endsWith("\n") ? lines : `${lines}\n`;
      items.push({ scope: item.scope, start, end: out.length });
    }
  }
  for (const [scope, pair] of pairs) {
    if (known.has(scope) || pair === null) continue;
    if (out.length > 0 && !out.endsWith("\n")) out += "\n";
    const start = out.length;
    out += pair;
    items.push({ scope, start, end: out.length });
  }
  if (items.length === 0) return undefined;
  // every offset is in `out`, which the rest of the text follows unchanged
  return { text: out + text.slice(rest), layout: { items } };
}
