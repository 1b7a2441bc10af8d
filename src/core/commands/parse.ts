import { MAX_BODY_UNITS, MAX_COMMAND_LINE, overCap, tooLongToRead } from "../text/limits.js";
import { isSpaceCode } from "../text/scan.js";

/** A slash command found at the start of a comment. */
export interface ParsedCommand {
  /** The command word without the slash, exactly as typed (lower-case), e.g. `ack`. */
  name: string;
  /** Whitespace-separated words after the name, on the command's line. */
  args: string[];
  /** Everything after the name on the command's line, trimmed. */
  text: string;
  /** The lines after the command's line, trimmed (free text such as an update's details). */
  details: string;
  /**
   * Set when the command is there but Charter does not read it (the comment is longer than GitHub
   * allows, or the command line is over {@link MAX_COMMAND_LINE}): the words of the refusal. Then
   * `args`, `text` and `details` are empty and nothing may run.
   */
  refused?: string;
}

/** How much of a comment is read: the whole comment, and its command line. */
export interface CommandLimits {
  body: number;
  line: number;
}

export const COMMAND_LIMITS: CommandLimits = { body: MAX_BODY_UNITS, line: MAX_COMMAND_LINE };

const isNameStart = (c: number) => c >= 0x61 && c <= 0x7a; // a-z
const isNameChar = (c: number) => isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d; // a-z 0-9 -

/** The command word at the start of a trimmed line: `/name` followed by whitespace or the end; else undefined. */
function commandName(line: string): string | undefined {
  if (line.charCodeAt(0) !== 0x2f || !isNameStart(line.charCodeAt(1))) return undefined;
  let i = 2;
  while (i < line.length && isNameChar(line.charCodeAt(i))) i++;
  if (i < line.length && !isSpaceCode(line.charCodeAt(i))) return undefined;
  return line.slice(1, i);
}

/**
 * Find the command in a comment: its first non-blank line must start with `/name`, where the name
 * is a whole token (`/ack` is a command, `/acknowledge` is a different word and `/ack!` is none).
 * Anything else is not a command. Never throws, whatever the input. Linear time: one pass over the
 * lines; a comment over `limits.body` or a command line over `limits.line` is a refused command.
 */
export function parseCommand(body: unknown, limits: CommandLimits = COMMAND_LIMITS): ParsedCommand | undefined {
  if (typeof body !== "string") return undefined;
  const tooLong = overCap(body, limits.body);
  // Over the cap, only the start is looked at, to answer the command (if it is one) with a refusal.
  const text = (tooLong ? body.slice(0, limits.body) : body).replace(/\r\n?/g, "\n");
  let start = 0;
  let end = text.indexOf("\n");
  while (text.slice(start, end < 0 ? undefined : end).trim() === "") {
    if (end < 0) return undefined;
    start = end + 1;
    end = text.indexOf("\n", start);
  }
  const line = text.slice(start, end < 0 ? undefined : end).trim();
  const name = commandName(line);
  if (name === undefined) return undefined;
  if (tooLong) return { name, args: [], text: "", details: "", refused: tooLongToRead("the comment") };
  if (overCap(line, limits.line)) return { name, args: [], text: "", details: "", refused: `the command line is longer than ${limits.line.toLocaleString("en")} characters, so Charter does not read it` };
  const rest = line.slice(name.length + 1).trim();
  return {
    name,
    args: rest === "" ? [] : rest.split(/\s+/),
    text: rest,
    details: end < 0 ? "" : text.slice(end + 1).trim(),
  };
}

/** The words after the first `n` arguments, as typed (for free-text reasons). */
export function restAfter(command: ParsedCommand, n: number): string {
  let rest = command.text;
  for (let i = 0; i < n; i++) rest = rest.replace(/^\S+\s*/, "");
  return rest.trim();
}
