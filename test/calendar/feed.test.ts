/**
 * The calendar through GitHub (the emulator): `GET /oncall.ics` served from the default branch's
 * oncall.yml to whoever holds the repository's token, and the files the sweep (the Actions
 * scheduled run) publishes on oncall.yml's `calendar.branch`, parsed back by ical.js.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oncallCalendarRoute, unknownFilter } from "../../src/calendar/route.js";
import type { OncallFile } from "../../src/core/model/oncall.js";
import { calendarToken } from "../../src/core/calendar/token.js";
import type { GitHubClient } from "../../src/github/client.js";
import { GovernanceCache } from "../../src/github/governance.js";
import { calendarPublishTask } from "../../src/reconcile/calendar.js";
import { repositoryGovernance } from "../e2e/support/world.js";
import { TEST_IDENTITY, testIdentity } from "../support/identity.js";
import { World } from "../handoff/support/world.js";
import { capture, ROOT } from "../cli/support.js";
import { main } from "../../src/cli/main.js";
import { TEST_SEAL_SECRET } from "../support/identity.js";

let w: World;
let server: Server;
let base: string;
const logged: string[] = [];

const files = () => {
  const f: Record<string, string> = { "README.md": "# ingestion\n", ...repositoryGovernance() };
  f["governance/oncall.yml"] = `${f["governance/oncall.yml"]!}\ncalendar:\n  branch: charter-calendar\n  weeks: 2\n`;
  return f;
};

const events = (text: string) =>
  new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent").map((c) => {
    const e = new ICAL.Event(c);
    return [e.summary, e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()];
  });

beforeAll(async () => {
  w = await World.start({ start: "2025-03-28T12:00:00Z", files: files(), tasks: [calendarPublishTask] });
  const route = oncallCalendarRoute({
    clock: w.clock,
    identity: testIdentity,
    governance: new GovernanceCache(),
    client: async (repo) => {
      if (repo.owner !== "acme") throw Object.assign(new Error("Not Found"), { status: 404 });
      return (await w.p.probot.auth(w.gh.installationId(repo.owner))) as unknown as GitHubClient;
    },
    log: w.p.probot.log,
  });
  server = createServer((req, res) => {
    void route(req, res).then((served) => {
      logged.push(req.url ?? "");
      if (!served) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await w?.stop();
});

async function charter(env: Record<string, string>, ...argv: string[]) {
  const io = capture(ROOT, env);
  const code = await main(argv, io);
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

const token = calendarToken(TEST_IDENTITY.keys, "acme/ingestion")!;

describe("GET /oncall.ics (server mode)", () => {
  it("serves the repository's calendar to the token's holder: text/calendar, UTC instants across the DST change", async () => {
    const r = await fetch(`${base}/oncall.ics?repo=acme/ingestion&tier=primary&weeks=2&token=${encodeURIComponent(token)}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(r.headers.get("cache-control")).toBe("private, max-age=300");
    expect(events(await r.text())).toEqual([
      ["omar-oncall: on call Primary (Ingestion on-call)", "2025-03-17T08:00:00.000Z", "2025-03-24T08:00:00.000Z"],
      ["omar-oncall: on call Primary (Ingestion on-call), covering for opal-oncall", "2025-03-24T08:00:00.000Z", "2025-03-31T07:00:00.000Z"],
      ["oscar-oncall: on call Primary (Ingestion on-call)", "2025-03-31T07:00:00.000Z", "2025-04-07T07:00:00.000Z"],
      ["olga-oncall: on call Primary (Ingestion on-call)", "2025-04-07T07:00:00.000Z", "2025-04-14T07:00:00.000Z"],
    ]);
  });

  it("per person: ?person= gives that person's shifts only", async () => {
    const r = await fetch(`${base}/oncall.ics?repo=acme/ingestion&person=oscar-oncall&weeks=1&token=${encodeURIComponent(token)}`);
    expect(events(await r.text())).toEqual([
      ["On call: Secondary (Ingestion on-call)", "2025-03-24T08:00:00.000Z", "2025-03-31T07:00:00.000Z"],
      ["On call: Primary (Ingestion on-call)", "2025-03-31T07:00:00.000Z", "2025-04-07T07:00:00.000Z"],
    ]);
  });

  it("refuses with the same 404 a missing token, a wrong one, another repository's, and a repository Charter is not installed on", async () => {
    const other = calendarToken(TEST_IDENTITY.keys, "acme/other")!;
    const foreign = calendarToken(TEST_IDENTITY.keys, "evil/secret")!;
    const answers = await Promise.all(
      [
        "/oncall.ics?repo=acme/ingestion",
        `/oncall.ics?repo=acme/ingestion&token=${encodeURIComponent(token.slice(0, -2))}xx`,
        `/oncall.ics?repo=acme/ingestion&token=${encodeURIComponent(other)}`,
        `/oncall.ics?repo=evil/secret&token=${encodeURIComponent(foreign)}`,
      ].map(async (path) => {
        const r = await fetch(`${base}${path}`);
        return [r.status, await r.text()];
      }),
    );
    for (const a of answers) expect(a).toEqual([404, "404: no calendar here (check the repository and the token)\n"]);
  });

  it("a token made with another seal key (a rotated-out one, or a guess) opens nothing", async () => {
    const { sealKeysFrom } = await import("../../src/github/identity.js");
    const stranger = calendarToken(sealKeysFrom({ CHARTER_SEAL_KEYS: "another-secret-0123456789abcdef0123456789" }, undefined), "acme/ingestion")!;
    const r = await fetch(`${base}/oncall.ics?repo=acme/ingestion&token=${encodeURIComponent(stranger)}`);
    expect(r.status).toBe(404);
  });

  it("never lets the token reach the access log: the request's URL has it cut out", async () => {
    logged.length = 0;
    await fetch(`${base}/oncall.ics?repo=acme/ingestion&token=${encodeURIComponent(token)}`);
    expect(logged).toEqual(["/oncall.ics?repo=acme/ingestion&token=[redacted]"]);
  });

  it("refuses bad parameters with a clear 400 and other methods with 405", async () => {
    expect((await fetch(`${base}/oncall.ics?repo=acme`)).status).toBe(400);
    const weeks = await fetch(`${base}/oncall.ics?repo=acme/ingestion&weeks=1000&token=${encodeURIComponent(token)}`);
    expect([weeks.status, await weeks.text()]).toEqual([400, "400: ?weeks= is a whole number from 1 to 104\n"]);
    const post = await fetch(`${base}/oncall.ics?repo=acme/ingestion`, { method: "POST" });
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
  });

  it("refuses an unknown ?schedule= or ?tier= with a 400 naming the ones oncall.yml defines, not an empty calendar", async () => {
    const t = `token=${encodeURIComponent(token)}`;
    const answer = async (query: string, method = "GET") => {
      const r = await fetch(`${base}/oncall.ics?repo=acme/ingestion&${query}`, { method });
      return [r.status, method === "HEAD" ? "" : await r.text()];
    };
    expect(await answer(`schedule=payments&${t}`)).toEqual([400, "400: oncall.yml has no schedule `payments`; its schedules: ingestion\n"]);
    expect(await answer(`tier=tertiary&${t}`)).toEqual([400, "400: oncall.yml has no tier `tertiary`; its tiers: ingestion/primary, ingestion/secondary, ingestion/owner\n"]);
    expect(await answer(`tier=payments/primary&${t}`)).toEqual([400, "400: oncall.yml has no tier `payments/primary`; its tiers: ingestion/primary, ingestion/secondary, ingestion/owner\n"]);
    expect(await answer(`schedule=ingestion&tier=ml&${t}`)).toEqual([400, "400: oncall.yml has no tier `ml` in schedule `ingestion`; its tiers: ingestion/primary, ingestion/secondary, ingestion/owner\n"]);
    expect(await answer(`schedule=payments&${t}`, "HEAD")).toEqual([400, ""]);
    // known names, in either form, still serve the calendar
    for (const ok of ["schedule=ingestion", "tier=primary", "tier=ingestion/secondary", "schedule=ingestion&tier=ingestion/owner"]) {
      const r = await fetch(`${base}/oncall.ics?repo=acme/ingestion&${ok}&weeks=1&${t}`);
      expect([ok, r.status]).toEqual([ok, 200]);
      expect(events(await r.text()).length).toBeGreaterThan(0);
    }
    // without the token nothing is said about oncall.yml: the same 404 as ever
    expect(await answer("schedule=payments")).toEqual([404, "404: no calendar here (check the repository and the token)\n"]);
    expect(await answer("tier=tertiary&token=wrong")).toEqual([404, "404: no calendar here (check the repository and the token)\n"]);
  });

  it("the refusal of an unknown name stays one bounded line, however many schedules oncall.yml has", () => {
    const tier = { layers: [] } as unknown as OncallFile["schedules"][string]["tiers"][string];
    const schedules = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`schedule-${String(i).padStart(2, "0")}-${"x".repeat(150)}`, { timezone: "UTC", tiers: { primary: tier } }]));
    const oncall = { version: 1, schedules } as unknown as OncallFile;
    const refusal = unknownFilter(oncall, { schedule: "nope" })!;
    expect(refusal).not.toContain("\n");
    expect(refusal).toMatch(/^400: oncall\.yml has no schedule `nope`; its schedules: schedule-00-x+…, /);
    expect(refusal).toMatch(/, schedule-19-x+…, … \(25 more\)$/);
    expect(refusal.length).toBeLessThan(2_200);
    expect(unknownFilter(oncall, { tier: "secondary" })).toMatch(/^400: oncall\.yml has no tier `secondary`; its tiers: schedule-00-x+…, .*, … \(25 more\)$/);
    expect(unknownFilter(oncall, { schedule: Object.keys(schedules)[3]!, tier: "primary" })).toBeUndefined();
  });

  it("charter oncall --ical-url makes the address from the server's seal key, and nothing without it", async () => {
    const made = await charter({ CHARTER_SEAL_KEYS: TEST_SEAL_SECRET }, "oncall", "--ical-url", "https://charter.example.com", "--repo", "acme/ingestion", "--tier", "primary");
    expect(made.code, made.err).toBe(0);
    expect(made.out.trim()).toBe(`https://charter.example.com/oncall.ics?repo=acme%2Fingestion&tier=primary&token=${encodeURIComponent(token)}`);
    const without = await charter({}, "oncall", "--ical-url", "https://charter.example.com", "--repo", "acme/ingestion");
    expect(without.code).toBe(1);
    expect(without.err).toContain("no seal key here");
    const r = await fetch(`${base}/oncall.ics?${new URL(made.out.trim()).searchParams.toString()}`);
    expect(r.status).toBe(200);
  });
});

describe("the calendar published on a branch by the sweep (Actions: the scheduled run)", () => {
  it("creates charter-calendar from the default branch and writes oncall.ics and one file per person", async () => {
    const r = await w.sweep();
    expect(r.errors).toEqual([]);
    expect(r.reports[0]!.actions[0]).toBe("created branch charter-calendar for the on-call calendar");
    const all = w.gh.getFile("acme/ingestion", "oncall.ics", "charter-calendar")!;
    expect(events(all).filter(([s]) => s!.includes("Primary"))[0]).toEqual(["omar-oncall: on call Primary (Ingestion on-call)", "2025-03-17T08:00:00.000Z", "2025-03-24T08:00:00.000Z"]);
    const oscar = w.gh.getFile("acme/ingestion", "people/oscar-oncall.ics", "charter-calendar")!;
    expect(events(oscar).slice(0, 2)).toEqual([
      ["On call: Secondary (Ingestion on-call)", "2025-03-24T08:00:00.000Z", "2025-03-31T07:00:00.000Z"],
      ["On call: Primary (Ingestion on-call)", "2025-03-31T07:00:00.000Z", "2025-04-07T07:00:00.000Z"],
    ]);
    expect(w.gh.getFile("acme/ingestion", "oncall.ics")).toBeUndefined(); // never on the default branch
    expect(w.violations).toEqual([]);
  });

  it("an hour later, with the same shifts, writes nothing", async () => {
    const head = w.gh.branchSha("acme/ingestion", "charter-calendar");
    w.at("2025-03-28T13:00:00Z");
    const r = await w.sweep();
    expect(r.reports[0]!.actions).toEqual([]);
    expect(w.gh.branchSha("acme/ingestion", "charter-calendar")).toBe(head);
  });

  it("a week later the window has moved: the files are written again", async () => {
    w.at("2025-04-04T12:00:00Z");
    const r = await w.sweep();
    expect(r.reports[0]!.actions).toEqual([expect.stringContaining("published the on-call calendar on charter-calendar: ")]);
  });
});

describe("calendar.branch naming the default branch", () => {
  it("publishes nothing there and makes no request", async () => {
    const requests: string[] = [];
    const gh = { request: async (route: string) => { requests.push(route); throw new Error("no request expected"); } } as unknown as GitHubClient;
    const snapshot = await (await import("../../src/github/governance.js")).governanceFromDefaultBranch((await w.p.probot.auth(w.gh.installationId("acme"))) as unknown as GitHubClient, { owner: "acme", repo: "ingestion" }, "main", new GovernanceCache());
    if (!snapshot.result.ok) throw new Error("invalid");
    snapshot.result.governance.oncall!.calendar = { branch: "main" };
    const warned: string[] = [];
    const log = { warn: (m: string) => warned.push(m), info() {}, debug() {}, error() {}, child: () => log } as never;
    const r = await calendarPublishTask.run({ gh, repo: { owner: "acme", repo: "ingestion" }, defaultBranch: "main", snapshot, now: w.now, deps: w.p.deps, log });
    expect(r.actions).toEqual([]);
    expect(requests).toEqual([]);
    expect(warned).toEqual(["oncall.yml calendar.branch is the default branch (main): Charter does not publish there"]);
  });
});
