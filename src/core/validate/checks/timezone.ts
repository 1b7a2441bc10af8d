import { isValidZone } from "../../oncall/shift.js";
import { closest } from "../suggest.js";

/**
 * Whether a schedule's `timezone` is the IANA zone of a place (`Europe/Berlin`, `America/New_York`)
 * or `UTC`. The runtime also accepts abbreviations and fixed offsets (`EST`, `CET`, `EST5EDT`,
 * `Etc/GMT+5`): `EST` is −05:00 all year, so a New York team writing it would hand over an hour
 * late all summer. Those are refused, with the zone of a place to write instead.
 */

/** Longest zone name considered (the longest IANA name is about 30 characters). */
const MAX_ZONE_CHARS = 64;

/** Zones without an `Area/` that are fine: UTC, which never changes. */
const ACCEPTED_WITHOUT_AREA = new Set(["UTC"]);

/** Abbreviations and legacy names → the zone of a place that people using them usually mean. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  EST: "America/New_York", EDT: "America/New_York", ET: "America/New_York", EASTERN: "America/New_York",
  CST: "America/Chicago", CDT: "America/Chicago", CT: "America/Chicago", CENTRAL: "America/Chicago",
  MST: "America/Denver", MDT: "America/Denver", MT: "America/Denver", MOUNTAIN: "America/Denver",
  PST: "America/Los_Angeles", PDT: "America/Los_Angeles", PT: "America/Los_Angeles", PACIFIC: "America/Los_Angeles",
  AKST: "America/Anchorage", AKDT: "America/Anchorage", HST: "Pacific/Honolulu",
  CET: "Europe/Berlin", CEST: "Europe/Berlin", MET: "Europe/Berlin", MEST: "Europe/Berlin",
  EET: "Europe/Athens", EEST: "Europe/Athens", WET: "Europe/Lisbon", WEST: "Europe/Lisbon",
  GMT: "Europe/London", BST: "Europe/London", MSK: "Europe/Moscow",
  IST: "Asia/Kolkata", JST: "Asia/Tokyo", KST: "Asia/Seoul", SGT: "Asia/Singapore", HKT: "Asia/Hong_Kong",
  AEST: "Australia/Sydney", AEDT: "Australia/Sydney", ACST: "Australia/Adelaide", AWST: "Australia/Perth",
  NZST: "Pacific/Auckland", NZDT: "Pacific/Auckland", BRT: "America/Sao_Paulo",
  EST5EDT: "America/New_York", CST6CDT: "America/Chicago", MST7MDT: "America/Denver", PST8PDT: "America/Los_Angeles",
  ZULU: "UTC", UNIVERSAL: "UTC", UCT: "UTC", GMT0: "UTC", GREENWICH: "UTC",
};

/** A place for a fixed offset in minutes east of UTC, for the did-you-mean. */
const PLACE_BY_OFFSET: Readonly<Record<number, string>> = {
  [-600]: "Pacific/Honolulu", [-480]: "America/Los_Angeles", [-420]: "America/Denver", [-360]: "America/Chicago", [-300]: "America/New_York",
  [-180]: "America/Sao_Paulo", 0: "UTC", 60: "Europe/Berlin", 120: "Europe/Athens", 180: "Europe/Moscow", 330: "Asia/Kolkata",
  480: "Asia/Singapore", 540: "Asia/Tokyo", 600: "Australia/Sydney", 720: "Pacific/Auckland",
};

/** The IANA zone names of this runtime, and UTC. */
let zoneNames: string[] | undefined;
export function knownZones(): string[] {
  if (!zoneNames) {
    let supported: string[];
    try {
      supported = Intl.supportedValuesOf("timeZone");
    } catch {
      supported = [];
    }
    zoneNames = [...new Set(["UTC", ...supported])];
  }
  return zoneNames;
}

function digitsValue(text: string): number | undefined {
  if (text.length === 0 || text.length > 2) return undefined;
  let n = 0;
  for (const ch of text) {
    const d = ch.charCodeAt(0) - 0x30;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Minutes east of UTC of a fixed offset as people write it: `+01:00`, `-0500`, `UTC+1`, `GMT-5`,
 * `UTC+05:30`, `Z`; and `Etc/GMT-1`, whose sign is inverted (POSIX). Undefined for anything else.
 * One pass over at most {@link MAX_ZONE_CHARS} characters.
 */
export function fixedOffsetMinutes(zone: string): number | undefined {
  const t = zone.trim();
  if (t.length > MAX_ZONE_CHARS) return undefined;
  const upper = t.toUpperCase();
  if (upper === "Z") return 0;
  let rest = upper;
  let invert = false;
  if (rest.startsWith("ETC/GMT")) {
    rest = rest.slice(7);
    invert = true;
  } else if (rest.startsWith("UTC") || rest.startsWith("GMT")) rest = rest.slice(3);
  const sign = rest[0] === "+" ? 1 : rest[0] === "-" || rest[0] === "\u2212" ? -1 : 0;
  if (sign === 0) return undefined;
  rest = rest.slice(1);
  let hours: number | undefined;
  let minutes = 0;
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    hours = digitsValue(rest.slice(0, colon));
    const m = digitsValue(rest.slice(colon + 1));
    if (m === undefined || rest.length - colon - 1 !== 2) return undefined;
    minutes = m;
  } else if (rest.length === 4) {
    hours = digitsValue(rest.slice(0, 2));
    const m = digitsValue(rest.slice(2));
    if (m === undefined) return undefined;
    minutes = m;
  } else hours = digitsValue(rest);
  if (hours === undefined || hours > 14 || minutes > 59) return undefined;
  const total = sign * (hours * 60 + minutes);
  return invert ? -total : total;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** A zone name as it is spelt in the IANA list (`europe/berlin` → `Europe/Berlin`), when it is one. */
function byCity(zone: string): string | undefined {
  const zones = knownZones();
  const city = (zone.split("/").pop() ?? zone).trim().replace(/\s+/g, "_").toLowerCase();
  return zones.find((z) => (z.split("/").pop() ?? "").toLowerCase() === city);
}

/** A hint for a zone name that is not one: did-you-mean by spelling, or by city (`Berlin`, `new york`). */
export function suggestTimeZone(zone: string): string {
  const bySpelling = closest(zone, knownZones());
  if (bySpelling) return `did you mean \`${bySpelling}\`?`;
  const city = byCity(zone);
  if (city) return `did you mean \`${city}\`?`;
  return "use an IANA time zone name such as Europe/Berlin, America/New_York or UTC";
}

export interface ZoneVerdict {
  ok: boolean;
  /** Why it is refused, in words, e.g. "`EST` is an abbreviation, not a time zone: …". */
  why?: string;
  hint?: string;
}

const ADVICE = "Write the IANA zone of a place (Area/City)";

/** Whether `zone` is the IANA zone of a place or UTC; when not, why, and what to write instead. */
export function checkTimeZone(zone: string): ZoneVerdict {
  if (zone.length > MAX_ZONE_CHARS) return { ok: false, why: `the time zone is ${zone.length} characters long`, hint: "use an IANA time zone name such as Europe/Berlin, America/New_York or UTC" };
  if (ACCEPTED_WITHOUT_AREA.has(zone)) return { ok: true };
  const offset = fixedOffsetMinutes(zone);
  if (offset !== undefined) {
    const place = PLACE_BY_OFFSET[offset];
    const posix = zone.toUpperCase().startsWith("ETC/GMT");
    const why = `\`${zone}\` is a fixed offset${posix ? ` (${formatOffset(offset)})` : ""}, not a time zone: it never changes for daylight saving time`;
    const example = place ?? "Europe/Berlin";
    return { ok: false, why, hint: `${place ? `did you mean \`${place}\`? ` : ""}${ADVICE} whose clocks you follow, e.g. ${example === "UTC" ? "Europe/London" : example}; UTC is accepted` };
  }
  const key = zone.trim().toUpperCase();
  const meant = ABBREVIATIONS[key];
  if (meant !== undefined || (!zone.includes("/") && isValidZone(zone))) {
    const posixRule = /^[A-Z]{3}\d[A-Z]{3}$/.test(key);
    const fixed = isValidZone(zone) && !posixRule ? fixedOffsetOf(zone) : undefined;
    const what = posixRule ? "a POSIX-style rule, not a place's time zone" : `an abbreviation, not a time zone${fixed !== undefined ? `: it is a fixed offset (${formatOffset(fixed)}) all year, with no daylight saving time` : ""}`;
    const also = meant === "Europe/London" ? " (or `UTC`, which never changes)" : "";
    return { ok: false, why: `\`${zone}\` is ${what}`, hint: `${meant ? `did you mean \`${meant}\`?${also} ` : ""}${ADVICE}, e.g. ${meant && meant !== "UTC" ? meant : "America/New_York"}; UTC is accepted` };
  }
  if (!isValidZone(zone)) return { ok: false, hint: suggestTimeZone(zone) };
  return { ok: true };
}

/** The offset of a zone in minutes when it is the same all year (January and July), else undefined. */
function fixedOffsetOf(zone: string): number | undefined {
  const offsetAt = (iso: string) => {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(new Date(iso));
    const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "";
    return name === "GMT" ? 0 : fixedOffsetMinutes(name);
  };
  const winter = offsetAt("2025-01-15T12:00:00Z");
  const summer = offsetAt("2025-07-15T12:00:00Z");
  return winter !== undefined && winter === summer ? winter : undefined;
}
