/**
 * `/swap @a @b <from> <to>` and `/override <from> <to> [@who] [<schedule>/<tier>] [urgent <reason…>]`
 * on an issue: who may ask, which overrides of governance/oncall.yml they make, and the pull
 * request that carries them (its sign-off gate needs the people involved: src/core/signoff/select.ts).
 *
 * Who may ask (authority.yml `swaps`, docs/swaps.md):
 * - a person with access to the repository, about their own shifts: one of the two people of a
 *   swap; the person taking or giving up the shift of an override;
 * - a holder of a role in `swaps.on_behalf`, about anybody's shifts;
 * - an urgent override (in effect at once, approved afterwards): a holder of a role in `swaps.urgent`.
 *
 * Whose consent it needs: every person involved (both people of a swap; whoever takes the shift and
 * whoever gives it up) except the requester, whose sealed request is their consent.
 */
import { DateTime } from "luxon";
import { hasRepositoryAccess } from "../../access/association.js";
import { restAfter, type ParsedCommand } from "../../commands/parse.js";
import { durationMs } from "../../duration.js";
import { entryId, iso } from "../../killswitch/log.js";
import { heldRoles, mentions, roleTitles, rolesWithHolders, sameLogin } from "../../killswitch/people.js";
import { refuse, sentence, type CommandFacts, type CommandPlan, type PullRequestSpec } from "../../killswitch/plan.js";
import { appendLog } from "../../killswitch/state-text.js";
import type { Governance } from "../../model/governance.js";
import type { OncallFile } from "../../model/oncall.js";
import type { LogEntry } from "../../model/state.js";
import type { RequestMarker } from "../../trust/request.js";
import { parseInstantArg } from "./instant.js";
import { OVERRIDE_USAGE, parseOverrideArgs, parseSwapArgs, SWAP_USAGE } from "./args.js";
import { overrideReason, overridesDigest, swapReason, type PlacedOverride } from "./digest.js";
import { appendOverrides } from "./edit.js";
import { handOver, shiftsIn, type Shift } from "./shifts.js";
import { overrideWarnings } from "./warnings.js";

/** The longest window one swap or override covers. */
export const MAX_WINDOW_DAYS = 92;
/** The most overrides one request adds. */
export const MAX_OVERRIDES = 60;
export const DEFAULT_APPROVE_WITHIN = "24h";
/** The most people one request involves (the sealed request names them all: src/core/trust/request.ts). */
export const MAX_PEOPLE = 20;

export { OVERRIDE_USAGE, SWAP_USAGE };

const ms = (days: number) => days * 86_400_000;

/** `Mon 2025-06-09 09:00 (+02:00)`: an instant as the people of a schedule read it. */
export function localTime(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat("ccc yyyy-LL-dd HH:mm '('ZZ')'");
}

/** Schedules in which any of `logins` rotates or is named by an override. */
function schedulesOf(oncall: OncallFile, logins: readonly string[]): string[] {
  const named = (l: string | undefined) => l !== undefined && logins.some((x) => sameLogin(x, l));
  return Object.entries(oncall.schedules)
    .filter(([, s]) => Object.values(s.tiers).some((t) => t.layers.some((l) => l.participants.some(named))) || (s.overrides ?? []).some((o) => named(o.who) || named(o.replaces)))
    .map(([id]) => id);
}

/**
 * Whether `login` is someone the governance files know: a participant of a rotation, a person
 * named by an override, or a holder or backup of a role in roles.yml. A shift is handed only to
 * such a person (a stranger who could approve on a public repository never takes one).
 */
function knownPerson(g: Governance, login: string): boolean {
  const is = (l: string | undefined) => l !== undefined && sameLogin(l, login);
  if (g.oncall && schedulesOf(g.oncall, [login]).length > 0) return true;
  return Object.values(g.roles.roles).some((r) => [...(r.holders ?? []), ...(r.backups ?? [])].some(is));
}

function unknownPeople(g: Governance, logins: readonly string[]): CommandPlan | undefined {
  const unknown = logins.filter((l) => !knownPerson(g, l));
  if (unknown.length === 0) return undefined;
  return refuse("state", `${mentions(unknown)} ${unknown.length === 1 ? "is" : "are"} in no rotation of governance/oncall.yml and hold${unknown.length === 1 ? "s" : ""} no role in governance/roles.yml, so Charter hands them no shift: add them to a rotation or a role through a pull request first.`);
}

type Window = { ok: true; from: Date; to: Date } | { ok: false; message: string };

/** Read `<from> <to>` in the zone of `schedules` (one zone, unless both carry their offset). */
function readWindow(oncall: OncallFile, schedules: readonly string[], fromWord: string, toWord: string, now: Date): Window {
  const zones = [...new Set(schedules.map((s) => oncall.schedules[s]!.timezone))];
  const zone = zones[0] ?? "UTC";
  const from = parseInstantArg(fromWord, zone);
  if (!from.ok) return { ok: false, message: from.message };
  const to = parseInstantArg(toWord, zone);
  if (!to.ok) return { ok: false, message: to.message };
  if ((from.local || to.local) && zones.length > 1) {
    return { ok: false, message: `the schedules concerned (${schedules.map((s) => `\`${s}\``).join(", ")}) are in different time zones (${zones.join(", ")}): write both instants with their offset, e.g. \`2025-06-09T09:00+02:00\`` };
  }
  if (to.at.getTime() <= from.at.getTime()) return { ok: false, message: `the end (${localTime(to.at, zone)}) must be after the start (${localTime(from.at, zone)})` };
  if (to.at.getTime() <= now.getTime()) return { ok: false, message: `the window ended already (${localTime(to.at, zone)}): nothing to change` };
  if (to.at.getTime() - from.at.getTime() > ms(MAX_WINDOW_DAYS)) return { ok: false, message: `one request covers at most ${MAX_WINDOW_DAYS} days: split it into several` };
  return { ok: true, from: from.at, to: to.at };
}

/** Who may act for others (authority.yml `swaps.on_behalf`) and whether `facts.actor` holds such a role. */
function onBehalf(g: Governance, facts: CommandFacts): { roles: string[]; held: string[] } {
  const roles = g.authority?.swaps?.on_behalf ?? [];
  return { roles, held: heldRoles(g, roles, facts.actor, facts.at, facts.teams, facts.association) };
}

/** Refusal unless the requester has access and acts about their own shifts or holds an on-behalf role. */
function mayAsk(g: Governance, facts: CommandFacts, people: readonly string[], what: string): CommandPlan | undefined {
  if (!hasRepositoryAccess(facts.association)) {
    return refuse("forbidden", `${what} is for people with access to this repository; @${facts.actor} has none.`);
  }
  if (people.some((p) => sameLogin(p, facts.actor))) return undefined;
  const { roles, held } = onBehalf(g, facts);
  if (held.length > 0) return undefined;
  const who = roles.length > 0 ? `, or by ${rolesWithHolders(g, roles, facts.at, facts.teams)} for anybody (authority.yml \`swaps.on_behalf\`)` : " (authority.yml names no `swaps.on_behalf` role that may act for others)";
  return refuse("forbidden", `${what} of ${mentions(people)} may be asked for only by ${people.length === 2 ? "one of them" : "the people involved"}${who}; @${facts.actor} is neither.`);
}

/** The shifts table of a pull request or reply. */
function changeTable(list: readonly PlacedOverride[], g: Governance): string[] {
  const rows = list.map(({ schedule, override: o }) => {
    const zone = g.oncall!.schedules[schedule]!.timezone;
    return `| \`${schedule}/${o.tier}\` | ${localTime(new Date(o.from), zone)} | ${localTime(new Date(o.until), zone)} | @${o.replaces ?? "?"} | @${o.who} |`;
  });
  return ["| tier | from | until | was on call | now on call |", "|---|---|---|---|---|", ...rows];
}

interface Change {
  kind: "swap" | "override";
  people: string[];
  list: PlacedOverride[];
  from: Date;
  to: Date;
  /** One line: what changes. */
  summary: string;
}

function approvers(change: Change, requester: string): string[] {
  return change.people.filter((p) => !sameLogin(p, requester));
}

function consentLines(g: Governance, change: Change, requester: string): string[] {
  const roles = g.authority?.swaps?.on_behalf ?? [];
  const own = change.people.some((p) => sameLogin(p, requester));
  return [
    "### Consent",
    "",
    own ? `- @${requester} asked for it (Charter's sealed request): that is their consent.` : `- @${requester} asked for it on behalf of the people involved (authority.yml \`swaps.on_behalf\`).`,
    ...approvers(change, requester).map((p) => `- @${p} approves with an approving review of this pull request${roles.length > 0 ? `, or a holder of ${roleTitles(g, roles, "or")} on their behalf` : ""}.`),
    "",
    "Only these approvals count: the **Charter sign-off** check stays red until each person above has approved the current head commit. A change request by any of them blocks it.",
  ];
}

/** The change's warnings (one person in two tiers, someone on call while unavailable), within its window. */
function warningsOf(g: Governance, change: Change): string[] {
  return overrideWarnings(g, change.list, { from: change.from, until: change.to });
}

function pullRequest(g: Governance, change: Change, facts: CommandFacts, request: RequestMarker, warnings: readonly string[]): PullRequestSpec {
  const body = [
    `## On-call ${change.kind}: ${change.summary}`,
    "",
    `Requested by @${facts.actor} in #${facts.issue} (${facts.link}).`,
    "",
    ...changeTable(change.list, g),
    "",
    `Adds ${change.list.length} override${change.list.length === 1 ? "" : "s"} to \`governance/oncall.yml\`. **Nothing changes until this pull request is merged**; from then on \`charter oncall --at\` and every page follow it.`,
    "",
    ...consentLines(g, change, facts.actor),
    ...(warnings.length > 0 ? ["", "### Warning", "", ...warnings.map((w) => `- ${w}.`)] : []),
  ].join("\n");
  return {
    branch: `charter/${change.kind}-${String(facts.cause)}`,
    request,
    title: `On-call ${change.kind}: ${change.summary}`,
    body,
    edits: [appendOverrides(change.list)],
    commitMessage: `charter: on-call ${change.kind} ${change.summary} asked by ${facts.actor}\n\n${facts.link}`,
  };
}

function requestOf(change: Change, facts: CommandFacts): RequestMarker {
  return { kind: change.kind, issue: facts.issue, by: facts.actor, people: change.people, change: overridesDigest(change.list) };
}

function pullRequestPlan(g: Governance, change: Change, facts: CommandFacts): CommandPlan {
  const request = requestOf(change, facts);
  const warnings = warningsOf(g, change);
  const pr = pullRequest(g, change, facts, request, warnings);
  const waiting = approvers(change, facts.actor);
  return {
    ok: true,
    kind: "pull-request",
    pr,
    reply: (p) =>
      [
        `I opened #${p.number} with the ${change.kind} (${change.summary}): ${change.list.length} override${change.list.length === 1 ? "" : "s"} of \`governance/oncall.yml\`. It takes effect when it is merged, once ${mentions(waiting)} ${waiting.length === 1 ? "has" : "have"} approved it.`,
        ...(warnings.length > 0 ? ["", `Warning: ${warnings.join("; ")}.`] : []),
      ].join("\n"),
  };
}

/** `/swap @a @b <from> <to>`: where one is on call in the window, the other is instead. */
export function planSwap(g: Governance, command: ParsedCommand, facts: CommandFacts): CommandPlan {
  const args = parseSwapArgs(command.args);
  if (!args.ok) return refuse("invalid", sentence(args.message));
  const { a, b } = args.value;
  const denied = mayAsk(g, facts, [a, b], "A swap");
  if (denied) return denied;
  const oncall = g.oncall;
  if (!oncall) return refuse("state", "governance/oncall.yml defines no schedules: there is nothing to swap.");
  const strangers = unknownPeople(g, [a, b]);
  if (strangers) return strangers;
  const schedules = schedulesOf(oncall, [a, b]);
  if (schedules.length === 0) return refuse("state", `neither @${a} nor @${b} is in a rotation of governance/oncall.yml: there is nothing to swap.`);
  const window = readWindow(oncall, schedules, args.value.from, args.value.to, facts.at);
  if (!window.ok) return refuse("invalid", sentence(window.message));
  const list: PlacedOverride[] = [];
  for (const sid of schedules) {
    const schedule = oncall.schedules[sid]!;
    for (const tid of Object.keys(schedule.tiers)) {
      for (const shift of shiftsIn(oncall, `${sid}/${tid}`, window.from, window.to)) {
        const hasA = shift.who.some((w) => sameLogin(w, a));
        const hasB = shift.who.some((w) => sameLogin(w, b));
        if (hasA && hasB) return refuse("state", `@${a} and @${b} are both on call for \`${sid}/${tid}\` from ${localTime(shift.from, schedule.timezone)}: swapping them there changes nothing.`);
        if (hasA) list.push(handOver(shift, shift.who.find((w) => sameLogin(w, a))!, b, schedule.timezone, swapReason(a, b, facts.issue)));
        if (hasB) list.push(handOver(shift, shift.who.find((w) => sameLogin(w, b))!, a, schedule.timezone, swapReason(a, b, facts.issue)));
      }
    }
  }
  const zone = oncall.schedules[schedules[0]!]!.timezone;
  if (list.length === 0) return refuse("state", `neither @${a} nor @${b} is on call between ${localTime(window.from, zone)} and ${localTime(window.to, zone)}: there is nothing to swap.`);
  if (list.length > MAX_OVERRIDES) return refuse("invalid", `this swap would add ${list.length} overrides (at most ${MAX_OVERRIDES}): ask for a shorter window.`);
  const change: Change = { kind: "swap", people: [a, b], list, from: window.from, to: window.to, summary: `@${a} ↔ @${b}, ${localTime(window.from, zone)} → ${localTime(window.to, zone)}` };
  return pullRequestPlan(g, change, facts);
}

/** The overrides of `/override`: who takes over whose shifts, where. */
function overrideChange(g: Governance, oncall: OncallFile, facts: CommandFacts, words: { from: string; to: string; who?: string; tier?: { schedule: string; tier: string } }): { ok: true; change: Change } | { ok: false; plan: CommandPlan } {
  const taker = words.who ?? facts.actor;
  const fail = (plan: CommandPlan) => ({ ok: false as const, plan });
  let tiers: string[];
  let giver: string | undefined;
  if (words.tier) {
    const s = oncall.schedules[words.tier.schedule];
    if (!s?.tiers[words.tier.tier]) return fail(refuse("invalid", `\`${words.tier.schedule}/${words.tier.tier}\` is not a tier of governance/oncall.yml (tiers: ${Object.entries(oncall.schedules).flatMap(([sid, x]) => Object.keys(x.tiers).map((t) => `\`${sid}/${t}\``)).join(", ")}).`));
    tiers = [`${words.tier.schedule}/${words.tier.tier}`];
  } else if (!sameLogin(taker, facts.actor)) {
    // `/override <from> <to> @who`: the commenter hands their own shifts to @who
    giver = facts.actor;
    const schedules = schedulesOf(oncall, [facts.actor]);
    if (schedules.length === 0) return fail(refuse("state", `@${facts.actor} is in no rotation of governance/oncall.yml, so there is no shift of theirs to hand over. To hand over someone else's shift, name the tier: \`/override <from> <to> @${taker} <schedule>/<tier>\`.`));
    tiers = schedules.flatMap((sid) => Object.keys(oncall.schedules[sid]!.tiers).map((t) => `${sid}/${t}`));
  } else {
    return fail(refuse("invalid", `say which tier you take over: \`/override <from> <to> <schedule>/<tier>\` (tiers: ${Object.entries(oncall.schedules).flatMap(([sid, x]) => Object.keys(x.tiers).map((t) => `\`${sid}/${t}\``)).join(", ")}).`));
  }
  const schedules = [...new Set(tiers.map((t) => t.split("/")[0]!))];
  const window = readWindow(oncall, schedules, words.from, words.to, facts.at);
  if (!window.ok) return fail(refuse("invalid", sentence(window.message)));
  const list: PlacedOverride[] = [];
  const givers: string[] = [];
  for (const ref of tiers) {
    const zone = oncall.schedules[ref.split("/")[0]!]!.timezone;
    for (const shift of shiftsIn(oncall, ref, window.from, window.to) as Shift[]) {
      for (const w of shift.who) {
        if (sameLogin(w, taker) || (giver !== undefined && !sameLogin(w, giver))) continue;
        list.push(handOver(shift, w, taker, zone, overrideReason(taker, w, facts.issue)));
        if (!givers.some((x) => sameLogin(x, w))) givers.push(w);
      }
    }
  }
  const zone = oncall.schedules[schedules[0]!]!.timezone;
  const between = `between ${localTime(window.from, zone)} and ${localTime(window.to, zone)}`;
  if (list.length === 0) {
    return fail(refuse("state", giver !== undefined ? `@${giver} is not on call ${between}: there is no shift to hand over.` : `nobody but @${taker} is on call for ${tiers.map((t) => `\`${t}\``).join(", ")} ${between}: there is nothing to override.`));
  }
  if (list.length > MAX_OVERRIDES) return fail(refuse("invalid", `this override would add ${list.length} overrides (at most ${MAX_OVERRIDES}): ask for a shorter window.`));
  if (givers.length + 1 > MAX_PEOPLE) return fail(refuse("invalid", `this override would take shifts from ${givers.length} people (at most ${MAX_PEOPLE - 1}, each of whom must approve): ask for a shorter window.`));
  return {
    ok: true,
    change: { kind: "override", people: [taker, ...givers], list, from: window.from, to: window.to, summary: `@${taker} covers ${mentions(givers)} on ${[...new Set(list.map((p) => `${p.schedule}/${p.override.tier}`))].join(", ")}, ${localTime(window.from, zone)} → ${localTime(window.to, zone)}` },
  };
}

/** `/override <from> <to> [@who] [<schedule>/<tier>] [urgent <reason…>]`. */
export function planOverride(g: Governance, command: ParsedCommand, facts: CommandFacts): CommandPlan {
  const parsed = parseOverrideArgs(command.args, (n) => restAfter(command, n));
  if (!parsed.ok) return refuse("invalid", sentence(parsed.message));
  const words = parsed.value;
  if (!hasRepositoryAccess(facts.association)) return refuse("forbidden", `An override is for people with access to this repository; @${facts.actor} has none.`);
  const oncall = g.oncall;
  if (!oncall) return refuse("state", "governance/oncall.yml defines no schedules: there is nothing to override.");
  const strangers = unknownPeople(g, [words.who ?? facts.actor]);
  if (strangers) return strangers;
  const built = overrideChange(g, oncall, facts, words);
  if (!built.ok) return built.plan;
  const change = built.change;
  const denied = mayAsk(g, facts, change.people, "An override");
  if (denied) return denied;
  if (words.urgent === undefined) return pullRequestPlan(g, change, facts);
  return urgentPlan(g, change, facts, words.urgent);
}

/**
 * An urgent override: written to the default branch at once (like the kill-switch's act-first
 * activation), logged in governance/state/log.yml with the people whose approval it still needs
 * and by when; they approve afterwards with `/override approve` on the same issue.
 */
function urgentPlan(g: Governance, change: Change, facts: CommandFacts, reason: string): CommandPlan {
  const roles = g.authority?.swaps?.urgent ?? [];
  const held = heldRoles(g, roles, facts.actor, facts.at, facts.teams, facts.association);
  if (held.length === 0) {
    const who = roles.length > 0 ? `${rolesWithHolders(g, roles, facts.at, facts.teams)} (authority.yml \`swaps.urgent\`)` : "nobody: authority.yml names no `swaps.urgent` role";
    return refuse("forbidden", `an urgent override (in effect at once) may be made by ${who}; @${facts.actor} holds none of these roles. Without \`urgent\`, the override is a pull request the people involved approve.`);
  }
  const within = g.authority?.swaps?.approve_within ?? DEFAULT_APPROVE_WITHIN;
  const due = new Date(facts.at.getTime() + durationMs(within));
  const waiting = approvers(change, facts.actor);
  const entry: LogEntry = {
    id: entryId("oncall-override", facts.cause),
    timestamp: iso(facts.at),
    action: "oncall-override",
    actor: facts.actor,
    reason: `${change.summary.replace(/@/g, "")}: ${reason}`,
    approval: waiting.length > 0 ? `pending: ${waiting.join(", ")} within ${within} (due ${iso(due)})` : "not required (the requester is the only person involved)",
    notified: waiting,
    link: facts.link,
    issue: facts.issue,
    review_due: iso(due),
  };
  const edits = [appendOverrides(change.list), appendLog(entry)];
  const zone = g.oncall!.schedules[change.list[0]!.schedule]!.timezone;
  const approveLine = waiting.length > 0 ? `Approval needed afterwards from ${mentions(waiting)} by ${localTime(due, zone)}: reply \`/override approve\` here. The override stands meanwhile.` : "";
  const request = requestOf(change, facts);
  const warnings = warningsOf(g, change);
  const spec = pullRequest(g, change, facts, request, warnings);
  return {
    ok: true,
    kind: "direct",
    edits,
    commitMessage: `charter: urgent on-call override ${change.summary.replace(/@/g, "")} by ${facts.actor}\n\n${reason}\n${facts.link}`,
    reply: [
      `the urgent override is **in effect now** (${change.summary}). Logged in \`governance/state/log.yml\`.`,
      "",
      ...changeTable(change.list, g),
      ...(warnings.length > 0 ? ["", `Warning: ${warnings.join("; ")}.`] : []),
      "",
      approveLine,
    ]
      .join("\n")
      .trimEnd(),
    fallback: { ...spec, edits, body: `Branch protection refused Charter's direct write, so this urgent override is a pull request: **it is not in effect until it is merged.**\n\n${spec.body}` },
    fallbackReply: (pr, why) => `branch protection refused Charter's direct write (${why}), so the override is **NOT in effect yet**. I opened #${pr.number} with the same change: merge it to put it in effect.`,
  };
}

/** `/override approve` on the issue of an urgent override, by a person involved (or on their behalf). */
export function planOverrideApproval(g: Governance, facts: CommandFacts): CommandPlan {
  const entries = g.state.log?.entries ?? [];
  const urgent = [...entries].reverse().find((e) => e.action === "oncall-override" && e.issue === facts.issue);
  if (!urgent) return refuse("state", `no urgent override was made on #${facts.issue}: nothing to approve.`);
  const waiting = urgent.notified ?? [];
  const approvals = entries.filter((e) => e.action === "oncall-override-approved" && e.ref === urgent.id);
  const approvedFor = new Set(approvals.flatMap((e) => (e.role ?? e.actor).split(",")).map((l) => l.toLowerCase()));
  const open = waiting.filter((p) => !approvedFor.has(p.toLowerCase()));
  if (open.length === 0) return refuse("state", `the urgent override of #${facts.issue} is approved already by everyone involved.`);
  if (!hasRepositoryAccess(facts.association)) return refuse("forbidden", `approving an override is for the people involved; @${facts.actor} has no access to this repository.`);
  if (sameLogin(urgent.actor, facts.actor)) return refuse("forbidden", `@${facts.actor} made this urgent override and cannot also approve it: ${mentions(open)} must.`);
  let forWhom = open.find((p) => sameLogin(p, facts.actor));
  let as = "";
  if (!forWhom) {
    const { roles, held } = onBehalf(g, facts);
    if (held.length === 0) {
      return refuse("forbidden", `this urgent override is approved by ${mentions(open)}${roles.length > 0 ? ` (or by ${roleTitles(g, roles, "or")} on their behalf)` : ""}; @${facts.actor} is not one of them.`);
    }
    forWhom = open[0]!;
    as = ` on behalf of @${forWhom} (${roleTitles(g, held)})`;
  }
  const rest = open.filter((p) => !sameLogin(p, forWhom));
  const late = urgent.review_due !== undefined && Date.parse(urgent.review_due) < facts.at.getTime();
  const entry: LogEntry = {
    id: entryId("oncall-override-approved", facts.cause),
    timestamp: iso(facts.at),
    action: "oncall-override-approved",
    actor: facts.actor,
    approval: `approved by ${facts.actor}${as.replace(/@/g, "")}${late ? `, after the deadline ${urgent.review_due}` : ""}`,
    role: forWhom,
    ref: urgent.id,
    link: facts.link,
    issue: facts.issue,
  };
  const edits = [appendLog(entry)];
  const reply = `approved the urgent override of #${facts.issue}${as}${late ? " (after its deadline)" : ""}. ${rest.length > 0 ? `Still waiting for ${mentions(rest)}.` : "Everyone involved has approved it."} Logged in \`governance/state/log.yml\`.`;
  return {
    ok: true,
    kind: "direct",
    edits,
    commitMessage: `charter: ${facts.actor} approves the urgent on-call override of #${facts.issue}\n\n${facts.link}`,
    reply,
    fallback: { branch: `charter/override-approve-${String(facts.cause)}`, title: `On-call: approve the urgent override of #${facts.issue}`, body: `Branch protection refused Charter's direct write, so this approval is recorded through a pull request. Approved by @${facts.actor} in ${facts.link}.`, edits, commitMessage: `charter: approve urgent override of #${facts.issue}` },
    fallbackReply: (p, why) => `branch protection refused Charter's direct write (${why}); I opened #${p.number} to record the approval. Merge it to record it.`,
  };
}

export function planOverrideCommand(g: Governance, command: ParsedCommand, facts: CommandFacts): CommandPlan {
  if (command.args[0] === "approve") {
    if (command.args.length > 1) return refuse("invalid", "`/override approve` takes no arguments: it approves the urgent override made on this issue.");
    return planOverrideApproval(g, facts);
  }
  return planOverride(g, command, facts);
}
