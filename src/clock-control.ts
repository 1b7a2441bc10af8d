import { readFileSync } from "node:fs";
import { systemClock, type Clock } from "./clock.js";

/**
 * A controllable clock for the server process, for end-to-end tests and the demo ONLY.
 *
 * With `CHARTER_CLOCK_FILE=/path/to/file`, "now" is the ISO instant written in that file, read
 * again on every `now()`: a test or the demo moves time by rewriting the file, and a restarted
 * server keeps the same time. It is honoured only when `NODE_ENV=test` or `CHARTER_DEMO=1`; in
 * any other environment the variable is ignored (with a warning) and the system clock is used,
 * so a stray variable can never freeze time in production.
 */

export type Env = Record<string, string | undefined>;

/** Whether test/demo-only controls (the clock file, the test sweep endpoint) may be honoured. */
export function testControlsAllowed(env: Env = process.env): boolean {
  return env.NODE_ENV === "test" || env.CHARTER_DEMO === "1";
}

export class ClockFileError extends Error {}

/** Reads the instant in `path`. Throws ClockFileError with the file name when it is missing or not an ISO instant. */
export function readClockFile(path: string): Date {
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch (error) {
    throw new ClockFileError(`CHARTER_CLOCK_FILE ${path} cannot be read: ${(error as Error).message}`);
  }
  // An instant needs a date, a time and an offset; "2025-06-02" alone would silently mean midnight UTC.
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  const at = m ? new Date(text) : new Date(Number.NaN);
  // Date rolls 2025-02-30 over to March 2: a day that does not exist is an error, not a guess
  const realDay = m !== null && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDate() === Number(m[3]);
  if (Number.isNaN(at.getTime()) || !realDay) {
    throw new ClockFileError(`CHARTER_CLOCK_FILE ${path} must hold one ISO 8601 instant with an offset, e.g. 2025-06-02T09:00:00Z; it holds "${text.slice(0, 60)}"`);
  }
  return at;
}

/** "Now" is whatever instant the file holds at the moment of asking. */
export class FileClock implements Clock {
  constructor(readonly path: string) {
    readClockFile(path); // fail at startup, not at the first event
  }
  now(): Date {
    return readClockFile(this.path);
  }
}

export interface ClockLog {
  warn(message: string): void;
  info(message: string): void;
}

/** The clock the server uses: the system clock, or the clock file in test/demo mode. */
export function clockFromEnvironment(env: Env = process.env, log?: ClockLog): Clock {
  const file = env.CHARTER_CLOCK_FILE?.trim();
  if (!file) return systemClock;
  if (!testControlsAllowed(env)) {
    log?.warn(`CHARTER_CLOCK_FILE is set but ignored: a controllable clock is honoured only with NODE_ENV=test or CHARTER_DEMO=1. Using the system clock.`);
    return systemClock;
  }
  const clock = new FileClock(file);
  log?.info(`Controllable clock (test/demo mode): now is read from ${file} (currently ${clock.now().toISOString()})`);
  return clock;
}
