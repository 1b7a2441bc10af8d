/**
 * Sending one recorded message to one channel: Slack (`@slack/webhook`), Microsoft Teams (an HTTPS
 * POST of an Adaptive Card), email (`nodemailer` over SMTP), a webhook signed per the Standard
 * Webhooks specification (`standardwebhooks`), PagerDuty (Events API v2). Secrets are read from
 * the environment at send time, by the name notify.yml gives; they are never logged or recorded.
 * Every attempt has a timeout and ends in an outcome the outbox records: sent, or failed and
 * whether a retry can help (timeouts, HTTP 408/429/5xx and network errors can; a missing variable
 * or a 4xx answer cannot).
 */
import type { IncomingWebhookSendArguments } from "@slack/webhook";
import type { Webhook } from "standardwebhooks";
import type { IncidentsFile } from "../core/model/incidents.js";
import type { Channel, SecretRef } from "../core/model/notify.js";
import type { NotifyMessage } from "../core/notify/message.js";
import type { AttemptOutcome } from "../core/notify/outbox.js";
import { onceUntilFailure } from "../once.js";
import { emailContent, pagerDutyEvent, pagerDutySeverity, slackPayload, teamsPayload, webhookBody } from "../core/notify/payloads.js";

export type Env = Record<string, string | undefined>;

/** Where PagerDuty's Events API v2 takes events (CHARTER_PAGERDUTY_EVENTS_URL overrides it, e.g. for a proxy or a test receiver). */
export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

export interface SendInput {
  channel: Channel;
  /** The channel's id in notify.yml. */
  channelId: string;
  message: NotifyMessage;
  /** The delivery's stable id (the `webhook-id` of a signed webhook, the email's Message-ID). */
  deliveryId: string;
  /** PagerDuty: trigger, acknowledge or resolve. */
  action?: "trigger" | "acknowledge" | "resolve";
  /** `owner/name`: PagerDuty's default source. */
  repo: string;
  inc?: IncidentsFile;
  /** Wall-clock time of the attempt (a signed webhook's timestamp: receivers compare it with their clock). */
  now: Date;
}

export interface SendOptions {
  env: Env;
  timeoutMs: number;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

export type Sender = (input: SendInput, options: SendOptions) => Promise<AttemptOutcome>;

const failed = (error: string, retryable: boolean): AttemptOutcome => ({ ok: false, error, retryable });

/** The secret named by `ref`, or why it is not there (never the value). */
export function readSecret(ref: SecretRef | undefined, env: Env, what: string): { ok: true; value: string } | { ok: false; error: string } {
  if (!ref) return { ok: false, error: `notify.yml names no ${what}` };
  const value = env[ref.env]?.trim();
  if (!value) return { ok: false, error: `${ref.env} is not set where Charter runs` };
  return { ok: true, value };
}

/** Whether an HTTP status is worth retrying: 408, 429 and 5xx. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function httpOutcome(status: number): AttemptOutcome {
  if (status >= 200 && status < 300) return { ok: true };
  return failed(`HTTP ${status}`, retryableStatus(status));
}

function networkOutcome(error: unknown, timeoutMs: number): AttemptOutcome {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError" || e?.code === "ETIMEDOUT" || e?.code === "ECONNABORTED") return failed(`timed out after ${Math.round(timeoutMs / 100) / 10}s`, true);
  const code = e?.cause?.code ?? e?.code;
  return failed(code ? `network error (${code})` : `network error`, true);
}

/** POST JSON with a timeout. */
async function postJson(url: string, body: unknown, options: SendOptions, headers: Record<string, string> = {}): Promise<AttemptOutcome> {
  const f = options.fetch ?? fetch;
  try {
    const res = await f(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Charter", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: "error",
    });
    await res.arrayBuffer().catch(() => undefined);
    return httpOutcome(res.status);
  } catch (error) {
    return networkOutcome(error, options.timeoutMs);
  }
}

/**
 * The client libraries of some channels (@slack/webhook, nodemailer, standardwebhooks) are
 * imported on the first send to such a channel, not when Charter starts: most deliveries never
 * need them; each is imported once (a failed import is tried again by the next send). A library
 * that cannot be imported is a failed attempt that says which one.
 */
function library<T>(name: string, load: () => Promise<T>): () => Promise<T> {
  return onceUntilFailure(async () => {
    try {
      return await load();
    } catch (error) {
      throw new Error(`could not load ${name}`, { cause: error });
    }
  });
}
const slackLibrary = library("@slack/webhook", () => import("@slack/webhook"));
const standardWebhooksLibrary = library("standardwebhooks", () => import("standardwebhooks"));
const nodemailerLibrary = library("nodemailer", () => import("nodemailer"));

const slack: Sender = async (input, options) => {
  const url = readSecret(input.channel.url, options.env, "webhook URL");
  if (!url.ok) return failed(url.error, false);
  const { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError } = await slackLibrary();
  const hook = new IncomingWebhook(url.value, { timeout: options.timeoutMs, ...(options.fetch ? { fetch: options.fetch as never } : {}) });
  try {
    await hook.send(slackPayload(input.message) as IncomingWebhookSendArguments);
    return { ok: true };
  } catch (error) {
    if (error instanceof IncomingWebhookHTTPError) return httpOutcome(error.statusCode);
    if (error instanceof IncomingWebhookRequestError) return networkOutcome(error.original, options.timeoutMs);
    return networkOutcome(error, options.timeoutMs);
  }
};

const teams: Sender = async (input, options) => {
  const url = readSecret(input.channel.url, options.env, "webhook URL");
  if (!url.ok) return failed(url.error, false);
  return postJson(url.value, teamsPayload(input.message, input.channel.format), options);
};

const webhook: Sender = async (input, options) => {
  const url = readSecret(input.channel.url, options.env, "webhook URL");
  if (!url.ok) return failed(url.error, false);
  const secret = readSecret(input.channel.secret, options.env, "signing secret");
  if (!secret.ok) return failed(secret.error, false);
  const { Webhook: StandardWebhook } = await standardWebhooksLibrary();
  let signer: Webhook;
  try {
    signer = new StandardWebhook(secret.value);
  } catch {
    return failed(`${input.channel.secret!.env} is not a Standard Webhooks secret (whsec_ followed by base64)`, false);
  }
  const body = JSON.stringify(webhookBody(input.message, input.deliveryId));
  const timestamp = new Date(Math.floor(input.now.getTime() / 1000) * 1000);
  return postJson(url.value, body, options, {
    "webhook-id": input.deliveryId,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signer.sign(input.deliveryId, timestamp, body),
  });
};

const pagerduty: Sender = async (input, options) => {
  const key = readSecret(input.channel.routing_key, options.env, "routing key");
  if (!key.ok) return failed(key.error, false);
  const alert = input.message.alert;
  const action = input.action ?? alert?.action ?? "trigger";
  const event = pagerDutyEvent(input.message, action, {
    dedupKey: alert?.dedupKey ?? `charter:${input.deliveryId}`,
    source: input.channel.source ?? input.repo,
    severity: pagerDutySeverity(input.channel, input.inc, input.message.severity),
  });
  return postJson(options.env.CHARTER_PAGERDUTY_EVENTS_URL?.trim() || PAGERDUTY_EVENTS_URL, { routing_key: key.value, ...event }, options);
};

const email: Sender = async (input, options) => {
  const smtp = readSecret(input.channel.smtp, options.env, "SMTP URL");
  if (!smtp.ok) return failed(smtp.error, false);
  const { subject, text } = emailContent(input.message);
  const nodemailer = (await nodemailerLibrary()).default;
  let transport: ReturnType<typeof nodemailer.createTransport>;
  try {
    transport = nodemailer.createTransport({ url: smtp.value, connectionTimeout: options.timeoutMs, greetingTimeout: options.timeoutMs, socketTimeout: options.timeoutMs });
  } catch {
    return failed(`${input.channel.smtp!.env} is not an SMTP URL (smtp:// or smtps://)`, false);
  }
  try {
    await transport.sendMail({
      from: input.channel.from!,
      to: input.channel.to!,
      subject,
      text,
      headers: { "X-Charter-Delivery": input.deliveryId },
    });
    return { ok: true };
  } catch (error) {
    const e = error as { responseCode?: number; code?: string };
    if (typeof e.responseCode === "number") return failed(`SMTP ${e.responseCode}`, e.responseCode < 500);
    if (e.code === "EAUTH") return failed("SMTP authentication failed", false);
    return networkOutcome(error, options.timeoutMs);
  } finally {
    transport.close();
  }
};

export const SENDERS: Record<Channel["kind"], Sender> = { slack, teams, email, webhook, pagerduty };

/** Send one delivery with the sender of its channel's kind. Never throws. */
export async function send(input: SendInput, options: SendOptions, senders: Record<Channel["kind"], Sender> = SENDERS): Promise<AttemptOutcome> {
  try {
    return await senders[input.channel.kind](input, options);
  } catch (error) {
    const message = (error as Error)?.message ?? "";
    if (message.startsWith("could not load ")) return failed(message, true);
    return failed(`could not send (${(error as Error).name ?? "Error"})`, true);
  }
}
