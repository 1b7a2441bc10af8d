/**
 * `charter report`: figures from an incident and sign-off history, as a pure function of what
 * Charter recorded (the facts) and the period. No clock: `now` is an input, and an episode still
 * open counts up to the period's end, which is never after `now`.
 */
import type { IncidentState } from "../incidents/state.js";
import { asOf, compliance, episodesOf, type Compliance, type Episode } from "./episodes.js";
import type { ReportFacts } from "./facts.js";
import { afterHoursMs, formatWorkingHours, isAfterHours, type WorkingHours } from "./hours.js";
import { switchRows, type ScopeRow } from "./killswitch.js";
import { gateRows, type GateRow } from "./signoff.js";
import { hours, minutes, stat, type Stat } from "./stats.js";

export interface ReportOptions {
  since: Date;
  until: Date;
  now: Date;
  /** Each person's IANA zone, by lower-case login (from the on-call schedules they rotate in). */
  zones: Record<string, string>;
  /** The zone of anyone not in `zones` (the first schedule's, else UTC). */
  defaultZone: string;
  hours: WorkingHours;
  /** Severities in the order incidents.yml lists them (others follow, by name). */
  severityOrder?: readonly string[];
}

export interface SeverityRow {
  severity: string;
  /** Episodes (openings and reopenings) that started in the period. */
  incidents: number;
  acknowledged: number;
  resolved: number;
  /** Episodes in which the ladder paged a step after its first. */
  escalated: number;
  /** Minutes from an episode's start to its first acknowledgement. */
  mtta: Stat;
  /** Minutes from an episode's start to its resolution. */
  mttr: Stat;
  compliance: Record<Compliance, number> & { rate: number | null };
}

export interface PersonRow {
  login: string;
  zone: string;
  /** Pages Charter sent that named this person, in the period. */
  pages: number;
  /** Of these, pages sent outside working hours in the person's zone. */
  afterHoursPages: number;
  /** Hours responding: from the first page or acknowledgement of an episode to its resolution, overlaps counted once. */
  respondingHours: number;
  /** Of these, hours outside working hours in the person's zone. */
  afterHoursHours: number;
}

export interface EpisodeRow {
  issue: number;
  episode: number;
  severity: string;
  start: string;
  ackBy?: string;
  /** Minutes to the first acknowledgement. */
  tta?: number;
  /** Minutes to resolution. */
  ttr?: number;
  compliance: Compliance;
}

export interface Report {
  repo?: string;
  since: string;
  until: string;
  workingHours: string;
  totals: { incidents: number; acknowledged: number; resolved: number; open: number; pages: number };
  severities: SeverityRow[];
  people: PersonRow[];
  gates: GateRow[];
  killSwitch: ScopeRow[];
  episodes: EpisodeRow[];
  /** Records found and not counted, and why (docs/report.md, "What it trusts"). */
  notCounted: string[];
}

const lower = (s: string) => s.toLowerCase();

function merge(intervals: [number, number][]): [number, number][] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function severityRows(episodes: Episode[], end: number, order: readonly string[]): SeverityRow[] {
  const by = new Map<string, Episode[]>();
  for (const e of episodes) by.set(e.severity, [...(by.get(e.severity) ?? []), e]);
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  return [...by.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([severity, list]) => {
      const counts: Record<Compliance, number> = { met: 0, missed: 0, pending: 0, "not-needed": 0, unknown: 0 };
      for (const e of list) counts[compliance(e, end)]++;
      const judged = counts.met + counts.missed;
      return {
        severity,
        incidents: list.length,
        acknowledged: list.filter((e) => e.ack).length,
        resolved: list.filter((e) => e.resolvedAt !== undefined).length,
        escalated: list.filter((e) => e.escalated).length,
        mtta: stat(list.filter((e) => e.ack).map((e) => minutes(e.ack!.at - e.start))),
        mttr: stat(list.filter((e) => e.resolvedAt !== undefined).map((e) => minutes(e.resolvedAt! - e.start))),
        compliance: { ...counts, rate: judged ? counts.met / judged : null },
      };
    });
}

function peopleRows(all: Episode[], since: number, end: number, options: ReportOptions): PersonRow[] {
  const people = new Map<string, { login: string; pages: number; afterPages: number; intervals: [number, number][] }>();
  const person = (login: string) => {
    let p = people.get(lower(login));
    if (!p) people.set(lower(login), (p = { login, pages: 0, afterPages: 0, intervals: [] }));
    return p;
  };
  const zoneOf = (login: string) => options.zones[lower(login)] ?? options.defaultZone;
  for (const e of all) {
    const first = new Map<string, { login: string; at: number }>();
    const touch = (login: string, at: number) => {
      const f = first.get(lower(login));
      if (!f || at < f.at) first.set(lower(login), { login, at });
    };
    for (const p of e.pages) {
      const at = Date.parse(p.at);
      const seen = new Set<string>();
      for (const login of p.people) {
        if (seen.has(lower(login))) continue;
        seen.add(lower(login));
        touch(login, at);
        if (at < since || at >= end) continue;
        const row = person(login);
        row.pages++;
        if (isAfterHours(at, zoneOf(login), options.hours)) row.afterPages++;
      }
    }
    for (const a of e.acks) touch(a.by, a.at);
    const stop = Math.min(e.resolvedAt ?? end, end);
    for (const { login, at } of first.values()) {
      const from = Math.max(at, since);
      if (stop > from) person(login).intervals.push([from, stop]);
    }
  }
  return [...people.values()]
    .map((p) => {
      const zone = zoneOf(p.login);
      const merged = merge(p.intervals);
      return {
        login: p.login,
        zone,
        pages: p.pages,
        afterHoursPages: p.afterPages,
        respondingHours: hours(merged.reduce((s, [a, b]) => s + b - a, 0)),
        afterHoursHours: hours(merged.reduce((s, [a, b]) => s + afterHoursMs(a, b, zone, options.hours), 0)),
      };
    })
    .filter((p) => p.pages > 0 || p.respondingHours > 0)
    .sort((a, b) => b.pages - a.pages || b.afterHoursHours - a.afterHoursHours || a.login.localeCompare(b.login));
}

/** The report of the period [since, until): a pure function of the facts and the options. */
export function buildReport(facts: ReportFacts, options: ReportOptions): Report {
  const since = options.since.getTime();
  const end = Math.min(options.until.getTime(), options.now.getTime());
  const all: Episode[] = facts.incidents.flatMap((s: IncidentState) => episodesOf(s, end).map((e) => asOf(e, end)));
  const inPeriod = all.filter((e) => e.start >= since && e.start < end).sort((a, b) => a.start - b.start || a.issue - b.issue || a.episode - b.episode);
  const severities = severityRows(inPeriod, end, options.severityOrder ?? []);
  const people = peopleRows(all, since, end, options);
  const pages = all.reduce((n, e) => n + e.pages.filter((p) => Date.parse(p.at) >= since && Date.parse(p.at) < end).length, 0);
  return {
    ...(facts.repo ? { repo: facts.repo } : {}),
    since: new Date(since).toISOString(),
    until: new Date(end).toISOString(),
    workingHours: formatWorkingHours(options.hours),
    totals: {
      incidents: inPeriod.length,
      acknowledged: inPeriod.filter((e) => e.ack).length,
      resolved: inPeriod.filter((e) => e.resolvedAt !== undefined).length,
      open: inPeriod.filter((e) => e.resolvedAt === undefined).length,
      pages,
    },
    severities,
    people,
    gates: gateRows(facts.pulls, facts.log, since, end),
    killSwitch: switchRows(facts.log, facts.pulls, since, end),
    episodes: inPeriod.map((e) => ({
      issue: e.issue,
      episode: e.episode,
      severity: e.severity,
      start: new Date(e.start).toISOString(),
      ...(e.ack ? { ackBy: e.ack.by, tta: minutes(e.ack.at - e.start) } : {}),
      ...(e.resolvedAt !== undefined ? { ttr: minutes(e.resolvedAt - e.start) } : {}),
      compliance: compliance(e, end),
    })),
    notCounted: [...(facts.notCounted ?? [])],
  };
}
