/**
 * Checks of oncall.yml's `people` and `unavailable` (and layers' `backup`) that the schema cannot
 * express: time zones and holiday calendars that exist, dates that are real, ranges that end after
 * they start, and logins Charter knows. A typo in `who` would silently leave someone on call
 * during their vacation, so a login named nowhere else is an error, with a did-you-mean.
 */
import type { Governance } from "../../model/governance.js";
import type { OncallFile } from "../../model/oncall.js";
import { calendarChoices, calendarParts, isKnownCalendar } from "../../oncall/holidays.js";
import { whyNotADate } from "../../oncall/shift.js";
import { absenceRange } from "../../oncall/unavailability.js";
import type { Problem } from "../problem.js";
import { closest } from "../suggest.js";
import { checkTimeZone } from "./timezone.js";

const FILE = "oncall.yml";

/** Every login oncall.yml puts on call (participants, backups, overrides) and roles.yml names. */
export function knownLogins(g: Governance): string[] {
  const out = new Map<string, string>();
  const add = (login: string | undefined) => {
    if (login !== undefined && !login.includes("/") && !out.has(login.toLowerCase())) out.set(login.toLowerCase(), login);
  };
  for (const schedule of Object.values(g.oncall?.schedules ?? {})) {
    for (const tier of Object.values(schedule.tiers)) {
      for (const layer of tier.layers) {
        layer.participants.forEach(add);
        (layer.backup ?? []).forEach(add);
      }
    }
    for (const o of schedule.overrides ?? []) {
      add(o.who);
      add(o.replaces);
    }
  }
  for (const role of Object.values(g.roles.roles)) {
    (role.holders ?? []).forEach(add);
    (role.backups ?? []).forEach(add);
  }
  return [...out.values()];
}

function dateProblem(text: string, path: (string | number)[]): Problem | undefined {
  const why = whyNotADate(text);
  if (why) return { file: FILE, path, message: `\`${text}\` is not a date: ${why}`, hint: "write a real date, e.g. 2025-03-24" };
  return undefined;
}

function calendarProblem(calendar: string, login: string): Problem | undefined {
  if (isKnownCalendar(calendar)) return undefined;
  const choices = calendarChoices(calendar);
  const wrong = choices.level === "country" ? calendarParts(calendar)[0]! : calendar;
  const suggestion = closest(wrong, choices.known, { unique: true });
  const what = choices.level === "country" ? `no country \`${calendarParts(calendar)[0]}\`` : choices.level === "state" ? `no state \`${calendarParts(calendar)[1]}\` of ${choices.country}` : `no region \`${calendarParts(calendar)[2]}\` there`;
  const known = choices.known.length > 20 ? `${choices.known.slice(0, 20).join(", ")} … (${choices.known.length} in all)` : choices.known.join(", ");
  return {
    file: FILE,
    path: ["people", login, "holidays"],
    message: `unknown public-holiday calendar \`${calendar}\` for \`${login}\`: the holiday data has ${what}`,
    hint: `${suggestion ? `did you mean \`${suggestion}\`? ` : ""}write a country code (ISO 3166-1, e.g. DE, US, GB), optionally with a state${choices.level !== "country" ? `; known for ${choices.country}: ${known || "none"}` : ""}`,
  };
}

export function unavailabilityProblems(g: Governance): Problem[] {
  const oncall: OncallFile | undefined = g.oncall;
  if (!oncall) return [];
  const problems: Problem[] = [];
  const known = knownLogins(g);
  const isKnown = (login: string) => known.some((k) => k.toLowerCase() === login.toLowerCase());
  const unknownLogin = (login: string, path: (string | number)[], what: string): Problem => {
    const meant = closest(login, known, { unique: true });
    return {
      file: FILE,
      path,
      message: `\`${login}\` is not on any rotation, backup list or override of oncall.yml, nor a holder or backup in roles.yml, so ${what}`,
      hint: `${meant ? `did you mean \`${meant}\`? ` : ""}write the GitHub login of someone on call (logins compare case-insensitively)`,
    };
  };

  for (const [login, person] of Object.entries(oncall.people ?? {})) {
    if (!isKnown(login)) problems.push({ ...unknownLogin(login, ["people", login], "these settings change nothing"), at: "key" });
    if (person.timezone !== undefined) {
      const verdict = checkTimeZone(person.timezone);
      if (!verdict.ok) {
        problems.push({
          file: FILE,
          path: ["people", login, "timezone"],
          message: verdict.why ? `${verdict.why}, for \`${login}\`` : `unknown time zone \`${person.timezone}\` for \`${login}\``,
          ...(verdict.hint ? { hint: verdict.hint } : {}),
        });
      }
    }
    if (person.holidays !== undefined) {
      const p = calendarProblem(person.holidays, login);
      if (p) problems.push(p);
    }
  }

  (oncall.unavailable ?? []).forEach((entry, i) => {
    const base = ["unavailable", i];
    if (!isKnown(entry.who)) problems.push(unknownLogin(entry.who, [...base, "who"], "this absence changes nothing: they would still be paged if they were on call"));
    const bad = [dateProblem(entry.from, [...base, "from"]), dateProblem(entry.to, [...base, "to"])].filter((p): p is Problem => p !== undefined);
    problems.push(...bad);
    if (bad.length > 0) return;
    if (!absenceRange(oncall, entry)) {
      problems.push({
        file: FILE,
        path: [...base, "to"],
        message: `this absence of \`${entry.who}\` ends (${entry.to}) before it starts (${entry.from})`,
        hint: "a date `to` includes that whole day (from: 2025-03-24, to: 2025-03-24 is one day); an instant `to` is excluded and must be after `from`",
      });
    }
  });

  for (const [sid, schedule] of Object.entries(oncall.schedules)) {
    for (const [tid, tier] of Object.entries(schedule.tiers)) {
      tier.layers.forEach((layer, li) => {
        const seen = new Set<string>();
        (layer.backup ?? []).forEach((who, bi) => {
          const key = who.toLowerCase();
          if (seen.has(key)) {
            problems.push({ file: FILE, path: ["schedules", sid, "tiers", tid, "layers", li, "backup", bi], message: `\`${who}\` is listed twice in the backup list of tier \`${sid}/${tid}\``, hint: "name each backup once, in the order they are asked" });
          }
          seen.add(key);
        });
      });
    }
  }
  return problems;
}
