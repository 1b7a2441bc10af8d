/**
 * Small one-pass scanners used instead of regular expressions that backtrack (`/[.!]+$/` costs
 * quadratic time on a long run of `.` followed by another character). Each function reads every
 * code unit of its input at most a constant number of times.
 */

/** Whether a UTF-16 code unit is whitespace as JavaScript's `\s` and `String#trim` define it. */
export function isSpaceCode(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** The index of the first non-whitespace code unit at or after `from` (`text.length` if none). */
export function skipSpace(text: string, from: number): number {
  if (from >= text.length || !isSpaceCode(text.charCodeAt(from))) return from;
  // String#trimStart removes exactly the characters isSpaceCode accepts, natively
  return text.length - text.slice(from).trimStart().length;
}

/** `text` without the run of characters from `chars` at its end: `trimEndOf("a.!", ".!")` is `a`. */
export function trimEndOf(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/** `text` without runs of characters from `chars` at either end. */
export function trimOf(text: string, chars: string): string {
  let start = 0;
  while (start < text.length && chars.includes(text[start]!)) start++;
  return trimEndOf(text.slice(start), chars);
}

/** `text` without whitespace and characters from `chars` at its end (`/[.\s]+$/` as a scan). */
export function trimEndSpaceAnd(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && (isSpaceCode(text.charCodeAt(end - 1)) || chars.includes(text[end - 1]!))) end--;
  return text.slice(0, end);
}

/**
 * Every line break, with the whitespace around it, as one space (what replacing the regular
 * expression `\s*\n\s*` with a space does, as one scan): for one line of a terminal table.
 */
export function joinLines(text: string): string {
  if (!text.includes("\n")) return text;
  const parts = text.split("\n");
  let out = parts[0]!.trimEnd();
  for (let i = 1; i < parts.length; i++) {
    const last = i === parts.length - 1;
    const part = last ? parts[i]!.trimStart() : parts[i]!.trim();
    if (!last && part === "") continue;
    out += ` ${part}`;
  }
  return out;
}
