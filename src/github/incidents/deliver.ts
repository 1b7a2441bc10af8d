/**
 * An incident's messages to channels outside GitHub (notify.yml): recorded in its sealed state in
 * the same write as the GitHub page, sent in the background afterwards (never before, never holding
 * up a GitHub write), retried with backoff, the outcome recorded in the state again and shown in the
 * status comment. Nothing is sent twice by a redelivered webhook, a second sweep or a restart: see
 * src/core/notify/outbox.ts for what is sent again after a crash, per kind of channel.
 */
import { incidentMessages } from "../../core/notify/incident.js";
import { deliveryId, enqueue, markOrphaned, resumable } from "../../core/notify/outbox.js";
import type { IncidentState } from "../../core/incidents/state.js";
import type { DeliveryJob } from "../../notify/queue.js";
import { deliverOutbox } from "../outbox.js";
import { incidentKey } from "./cache.js";
import type { IncidentEnv } from "./engine.js";
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

/**
 * Send deliveries `job.ids` of an incident (src/github/outbox.ts): its outbox is in the sealed
 * state of its status comment, read and written under the incident's lock. Errors are logged,
 * never thrown.
 */
export function deliverIncident(env: IncidentEnv, job: DeliveryJob): Promise<void> {
  const markers = { identity: env.identity, repo: env.repo };
  return deliverOutbox(
    {
      repo: env.repo,
      g: env.g,
      notify: env.notify!,
      log: env.log,
      inc: env.inc,
      lockKey: incidentKey(env.repo, job.issue),
      label: `incident #${job.issue}`,
      words: {
        unreadable: (ids) => `its record to send ${ids}; the next event or sweep takes them up`,
        unrecorded: `; at-most-once channels will show "not confirmed"`,
      },
      load: async () => {
        const loaded = await loadState(env.gh, markers, job.issue, env.caches);
        if (loaded.kind !== "found") return undefined;
        return { outbox: loaded.state.notify, rewrite: (outbox) => writeState(env.gh, markers, loaded.commentId, loaded.body, { ...loaded.state, notify: outbox }, env.caches) };
      },
      again: (j) => deliverIncident(env, j),
    },
    job,
  );
}
