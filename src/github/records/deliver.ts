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
import { deliveryId, enqueue, isFinal, markOrphaned, resumable, type Outbox } from "../../core/notify/outbox.js";
import { channelsPhrase } from "../../core/notify/status.js";
import type { RecordBase } from "../../core/records/marker.js";
import { recordText } from "../../core/records/marker.js";
import type { Notifier } from "../../notify/notifier.js";
import type { DeliveryJob } from "../../notify/queue.js";
import { withLock } from "../incidents/lock.js";
import { deliverOutbox } from "../outbox.js";
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

/**
 * Send deliveries `job.ids` of the record in comment `commentId` (src/github/outbox.ts): its outbox
 * is in the comment's sealed record, read and rewritten under the record's lock. Errors are
 * logged, never thrown.
 */
export function deliverRecord(env: RecordEnv, commentId: number, job: DeliveryJob): Promise<void> {
  return deliverOutbox(
    {
      repo: env.repo,
      g: env.g,
      notify: env.notify!,
      log: env.log,
      inc: env.g.incidents,
      lockKey: lockKey(env, job.issue, commentId),
      label: `#${job.issue}`,
      words: { unreadable: (ids) => `Charter's record to send ${ids}; the next sweep takes them up`, unrecorded: "" },
      load: async () => {
        const rc = await readRecord<NotifyRecord>(env, job.issue, commentId);
        return rc && { outbox: rc.record.notify, rewrite: (outbox) => rewrite(env, job.issue, rc, { ...rc.record, notify: outbox }) };
      },
      again: (j) => deliverRecord(env, commentId, j),
    },
    job,
  );
}
