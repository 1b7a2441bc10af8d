/**
 * The on-call calendar through the real server: `node dist/main.js` as a child process against the
 * GitHub emulator, `GET /oncall.ics?repo=…&schedule=…&tier=primary&token=…` with the token made from
 * the server's CHARTER_SEAL_KEYS, the body parsed by a real iCalendar parser (ical.js). D9's
 * rotation hands over weekly on Monday 09:00 Europe/Berlin: 08:00Z in winter time, 07:00Z in
 * summer time, so the instants in the feed move by an hour across each daylight-saving change
 * (2025-03-30 and 2025-10-26). A wrong token opens nothing; an unknown schedule or tier is refused
 * with the names oncall.yml defines.
 */
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calendarToken } from "../../src/core/calendar/token.js";
import { sealKeysFrom } from "../../src/github/identity.js";
import { startEmulator, type GitHubEmulator } from "../emulator/index.js";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { CharterServer } from "./support/server.js";
import { REPO, repositoryGovernance } from "./support/world.js";

const START = "2025-03-20T12:00:00Z";
const SEAL_KEY = "e2e-calendar-feed-seal-key-0123456789abcdef";
const token = calendarToken(sealKeysFrom({ CHARTER_SEAL_KEYS: SEAL_KEY }, undefined), REPO)!;
const NOT_FOUND = "404: no calendar here (check the repository and the token)\n";

let gh: GitHubEmulator;
let server: CharterServer;

beforeAll(async () => {
  await ensureBuilt();
  gh = await startEmulator({ startTime: START, quiet: true });
  gh.createRepo(REPO, { ownerType: "Organization", files: { "README.md": "# ingestion\n", ...repositoryGovernance() } });
  server = await CharterServer.start({ gheHost: gh.host, appId: gh.appId, now: START, entry: "main", env: { CHARTER_SEAL_KEYS: SEAL_KEY } });
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await server?.stop();
  await gh?.stop();
});

const calendarUrl = (query: string, t = token) => `${server.url}/oncall.ics?repo=${encodeURIComponent(REPO)}&${query}&token=${encodeURIComponent(t)}`;

/** [summary, start, end] of each event, the instants as ical.js reads them, in UTC. */
function events(text: string): [string, string, string][] {
  return new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent").map((c) => {
    const e = new ICAL.Event(c);
    return [e.summary, e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()];
  });
}

describe("GET /oncall.ics on the real server (node dist/main.js)", () => {
  it("spring: D9's primary tier, handoffs at 08:00Z before 2025-03-30 and at 07:00Z after, the override included", async () => {
    const r = await fetch(calendarUrl("schedule=ingestion&tier=primary&weeks=2"));
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(r.headers.get("cache-control")).toBe("private, max-age=300");
    const body = await r.text();
    expect(events(body)).toEqual([
      ["olga-oncall: on call Primary (Ingestion on-call)", "2025-03-10T08:00:00.000Z", "2025-03-17T08:00:00.000Z"],
      ["omar-oncall: on call Primary (Ingestion on-call)", "2025-03-17T08:00:00.000Z", "2025-03-24T08:00:00.000Z"],
      ["omar-oncall: on call Primary (Ingestion on-call), covering for opal-oncall", "2025-03-24T08:00:00.000Z", "2025-03-31T07:00:00.000Z"],
      ["oscar-oncall: on call Primary (Ingestion on-call)", "2025-03-31T07:00:00.000Z", "2025-04-07T07:00:00.000Z"],
    ]);
    // written as UTC instants, so a calendar app needs no time-zone definitions
    expect(body).toContain("DTSTART:20250331T070000Z");
    expect(body).not.toContain("VTIMEZONE");
  });

  it("autumn: 07:00Z before 2025-10-26, 08:00Z after (the server's clock moved on)", async () => {
    server.setTime("2025-10-23T12:00:00Z");
    const r = await fetch(calendarUrl("schedule=ingestion&tier=primary&weeks=1"));
    expect(r.status).toBe(200);
    expect(events(await r.text())).toEqual([
      ["oscar-oncall: on call Primary (Ingestion on-call)", "2025-10-13T07:00:00.000Z", "2025-10-20T07:00:00.000Z"],
      ["olga-oncall: on call Primary (Ingestion on-call)", "2025-10-20T07:00:00.000Z", "2025-10-27T08:00:00.000Z"],
      ["omar-oncall: on call Primary (Ingestion on-call)", "2025-10-27T08:00:00.000Z", "2025-11-03T08:00:00.000Z"],
    ]);
  });

  it("refuses a wrong token, another key's token and no token with the same 404", async () => {
    const stranger = calendarToken(sealKeysFrom({ CHARTER_SEAL_KEYS: "another-secret-0123456789abcdef0123456789" }, undefined), REPO)!;
    const answers = await Promise.all(
      [
        calendarUrl("schedule=ingestion&tier=primary", `${token.slice(0, -2)}xx`),
        calendarUrl("schedule=ingestion&tier=primary", stranger),
        `${server.url}/oncall.ics?repo=${encodeURIComponent(REPO)}&schedule=ingestion&tier=primary`,
      ].map(async (url) => {
        const r = await fetch(url);
        return [r.status, await r.text()];
      }),
    );
    for (const a of answers) expect(a).toEqual([404, NOT_FOUND]);
  });

  it("the access log's message line has the token cut out", () => {
    const access = server.lines.filter((l) => typeof l.msg === "string" && l.msg.startsWith("GET /oncall.ics?"));
    expect(access.length).toBeGreaterThan(0);
    for (const l of access) expect(l.msg).not.toContain(token);
    expect(access.map((l) => l.msg)).toContainEqual(expect.stringMatching(/^GET \/oncall\.ics\?repo=acme%2Fingestion&schedule=ingestion&tier=primary&weeks=2&token=\[redacted\] 200 - /));
  });

  // Probot's access log (pino-http) records the request (its `req` field) when it arrives, before
  // any route runs: the token is cut out at Node's request-start channel, before that.
  it("keeps the token out of every log line, the access log's `req.url` field included", () => {
    const access = server.lines.filter((l) => typeof l.msg === "string" && l.msg.startsWith("GET /oncall.ics?"));
    const urls = access.map((l) => (l.req as { url?: string } | undefined)?.url);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/^\/oncall\.ics\?.*token=\[redacted\]/);
    for (const l of server.lines) expect(JSON.stringify(l)).not.toContain(token);
  });

  it("an unknown schedule or tier: 400 naming the ones oncall.yml defines (to the token's holder only)", async () => {
    const schedule = await fetch(calendarUrl("schedule=payments&tier=primary"));
    expect([schedule.status, await schedule.text()]).toEqual([400, "400: oncall.yml has no schedule `payments`; its schedules: ingestion\n"]);
    const tier = await fetch(calendarUrl("schedule=ingestion&tier=tertiary"));
    expect([tier.status, await tier.text()]).toEqual([400, "400: oncall.yml has no tier `tertiary` in schedule `ingestion`; its tiers: ingestion/primary, ingestion/secondary, ingestion/owner\n"]);
    const stranger = await fetch(calendarUrl("schedule=payments&tier=primary", "not-a-token"));
    expect([stranger.status, await stranger.text()]).toEqual([404, NOT_FOUND]);
  });

  it("every request Charter made was valid for GitHub's API", () => {
    expect(gh.violations).toEqual([]);
  });
});
