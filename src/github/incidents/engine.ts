import { nextDueAt } from "../../core/incidents/due.js";
import { parseIncidentForm, severityWord } from "../../core/incidents/form.js";
import { incidentZone } from "../../core/incidents/oncall-report.js";
import { planPass, type PassContext } from "../../core/incidents/pass.js";
import { fallbackSeverity, findSeverity, hasIncidentLabel, isIncidentLabel, severityFromLabels } from "../../core/incidents/severity.js";
import { isProcessed, markProcessed, type IncidentState } from "../../core/incidents/state.js";
import { isRefused, openIncident, type Outcome, type ReviewPlan, type Transition } from "../../core/incidents/transitions.js";
import type { Governance } from "../../core/model/governance.js";
import type { IncidentsFile } from "../../core/model/incidents.js";
import type { TeamMembers } from "../../core/roles/resolve.js";
import { httpStatus, type GitHubClient, type RepoRef } from "../client.js";
import { incidentKey, type IncidentCaches } from "./cache.js";
import { ensureIncidentLabels } from "./labels.js";
import { withLock } from "./lock.js";
import { addAssignees, createStatusComment, loadState, postActionComment, writeState, type LoadedState } from "./store.js";

/** The little logging the engine does (Probot's logger fits). */
export interface EngineLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** What an incident pass needs: a client, the repository, the model, the time, the caches. */
export interface IncidentEnv {
  gh: GitHubClient;
  repo: RepoRef;
  g: Governance;
  inc: IncidentsFile;
  now: Date;
  caches: IncidentCaches;
  log?: EngineLog;
  teams?: TeamMembers;
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
  user?: { login: string } | null;
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

/** An incident: the incident label, a severity label, or a body from the incident form naming a severity. */
export function isIncident(inc: IncidentsFile, issue: Pick<IssueFacts, "labels" | "body">): boolean {
  return hasIncidentLabel(inc, issue.labels) || requestedSeverity(inc, issue) !== undefined;
}

/** An issue created this recently is taken to have become an incident when it was created. */
export const RECENT_MS = 5 * 60_000;

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

const ctxOf = (env: IncidentEnv): PassContext => ({ g: env.g, now: env.now, ...(env.teams ? { teams: env.teams } : {}) });

/**
 * Open an incident on GitHub: create missing labels, label the issue, post the status comment
 * (incident-start message, step 0 page, state marker), assign the responders.
 */
async function openOnGitHub(env: IncidentEnv, issue: IssueFacts, openedAt: Date): Promise<{ summary: string[]; state?: IncidentState; commentId?: number }> {
  const { gh, repo, inc } = env;
  const severity = requestedSeverity(inc, issue) ?? fallbackSeverity(inc);
  if (!severity) return { summary: [] };
  await ensureIncidentLabels(gh, repo, inc, env.caches);
  const have = new Set(issue.labels.map((l) => l.toLowerCase()));
  const missing = [inc.label.name, inc.severities[severity]!.label].filter((l) => !have.has(l.toLowerCase()));
  if (missing.length) await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { ...repo, issue_number: issue.number, labels: missing });
  const form = parseIncidentForm(issue.body);
  const outcome = openIncident(ctxOf(env), {
    inc,
    issue: { number: issue.number, title: issue.title, author: issue.author, ...(issue.url ? { url: issue.url } : {}) },
    severity,
    openedAt,
    ...(form ? { form } : {}),
    zone: incidentZone(env.g),
  });
  const commentId = await createStatusComment(gh, repo, outcome.state, env.caches);
  await addAssignees(gh, repo, issue.number, outcome.assign, issue.assignees);
  env.log?.info({ issue: issue.number, severity }, `incident #${issue.number} opened (${severity})`);
  return { summary: outcome.summary, state: outcome.state, commentId };
}

/** Apply an outcome: labels, one comment, assignees, the issue's state, then the state marker. */
async function apply(
  env: IncidentEnv,
  issue: IssueFacts,
  at: { commentId: number; body: string },
  outcome: Outcome,
  options: { processed?: number; stamp?: number } = {},
): Promise<void> {
  const { gh, repo, inc } = env;
  let posted = 0;
  if (outcome.labels) {
    const have = new Set(issue.labels.map((l) => l.toLowerCase()));
    for (const name of outcome.labels.remove) {
      if (!have.has(name.toLowerCase())) continue;
      try {
        await gh.request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", { ...repo, issue_number: issue.number, name });
      } catch (error) {
        if (httpStatus(error) !== 404) throw error;
      }
    }
    const add = outcome.labels.add.filter((l) => !have.has(l.toLowerCase()));
    if (add.length) {
      await ensureIncidentLabels(gh, repo, inc, env.caches);
      await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { ...repo, issue_number: issue.number, labels: add });
    }
  }
  if (outcome.lines.length > 0) {
    await postActionComment(gh, repo, issue.number, outcome.lines, { ...outcome.done, ...(options.processed !== undefined ? { processed: [options.processed] } : {}) });
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
  const state = options.processed !== undefined ? markProcessed(outcome.state, options.processed) : outcome.state;
  await writeState(gh, repo, at.commentId, at.body, state, env.caches, options.stamp !== undefined ? options.stamp + posted : undefined);
}

export interface ReconcileOptions {
  /** When the incident opened, if Charter has to open it now (default: the issue's creation). */
  openedAt?: Date;
  /** Open the incident if it has no state yet (default true). */
  open?: boolean;
  /** Sweeps: the issue's comment count from the listing (enables skipping unchanged incidents). */
  stamp?: number;
}

/**
 * Reconcile one incident: read its state from GitHub, do what is due now (each thing once), write
 * the state back. Opens the incident first when it has no state. Safe to run at any time, twice,
 * concurrently (one at a time per incident in this process) or hours late.
 */
export async function reconcileIncident(env: IncidentEnv, issue: IssueFacts, options: ReconcileOptions = {}): Promise<string[]> {
  const key = incidentKey(env.repo, issue.number);
  if (options.stamp !== undefined) {
    const cached = env.caches.status(key);
    if (cached && cached.stamp === options.stamp && (nextDueAt(cached.state, env.now) ?? Infinity) > env.now.getTime()) return [];
  }
  return withLock(key, async () => {
    const loaded = await loadState(env.gh, env.repo, issue.number, env.caches, { knownEmpty: issue.comments === 0 });
    if (loaded.kind === "unreadable") {
      env.log?.warn({ issue: issue.number, comment: loaded.commentId }, `incident #${issue.number}: ${loaded.reason}; not touched`);
      return [];
    }
    if (loaded.kind === "none") {
      if (options.open === false || issue.state === "closed") return [];
      const openedAt = options.openedAt ?? (await becameIncidentAt(env, issue));
      return (await openOnGitHub(env, issue, openedAt > env.now ? env.now : openedAt)).summary;
    }
    const pass = planPass(ctxOf(env), loaded.state);
    await apply(env, issue, loaded, { state: pass.state, lines: pass.lines, assign: pass.assign, done: pass.done, summary: pass.summary }, options.stamp !== undefined ? { stamp: options.stamp } : {});
    return pass.summary;
  });
}

/** What a command does, given the incident's state: a transition, or a resolution (which may open a review issue first). */
export type CommandEffect = Transition | { refused: string } | { outcome: (reviewNumber?: number) => Outcome; review?: ReviewPlan };

export type CommandResult = { refused: string } | { duplicate: true } | { reply?: string; summary: string[] };

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
    let loaded: LoadedState = await loadState(env.gh, env.repo, issue.number, env.caches, { knownEmpty: issue.comments === 0 });
    if (loaded.kind === "unreadable") return { refused: `Charter cannot read this incident's state (comment ${loaded.commentId}: ${loaded.reason}).` };
    if (loaded.kind === "none") {
      if (!isIncident(env.inc, issue)) return { refused: `#${issue.number} is not an incident.` };
      if (options.open === false) return { refused: `#${issue.number} has no incident state.` };
      const opened = await openOnGitHub(env, issue, await becameIncidentAt(env, issue));
      const entry = env.caches.status(key);
      if (!opened.state || !entry) return { refused: `incidents.yml defines no severity, so #${issue.number} cannot be handled as an incident.` };
      loaded = { kind: "found", commentId: entry.commentId, state: entry.state, body: entry.body, recovered: false };
    }
    if (comment && isProcessed(loaded.state, comment.id)) return { duplicate: true };
    const result = effect(loaded.state, ctxOf(env));
    if ("refused" in result && typeof result.refused === "string") return { refused: result.refused };
    let outcome: Outcome;
    if ("outcome" in result && typeof result.outcome === "function") {
      let reviewNumber: number | undefined;
      if (result.review) {
        try {
          const { data } = await env.gh.request("POST /repos/{owner}/{repo}/issues", { ...env.repo, title: result.review.title, body: result.review.body, assignees: result.review.assignees });
          reviewNumber = data.number;
        } catch (error) {
          env.log?.warn({ issue: issue.number, status: httpStatus(error) }, "could not open the post-incident review issue");
        }
      }
      outcome = result.outcome(reviewNumber);
    } else if (!isRefused(result as Transition)) outcome = result as Outcome;
    else return { refused: (result as { refused: string }).refused };
    await apply(env, issue, loaded, outcome, comment ? { processed: comment.id } : {});
    return { ...(outcome.reply ? { reply: outcome.reply } : {}), summary: outcome.summary };
  });
}
