/**
 * Relative cost: how much longer a parser takes on an attack input than on a benign input of the
 * same length, both measured here, alternately, in the same process. A linear parser costs about
 * the same on both; a backtracking one costs hundreds to millions of times more. No absolute time
 * is asserted anywhere, so a slow or shared machine does not make these tests flaky.
 */

function timeReps(fn: () => unknown, reps: number): number {
  const t = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Repetitions that make one measurement of `fn` take at least `minMs`. */
export function repetitionsFor(fn: () => unknown, minMs = 4): number {
  let reps = 1;
  while (timeReps(fn, reps) < minMs && reps < 1 << 20) reps *= 2;
  return reps;
}

/**
 * The attack's cost over the baseline's: medians of `rounds` alternating measurements, each
 * repeating a call as often as the baseline needs to take a few milliseconds.
 */
export function relativeCost(attack: () => unknown, baseline: () => unknown, rounds = 5): number {
  attack();
  const reps = repetitionsFor(baseline);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    b.push(timeReps(baseline, reps));
    a.push(timeReps(attack, reps));
  }
  return median(a) / Math.max(median(b), 1e-3);
}

/**
 * A generous bound for two inputs of the same length read by a linear parser: the attack may take
 * a different path through the parser (a native scan instead of an early stop), a few times the
 * cost; a quadratic parser at 20,000 characters costs thousands of times more.
 */
export const LINEAR_BOUND = 25;
