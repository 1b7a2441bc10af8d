// The OWNERS pattern language: GitHub's CODEOWNERS, which follows gitignore's pattern format with
// GitHub's exceptions. A pattern is compiled once into segments and matched without regular
// expressions, in time proportional to the pattern's length times the path's (no backtracking
// blow-up, whatever file names a pull request brings).
//
// The rules, each with the example it is tested on (test/owners/patterns.test.ts):
// - `/` separates directories. A pattern with a `/` at the start or in the middle is anchored at
//   the repository root (`/docs`, `docs/api`); otherwise it matches at any depth (`*.js`, `apps/`).
// - A pattern that matches a directory owns everything inside it (`/db/migrations`, `f*` owns
//   `foo/bar`), except that a last segment of just `*` matches one level only: `docs/*` owns
//   `docs/a.md`, not `docs/build/b.md` (GitHub's documented example).
// - A trailing `/` matches directories only: `apps/` owns what is inside any `apps` directory,
//   not a file called `apps`.
// - `*` matches any run of characters but `/`, `?` one character but `/`.
// - `**` as a whole segment matches across directories: a leading `**/` any leading directories,
//   `/**/` zero or more directories (`a/**/b` owns `a/b`, `a/x/y/b`; `foo/**/` owns
//   `foo/bar`), a trailing `/**` everything inside. Elsewhere `**` is a plain `*`.
// - A backslash makes the next character literal: `f\*o` owns only `f*o`, `\*` only a file named
//   `*`, `my\ file` a name with a space.
// - Paths are case-sensitive, as on GitHub.

type Token = { kind: "star" } | { kind: "one" } | { kind: "text"; text: string };

type Segment =
  /** Zero or more whole path segments (`**`). */
  | { kind: "any-depth" }
  /** Exactly one path segment, whatever its name. */
  | { kind: "one-segment" }
  /** One path segment matching a glob. `literal` when the glob has no wildcard. */
  | { kind: "glob"; tokens: Token[]; literal?: string };

export interface CompiledPattern {
  /** The pattern as written. */
  source: string;
  /** Anchored at the repository root (a leading `/` or a `/` in the middle). */
  anchored: boolean;
  segments: Segment[];
  /** Leading literal directory names of an anchored pattern (for the OWNERS index). */
  literalPrefix: string[];
  /** A pattern that can match nothing (e.g. it ends with a lone backslash). */
  never: boolean;
}

const ANY_DEPTH: Segment = { kind: "any-depth" };
const ONE_SEGMENT: Segment = { kind: "one-segment" };

/** Split on `/`, keeping backslash escapes in each part (an escaped `/` still separates, as in git). */
function splitSegments(pattern: string): string[] {
  const out: string[] = [];
  let current = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\" && i + 1 < pattern.length && pattern[i + 1] !== "/") {
      current += c + pattern[i + 1];
      i++;
    } else if (c === "/" || (c === "\\" && pattern[i + 1] === "/")) {
      if (c === "\\") i++;
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out;
}

/** A segment as written (escapes kept) → its glob tokens, or undefined when it ends with a lone backslash. */
function globTokens(raw: string): Token[] | undefined {
  const tokens: Token[] = [];
  const text = (t: string) => {
    const last = tokens.at(-1);
    if (last?.kind === "text") last.text += t;
    else tokens.push({ kind: "text", text: t });
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === "\\") {
      if (i + 1 >= raw.length) return undefined;
      const code = raw.codePointAt(i + 1)!;
      const ch = String.fromCodePoint(code);
      text(ch);
      i += ch.length;
    } else if (c === "*") {
      if (tokens.at(-1)?.kind !== "star") tokens.push({ kind: "star" });
    } else if (c === "?") tokens.push({ kind: "one" });
    else text(c);
  }
  return tokens;
}

const isGlobstar = (raw: string) => raw.length >= 2 && [...raw].every((c) => c === "*");

/** Compile a pattern (as written in OWNERS, escapes included). Never throws. */
export function compilePattern(pattern: string): CompiledPattern {
  const parts = splitSegments(pattern);
  const leading = parts.length > 1 && parts[0] === "";
  if (leading) parts.shift();
  const directoryOnly = parts.length > 1 && parts.at(-1) === "";
  if (directoryOnly) parts.pop();
  const anchored = leading || parts.length > 1;
  let never = false;
  const segments: Segment[] = parts.map((raw) => {
    if (isGlobstar(raw)) return ANY_DEPTH;
    const tokens = globTokens(raw);
    if (tokens === undefined) {
      never = true;
      return { kind: "glob", tokens: [] };
    }
    const only = tokens.length === 1 ? tokens[0]! : undefined;
    return only?.kind === "text" ? { kind: "glob", tokens, literal: only.text } : tokens.length === 0 ? { kind: "glob", tokens, literal: "" } : { kind: "glob", tokens };
  });
  const lastRaw = parts.at(-1);
  // `**/` is any directory: at least one segment, not the root
  if (directoryOnly && segments.every((s) => s === ANY_DEPTH)) segments.unshift(ONE_SEGMENT);
  if (directoryOnly) segments.push(ONE_SEGMENT, ANY_DEPTH); // something inside the directory
  else if (segments.at(-1) === ANY_DEPTH) segments.push(ONE_SEGMENT, ANY_DEPTH); // trailing `/**`: one or more
  else if (lastRaw !== "*") segments.push(ANY_DEPTH); // the path, or anything inside it
  if (!anchored) segments.unshift(ANY_DEPTH);
  const literalPrefix: string[] = [];
  if (anchored) {
    for (const s of segments) {
      if (s.kind !== "glob" || s.literal === undefined || s.literal === "") break;
      literalPrefix.push(s.literal);
    }
  }
  return { source: pattern, anchored, segments: collapse(segments), literalPrefix, never };
}

/** `**` next to `**` is one `**`. */
function collapse(segments: Segment[]): Segment[] {
  return segments.filter((s, i) => !(s === ANY_DEPTH && segments[i - 1] === ANY_DEPTH));
}

/** Length of the character at `i` (a surrogate pair is one character). */
function charLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
}

/** Whether one path segment matches glob tokens: `*` any run, `?` one character, text literally. */
export function globMatches(tokens: readonly Token[], s: string): boolean {
  let t = 0;
  let i = 0;
  let starT = -1;
  let starI = 0;
  while (i < s.length) {
    const tok = tokens[t];
    if (tok?.kind === "star") {
      starT = t++;
      starI = i;
      continue;
    }
    if (tok?.kind === "one") {
      i += charLength(s, i);
      t++;
      continue;
    }
    if (tok?.kind === "text" && s.startsWith(tok.text, i)) {
      i += tok.text.length;
      t++;
      continue;
    }
    if (starT < 0) return false;
    t = starT + 1;
    starI += charLength(s, starI);
    i = starI;
  }
  while (tokens[t]?.kind === "star") t++;
  return t === tokens.length;
}

function segmentMatches(segment: Segment, name: string): boolean {
  if (segment.kind === "one-segment") return true;
  if (segment.kind !== "glob") return false;
  return segment.literal !== undefined ? segment.literal === name : globMatches(segment.tokens, name);
}

/**
 * Whether a compiled pattern matches a path given as its segments (`["docs", "a.md"]`). Greedy
 * with one resume point per `**`, as wildcard matching is done in linear space.
 */
export function matchesSegments(compiled: CompiledPattern, path: readonly string[]): boolean {
  if (compiled.never) return false;
  const pat = compiled.segments;
  let p = 0;
  let i = 0;
  let starP = -1;
  let starI = 0;
  while (i < path.length) {
    const seg = pat[p];
    if (seg === ANY_DEPTH) {
      starP = p++;
      starI = i;
      continue;
    }
    if (seg !== undefined && segmentMatches(seg, path[i]!)) {
      p++;
      i++;
      continue;
    }
    if (starP < 0) return false;
    p = starP + 1;
    i = ++starI;
  }
  while (pat[p] === ANY_DEPTH) p++;
  return p === pat.length;
}

/** A repository path as segments, without leading slashes. */
export function pathSegments(path: string): string[] {
  let start = 0;
  while (path[start] === "/") start++;
  return path.slice(start).split("/");
}

/**
 * Why a pattern is refused, or undefined. The gitignore features GitHub's CODEOWNERS does not
 * support are errors rather than silently different: negation (`!`), character ranges (`[ ]`) and
 * escaping a leading `#` (`\#`); and a pattern cannot end with a lone backslash.
 */
export function patternProblem(pattern: string): { message: string; hint: string } | undefined {
  if (pattern.startsWith("!")) return { message: "negated patterns (`!`) are not supported, as in GitHub's CODEOWNERS", hint: "list the paths that should have owners instead" };
  if (pattern.startsWith("\\#")) return { message: "a leading `#` cannot be escaped (`\\#`), as in GitHub's CODEOWNERS", hint: "match the `#` with `?`, e.g. `?notes.md` for `#notes.md`" };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      if (i + 1 >= pattern.length) return { message: "a pattern cannot end with a lone backslash", hint: "write `\\\\` for a literal backslash" };
      i++;
    } else if (c === "[" || c === "]") {
      return { message: "character ranges (`[ ]`) are not supported, as in GitHub's CODEOWNERS", hint: "write one line per alternative, or `\\[` for a literal bracket" };
    }
  }
  return undefined;
}
