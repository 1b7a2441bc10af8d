import { MAX_DURATION_CHARS, overCap } from "./text/limits.js";

const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };

/**
 * Milliseconds in a duration such as `15m`, `1h30m`, `24h`, `5d`, `0`; undefined if it does not
 * parse or is longer than {@link MAX_DURATION_CHARS}. One pass: digits, then a unit, repeated.
 */
export function parseDuration(text: string): number | undefined {
  if (overCap(text, MAX_DURATION_CHARS)) return undefined;
  const t = text.trim();
  if (t === "0") return 0;
  if (t === "") return undefined;
  let total = 0;
  let i = 0;
  while (i < t.length) {
    const digits = i;
    while (i < t.length && t.charCodeAt(i) >= 0x30 && t.charCodeAt(i) <= 0x39) i++;
    const unit = UNIT_MS[t[i] ?? ""];
    if (i === digits || unit === undefined) return undefined;
    total += Number(t.slice(digits, i)) * unit;
    i++;
  }
  return total;
}

/** Like parseDuration, for values the validator has already accepted. */
export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`invalid duration ${JSON.stringify(text)} passed validation`);
  return ms;
}

/** `1h 5m`, `45m`, `2d 3h`, `0m`: how people read a duration. */
export function formatDuration(ms: number): string {
  const negative = ms < 0;
  let rest = Math.round(Math.abs(ms) / 60_000);
  const d = Math.floor(rest / 1440);
  rest -= d * 1440;
  const h = Math.floor(rest / 60);
  const m = rest - h * 60;
  const parts = [d ? `${d}d` : "", h ? `${h}h` : "", m || (!d && !h) ? `${m}m` : ""].filter(Boolean);
  return (negative ? "-" : "") + parts.join(" ");
}
