/**
 * The instants of `/swap` and `/override`, read in a schedule's IANA time zone:
 *
 * - `2025-06-09`: the start of that day, local time;
 * - `2025-06-09T09:00` (or `…T09:00:00`): local time;
 * - `2025-06-09T09:00+02:00`, `2025-06-09T07:00Z`: that instant, whatever the zone.
 *
 * A local time that does not exist (inside a daylight-saving jump) or exists twice (the repeated
 * hour when clocks go back) is refused: write it with its offset. One pass over at most
 * {@link MAX_INSTANT_CHARS} characters, no regular expression; a longer word is refused unread.
 */
import { DateTime, IANAZone } from "luxon";
import { overCap } from "../../text/limits.js";
import { inlineUserText } from "../../text/untrusted.js";

export const MAX_INSTANT_CHARS = 40;

export type InstantArg = { ok: true; at: Date; local: boolean } | { ok: false; message: string };

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** The number written by the digits `text[from, from + n)`, or undefined when one is not a digit. */
function digits(text: string, from: number, n: number): number | undefined {
  if (from + n > text.length) return undefined;
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return undefined;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

const EXAMPLES = "`2025-06-09`, `2025-06-09T09:00` (in the schedule's time zone) or `2025-06-09T09:00+02:00`";

/** Read one instant argument in `zone`. */
export function parseInstantArg(word: string, zone: string): InstantArg {
  const shown = `\`${inlineUserText(word, MAX_INSTANT_CHARS)}\``;
  if (overCap(word, MAX_INSTANT_CHARS)) return { ok: false, message: `${shown} is not a date or time: write ${EXAMPLES}` };
  const bad = (why = "is not a date or time"): InstantArg => ({ ok: false, message: `${shown} ${why}: write ${EXAMPLES}` });
  const year = digits(word, 0, 4);
  const month = digits(word, 5, 2);
  const day = digits(word, 8, 2);
  if (year === undefined || month === undefined || day === undefined || word[4] !== "-" || word[7] !== "-") return bad();
  let hour = 0;
  let minute = 0;
  let second = 0;
  let i = 10;
  if (i < word.length) {
    if (word[i] !== "T" && word[i] !== "t") return bad();
    const h = digits(word, i + 1, 2);
    const m = digits(word, i + 4, 2);
    if (h === undefined || m === undefined || word[i + 3] !== ":") return bad();
    hour = h;
    minute = m;
    i += 6;
    if (word[i] === ":") {
      const s = digits(word, i + 1, 2);
      if (s === undefined) return bad();
      second = s;
      i += 3;
    }
  }
  let offset: string | undefined;
  if (i < word.length) {
    const c = word[i];
    if ((c === "Z" || c === "z") && i + 1 === word.length) offset = "UTC";
    else if ((c === "+" || c === "-") && i + 6 === word.length && word[i + 3] === ":") {
      const oh = digits(word, i + 1, 2);
      const om = digits(word, i + 4, 2);
      if (oh === undefined || om === undefined || oh > 14 || om > 59) return bad("has an offset that does not exist");
      offset = `UTC${c}${word.slice(i + 1, i + 6)}`;
    } else return bad();
  }
  const fields = { year, month, day, hour, minute, second };
  const dt = DateTime.fromObject(fields, { zone: offset ?? zone });
  if (!dt.isValid) return bad(offset === undefined && !IANAZone.isValidZone(zone) ? `cannot be read in the time zone \`${zone}\`` : "is not a real date or time");
  if (dt.year !== year || dt.month !== month || dt.day !== day || dt.hour !== hour || dt.minute !== minute) {
    return { ok: false, message: `${shown} does not exist in ${zone} (the clocks jump over it): write the instant with its offset, e.g. ${EXAMPLES}` };
  }
  if (offset === undefined) {
    const wall = (d: DateTime) => d.hour === hour && d.minute === minute && d.day === day;
    if (wall(dt.plus({ hours: 1 }).setZone(zone)) || wall(dt.minus({ hours: 1 }).setZone(zone))) {
      return { ok: false, message: `${shown} happens twice in ${zone} (the clocks go back): write the instant with its offset, e.g. \`${dt.toISO({ suppressMilliseconds: true, suppressSeconds: true })}\`` };
    }
  }
  return { ok: true, at: dt.toJSDate(), local: offset === undefined };
}

/** An instant as oncall.yml writes it: local time in `zone` with its offset, `2025-06-09T09:00+02:00`. */
export function zonedInstant(at: Date, zone: string): string {
  const dt = DateTime.fromJSDate(at, { zone });
  return dt.toISO({ suppressMilliseconds: true, suppressSeconds: dt.second === 0 }) ?? at.toISOString();
}
