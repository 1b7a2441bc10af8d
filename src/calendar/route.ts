/**
 * `GET /oncall.ics?repo=<owner>/<name>&token=<token>[&schedule=…][&tier=…][&person=…][&weeks=N]`:
 * the on-call calendar of a repository Charter is installed on, from its default branch's
 * oncall.yml, for calendar apps to subscribe to (server mode).
 *
 * A calendar says who is on call when, so it is as private as the repository: the token is a
 * per-repository secret derived from the seal key (src/core/calendar/token.ts), compared in
 * constant time. A missing or wrong token, a repository Charter is not installed on, and a
 * repository without oncall.yml all answer the same 404, so the route tells nobody which
 * repositories exist. The token is cut out of the request's URL before Probot's access log
 * records it (hideCalendarTokens). To the token's holder (who may read oncall.yml anyway), a
 * `schedule=` or `tier=` that oncall.yml does not define answers 400 naming the ones it does,
 * rather than an empty calendar.
 */
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "probot";
import type { Clock } from "../clock.js";
import { calendarTokenValid } from "../core/calendar/token.js";
import type { OncallFile } from "../core/model/oncall.js";
import { capText, inlineUserText } from "../core/text/untrusted.js";
import { onceUntilFailure } from "../once.js";
import type { GitHubClient, RepoRef } from "../github/client.js";
import { governanceFromDefaultBranch, type GovernanceCache } from "../github/governance.js";
import type { IdentitySource } from "../github/identity.js";

/** ical-generator and the shift arithmetic, imported with the first calendar asked for (once). */
const ical = onceUntilFailure(() => import("../core/calendar/ical.js"));

export const CALENDAR_PATH = "/oncall.ics";
const DAY_MS = 86_400_000;
const DEFAULT_WEEKS = 8;
const MAX_WEEKS = 104;
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const WORD = /^[A-Za-z0-9_./-]{1,100}$/;

export interface CalendarRouteDeps {
  clock: Clock;
  identity: IdentitySource;
  governance: GovernanceCache;
  /** The installation client for a repository; throws (404) when Charter is not installed there. */
  client(repo: RepoRef): Promise<GitHubClient>;
  log: Logger;
}

function plain(res: ServerResponse, status: number, text: string): true {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }).end(`${text}\n`);
  return true;
}

const NOT_FOUND = "404: no calendar here (check the repository and the token)";

/** At most this many known names are listed in a refusal (one line, whatever oncall.yml holds). */
const MAX_LISTED = 20;

function listed(names: readonly string[]): string {
  if (names.length === 0) return "none";
  const shown = names.slice(0, MAX_LISTED).map((n) => capText(n, 100));
  return names.length > MAX_LISTED ? `${shown.join(", ")}, … (${names.length - MAX_LISTED} more)` : shown.join(", ");
}

/**
 * The refusal of a `schedule=` or `tier=` (`primary` or `schedule/tier`, within `schedule=` when
 * given) that oncall.yml does not define, naming those it does; undefined when both are known.
 * The echoed value passed the route's name check already, and is neutralised and cut here too.
 */
export function unknownFilter(oncall: OncallFile, filters: { schedule?: string; tier?: string }): string | undefined {
  const schedules = Object.keys(oncall.schedules);
  if (filters.schedule !== undefined && !schedules.includes(filters.schedule)) {
    return `400: oncall.yml has no schedule \`${inlineUserText(filters.schedule, 100)}\`; its schedules: ${listed(schedules)}`;
  }
  if (filters.tier === undefined) return undefined;
  const within = filters.schedule === undefined ? schedules : [filters.schedule];
  const refs = within.flatMap((s) => Object.keys(oncall.schedules[s]!.tiers).map((t) => ({ t, ref: `${s}/${t}` })));
  if (refs.some((r) => r.t === filters.tier || r.ref === filters.tier)) return undefined;
  const where = filters.schedule === undefined ? "" : ` in schedule \`${filters.schedule}\``;
  return `400: oncall.yml has no tier \`${inlineUserText(filters.tier, 100)}\`${where}; its tiers: ${listed(refs.map((r) => r.ref))}`;
}

const withoutToken = (url: string) => url.replace(/([?&]token=)[^&]*/g, "$1[redacted]");

/** URLs of calendar requests as they arrived, token included: only the route reads them. */
const arrivedAs = new WeakMap<IncomingMessage, string>();
let hiding = false;

/**
 * The token never reaches a log line. Probot's access log (pino-http) records the request's URL
 * when the request arrives, before any route runs, so the token is cut out of the URL at Node's
 * `http.server.request.start` diagnostics channel, published before the server's first `request`
 * listener; the route reads the URL as it arrived from `arrivedAs`. Once per process, when the
 * route is made.
 */
function hideCalendarTokens(): void {
  if (hiding) return;
  hiding = true;
  subscribe("http.server.request.start", (message) => {
    const req = (message as { request?: IncomingMessage }).request;
    const url = req?.url;
    if (!req || !url || !(url.startsWith(`${CALENDAR_PATH}?`) && url.includes("token="))) return;
    arrivedAs.set(req, url);
    req.url = withoutToken(url);
  });
}

/** Also cut here, for a server whose requests did not pass the channel above. */
function redact(req: IncomingMessage): void {
  if (req.url) req.url = withoutToken(req.url);
}

export function oncallCalendarRoute(deps: CalendarRouteDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  hideCalendarTokens();
  return async (req, res) => {
    const url = new URL(arrivedAs.get(req) ?? req.url ?? "/", "http://charter.invalid");
    if (url.pathname !== CALENDAR_PATH) return false;
    redact(req);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      return plain(res, 405, "405: GET /oncall.ics?repo=<owner>/<name>&token=<token>");
    }
    const q = url.searchParams;
    const [owner, name, extra] = (q.get("repo") ?? "").split("/");
    const token = q.get("token") ?? undefined;
    if (!owner || !name || extra !== undefined || !NAME.test(owner) || !NAME.test(name)) return plain(res, 400, "400: give the repository as ?repo=<owner>/<name>");
    const filters: Record<string, string> = {};
    for (const key of ["schedule", "tier", "person"] as const) {
      const v = q.get(key);
      if (v === null) continue;
      if (!WORD.test(v)) return plain(res, 400, `400: ?${key}= is a name such as ingestion, primary or a login`);
      filters[key] = v;
    }
    const weeksText = q.get("weeks");
    const weeks = weeksText === null ? DEFAULT_WEEKS : Number(weeksText);
    if (!/^\d{1,3}$/.test(weeksText ?? "8") || !Number.isInteger(weeks) || weeks < 1 || weeks > MAX_WEEKS) return plain(res, 400, `400: ?weeks= is a whole number from 1 to ${MAX_WEEKS}`);
    const repo = { owner, repo: name };
    const full = `${owner}/${name}`;
    const identity = await deps.identity();
    if (!calendarTokenValid(identity.keys, full, token)) return plain(res, 404, NOT_FOUND);
    let gh: GitHubClient;
    let branch: string;
    try {
      gh = await deps.client(repo);
      branch = (await gh.request("GET /repos/{owner}/{repo}", { ...repo })).data.default_branch;
    } catch (error) {
      deps.log.info({ repo: full, status: (error as { status?: number }).status }, "calendar: repository not reachable");
      return plain(res, 404, NOT_FOUND);
    }
    const snapshot = await governanceFromDefaultBranch(gh, repo, branch, deps.governance);
    if (!snapshot.result.ok) return plain(res, 503, `503: the governance files on ${branch} are invalid; run \`charter validate\``);
    const oncall = snapshot.result.governance.oncall;
    if (!oncall) return plain(res, 404, NOT_FOUND);
    const unknown = unknownFilter(oncall, filters);
    if (unknown) return plain(res, 400, unknown);
    const now = deps.clock.now();
    // ical-generator and the shift arithmetic load with the first calendar asked for, not at start-up
    const { onCallCalendar } = await ical();
    const text = onCallCalendar(oncall, { source: full, from: new Date(now.getTime() - 7 * DAY_MS), to: new Date(now.getTime() + weeks * 7 * DAY_MS), stamp: now, ...filters });
    res.writeHead(200, {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": `inline; filename="${owner}-${name}-oncall.ics"`,
      "cache-control": "private, max-age=300",
    });
    res.end(req.method === "HEAD" ? undefined : text);
    return true;
  };
}
