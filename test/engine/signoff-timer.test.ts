/**
 * The per-repository sign-off timer (src/engine/next-due.ts `signoffTimer`, scheduled by
 * src/engine/runtime.ts after each run): at the earliest instant a pull request can change by time
 * alone, but never sooner than 60 s after its previous run. A pull request whose reminder stays due
 * (GitHub refuses the reminder comment every time), a governance whose
 * pull requests fall due a second apart, or a break-glass escalation the log cannot record would
 * otherwise have the timer fire again at once, for ever, spending the installation's rate limit.
 * The clock is injected; instants are elapsed time, so the spring DST change and the week boundary
 * move nothing.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Governance } from "../../src/core/model/governance.js";
import type { LogFile } from "../../src/core/model/state.js";
import { SIGNOFF_FLOOR_MS, signoffTimer } from "../../src/engine/next-due.js";
import { loadGovernance } from "../../src/load/load.js";
import { directorySource } from "../../src/load/source.js";
import { ManualClock } from "../../src/clock.js";

const where = { repo: { owner: "acme", repo: "ingestion" }, installationId: 7, defaultBranch: "main" };
let d9: Governance;
/** d9 with a sign-off reminder (`remind_after`), so the repository has sign-off timers. */
let timed: Governance;
beforeAll(async () => {
  const r = await loadGovernance(directorySource(join(import.meta.dirname, "..", "..", "governance"), "governance"));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  d9 = r.governance;
  timed = { ...d9, authority: { ...d9.authority!, signoff: { ...d9.authority!.signoff, remind_after: "1m" } } };
});

const at = (iso: string) => Date.parse(iso);

/**
 * The engine's loop for one repository: the timer fires at its instant (the clock moves there), the
 * run records when it ran, and the next timer is computed from what the run left (`pullsAfter`).
 * Returns the instants it fired at until `until` (a spinning timer stops the loop after 5,000 runs).
 */
function play(g: Governance, clock: ManualClock, until: number, pullsAfter: (now: number) => number[]): number[] {
  const fired: number[] = [];
  let timer = signoffTimer(g, clock.now(), undefined, [], where);
  while (timer && timer.dueAt <= until && fired.length < 5_000) {
    clock.set(new Date(timer.dueAt).toISOString());
    const ran = clock.now().getTime();
    fired.push(ran);
    timer = signoffTimer(g, clock.now(), ran, pullsAfter(ran), where);
  }
  return fired;
}

describe("the sign-off timer's floor", () => {
  it("a pull request that stays due re-schedules exactly 60 s after each run, straight through the spring DST change (Berlin 01:00Z) and Sunday → Monday", () => {
    // Sunday 2025-03-30 00:30Z to Monday 00:30Z: the clocks jump at 01:00Z, Berlin's week turns at 22:00Z, UTC's at 00:00Z
    const clock = new ManualClock("2025-03-30T00:30:00Z");
    const fired = play(timed, clock, at("2025-03-31T00:30:00Z"), (now) => [now]); // due now, every time
    expect(fired[0]).toBe(at("2025-03-30T00:30:00Z")); // a process that never ran it looks now
    const gaps = new Set(fired.slice(1).map((t, i) => t - fired[i]!));
    expect([...gaps]).toEqual([SIGNOFF_FLOOR_MS]);
    expect(SIGNOFF_FLOOR_MS).toBe(60_000);
    expect(fired).toHaveLength(24 * 60 + 1); // once a minute for a day, not once per tick
    expect(fired).toContain(at("2025-03-30T01:00:00Z"));
    expect(fired).toContain(at("2025-03-31T00:00:00Z"));
  });

  it("pull requests due a second apart (a crafted governance or many pull requests) fire the timer at most once a minute", () => {
    const clock = new ManualClock("2025-03-28T16:00:00Z"); // a Friday
    const fired = play(timed, clock, at("2025-03-28T17:00:00Z"), (now) => Array.from({ length: 500 }, (_, i) => now + 1_000 * (i + 1)));
    expect(fired).toHaveLength(61);
    for (let i = 1; i < fired.length; i++) expect(fired[i]! - fired[i - 1]!).toBeGreaterThanOrEqual(60_000);
  });

  it("an instant later than the floor is kept exactly; an instant already past is held to the floor", () => {
    const ran = at("2025-03-30T00:59:30Z");
    const now = new Date(ran);
    expect(signoffTimer(timed, now, ran, [ran + 90_000, ran + 3_600_000], where)).toEqual({ kind: "signoff", ...where, issue: 0, step: `signoff-${ran + 90_000}`, dueAt: ran + 90_000 });
    expect(signoffTimer(timed, now, ran, [ran - 3_600_000], where)?.dueAt).toBe(ran + 60_000);
    expect(signoffTimer(timed, now, ran, [], where)).toBeUndefined(); // nothing will change by time alone
  });

  it("an overdue break-glass escalation the log never records is held to the floor too", () => {
    const log: LogFile = {
      version: 1,
      entries: [
        {
          id: "bg-1",
          timestamp: "2025-03-29T09:00:00Z",
          action: "breakglass",
          actor: "omar-oncall",
          reason: "uploads corrupting",
          pull_request: 12,
          head: "a".repeat(40),
          issue: 13,
          review_due: "2025-03-30T09:00:00Z",
          review_roles: ["sre-lead"],
        },
      ],
    } as LogFile;
    const g: Governance = { ...d9, state: { ...d9.state, log } };
    const clock = new ManualClock("2025-03-30T09:00:00Z");
    const fired = play(g, clock, at("2025-03-30T10:00:00Z"), () => []);
    expect(fired).toHaveLength(61);
    expect(new Set(fired.slice(1).map((t, i) => t - fired[i]!))).toEqual(new Set([60_000]));
  });

  it("no timer for a repository without time limits or break-glass records", () => {
    expect(signoffTimer(d9, new Date("2025-03-30T00:30:00Z"), undefined, [], where)).toBeUndefined();
  });
});
