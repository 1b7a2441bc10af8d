/**
 * Mermaid for drill reports. Every label is user text (role titles, notes, logins from the
 * governance files): it goes through THE neutraliser (`inlineUserText`: no mention notifies, no
 * HTML, no line break, capped), then through Mermaid's own escaping: every character that could
 * mean something to Mermaid or to the Markdown fence around it (`:`, `;`, `#`, `%`, backticks,
 * quotes, brackets, …) is written as Mermaid's entity code `#<decimal>;`, which Mermaid decodes
 * back into that character after parsing. So no label can end an event, start a directive or a
 * comment, or close the code fence.
 */
import { inlineUserText } from "../text/untrusted.js";

/** Characters that mean nothing to Mermaid's timeline grammar or to Markdown inside a fence. */
function isPlain(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    code === 0x20 || // space
    code === 0x2e || // .
    code === 0x2c || // ,
    code === 0x2b || // +
    code === 0x2d || // -
    code === 0x2f || // /
    code === 0x5f || // _
    code === 0x28 || // (
    code === 0x29 // )
  );
}

/** Mermaid's escaping: anything but plain characters as `#<decimal>;` (one pass). */
export function mermaidEscape(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += isPlain(code) ? ch : `#${code};`;
  }
  return out;
}

/** A label for a Mermaid diagram: neutralised, then escaped for Mermaid. */
export function mermaidLabel(text: string, max = 200): string {
  return mermaidEscape(inlineUserText(text, max));
}

export interface TimelinePeriod {
  period: string;
  events: string[];
}

/** A Mermaid `timeline` (title, then one period per instant with its events), labels escaped. */
export function mermaidTimeline(title: string, periods: readonly TimelinePeriod[]): string {
  const lines = ["timeline", `    title ${mermaidLabel(title)}`];
  for (const p of periods) {
    const events = p.events.length > 0 ? p.events : [""];
    lines.push(`    ${mermaidLabel(p.period)} : ${events.map((e) => mermaidLabel(e)).join(" : ")}`);
  }
  return lines.join("\n");
}
