/**
 * The one deliverer of messages to channels outside GitHub (notify.yml) kept in an outbox of a
 * sealed record (src/core/notify/outbox.ts): an incident's state (src/github/incidents/deliver.ts)
 * or a record comment, such as a handoff, an event's notification or a deployment
 * (src/github/records/deliver.ts). They differ only in where the outbox is read from and written
 * back to; the loop is this one:
 *
 * 1. under the record's lock, read it and pick the deliveries of the job still to send; an
 *    at-most-once retry is recorded as `sending` first (one write);
 * 2. send them, outside the lock, all at once;
 * 3. under the lock, read the record again and record every outcome in one write; schedule the
 *    retries (the policy's backoff) and the backup contacts the outcomes call for.
 *
 * Errors are logged, never thrown: a record that cannot be read is taken up by the next event or
 * sweep; outcomes that cannot be recorded leave at-most-once channels "not confirmed".
 */
import type { IncidentsFile } from "../core/model/incidents.js";
import type { Governance } from "../core/model/governance.js";
import type { NotifyMessage } from "../core/notify/message.js";
import { beginAttempt, deliveryId, GUARANTEE, isFinal, messageOf, recordAttempt, type AttemptOutcome, type DeliveryRecord, type Outbox } from "../core/notify/outbox.js";
import type { Notifier } from "../notify/notifier.js";
import type { DeliveryJob } from "../notify/queue.js";
import { httpStatus, type RepoRef } from "./client.js";
import { withLock } from "./incidents/lock.js";

/** A record as read for one step: its outbox, and how to write it back with another. */
export interface OutboxRecord {
  outbox: Outbox | undefined;
  rewrite(outbox: Outbox): Promise<unknown>;
}

/** Where an outbox lives, and what differs between the records that keep one. */
export interface OutboxHome {
  repo: RepoRef;
  g: Governance;
  notify: Notifier;
  log?: { info(o: object, m: string): void; warn(o: object, m: string): void } | undefined;
  /** The incidents file messages are sent with (channels that name an incident's severity). */
  inc?: IncidentsFile | undefined;
  /** The record's lock (the one its other writers take). */
  lockKey: string;
  /** How the log names the record's issue: `incident #7`, `#7`. */
  label: string;
  /** The log's words: what could not be read to send `ids`, and what follows "could not record what was sent (…)". */
  words: { unreadable(ids: string): string; unrecorded: string };
  /** Read the record afresh; undefined when it is not there. */
  load(): Promise<OutboxRecord | undefined>;
  /** The same deliverer for a later job of this record (retries, backup contacts). */
  again(job: DeliveryJob): Promise<void>;
}

interface Picked {
  id: string;
  d: DeliveryRecord;
  m: NotifyMessage;
  attempt: number;
}

/** Send deliveries `job.ids` of the outbox at `home`, and record what became of them. */
export async function deliverOutbox(home: OutboxHome, job: DeliveryJob): Promise<void> {
  const { notify, repo, g, log, label } = home;
  const picked: Picked[] = [];
  const keep = new Set<string>();
  try {
    await withLock(home.lockKey, async () => {
      const record = await home.load();
      if (!record?.outbox) return;
      let outbox = record.outbox;
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
      await record.rewrite(outbox);
    });
  } catch (error) {
    log?.warn({ issue: job.issue, status: httpStatus(error), err: error }, `${label}: could not read ${home.words.unreadable(job.ids.join(", "))}`);
    notify.release(repo, job.issue, job.ids);
    return;
  }
  const repoName = `${repo.owner}/${repo.repo}`;
  const results: AttemptOutcome[] = await Promise.all(
    picked.map((p) => {
      const channel = g.notify?.channels[p.d.channel];
      if (!channel) return Promise.resolve<AttemptOutcome>({ ok: false, error: `channel \`${p.d.channel}\` is no longer in notify.yml`, retryable: false });
      return notify.send({ channel, channelId: p.d.channel, message: p.m, deliveryId: `${repoName}#${job.issue}/${p.id}`, ...(p.d.action ? { action: p.d.action } : {}), repo: repoName, ...(home.inc ? { inc: home.inc } : {}) });
    }),
  );
  const retry = new Map<number, string[]>();
  const backups: string[] = [];
  try {
    await withLock(home.lockKey, async () => {
      const record = await home.load();
      if (!record) return;
      let outbox: Outbox = record.outbox ?? { messages: [], deliveries: [] };
      const now = notify.clock.now();
      picked.forEach((p, i) => {
        const outcome = results[i]!;
        const r = recordAttempt(outbox, g, p.id, p.attempt, outcome, now, notify.retry);
        outbox = r.outbox;
        if (outcome.ok) log?.info({ issue: job.issue, delivery: p.id, attempt: p.attempt }, `${label}: sent ${p.id}`);
        else log?.warn({ issue: job.issue, delivery: p.id, attempt: p.attempt, error: outcome.error }, `${label}: ${p.id} failed (${outcome.error})${r.retryInMs !== undefined ? `; retrying in ${Math.round(r.retryInMs / 1000)}s` : ""}`);
        if (r.retryInMs !== undefined) {
          retry.set(r.retryInMs, [...(retry.get(r.retryInMs) ?? []), p.id]);
          keep.add(p.id);
        }
        backups.push(...r.added);
      });
      if (picked.length > 0) await record.rewrite(outbox);
    });
  } catch (error) {
    log?.warn({ issue: job.issue, status: httpStatus(error), err: error }, `${label}: could not record what was sent (${picked.map((p) => p.id).join(", ")})${home.words.unrecorded}`);
    keep.clear();
    retry.clear();
    backups.length = 0;
  }
  notify.release(repo, job.issue, job.ids.filter((id) => !keep.has(id)));
  for (const [delay, ids] of retry) notify.dispatch({ repo, issue: job.issue, ids }, delay, (j) => home.again(j));
  if (backups.length) notify.dispatch({ repo, issue: job.issue, ids: backups }, 0, (j) => home.again(j));
}
