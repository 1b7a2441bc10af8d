/**
 * An incident's messages to channels outside GitHub (notify.yml): recorded in its sealed state in
 * the same write as the GitHub page, sent in the background afterwards (never before, never holding
 * up a GitHub write), retried with backoff, the outcome recorded in the state again and shown in the
 * status comment. Nothing is sent twice by a redelivered webhook, a second sweep or a restart: see
 * src/core/notify/outbox.ts for what is sent again after a crash, per kind of channel.
 */
import { incidentMessages } from "../../core/notify/incident.js";
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
import type { NotifyMessage } from "../../core/notify/message.js";
import type { IncidentState } from "../../core/incidents/state.js";
import type { DeliveryJob } from "../../notify/queue.js";
import { httpStatus } from "../client.js";
import { incidentKey } from "./cache.js";
import type { IncidentEnv } from "./engine.js";
import { withLock } from "./lock.js";
import { loadState, writeState } from "./store.js";

/** What a state write brings: the state with its outbox, and the deliveries to start after the write. */
export interface WithNotifications {
  state: IncidentState;
  send: string[];
  /** A retry recorded by another process, due at this instant (Charter's clock). */
  later?: number;
}

/**
 * Before a state write: the messages the change brings (compared with the record before it), each
 * recorded as pending to the channels notify.yml routes it to; deliveries left by a process that
 * stopped are taken up (at least once) or marked not confirmed (at most once). Pure but for the
 * in-flight set of this process.
 */
export function withNotifications(env: IncidentEnv, before: IncidentState | undefined, after: IncidentState, url?: string): WithNotifications {
  if (!env.g.notify && !after.notify) return { state: after, send: [] };
  const messages = env.g.notify ? incidentMessages({ g: env.g, inc: env.inc, repo: `${env.repo.owner}/${env.repo.repo}`, ...(url ? { url } : {}) }, before, after) : [];
  const { outbox: queued, added } = enqueue(after.notify, env.g, messages);
  if (queued.deliveries.length === 0) return { state: after, send: [] };
  const inFlight = env.notify?.inFlight(env.repo, after.issue) ?? new Set<string>();
  for (const id of added) inFlight.add(id.toLowerCase());
  const lower = new Set([...inFlight].map((x) => x.toLowerCase()));
  const r = resumable(queued, env.now, { has: (id: string) => lower.has(id.toLowerCase()) } as ReadonlySet<string>);
  const outbox = r.orphaned.length ? markOrphaned(queued, r.orphaned, env.now) : queued;
  for (const id of r.orphaned) env.log?.warn({ issue: after.issue, delivery: id }, `incident #${after.issue}: ${id} was being sent when Charter stopped; not sent again (at most once)`);
  return { state: { ...after, notify: outbox }, send: env.notify ? [...added, ...r.send] : [], ...(r.later !== undefined ? { later: r.later } : {}) };
}

/** After the state write: start sending. */
export function startDeliveries(env: IncidentEnv, issue: number, w: Pick<WithNotifications, "send" | "later">): void {
  const notify = env.notify;
  if (!notify) return;
  if (w.send.length > 0) notify.dispatch({ repo: env.repo, issue, ids: w.send }, 0, (job) => deliverIncident(env, job));
  if (w.later !== undefined) {
    const ids = (env.caches.status(incidentKey(env.repo, issue))?.state.notify?.deliveries ?? [])
      .filter((d) => d.status === "failed" && d.next !== undefined && !notify.inFlight(env.repo, issue).has(deliveryId(d).toLowerCase()))
      .map(deliveryId);
    if (ids.length) notify.dispatch({ repo: env.repo, issue, ids }, Math.max(0, w.later - notify.clock.now().getTime()), (job) => deliverIncident(env, job));
  }
}

interface Picked {
  id: string;
  d: DeliveryRecord;
  m: NotifyMessage;
  attempt: number;
}

/**
 * Send deliveries `job.ids` of an incident: read its record, attempt each one still to send (an
 * at-most-once retry is recorded as `sending` first), then record every outcome in one write, and
 * schedule retries (with the policy's backoff) and backup contacts. Errors are logged, never thrown.
 */
export async function deliverIncident(env: IncidentEnv, job: DeliveryJob): Promise<void> {
  const notify = env.notify!;
  const key = incidentKey(env.repo, job.issue);
  const markers = { identity: env.identity, repo: env.repo };
  const g = env.g;
  let picked: Picked[] = [];
  const keep = new Set<string>();
  try {
    await withLock(key, async () => {
      const loaded = await loadState(env.gh, markers, job.issue, env.caches);
      if (loaded.kind !== "found" || !loaded.state.notify) return;
      let outbox: Outbox = loaded.state.notify;
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
      await writeState(env.gh, markers, loaded.commentId, loaded.body, { ...loaded.state, notify: outbox }, env.caches);
    });
  } catch (error) {
    env.log?.warn({ issue: job.issue, status: httpStatus(error), err: error }, `incident #${job.issue}: could not read its record to send ${job.ids.join(", ")}; the next event or sweep takes them up`);
    notify.release(env.repo, job.issue, job.ids);
    return;
  }
  const results: AttemptOutcome[] = await Promise.all(
    picked.map((p) => {
      const channel = g.notify?.channels[p.d.channel];
      if (!channel) return Promise.resolve<AttemptOutcome>({ ok: false, error: `channel \`${p.d.channel}\` is no longer in notify.yml`, retryable: false });
      return notify.send({ channel, channelId: p.d.channel, message: p.m, deliveryId: `${env.repo.owner}/${env.repo.repo}#${job.issue}/${p.id}`, ...(p.d.action ? { action: p.d.action } : {}), repo: `${env.repo.owner}/${env.repo.repo}`, inc: env.inc });
    }),
  );
  const retry = new Map<number, string[]>();
  const backups: string[] = [];
  try {
    await withLock(key, async () => {
      const loaded = await loadState(env.gh, markers, job.issue, env.caches);
      if (loaded.kind !== "found") return;
      let outbox: Outbox = loaded.state.notify ?? { messages: [], deliveries: [] };
      const now = notify.clock.now();
      picked.forEach((p, i) => {
        const outcome = results[i]!;
        const r = recordAttempt(outbox, g, p.id, p.attempt, outcome, now, notify.retry);
        outbox = r.outbox;
        if (outcome.ok) env.log?.info({ issue: job.issue, delivery: p.id, attempt: p.attempt }, `incident #${job.issue}: sent ${p.id}`);
        else env.log?.warn({ issue: job.issue, delivery: p.id, attempt: p.attempt, error: outcome.error }, `incident #${job.issue}: ${p.id} failed (${outcome.error})${r.retryInMs !== undefined ? `; retrying in ${Math.round(r.retryInMs / 1000)}s` : ""}`);
        if (r.retryInMs !== undefined) {
          retry.set(r.retryInMs, [...(retry.get(r.retryInMs) ?? []), p.id]);
          keep.add(p.id);
        }
        backups.push(...r.added);
      });
      if (picked.length > 0) await writeState(env.gh, markers, loaded.commentId, loaded.body, { ...loaded.state, notify: outbox }, env.caches);
    });
  } catch (error) {
    env.log?.warn({ issue: job.issue, status: httpStatus(error), err: error }, `incident #${job.issue}: could not record what was sent (${picked.map((p) => p.id).join(", ")}); at-most-once channels will show "not confirmed"`);
    keep.clear();
    retry.clear();
    backups.length = 0;
  }
  notify.release(env.repo, job.issue, job.ids.filter((id) => !keep.has(id)));
  for (const [delay, ids] of retry) notify.dispatch({ repo: env.repo, issue: job.issue, ids }, delay, (j) => deliverIncident(env, j));
  if (backups.length) notify.dispatch({ repo: env.repo, issue: job.issue, ids: backups }, 0, (j) => deliverIncident(env, j));
  picked = [];
}
