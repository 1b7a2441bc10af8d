import type { Env } from "./clock-control.js";

/**
 * A number from the environment: `fallback` when the variable is unset or empty, and, with a
 * warning naming it, when it is not `what` (checked by `accept`).
 */
export function numberFromEnv(env: Env, name: string, fallback: number, expected: { what: string; accept: (n: number) => boolean }, warn: (message: string) => void = () => {}): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !expected.accept(n)) {
    warn(`${name}="${raw}" is not ${expected.what}; using ${fallback}`);
    return fallback;
  }
  return n;
}
