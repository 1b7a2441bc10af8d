import type { Governance } from "../model/governance.js";
import type { TeamMembers } from "../roles/resolve.js";
import { dueActions, type DueAction, type DueOptions } from "./due.js";
import { stepDueAt, stepKey } from "./ladder.js";
import type { DoneMarker } from "./marker.js";
import { mentionGroups, mentions, pageGroups, peopleOf, type PageGroup } from "./people.js";
import { OWNER } from "../model/incidents.js";
import { uniqueLogins } from "../roles/resolve.js";
import { awaitingAcks, incidentOwner, isAcknowledged, lastUpdate, liveAcks, type IncidentState, type PageRecord } from "./state.js";
import { formatClock, formatOffset } from "./time.js";

/** What one reconcile pass over an incident does: the lines of one comment, whom to assign, and the state after. */
export interface PassPlan {
  state: IncidentState;
  actions: DueAction[];
  /** Markdown lines for the comment (empty: nothing to post). */
  lines: string[];
  /** Logins paged, to add as assignees. */
  assign: string[];
  /** What the comment does, for its `charter:done` marker. */
  done: DoneMarker;
  /** One line per action, for logs and `charter sweep`. */
  summary: string[];
}

export interface PassContext {
  g: Governance;
  now: Date;
  teams?: TeamMembers;
  due?: DueOptions;
  /** Start the comment with a line saying the incident is not acknowledged (default true). */
  heading?: boolean;
}

function lateNote(state: IncidentState, a: { dueAt: number; lateness: string }, now: Date, what: string): string {
  const start = Date.parse(state.ladder.start);
  if (a.lateness === "late") {
    return ` — ${formatOffset(a.dueAt - start)} ${what} done at ${formatOffset(now.getTime() - start)}: Charter was not running when it was due (${formatClock(a.dueAt, state.zone)})`;
  }
  if (a.lateness === "replanned") {
    return ` — due at ${formatOffset(a.dueAt - start)} on the ${state.ladder.severity} ladder, which applies since the severity changed; paged now`;
  }
  if (a.lateness === "lapsed") {
    return ` — due at ${formatOffset(a.dueAt - start)}, skipped while the incident was acknowledged; paged now that the acknowledgement lapsed`;
  }
  return "";
}

/** Page a ladder step now (due, or `/escalate`): the line, the record, the people. */
/**
 * Whom a status-update reminder addresses now: the ladder's `remind` (default `[owner]`): the
 * incident's owner ({@link incidentOwner}) and the holders of the roles or tiers it lists, at
 * `ctx.now` (teams cannot be assigned, so they are named by their members when known).
 */
export function remindees(ctx: PassContext, state: IncidentState): string[] {
  const remind = state.ladder.remind ?? [OWNER];
  const roles = remind.filter((r) => r !== OWNER);
  const people = [...(remind.includes(OWNER) ? incidentOwner(state) : []), ...peopleOf(pageGroups(ctx.g, roles, ctx.now, ctx.teams))];
  return uniqueLogins(people);
}

export function pageStep(
  ctx: PassContext,
  state: IncidentState,
  index: number,
  how: { kind: "step" | "escalate"; lateness?: DueAction["lateness"]; by?: string; reason?: string },
): { line: string; record: PageRecord; groups: PageGroup[] } {
  const ladder = state.ladder;
  const step = ladder.steps[index]!;
  const dueAt = stepDueAt(ladder, index);
  const groups = pageGroups(ctx.g, step.notify, ctx.now, ctx.teams);
  const label = `step ${index + 1} of ${ladder.steps.length} of the ${ladder.severity} ladder (${formatOffset(step.afterMs)}${step.note ? `, ${step.note}` : ""})`;
  const head =
    how.kind === "escalate"
      ? `⏫ **Escalated by @${how.by}** to ${label}${how.reason ? `: ${how.reason}` : ""}`
      : `🔔 **${label.charAt(0).toUpperCase()}${label.slice(1)}**`;
  const late = how.kind === "step" && how.lateness ? lateNote(state, { dueAt, lateness: how.lateness }, ctx.now, "step") : "";
  const record: PageRecord = {
    key: stepKey(ladder.gen, index),
    kind: how.kind,
    at: ctx.now.toISOString(),
    due: new Date(dueAt).toISOString(),
    ...(how.lateness === "late" || how.lateness === "replanned" || how.lateness === "lapsed" ? { late: how.lateness } : {}),
    targets: [...step.notify],
    people: peopleOf(groups),
    ...(step.note ? { note: step.note } : {}),
    ...(how.by ? { by: how.by } : {}),
    episode: state.episode,
    ...(step.ack === "all" ? { ackAll: true as const } : {}),
  };
  const all = step.ack === "all" && record.people.length > 1 ? " — each of you acknowledges with `/ack`" : "";
  return { line: `${head}: ${mentionGroups(groups)}${all}${late}`, record, groups };
}

/**
 * Carry out what is due (see {@link dueActions}) in one comment: page each due step, repeat,
 * announce a missed acknowledgement deadline, remind about status updates. Pure: people are
 * resolved from the model at `now`, and the returned state records everything done.
 */
export function planPass(ctx: PassContext, input: IncidentState): PassPlan {
  let actions = dueActions(input, ctx.now, ctx.due);
  let state = input;
  const lines: string[] = [];
  const assign: string[] = [];
  const summary: string[] = [];
  const done: DoneMarker = { keys: [] };
  const start = Date.parse(state.ladder.start);
  const all: DueAction[] = [];
  // An acknowledgement that lapses brings back the steps it held: after it, what is due is asked again.
  for (let round = 0; round < 2 && actions.length > 0; round++) {
    all.push(...actions);
    for (const a of actions) {
      switch (a.kind) {
        case "step": {
          const { line, record } = pageStep(ctx, state, a.index, { kind: "step", lateness: a.lateness });
          state = { ...state, pages: [...state.pages, record] };
          lines.push(line);
          assign.push(...record.people);
          done.keys.push(record.key);
          summary.push(`#${state.issue} ${state.ladder.severity} ${formatOffset(a.dueAt - start)} step paged ${record.people.join(", ") || "nobody"}${a.lateness === "on-time" ? "" : ` (${a.lateness})`}`);
          break;
        }
        case "repeat": {
          const groups = pageGroups(ctx.g, a.targets, ctx.now, ctx.teams);
          const record: PageRecord = {
            key: a.key,
            kind: "repeat",
            at: ctx.now.toISOString(),
            due: new Date(a.dueAt).toISOString(),
            ...(a.lateness !== "on-time" ? { late: a.lateness } : {}),
            targets: a.targets,
            people: peopleOf(groups),
            episode: state.episode,
          };
          state = { ...state, pages: [...state.pages, record], repeated: { gen: state.ladder.gen, k: a.k } };
          const skipped = a.skipped > 0 ? ` (${a.skipped} earlier repeat${a.skipped === 1 ? " was" : "s were"} not sent: Charter was not running)` : "";
          lines.push(`🔁 **Repeat ${a.k}${state.ladder.repeat?.max ? ` of ${state.ladder.repeat.max}` : ""} of the last step** (every ${state.ladder.repeat?.every ?? "?"}, until ${state.ladder.repeat?.until ?? "acknowledged"}): ${mentionGroups(groups)}${skipped}${lateNote(state, a, ctx.now, "repeat")}`);
          assign.push(...record.people);
          done.keys.push(a.key);
          done.repeated = { gen: state.ladder.gen, k: a.k };
          summary.push(`#${state.issue} repeat ${a.k} paged ${record.people.join(", ") || "nobody"}`);
          break;
        }
        case "ack-deadline": {
          const who = incidentOwner(state);
          state = { ...state, ackNoticed: [...state.ackNoticed, a.episode] };
          lines.push(`⏰ **Not acknowledged within ${state.ladder.ackWithin}** (due ${formatClock(a.dueAt, state.zone)}): ${mentions(who)}, reply \`/ack\` when you are on it.${lateNote(state, a, ctx.now, "deadline")}`);
          done.ackNoticed = a.episode;
          summary.push(`#${state.issue} acknowledgement deadline (${state.ladder.ackWithin}) passed`);
          break;
        }
        case "reminder": {
          const who = remindees(ctx, state);
          const last = lastUpdate(state);
          const since = last ? `last update ${formatClock(Date.parse(last.at), state.zone)} (${last.status})` : `no update since ${formatClock(a.since, state.zone)}`;
          const skipped = a.skipped > 0 ? ` (${a.skipped} earlier reminder${a.skipped === 1 ? " was" : "s were"} not sent: Charter was not running)` : "";
          state = { ...state, reminded: new Date(a.dueAt).toISOString() };
          lines.push(`📝 **Status update due** (every ${state.ladder.updatesEvery}; ${since}): ${mentions(who)}, post one with \`/update <status> <what you know>\`.${skipped}`);
          done.reminded = new Date(a.dueAt).toISOString();
          summary.push(`#${state.issue} status-update reminder (due ${new Date(a.dueAt).toISOString()})`);
          break;
        }
        case "ack-timeout": {
          const acks = liveAcks(state);
          const ackers = dedupe(acks.map((x) => x.by));
          const lapsedAt = new Date(a.dueAt).toISOString();
          const n = state.pages.filter((p) => p.kind === "lapse" && p.episode === state.episode).length;
          const paged = state.pages.filter((p) => p.episode === state.episode && p.kind !== "covered" && p.people.some((l) => ackers.some((x) => x.toLowerCase() === l.toLowerCase())));
          const record: PageRecord = {
            key: `t${state.episode}.${n}`,
            kind: "lapse",
            at: ctx.now.toISOString(),
            due: lapsedAt,
            ...(a.lateness === "late" ? { late: "late" as const } : {}),
            targets: [...new Set(paged.flatMap((p) => p.targets))],
            people: ackers,
            note: `acknowledgement lapsed after ${state.ladder.ackTimeout ?? "?"} without /update`,
            episode: state.episode,
          };
          state = { ...state, acks: state.acks.map((x) => (x.episode === state.episode && !x.lapsed ? { ...x, lapsed: lapsedAt } : x)), pages: [...state.pages, record] };
          const since = a.since === Date.parse(acks[0]?.at ?? "") ? `the \`/ack\` at ${formatClock(a.since, state.zone)}` : `the last \`/update\` (${formatClock(a.since, state.zone)})`;
          lines.push(
            `⌛ **Acknowledgement lapsed** (${formatClock(a.dueAt, state.zone)}): no \`/update\` or \`/resolve\` within ${state.ladder.ackTimeout ?? "?"} of ${since}. ${mentions(ackers)}, the incident is not acknowledged any more: \`/ack\` again, or post \`/update\`. The ladder goes on.${a.lateness === "late" ? lateNote(state, a, ctx.now, "timeout") : ""}`,
          );
          assign.push(...ackers);
          done.keys.push(record.key);
          done.lapsed = { episode: state.episode, at: lapsedAt };
          summary.push(`#${state.issue} acknowledgement by ${ackers.join(", ")} lapsed (${state.ladder.ackTimeout ?? "?"} without /update)`);
          break;
        }
      }
    }
    if (!actions.some((a) => a.kind === "ack-timeout")) break;
    const handled = new Set(all.map((a) => ("key" in a ? a.key : `${a.kind}`)));
    actions = dueActions(state, ctx.now, ctx.due).filter((a) => !handled.has("key" in a ? a.key : a.kind) && a.kind !== "reminder" && a.kind !== "ack-deadline");
  }
  if (ctx.heading !== false && lines.length > 0 && all.some((a) => a.kind === "step" || a.kind === "repeat") && !isAcknowledged(state)) {
    const owed = awaitingAcks(state);
    lines.unshift(
      owed.length > 0 && liveAcks(state).length > 0
        ? `**Incident #${state.issue} (${state.ladder.severity}) is waiting for \`/ack\` from ${owed.map((l) => `\`${l}\``).join(", ")}.** Paging the next step of the escalation ladder.`
        : `**Incident #${state.issue} (${state.ladder.severity}) is not acknowledged.** Paging the next step of the escalation ladder; \`/ack\` stops it.`,
    );
  }
  return { state, actions: all, lines, assign: dedupe(assign), done, summary };
}

function dedupe(logins: string[]): string[] {
  const seen = new Set<string>();
  return logins.filter((l) => !seen.has(l.toLowerCase()) && seen.add(l.toLowerCase()));
}
