/**
 * What the server refuses to start with. Whoever can reach the webhook URL can send deliveries;
 * only the webhook secret tells GitHub's from theirs. Probot falls back to the public default
 * `development` when WEBHOOK_SECRET is unset, even with NODE_ENV=production, so a forgotten
 * variable would let anyone act as any login. Seal keys that are too short would let anyone forge
 * Charter's markers. Both are refused with a clear message, before the server listens.
 *
 * Test and demo mode (NODE_ENV=test or CHARTER_DEMO=1) run against the local emulator and may use
 * any webhook secret; the seal-key rule holds everywhere.
 */
import { testControlsAllowed, type Env } from "./clock-control.js";
import { sealKeyProblems } from "./github/identity.js";

export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** Values found in examples, tutorials and Probot's own default: anyone can guess them. */
const KNOWN_WEAK = new Set(["development", "secret", "changeme", "change-me", "change_me", "test", "testing", "password", "webhook", "webhook-secret", "webhooksecret", "github", "probot", "charter", "example", "default", "mysecret", "my-secret", "your-secret", "yoursecret"]);

const HOW = "use at least 16 random characters (e.g. `openssl rand -hex 32`) and set the same secret in the GitHub App's settings";

function webhookSecretProblems(env: Env): string[] {
  const secret = (env.WEBHOOK_SECRET ?? "").trim();
  if (secret === "") return [`WEBHOOK_SECRET is not set: Probot would then accept deliveries signed with its public default \`development\`, so anyone who reaches the server could act as any GitHub user; ${HOW}`];
  if (KNOWN_WEAK.has(secret.toLowerCase())) return [`WEBHOOK_SECRET is \`${secret}\`, a publicly known value: anyone could sign deliveries; ${HOW}`];
  if (secret.length < MIN_WEBHOOK_SECRET_LENGTH) return [`WEBHOOK_SECRET has ${secret.length} characters: ${HOW}`];
  return [];
}

/** Why the server must not start with this environment (empty: it may). */
export function startProblems(env: Env): string[] {
  return [...(testControlsAllowed(env) ? [] : webhookSecretProblems(env)), ...sealKeyProblems(env)];
}

/** The message a person reads when the server refuses to start. */
export function refusalText(problems: readonly string[]): string {
  return ["Charter refuses to start:", ...problems.map((p) => `- ${p}`), "Nothing was started. See docs/deploy.md (Environment variables)."].join("\n");
}

/**
 * Print the refusal and exit non-zero, without a stack trace. Written synchronously to stderr
 * (one JSON line when logs are JSON, for log collectors), then the process exits.
 */
export function refuseToStart(problems: readonly string[], env: Env = process.env): never {
  const text = refusalText(problems);
  const json = env.LOG_FORMAT === "json" || (env.LOG_FORMAT === undefined && env.NODE_ENV === "production");
  process.stderr.write(json ? `${JSON.stringify({ level: 60, time: Date.now(), name: "charter", msg: text })}\n` : `${text}\n`);
  process.exit(1);
}
