/** The controllable clock and the sweep interval: honoured only where they may be. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ClockFileError, clockFromEnvironment, FileClock, testControlsAllowed } from "../../src/clock-control.js";
import { systemClock } from "../../src/clock.js";
import { DEFAULT_REDELIVERY_INTERVAL_SECONDS, DEFAULT_SWEEP_INTERVAL_SECONDS, periodicJobs } from "../../src/engine/index.js";

const dir = mkdtempSync(join(tmpdir(), "charter-clock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function clockFile(text: string): string {
  const path = join(dir, `clock-${++n}`);
  writeFileSync(path, text);
  return path;
}

describe("clockFromEnvironment", () => {
  it("reads the instant from the file on every now(), so rewriting the file moves time", () => {
    const path = clockFile("2025-06-02T10:00:00Z\n");
    const clock = clockFromEnvironment({ NODE_ENV: "test", CHARTER_CLOCK_FILE: path });
    expect(clock).toBeInstanceOf(FileClock);
    expect(clock.now().toISOString()).toBe("2025-06-02T10:00:00.000Z");
    writeFileSync(path, "2025-06-02T12:15:30+02:00");
    expect(clock.now().toISOString()).toBe("2025-06-02T10:15:30.000Z");
  });

  it("is honoured in demo mode too", () => {
    expect(clockFromEnvironment({ CHARTER_DEMO: "1", CHARTER_CLOCK_FILE: clockFile("2025-01-01T00:00:00Z") }).now().toISOString()).toBe("2025-01-01T00:00:00.000Z");
  });

  it("is ignored, with a warning, anywhere else", () => {
    const warnings: string[] = [];
    const log = { warn: (m: string) => warnings.push(m), info: () => undefined };
    const path = clockFile("2030-01-01T00:00:00Z");
    expect(clockFromEnvironment({ NODE_ENV: "production", CHARTER_CLOCK_FILE: path }, log)).toBe(systemClock);
    expect(clockFromEnvironment({ CHARTER_DEMO: "true", CHARTER_CLOCK_FILE: path }, log)).toBe(systemClock);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("CHARTER_CLOCK_FILE is set but ignored");
    expect(clockFromEnvironment({ NODE_ENV: "test" })).toBe(systemClock);
  });

  it("refuses a file that does not hold one instant with an offset, naming the file", () => {
    for (const text of ["", "tomorrow", "2025-06-02", "2025-06-02T10:00:00", "2025-02-30T10:00:00Z"]) {
      const path = clockFile(text);
      expect(() => clockFromEnvironment({ NODE_ENV: "test", CHARTER_CLOCK_FILE: path }), text).toThrow(ClockFileError);
    }
    expect(() => clockFromEnvironment({ NODE_ENV: "test", CHARTER_CLOCK_FILE: join(dir, "missing") })).toThrow(/missing cannot be read/);
  });

  it("test controls need NODE_ENV=test or CHARTER_DEMO=1 exactly", () => {
    expect(testControlsAllowed({ NODE_ENV: "test" })).toBe(true);
    expect(testControlsAllowed({ CHARTER_DEMO: "1" })).toBe(true);
    expect(testControlsAllowed({ NODE_ENV: "development" })).toBe(false);
    expect(testControlsAllowed({ NODE_ENV: "production", CHARTER_DEMO: "0" })).toBe(false);
  });
});

describe("periodic jobs' intervals (CHARTER_SWEEP_INTERVAL_SECONDS, CHARTER_REDELIVERY_INTERVAL_SECONDS)", () => {
  const sweep = (env: Record<string, string>, warn?: (m: string) => void) => periodicJobs(env, warn).sweepSeconds;
  it("defaults to 15 minutes, accepts 0 (off) and positive numbers, and falls back with a warning on nonsense", () => {
    const warnings: string[] = [];
    expect(DEFAULT_SWEEP_INTERVAL_SECONDS).toBe(900);
    expect(sweep({})).toBe(900);
    expect(sweep({ CHARTER_SWEEP_INTERVAL_SECONDS: "0" })).toBe(0);
    expect(sweep({ CHARTER_SWEEP_INTERVAL_SECONDS: " 300 " })).toBe(300);
    expect(sweep({ CHARTER_SWEEP_INTERVAL_SECONDS: "-5" }, (m) => warnings.push(m))).toBe(900);
    expect(sweep({ CHARTER_SWEEP_INTERVAL_SECONDS: "5m" }, (m) => warnings.push(m))).toBe(900);
    expect(warnings).toEqual([
      'CHARTER_SWEEP_INTERVAL_SECONDS="-5" is not a number of seconds (>= 0); using 900',
      'CHARTER_SWEEP_INTERVAL_SECONDS="5m" is not a number of seconds (>= 0); using 900',
    ]);
  });

  it("schedules only the jobs whose interval is not 0, the first run soon after start", () => {
    expect(periodicJobs({}).jobs).toEqual([
      { name: "sweep", everyMs: 900_000, firstAfterMs: 10_000 },
      { name: "redeliver", everyMs: DEFAULT_REDELIVERY_INTERVAL_SECONDS * 1000, firstAfterMs: 5_000 },
    ]);
    expect(periodicJobs({ CHARTER_SWEEP_INTERVAL_SECONDS: "0", CHARTER_REDELIVERY_INTERVAL_SECONDS: "2" }).jobs).toEqual([{ name: "redeliver", everyMs: 2_000, firstAfterMs: 2_000 }]);
  });
});
