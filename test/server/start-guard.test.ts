/**
 * The server refuses to start on a configuration that would let anyone act through it: no webhook
 * secret (Probot then verifies deliveries with its public default `development`), a known-weak
 * one, or seal keys too short to keep Charter's markers unforgeable. Test and demo mode are exempt
 * from the webhook-secret rule only.
 */
import { describe, expect, it } from "vitest";
import { startProblems, refusalText } from "../../src/start-guard.js";

const STRONG = "4f1c0d7e9a3b5c2d8e6f1a0b9c8d7e6f";

describe("startProblems", () => {
  it("refuses an unset or empty WEBHOOK_SECRET outside test/demo mode, naming Probot's public default", () => {
    for (const env of [{ NODE_ENV: "production" }, {}, { NODE_ENV: "production", WEBHOOK_SECRET: "   " }]) {
      const problems = startProblems(env);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^WEBHOOK_SECRET is not set: Probot would then accept deliveries signed with its public default `development`/);
      expect(problems[0]).toContain("openssl rand -hex 32");
    }
  });

  it("refuses a known-weak or short secret", () => {
    expect(startProblems({ WEBHOOK_SECRET: "development" })[0]).toMatch(/^WEBHOOK_SECRET is `development`, a publicly known value/);
    expect(startProblems({ WEBHOOK_SECRET: "ChangeMe" })[0]).toMatch(/^WEBHOOK_SECRET is `ChangeMe`, a publicly known value/);
    expect(startProblems({ WEBHOOK_SECRET: "0123456789abc" })).toEqual([
      "WEBHOOK_SECRET has 13 characters: use at least 16 random characters (e.g. `openssl rand -hex 32`) and set the same secret in the GitHub App's settings",
    ]);
  });

  it("accepts a real secret, and in test or demo mode does not insist on one", () => {
    expect(startProblems({ NODE_ENV: "production", WEBHOOK_SECRET: STRONG })).toEqual([]);
    expect(startProblems({ NODE_ENV: "test" })).toEqual([]);
    expect(startProblems({ CHARTER_DEMO: "1", WEBHOOK_SECRET: "development" })).toEqual([]);
  });

  it("refuses invalid CHARTER_SEAL_KEYS in every mode", () => {
    expect(startProblems({ NODE_ENV: "test", CHARTER_SEAL_KEYS: "short" })).toEqual([
      "CHARTER_SEAL_KEYS entry 1 has 5 characters; use at least 32 random characters (e.g. `openssl rand -hex 32`)",
    ]);
    expect(startProblems({ WEBHOOK_SECRET: STRONG, CHARTER_SEAL_KEYS: `${STRONG},tiny` })).toHaveLength(1);
  });

  it("words the refusal for a person: what is wrong, nothing started, where to read more", () => {
    const text = refusalText(["WEBHOOK_SECRET is not set: x"]);
    expect(text).toBe("Charter refuses to start:\n- WEBHOOK_SECRET is not set: x\nNothing was started. See docs/deploy.md (Environment variables).");
  });
});
