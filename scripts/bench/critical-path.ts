/**
 * Sequential round trips on the critical path, from the request log's timestamps.
 *
 * Every request to GitHub is an interval [start, end] as the emulator saw it. Requests that the app
 * makes one after another (each awaits the previous) do not overlap; requests made together
 * (Promise.all) overlap. With a fixed delay added to every request, the number of round trips a
 * person waits for is the longest chain of intervals in which each starts after the previous
 * ended: the longest path in the "finished before started" order, found by dynamic programming
 * over the intervals sorted by end.
 */
export interface Interval {
  start: number;
  end: number;
}

/**
 * Length of the longest chain of non-overlapping intervals. `slackMs` absorbs timestamp rounding
 * (an interval may start up to that long before the previous one's recorded end).
 */
export function longestChain(intervals: readonly Interval[], slackMs = 1): number {
  const sorted = [...intervals].sort((a, b) => a.end - b.end || a.start - b.start);
  const best: number[] = [];
  let longest = 0;
  for (let i = 0; i < sorted.length; i++) {
    let before = 0;
    for (let j = 0; j < i; j++) if (sorted[j]!.end <= sorted[i]!.start + slackMs && best[j]! > before) before = best[j]!;
    best.push(before + 1);
    if (before + 1 > longest) longest = before + 1;
  }
  return longest;
}

/** The chain up to the last interval that satisfies `isDecision` (e.g. the last write): what a person waits for. */
export function chainUntil<T extends Interval>(intervals: readonly T[], isDecision: (i: T) => boolean, slackMs = 1): number {
  const decisions = intervals.filter(isDecision);
  if (decisions.length === 0) return 0;
  const lastEnd = Math.max(...decisions.map((d) => d.end));
  return longestChain(intervals.filter((i) => i.end <= lastEnd), slackMs);
}
