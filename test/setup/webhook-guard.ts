/**
 * Vitest setup file (see vitest.config.ts): every webhook payload a test delivers is validated
 * against GitHub's webhook schema for its event and action (`test/support/openapi/webhook-guard.ts`).
 *
 * - `probot.receive`, on any Probot instance (the app harness, the incident, kill-switch, sign-off
 *   and fault worlds, Actions mode's event file), is wrapped here;
 * - the emulator's `sendWebhook` (signed deliveries to the real server in e2e and fault tests)
 *   checks each payload itself.
 *
 * A violation throws before the delivery and fails the test in `afterEach` even if it was caught.
 */
import { Probot } from "probot";
import { afterEach } from "vitest";
import { formatWebhookViolations, installProbotReceiveGuard, takeWebhookViolations } from "../support/openapi/webhook-guard.js";

installProbotReceiveGuard(Probot);

afterEach(() => {
  const violations = takeWebhookViolations();
  if (violations.length > 0) {
    throw new Error(`Webhook payloads GitHub would not send, delivered during this test (fix the builder; wrap deliberate ones in expectWebhookViolation):\n${formatWebhookViolations(violations)}`);
  }
});
