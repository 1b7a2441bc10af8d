/**
 * Which engine runs: Redis (BullMQ) when REDIS_URL is set, else the embedded one; and the
 * periodic jobs' intervals from the environment.
 */
import type { Clock } from "../clock.js";
import type { Env } from "../clock-control.js";
import { numberFromEnv } from "../env-number.js";
import { MemoryEngine } from "./memory.js";
import type { Engine, JobObserver, PeriodicJob } from "./types.js";

/** Seconds between the periodic jobs when their variables are unset. */
export const DEFAULT_SWEEP_INTERVAL_SECONDS = 900;
export const DEFAULT_REDELIVERY_INTERVAL_SECONDS = 300;

export function secondsFrom(env: Env, name: string, fallback: number, warn: (message: string) => void = () => {}): number {
  return numberFromEnv(env, name, fallback, { what: "a number of seconds (>= 0)", accept: (n) => n >= 0 }, warn);
}

/** CHARTER_TIMERS=off: nothing is scheduled (tests that drive every pass by hand). */
export function timersEnabled(env: Env): boolean {
  return (env.CHARTER_TIMERS ?? "").trim().toLowerCase() !== "off";
}

/** The engine for this environment. BullMQ and ioredis are loaded only when REDIS_URL asks for them. */
export async function createEngine(env: Env, clock: Clock, options: { observer?: JobObserver; log?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void } } = {}): Promise<Engine> {
  const url = env.REDIS_URL?.trim();
  const timers = timersEnabled(env);
  if (url) {
    const { RedisEngine } = await import("./redis.js");
    return new RedisEngine(clock, { url, prefix: env.CHARTER_REDIS_PREFIX?.trim() || "charter", timers, ...(options.observer ? { observer: options.observer } : {}), ...(options.log ? { log: options.log } : {}) });
  }
  return new MemoryEngine(clock, options.observer, { timers });
}

/** The periodic jobs and their intervals (0 turns one off). */
export function periodicJobs(env: Env, warn: (message: string) => void = () => {}): { jobs: PeriodicJob[]; sweepSeconds: number; redeliverySeconds: number } {
  const sweepSeconds = secondsFrom(env, "CHARTER_SWEEP_INTERVAL_SECONDS", DEFAULT_SWEEP_INTERVAL_SECONDS, warn);
  const redeliverySeconds = secondsFrom(env, "CHARTER_REDELIVERY_INTERVAL_SECONDS", DEFAULT_REDELIVERY_INTERVAL_SECONDS, warn);
  const jobs: PeriodicJob[] = [];
  if (sweepSeconds > 0) jobs.push({ name: "sweep", everyMs: sweepSeconds * 1000, firstAfterMs: Math.min(sweepSeconds * 1000, 10_000) });
  if (redeliverySeconds > 0) jobs.push({ name: "redeliver", everyMs: redeliverySeconds * 1000, firstAfterMs: Math.min(redeliverySeconds * 1000, 5_000) });
  return { jobs, sweepSeconds, redeliverySeconds };
}

export type { Engine } from "./types.js";
