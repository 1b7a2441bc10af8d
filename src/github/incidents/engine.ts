import { together } from "../together.js";
import type { CommandActor } from "../../core/incidents/authority.js";
import { nextDueAt } from "../../core/incidents/due.js";
import { parseIncidentForm, severityWord } from "../../core/incidents/form.js";
import { judgeManualChange, type ManualChange } from "../../core/incidents/manual-changes.js";
import { incidentZone } from "../../core/incidents/oncall-report.js";
import { planPass, type PassContext } from "../../core/incidents/pass.js";
import { authorMayOpen, looksLikeReport, publicPolicy, publicReportMessage, withinPublicLimit } from "../../core/incidents/public-reports.js";
import { fallbackSeverity, findSeverity, hasIncidentLabel, isIncidentLabel, severityFromLabels } from "../../core/incidents/severity.js";
import { charterAssigned, isProcessed, isResolved, markProcessed, type IncidentState } from "../../core/incidents/state.js";
import { formatAt } from "../../core/incidents/time.js";
import { isRefused, openIncident, resolveIncident, withDue, type Outcome, type ReviewPlan, type Transition } from "../../core/incidents/transitions.js";
import type { Governance } from "../../core/model/governance.js";
import type { IncidentsFile } from "../../core/model/incidents.js";
import type { TeamMembers } from "../../core/roles/resolve.js";
import type { Notifier } from "../../notify/notifier.js";
import { httpStatus, type GitHubClient, type RepoRef } from "../client.js";
import type { CharterIdentity } from "../identity.js";
import { createComment, createIssue, type Writer } from "../writes/create.js";
import { isUnknownOutcome } from "../writes/outcome.js";
import { incidentKey, type IncidentCaches } from "./cache.js";
import { startDeliveries, withNotifications } from "./deliver.js";
import { ensureIncidentLabels } from "./labels.js";
import { withLock } from "./lock.js";
import { addAssignees, createStatusComment, loadState, postActionComment, writeState, type LoadedState, type MarkerContext } from "./store.js";

/** The little logging the engine does (Probot's logger fits). */
export interface EngineLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** What an incident pass needs: a client, the repository, the model, the time, the caches, and who Charter is. */
export interface IncidentEnv {
  gh: GitHubClient;
  repo: RepoRef;
  g: Governance;
  inc: IncidentsFile;
  now: Date;
  caches: IncidentCaches;
  /** Charter's identity and seal keys: only its own sealed markers count. */
  identity: CharterIdentity;
  log?: EngineLog;
  teams?: TeamMembers;
  /** Sends messages to the channels of notify.yml (none: they are recorded, and sent by the next process that can). */
  notify?: Notifier;
  /** The repository's label names, read with the governance check (handlers/incidents.ts) when the labels may be missing. */
  labelsListed?: Promise<string[]>;
}

/** The facts about an issue that arrive with a webhook or an issue listing. */
export interface IssueFacts {
  number: number;
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  state: "open" | "closed";
  author: string;
  /** GitHub's `author_association` of the issue: whether its author has access to the repository. */
  authorAssociation?: string;
  /** `user.type` of the author (`Bot` for apps and workflows). */
  authorType?: string;
  /** Who closed it, when GitHub says (a single issue's `closed_by`). */
  closedBy?: string;
  createdAt?: string;
  url?: string;
  /** Number of comments, when known. */
  comments?: number;
}

interface IssueLike {
  number: number;
  title: string;
  body?: string | null;
  labels?: (string | { name?: string } | null)[];
  assignees?: ({ login: string } | null)[] | null;
  state?: string;
  user?: { login: string; type?: string } | null;
  author_association?: string;
  closed_by?: { login: string } | null;
  created_at?: string;
  html_url?: string;
  comments?: number;
}

/** IssueFacts from a REST or webhook issue object. */
export function issueFacts(issue: IssueLike): IssueFacts {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    labels: (issue.labels ?? []).map((l) => (typeof l === "string" ? l : (l?.name ?? ""))).filter(Boolean),
    assignees: (issue.assignees ?? []).flatMap((a) => (a ? [a.login] : [])),
    state: issue.state === "closed" ? "closed" : "open",
    author: issue.user?.login ?? "ghost",
    ...(issue.author_association ? { authorAssociation: issue.author_association } : {}),
    ...(issue.user?.type ? { authorType: issue.user.type } : {}),
    ...(issue.closed_by ? { closedBy: issue.closed_by.login } : {}),
    ...(issue.created_at ? { createdAt: issue.created_at } : {}),
    ...(issue.html_url ? { url: issue.html_url } : {}),
    ...(issue.comments !== undefined ? { comments: issue.comments } : {}),
  };
}

/** The severity an issue asks for: its severity label, else the form's answer. */
export function requestedSeverity(inc: IncidentsFile, issue: Pick<IssueFacts, "labels" | "body">): string | undefined {
  const fromLabel = severityFromLabels(inc, issue.labels);
  if (fromLabel) return fromLabel;
  const answer = parseIncidentForm(issue.body)?.severity;
  return answer ? (findSeverity(inc, answer) ?? findSeverity(inc, severityWord(answer))) : undefined;
}

/** An incident by its labels or body: the incident label, a severity label, or a body from the incident form naming a severity. */
export function isIncident(inc: IncidentsFile, issue: Pick<IssueFacts, "labels" | "body">): boolean {
  return hasIncidentLabel(inc, issue.labels) || requestedSeverity(inc, issue) !== undefined;
}

/** An issue created this recently is taken to have become an incident when it was created. */
export const RECENT_MS = 5 * 60_000;

const markers = (env: IncidentEnv): MarkerContext => ({ identity: env.identity, repo: env.repo });
const writer = (env: IncidentEnv): Writer => ({ gh: env.gh, repo: env.repo, identity: env.identity, ...(env.log ? { log: env.log } : {}) });
const subjectOf = (env: IncidentEnv, issue: number) => `${env.repo.owner}/${env.repo.repo}#${issue}`.toLowerCase();
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * When the issue became an incident, for an incident Charter finds without state (it missed the
 * webhook): for an issue created in the last 5 minutes, its creation; for an older one, the first
 * time the incident or a severity label was added, from the issue's events (else its creation).
 * The ladder counts from there, so missed steps are done late, not forgotten, and an old issue
 * labelled today does not page its whole ladder at once.
 */
async function becameIncidentAt(env: IncidentEnv, issue: IssueFacts): Promise<Date> {
  const created = issue.createdAt ? new Date(issue.createdAt) : env.now;
  if (env.now.getTime() - created.getTime() <= RECENT_MS) return created;
  if (hasIncidentLabel(env.inc, issue.labels) || severityFromLabels(env.inc, issue.labels)) {
    try {
      const events = await env.gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/events", { ...env.repo, issue_number: issue.number, per_page: 100 });
      const first = events.find((e) => e.event === "labeled" && "label" in e && e.label && isIncidentLabel(env.inc, e.label.name));
      if (first) return new Date(first.created_at);
    } catch (error) {
      env.log?.warn({ issue: issue.number, status: httpStatus(error) }, "could not read the issue's events; the ladder counts from its creation");
    }
  }
  return created;
}

/** Whether someone other than the author (who needs triage access for it) added an incident label: they vouch for the report. */
async function labelledByOthers(env: IncidentEnv, issue: IssueFacts): Promise<boolean> {
  try {
    const events = await env.gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/events", { ...env.repo, issue_number: issue.number, per_page: 100 });
    return events.some((e) => e.event === "labeled" && "label" in e && e.label && isIncidentLabel(env.inc, e.label.name) && e.actor && !same(e.actor.login, issue.author));
  } catch (error) {
    env.log?.warn({ issue: issue.number, status: httpStatus(error) }, "could not read the issue's events; the report is treated as unconfirmed");
    return false;
  }
}

const ctxOf = (env: IncidentEnv): PassContext => ({ g: env.g, now: env.now, ...(env.teams ? { teams: env.teams } : {}) });

/**
 * Open an incident on GitHub: create missing labels, label the issue, post the status comment
 * (incident-start message, step 0 page, sealed state marker), assign the responders.
 */
async function openOnGitHub(
  env: IncidentEnv,
  issue: IssueFacts,
  openedAt: Date,
  extra: { severity?: string; notice?: (severity: string) => string; removeLabels?: string[] } = {},
): Promise<{ summary: string[]; state?: IncidentState; commentId?: number }> {
  const { gh, repo, inc } = env;
  const severity = extra.severity ?? requestedSeverity(inc, issue) ?? fallbackSeverity(inc);
  if (!severity) return { summary: [] };
  await ensureIncidentLabels(gh, repo, inc, env.caches, env.labelsListed);
  const have = new Set(issue.labels.map((l) => l.toLowerCase()));
  for (const name of extra.removeLabels ?? []) {
    if (!have.has(name.toLowerCase())) continue;
    await removeLabel(env, issue.number, name);
  }
  const missing = [inc.label.name, inc.severities[severity]!.label].filter((l) => !have.has(l.toLowerCase()));
  const form = parseIncidentForm(issue.body);
  const outcome = openIncident(ctxOf(env), {
    inc,
    issue: { number: issue.number, title: issue.title, author: issue.author, ...(issue.url ? { url: issue.url } : {}) },
    severity,
    openedAt,
    ...(form ? { form } : {}),
    zone: incidentZone(env.g),
    ...(extra.notice ? { notice: extra.notice(severity) } : {}),
  });
  const notified = withNotifications(env, undefined, outcome.state, issue.url);
  // the labels, the record and the assignees: independent writes, together
  const [, commentId] = await together([
    missing.length ? gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { ...repo, issue_number: issue.number, labels: missing }) : undefined,
    createStatusComment(gh, markers(env), notified.state, env.caches),
    addAssignees(gh, repo, issue.number, outcome.assign, issue.assignees),
  ] as const);
  startDeliveries(env, issue.number, notified);
  env.log?.info({ issue: issue.number, severity }, `incident #${issue.number} opened (${severity})`);
  return { summary: outcome.summary, state: notified.state, commentId };
}

async function removeLabel(env: IncidentEnv, issueNumber: number, name: string): Promise<void> {
  try {
    await env.gh.request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", { ...env.repo, issue_number: issueNumber, name });
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }
}

/**
 * Charter's status comment does not verify (someone edited it, or it predates sealed markers):
 * Charter never acts on it. It restarts the record from what GitHub itself shows, failing safe:
 * the ladder of the issue's severity label counts from when the issue became an incident, every
 * step already due is paged now, and an acknowledgement is needed again. Never fewer pages.
 */
async function restartRecord(env: IncidentEnv, issue: IssueFacts, tampered: { commentId: number; reason: string }): Promise<{ summary: string[]; state?: IncidentState; commentId?: number }> {
  const openedAt = await becameIncidentAt(env, issue);
  env.log?.warn({ issue: issue.number, comment: tampered.commentId, reason: tampered.reason }, `incident #${issue.number}: the status comment does not verify; restarting the record`);
  const where = issue.url ? `[its status comment](${issue.url}#issuecomment-${tampered.commentId})` : `its status comment (${tampered.commentId})`;
  const at = openedAt > env.now ? env.now : openedAt;
  const outcome = await openOnGitHub(env, issue, at, {
    notice: (severity) =>
      `⚠️ **Charter restarted this incident's record.** ${where} no longer verifies: ${tampered.reason}. Charter does not act on a record it cannot verify, so it rebuilt it from what GitHub itself shows: the ${severity} escalation ladder counts from when the issue became an incident (${formatAt(at.getTime(), incidentZone(env.g))}), every step already due is paged now, and the incident must be acknowledged again.`,
  });
  return { ...outcome, summary: [`#${issue.number} record restarted (${tampered.reason})`, ...outcome.summary] };
}

/** The labels an open incident always carries: the incident label and its severity's. */
function requiredLabels(inc: IncidentsFile, state: IncidentState): string[] {
  if (isResolved(state)) return [];
  return [inc.label.name, inc.severities[state.severity]?.label].filter((l): l is string => l !== undefined);
}

/** Apply an outcome: labels (an open incident's own are put back), one comment, assignees, the issue's state, then the state marker. */
async function apply(
  env: IncidentEnv,
  issue: IssueFacts,
  at: { commentId: number; body: string; state: IncidentState },
  outcome: Outcome,
  options: { processed?: number; stamp?: number } = {},
): Promise<void> {
  const { gh, repo, inc } = env;
  let posted = 0;
  const required = requiredLabels(inc, outcome.state);
  const have = new Set(issue.labels.map((l) => l.toLowerCase()));
  for (const name of outcome.labels?.remove ?? []) {
    if (!have.has(name.toLowerCase()) || required.some((r) => same(r, name))) continue;
    await removeLabel(env, issue.number, name);
  }
  const add = [...new Set([...(outcome.labels?.add ?? []), ...required])].filter((l) => !have.has(l.toLowerCase()));
  if (add.length) {
    await ensureIncidentLabels(gh, repo, inc, env.caches);
    await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { ...repo, issue_number: issue.number, labels: add });
  }
  if (outcome.lines.length > 0) {
    const done = { ...outcome.done, ...(options.processed !== undefined ? { processed: [options.processed] } : {}), episode: outcome.state.episode, gen: outcome.state.ladder.gen };
    await postActionComment(gh, markers(env), issue.number, outcome.lines, done);
    posted++;
  }
  if (outcome.assign.length > 0) await addAssignees(gh, repo, issue.number, outcome.assign, issue.assignees);
  if (outcome.issue && outcome.issue !== issue.state) {
    await gh.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      ...repo,
      issue_number: issue.number,
      state: outcome.issue,
      ...(outcome.issue === "closed" ? { state_reason: "completed" as const } : {}),
    });
  }
  const notified = withNotifications(env, at.state, options.processed !== undefined ? markProcessed(outcome.state, options.processed) : outcome.state, issue.url);
  await writeState(gh, markers(env), at.commentId, at.body, notified.state, env.caches, options.stamp !== undefined ? options.stamp + posted : undefined);
  startDeliveries(env, issue.number, notified);
}

export interface ReconcileOptions {
  /** When the incident opened, if Charter has to open it now (default: the issue's creation). */
  openedAt?: Date;
  /** Open the incident if it has no state yet (default true). */
  open?: boolean;
  /**
   * Someone with access made it an incident (labelled it, or it was opened by them). Without this,
   * an issue whose author has no access is a public report, never opened by itself.
   */
  vouched?: boolean;
  /** For an issue by someone without access and no record: answer it as a public report (opening, sweeps) or leave it (comments). */
  publicReports?: "answer" | "leave";
  /** Sweeps: the issue's comment count from the listing (enables skipping unchanged incidents). */
  stamp?: number;
}

/**
 * Reconcile one incident: read its state from GitHub, do what is due now (each thing once), put
 * its labels back if they were removed, write the state back. Opens the incident first when it
 * has no state and someone with access made it one. Safe to run at any time, twice, concurrently
 * (one at a time per incident in this process) or hours late.
 */
export async function reconcileIncident(env: IncidentEnv, issue: IssueFacts, options: ReconcileOptions = {}): Promise<string[]> {
  const key = incidentKey(env.repo, issue.number);
  if (options.stamp !== undefined) {
    const cached = env.caches.status(key);
    const unchanged = cached && cached.stamp === options.stamp && issue.state === "open" && requiredLabels(env.inc, cached.state).every((l) => issue.labels.some((x) => same(x, l)));
    if (cached && unchanged && (nextDueAt(cached.state, env.now) ?? Infinity) > env.now.getTime()) return [];
  }
  let answerPublic = false;
  const summary = await withLock(key, async () => {
    const loaded = await loadState(env.gh, markers(env), issue.number, env.caches, { knownEmpty: issue.comments === 0 });
    if (loaded.kind === "tampered") {
      if (issue.state === "closed") {
        env.log?.warn({ issue: issue.number, comment: loaded.commentId }, `incident #${issue.number} is closed and its record does not verify (${loaded.reason}); not touched`);
        return [];
      }
      return (await restartRecord(env, issue, loaded)).summary;
    }
    if (loaded.kind === "none") {
      if (options.open === false || issue.state === "closed") return [];
      if (!options.vouched && !authorMayOpen(issue)) {
        if (options.publicReports !== "answer") return [];
        if (!(await labelledByOthers(env, issue))) {
          answerPublic = true;
          return [];
        }
      }
      const openedAt = options.openedAt ?? (await becameIncidentAt(env, issue));
      return (await openOnGitHub(env, issue, openedAt > env.now ? env.now : openedAt)).summary;
    }
    if (issue.state === "closed" && !isResolved(loaded.state)) {
      // Closed while Charter was not looking (a missed webhook): judged as if the closer did it now.
      return closedBehindCharter(env, issue, loaded);
    }
    const pass = planPass(ctxOf(env), loaded.state);
    await apply(env, issue, loaded, { state: pass.state, lines: pass.lines, assign: pass.assign, done: pass.done, summary: pass.summary }, options.stamp !== undefined ? { stamp: options.stamp } : {});
    return pass.summary;
  });
  if (answerPublic) return answerPublicReport(env, issue);
  return summary;
}

async function closedBehindCharter(env: IncidentEnv, issue: IssueFacts, loaded: Extract<LoadedState, { kind: "found" }>): Promise<string[]> {
  let closedBy = issue.closedBy;
  if (closedBy === undefined) {
    // a listing does not say who closed an issue; the issue itself does
    const { data } = await env.gh.request("GET /repos/{owner}/{repo}/issues/{issue_number}", { ...env.repo, issue_number: issue.number });
    closedBy = data.closed_by?.login;
  }
  // Nobody known: judged as someone without any role (undone), and nobody is mentioned.
  const actor: CommandActor = closedBy
    ? { login: closedBy, association: same(closedBy, issue.author) ? (issue.authorAssociation ?? null) : "COLLABORATOR" }
    : { login: "", association: null };
  const result = await judgeAndApply(env, issue, loaded, { kind: "closed" }, actor);
  return result.summary;
}

/** What a command does, given the incident's state: a transition, or a resolution (which may open a review issue first). */
export type CommandEffect = Transition | { refused: string } | { outcome: (reviewNumber?: number) => Outcome; review?: ReviewPlan };

export type CommandResult = { refused: string } | { duplicate: true } | { reply?: string; summary: string[] };

/** Turn an effect into an outcome, opening the post-incident review first when it plans one. */
async function outcomeOf(env: IncidentEnv, issue: IssueFacts, result: CommandEffect, state: IncidentState): Promise<Outcome | { refused: string }> {
  if ("refused" in result && typeof result.refused === "string") return { refused: result.refused };
  if ("outcome" in result && typeof result.outcome === "function") {
    let reviewNumber: number | undefined;
    if (result.review) {
      try {
        // one review per resolution: the incident and its episode are the key
        const review = await createIssue(writer(env), { title: result.review.title, body: result.review.body, assignees: result.review.assignees }, { key: `incident/${issue.number}/review/e${state.episode}`, subject: subjectOf(env, issue.number) });
        reviewNumber = review.number;
      } catch (error) {
        if (isUnknownOutcome(error)) throw error; // the retried job finds it, or opens it
        env.log?.warn({ issue: issue.number, status: httpStatus(error) }, "could not open the post-incident review issue");
      }
    }
    return result.outcome(reviewNumber);
  }
  return isRefused(result as Transition) ? (result as { refused: string }) : (result as Outcome);
}

/** The record to act on: Charter's verified state; a tampered record restarted; none opened when allowed. */
async function recordFor(env: IncidentEnv, issue: IssueFacts, options: { open?: boolean }): Promise<Extract<LoadedState, { kind: "found" }> | { refused: string }> {
  const key = incidentKey(env.repo, issue.number);
  const loaded: LoadedState = await loadState(env.gh, markers(env), issue.number, env.caches, { knownEmpty: issue.comments === 0 });
  if (loaded.kind === "found") return loaded;
  if (loaded.kind === "none") {
    if (!isIncident(env.inc, issue)) return { refused: `#${issue.number} is not an incident.` };
    if (options.open === false) return { refused: `#${issue.number} has no incident state.` };
    if (!authorMayOpen(issue)) {
      return { refused: `#${issue.number} was opened by someone without access to this repository, so it is not an incident until a role holder confirms it with \`/confirm [severity]\`.` };
    }
  }
  const opened = loaded.kind === "tampered" ? await restartRecord(env, issue, loaded) : await openOnGitHub(env, issue, await becameIncidentAt(env, issue));
  const entry = env.caches.status(key);
  if (!opened.state || !entry) return { refused: `incidents.yml defines no severity, so #${issue.number} cannot be handled as an incident.` };
  return { kind: "found", commentId: entry.commentId, state: entry.state, body: entry.body, recovered: false };
}

/**
 * Run a comment command (or a change made in GitHub's UI: `comment` undefined) on an incident: read the state (opening the incident first if Charter
 * missed it), skip a comment already carried out (a redelivery), compute the effect, apply it and
 * record the comment id. Refusals change nothing.
 */
export async function runIncidentCommand(
  env: IncidentEnv,
  issue: IssueFacts,
  comment: { id: number } | undefined,
  effect: (state: IncidentState, ctx: PassContext) => CommandEffect,
  options: { open?: boolean } = {},
): Promise<CommandResult> {
  const key = incidentKey(env.repo, issue.number);
  return withLock(key, async () => {
    const loaded = await recordFor(env, issue, options);
    if ("refused" in loaded) return loaded;
    if (comment && isProcessed(loaded.state, comment.id)) return { duplicate: true };
    const outcome = await outcomeOf(env, issue, effect(loaded.state, ctxOf(env)), loaded.state);
    if ("refused" in outcome) return { refused: outcome.refused };
    await apply(env, issue, loaded, outcome, comment ? { processed: comment.id } : {});
    return { ...(outcome.reply ? { reply: outcome.reply } : {}), summary: outcome.summary };
  });
}

/** A change made in GitHub's UI, judged against the command it amounts to, then applied or undone (and said so). */
async function judgeAndApply(env: IncidentEnv, issue: IssueFacts, loaded: Extract<LoadedState, { kind: "found" }>, change: ManualChange, actor: CommandActor): Promise<{ reply?: string; summary: string[] }> {
  const verdict = judgeManualChange(env.g, env.inc, loaded.state, change, actor, env.now, { assignees: issue.assignees, charterAssigned: charterAssigned(loaded.state) }, env.teams);
  if (verdict.kind === "none") return { summary: [] };
  const ctx = ctxOf(env);
  if (verdict.kind === "resolve") {
    const keepOpen = change.kind === "label-removed";
    const effect = resolveIncident(ctx, env.inc, loaded.state, actor.login, { resolution: verdict.note }, issue.url, keepOpen ? { keepOpen, noRootCause: verdict.note } : {});
    const outcome = await outcomeOf(env, issue, effect, loaded.state);
    if ("refused" in outcome) return { summary: [] };
    // Not an incident any more: its severity label goes too, so nothing counts it as open.
    const labels = keepOpen ? { add: [], remove: issue.labels.filter((l) => isIncidentLabel(env.inc, l)) } : outcome.labels;
    await apply(env, issue, loaded, { ...outcome, ...(labels ? { labels } : {}) });
    return { summary: outcome.summary };
  }
  const undo: Outcome = {
    state: loaded.state,
    lines: [],
    assign: [],
    done: { keys: [] },
    labels: { add: verdict.restoreLabels, remove: [] },
    ...(verdict.reopen ? { issue: "open" as const } : {}),
    summary: [`#${issue.number}: ${change.kind === "closed" ? "closing" : `removing \`${change.label}\``} by ${actor.login} undone`],
  };
  const outcome = withDue(ctx, undo);
  await apply(env, issue, loaded, outcome);
  const body = actor.login ? `@${actor.login} ${verdict.reply}` : `${verdict.reply.charAt(0).toUpperCase()}${verdict.reply.slice(1)}`;
  await createComment(writer(env), issue.number, body, { key: `incident/${issue.number}/undo/e${loaded.state.episode}/${change.kind}/${change.kind === "label-removed" ? change.label : ""}/${actor.login}` });
  return { reply: verdict.reply, summary: outcome.summary };
}

/**
 * A change to an incident made in GitHub's UI (a label removed, the issue closed) by `actor`:
 * resolves the incident when the actor may `/resolve`, else is undone and explained.
 */
export async function runManualChange(env: IncidentEnv, issue: IssueFacts, change: ManualChange, actor: CommandActor): Promise<{ reply?: string; summary: string[] }> {
  const key = incidentKey(env.repo, issue.number);
  return withLock(key, async () => {
    const loaded = await loadState(env.gh, markers(env), issue.number, env.caches);
    if (loaded.kind === "none") return { summary: [] };
    if (loaded.kind === "tampered") {
      const restarted = await restartRecord(env, issue, loaded);
      const entry = env.caches.status(key);
      if (!restarted.state || !entry) return { summary: restarted.summary };
      const facts = { ...issue, labels: [...new Set([...issue.labels, env.inc.label.name, env.inc.severities[restarted.state.severity]!.label])] };
      const again = await judgeAndApply(env, facts, { kind: "found", commentId: entry.commentId, state: entry.state, body: entry.body, recovered: false }, change, actor);
      return { ...again, summary: [...restarted.summary, ...again.summary] };
    }
    return judgeAndApply(env, issue, loaded, change, actor);
  });
}

/**
 * `/confirm [severity]`: a role holder makes an issue an incident (typically a public report).
 * The ladder counts from the confirmation; the triage label goes.
 */
export async function confirmIncident(env: IncidentEnv, issue: IssueFacts, severity: string | undefined, by: string): Promise<{ refused: string } | { summary: string[] }> {
  const key = incidentKey(env.repo, issue.number);
  return withLock(key, async () => {
    const loaded = await loadState(env.gh, markers(env), issue.number, env.caches, { knownEmpty: issue.comments === 0 });
    if (loaded.kind === "found") {
      return { refused: isResolved(loaded.state) ? `#${issue.number} is a resolved incident; \`/reopen\` it instead.` : `#${issue.number} is already an incident (${loaded.state.severity}).` };
    }
    if (issue.state === "closed") return { refused: `#${issue.number} is closed; reopen it first.` };
    const triage = publicPolicy(env.inc).label.name;
    const opened = await openOnGitHub(env, issue, env.now, {
      ...(severity ? { severity } : {}),
      removeLabels: [triage],
      notice: (sev) => `✅ **Confirmed as a ${sev} incident by \`${by}\`** at ${formatAt(env.now.getTime(), incidentZone(env.g))}; the escalation ladder counts from now.`,
    });
    if (!opened.state) return { refused: `incidents.yml defines no severity, so #${issue.number} cannot be handled as an incident.` };
    return { summary: opened.summary };
  });
}

/**
 * An issue opened by someone without access that looks like an incident report (the form applied
 * the incident label, or names a severity): not an incident by itself. Charter removes its
 * incident and severity labels (always: they would freeze gates and put it in the sweep), and,
 * within the rate limit, labels it for triage (`public.intake: triage`) and says so in words.
 */
export async function answerPublicReport(env: IncidentEnv, issue: IssueFacts): Promise<string[]> {
  const key = incidentKey(env.repo, issue.number);
  if (!looksLikeReport(env.inc, issue) || !env.caches.answerPublic(key)) return [];
  const removed: string[] = [];
  for (const label of issue.labels) {
    if (!isIncidentLabel(env.inc, label)) continue;
    await removeLabel(env, issue.number, label);
    removed.push(label);
  }
  const policy = publicPolicy(env.inc);
  const { data } = await env.gh.request("GET /repos/{owner}/{repo}/issues", { ...env.repo, state: "all", sort: "created", direction: "desc", per_page: 100 });
  const recent = data
    .filter((i) => !i.pull_request)
    .map((i) => {
      const f = issueFacts(i);
      return { createdAt: i.created_at, publicReport: i.number === issue.number || (!authorMayOpen(f) && looksLikeReport(env.inc, f)) };
    });
  if (!data.some((i) => i.number === issue.number)) recent.push({ createdAt: issue.createdAt ?? env.now.toISOString(), publicReport: true });
  if (!withinPublicLimit(policy, recent, env.now)) {
    env.log?.warn({ issue: issue.number }, `#${issue.number}: more than ${policy.limit.max} public incident reports in ${policy.limit.per}; labels removed, not answered`);
    return [`#${issue.number} public report: incident labels removed (rate limit reached, not answered)`];
  }
  if (policy.intake === "triage" && !issue.labels.some((l) => same(l, policy.label.name))) {
    const cacheKey = `${env.repo.owner}/${env.repo.repo}:triage:${policy.label.name}`.toLowerCase();
    if (!env.caches.labels.has(cacheKey)) {
      try {
        await env.gh.request("POST /repos/{owner}/{repo}/labels", { ...env.repo, name: policy.label.name, color: policy.label.color, description: policy.label.description.slice(0, 100) });
      } catch (error) {
        if (httpStatus(error) !== 422) throw error; // already exists
      }
      env.caches.labels.add(cacheKey);
    }
    await env.gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { ...env.repo, issue_number: issue.number, labels: [policy.label.name] });
  }
  await createComment(writer(env), issue.number, publicReportMessage(env.inc, policy, removed), { key: `incident/${issue.number}/public-report` });
  return [`#${issue.number} public report: ${policy.intake === "triage" ? "queued for triage" : "not an incident"}`];
}
