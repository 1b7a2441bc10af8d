/**
 * Charter's own state nodes (a switch, a log entry) written as YAML text directly, for the edits
 * that splice text instead of writing the whole document again (src/core/killswitch/state-text.ts).
 *
 * Only values whose text reads back as exactly that value under YAML 1.2's core schema (the
 * loader's parser, src/load/yaml-document.ts) are written; anything else is declined (undefined)
 * and the caller takes the yaml library's path, which parses what it wrote back. The rules are
 * deliberately narrower than YAML allows, so each can be checked by reading it:
 * - a string is written plain only if it starts with a letter, digit or `_`, holds only printable
 *   ASCII other than `"` `\` `,` `[` `]` `{` `}`, has no `: `, ` #`, tab, two spaces in a row or a
 *   space or `:` at its end, and is not a word the core schema (or YAML 1.1 readers) resolve to
 *   something else (`null`, `true`, `no`, a number…);
 * - every other string is written double-quoted on one line: `"` and `\` escaped, every character
 *   outside the printable ranges (controls, DEL, C1, U+2028/U+2029, U+FEFF, lone surrogates) as
 *   `\uXXXX`; YAML decodes exactly these escapes and folds nothing on a single line;
 * - booleans as true/false, safe integers in decimal; lists and maps in flow style, two levels deep
 *   at most (an approval's roles); no null.
 * test/killswitch/state-emit.test.ts reads every rule's edge back with the loader's parser.
 */

const PLAIN_CHARS = /^[A-Za-z0-9_][\x20-\x7E]*$/;
const PLAIN_FORBIDDEN = /["\\,[\]{}\t]|: | #| {2}|[ :]$/;
/** Words YAML 1.2's core schema (or a YAML 1.1 reader, as a service may use) does not read as strings. */
const RESERVED_WORDS = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
/** Digit-first strings made only of characters numbers are written with (int, hex, octal, float, exponent, 1.1's sexagesimal and `_`). */
const NUMBER_LIKE = /^[0-9][0-9a-fA-FoxXeE.+_:-]*$/;
/** Characters written as they are inside double quotes; everything else is escaped. */
const RAW_IN_QUOTES = /[\x20-\x21\x23-\x5B\x5D-\x7E\u00A0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD]/;
/** The longest implicit key YAML allows is 1024 characters; Charter's keys are far shorter. */
const MAX_KEY = 1000;

function plainSafe(s: string): boolean {
  return PLAIN_CHARS.test(s) && !PLAIN_FORBIDDEN.test(s) && !RESERVED_WORDS.test(s) && !NUMBER_LIKE.test(s);
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = s.charCodeAt(i);
    if (c === '"') out += '\\"';
    else if (c === "\\") out += "\\\\";
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += c + s[i + 1]!; // a character beyond the BMP, written as it is
      i++;
    } else if (RAW_IN_QUOTES.test(c)) out += c;
    else out += `\\u${code.toString(16).padStart(4, "0").toUpperCase()}`;
  }
  return `${out}"`;
}

/** A scalar's text, or undefined when the value is not one this writer takes. */
export function emitScalar(value: unknown): string | undefined {
  if (typeof value === "string") return plainSafe(value) ? value : doubleQuoted(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

function emitKey(key: string): string | undefined {
  return key.length <= MAX_KEY && plainSafe(key) ? key : undefined;
}

/** A scalar, or a list or map in flow style (`[ a, b ]`, `{ k: v, l: [ a ] }`) nested at most `depth` deep. */
function emitFlowValue(value: unknown, depth = 2): string | undefined {
  if (depth === 0) return emitScalar(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items: string[] = [];
    for (const v of value) {
      const text = emitFlowValue(v, depth - 1);
      if (text === undefined) return undefined;
      items.push(text);
    }
    return `[ ${items.join(", ")} ]`;
  }
  if (value !== null && typeof value === "object") {
    const pairs: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const key = emitKey(k);
      const text = emitFlowValue(v, depth - 1);
      if (key === undefined || text === undefined) return undefined;
      pairs.push(`${key}: ${text}`);
    }
    return pairs.length === 0 ? "{}" : `{ ${pairs.join(", ")} }`;
  }
  return emitScalar(value);
}

/**
 * The lines of a block mapping at `indent` columns, each `key: value` (undefined fields left out),
 * every line ending with a newline; undefined when a value is not one this writer takes, or the map
 * has no field (an empty block map has no lines).
 */
function emitBlockMap(value: Record<string, unknown>, indent: number, firstPrefix?: string): string | undefined {
  const pad = " ".repeat(indent);
  let out = "";
  let first = true;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const key = emitKey(k);
    const text = emitFlowValue(v);
    if (key === undefined || text === undefined) return undefined;
    out += `${first && firstPrefix !== undefined ? firstPrefix : pad}${key}: ${text}\n`;
    first = false;
  }
  return first ? undefined : out;
}

/** `  <scope>:` and the switch's fields at column 4: one pair of the block map `switches`, whose keys are at column 2. */
export function emitSwitchPair(scope: string, value: Record<string, unknown>): string | undefined {
  const key = emitKey(scope);
  const body = emitBlockMap(value, 4);
  return key === undefined || body === undefined ? undefined : `  ${key}:\n${body}`;
}

/** `  - ` and the entry's fields (the rest at column 4): one item of a block list whose dashes are at column 2. */
export function emitListItem(value: Record<string, unknown>): string | undefined {
  return emitBlockMap(value, 4, "  - ");
}
