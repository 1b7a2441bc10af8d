/**
 * The on-call calendar's access token: a per-repository secret derived from Charter's seal key,
 * `GET /oncall.ics?repo=acme/ingestion&token=…`. It needs no storage and is the same on every
 * replica (they share the seal key); it grants that repository's calendar only; it is revoked
 * for every repository by rotating CHARTER_SEAL_KEYS (a retired key's tokens keep working while
 * the key is still listed, so URLs can be handed out again first).
 */
import { checkSeal, seal, type SealKeys } from "../trust/seal.js";

const scope = (repoFullName: string) => `calendar:${repoFullName.toLowerCase()}`;
const PAYLOAD = "oncall.ics";

/** The token for `repo`, or undefined when Charter has no seal key (advisory mode serves no calendar). */
export function calendarToken(keys: SealKeys, repoFullName: string): string | undefined {
  if (!keys.current) return undefined;
  return seal(keys, scope(repoFullName), PAYLOAD);
}

/** Whether `token` opens `repo`'s calendar (constant-time; never with no keys). */
export function calendarTokenValid(keys: SealKeys, repoFullName: string, token: string | undefined): boolean {
  if (!keys.current || token === undefined) return false;
  return checkSeal(keys, scope(repoFullName), PAYLOAD, token) === "valid";
}
