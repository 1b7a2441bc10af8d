import { formatAt, safeZone } from "../../incidents/time.js";

/** `from Mon 2025-03-10 18:00 CET to Tue 2025-03-11 09:00 CET, and 7 more times in the window`. */
export function whenText(runs: readonly { from: Date; until: Date }[], zone: string, windowEnd?: Date): string {
  const first = runs[0];
  if (!first) return "";
  const z = safeZone(zone);
  const more = runs.length - 1;
  const end = windowEnd && first.until.getTime() >= windowEnd.getTime() ? `the end of the window (${formatAt(first.until, z)})` : formatAt(first.until, z);
  return `from ${formatAt(first.from, z)} to ${end}${more > 0 ? `, and ${more} more time${more === 1 ? "" : "s"} in the window` : ""}`;
}

/** The `first` and `times` fields of a warning. */
export function firstAndTimes(runs: readonly { from: Date; until: Date }[]): { first?: { from: string; until: string }; times: number } {
  const first = runs[0];
  return { ...(first ? { first: { from: first.from.toISOString(), until: first.until.toISOString() } } : {}), times: runs.length };
}
