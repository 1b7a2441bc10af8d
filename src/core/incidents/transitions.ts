import type { IncidentsFile } from "../model/incidents.js";
import type { IncidentForm } from "./form.js";
import { recordLadder, stepKey, titleOf } from "./ladder.js";
import type { DoneMarker } from "./marker.js";
import { resolvedMessage, startMessage, updateMessage } from "./messages.js";
import { pageStep, planPass, type PassContext } from "./pass.js";
import { mentionGroups, pageGroup, pageGroups, peopleOf, quietNames, responders, type Responders } from "./people.js";
import { uniqueLogins } from "../roles/resolve.js";
import { quoteUserText } from "../text/untrusted.js";
import { severityRank } from "./severity.js";
import { awaitingAcks, currentAck, episodePages, hasPage, isAcknowledged, isResolved, liveAcks, type IncidentState, type PageRecord, type UpdateStatus } from "./state.js";
import { reviewIssue } from "./timeline.js";
import { formatAt, formatClock, formatDate, formatOffset } from "./time.js";

/** What a change to an incident does on GitHub: one comment, assignees, labels, the issue's state. */
export interface Outcome {
  state: IncidentState;
  /** Lines of the comment Charter posts (none: no comment). */
  lines: string[];
  /** Logins to add as assignees. */
  assign: string[];
  done: DoneMarker;
  labels?: { add: string[]; remove: string[] };
  issue?: "open" | "closed";
  /** A reply to the person who ran the command (besides the reaction). */
  reply?: string;
  summary: string[];
}

export type Transition = Outcome | { refused: string };

export function isRefused(t: Transition): t is { refused: string } {
  return "refused" in t;
}

const none = (state: IncidentState): Outcome => ({ state, lines: [], assign: [], done: { keys: [] }, summary: [] });

/** Add what is due after a change (the pass) to the change's own outcome, in one comment. */
export function withDue(ctx: PassContext, outcome: Outcome): Outcome {
  const pass = planPass({ ...ctx, heading: false }, outcome.state);
  if (pass.lines.length === 0) return outcome;
  return {
    ...outcome,
    state: pass.state,
    lines: outcome.lines.length ? [...outcome.lines, "", ...pass.lines] : pass.lines,
    assign: [...outcome.assign, ...pass.assign],
    done: {
      ...outcome.done,
      keys: [...outcome.done.keys, ...pass.done.keys],
      ...(pass.done.reminded ? { reminded: pass.done.reminded } : {}),
      ...(pass.done.ackNoticed !== undefined ? { ackNoticed: pass.done.ackNoticed } : {}),
      ...(pass.done.repeated ? { repeated: pass.done.repeated } : {}),
    },
    summary: [...outcome.summary, ...pass.summary],
  };
}

function resolvedRefusal(state: IncidentState): { refused: string } {
  const r = state.resolution!;
  return { refused: `incident #${state.issue} was resolved at ${formatAt(Date.parse(r.at), state.zone)} by \`${r.by}\`; \`/reopen\` it first.` };
}

// ---------------------------------------------------------------- opening

export interface OpenInput {
  inc: IncidentsFile;
  issue: { number: number; title: string; author: string; url?: string };
  severity: string;
  /** When the incident opened (the issue's creation, or the label): ladder times count from here. */
  openedAt: Date;
  form?: IncidentForm;
  zone: string;
  /** Said first in the status comment (e.g. why Charter restarted the record). */
  notice?: string;
}

/**
 * A new incident: record the ladder in force, name the responders, write the incident-start
 * message, and do what is due already (step 0, and more if Charter sees the incident late).
 */
export function openIncident(ctx: PassContext, input: OpenInput): Outcome & { responders: Responders } {
  const { inc, issue, severity } = input;
  const r = responders(ctx.g, inc, severity, input.form?.service, ctx.now, ctx.teams);
  const ladder = recordLadder(ctx.g, inc, severity, { gen: 1, start: input.openedAt, at: ctx.now });
  let state: IncidentState = {
    v: 1,
    issue: issue.number,
    title: issue.title.slice(0, 200),
    severity,
    openedAt: input.openedAt.toISOString(),
    openedBy: issue.author,
    ...(input.form?.impact ? { impact: input.form.impact.slice(0, 500) } : {}),
    ...(input.form?.service ? { service: input.form.service.slice(0, 100) } : {}),
    zone: input.zone,
    intro: "",
    episode: 1,
    ladder,
    pages: [],
    acks: [],
    updates: [],
    ackNoticed: [],
    severityChanges: [],
    history: [],
    processed: [],
    owners: uniqueLogins(r.primary?.people ?? []),
  };
  const start = startMessage(inc, state, r, issue.url);
  const lines: string[] = [];
  const assign: string[] = [...(r.primary?.people ?? [])];
  const done: DoneMarker = { keys: [] };
  if (r.notify.length > 0) {
    const groups = pageGroups(ctx.g, r.notify, ctx.now, ctx.teams);
    const record: PageRecord = { key: `o${state.episode}`, kind: "routing", at: ctx.now.toISOString(), targets: [...r.notify], people: peopleOf(groups), episode: state.episode };
    state = { ...state, pages: [...state.pages, record] };
    lines.push(`📣 **Routing for \`${state.service ?? "?"}\`**: ${mentionGroups(groups)}`);
    assign.push(...record.people);
    done.keys.push(record.key);
  }
  const pass = planPass({ ...ctx, heading: false }, state);
  state = pass.state;
  lines.push(...pass.lines);
  assign.push(...pass.assign);
  done.keys.push(...pass.done.keys);
  if (r.primary) {
    const via = { routing: `routing for \`${state.service}\``, service: `on-call tier of service \`${state.service}\``, severity: `\`assign\` of ${severity}`, ladder: `first step of the ${severity} ladder` }[r.via];
    lines.push(`**Assigned:** ${r.primary.people.length ? quietNames(r.primary.people) : "nobody (no holder now)"} (${r.primary.title}, ${via})`);
  }
  state = { ...state, intro: [...(input.notice ? [input.notice, ""] : []), start, "", ...lines].join("\n"), assigned: uniqueLogins(assign) };
  return {
    state,
    lines: [],
    assign,
    done: { ...done, ...(pass.done.ackNoticed !== undefined ? { ackNoticed: pass.done.ackNoticed } : {}), ...(pass.done.reminded ? { reminded: pass.done.reminded } : {}) },
    summary: [`#${issue.number} opened as ${severity}; assigned ${r.primary?.people.join(", ") || "nobody"}`, ...pass.summary],
    responders: r,
  };
}

// ---------------------------------------------------------------- commands

/**
 * `/ack`: recorded, unless this person's acknowledgement already counts, or the incident is
 * acknowledged by everyone it needs (then: who acknowledged first). While a step with `ack: all`
 * waits for others, each acknowledgement is recorded.
 */
export function acknowledge(ctx: PassContext, state: IncidentState, by: string): Transition {
  if (isResolved(state)) return resolvedRefusal(state);
  const mine = liveAcks(state).find((a) => a.by.toLowerCase() === by.toLowerCase());
  const ack = currentAck(state);
  if (mine || (ack && isAcknowledged(state))) {
    const first = mine ?? ack!;
    const owed = awaitingAcks(state);
    return {
      ...none(state),
      reply: `incident #${state.issue} was already acknowledged by \`${first.by}\` at ${formatClock(Date.parse(first.at), state.zone)}${owed.length ? `; still waiting for \`/ack\` from ${quietNames(owed)}` : ""}; nothing changed.`,
    };
  }
  const due = state.ladder.ackWithinMs !== undefined ? { due: new Date(Date.parse(state.ladder.start) + state.ladder.ackWithinMs).toISOString() } : {};
  const next: IncidentState = { ...state, acks: [...state.acks, { by, at: ctx.now.toISOString(), episode: state.episode, ...due }] };
  const owed = awaitingAcks(next);
  const lines = owed.length > 0 ? [`✋ **Acknowledged by @${by}**; still waiting for \`/ack\` from ${quietNames(owed)} (everyone the step paged acknowledges).`] : [];
  return withDue(ctx, { ...none(next), lines, assign: [by], summary: [`#${state.issue} acknowledged by ${by}${owed.length ? ` (waiting for ${owed.join(", ")})` : ""}`] });
}

export function escalate(ctx: PassContext, state: IncidentState, by: string, reason: string): Transition {
  if (isResolved(state)) return resolvedRefusal(state);
  const ladder = state.ladder;
  const index = ladder.steps.findIndex((_, i) => !hasPage(state, stepKey(ladder.gen, i)));
  if (index < 0) {
    return { refused: `every step of the ${ladder.severity} ladder has been paged already. To bring in someone else: \`/page <role> [message]\`.` };
  }
  const { line, record } = pageStep(ctx, state, index, { kind: "escalate", by, reason });
  const next = { ...state, pages: [...state.pages, record] };
  return withDue(ctx, { ...none(next), lines: [line], assign: record.people, done: { keys: [record.key] }, summary: [`#${state.issue} escalated by ${by} to step ${index + 1}`] });
}

/**
 * `/severity`: relabel and re-plan. The new severity's ladder (from incidents.yml now) replaces
 * the one in force, counted from the same start (the opening, or the last reopening). Its steps
 * still ahead keep their times; steps already past whose roles were all paged earlier in this
 * episode count as done; the other past steps are paged now, once, marked as re-planned (unless
 * their `until` has happened: an acknowledged incident does not page "until acknowledged" steps).
 */
export function changeSeverity(ctx: PassContext, inc: IncidentsFile, state: IncidentState, to: string, by: string, reason: string): Transition {
  if (isResolved(state)) return resolvedRefusal(state);
  if (to === state.severity) return { refused: `incident #${state.issue} is already ${to}.` };
  const from = state.severity;
  const ladder = recordLadder(ctx.g, inc, to, { gen: state.ladder.gen + 1, start: new Date(state.ladder.start), at: ctx.now, replanned: true });
  const paged = new Set(episodePages(state).filter((p) => p.kind !== "covered").flatMap((p) => p.targets));
  const t = ctx.now.getTime();
  const covered: PageRecord[] = [];
  const plan: string[] = [];
  const startMs = Date.parse(ladder.start);
  ladder.steps.forEach((step, i) => {
    const dueAt = startMs + step.afterMs;
    const what = `${formatOffset(step.afterMs)} ${step.notify.map((x) => titleOf(ladder, x)).join(", ")}${step.note ? ` (${step.note})` : ""}`;
    if (dueAt > t) {
      plan.push(`- ${what}: at ${formatClock(dueAt, state.zone)} unless ${step.until}`);
    } else if (step.notify.every((x) => paged.has(x))) {
      covered.push({ key: stepKey(ladder.gen, i), kind: "covered", at: ctx.now.toISOString(), due: new Date(dueAt).toISOString(), targets: [...step.notify], people: [], episode: state.episode });
      plan.push(`- ${what}: already paged`);
    } else if (step.until === "acknowledged" && currentAck(state)) {
      plan.push(`- ${what}: not needed, acknowledged`);
    } else plan.push(`- ${what}: paged now`);
  });
  const next: IncidentState = {
    ...state,
    severity: to,
    ladder,
    pages: [...state.pages, ...covered],
    severityChanges: [...state.severityChanges, { from, to, by, at: ctx.now.toISOString(), ...(reason ? { reason } : {}) }],
  };
  const up = severityRank(inc, to) < severityRank(inc, from);
  const lines = [
    `${up ? "⬆️" : "⬇️"} **Severity ${from} → ${to}** by @${by}${reason ? `: ${reason}` : ""}`,
    "",
    `The ${to} ladder now applies, counted from ${formatClock(startMs, state.zone)}:`,
    ...plan,
  ];
  const outcome: Outcome = {
    ...none(next),
    lines,
    done: { keys: covered.map((c) => c.key) },
    labels: { add: [inc.severities[to]!.label], remove: [inc.severities[from]?.label].filter((l): l is string => l !== undefined) },
    summary: [`#${state.issue} severity ${from} → ${to} by ${by}`],
  };
  return withDue(ctx, outcome);
}

export function recordUpdate(
  ctx: PassContext,
  inc: IncidentsFile,
  state: IncidentState,
  by: string,
  u: { status: UpdateStatus; findings: string; nextSteps: string },
  url?: string,
): Transition {
  if (isResolved(state)) return resolvedRefusal(state);
  const next: IncidentState = { ...state, updates: [...state.updates, { by, at: ctx.now.toISOString(), status: u.status, text: u.findings.slice(0, 500), ...(u.nextSteps.trim() ? { next: u.nextSteps.slice(0, 300) } : {}) }] };
  const lines = [updateMessage(inc, next, { at: ctx.now, ...u }, url)];
  if (u.status === "resolved") lines.push("", "_This is a status update. To close the incident: `/resolve <root cause>`._");
  return withDue(ctx, { ...none(next), lines, summary: [`#${state.issue} update (${u.status}) by ${by}`] });
}

export interface ReviewPlan {
  title: string;
  body: string;
  assignees: string[];
  due: Date;
}

/**
 * `/resolve` (or closing the issue): record the resolution, plan the post-incident review when the
 * ladder in force requires one (assigned to the review owner's holders now, due `within` after
 * resolution), and write the resolved message once the review's number is known.
 */
export function resolveIncident(
  ctx: PassContext,
  inc: IncidentsFile,
  state: IncidentState,
  by: string,
  r: { rootCause?: string; resolution: string },
  url?: string,
  how: { keepOpen?: boolean; noRootCause?: string } = {},
): { refused: string } | { outcome: (reviewNumber?: number) => Outcome; review?: ReviewPlan } {
  if (isResolved(state)) return { refused: `incident #${state.issue} is already resolved (${formatAt(Date.parse(state.resolution!.at), state.zone)}, \`${state.resolution!.by}\`).` };
  const policy = state.ladder.review;
  const at = ctx.now;
  let reviewInfo: NonNullable<IncidentState["resolution"]>["review"];
  let ownerTitle: string | undefined;
  if (policy?.required) {
    const owner = policy.owner ? pageGroup(ctx.g, policy.owner, at, ctx.teams) : undefined;
    ownerTitle = owner?.title;
    const due = new Date(at.getTime() + (policy.withinMs ?? 5 * 86_400_000));
    reviewInfo = { due: due.toISOString(), ...(policy.owner ? { owner: policy.owner } : {}), assignees: owner?.people ?? [] };
  }
  const resolved: IncidentState = {
    ...state,
    resolution: { by, at: at.toISOString(), ...(r.rootCause ? { rootCause: r.rootCause.slice(0, 500) } : {}), ...(r.resolution ? { resolution: r.resolution.slice(0, 500) } : {}), episode: state.episode, ...(reviewInfo ? { review: reviewInfo } : {}) },
  };
  const review: ReviewPlan | undefined = reviewInfo
    ? { ...reviewIssue(resolved, { due: new Date(reviewInfo.due), ...(ownerTitle ? { ownerTitle } : {}), assignees: reviewInfo.assignees }, url), assignees: reviewInfo.assignees.slice(0, 10), due: new Date(reviewInfo.due) }
    : undefined;
  const outcome = (reviewNumber?: number): Outcome => {
    const next: IncidentState = reviewInfo && reviewNumber !== undefined ? { ...resolved, resolution: { ...resolved.resolution!, review: { ...reviewInfo, number: reviewNumber } } } : resolved;
    const followUp = reviewInfo
      ? `post-incident review ${reviewNumber !== undefined ? `#${reviewNumber}` : "(could not be opened; open it by hand)"}, due ${formatDate(Date.parse(reviewInfo.due), state.zone)}${ownerTitle ? `, owner ${ownerTitle}${reviewInfo.assignees.length ? ` (${quietNames(reviewInfo.assignees)})` : ""}` : ""}`
      : `no post-incident review required for ${state.severity}`;
    const message = resolvedMessage(inc, next, { at, rootCause: r.rootCause ?? `not given (${how.noRootCause ?? "closed without `/resolve`"})`, resolution: r.resolution, followUp }, url);
    return { ...none(next), lines: [message], ...(how.keepOpen ? {} : { issue: "closed" as const }), summary: [`#${state.issue} resolved by ${by}${reviewNumber !== undefined ? `; review #${reviewNumber}` : ""}`] };
  };
  return { outcome, ...(review ? { review } : {}) };
}

/** `/reopen`: a new episode. The current severity's ladder is recorded again and counts from now; someone must acknowledge again. */
export function reopenIncident(ctx: PassContext, inc: IncidentsFile, state: IncidentState, by: string): Transition {
  if (!isResolved(state)) return { refused: `incident #${state.issue} is not resolved; there is nothing to reopen.` };
  if (!inc.severities[state.severity]) return { refused: `severity ${state.severity} is no longer in incidents.yml; reopen by hand and run \`/severity <level>\`.` };
  const r = state.resolution!;
  const episode = state.episode + 1;
  const ladder = recordLadder(ctx.g, inc, state.severity, { gen: state.ladder.gen + 1, start: ctx.now, at: ctx.now });
  const { resolution: _done, ...rest } = state;
  const next: IncidentState = { ...rest, episode, ladder, history: [...state.history, { ...r, reopenedAt: ctx.now.toISOString(), reopenedBy: by }] };
  const lines = [`🔁 **Reopened** by @${by} at ${formatClock(ctx.now, state.zone)}: the ${state.severity} ladder starts again from now.`];
  return withDue(ctx, { ...none(next), lines, issue: "open", summary: [`#${state.issue} reopened by ${by}`] });
}

export function setCommander(ctx: PassContext, state: IncidentState, login: string, by: string): Transition {
  if (state.commander && state.commander.login.toLowerCase() === login.toLowerCase()) {
    return { ...none(state), reply: `\`${login}\` is already the incident commander; nothing changed.` };
  }
  const before = state.commander?.login;
  const next: IncidentState = { ...state, commander: { login, by, at: ctx.now.toISOString() } };
  const lines = [`🎖️ @${login} is the incident commander${before ? ` (instead of \`${before}\`)` : ""}, named by \`${by}\`.`];
  return withDue(ctx, { ...none(next), lines, assign: [login], summary: [`#${state.issue} commander ${login}`] });
}

export function pageTarget(ctx: PassContext, state: IncidentState, target: string, by: string, message: string, commentId: number): Transition {
  const group = pageGroup(ctx.g, target, ctx.now, ctx.teams);
  const record: PageRecord = {
    key: `p${commentId}`,
    kind: "page",
    at: ctx.now.toISOString(),
    targets: [target],
    people: group.people,
    ...(message ? { note: message.slice(0, 300) } : {}),
    by,
    episode: state.episode,
  };
  const next: IncidentState = { ...state, pages: [...state.pages, record] };
  const lines = [`📟 **Paged by \`${by}\`**: ${mentionGroups([group])}${message ? `\n\n${quoteUserText(message, 2_000)}` : ""}`];
  if (group.source === "nobody") lines.push("", `_Nobody holds ${group.title} now; check \`governance/roles.yml\` and \`oncall.yml\`._`);
  return withDue(ctx, { ...none(next), lines, assign: group.people, done: { keys: [record.key] }, summary: [`#${state.issue} ${by} paged ${target}: ${group.people.join(", ") || "nobody"}`] });
}
