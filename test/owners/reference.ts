/**
 * A straightforward reference matcher for OWNERS patterns, written from the rules as GitHub and
 * gitignore state them, with no concern for speed (it tries every split of the path). The fast
 * matcher (src/core/owners/pattern.ts, segments without regular expressions, greedy with resume
 * points) and the OWNERS index must agree with it on every pattern and path.
 *
 * The rules:
 * 1. `/` separates segments (an escaped `\/` too, as in git). A leading `/` or a `/` in the
 *    middle anchors the pattern at the root; otherwise it may start at any directory level.
 * 2. A trailing `/` means the pattern names directories only.
 * 3. A pattern matches a path when it matches the whole path, or one of its leading directories
 *    (then it owns everything inside): directories only for a trailing `/`, and only the whole
 *    path when the last segment is just `*` (GitHub: `docs/*` is one level).
 * 4. A segment of two or more `*` matches zero or more segments; as the last segment of a pattern
 *    without a trailing `/`, one or more (`abc/**` is what is inside `abc`).
 * 5. Within a segment: `*` any run, `?` one character, `\x` the character x; a pattern ending in a
 *    lone backslash matches nothing.
 */

function splitPattern(pattern: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === "\\" && i + 1 < pattern.length) {
      if (pattern[i + 1] === "/") {
        out.push(cur);
        cur = "";
      } else cur += pattern[i]! + pattern[i + 1]!;
      i++;
    } else if (pattern[i] === "/") {
      out.push(cur);
      cur = "";
    } else cur += pattern[i];
  }
  out.push(cur);
  return out;
}

const isGlobstar = (s: string) => /^\*{2,}$/.test(s);

function segmentRegex(seg: string): RegExp | undefined {
  let re = "";
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === "\\") {
      if (i + 1 >= seg.length) return undefined;
      const ch = String.fromCodePoint(seg.codePointAt(i + 1)!);
      re += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      i += ch.length;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "u");
}

function segmentsMatch(pat: readonly string[], parts: readonly string[], trailingOneOrMore: boolean): boolean {
  if (pat.length === 0) return parts.length === 0;
  const [head, ...rest] = pat as [string, ...string[]];
  if (isGlobstar(head)) {
    if (rest.length === 0 && trailingOneOrMore) return parts.length >= 1;
    for (let k = 0; k <= parts.length; k++) if (segmentsMatch(rest, parts.slice(k), trailingOneOrMore)) return true;
    return false;
  }
  const re = segmentRegex(head);
  return re !== undefined && parts.length > 0 && re.test(parts[0]!) && segmentsMatch(rest, parts.slice(1), trailingOneOrMore);
}

export function referenceMatches(pattern: string, path: string): boolean {
  let pat = splitPattern(pattern);
  const leading = pat.length > 1 && pat[0] === "";
  if (leading) pat = pat.slice(1);
  const dirOnly = pat.length > 1 && pat.at(-1) === "";
  if (dirOnly) pat = pat.slice(0, -1);
  if (pat.some((s) => s.endsWith("\\") && !s.endsWith("\\\\") && segmentRegex(s) === undefined)) return false;
  const anchored = leading || pat.length > 1;
  const loneStarLast = !dirOnly && pat.at(-1) === "*";
  if (!anchored) pat = ["**", ...pat];
  const parts = path.replace(/^\/+/, "").split("/");
  for (let e = 1; e <= parts.length; e++) {
    if (dirOnly && e === parts.length) continue;
    if (loneStarLast && e < parts.length) continue;
    if (segmentsMatch(pat, parts.slice(0, e), !dirOnly)) return true;
  }
  return false;
}
