import type { Governance } from "../../core/model/governance.js";
import type { IncidentState } from "../../core/incidents/state.js";
import { DEFAULT_GOVERNANCE_SNAPSHOTS, GovernanceCache } from "../governance.js";
import { Lru } from "../signoff/lru.js";

/** What this process last knew of an incident's status comment. */
export interface StatusEntry {
  commentId: number;
  state: IncidentState;
  /** The comment body as last read or written (an unchanged body is not rewritten). */
  body: string;
  /**
   * The issue's comment count when the state was last known to be current (sweeps only). A sweep
   * that lists the issue with the same count, before the state's next due instant, skips it.
   */
  stamp?: number;
}

const MAX_ENTRIES = 5_000;

/**
 * In-process caches for incidents. They only save requests: everything is recovered from GitHub
 * when they are empty (a restart) or stale (another process wrote).
 */
export class IncidentCaches {
  readonly #status = new Map<string, StatusEntry>();
  /** Repositories (and incidents.yml label sets) whose labels are known to exist. */
  readonly labels = new Set<string>();
  /**
   * The last valid governance per repository, used while the default branch's is invalid; for as
   * many repositories as the governance cache keeps snapshots of, the least recently used first
   * forgotten (a model is large: kept for every repository, it undid that cache's bound).
   */
  readonly #lastGood: Lru<string, Governance>;
  constructor(lastGoodLimit = DEFAULT_GOVERNANCE_SNAPSHOTS) {
    this.#lastGood = new Lru(Math.max(1, lastGoodLimit));
  }

  rememberGood(repoKey: string, g: Governance): void {
    this.#lastGood.set(repoKey, g);
  }
  lastGood(repoKey: string): Governance | undefined {
    return this.#lastGood.get(repoKey);
  }
  /** Public reports (issues by people without access) already answered by this process. */
  readonly #publicAnswered = new Set<string>();

  /** Remember that a public report was answered; false when it already was. */
  answerPublic(key: string): boolean {
    if (this.#publicAnswered.has(key)) return false;
    this.#publicAnswered.add(key);
    if (this.#publicAnswered.size > MAX_ENTRIES) this.#publicAnswered.delete(this.#publicAnswered.values().next().value as string);
    return true;
  }

  /** Incidents this process knows to be open (unresolved in Charter's record), for the sweep. */
  openIncidents(repoKey: string): number[] {
    const prefix = `${repoKey.toLowerCase()}#`;
    const out: number[] = [];
    for (const [key, entry] of this.#status) if (key.startsWith(prefix) && entry.state.resolution === undefined) out.push(entry.state.issue);
    return out;
  }

  status(key: string): StatusEntry | undefined {
    return this.#status.get(key);
  }
  setStatus(key: string, entry: StatusEntry): void {
    this.#status.delete(key);
    if (this.#status.size >= MAX_ENTRIES) this.#status.delete(this.#status.keys().next().value as string);
    this.#status.set(key, entry);
  }
  forget(key: string): void {
    this.#status.delete(key);
  }
}

const byOwner = new WeakMap<object, IncidentCaches>();

/** The caches that belong to `owner` (the app's GovernanceCache: one per app instance). */
export function incidentCaches(owner: object): IncidentCaches {
  let c = byOwner.get(owner);
  if (!c) {
    c = new IncidentCaches(owner instanceof GovernanceCache ? owner.snapshotLimit : undefined);
    byOwner.set(owner, c);
  }
  return c;
}

export function incidentKey(repo: { owner: string; repo: string }, issue: number): string {
  return `${repo.owner}/${repo.repo}#${issue}`.toLowerCase();
}
