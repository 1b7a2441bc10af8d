/**
 * A deployment day on GitHub: its issue (opened from the deployment issue form), Charter's status
 * comment on it carrying the sealed record of the deployment's state (src/core/records/marker.ts),
 * and the messages Charter posts and sends. Every change runs under the issue's lock, from the
 * record as GitHub holds it now: the core decides (src/core/deployment/state.ts), the status
 * comment is rewritten with the new state and the messages recorded as pending deliveries, then
 * each message is posted on the issue and sent to its channels in the background.
 */
import { deploymentComment, STATUS_HEADING } from "../../core/deployment/comment.js";
import { parseDeploymentForm } from "../../core/deployment/form.js";
import { dueReminder, newState, type Change, type DeploymentContext, type DeploymentState } from "../../core/deployment/state.js";
import type { DeploymentKind } from "../../core/model/deployments.js";
import type { Governance } from "../../core/model/governance.js";
import type { NotifyMessage } from "../../core/notify/message.js";
import type { TeamMembers } from "../../core/roles/resolve.js";
import { withLock } from "../incidents/lock.js";
import { resumeRecord, sentSection, startRecordDeliveries, withMessages, type NotifyRecord, type RecordEnv } from "../records/deliver.js";
import { RECORD_TAG } from "../../core/records/marker.js";
import { isCharterAuthored } from "../identity.js";
import { postOnce, recordIn, rewriteRecord, type RecordComment } from "../records/store.js";

export const DEPLOYMENT_KEY = "deployment";

export interface DeploymentRecord extends NotifyRecord {
  state: DeploymentState;
}

export interface DeploymentIssue {
  number: number;
  title: string;
  body: string;
  url: string;
  createdAt: string;
}

export interface DeploymentEnv extends RecordEnv {
  now: Date;
  teams?: TeamMembers;
  /** This process's memo of when each deployment's next reminder is due (for the engine's timers): keyed by an object of the process (its GovernanceCache). */
  memo?: object;
}

const dueMemos = new WeakMap<object, Map<string, Map<number, number>>>();

/** When each open deployment of `repoKey` (`owner/name`, lower case) next needs a reminder, as this process last saw it. */
export function deploymentDue(memo: object, repoKey: string): Map<number, number> {
  let byRepo = dueMemos.get(memo);
  if (!byRepo) dueMemos.set(memo, (byRepo = new Map()));
  let m = byRepo.get(repoKey);
  if (!m) byRepo.set(repoKey, (m = new Map()));
  return m;
}

/** Remember (or forget, when nothing will be due) the next reminder instant of deployment `issue`. */
export function rememberDue(env: DeploymentEnv, issue: number, d: DeploymentKind | undefined, state: DeploymentState): void {
  if (!env.memo) return;
  const m = deploymentDue(env.memo, `${env.repo.owner}/${env.repo.repo}`.toLowerCase());
  const at = d ? dueReminder(d, state, env.now) : {};
  const next = at.at ?? at.next;
  if (next === undefined) m.delete(issue);
  else m.set(issue, next);
}

export function contextOf(env: DeploymentEnv, g: Governance, kind: string, issue: DeploymentIssue): DeploymentContext {
  return { g, d: g.deployments!.deployments[kind]!, repo: `${env.repo.owner}/${env.repo.repo}`, issue: issue.number, url: issue.url, title: issue.title, now: env.now, ...(env.teams ? { teams: env.teams } : {}) };
}

export const TAMPERED_NOTICE =
  "⚠️ This was Charter's status comment of the deployment. Someone other than Charter edited it, so it no longer counts (its ticks and its gate are ignored); Charter's status comment is further down.";

interface CommentLike {
  id: number;
  body?: string | null;
  created_at: string;
  html_url: string;
  user: { login: string; type?: string } | null;
  performed_via_github_app?: { id: number } | null;
}

/**
 * Charter's record of the deployment on `issue` (the oldest verifying one), if any. A status
 * comment of Charter's whose record no longer verifies (someone with write access edited it, say
 * to tick items) is rewritten to say it no longer counts, so nobody reads its forged ticks.
 */
export async function findDeployment(env: DeploymentEnv, issue: number): Promise<RecordComment<DeploymentRecord> | undefined> {
  const comments = (await env.gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...env.repo, issue_number: issue, per_page: 100 })) as CommentLike[];
  let found: RecordComment<DeploymentRecord> | undefined;
  for (const c of comments) {
    const r = recordIn<DeploymentRecord>(env, issue, c);
    if (r) {
      if (r.record.key === DEPLOYMENT_KEY && (!found || r.id < found.id)) found = r;
      continue;
    }
    const body = c.body ?? "";
    if (isCharterAuthored(env.identity, c) && body.startsWith(STATUS_HEADING) && body.includes(`<!-- ${RECORD_TAG} `)) {
      await env.gh.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...env.repo, comment_id: c.id, body: TAMPERED_NOTICE });
      env.log?.warn({ issue, comment: c.id }, `#${issue}: Charter's deployment status comment was edited by someone else; it no longer counts`);
    }
  }
  return found;
}

/** The status comment of a deployment, posted once (two processes racing: the older stays). */
export async function openDeployment(env: DeploymentEnv, kind: string, issue: DeploymentIssue): Promise<RecordComment<DeploymentRecord>> {
  const form = parseDeploymentForm(issue.body, env.g.deployments);
  const state = newState(kind, form.start);
  const c = contextOf(env, env.g, kind, issue);
  const record: DeploymentRecord = { v: 1, key: DEPLOYMENT_KEY, zone: "UTC", state };
  const since = new Date(Date.parse(issue.createdAt) - 60_000).toISOString();
  const posted = await postOnce(env, issue.number, deploymentComment(c, state), record, since);
  return posted.comment;
}

const lockKey = (env: DeploymentEnv, issue: number) => `deployment:${env.repo.owner}/${env.repo.repo}#${issue}`.toLowerCase();

/** The GitHub comment of a message: its text, with the people to notify (a reminder's lead) mentioned first. */
function messageComment(m: NotifyMessage, mention: readonly string[]): string {
  const who = mention.length ? `${mention.map((p) => `@${p}`).join(" ")} ` : "";
  return `${who}${m.text}`;
}

export type Applied = { refused: string } | { reply?: string; messages: NotifyMessage[] };

/**
 * Apply `change` to the deployment on `issue` (its record read fresh under the lock; created when
 * missing), write the status comment, post each message, start the deliveries. `mention(m)`:
 * whom a message's comment @-mentions.
 */
export async function changeDeployment(
  env: DeploymentEnv,
  kind: string,
  issue: DeploymentIssue,
  change: (c: DeploymentContext, s: DeploymentState) => Change,
  mention: (m: NotifyMessage) => string[] = () => [],
): Promise<Applied> {
  return withLock(lockKey(env, issue.number), async () => {
    const rc = (await findDeployment(env, issue.number)) ?? (await openDeployment(env, kind, issue));
    const c = contextOf(env, env.g, rc.record.state.kind in (env.g.deployments?.deployments ?? {}) ? rc.record.state.kind : kind, issue);
    const r = change(c, rc.record.state);
    if ("refused" in r) {
      rememberDue(env, issue.number, c.d, rc.record.state);
      return { refused: r.refused };
    }
    const { record, send } = withMessages(env.g, { ...rc.record, state: r.state }, r.messages);
    const written = await rewriteRecord(env, issue.number, rc, deploymentComment(c, r.state), record, sentSection(record.notify, "UTC"));
    for (const m of r.messages) {
      await env.gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...env.repo, issue_number: issue.number, body: messageComment(m, mention(m)) });
    }
    startRecordDeliveries(env, issue.number, written.id, send);
    rememberDue(env, issue.number, c.d, r.state);
    return { ...(r.reply ? { reply: r.reply } : {}), messages: r.messages };
  });
}

/** Deliveries a stopped process left (or retries now due) on the deployment's record are taken up. */
export async function resumeDeployment(env: DeploymentEnv, issue: number, rc: RecordComment<DeploymentRecord>): Promise<void> {
  await resumeRecord(env, issue, rc, env.now);
}
