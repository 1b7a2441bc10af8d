/**
 * Members of `org/team` teams named in roles.yml and OWNERS, cached per team. Membership events
 * invalidate a team; entries also expire after a while so a missed event heals by itself.
 */
import type { TeamMembers } from "../../core/roles/resolve.js";
import { httpStatus, type GitHubClient } from "../client.js";
import { Lru } from "./lru.js";

export class TeamMembersCache {
  readonly #entries: Lru<string, { members: string[]; at: number }>;
  constructor(
    readonly ttlMs = 15 * 60_000,
    max = 500,
  ) {
    this.#entries = new Lru(max);
  }
  get(team: string, now: Date): string[] | undefined {
    const e = this.#entries.get(team.toLowerCase());
    if (!e || now.getTime() - e.at >= this.ttlMs) return undefined;
    return e.members;
  }
  set(team: string, members: string[], now: Date): void {
    this.#entries.set(team.toLowerCase(), { members, at: now.getTime() });
  }
  invalidate(team: string): void {
    this.#entries.delete(team.toLowerCase());
    this.#reading.delete(team.toLowerCase());
  }
  /** Reads in flight by team: evaluations running together (a batch re-evaluation) read a team once. */
  readonly #reading = new Map<string, Promise<string[]>>();
  /** The team's members: the cached list, the read already in flight, or `read` (remembered once done). */
  members(team: string, now: Date, read: () => Promise<string[]>): Promise<string[]> {
    const key = team.toLowerCase();
    const hit = this.get(key, now);
    if (hit) return Promise.resolve(hit);
    const pending = this.#reading.get(key);
    if (pending) return pending;
    const reading = read().then((members) => {
      if (this.#reading.get(key) === reading) this.set(key, members, now);
      return members;
    });
    this.#reading.set(key, reading);
    const forget = () => {
      if (this.#reading.get(key) === reading) this.#reading.delete(key);
    };
    reading.then(forget, forget);
    return reading;
  }
  /** Forget every team of an organisation (e.g. someone left it). */
  invalidateOrg(org: string): void {
    const prefix = `${org.toLowerCase()}/`;
    this.#entries.deleteWhere((k) => k.startsWith(prefix));
  }
}

/** Members of readable teams, and the teams GitHub would not list with its answer (403, 404). */
export interface TeamRead {
  members: TeamMembers;
  /** Lower-cased `org/team` → HTTP status. */
  unreadable: Map<string, number>;
}

/**
 * Members of each team (lower-cased `org/team` → logins). A team GitHub does not show (unknown,
 * or the app may not read members) is listed as unreadable with GitHub's answer: it signs nobody
 * in, its members' change requests may still veto, and the check says what fixes it.
 */
export async function readTeams(gh: GitHubClient, teams: readonly string[], cache: TeamMembersCache, now: Date): Promise<TeamRead> {
  const members = new Map<string, string[]>();
  const unreadable = new Map<string, number>();
  for (const team of teams) {
    const key = team.toLowerCase();
    const [org = "", team_slug = ""] = team.split("/");
    try {
      members.set(key, await cache.members(key, now, async () => (await gh.paginate("GET /orgs/{org}/teams/{team_slug}/members", { org, team_slug, per_page: 100 })).map((u) => u.login)));
    } catch (error) {
      const status = httpStatus(error);
      if (status !== 404 && status !== 403) throw error;
      unreadable.set(key, status);
    }
  }
  return { members, unreadable };
}

/** Members of each readable team (lower-cased `org/team` → logins); unreadable teams are left out. */
export async function teamMembers(gh: GitHubClient, teams: readonly string[], cache: TeamMembersCache, now: Date): Promise<TeamMembers> {
  return (await readTeams(gh, teams, cache, now)).members;
}
