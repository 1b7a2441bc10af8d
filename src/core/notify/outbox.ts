import type { Governance } from "../model/governance.js";
import type { ChannelKind } from "../model/notify.js";
import type { NotifyMessage } from "./message.js";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";
import { routeMessage } from "./route.js";

/**
 * What Charter decided to send where, and what became of it, kept in the record it belongs to (an
 * incident's sealed state), so a redelivered webhook, a second sweep or a restarted process finds
 * what was already sent and sends nothing twice. Pure: adapters send and report outcomes here.
 *
 * Each delivery is one message to one channel, keyed `<message>@<channel>` (with the incident, the
 * record's own key: incident, step and channel). It is recorded `pending` in the same GitHub write
 * as the comment that pages people, before anything is sent; then sent, then its outcome recorded.
 * A crash in between leaves it `pending` (or `sending`), and what happens next depends on what the
 * receiver does with a repeat:
 *
 * - **at least once** (PagerDuty, signed webhooks): sent again after a restart. PagerDuty folds a
 *   repeated trigger into the same alert (the dedup key), and a webhook's `webhook-id` is the same
 *   on every attempt, so its receiver drops the repeat, as the Standard Webhooks specification asks.
 * - **at most once** (Slack, Teams, email): a message could show twice, so it is not sent again
 *   after a restart; it is marked `unknown` ("Charter restarted while sending") in the status
 *   comment, next to the GitHub page that always went out. A retry after a failure is recorded as
 *   `sending` before it is attempted, for the same reason.
 */

export type DeliveryStatus = "pending" | "sending" | "sent" | "failed" | "unknown";
export type Guarantee = "at-least-once" | "at-most-once";

export const GUARANTEE: Record<ChannelKind, Guarantee> = {
  pagerduty: "at-least-once",
  webhook: "at-least-once",
  slack: "at-most-once",
  teams: "at-most-once",
  email: "at-most-once",
};

export interface DeliveryRecord {
  /** Key of the message (`s1.1`). */
  message: string;
  /** Channel id in notify.yml. */
  channel: string;
  kind: ChannelKind;
  /** The channel as people call it, when it was recorded (the status comment renders without the model). */
  title: string;
  status: DeliveryStatus;
  /** Attempts started. */
  attempts: number;
  /** When it was sent, or the last attempt (ISO). */
  at?: string;
  /** Failed, retrying: when the next attempt is due (ISO). */
  next?: string;
  /** The last failure, in words (`HTTP 500`, `timed out after 10s`, `CHARTER_X is not set`). */
  error?: string;
  /** Channels to try when this one cannot be reached (the role's backup contact). */
  backup?: string[];
  /** This delivery is the backup of `<message>@<channel>`. */
  backupOf?: string;
  /** PagerDuty: what this delivery does to the incident's alert. */
  action?: "trigger" | "acknowledge" | "resolve";
  /**
   * PagerDuty: the alert's dedup key (`charter:acme/ingestion#12`, or `…#12/t1.0` for the alert a
   * lapsed acknowledgement opened). Absent on records written before Charter kept it: the key of
   * the message, the incident's.
   */
  dedupKey?: string;
  /** Episode of the incident (PagerDuty alerts: acknowledged and resolved per episode). */
  episode?: number;
}

export interface Outbox {
  /** Messages whose deliveries are not all done (their text is needed to send or retry them). */
  messages: NotifyMessage[];
  deliveries: DeliveryRecord[];
}

export const EMPTY_OUTBOX: Outbox = { messages: [], deliveries: [] };

/** `s1.1@pager-secondary` */
export function deliveryId(d: Pick<DeliveryRecord, "message" | "channel">): string {
  return `${d.message}@${d.channel}`;
}

export function isFinal(d: DeliveryRecord): boolean {
  return d.status === "sent" || d.status === "unknown" || (d.status === "failed" && d.next === undefined);
}

/** When failed sends are retried: the delay before each retry. Attempts in all: one more than delays. */
export { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";

export function maxAttempts(policy: RetryPolicy): number {
  return policy.delaysMs.length + 1;
}

/** One PagerDuty alert a channel got a trigger for: the channel, and the alert's dedup key. */
export interface TriggeredAlert {
  channel: string;
  dedupKey: string;
  /** The channel as the trigger recorded it. */
  title: string;
}

/** A failure no retry will repair: the event did not reach PagerDuty. */
const failedForGood = (d: DeliveryRecord) => d.status === "failed" && d.next === undefined;

/**
 * The PagerDuty alerts the incident's episode triggered, per channel, in the order of their first
 * trigger: every (channel, dedup key) that got (or is getting) a trigger. `base` is the key of
 * records written before Charter kept one (the incident's). With `open`, only the alerts not
 * acknowledged or resolved since their last trigger (an acknowledgement that failed for good
 * does not count).
 */
export function triggeredAlerts(outbox: Outbox | undefined, episode: number | undefined, base: string, open = false): TriggeredAlert[] {
  const ds = outbox?.deliveries ?? [];
  const keyOf = (d: DeliveryRecord) => d.dedupKey ?? base;
  const out: TriggeredAlert[] = [];
  for (const d of ds) {
    if (d.kind !== "pagerduty" || d.action !== "trigger" || d.episode !== episode) continue;
    const dedupKey = keyOf(d);
    if (out.some((a) => a.channel === d.channel && a.dedupKey === dedupKey)) continue;
    const same = (x: DeliveryRecord) => x.kind === "pagerduty" && x.channel === d.channel && x.episode === episode && keyOf(x) === dedupKey;
    if (open) {
      const last = ds.findLastIndex((x) => same(x) && x.action === "trigger");
      if (ds.some((x, j) => j > last && same(x) && x.action !== "trigger" && !failedForGood(x))) continue;
    }
    out.push({ channel: d.channel, dedupKey, title: d.title });
  }
  return out;
}

/**
 * The message that acknowledges or resolves one alert: `m` itself for the alert whose key it names
 * (the incident's), else a copy keyed `<message>/<what the alert key adds>` (`a1.1/t1.0`) naming
 * that alert, so each alert is one delivery with its own id and its own key.
 */
function alertMessage(m: NotifyMessage & { alert: NonNullable<NotifyMessage["alert"]> }, dedupKey: string): NotifyMessage {
  if (dedupKey === m.alert.dedupKey) return m;
  const suffix = dedupKey.startsWith(`${m.alert.dedupKey}/`) ? dedupKey.slice(m.alert.dedupKey.length + 1) : dedupKey;
  return { ...m, key: `${m.key}/${suffix}`, alert: { dedupKey, action: m.alert.action } };
}

/**
 * Record `messages` for sending: each goes where notify.yml routes it (and to the contacts of the
 * roles it pages). An acknowledgement of the incident's alert goes to every alert a PagerDuty
 * channel got a trigger for in that episode and that is not acknowledged yet, a resolution to
 * every such alert: the incident's, and those lapsed acknowledgements opened (one delivery each,
 * {@link alertMessage}). Deliveries already recorded are not added again. Returns the ids added
 * (to send now).
 */
export function enqueue(outbox: Outbox | undefined, g: Governance, messages: readonly NotifyMessage[]): { outbox: Outbox; added: string[] } {
  let out: Outbox = outbox ?? EMPTY_OUTBOX;
  const added: string[] = [];
  for (const m of messages) {
    const { destinations } = routeMessage(g, { event: m.event, ...(m.severity ? { severity: m.severity } : {}), ...(m.service ? { service: m.service } : {}), ...(m.targets ? { targets: m.targets } : {}) });
    const planned: { message: NotifyMessage; record: DeliveryRecord }[] = destinations.map((d) => ({
      message: m,
      record: {
        message: m.key,
        channel: d.channel,
        kind: d.kind,
        title: d.title,
        status: "pending",
        attempts: 0,
        ...(d.backup?.length ? { backup: d.backup } : {}),
        ...(d.kind === "pagerduty" && m.alert ? { action: m.alert.action, dedupKey: m.alert.dedupKey } : {}),
        ...(m.episode !== undefined ? { episode: m.episode } : {}),
      },
    }));
    if (m.alert && m.alert.action !== "trigger") {
      const alert = m.alert;
      for (const a of triggeredAlerts(out, m.episode, alert.dedupKey, alert.action === "acknowledge")) {
        if (a.dedupKey === alert.dedupKey && planned.some((p) => p.record.channel === a.channel)) continue;
        const message = alertMessage({ ...m, alert }, a.dedupKey);
        planned.push({
          message,
          record: { message: message.key, channel: a.channel, kind: "pagerduty", title: a.title, status: "pending", attempts: 0, action: alert.action, dedupKey: a.dedupKey, ...(m.episode !== undefined ? { episode: m.episode } : {}) },
        });
      }
    }
    for (const { message, record } of planned) {
      if (out.deliveries.some((d) => deliveryId(d) === deliveryId(record))) continue;
      out = {
        messages: out.messages.some((x) => x.key === message.key) ? out.messages : [...out.messages, message],
        deliveries: [...out.deliveries, record],
      };
      added.push(deliveryId(record));
    }
  }
  return { outbox: out, added };
}

function update(outbox: Outbox, id: string, change: (d: DeliveryRecord) => DeliveryRecord): Outbox {
  return { ...outbox, deliveries: outbox.deliveries.map((d) => (deliveryId(d) === id ? change(d) : d)) };
}

/** Attempt number `attempt` of delivery `id` starts now. */
export function beginAttempt(outbox: Outbox, id: string, attempt: number, now: Date): Outbox {
  return update(outbox, id, ({ next: _next, ...d }) => ({ ...d, status: "sending", attempts: Math.max(d.attempts, attempt), at: now.toISOString() }));
}

/** What one attempt came to. `retryable`: the receiver may take it later (timeouts, 429, 5xx, network errors). */
export type AttemptOutcome = { ok: true } | { ok: false; error: string; retryable: boolean };

/**
 * Record attempt `attempt` of delivery `id`: sent; or failed and retried after the policy's delay;
 * or failed for good (after the last attempt, or a failure a retry cannot fix), when the backup
 * contacts it names are recorded for sending (unless they already are). Returns the new outbox, the
 * delay before the retry, and the backup deliveries added.
 */
export function recordAttempt(outbox: Outbox, g: Governance, id: string, attempt: number, outcome: AttemptOutcome, now: Date, policy: RetryPolicy = DEFAULT_RETRY): { outbox: Outbox; retryInMs?: number; added: string[] } {
  const d = outbox.deliveries.find((x) => deliveryId(x) === id);
  if (!d) return { outbox, added: [] };
  const at = now.toISOString();
  if (outcome.ok) {
    return { outbox: update(outbox, id, ({ next: _n, error: _e, ...x }) => ({ ...x, status: "sent", attempts: Math.max(x.attempts, attempt), at })), added: [] };
  }
  const error = outcome.error.slice(0, 200);
  if (outcome.retryable && attempt < maxAttempts(policy)) {
    const retryInMs = policy.delaysMs[attempt - 1] ?? policy.delaysMs.at(-1) ?? 60_000;
    const next = new Date(now.getTime() + retryInMs).toISOString();
    return { outbox: update(outbox, id, (x) => ({ ...x, status: "failed", attempts: Math.max(x.attempts, attempt), at, next, error })), retryInMs, added: [] };
  }
  let out = update(outbox, id, ({ next: _n, ...x }) => ({ ...x, status: "failed", attempts: Math.max(x.attempts, attempt), at, error }));
  const added: string[] = [];
  for (const channel of d.backup ?? []) {
    const ch = g.notify?.channels[channel];
    if (!ch) continue;
    const record: DeliveryRecord = {
      message: d.message,
      channel,
      kind: ch.kind,
      title: ch.title ?? channel,
      status: "pending",
      attempts: 0,
      backupOf: id,
      ...(ch.kind === "pagerduty" && d.action ? { action: d.action, ...(d.dedupKey ? { dedupKey: d.dedupKey } : {}) } : {}),
      ...(d.episode !== undefined ? { episode: d.episode } : {}),
    };
    if (out.deliveries.some((x) => deliveryId(x) === deliveryId(record))) continue;
    out = { ...out, deliveries: [...out.deliveries, record] };
    added.push(deliveryId(record));
  }
  return { outbox: out, added };
}

/**
 * What a process that did not start these deliveries should do with them (after a restart, or
 * when another trigger finds them): `send` the ones safe to send (at least once, or a retry whose
 * time has come), mark `orphaned` the at-most-once ones a crash may have sent already, and `later`
 * the retries still ahead. `inFlight`: ids this process is sending now (left alone).
 */
export function resumable(outbox: Outbox | undefined, now: Date, inFlight: ReadonlySet<string>): { send: string[]; orphaned: string[]; later?: number } {
  const send: string[] = [];
  const orphaned: string[] = [];
  let later: number | undefined;
  for (const d of outbox?.deliveries ?? []) {
    const id = deliveryId(d);
    if (inFlight.has(id) || isFinal(d)) continue;
    if (d.status === "pending" || d.status === "sending") {
      if (GUARANTEE[d.kind] === "at-least-once") send.push(id);
      else orphaned.push(id);
    } else if (d.status === "failed" && d.next !== undefined) {
      const at = Date.parse(d.next);
      if (at <= now.getTime()) send.push(id);
      else later = later === undefined ? at : Math.min(later, at);
    }
  }
  return { send, orphaned, ...(later !== undefined ? { later } : {}) };
}

/** At-most-once deliveries a crash may have sent already: not sent again, and said so. */
export function markOrphaned(outbox: Outbox, ids: readonly string[], now: Date): Outbox {
  let out = outbox;
  for (const id of ids) {
    out = update(out, id, ({ next: _n, ...d }) => ({
      ...d,
      status: "unknown",
      at: d.at ?? now.toISOString(),
      error: `Charter stopped while sending; not sent again (a ${d.kind} message could show twice)`,
    }));
  }
  return out;
}

/** The message a delivery sends. */
export function messageOf(outbox: Outbox, d: Pick<DeliveryRecord, "message">): NotifyMessage | undefined {
  return outbox.messages.find((m) => m.key === d.message);
}

/** Most deliveries kept once done (oldest finished ones go first; PagerDuty triggers of the latest episode stay). */
export const MAX_DELIVERIES = 60;

/**
 * Keep the outbox small: drop the texts of messages whose deliveries are all done, and the oldest
 * finished deliveries beyond {@link MAX_DELIVERIES}. Nothing still to send is dropped.
 */
export function compactOutbox(outbox: Outbox): Outbox {
  const open = new Set(outbox.deliveries.filter((d) => !isFinal(d)).map((d) => d.message));
  const messages = outbox.messages.filter((m) => open.has(m.key));
  let deliveries = outbox.deliveries;
  const latestEpisode = Math.max(0, ...deliveries.map((d) => d.episode ?? 0));
  // the last trigger per PagerDuty channel and alert of the latest episode stays: /ack and /resolve go to those alerts
  const lastTrigger = (d: DeliveryRecord, i: number, all: readonly DeliveryRecord[]) =>
    d.kind === "pagerduty" &&
    d.action === "trigger" &&
    d.episode === latestEpisode &&
    !all.some((x, j) => j > i && x.kind === "pagerduty" && x.channel === d.channel && x.action === "trigger" && x.episode === d.episode && x.dedupKey === d.dedupKey);
  while (deliveries.length > MAX_DELIVERIES) {
    const i = deliveries.findIndex((d, j, all) => isFinal(d) && !lastTrigger(d, j, all));
    if (i < 0) break;
    deliveries = deliveries.filter((_, j) => j !== i);
  }
  return { messages, deliveries };
}
