/**
 * One sign-off evaluation of one pull request: gather facts from GitHub, decide in the pure core,
 * write the check run (only if it changed) and, on pull request events, the RACI requests and
 * mention. Stateless apart from caches: every event recomputes from what GitHub stores.
 */
import type { Logger } from "probot";
import type { Governance } from "../core/model/governance.js";
import { invalidGovernanceCheck, noGovernanceCheck, notGovernedCheck, signoffCheck, type CheckOutput } from "../core/signoff/check.js";
import { breakGlassFor } from "../core/signoff/breakglass.js";
import { planReminders } from "../core/signoff/reminders.js";
import { usesSignoffTimers } from "../core/signoff/timing.js";
import { branchOf, mergeGroupCheck, mergeGroupPull, unknownMergeGroupCheck } from "../core/signoff/merge-group.js";
import { evaluateSignoff, type SignoffTree } from "../core/signoff/evaluate.js";
import type { IncidentFact, PullRequestFacts } from "../core/signoff/facts.js";
import { teamsReferenced } from "../core/signoff/holders.js";
import { informedComment, pullRequestActivities, raciPlan, INFORMED_MARKER } from "../core/signoff/raci.js";
import { requestFact } from "../core/signoff/request.js";
import { isGoverned, selectGates } from "../core/signoff/select.js";
import { declarationsOf, selectionState } from "../core/signoff/selection.js";
import { readsStateCouldNeed } from "../core/signoff/state-reads.js";
import { decodeRequest, requestScope } from "../core/trust/request.js";
import { isCharterUser } from "../github/identity.js";
import type { GovernanceRef } from "../core/signoff/words.js";
import { formatDiagnostic } from "../load/diagnostic.js";
import { httpStatus, type GitHubClient, type RepoRef } from "../github/client.js";
import { together } from "../github/together.js";
import { governanceFromDefaultBranch, knownGovernance, type GovernanceSnapshot } from "../github/governance.js";
import { charterRecord, CheckRunWriter } from "../github/signoff/check-run.js";
import { findMarkerComment, markerCommentCache, upsertMarkerComment, type MarkerCommentCache } from "../github/signoff/comments.js";
import { proposedStateFiles, pullFiles, stateFilesNeedReading, type PullFiles, type PullFilesCache } from "../github/signoff/files.js";
import { openFreezingIncidents } from "../github/signoff/incidents.js";
import { KeyedLock, Lru } from "../github/signoff/lru.js";
import { getPull, openPullsInto, type PullSummary } from "../github/signoff/pulls.js";
import { requestReviews } from "../github/signoff/review-requests.js";
import { listReviews } from "../github/signoff/reviews.js";
import { readTeams, TeamMembersCache } from "../github/signoff/teams.js";
import { reviewDismissals } from "../github/signoff/timeline.js";
import type { CharterDeps } from "./deps.js";
import { previewImpact } from "./impact.js";

/** Sign-off's caches, one set per app instance (keyed by its deps). */
export interface SignoffState {
  files: PullFilesCache;
  teams: TeamMembersCache;
  checks: CheckRunWriter;
  comments: MarkerCommentCache;
  /** Who Charter already asked for a review, per pull request (so nobody is asked twice). */
  requested: Lru<string, Set<string>>;
  /** Timed work per pull request (src/handlers/signoff-timers.ts): what a sweep may skip, what was reminded. A cache: GitHub decides. */
  timers: Lru<string, TimerMemo>;
  locks: KeyedLock;
}

/** What the last timed look at a pull request found. */
export interface TimerMemo {
  headSha: string;
  updatedAt: string | undefined;
  /** The default branch's commit the governance was read from. */
  governanceSha: string;
  /** Nothing changes by time alone before this instant (ms; Infinity: never). */
  next: number;
  /** Reminder keys known to be sent (the sealed markers on GitHub decide). */
  sent: Set<string>;
}

const states = new WeakMap<CharterDeps, SignoffState>();

/**
 * What a look at a pull request says about its timed work: the first instant its verdict or its
 * reminders can change by time alone (an approval expiring, a reminder falling due; now when a
 * reminder may already be due and only Charter's markers on GitHub can say whether it was sent).
 */
export function timerMemo(previous: TimerMemo | undefined, pr: PullSummary, governanceSha: string, tree: SignoffTree, now: Date, sent: Set<string> = previous?.sent ?? new Set<string>()): TimerMemo {
  const openedAt = pr.createdAt ? new Date(pr.createdAt) : undefined;
  const plan = openedAt && !pr.draft ? planReminders(tree, { openedAt, now, sent }) : { due: [] };
  // An approval given after this look expires no earlier than `valid_for` from now, so looking
  // again by then is enough even if no event (or an event another process handled) says so.
  const validFor = Math.min(...tree.gates.map((r) => r.gate.validFor?.ms ?? Number.POSITIVE_INFINITY));
  const next =
    plan.due.length > 0
      ? now.getTime()
      : Math.min(tree.nextChange?.getTime() ?? Number.POSITIVE_INFINITY, "next" in plan && plan.next ? plan.next.getTime() : Number.POSITIVE_INFINITY, now.getTime() + validFor);
  return { headSha: pr.headSha, updatedAt: pr.updatedAt, governanceSha, next, sent };
}

export function signoffState(deps: CharterDeps): SignoffState {
  let s = states.get(deps);
  if (!s) {
    s = { files: new Lru(500), teams: new TeamMembersCache(), checks: new CheckRunWriter(2000, deps.identity), comments: markerCommentCache(), requested: new Lru(2000), timers: new Lru(2000), locks: new KeyedLock() };
    states.set(deps, s);
  }
  return s;
}

/** Where an evaluation runs: a repository and the means to reach GitHub. */
export interface RepoContext {
  gh: GitHubClient;
  repo: RepoRef;
  /** The repository's web address (payload `repository.html_url`), for links. */
  repoUrl: string;
  defaultBranch: string;
  deps: CharterDeps;
  log: Logger;
}

export interface EvaluateOptions {
  /** Write the check even when unchanged (a re-run was requested). */
  force?: boolean;
  /** Request reviews and mention the Informed roles (pull request events, not reviews). */
  raci?: boolean;
  /** A snapshot already read for this batch (push and membership re-evaluations). */
  snapshot?: GovernanceSnapshot;
  /** Freezing incidents already read for this batch. */
  incidents?: () => Promise<IncidentFact[]>;
  /** The head the pull request had before this push (`pull_request.synchronize`): Charter's record there carries over. */
  before?: string;
  /** A merge group of GitHub's merge queue for this pull request: the verdict is written on the group's head commit. */
  group?: { sha: string };
  /** Write the impact preview when the pull request changes governance/ (src/handlers/impact.ts). */
  impact?: boolean;
  /** The pull request's files, already being read for this batch (they do not depend on governance). */
  files?: Promise<PullFiles>;
}

export type Evaluation =
  | { kind: "closed" }
  | { kind: "not-governed"; output: CheckOutput; ref: GovernanceRef }
  | { kind: "invalid"; output: CheckOutput; ref: GovernanceRef }
  | { kind: "evaluated"; output: CheckOutput; ref: GovernanceRef; tree: SignoffTree; governance: Governance; facts: PullRequestFacts };

/** Evaluate a pull request and write its check run. Events for one pull request run one at a time. */
export async function evaluatePullRequest(ctx: RepoContext, pr: PullSummary, options: EvaluateOptions = {}): Promise<Evaluation> {
  const key = `${ctx.repo.owner}/${ctx.repo.repo}#${pr.number}`.toLowerCase();
  return signoffState(ctx.deps).locks.run(key, () => evaluateUnlocked(ctx, pr, options));
}

async function evaluateUnlocked(ctx: RepoContext, pr: PullSummary, options: EvaluateOptions): Promise<Evaluation> {
  const { gh, repo, deps } = ctx;
  const state = signoffState(deps);
  if (pr.state !== "open") return { kind: "closed" };
  const group = options.group;
  // a merge group's check always reflects this evaluation (GitHub asked for it once); the pull request's own only when it changed
  const write = (output: CheckOutput) =>
    group ? state.checks.write(gh, repo, group.sha, mergeGroupCheck(output, pr.number, group.sha), deps.clock.now(), true) : state.checks.write(gh, repo, pr.headSha, output, deps.clock.now(), options.force);
  const now = deps.clock.now();
  const governed = isGoverned({ baseRef: pr.baseRef, defaultBranch: ctx.defaultBranch });

  /**
   * Every fact the decision needs beyond governance, reads issued together: the pull request's
   * files (a read that does not depend on governance), then the proposed state files, then
   * reviews, team members, freezing incidents, Charter's own records and the Informed comment.
   */
  let filesRead: ReturnType<typeof pullFiles> | undefined;
  const gather = async (g: Governance) => {
    const files = await (filesRead ??= options.files ?? pullFiles(gh, repo, pr, state.files));
    const identity = await deps.identity();
    // Charter's sealed request counts only on Charter's own pull request, bound to this repository and head branch.
    const request = requestFact({
      decoded: decodeRequest(pr.body, identity.keys, requestScope(`${repo.owner}/${repo.repo}`, pr.headRef)),
      charterAuthored: isCharterUser(identity, pr.author),
      author: pr.author.login,
      botLogin: identity.botLogin,
    });
    // a swap or override pull request: its oncall.yml is read to compare with what was requested
    const swap = request.kind === "charter" && (request.request.kind === "swap" || request.request.kind === "override");
    const raci = options.raci === true && !pr.draft && !group;
    const readIncidents = options.incidents ?? (() => openFreezingIncidents(gh, repo, g));
    const readRecords = () =>
      Promise.all([charterRecord(gh, repo, pr.headSha, identity.appId), options.before && options.before !== pr.headSha ? charterRecord(gh, repo, options.before, identity.appId) : Promise.resolve(undefined)]);
    const readInformed = () => findMarkerComment(gh, repo, pr.number, INFORMED_MARKER, state.comments, identity);
    // The gates depend on the proposed state files: when their text must be fetched, the reads the
    // gates could need (from the model and the file list: src/core/signoff/state-reads.ts) go out
    // with it, so the check is not a round trip later; those the real gates do not need are ignored.
    const ahead = stateFilesNeedReading(files, deps.governance, swap) ? readsStateCouldNeed(g, { files: files.files, raci, oncall: swap }) : undefined;
    const readFirst = {
      reviews: ahead?.reviews ? listReviews(gh, repo, pr.number) : undefined,
      incidents: ahead?.incidents ? readIncidents() : undefined,
      records: ahead?.records ? readRecords() : undefined,
      informed: ahead?.informed ? readInformed() : undefined,
    };
    const readAhead = ([readFirst.reviews, readFirst.incidents, readFirst.records, readFirst.informed] as (Promise<unknown> | undefined)[]).filter((p): p is Promise<unknown> => p !== undefined);
    for (const read of readAhead) read.catch(() => undefined); // a failure is thrown where the read is used
    const head = await proposedStateFiles(gh, repo, files, deps.governance, swap).catch(async (error: unknown) => {
      await Promise.allSettled(readAhead); // nothing left in flight when the evaluation fails
      throw error;
    });
    const facts: PullRequestFacts = {
      number: pr.number,
      author: pr.author,
      headSha: pr.headSha,
      baseRef: pr.baseRef,
      defaultBranch: ctx.defaultBranch,
      draft: pr.draft,
      body: pr.body,
      labels: pr.labels,
      files: files.files,
      filesTruncated: files.truncated,
      state: { base: { phase: g.state.phase, killswitch: g.state.killswitch, log: g.state.log, ...(g.oncall ? { oncall: g.oncall } : {}) }, head },
      request,
    };
    const gates = selectGates(g, facts, now);
    const activities = raci ? pullRequestActivities(g, facts, gates) : [];
    const needsReviews = gates.some((x) => x.signers.length > 0) || activities.length > 0;
    const declarations = declarationsOf(gates);
    const roles = [...gates.flatMap((x) => (Array.isArray(x.veto) ? x.veto : [])), ...activities.flatMap((a) => [...a.A, ...a.C, ...a.I])];
    const needsIncidents = gates.some((x) => x.freeze);
    // independent reads together: reviews, team members, freezing incidents, Charter's own records, the
    // Informed comment (those read ahead are used as read; those not needed are only waited for)
    const [reviews, teamRead, incidents, records, informed] = await together([
      needsReviews ? (readFirst.reviews ?? listReviews(gh, repo, pr.number)) : Promise.resolve([]),
      readTeams(gh, teamsReferenced(g, gates.flatMap((x) => x.signers), roles), state.teams, now),
      needsIncidents ? (readFirst.incidents ?? readIncidents()) : Promise.resolve([]),
      declarations.length > 0 ? (readFirst.records ?? readRecords()) : Promise.resolve(undefined),
      activities.length > 0 ? (readFirst.informed ?? readInformed()) : Promise.resolve(undefined),
      Promise.allSettled(readAhead),
    ] as const);
    return { files, facts, gates, activities, declarations, reviews, teamRead, incidents, records, informed, identity };
  };

  // The governance check on the default branch is almost always a 304 (nothing changed): gather the
  // facts it implies from the model already known, in the same round trip; if it did change, they
  // are gathered again from the new model (and the early answers are dropped).
  const known = options.snapshot || !governed ? undefined : knownGovernance(deps.governance, repo, ctx.defaultBranch);
  const early = known?.result.ok ? { snapshot: known, facts: gather(known.result.governance) } : undefined;
  early?.facts.catch(() => undefined); // used only if still current; a failure then is thrown there
  const snapshot = options.snapshot ?? (await governanceFromDefaultBranch(gh, repo, ctx.defaultBranch, deps.governance));
  const ref: GovernanceRef = { repoUrl: ctx.repoUrl, branch: ctx.defaultBranch, sha: snapshot.sha };

  if (!governed) {
    // The check belongs to the commit, not to the pull request: if the same commit is the head of
    // an open pull request into the default branch, that pull request's verdict is the one written.
    const twin = (await openPullsInto(gh, repo, ctx.defaultBranch)).find((p) => p.headSha === pr.headSha);
    if (twin) return evaluatePullRequest(ctx, twin, { ...options, snapshot, raci: false });
    const output = notGovernedCheck(pr.baseRef, ctx.defaultBranch, pr.headSha);
    await write(output);
    return { kind: "not-governed", output, ref };
  }

  if (!snapshot.result.ok) {
    const output = snapshot.present ? invalidGovernanceCheck(snapshot.result.diagnostics.map(formatDiagnostic), ref) : noGovernanceCheck(ref);
    await write(output);
    return { kind: "invalid", output, ref };
  }
  const g = snapshot.result.governance;
  const { files, facts, gates, activities, declarations, reviews, teamRead, incidents, records, informed, identity } = early && snapshot === early.snapshot ? await early.facts : await gather(g);
  // who dismissed a review is only in the timeline: read it when a review is dismissed
  const dismissals = reviews.some((r) => r.state === "DISMISSED") ? await reviewDismissals(gh, repo, pr.number) : [];
  // a change is dated no earlier than GitHub's own record of the pull request's last update, so a
  // server clock running behind GitHub's cannot let approvals given just before an edit count
  const updated = pr.updatedAt ? Date.parse(pr.updatedAt) : Number.NaN;
  const changedAt = Number.isNaN(updated) || updated <= now.getTime() ? now : new Date(updated);
  const selection = records ? selectionState(declarations, { head: records[0], before: records[1] }, changedAt) : undefined;
  const tree = evaluateSignoff({
    governance: g,
    facts,
    gates,
    reviews,
    now,
    teams: teamRead.members,
    unreadableTeams: teamRead.unreadable,
    dismissals,
    incidents,
    ...(selection ? { selection } : {}),
    breakGlass: breakGlassFor(g.state.log, pr.number, pr.headSha),
  });
  const output = signoffCheck(tree, ref);
  // the writes, together at the end: the check run, and on pull request events the RACI requests and
  // mention; the impact preview (words about a change to governance/, which reads the head's files)
  // once the check is written, so the verdict never waits on or follows from the head's governance;
  // its failure is logged and retried on the next event
  const written = write(output);
  const previewed =
    options.impact && !group
      ? written.then(() =>
          previewImpact(ctx, pr, files, snapshot, g).catch((error: unknown) => {
            ctx.log.warn({ err: error, pr: pr.number }, "impact preview failed; the next push or retarget retries");
          }),
        )
      : undefined;
  // something happened to the pull request (or time passed): what this evaluation says is next by
  // time alone is remembered, so the engine's sign-off timer (src/engine/runtime.ts) runs then
  const timerKey = `${repo.owner}/${repo.repo}#${pr.number}`.toLowerCase();
  if (!group && usesSignoffTimers(g)) state.timers.set(timerKey, timerMemo(state.timers.get(timerKey), pr, snapshot.sha, tree, now));
  else if (!group) state.timers.delete(timerKey);
  const teams = teamRead.members;

  const raci = options.raci === true && !pr.draft && !group;
  if (activities.length > 0 || (raci && gates.some((x) => x.kind === "oncall"))) {
    const prKey = `${repo.owner}/${repo.repo}#${pr.number}`.toLowerCase();
    const asked = state.requested.get(prKey) ?? new Set<string>();
    const plan = raciPlan({ governance: g, facts, gates, tree, now, teams, alreadyRequested: [...pr.requested, ...asked], org: repo.owner });
    const body = informedComment(plan);
    const [requested] = await together([requestReviews(gh, repo, pr.number, plan.reviewers, plan.teamReviewers), body ? upsertMarkerComment(gh, repo, pr.number, INFORMED_MARKER, body, state.comments, identity, informed) : undefined, written, previewed] as const);
    if (requested) {
      for (const r of [...plan.reviewers, ...plan.teamReviewers.map((t) => `${repo.owner}/${t}`)]) asked.add(r.toLowerCase());
      state.requested.set(prKey, asked);
    } else ctx.log.warn({ pr: pr.number, reviewers: plan.reviewers }, "GitHub refused the RACI review requests");
  } else await together([written, previewed] as const);
  return { kind: "evaluated", output, ref, tree, governance: g, facts };
}

/** How many pull requests of one batch are evaluated at the same time (their reads and writes overlap). */
export const REEVALUATE_TOGETHER = 4;

export interface ReevaluateOptions {
  /**
   * Read the first pull requests' files while governance loads (the governance last read was
   * valid, so they will be needed). Not when it was not: an invalid model reads no files.
   */
  prefetchFiles?: boolean;
}

/**
 * Re-evaluate every open pull request into the default branch (governance or membership changed).
 * One governance read and at most one incident read for the whole batch; the open pull requests
 * are listed while governance loads, and evaluated REEVALUATE_TOGETHER at a time.
 */
export async function reevaluateOpenPulls(ctx: RepoContext, options: ReevaluateOptions = {}): Promise<number> {
  const state = signoffState(ctx.deps);
  const pullsRead = openPullsInto(ctx.gh, ctx.repo, ctx.defaultBranch);
  // the files of a pull request do not depend on governance (the first few, read while it loads)
  const filesRead = options.prefetchFiles
    ? pullsRead.then((pulls) => new Map(pulls.slice(0, REEVALUATE_TOGETHER).map((pr) => [pr.number, pullFiles(ctx.gh, ctx.repo, pr, state.files)] as const)))
    : Promise.resolve(new Map<number, Promise<PullFiles>>());
  const [snapshot, pulls, prefetched] = await together([governanceFromDefaultBranch(ctx.gh, ctx.repo, ctx.defaultBranch, ctx.deps.governance), pullsRead, filesRead] as const).catch(async (error: unknown) => {
    // nothing left in flight when the batch fails
    await Promise.allSettled([...(await filesRead.catch(() => new Map<number, Promise<PullFiles>>())).values()]);
    throw error;
  });
  for (const read of prefetched.values()) read.catch(() => undefined); // a failure is the evaluation's (thrown there)
  let incidents: Promise<IncidentFact[]> | undefined;
  const shared = () => {
    if (!snapshot.result.ok) return Promise.resolve([]);
    const g = snapshot.result.governance;
    incidents ??= openFreezingIncidents(ctx.gh, ctx.repo, g);
    return incidents;
  };
  let next = 0;
  const evaluateNext = async (): Promise<void> => {
    for (let pr = pulls[next++]; pr; pr = pulls[next++]) {
      const files = prefetched.get(pr.number);
      try {
        await evaluatePullRequest(ctx, pr, { snapshot, incidents: shared, impact: true, ...(files ? { files } : {}) });
      } catch (error) {
        ctx.log.error({ err: error, pr: pr.number }, "sign-off re-evaluation failed");
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(REEVALUATE_TOGETHER, pulls.length) }, evaluateNext));
  // prefetched files of a pull request that was not evaluated (closed meanwhile, or no governance): settle them
  await Promise.allSettled(prefetched.values());
  return pulls.length;
}

/** What GitHub says of a merge group (`merge_group.checks_requested`). */
export interface MergeGroupFacts {
  headSha: string;
  headRef: string;
  baseRef: string;
}

/**
 * The `Charter sign-off` check of a merge queue's group: the pull request it is for, evaluated
 * again now, written on the group's head commit (src/core/signoff/merge-group.ts). A group Charter
 * cannot attribute to an open pull request into the default branch fails closed.
 */
export async function evaluateMergeGroup(ctx: RepoContext, group: MergeGroupFacts): Promise<void> {
  const { gh, repo, deps } = ctx;
  const state = signoffState(deps);
  const now = deps.clock.now();
  const base = branchOf(group.baseRef);
  if (base !== ctx.defaultBranch) {
    await state.checks.write(gh, repo, group.headSha, notGovernedCheck(base, ctx.defaultBranch, group.headSha), now, true);
    return;
  }
  const number = mergeGroupPull(group.headRef, base);
  const refuse = (why: string) => state.checks.write(gh, repo, group.headSha, unknownMergeGroupCheck(why, group.headSha), now, true);
  if (number === undefined) {
    await refuse(`its branch \`${branchOf(group.headRef).slice(0, 200)}\` does not name the pull request it is for`);
    return;
  }
  let pr: PullSummary;
  try {
    pr = await getPull(gh, repo, number);
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
    await refuse(`pull request #${number} does not exist`);
    return;
  }
  if (pr.state !== "open") return void (await refuse(`pull request #${number} is closed`));
  if (pr.baseRef !== ctx.defaultBranch) return void (await refuse(`pull request #${number} merges into \`${pr.baseRef}\`, not \`${ctx.defaultBranch}\``));
  await evaluatePullRequest(ctx, pr, { group: { sha: group.headSha } });
}
