/**
 * The one way Charter creates comments, issues and pull requests: each carries an idempotency key
 * (src/core/trust/idempotency.ts) derived from the decision that makes it, and a create whose
 * outcome is unknown (GitHub answered 5xx, or never answered) is settled by looking for the key
 * before anything is written again:
 *
 * - applied (2xx): done; no extra request (the normal path costs exactly the create);
 * - not applied (4xx): the error goes to the caller, as before;
 * - unknown: Charter lists where the object would be and looks for its key on objects Charter
 *   authored (a key only Charter can seal). Found: it was applied; the caller gets it as if the
 *   answer had come. Not found after a 5xx: GitHub refused it after all; it is written once more.
 *   Not found after a timeout or a lost connection: it may still land, so nothing is written;
 *   `UnknownOutcomeError` fails the job, and the engine's retry looks first (retry.ts, memory.ts).
 *
 * Check runs carry no marker: Charter's run of a name on a commit is found by what GitHub records
 * of it (the app that wrote it, its name, its head sha) and by its output. After an unknown outcome
 * Charter lists its own runs of that name on that commit (`app_id`, `check_name`): one with the
 * output it wrote is the create, applied; not found after a 5xx, Charter updates its latest run
 * there (PATCH, safe to repeat) or, with none, creates once more. Without an app id (advisory
 * mode) nothing can be told from a forgery, so nothing is looked for.
 *
 * Other writes need no key: edits (PATCH), contents writes (PUT with the blob sha; log entries are
 * appended by id) and adds (labels, assignees, reactions, review requests, refs) are safe to repeat
 * and the bounded retry policy repeats them (src/github/octokit-options.ts).
 */
import { hasKey, keyScope, withKey } from "../../core/trust/idempotency.js";
import type { GitHubClient, RepoRef } from "../client.js";
import { isCharterAuthored, type AuthoredLike, type CharterIdentity } from "../identity.js";
import { isUncertain, markUncertain } from "./memory.js";
import { failedWrite, UnknownOutcomeError } from "./outcome.js";
import { inRetry } from "./retry.js";

/** Who writes, where. */
export interface Writer {
  gh: GitHubClient;
  repo: RepoRef;
  identity: CharterIdentity;
  log?: { warn(obj: object, msg?: string): void };
}

export interface CreateKey {
  /** Deterministic from the decision (the same decision, retried, gives the same key). */
  key: string;
  /**
   * What the decision is about, `<owner>/<repo>#<number>` (default: where the object is created).
   * An unknown outcome marks it; creates about a marked subject look before they write.
   */
  subject?: string;
  /**
   * A sealed marker the body already carries that identifies it (an incident's state): the object
   * is found by it, and no key marker is added to the body.
   */
  marker?: string;
}

export interface CreatedComment {
  id: number;
  html_url: string;
  body: string;
  /** Found after an unknown outcome rather than confirmed by GitHub's answer. */
  found: boolean;
}

export interface CreatedIssue {
  number: number;
  html_url: string;
  found: boolean;
}

const fullName = (repo: RepoRef) => `${repo.owner}/${repo.repo}`;

interface Plan<T> {
  what: string;
  subject: string;
  create: () => Promise<T>;
  lookup: () => Promise<T | undefined>;
  /** The write once more after a 5xx when the lookup found nothing (default: `create`). */
  again?: () => Promise<T>;
}

/** What the layer did in this process (tests and benchmarks read it: the lookups are the only extra requests). */
export const writeStats = { creates: 0, unknown: 0, lookups: 0, found: 0, rewritten: 0, leftUnknown: 0 };

/** create; on an unknown outcome look; found → applied; not found after a 5xx → once more; else unknown. */
async function createOnce<T>(w: Writer, k: CreateKey, plan: Plan<T>): Promise<T> {
  const lookup = () => {
    writeStats.lookups++;
    return plan.lookup();
  };
  if (inRetry() || isUncertain(plan.subject)) {
    const earlier = await lookup();
    if (earlier !== undefined) {
      writeStats.found++;
      return earlier;
    }
  }
  for (let attempt = 1; ; attempt++) {
    try {
      writeStats.creates++;
      if (attempt > 1) writeStats.rewritten++;
      return await (attempt > 1 && plan.again ? plan.again() : plan.create());
    } catch (error) {
      if (failedWrite(error) === "not-applied") throw error;
      writeStats.unknown++;
      markUncertain(plan.subject);
      const found = await lookup().catch((lookupError: unknown) => {
        w.log?.warn({ key: k.key, err: lookupError }, `${plan.what}: could not look for it after an unknown outcome`);
        throw new UnknownOutcomeError(plan.what, k.key, error);
      });
      if (found !== undefined) {
        writeStats.found++;
        w.log?.warn({ key: k.key }, `${plan.what}: GitHub answered with an error but had created it; not written again`);
        return found;
      }
      const answered = (error as { status?: unknown } | null)?.status !== undefined && typeof (error as { status?: unknown }).status === "number";
      if (!answered || attempt >= 2) {
        writeStats.leftUnknown++;
        throw new UnknownOutcomeError(plan.what, k.key, error);
      }
    }
  }
}

/** Whether `item` is Charter's and carries the key (or the identifying marker). */
function carries(w: Writer, scope: string, k: CreateKey, item: { body?: string | null; user?: { login: string; type?: string } | null; performed_via_github_app?: { id: number } | null }): boolean {
  if (!isCharterAuthored(w.identity, item as AuthoredLike)) return false;
  if (k.marker !== undefined) return (item.body ?? "").includes(k.marker);
  return hasKey(item.body, k.key, w.identity.keys, scope);
}

/** Create a comment on issue or pull request `issueNumber`, carrying `k`. */
export async function createComment(w: Writer, issueNumber: number, body: string, k: CreateKey): Promise<CreatedComment> {
  const scope = keyScope(fullName(w.repo), issueNumber);
  const text = k.marker !== undefined ? body : withKey(body, k.key, w.identity.keys, scope);
  return createOnce(w, k, {
    what: `comment on ${fullName(w.repo)}#${issueNumber}`,
    subject: k.subject ?? `${fullName(w.repo)}#${issueNumber}`.toLowerCase(),
    create: async () => {
      const { data } = await w.gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...w.repo, issue_number: issueNumber, body: text });
      return { id: Number(data.id), html_url: data.html_url, body: data.body ?? text, found: false as boolean };
    },
    lookup: async () => {
      const comments = await w.gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...w.repo, issue_number: issueNumber, per_page: 100 });
      const mine = comments.find((c) => carries(w, scope, k, c));
      return mine ? { id: Number(mine.id), html_url: mine.html_url, body: mine.body ?? "", found: true } : undefined;
    },
  });
}

/** How far back an issue is looked for: Charter's newest issues in the repository. */
const ISSUES_LOOKED_AT = 100;

/** Open an issue carrying `k`. */
export async function createIssue(w: Writer, issue: { title: string; body: string; assignees?: string[]; labels?: string[] }, k: CreateKey): Promise<CreatedIssue> {
  const scope = keyScope(fullName(w.repo), "new-issue");
  const body = k.marker !== undefined ? issue.body : withKey(issue.body, k.key, w.identity.keys, scope);
  return createOnce(w, k, {
    what: `issue in ${fullName(w.repo)} (${issue.title.slice(0, 60)})`,
    subject: (k.subject ?? `${fullName(w.repo)}#new-issue`).toLowerCase(),
    create: async () => {
      const { data } = await w.gh.request("POST /repos/{owner}/{repo}/issues", {
        ...w.repo,
        title: issue.title,
        body,
        ...(issue.assignees ? { assignees: issue.assignees } : {}),
        ...(issue.labels ? { labels: issue.labels } : {}),
      });
      return { number: data.number, html_url: data.html_url, found: false as boolean };
    },
    lookup: async () => {
      const { data } = await w.gh.request("GET /repos/{owner}/{repo}/issues", {
        ...w.repo,
        state: "all",
        sort: "created",
        direction: "desc",
        per_page: ISSUES_LOOKED_AT,
        ...(w.identity.botLogin ? { creator: w.identity.botLogin } : {}),
      });
      const mine = data.find((i) => !i.pull_request && carries(w, scope, k, i));
      return mine ? { number: mine.number, html_url: mine.html_url, found: true } : undefined;
    },
  });
}

/** Open a pull request from `head` carrying `k` (sealed to the head branch, which cannot change for an open pull request). */
export async function createPullRequest(w: Writer, pull: { title: string; head: string; base: string; body: string }, k: CreateKey): Promise<CreatedIssue> {
  const scope = keyScope(fullName(w.repo), { pull: pull.head });
  const body = k.marker !== undefined ? pull.body : withKey(pull.body, k.key, w.identity.keys, scope);
  return createOnce(w, k, {
    what: `pull request in ${fullName(w.repo)} from ${pull.head}`,
    subject: (k.subject ?? `${fullName(w.repo)}#pull:${pull.head}`).toLowerCase(),
    create: async () => {
      const { data } = await w.gh.request("POST /repos/{owner}/{repo}/pulls", { ...w.repo, title: pull.title, head: pull.head, base: pull.base, body });
      return { number: data.number, html_url: data.html_url, found: false as boolean };
    },
    lookup: async () => {
      const { data } = await w.gh.request("GET /repos/{owner}/{repo}/pulls", { ...w.repo, head: `${w.repo.owner}:${pull.head}`, state: "all", per_page: 10 });
      const mine = data.find((p) => carries(w, scope, k, p));
      return mine ? { number: mine.number, html_url: mine.html_url, found: true } : undefined;
    },
  });
}

/** A completed check run as Charter writes it. */
export interface CheckRunWrite {
  name: string;
  headSha: string;
  conclusion: "success" | "failure" | "neutral" | "action_required";
  completedAt: string;
  externalId?: string;
  output: { title: string; summary: string };
}

export interface CreatedCheckRun {
  id: number;
  /** Found after an unknown outcome (or in a retried job) rather than confirmed by GitHub's answer. */
  found: boolean;
}

interface ListedRun {
  id: number;
  name: string;
  head_sha: string;
  conclusion: string | null;
  external_id: string | null;
  app: { id: number } | null;
  output: { title: string | null; summary: string | null };
}

/** Whether `listed` shows what `run` writes. */
function shows(listed: ListedRun, run: CheckRunWrite): boolean {
  return (
    listed.conclusion === run.conclusion &&
    listed.output.title === run.output.title &&
    listed.output.summary === run.output.summary &&
    (listed.external_id || undefined) === (run.externalId || undefined)
  );
}

/**
 * Write a completed check run called `run.name` on `run.headSha`. The normal path is one create
 * (each evaluation that changes the verdict is a new run; GitHub shows and enforces the latest).
 * After an unknown outcome, and in a retried job, Charter looks for its own latest run of that name
 * on that commit first: showing this output, it is this write; after a 5xx with nothing found, the
 * latest run is updated (a PATCH is safe to repeat) instead of creating a second one.
 */
export async function createCheckRun(w: Writer, run: CheckRunWrite): Promise<CreatedCheckRun> {
  const appId = w.identity.appId;
  const fields = {
    status: "completed" as const,
    conclusion: run.conclusion,
    completed_at: run.completedAt,
    ...(run.externalId !== undefined ? { external_id: run.externalId } : {}),
    output: { title: run.output.title, summary: run.output.summary },
  };
  /** Charter's latest run of this name on this commit, as the last lookup saw it. */
  let latest: ListedRun | undefined;
  return createOnce(w, { key: `check-run/${run.name}@${run.headSha}` }, {
    what: `check run "${run.name}" on ${fullName(w.repo)}@${run.headSha.slice(0, 7)}`,
    subject: `${fullName(w.repo)}@${run.headSha}`.toLowerCase(),
    create: async () => {
      const { data } = await w.gh.request("POST /repos/{owner}/{repo}/check-runs", { ...w.repo, name: run.name, head_sha: run.headSha, ...fields });
      return { id: Number(data.id), found: false as boolean };
    },
    lookup: async () => {
      latest = undefined;
      // advisory mode: no app id, and any workflow writes as the same app; nothing is Charter's for sure
      if (appId === undefined) return undefined;
      const { data } = await w.gh.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ...w.repo, ref: run.headSha, check_name: run.name, app_id: appId, filter: "latest", per_page: 10 });
      latest = (data.check_runs as ListedRun[]).filter((r) => r.app?.id === appId && r.name === run.name && r.head_sha === run.headSha).sort((a, b) => b.id - a.id)[0];
      return latest && shows(latest, run) ? { id: Number(latest.id), found: true } : undefined;
    },
    again: async () => {
      if (latest === undefined) {
        const { data } = await w.gh.request("POST /repos/{owner}/{repo}/check-runs", { ...w.repo, name: run.name, head_sha: run.headSha, ...fields });
        return { id: Number(data.id), found: false };
      }
      const { data } = await w.gh.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { ...w.repo, check_run_id: latest.id, ...fields });
      return { id: Number(data.id), found: false };
    },
  });
}
