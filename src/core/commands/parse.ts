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
}

const COMMAND = /^\/([a-z][a-z0-9-]*)(?=\s|$)(.*)$/;
const MAX_COMMAND_LINE = 2_000;

/**
 * Find the command in a comment: its first non-blank line must start with `/name`, where the name
 * is a whole token (`/ack` is a command, `/acknowledge` is a different word and `/ack!` is none).
 * Anything else is not a command. Never throws, whatever the input.
 */
export function parseCommand(body: unknown): ParsedCommand | undefined {
  if (typeof body !== "string") return undefined;
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first < 0) return undefined;
  const line = lines[first]!.trim();
  if (line.length > MAX_COMMAND_LINE) return undefined;
  const m = COMMAND.exec(line);
  if (!m) return undefined;
  const text = (m[2] ?? "").trim();
  return {
    name: m[1]!,
    args: text === "" ? [] : text.split(/\s+/),
    text,
    details: lines.slice(first + 1).join("\n").trim(),
  };
}

/** The words after the first `n` arguments, as typed (for free-text reasons). */
export function restAfter(command: ParsedCommand, n: number): string {
  let rest = command.text;
  for (let i = 0; i < n; i++) rest = rest.replace(/^\S+\s*/, "");
  return rest.trim();
}
