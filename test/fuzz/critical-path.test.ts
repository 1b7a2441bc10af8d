/**
 * The round-trip count `npm run bench` reports (scripts/bench/critical-path.ts): the longest chain
 * of requests made one after another. Checked on random "programs" of sequential steps, each step
 * a batch of concurrent requests, fixed seed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chainUntil, longestChain, type Interval } from "../../scripts/bench/critical-path.js";

describe("longestChain", () => {
  it("k requests one after another are k round trips; k requests together are one", () => {
    const seq = Array.from({ length: 5 }, (_, i) => ({ start: i * 30, end: i * 30 + 25 }));
    const par = Array.from({ length: 5 }, () => ({ start: 0, end: 25 }));
    expect(longestChain(seq)).toBe(5);
    expect(longestChain(par)).toBe(1);
    expect(longestChain([])).toBe(0);
  });

  it("a program of sequential steps, each a batch of concurrent requests with jitter, has as many round trips as steps", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 72, maxLength: 72 }), (batches, jitter) => {
        const intervals: Interval[] = [];
        let t = 0;
        let k = 0;
        for (const size of batches) {
          let stepEnd = t;
          for (let i = 0; i < size; i++) {
            const start = t + jitter[k++ % jitter.length]!;
            const end = start + 25 + jitter[k++ % jitter.length]!;
            intervals.push({ start, end });
            stepEnd = Math.max(stepEnd, end);
          }
          t = stepEnd + 2; // the next step starts after the whole batch is back
        }
        expect(longestChain(intervals)).toBe(batches.length);
      }),
      { seed: 7_000_301, numRuns: 500 },
    );
  });

  it("chainUntil stops at the last decision (e.g. the last write)", () => {
    const intervals = [
      { start: 0, end: 25, write: false },
      { start: 30, end: 55, write: true },
      { start: 60, end: 85, write: false },
    ];
    expect(chainUntil(intervals, (i) => i.write)).toBe(2);
    expect(chainUntil(intervals, () => false)).toBe(0);
  });
});
