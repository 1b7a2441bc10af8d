/**
 * Webhook delivery: signs a payload like GitHub does and POSTs it to an app. Every payload is first
 * checked against GitHub's webhook schema for its event and action (the webhook guard,
 * `test/support/openapi/webhook-guard.ts`): the emulator sends only what GitHub would send.
 */
import { createHmac, randomUUID } from "node:crypto";
import { checkWebhookDelivery } from "../support/openapi/webhook-guard.js";

export interface WebhookOptions {
  /** the app's webhook secret; without it no signature header is sent */
  secret?: string;
  /** X-GitHub-Delivery; a fresh UUID by default (reuse one to simulate a redelivery) */
  deliveryId?: string;
  /** extra headers */
  headers?: Record<string, string>;
}

export interface WebhookDelivery {
  id: string;
  event: string;
  action: string | undefined;
  url: string;
  status: number;
  /** response body as text */
  response: string;
  durationMs: number;
}

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>` (the X-Hub-Signature-256 header value). */
export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

export async function sendWebhook(targetUrl: string, event: string, payload: unknown, options: WebhookOptions = {}): Promise<WebhookDelivery> {
  checkWebhookDelivery(event, payload, `the emulator → ${targetUrl}`);
  const body = JSON.stringify(payload);
  const id = options.deliveryId ?? randomUUID();
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/emulator",
    "x-github-event": event,
    "x-github-delivery": id,
    ...(options.headers ?? {}),
  };
  const installation = (payload as { installation?: { id?: number } } | null)?.installation;
  if (installation?.id !== undefined) headers["x-github-hook-installation-target-id"] = String(installation.id);
  if (options.secret !== undefined) headers["x-hub-signature-256"] = signWebhook(body, options.secret);
  const started = performance.now();
  const res = await fetch(targetUrl, { method: "POST", headers, body });
  const response = await res.text();
  return {
    id,
    event,
    action: (payload as { action?: string } | null)?.action,
    url: targetUrl,
    status: res.status,
    response,
    durationMs: performance.now() - started,
  };
}
