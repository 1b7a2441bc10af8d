/**
 * How much user text Charter reads. Every parser of user text checks the length first and reads
 * nothing of a text over its cap (fail closed: nothing ticked, no field filled, no command run, no
 * form answer taken), and its caller says so in words. The parsers themselves run in linear time
 * (no backtracking regular expression; `test/parsing/redos.test.ts` checks every RegExp in src/),
 * so the caps bound the cost of one event; they do not make a slow parser fast.
 */

/**
 * GitHub keeps at most 65,536 characters in an issue or pull request body and in a comment. It
 * counts characters, and one character can take two UTF-16 code units in JavaScript, so a body
 * GitHub accepted is at most 131,072 code units long: anything longer did not come from GitHub.
 */
export const GITHUB_BODY_CHARACTERS = 65_536;
export const MAX_BODY_UNITS = 2 * GITHUB_BODY_CHARACTERS;

/** The longest command line (the first non-blank line of a comment) Charter reads. */
export const MAX_COMMAND_LINE = 2_000;

/**
 * The longest file path of a pull request Charter matches against OWNERS (Linux's PATH_MAX; git
 * itself sets no limit). A pull request with a longer path cannot be told who owns it: its check
 * refuses it.
 */
export const MAX_PATH_UNITS = 4_096;

/**
 * The longest state file (`governance/state/*.yml`) Charter reads from a pull request's head: what
 * GitHub's contents API serves inline (1 MB). A pull request proposing a longer one is refused.
 */
export const MAX_STATE_FILE_UNITS = 1 << 20;

/**
 * The longest governance file (roles.yml, OWNERS, …) a pull request may propose for Charter to read
 * for the impact preview (256 KiB: D9's largest file is 12 KB; a few thousand roles fit). A longer
 * one is named in the preview, unread: the validator and the comparison take seconds of CPU on a
 * file this long, and anyone who can open a pull request can push one on every commit.
 */
export const MAX_GOVERNANCE_FILE_UNITS = 1 << 18;

/** The longest duration (`1h30m`) Charter reads. */
export const MAX_DURATION_CHARS = 64;

/** Whether `text` is longer than `max` UTF-16 code units (what String#length counts). */
export function overCap(text: string, max: number): boolean {
  return text.length > max;
}

/** The words a caller says when a body, description or comment is over its cap. */
export function tooLongToRead(what: string): string {
  return `${what} is longer than GitHub allows (${GITHUB_BODY_CHARACTERS.toLocaleString("en")} characters), so Charter does not read it`;
}
