/**
 * The webhook guard: every payload a test delivers (to `probot.receive`, or signed and POSTed to a
 * real server by the emulator) is checked against GitHub's schema for its event and action, the
 * `x-webhooks` of GitHub's OpenAPI description (see `validateWebhook`). It is the delivery-side
 * twin of the fetch guard: the fetch guard checks what the app asks of GitHub, this one checks
 * what the tests claim GitHub sent. A test that passes on a payload GitHub never sends proves
 * little.
 *
 * A violation throws before anything is delivered AND is recorded: the setup file's `afterEach`
 * (`test/setup/webhook-guard.ts`) fails the test even if the caller swallowed the error (a world
 * that ignores a failed delivery, Actions mode turning it into an exit code).
 * `expectWebhookViolation` is the escape hatch for a test that delivers a bad payload on purpose.
 *
 * State lives on `globalThis` under a registered symbol, so every copy of this module in a worker
 * (setup file, test file, emulator) shares one list of violations.
 *
 * `CHARTER_WEBHOOK_LOG=<file>` appends one JSON line per checked delivery (event, action, source,
 * a digest of the payload, problems): `scripts/webhook-fidelity.ts` counts distinct payloads and
 * failures from it.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { appendFileSync } from "node:fs";
import { validateWebhook } from "./validator.js";

export interface WebhookViolation {
  /** the event name as delivered (X-GitHub-Event), e.g. `issue_comment` */
  event: string;
  action: string | undefined;
  /** who delivered it: `probot.receive`, `emulator → http://…` */
  source: string;
  /** `payload<JSON pointer>: <schema message>` */
  problems: string[];
  message: string;
}

export class WebhookViolationError extends Error {
  constructor(readonly violation: WebhookViolation) {
    super(violation.message);
    this.name = "WebhookViolationError";
  }
}

interface WebhookGuardState {
  violations: WebhookViolation[];
  /** set inside expectWebhookViolation: record, do not throw, deliver anyway */
  deliberate: AsyncLocalStorage<true>;
}

const KEY = Symbol.for("charter.test.webhookGuard");

function guardState(): WebhookGuardState {
  const g = globalThis as unknown as Record<symbol, WebhookGuardState | undefined>;
  let s = g[KEY];
  if (!s) {
    s = { violations: [], deliberate: new AsyncLocalStorage<true>() };
    g[KEY] = s;
  }
  return s;
}

function actionOf(payload: unknown): string | undefined {
  const action = (payload as { action?: unknown } | null)?.action;
  return typeof action === "string" ? action : undefined;
}

export function formatWebhookProblems(event: string, action: string | undefined, source: string, problems: readonly string[]): string {
  return [`GitHub webhook schema violation: ${event}${action ? `.${action}` : ""} delivered by ${source}`, ...problems.map((p) => `  - ${p}`)].join("\n");
}

function log(event: string, action: string | undefined, source: string, payload: unknown, problems: string[]): void {
  const file = process.env.CHARTER_WEBHOOK_LOG;
  if (!file) return;
  const digest = createHash("sha256").update(`${event}\n${JSON.stringify(payload)}`).digest("hex").slice(0, 16);
  appendFileSync(file, `${JSON.stringify({ event, action, source, digest, problems })}\n`);
}

/**
 * Checks one delivery. Throws a `WebhookViolationError` naming the event, the JSON path and the
 * schema's message when the payload does not validate (and records it for the `afterEach` check).
 * @param event the delivered event name (X-GitHub-Event), without the action
 * @param source who delivers it, for the message
 */
export function checkWebhookDelivery(event: string, payload: unknown, source: string): void {
  const action = actionOf(payload);
  const problems = validateWebhook(event, action, payload);
  log(event, action, source, payload, problems);
  if (problems.length === 0) return;
  const s = guardState();
  const violation: WebhookViolation = { event, action, source, problems, message: formatWebhookProblems(event, action, source, problems) };
  s.violations.push(violation);
  if (s.deliberate.getStore()) return; // inside expectWebhookViolation: the test means it, deliver
  throw new WebhookViolationError(violation);
}

/** Violations recorded so far and not yet taken. */
export function webhookViolations(): readonly WebhookViolation[] {
  return guardState().violations;
}

/** Returns and clears the recorded violations. */
export function takeWebhookViolations(): WebhookViolation[] {
  const s = guardState();
  return s.violations.splice(0, s.violations.length);
}

export function formatWebhookViolations(violations: readonly WebhookViolation[]): string {
  return violations.map((v) => v.message).join("\n");
}

/**
 * Runs `fn`, which delivers on purpose at least one payload GitHub would not send (an attacker's
 * tampered body, a payload the app must survive). Inside `fn` such a delivery is recorded but still
 * made, so the test can assert what the app does with it; errors `fn` throws propagate. The
 * violations are removed from the record, so the `afterEach` check stays green, and returned for
 * further assertions. It fails when nothing `fn` delivered was a violation (the escape hatch is
 * never a blanket off switch).
 * @param match when given, at least one violation's message must contain it / match it.
 */
export async function expectWebhookViolation<T>(fn: () => T | Promise<T>, match?: string | RegExp): Promise<{ result: T; violations: WebhookViolation[] }> {
  const s = guardState();
  const before = s.violations.length;
  let result: T;
  try {
    result = await s.deliberate.run(true, fn);
  } catch (error) {
    // taken even when fn throws, so a failing test reports its own error, not the guard's
    s.violations.splice(before, s.violations.length - before);
    throw error;
  }
  const caught = s.violations.splice(before, s.violations.length - before);
  if (caught.length === 0) throw new Error("expected a webhook schema violation, but every payload delivered validated");
  if (match !== undefined) {
    const hit = caught.some((v) => (typeof match === "string" ? v.message.includes(match) : match.test(v.message)));
    if (!hit) throw new Error(`expected a webhook schema violation matching ${String(match)}, got:\n${formatWebhookViolations(caught)}`);
  }
  return { result, violations: caught };
}

interface Receivable {
  prototype: { receive(event: { name: string; payload: unknown }): Promise<unknown> };
}
const PATCHED = Symbol.for("charter.test.webhookGuard.receive");

/**
 * Wraps `Probot.prototype.receive` so every delivery to any Probot instance in the worker (the app
 * harness, the incident, kill-switch and sign-off worlds, Actions mode's `runAction`) is checked
 * first. Idempotent.
 */
export function installProbotReceiveGuard(probot: Receivable): void {
  const proto = probot.prototype as Receivable["prototype"] & { [PATCHED]?: true };
  if (proto[PATCHED]) return;
  const original = proto.receive;
  proto.receive = function guardedReceive(this: unknown, event: { name: string; payload: unknown }) {
    try {
      checkWebhookDelivery(event.name, event.payload, "probot.receive");
    } catch (error) {
      return Promise.reject(error);
    }
    return original.call(this, event);
  };
  proto[PATCHED] = true;
}
