/**
 * `charter drill incident`: a scripted incident against the real rules, with no GitHub. It runs
 * the very functions the app runs on an incident (open it, then a reconcile pass at every instant
 * something becomes due, `/ack` at the chosen offset) on an in-memory record, and reports who was
 * assigned, named as the backup, paged, notified and reminded, and when. Nothing is sent.
 */
import { durationMs } from "../duration.js";
import { nextDueAt } from "../incidents/due.js";
import { stepKey } from "../incidents/ladder.js";
import { incidentZone } from "../incidents/oncall-report.js";
import { planPass, remindees, type PassContext } from "../incidents/pass.js";
import { pageGroups, routeFor, type PageGroup } from "../incidents/people.js";
import { incidentOwner, type IncidentState, type PageRecord } from "../incidents/state.js";
import { acknowledge, isRefused, openIncident } from "../incidents/transitions.js";
import { OWNER } from "../model/incidents.js";
import type { Governance } from "../model/governance.js";
import { nextChange, nextHandoffs, whoIsOnCall } from "../oncall/resolve.js";
import { tiersOfRef } from "./refs.js";

/** One role or tier as a drill resolved it at an instant: who, and how (holders, backups, nobody). */
export interface DrillGroup {
  target: string;
  title: string;
  people: string[];
  teams: string[];
  source: PageGroup["source"];
}

export type DrillEventKind = "opened" | "routing" | "step" | "repeat" | "ack-deadline" | "reminder" | "ack" | "handoff";

/** Something Charter would do (or that happens to the rota) during the drill. */
export interface DrillEvent {
  kind: DrillEventKind;
  /** ISO instant. */
  at: string;
  /** Milliseconds since the incident opened. */
  offsetMs: number;
  /** In words, e.g. "step 2 of 4 (Secondary joins)". */
  what: string;
  /** Whom, by role or tier (pages); empty for notices and reminders, which address people. */
  groups: DrillGroup[];
  /** The logins addressed (paged, notified, reminded, handed over to). */
  people: string[];
  /** Teams mentioned (their members are not known to a drill). */
  teams: string[];
}

export interface IncidentDrillInput {
  /** A severity name of incidents.yml (already resolved from what the person typed). */
  severity: string;
  /** When the incident opens. */
  at: Date;
  /** `/ack` this long after opening, by the incident's owner. */
  ackAfterMs?: number;
  /** The service or area the incident form names (routing). */
  service?: string;
  /** How long to follow the incident. */
  forMs: number;
  /** Also report handoffs of the tiers the incident can reach (default true). */
  handoffs?: boolean;
}

/** Someone unavailable on a tier the incident can page, while it runs, and who covers. */
export interface DrillCovering {
  tier: string;
  /** The rotation's person, unavailable. */
  rostered: string;
  reason: string;
  /** The absence, ISO instants. */
  from: string;
  until: string;
  /** Who covers (empty: nobody is available). */
  by: string[];
  via?: "backup" | "next-in-turn" | "earlier-layer";
}

export interface IncidentDrill {
  severity: string;
  title?: string;
  /** The zone Charter writes incident messages in (the first schedule's, else UTC). */
  zone: string;
  openedAt: string;
  until: string;
  service?: { name: string; route?: string; serviceTier?: string };
  assigned: DrillGroup & { via: "routing" | "service" | "severity" | "ladder" };
  backup?: DrillGroup & { via: "routing" | "severity" | "ladder" };
  /** The incident's owner at opening: whom reminders (`owner`) and the acknowledgement notice address. */
  owner: string[];
  /** incidents.yml `remind` of the severity (default `[owner]`). */
  remind: string[];
  /** `/ack` as scripted: when and by whom (undefined `by`: nobody could acknowledge). */
  ack?: { at: string; by?: string };
  events: DrillEvent[];
  /** The incident-start message and the first page, as the status comment would begin. */
  startMessage: string;
  /** People unavailable on the tiers the incident can page while it runs, and who covers for them. */
  covering: DrillCovering[];
}

/** The default length of a drill: 4h, or the last ladder step plus 1h when that is later. */
export function defaultDrillLength(g: Governance, severity: string): number {
  const steps = g.incidents?.severities[severity]?.escalation ?? [];
  const last = Math.max(0, ...steps.map((s) => durationMs(s.after)));
  return Math.max(4 * 3_600_000, last + 3_600_000);
}

function group(g: PageGroup): DrillGroup {
  return { target: g.target, title: g.title, people: [...g.people], teams: [...g.teams], source: g.source };
}

/** Everyone a page reached, as its record says, with the roles resolved at the page's instant. */
function pageEvent(gv: Governance, record: PageRecord, openedAt: number, kind: DrillEventKind, what: string): DrillEvent {
  const groups = pageGroups(gv, record.targets, new Date(record.at)).map(group);
  return { kind, at: record.at, offsetMs: Date.parse(record.at) - openedAt, what, groups, people: [...record.people], teams: groups.flatMap((x) => x.teams) };
}

/** The pages, notices and reminders a transition added to the record, as events. */
function eventsBetween(ctx: PassContext, before: IncidentState, after: IncidentState, openedAt: number): DrillEvent[] {
  const out: DrillEvent[] = [];
  const ladder = after.ladder;
  for (const record of after.pages.slice(before.pages.length)) {
    if (record.kind === "routing") out.push(pageEvent(ctx.g, record, openedAt, "routing", `routing for \`${after.service ?? "?"}\` notifies`));
    else if (record.kind === "repeat") out.push(pageEvent(ctx.g, record, openedAt, "repeat", `repeat ${record.key.split(".")[1] ?? ""} of the last step`));
    else if (record.kind === "step" || record.kind === "escalate") {
      const index = ladder.steps.findIndex((_, i) => stepKey(ladder.gen, i) === record.key);
      const step = ladder.steps[index];
      out.push(pageEvent(ctx.g, record, openedAt, "step", `step ${index + 1} of ${ladder.steps.length}${step?.note ? ` (${step.note})` : ""}${step?.until === "resolved" ? ", until resolved" : ""}`));
    }
  }
  const at = ctx.now.toISOString();
  const offsetMs = ctx.now.getTime() - openedAt;
  if (after.ackNoticed.length > before.ackNoticed.length) {
    const who = incidentOwner(after);
    out.push({ kind: "ack-deadline", at, offsetMs, what: `not acknowledged within ${ladder.ackWithin ?? "?"}: notice to the owner`, groups: [], people: who, teams: [] });
  }
  if (after.reminded !== before.reminded && after.reminded !== undefined) {
    const who = remindees(ctx, after);
    out.push({ kind: "reminder", at, offsetMs, what: `status update due (every ${ladder.updatesEvery ?? "?"}): reminder`, groups: [], people: who, teams: [] });
  }
  return out;
}

/** Who covers for whom on `tiers` between `from` and `until` (each absence once per tier and cover). */
function coveringOf(g: Governance, tiers: readonly string[], from: Date, until: Date): DrillCovering[] {
  const out: DrillCovering[] = [];
  const seen = new Set<string>();
  for (const tier of tiers) {
    let t = from;
    for (let guard = 0; guard < 1_000 && t.getTime() < until.getTime(); guard++) {
      const r = whoIsOnCall(g.oncall, tier, t);
      const first = r.covering?.skipped[0];
      if (r.covering && first) {
        const key = `${tier}|${first.who.toLowerCase()}|${first.absence.from.getTime()}|${r.who.join(",")}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push({ tier, rostered: r.covering.rostered, reason: first.absence.reason, from: first.absence.from.toISOString(), until: first.absence.until.toISOString(), by: [...r.who], ...(r.covering.via ? { via: r.covering.via } : {}) });
        }
      }
      const next = nextChange(g.oncall, tier, t, new Set());
      if (next === undefined) break;
      t = new Date(next);
    }
  }
  return out;
}

/** Handoffs of the tiers this incident can reach (assign, backup, ladder, routing, remind) while it runs. */
function handoffEvents(g: Governance, refs: readonly string[], from: Date, until: Date): DrillEvent[] {
  const tiers = [...new Set(refs.flatMap((r) => tiersOfRef(g, r)))];
  const out: DrillEvent[] = [];
  const days = Math.ceil((until.getTime() - from.getTime()) / 86_400_000) + 1;
  for (const tier of tiers) {
    for (const h of nextHandoffs(g.oncall, tier, from, 1_000, days)) {
      if (h.at.getTime() > until.getTime()) break;
      out.push({
        kind: "handoff",
        at: h.at.toISOString(),
        offsetMs: h.at.getTime() - from.getTime(),
        what: `handoff of ${tier}: ${h.from.join(", ") || "nobody"} → ${h.to.join(", ") || "nobody"}${h.next.covering ? ` (${h.next.covering.rostered} unavailable: ${h.next.covering.skipped[0]?.absence.reason ?? "unavailable"})` : ""}`,
        groups: [],
        people: [...h.to],
        teams: [],
      });
    }
  }
  return out;
}

const ORDER: Record<DrillEventKind, number> = { handoff: 0, opened: 1, routing: 2, ack: 3, step: 4, repeat: 5, "ack-deadline": 6, reminder: 7 };

/** Run the drill: pure, from the model, the severity and the script. */
export function drillIncident(g: Governance, input: IncidentDrillInput): IncidentDrill {
  const inc = g.incidents;
  if (!inc || !inc.severities[input.severity]) throw new Error(`unknown severity ${input.severity}`);
  const sev = inc.severities[input.severity]!;
  const zone = incidentZone(g);
  const openedAt = input.at.getTime();
  const end = openedAt + input.forMs;
  const ctxAt = (now: number): PassContext => ({ g, now: new Date(now), heading: false });

  const opened = openIncident(ctxAt(openedAt), {
    inc,
    issue: { number: 0, title: `Drill: a ${input.severity} incident`, author: "charter-drill" },
    severity: input.severity,
    openedAt: input.at,
    ...(input.service ? { form: { service: input.service } } : {}),
    zone,
  });
  const r = opened.responders;
  const { reminded: _reminded, ...rest } = opened.state;
  const beforeOpening: IncidentState = { ...rest, pages: [], ackNoticed: [] };
  const events: DrillEvent[] = [
    {
      kind: "opened",
      at: input.at.toISOString(),
      offsetMs: 0,
      what: "opened; assigned",
      groups: r.primary ? [group(r.primary)] : [],
      people: r.primary ? [...r.primary.people] : [],
      teams: r.primary ? [...r.primary.teams] : [],
    },
    ...eventsBetween(ctxAt(openedAt), beforeOpening, opened.state, openedAt),
  ];

  let state = opened.state;
  const ackAt = input.ackAfterMs !== undefined ? openedAt + input.ackAfterMs : undefined;
  let ack: IncidentDrill["ack"];
  let t = openedAt;
  for (let guard = 0; guard < 10_000; guard++) {
    const due = nextDueAt(state, new Date(t));
    const ackPending = ackAt !== undefined && ack === undefined && ackAt >= t && ackAt <= end;
    const next = Math.min(due ?? Infinity, ackPending ? ackAt : Infinity);
    if (!Number.isFinite(next) || next > end || (next <= t && !(ackPending && next === ackAt) && guard > 0)) break;
    if (ackPending && next === ackAt) {
      const by = incidentOwner(state)[0];
      ack = { at: new Date(ackAt).toISOString(), ...(by ? { by } : {}) };
      if (by) {
        const result = acknowledge(ctxAt(ackAt), state, by);
        if (!isRefused(result)) {
          events.push({ kind: "ack", at: ack.at, offsetMs: ackAt - openedAt, what: "/ack by the owner", groups: [], people: [by], teams: [] });
          events.push(...eventsBetween(ctxAt(ackAt), state, result.state, openedAt));
          state = result.state;
        }
      }
      t = ackAt;
      continue;
    }
    const plan = planPass(ctxAt(next), state);
    events.push(...eventsBetween(ctxAt(next), state, plan.state, openedAt));
    state = plan.state;
    t = next;
  }
  if (ackAt !== undefined && ack === undefined && ackAt <= end) ack = { at: new Date(ackAt).toISOString() };

  const refs = [
    ...(r.assign ? [r.assign] : []),
    ...(r.backup ? [r.backup.target] : []),
    ...r.notify,
    ...sev.escalation.flatMap((s) => s.notify),
    ...(sev.remind ?? []).filter((x) => x !== OWNER),
  ];
  if (input.handoffs !== false) events.push(...handoffEvents(g, refs, input.at, new Date(end)));
  const covering = input.handoffs !== false ? coveringOf(g, [...new Set(refs.flatMap((x) => tiersOfRef(g, x)))], input.at, new Date(end)) : [];
  events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || ORDER[a.kind] - ORDER[b.kind]);

  const route = routeFor(inc, input.service);
  const assigned: IncidentDrill["assigned"] = r.primary
    ? { ...group(r.primary), via: r.via }
    : { target: "", title: "nobody", people: [], teams: [], source: "nobody", via: r.via };
  const intro = opened.state.intro;
  return {
    severity: input.severity,
    ...(sev.title ? { title: sev.title } : {}),
    zone,
    openedAt: input.at.toISOString(),
    until: new Date(end).toISOString(),
    ...(input.service
      ? { service: { name: input.service, ...(route ? { route: route.area } : {}), ...(r.via === "service" && r.assign ? { serviceTier: r.assign } : {}) } }
      : {}),
    assigned,
    ...(r.secondary && r.backup ? { backup: { ...group(r.secondary), via: r.backup.via } } : {}),
    owner: incidentOwner(opened.state),
    remind: [...(sev.remind ?? [OWNER])],
    ...(ack ? { ack } : {}),
    events,
    startMessage: intro,
    covering,
  };
}

