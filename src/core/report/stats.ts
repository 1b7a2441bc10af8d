/** Summary statistics of a set of durations, defined once (docs/report.md, "Statistics"). */
export interface Stat {
  count: number;
  /** Arithmetic mean; null when there are no values. */
  mean: number | null;
  /** The middle value (the mean of the two middle values for an even count). */
  median: number | null;
  /** Nearest rank: the value at position ceil(0.9 × count) in ascending order. */
  p90: number | null;
  max: number | null;
}

export function stat(values: readonly number[]): Stat {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  if (n === 0) return { count: 0, mean: null, median: null, p90: null, max: null };
  const mean = v.reduce((s, x) => s + x, 0) / n;
  const median = n % 2 === 1 ? v[(n - 1) / 2]! : (v[n / 2 - 1]! + v[n / 2]!) / 2;
  return { count: n, mean, median, p90: v[Math.ceil(0.9 * n) - 1]!, max: v[n - 1]! };
}

/** Minutes from milliseconds, unrounded. */
export const minutes = (ms: number): number => ms / 60_000;
/** Hours from milliseconds, unrounded. */
export const hours = (ms: number): number => ms / 3_600_000;
