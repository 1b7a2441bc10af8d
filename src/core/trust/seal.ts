/**
 * Sealed markers: what Charter writes into its own comments and pull requests to remember state
 * carries an HMAC that only Charter can compute. Anyone with write access can edit a comment or a
 * pull request body, Charter's included, and anyone can copy a marker; a seal bound to where the
 * marker lives (repository, issue or pull request, kind) makes an edited or copied marker
 * worthless.
 *
 * Keys are inputs (the adapter derives them from the app's secrets); hashing is computation, not
 * I/O, so this stays in the pure core.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface SealKeys {
  /** The key new seals are made with; undefined when Charter has no secret (advisory mode). */
  current: Uint8Array | undefined;
  /** Keys whose seals are still accepted (current first, then retired ones during a rotation). */
  accepted: readonly Uint8Array[];
}

export const NO_SEAL_KEYS: SealKeys = { current: undefined, accepted: [] };

/** The seal Charter writes when it has no key: never accepted where a key exists. */
export const UNSEALED = "unsealed";

const SEAL_LENGTH = 32;

function mac(key: Uint8Array, scope: string, payload: string): string {
  return createHmac("sha256", key).update(scope).update("\n").update(payload).digest("base64url").slice(0, SEAL_LENGTH);
}

/**
 * The seal of `payload` where it lives. `scope` names the place, e.g. `incident:acme/api#12`,
 * so a marker copied to another issue or repository does not verify.
 */
export function seal(keys: SealKeys, scope: string, payload: string): string {
  return keys.current ? mac(keys.current, scope, payload) : UNSEALED;
}

export type SealCheck = "valid" | "invalid" | "unsealed-accepted";

/**
 * Seals already found valid, per keys object: the same marker read again (a pull request's
 * description at each evaluation, an incident's state comment at each command) is not hashed
 * again. Only valid seals are remembered, so text nobody sealed never enters it; the key holds
 * scope, payload and seal whole (a different byte is a different entry, hashed as before).
 * Bounded; the oldest entry goes first.
 */
export const MAX_VERIFIED_SEALS = 1000;
const verified = new WeakMap<SealKeys, Set<string>>();
function verifiedFor(keys: SealKeys): Set<string> {
  let known = verified.get(keys);
  if (!known) {
    known = new Set();
    verified.set(keys, known);
  }
  return known;
}

/**
 * Whether `sealValue` seals `payload` at `scope`. With no keys at all (advisory mode) an
 * `unsealed` marker is accepted and said so; with keys, only a matching seal is.
 */
export function checkSeal(keys: SealKeys, scope: string, payload: string, sealValue: string | undefined): SealCheck {
  if (keys.accepted.length === 0) return sealValue === UNSEALED ? "unsealed-accepted" : "invalid";
  if (sealValue === undefined || sealValue.length !== SEAL_LENGTH) return "invalid";
  const known = verifiedFor(keys);
  const memo = `${scope.length}:${scope}${sealValue}${payload}`;
  if (known.has(memo)) return "valid";
  const given = Buffer.from(sealValue);
  for (const key of keys.accepted) {
    const want = Buffer.from(mac(key, scope, payload));
    if (want.length === given.length && timingSafeEqual(want, given)) {
      if (known.size >= MAX_VERIFIED_SEALS) known.delete(known.values().next().value as string);
      known.add(memo);
      return "valid";
    }
  }
  return "invalid";
}
