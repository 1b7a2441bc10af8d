/**
 * The one neutraliser for text a user wrote that Charter writes back (replies, status comments,
 * check summaries, pull request bodies, tables, Mermaid). Echoed text must not act in Charter's
 * name, so after it:
 *
 * - no @mention notifies anyone (`@` before a login or team gets a zero-width space);
 * - no HTML is live: `<` and `>` become entities, so no HTML comment, hence no Charter marker,
 *   and no `<details>` or `<img>` can hide or fake what follows;
 * - no table breaks out of its cell (`|` is escaped, line breaks become spaces inline);
 * - no control or bidirectional-override characters reorder or hide text;
 * - the text is cut to a length, counted in code points, with `…`.
 *
 * Every function here runs in one linear pass over at most `max` code points of input.
 */

/** GitHub's limit for a comment, an issue body or a check run summary. */
export const GITHUB_TEXT_LIMIT = 65_536;

const ZERO_WIDTH_SPACE = "\u200b";

/** C0/C1 controls except tab and newline, and the bidi controls (U+202A–202E, U+2066–2069, U+200E/F). */
function isHidden(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09 && code !== 0x0a) ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x200e ||
    code === 0x200f
  );
}

function isLoginStart(ch: string | undefined): boolean {
  return ch !== undefined && /^[A-Za-z0-9]$/.test(ch);
}

/** The first `max` code points of `text`, with `…` when it was longer. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  // max code points take at most 2 * max UTF-16 units: reading a little more tells if there is more.
  const head = text.slice(0, max * 2 + 2);
  const points = Array.from(head);
  if (points.length <= max && head.length === text.length) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join("")}…`;
}

function neutralise(text: string, max: number, inline: boolean): string {
  const capped = capText(text.replace(/\r\n?/g, "\n"), max);
  let out = "";
  // Hidden characters go first, so none can separate `@` from a login while we look ahead.
  const points = Array.from(capped).filter((ch) => !isHidden(ch.codePointAt(0)!));
  for (let i = 0; i < points.length; i++) {
    const ch = points[i]!;
    if (ch === "\n") {
      out += inline ? " " : "\n";
      continue;
    }
    switch (ch) {
      case "<":
        out += "&lt;";
        break;
      case ">":
        out += "&gt;";
        break;
      case "|":
        out += inline ? "\\|" : "|";
        break;
      case "@":
        out += isLoginStart(points[i + 1]) ? `@${ZERO_WIDTH_SPACE}` : "@";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

/**
 * User text for one line of Markdown Charter writes: a quote in a reply, a table cell, a title.
 * Line breaks become spaces.
 */
export function inlineUserText(text: string, max = 200): string {
  return neutralise(text, max, true);
}

/** User text kept on several lines (an update's text, a root cause): the same, with line breaks kept. */
export function blockUserText(text: string, max = 4_000): string {
  return neutralise(text, max, false);
}

/** A Markdown block quote of user text (`> …` on every line). */
export function quoteUserText(text: string, max = 200): string {
  return blockUserText(text, max)
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}
