/**
 * Messages to channels outside GitHub that belong to a record comment (a handoff, an event's
 * notification, a deployment): recorded in the comment's sealed record before anything is sent,
 * sent in the background after the GitHub writes, retried with backoff, the outcome written back
 * into the record and shown in the comment. The same guarantees as an incident's deliveries
 * (src/core/notify/outbox.ts): nothing is sent twice by a redelivered webhook, a second sweep or a
 * restart; after a crash, PagerDuty and signed webhooks are sent again (at least once), Slack,
 * Teams and email are marked "not confirmed" (at most once).
 */
import type { Governance } from "../../core/model/governance.js";
import type { NotifyMessage } from "../../core/notify/message.js";
import {
  beginAttempt,
  deliveryId,
  enqueue,
  GUARANTEE,
  isFinal,
  markOrphaned,
  messageOf,
  recordAttempt,
  resumable,
  type AttemptOutcome,
  type DeliveryRecord,
  type Outbox,
} from "../../core/notify/outbox.js";
import { channelsPhrase } from "../../core/notify/status.js";
import type { RecordBase } from "../../core/records/marker.js";
import { recordText } from "../../core/records/marker.js";
import type { Notifier } from "../../notify/notifier.js";
import type { DeliveryJob } from "../../notify/queue.js";
import { httpStatus } from "../client.js";
import { withLock } from "../incidents/lock.js";
import { readRecord, rewriteRecord, type RecordComment, type RecordPlace } from "./store.js";

/** A record that carries messages for channels: what was sent where (`notify`), and the zone its times are shown in. */
export interface NotifyRecord extends RecordBase {
  notify?: Outbox;
  zone?: string;
}

export interface RecordEnv extends RecordPlace {
  g: Governance;
  notify?: Notifier;
  log?: { info(o: object, m: string): void; warn(o: object, m: string): void };
}

/**
 * The section of a record comment saying where its messages went: one line per message,
 * `📣 Sent on Slack #deployment 05:30 UTC; Teams ops failed (HTTP 500), retrying 05:31 UTC`.
 */
export function sentSection(outbox: Outbox | undefined, zone: string): string[] {
  if (!outbox || outbox.deliveries.length === 0) return [];
  const keys = [...new Set(outbox.deliveries.map((d) => d.message))];
  return keys.map((k) => `<sub>📣 Sent ${channelsPhrase(outbox, k, zone).replace(/^on GitHub, /, "to ").replace(/^on GitHub$/, "on GitHub only")}</sub>`);
}

/**
 * Before a record is written: its messages, each recorded as pending to the channels notify.yml
 * routes it to (deliveries already recorded are not added again). Returns the record and the
 * deliveries to start once it is written.
 */
export function withMessages<R extends NotifyRecord>(g: Governance, record: R, messages: readonly NotifyMessage[]): { record: R; send: string[] } {
  if (!g.notify || messages.length === 0) return { record, send: [] };
  const { outbox, added } = enqueue(record.notify, g, messages);
  if (outbox.deliveries.length === 0) return { record, send: [] };
  return { record: { ...record, notify: outbox }, send: added };
}

const lockKey = (env: RecordPlace, issue: number, commentId: number) => `record:${env.repo.owner}/${env.repo.repo}#${issue}/${commentId}`.toLowerCase();

async function rewrite<R extends NotifyRecord>(env: RecordEnv, issue: number, current: RecordComment<R>, record: R): Promise<RecordComment<R>> {
  return rewriteRecord(env, issue, current, recordText(current.body), record, sentSection(record.notify, record.zone ?? "UTC"));
}

/**
 * Start sending deliveries `ids` of the record in comment `commentId` (after the write that
 * recorded them). Nothing happens without a notifier: the next process with one takes them up
 * ({@link resumeRecord}).
 */
export function startRecordDeliveries(env: RecordEnv, issue: number, commentId: number, ids: readonly string[]): void {
  if (!env.notify || ids.length === 0) return;
  env.notify.dispatch({ repo: env.repo, issue, ids: [...ids] }, 0, (job) => deliverRecord(env, commentId, job));
}

/**
 * A record found by a sweep or an event: deliveries a stopped process left are taken up (at least
 * once) or marked not confirmed (at most once); retries whose time has come are sent, later ones
 * scheduled. Returns the record as it now stands.
 */
export async function resumeRecord<R extends NotifyRecord>(env: RecordEnv, issue: number, rc: RecordComment<R>, now: Date): Promise<RecordComment<R>> {
  const notify = env.notify;
  const outbox = rc.record.notify;
  if (!notify || !outbox || outbox.deliveries.every(isFinal)) return rc;
  const inFlight = new Set([...notify.inFlight(env.repo, issue)].map((x) => x.toLowerCase()));
  const r = resumable(outbox, now, { has: (id: string) => inFlight.has(id.toLowerCase()) } as ReadonlySet<string>);
  let current = rc;
  if (r.orphaned.length) {
    current = await withLock(lockKey(env, issue, rc.id), async () => {
      const fresh = (await readRecord<R>(env, issue, rc.id)) ?? rc;
      const next = { ...fresh.record, notify: markOrphaned(fresh.record.notify ?? outbox, r.orphaned, now) };
      for (const id of r.orphaned) env.log?.warn({ issue, delivery: id }, `#${issue}: ${id} was being sent when Charter stopped; not sent again (at most once)`);
      return rewrite(env, issue, fresh, next);
    });
  }
  if (r.send.length) notify.dispatch({ repo: env.repo, issue, ids: r.send }, 0, (job) => deliverRecord(env, rc.id, job));
  if (r.later !== undefined) {
    const ids = (current.record.notify?.deliveries ?? []).filter((d) => d.status === "failed" && d.next !== undefined && !inFlight.has(deliveryId(d).toLowerCase())).map(deliveryId);
    if (ids.length) notify.dispatch({ repo: env.repo, issue, ids }, Math.max(0, r.later - notify.clock.now().getTime()), (job) => deliverRecord(env, rc.id, job));
  }
  return current;
}

interface Picked {
  id: string;
  d: DeliveryRecord;
  m: NotifyMessage;
  attempt: number;
}

/**
 * Send deliveries `job.ids` of the record in comment `commentId`: read it, attempt each one still
 * to send (an at-most-once retry is recorded as `sending` first), then record every outcome in one
 * write, and schedule retries and backup contacts. Errors are logged, never thrown.
 */
export async function deliverRecord(env: RecordEnv, commentId: number, job: DeliveryJob): Promise<void> {
  const notify = env.notify!;
  const key = lockKey(env, job.issue, commentId);
  const picked: Picked[] = [];
  const keep = new Set<string>();
  try {
    await withLock(key, async () => {
      const rc = await readRecord<NotifyRecord>(env, job.issue, commentId);
      if (!rc?.record.notify) return;
      let outbox: Outbox = rc.record.notify;
      for (const id of job.ids) {
        const d = outbox.deliveries.find((x) => deliveryId(x).toLowerCase() === id.toLowerCase());
        const m = d && messageOf(outbox, d);
        if (!d || !m || isFinal(d)) continue;
        picked.push({ id: deliveryId(d), d, m, attempt: d.attempts + 1 });
      }
      const retries = picked.filter((p) => GUARANTEE[p.d.kind] === "at-most-once" && p.attempt > 1);
      if (retries.length === 0) return;
      const now = notify.clock.now();
      for (const p of retries) outbox = beginAttempt(outbox, p.id, p.attempt, now);
      await rewrite(env, job.issue, rc, { ...rc.record, notify: outbox });
    });
  } catch (error) {
    env.log?.warn({ issue: job.issue, status: httpStatus(error), err: error }, `#${job.issue}: could not read Charter's record to send ${job.ids.join(", ")}; the next sweep takes them up`);
    notify.release(env.repo, job.issue, job.ids);
    return;
  }
  const repoName = `${env.repo.owner}/${env.repo.repo}`;
  const results: AttemptOutcome[] = await Promise.all(
    picked.map((p) => {
      const channel = env.g.notify?.channels[p.d.channel];
      if (!channel) return Promise.resolve<AttemptOutcome>({ ok: false, error: `channel \`${p.d.channel}\` is no longer in notify.yml`, retryable: false });
      return notify.send({ channel, channelId: p.d.channel, message: p.m, deliveryId: `${repoName}#${job.issue}/${p.id}`, ...(p.d.action ? { action: p.d.action } : {}), repo: repoName, ...(env.g.incidents ? { inc: env.g.incidents } : {}) });
    }),
  );
  const retry = new Map<number, string[]>();
  const backups: string[] = [];
  try {
    await withLock(key, async () => {
      const rc = await readRecord<NotifyRecord>(env, job.issue, commentId);
      if (!rc) return;
      let outbox: Outbox = rc.record.notify ?? { messages: [], deliveries: [] };
      const now = notify.clock.now();
      picked.forEach((p, i) => {
        const outcome = results[i]!;
        const r = recordAttempt(outbox, env.g, p.id, p.attempt, outcome, now, notify.retry);
        outbox = r.outbox;
        if (outcome.ok) env.log?.info({ issue: job.issue, delivery: p.id, attempt: p.attempt }, `#${job.issue}: sent ${p.id}`);
        else env.log?.warn({ issue: job.issue, delivery: p.id, attempt: p.attempt, error: outcome.error }, `#${job.issue}: ${p.id} failed (${outcome.error})${r.retryInMs !== undefined ? `; retrying in ${Math.round(r.retryInMs / 1000)}s` : ""}`);
        if (r.retryInMs !== undefined) {
          retry.set(r.retryInMs, [...(retry.get(r.retryInMs) ?? []), p.id]);
          keep.add(p.id);
        }
        backups.push(...r.added);
      });
      if (picked.length > 0) await rewrite(env, job.issue, rc, { ...rc.record, notify: outbox });
    });
  } catch (error) {
    env.log?.warn({ issue: job.issue, status: httpStatus(error), err: error }, `#${job.issue}: could not record what was sent (${picked.map((p) => p.id).join(", ")})`);
    keep.clear();
    retry.clear();
    backups.length = 0;
  }
  notify.release(env.repo, job.issue, job.ids.filter((id) => !keep.has(id)));
  for (const [delay, ids] of retry) notify.dispatch({ repo: env.repo, issue: job.issue, ids }, delay, (j) => deliverRecord(env, commentId, j));
  if (backups.length) notify.dispatch({ repo: env.repo, issue: job.issue, ids: backups }, 0, (j) => deliverRecord(env, commentId, j));
}
