/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

export interface SuggestOptions {
  /**
   * Suggest only when one candidate is strictly closest: `P7` among P0…P4 is one edit from each,
   * so naming any of them would be a guess.
   */
  unique?: boolean;
}

/** The closest candidate to `word`, if it is close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>, options: SuggestOptions = {}): string | undefined {
  const list = [...candidates];
  // No candidate can be within the limit below of a word more than half as long again as the
  // longest one (the distance is at least the difference in length): answer before spending
  // length × length on a long word, such as a description someone filled with one line.
  const longest = list.reduce((n, c) => Math.max(n, c.length), 0);
  if (word.length > 1.5 * longest + 3) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  let tied = false;
  const lower = word.toLowerCase();
  for (const candidate of list) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tied = false;
    } else if (d === bestDistance && candidate !== best) {
      tied = true;
    }
  }
  if (best === undefined || (options.unique && tied)) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(word.length, best.length) / 3));
  return bestDistance <= limit ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>, options: SuggestOptions = {}): string | undefined {
  const match = closest(word, candidates, options);
  return match === undefined ? undefined : `did you mean \`${match}\`?`;
}
