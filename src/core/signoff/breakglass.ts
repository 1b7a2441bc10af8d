/**
 * Break-glass (authority.yml `break_glass`): a holder of an allowed role runs `/breakglass <reason>`
 * on a pull request, and its sign-off gates pass now, for the head commit it was given on only. The
 * action is logged in governance/state/log.yml (a `breakglass` entry, written by Charter on the
 * default branch) and a review issue opens, which the named roles must sign (`/breakglass sign`)
 * within the set time; when they do not, the escalation ladder pages, each step once.
 *
 * Everything is read from the default branch's log, never from comments or issue bodies:
 *
 * - the check applies a `breakglass` entry whose `pull_request` and `head` are the pull request's
 *   number and current head commit. A push after it is not covered (the check turns red again and
 *   says why); a pull request that changes `governance/` is never covered (policy and state have
 *   their own act-first paths), nor is a gate that is refused whatever anyone signs;
 * - signatures are `breakglass-signed` entries and escalations `breakglass-escalated` entries that
 *   name the `breakglass` entry (`ref`), with ids made from their cause, so a repeated command or
 *   sweep never adds one twice, and only the sweep whose write added an escalation pages.
 *
 * Only Charter (or a pull request the owners of `governance/` signed: see log-entries.ts) writes
 * these entries on the default branch, and the log's hash chain shows any later edit.
 */
import { parseDuration, formatDuration } from "../duration.js";
import { entryId, iso, utcTime } from "../killswitch/log.js";
import { heldRoles, mentions, peopleFor, roleTitles, sameLogin } from "../killswitch/people.js";
import { GOVERNANCE_DIR } from "../model/file-names.js";
import type { BreakGlassStep } from "../model/authority.js";
import type { Governance } from "../model/governance.js";
import type { LogEntry, LogFile } from "../model/state.js";
import { roleHolders, roleTitle, type TeamMembers } from "../roles/resolve.js";
import { inlineUserText, quoteUserText } from "../text/untrusted.js";
import type { SignoffTree } from "./evaluate.js";
import type { PullRequestFacts } from "./facts.js";
import { andList, at, blockerShort, codeSpan, shortSha, userText } from "./words.js";

/** A break-glass and what followed it, from the log. */
export interface BreakGlassRecord {
  entry: LogEntry;
  /** `breakglass-signed` entries for it, in log order. */
  signatures: LogEntry[];
  /** `breakglass-escalated` entries for it, in log order. */
  escalations: LogEntry[];
}

/** Every break-glass in the log, with its signatures and escalations. */
export function breakGlassRecords(log: LogFile | undefined): BreakGlassRecord[] {
  const entries = log?.entries ?? [];
  const out = new Map<string, BreakGlassRecord>();
  for (const e of entries) if (e.action === "breakglass") out.set(e.id, { entry: e, signatures: [], escalations: [] });
  for (const e of entries) {
    const r = e.ref !== undefined ? out.get(e.ref) : undefined;
    if (!r) continue;
    if (e.action === "breakglass-signed") r.signatures.push(e);
    else if (e.action === "breakglass-escalated") r.escalations.push(e);
  }
  return [...out.values()];
}

export type BreakGlassFact =
  | { kind: "none" }
  /** A break-glass given on the pull request's current head. */
  | { kind: "head"; record: BreakGlassRecord }
  /** Only for older heads: a push came after it. */
  | { kind: "older"; record: BreakGlassRecord };

/** The break-glass that bears on a pull request at its head commit, from the default branch's log. */
export function breakGlassFor(log: LogFile | undefined, pull: number, headSha: string): BreakGlassFact {
  const mine = breakGlassRecords(log).filter((r) => r.entry.pull_request === pull);
  const onHead = mine.filter((r) => r.entry.head === headSha).at(-1);
  if (onHead) return { kind: "head", record: onHead };
  const last = mine.at(-1);
  return last ? { kind: "older", record: last } : { kind: "none" };
}

/** Whether the pull request changes anything under governance/ (a break-glass never covers it). */
export function changesGovernance(facts: Pick<PullRequestFacts, "files">): boolean {
  return facts.files.some((f) => [f.filename, f.previousFilename].some((p) => p !== undefined && (p === GOVERNANCE_DIR || p.startsWith(`${GOVERNANCE_DIR}/`))));
}

/** How a break-glass bears on the evaluation: applied (the gates pass, with the check's words), or why not. */
export interface BreakGlassStanding {
  record: BreakGlassRecord;
  applied: boolean;
  /** Why it does not apply (a later push, governance/, a refused gate). */
  why?: string;
  /** When applied: the check's title and the paragraph above its gates. */
  words?: { title: string; paragraph: string };
}

/** Whether and how a break-glass applies to an evaluated pull request. */
export function breakGlassStanding(g: Governance, fact: BreakGlassFact, tree: Pick<SignoffTree, "gates" | "headSha">, facts: Pick<PullRequestFacts, "files">): BreakGlassStanding | undefined {
  if (fact.kind === "none") return undefined;
  const { record } = fact;
  const e = record.entry;
  if (fact.kind === "older") {
    return { record, applied: false, why: `${at(e.actor)} broke the glass for commit \`${shortSha(e.head)}\`; the head is now \`${shortSha(tree.headSha)}\`, pushed after it, and a break-glass covers only the commit it was given on. Get the sign-offs, or run \`/breakglass <reason>\` again (logged and reviewed)` };
  }
  if (changesGovernance(facts)) return { record, applied: false, why: "this pull request changes governance/, which a break-glass never covers (policy and state change only through their own gates)" };
  const refused = tree.gates.filter((r) => r.gate.refusal !== undefined).map((r) => r.gate.title);
  if (refused.length > 0) return { record, applied: false, why: `a break-glass does not cover a gate that is refused whatever anyone signs (${andList(refused)})` };
  return { record, applied: true, words: breakGlassWords(record, g) };
}

/** The roles of a break-glass's review that have not signed yet. */
export function unsignedRoles(record: BreakGlassRecord): string[] {
  const signed = new Set(record.signatures.map((s) => s.role));
  return (record.entry.review_roles ?? []).filter((r) => !signed.has(r));
}

/** The check's words for a break-glass that applies: headline and the paragraph above the gates. */
export function breakGlassWords(record: BreakGlassRecord, g: Governance): { title: string; paragraph: string } {
  const e = record.entry;
  const reason = userText(e.reason ?? "", 120);
  const review = e.issue !== undefined ? `#${e.issue}` : "its review issue";
  const roles = e.review_roles ?? [];
  const due = e.review_due ? ` due ${utcTime(new Date(e.review_due))}` : "";
  return {
    title: `Passed by break-glass (${at(e.actor)}): ${reason}`,
    paragraph: `${at(e.actor)} broke the glass at ${utcTime(new Date(e.timestamp))} for head commit \`${shortSha(e.head)}\` only: “${reason}”. The gates below were **not** signed; they pass because of it. Review ${review}${due}, signed by ${roles.length > 0 ? roleTitles(g, roles) : "nobody named"}; logged as ${codeSpan(e.id, 80)} in \`governance/state/log.yml\`.`,
  };
}

// ------------------------------------------------------------------------------------ the command

export interface BreakGlassInput {
  actor: string;
  association?: string | undefined;
  reason: string;
  at: Date;
  /** The comment: the log entry's id and link come from it. */
  commentId: number;
  link: string;
  teams?: TeamMembers | undefined;
}

export type Refusal = { ok: false; message: string };

/** Whether `actor` may break the glass here (authority.yml `break_glass.who`). */
export function mayBreakGlass(g: Governance, actor: string, now: Date, teams?: TeamMembers, association?: string | null): { ok: true } | Refusal {
  const bg = g.authority?.break_glass;
  if (!bg) return { ok: false, message: "authority.yml defines no `break_glass`, so nobody may break the glass on this repository." };
  if (heldRoles(g, bg.who, actor, now, teams, association).length > 0) return { ok: true };
  const who = bg.who.map((r) => `${roleTitle(g, r)} (now ${mentions(peopleFor(g, [r], now, { teams, backups: true }))})`).join(", ");
  return { ok: false, message: `breaking the glass is for ${who} (authority.yml \`break_glass.who\`); @${actor} holds none of these roles.` };
}

/** What breaking the glass writes: the log entry (its review issue number added once the issue exists) and the issue. */
export interface BreakGlassPlan {
  ok: true;
  entry: (issue: number) => LogEntry;
  issue: { title: string; body: string };
  reply: (issue: number) => string;
}

const MAX_REASON = 500;

/** The review's deadline, roles and ladder, from authority.yml as it is now (recorded in the entry). */
function reviewTerms(g: Governance, at: Date): { roles: string[]; due: Date; within: string } {
  const review = g.authority!.break_glass!.review;
  return { roles: [...review.roles], due: new Date(at.getTime() + (parseDuration(review.within) ?? 0)), within: review.within };
}

/** The escalation ladder of a break-glass review (authority.yml), with the default. */
export function reviewLadder(g: Governance, record: BreakGlassRecord): BreakGlassStep[] {
  return g.authority?.break_glass?.review.escalation ?? [{ after: "0m", notify: record.entry.review_roles ?? [] }];
}

/** What was bypassed, one line per gate that did not pass. */
function bypassed(tree: SignoffTree): string[] {
  return tree.gates
    .filter((r) => !r.passed)
    .map((r) => {
      const parts: string[] = [];
      const waiting = r.signers.filter((s) => s.status === "missing").map((s) => s.label);
      if (waiting.length > 0) parts.push(`not signed by ${andList(waiting)}`);
      if (r.vetoes.length > 0) parts.push(`vetoed by ${andList(r.vetoes.map((v) => at(v.login)))}`);
      const unconfirmed = r.confirmations.filter((c) => !c.confirmed).length;
      if (unconfirmed > 0) parts.push(`${unconfirmed} confirmation${unconfirmed === 1 ? "" : "s"} not given`);
      if (r.missingForm.length > 0) parts.push(`form incomplete (${r.missingForm.join(", ")})`);
      if (r.freeze.length > 0) parts.push(`frozen by ${andList(r.freeze.map(blockerShort))}`);
      return `- **${r.gate.title}**: ${parts.join("; ") || "not passed"}`;
    });
}

export interface BreakGlassContext {
  governance: Governance;
  facts: PullRequestFacts;
  tree: SignoffTree;
  /** Records already in the log (a redelivered command finds its own). */
  existing: readonly BreakGlassRecord[];
  pullTitle: string;
}

/**
 * `/breakglass <reason>` on a pull request, once authorised: refused when there is nothing to break
 * or it would not apply; otherwise the entry, the review issue and the reply.
 */
export function planBreakGlass(ctx: BreakGlassContext, input: BreakGlassInput): BreakGlassPlan | Refusal {
  const { governance: g, facts, tree } = ctx;
  const reason = input.reason.trim();
  if (reason === "") return { ok: false, message: "a break-glass needs a reason, e.g. `/breakglass hotfix for data loss in uploads (incident #7)`: it is logged and reviewed." };
  if (reason.length > MAX_REASON) return { ok: false, message: `the reason is longer than ${MAX_REASON} characters; say it shortly (details belong in the pull request).` };
  const id = entryId("breakglass", input.commentId);
  if (ctx.existing.some((r) => r.entry.id === id)) return { ok: false, message: "this command was already carried out (the log has its entry)." };
  if (changesGovernance(facts)) return { ok: false, message: "this pull request changes `governance/`, which a break-glass never covers: policy and state change only through their own gates (kill-switch activation and emergency rollback act first)." };
  const refused = tree.gates.filter((r) => r.gate.refusal !== undefined);
  if (refused.length > 0) return { ok: false, message: `a break-glass does not cover a gate that is refused whatever anyone signs: ${refused.map((r) => `${r.gate.title} (${r.gate.refusal})`).join("; ")}.` };
  const already = ctx.existing.find((r) => r.entry.pull_request === facts.number && r.entry.head === facts.headSha);
  if (already) return { ok: false, message: `@${already.entry.actor} already broke the glass for this head commit (\`${shortSha(facts.headSha)}\`) at ${utcTime(new Date(already.entry.timestamp))}: see #${already.entry.issue ?? "?"}.` };
  if (tree.gates.length === 0 || tree.passed) return { ok: false, message: "the sign-off check already passes: there is no glass to break." };

  const terms = reviewTerms(g, input.at);
  const reviewers = terms.roles.map((r) => {
    const h = roleHolders(g, r, input.at, input.teams);
    const people = [...h.holders.map((p) => `@${p}`), ...h.backups.map((p) => `@${p} (backup)`), ...h.unresolvedTeams.map((t) => `@${t}`)];
    return `| ${roleTitle(g, r)} | ${people.join(", ") || "nobody now: check governance/roles.yml"} |`;
  });
  const ladder = reviewLadder(g, { entry: { review_roles: terms.roles } as LogEntry, signatures: [], escalations: [] });
  const ladderWords = ladder.map((s) => `${formatDuration(parseDuration(s.after) ?? 0)} after the deadline: ${s.notify.map((t) => (g.roles.roles[t] ? roleTitle(g, t) : t)).join(", ")}`).join("; ");
  const quoted = quoteUserText(reason, MAX_REASON);
  const issueTitle = `Break-glass review: #${facts.number} ${inlineUserText(ctx.pullTitle, 120)}`.slice(0, 250);
  const body = [
      `## Break-glass review of #${facts.number}`,
      "",
      `@${input.actor} broke the glass on #${facts.number} at ${utcTime(input.at)} (${input.link}): its sign-off gates passed without being signed, for head commit \`${shortSha(facts.headSha)}\` only. The reason given:`,
      "",
      quoted,
      "",
      "**What was bypassed** (the `Charter sign-off` check as it stood):",
      ...bypassed(tree),
      "",
      `**Review due ${utcTime(terms.due)}** (${terms.within} after, authority.yml \`break_glass.review\`), signed by a holder of each role, not by @${input.actor} nor by the author of #${facts.number}, one role each:`,
      "",
      "| role | who holds it now |",
      "|---|---|",
      ...reviewers,
      "",
      `A holder signs by commenting \`/breakglass sign [note]\` on this issue. If the review is not signed by the deadline, Charter pages: ${ladderWords}.`,
      "",
      `Logged as \`${id}\` in \`governance/state/log.yml\`.`,
    ].join("\n");
  const entry = (issue: number): LogEntry => ({
    id,
    timestamp: iso(input.at),
    action: "breakglass",
    actor: input.actor,
    reason: capReason(reason),
    pull_request: facts.number,
    head: facts.headSha,
    issue,
    review_roles: terms.roles,
    review_due: iso(terms.due),
    link: input.link,
  });
  return {
    ok: true,
    entry,
    issue: { title: issueTitle, body },
    reply: (issue) =>
      `broke the glass on this pull request: the \`Charter sign-off\` check passes for head commit \`${shortSha(facts.headSha)}\` only (a push after this is not covered). Logged in \`governance/state/log.yml\`; review #${issue}, due ${utcTime(terms.due)}, by ${roleTitles(g, terms.roles)}.`,
  };
}

function capReason(reason: string): string {
  return reason.length > MAX_REASON ? reason.slice(0, MAX_REASON) : reason;
}

// ------------------------------------------------------------------------------------ signing

export interface SignPlan {
  ok: true;
  entry: LogEntry;
  /** Every role has signed with this signature. */
  complete: boolean;
  reply: string;
  /** For the closing comment when complete. */
  summary: string;
}

/**
 * `/breakglass sign [note]` on a review issue: the commenter signs the first role of the review
 * they hold that has not signed yet; never the person who broke the glass nor the pull request's
 * author; one role per person (four eyes).
 */
export function planSign(g: Governance, record: BreakGlassRecord, input: { actor: string; association?: string | undefined; note: string; at: Date; commentId: number; link: string; author: string | undefined; teams?: TeamMembers | undefined }): SignPlan | Refusal {
  const e = record.entry;
  const roles = e.review_roles ?? [];
  const missing = unsignedRoles(record);
  if (missing.length === 0) return { ok: false, message: `the review of \`${e.id}\` is already signed by every role (${roles.map((r) => roleTitle(g, r)).join(", ")}).` };
  if (sameLogin(input.actor, e.actor)) return { ok: false, message: `@${input.actor} broke the glass and cannot also review it (four eyes): another holder of ${roleTitles(g, missing, "or")} signs.` };
  if (input.author !== undefined && sameLogin(input.actor, input.author)) return { ok: false, message: `@${input.actor} wrote #${e.pull_request} and cannot review its break-glass: another holder of ${roleTitles(g, missing, "or")} signs.` };
  const before = record.signatures.find((s) => sameLogin(s.actor, input.actor));
  if (before) return { ok: false, message: `@${input.actor} already signed this review as ${roleTitle(g, before.role ?? "")}; one person signs one role (four eyes).` };
  const held = heldRoles(g, missing, input.actor, input.at, input.teams, input.association);
  if (held.length === 0) {
    const who = missing.map((r) => `${roleTitle(g, r)} (now ${mentions(peopleFor(g, [r], input.at, { teams: input.teams, backups: true }))})`).join(", ");
    return { ok: false, message: `this review is signed by ${who}; @${input.actor} holds none of these roles.` };
  }
  const role = held[0]!;
  const late = e.review_due !== undefined && input.at.getTime() > Date.parse(e.review_due);
  const note = input.note.trim();
  const entry: LogEntry = {
    id: entryId("breakglass-signed", input.commentId),
    timestamp: iso(input.at),
    action: "breakglass-signed",
    actor: input.actor,
    ref: e.id,
    role,
    ...(note ? { reason: capReason(note) } : {}),
    link: input.link,
  };
  const left = missing.filter((r) => r !== role);
  const signedAll = [...record.signatures.map((s) => `${roleTitle(g, s.role ?? "")} (@${s.actor})`), `${roleTitle(g, role)} (@${input.actor})`];
  return {
    ok: true,
    entry,
    complete: left.length === 0,
    reply:
      left.length === 0
        ? `signed the break-glass review as ${roleTitle(g, role)}${late ? " (after its deadline)" : ""}. Every role has signed: the review of #${e.pull_request} is complete, and this issue is closed. Logged in \`governance/state/log.yml\`.`
        : `signed the break-glass review as ${roleTitle(g, role)}${late ? " (after its deadline)" : ""}. Still to sign: ${roleTitles(g, left)}. Logged in \`governance/state/log.yml\`.`,
    summary: `Break-glass review complete: signed by ${signedAll.join(", ")}.`,
  };
}

// ------------------------------------------------------------------------------------ escalation

export interface DueEscalation {
  record: BreakGlassRecord;
  /** 1-based step of the ladder. */
  step: number;
  targets: string[];
  entry: LogEntry;
  /** The page's headline and the lines below it. */
  reason: string;
  details: string;
}

/**
 * Reviews past their deadline and not fully signed: each ladder step whose time has come and that
 * the log does not record yet is due (all of them at once when the sweep runs late), in order.
 */
export function dueEscalations(g: Governance, records: readonly BreakGlassRecord[], now: Date, actor: string, teams?: TeamMembers): { due: DueEscalation[]; next?: Date } {
  const due: DueEscalation[] = [];
  let next = Number.POSITIVE_INFINITY;
  for (const record of records) {
    const e = record.entry;
    if (e.review_due === undefined || e.issue === undefined) continue;
    const missing = unsignedRoles(record);
    if (missing.length === 0) continue;
    const deadline = Date.parse(e.review_due);
    if (Number.isNaN(deadline)) continue;
    const done = new Set(record.escalations.map((x) => x.step));
    reviewLadder(g, record).forEach((step, i) => {
      const n = i + 1;
      if (done.has(n)) return;
      const when = deadline + (parseDuration(step.after) ?? 0);
      if (when > now.getTime()) {
        next = Math.min(next, when);
        return;
      }
      const targets = step.notify.length > 0 ? [...step.notify] : missing;
      const people = peopleFor(g, targets.filter((t) => !t.includes("/")), now, { teams, backups: false });
      const entry: LogEntry = {
        id: entryId("breakglass-escalated", `${e.id}-${n}`),
        timestamp: iso(now),
        action: "breakglass-escalated",
        actor,
        ref: e.id,
        step: n,
        reason: `review of ${e.id} overdue since ${e.review_due}: step ${n}`,
        notified: people,
        ...(e.link ? { link: e.link } : {}),
      };
      due.push({
        record,
        step: n,
        targets,
        entry,
        reason: `Break-glass review overdue: #${e.pull_request}`,
        details: [
          `${step.note ? `${inlineUserText(step.note, 200)} ` : ""}The review of @${e.actor}'s break-glass on #${e.pull_request} was due ${utcTime(new Date(deadline), now)} and is **overdue** (step ${n} of ${reviewLadder(g, record).length}). Still to sign: ${roleTitles(g, missing)}.`,
          "",
          "A holder of each role signs with `/breakglass sign [note]` on this issue.",
        ].join("\n"),
      });
    });
  }
  return { due, ...(Number.isFinite(next) ? { next: new Date(next) } : {}) };
}
