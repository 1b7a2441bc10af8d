/**
 * The words of `/swap @a @b <from> <to>` and `/override <from> <to> [@who] [<schedule>/<tier>]
 * [urgent <reason…>]`. Each word is checked on its own, in one pass (the command line itself is
 * capped by the command parser); nothing here reads time zones: the instants are read by the
 * planner, in the zone of the schedule they concern.
 */
import { inlineUserText } from "../../text/untrusted.js";

export const SWAP_USAGE = "/swap @a @b <from> <to>";
export const OVERRIDE_USAGE = "/override <from> <to> [@who] [<schedule>/<tier>] [urgent <reason…>] | /override approve";

const MAX_LOGIN = 39;

const isAlnum = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** Whether `login` is a GitHub login: letters, digits and single inner dashes, at most 39. */
export function isLogin(login: string): boolean {
  if (login.length === 0 || login.length > MAX_LOGIN) return false;
  for (let i = 0; i < login.length; i++) {
    const c = login.charCodeAt(i);
    if (isAlnum(c)) continue;
    if (c === 0x2d && i > 0 && i < login.length - 1 && login.charCodeAt(i + 1) !== 0x2d) continue;
    return false;
  }
  return true;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** `@alice` → `alice`. */
export function mentionArg(word: string | undefined, what: string): Parsed<string> {
  if (word === undefined) return { ok: false, message: `${what} is missing` };
  if (word[0] !== "@" || !isLogin(word.slice(1))) return { ok: false, message: `\`${inlineUserText(word, 60)}\` is not a person: write ${what} as \`@login\`` };
  return { ok: true, value: word.slice(1) };
}

export interface SwapArgs {
  a: string;
  b: string;
  from: string;
  to: string;
}

export function parseSwapArgs(args: readonly string[]): Parsed<SwapArgs> {
  if (args.length !== 4) return { ok: false, message: `\`/swap\` takes two people and two instants: \`${SWAP_USAGE}\`` };
  const a = mentionArg(args[0], "the first person");
  if (!a.ok) return a;
  const b = mentionArg(args[1], "the second person");
  if (!b.ok) return b;
  if (a.value.toLowerCase() === b.value.toLowerCase()) return { ok: false, message: `a swap needs two different people, not @${a.value} twice` };
  return { ok: true, value: { a: a.value, b: b.value, from: args[2]!, to: args[3]! } };
}

export interface OverrideArgs {
  from: string;
  to: string;
  who?: string;
  tier?: { schedule: string; tier: string };
  /** `urgent <reason…>`: the reason (words after `urgent`). */
  urgent?: string;
}

const isIdChar = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d;

function isId(s: string): boolean {
  if (s.length === 0 || s.length > 100) return false;
  for (let i = 0; i < s.length; i++) if (!isIdChar(s.charCodeAt(i))) return false;
  return true;
}

/** `args` after the command word; `text` is the command's text (for the reason, as typed). */
export function parseOverrideArgs(args: readonly string[], reasonAfter: (n: number) => string): Parsed<OverrideArgs> {
  if (args.length < 2) return { ok: false, message: `\`/override\` takes two instants: \`${OVERRIDE_USAGE}\`` };
  const out: OverrideArgs = { from: args[0]!, to: args[1]! };
  for (let i = 2; i < args.length; i++) {
    const word = args[i]!;
    if (word === "urgent") {
      const reason = reasonAfter(i + 1);
      if (reason === "") return { ok: false, message: "an urgent override needs a reason after `urgent`: it is recorded in `governance/state/log.yml`" };
      out.urgent = reason;
      break;
    }
    if (word[0] === "@" && out.who === undefined) {
      const who = mentionArg(word, "who takes the shift");
      if (!who.ok) return who;
      out.who = who.value;
      continue;
    }
    const slash = word.indexOf("/");
    if (slash > 0 && out.tier === undefined && isId(word.slice(0, slash)) && isId(word.slice(slash + 1))) {
      out.tier = { schedule: word.slice(0, slash), tier: word.slice(slash + 1) };
      continue;
    }
    return { ok: false, message: `\`${inlineUserText(word, 60)}\` is not understood here: \`${OVERRIDE_USAGE}\`` };
  }
  return { ok: true, value: out };
}
