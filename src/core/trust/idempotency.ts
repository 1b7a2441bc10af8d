/**
 * Idempotency keys: every comment, issue and pull request Charter creates carries a hidden, sealed
 * key derived from the decision that made it (the incident, the step, the command's comment id),
 * so that after an unknown outcome (GitHub answered 5xx, or never answered, a write it may have
 * applied) Charter can look for what it wrote before writing it again.
 *
 *     <!-- charter:key incident/resolve/c901 seal=… -->
 *
 * The seal binds the key to where the object lives (the repository and the issue a comment is
 * on; the repository for a new issue), so a key copied elsewhere does not verify, and only
 * Charter can make one: a person who writes a marker by hand (or copies Charter's) cannot make
 * Charter believe it already wrote something. Readers also count only objects Charter authored.
 */
import { overCap, MAX_BODY_UNITS } from "../text/limits.js";
import { checkSeal, seal, type SealKeys } from "./seal.js";

/** Where a key lives: `<owner>/<repo>#<issue>` for a comment, `<owner>/<repo>#new-issue` for an issue, `<owner>/<repo>#pull:<branch>` for a pull request. */
export function keyScope(repoFullName: string, where: number | "new-issue" | { pull: string }): string {
  const place = typeof where === "number" ? String(where) : where === "new-issue" ? "new-issue" : `pull:${where.pull}`;
  return `key:${repoFullName.toLowerCase()}#${place}`;
}

const OPEN = "<!-- charter:key ";
const CLOSE = " -->";
/** The longest key: keys are made by Charter from ids and names, never from free text. */
export const MAX_KEY = 200;

const KEY_CHARS = /^[A-Za-z0-9._:/@+=-]+$/;

/** A key made safe: characters outside the key alphabet become `_`, capped. */
export function cleanKey(key: string): string {
  let out = "";
  for (const ch of key.slice(0, MAX_KEY)) out += KEY_CHARS.test(ch) ? ch : "_";
  return out || "_";
}

/** The sealed marker carrying `key` at `scope`. */
export function encodeKey(key: string, keys: SealKeys, scope: string): string {
  const k = cleanKey(key);
  return `${OPEN}${k} seal=${seal(keys, scope, k)}${CLOSE}`;
}

/** `body` with the key's marker appended on its own line. */
export function withKey(body: string, key: string, keys: SealKeys, scope: string): string {
  return `${body.trimEnd()}\n\n${encodeKey(key, keys, scope)}`;
}

/**
 * Every key in `body` whose seal verifies at `scope` (one linear pass; a body over GitHub's cap
 * has none). Forged, copied or edited markers are not returned.
 */
export function keysIn(body: string | null | undefined, keys: SealKeys, scope: string): string[] {
  if (!body || overCap(body, MAX_BODY_UNITS)) return [];
  const found: string[] = [];
  let from = 0;
  for (;;) {
    const start = body.indexOf(OPEN, from);
    if (start < 0) break;
    const end = body.indexOf(CLOSE, start + OPEN.length);
    if (end < 0) break;
    from = end + CLOSE.length;
    const inner = body.slice(start + OPEN.length, end);
    if (inner.length > MAX_KEY + 60) continue;
    const space = inner.indexOf(" seal=");
    if (space <= 0) continue;
    const key = inner.slice(0, space);
    const sealValue = inner.slice(space + " seal=".length);
    if (!KEY_CHARS.test(key) || key.length > MAX_KEY) continue;
    if (checkSeal(keys, scope, key, sealValue) === "invalid") continue;
    found.push(key);
  }
  return found;
}

/** Whether `body` carries `key`, sealed at `scope`. */
export function hasKey(body: string | null | undefined, key: string, keys: SealKeys, scope: string): boolean {
  if (!body || body.indexOf(OPEN) < 0) return false;
  return keysIn(body, keys, scope).includes(cleanKey(key));
}
