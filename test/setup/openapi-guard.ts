/**
 * Vitest setup file (see vitest.config.ts): every request any test makes to a GitHub API base is
 * validated against GitHub's OpenAPI description, before it is sent and after it is answered.
 *
 * Import order matters: the guard module first (it remembers the pristine fetch), then nock (which
 * patches globalThis.fetch on import), then the guard goes on top of nock so that mocked requests
 * are validated too.
 */
import { afterEach, beforeEach } from "vitest";
import { formatViolations, installFetchGuard, takeOpenApiViolations } from "../support/openapi/guard.js";
import "nock";

installFetchGuard();

beforeEach(() => {
  // nock.restore()/activate() in a test file replaces globalThis.fetch: put the guard back on top
  installFetchGuard();
});

afterEach(() => {
  const violations = takeOpenApiViolations();
  if (violations.length > 0) {
    throw new Error(`GitHub OpenAPI violations during this test (wrap deliberate ones in expectOpenApiViolation):\n${formatViolations(violations)}`);
  }
});
