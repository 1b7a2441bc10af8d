/**
 * The subjects (an incident, a pull request, a repository's log) on which a write of this process
 * ended with an unknown outcome. While one is marked (30 minutes), every keyed create about it
 * looks for its key before writing: the retried job that follows may find objects the failed
 * attempt created after all (a review issue opened before the write that failed). Nothing else
 * looks first, so a write that succeeds costs no extra request. Bounded; a process that restarts
 * forgets, and the retried job then relies on the lookup after its own unknown outcomes and on the
 * records GitHub holds (incident markers, log entry ids).
 */
import { Lru } from "../signoff/lru.js";

const TTL_MS = 30 * 60_000;
const MAX = 5_000;
let marked = new Lru<string, number>(MAX);

export function markUncertain(subject: string, nowMs = Date.now()): void {
  marked.set(subject, nowMs + TTL_MS);
}

export function isUncertain(subject: string, nowMs = Date.now()): boolean {
  const until = marked.get(subject);
  if (until === undefined) return false;
  if (until > nowMs) return true;
  marked.delete(subject);
  return false;
}

/** Tests: forget everything (a fresh process). */
export function forgetUncertain(): void {
  marked = new Lru<string, number>(MAX);
}
