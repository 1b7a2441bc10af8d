/**
 * Who Charter is on GitHub, and the keys of its sealed markers. Charter trusts only what it wrote
 * itself, and "itself" means its GitHub App: a comment counts as Charter's when GitHub says an app
 * with Charter's id performed it (`performed_via_github_app.id`), or, where GitHub gives no app
 * (pull requests, reviews), when it is by Charter's bot user. Another app, a workflow or a user
 * writing the same text is not Charter.
 *
 * Identity alone does not protect a body: people with write access can edit any comment and any
 * pull request description, Charter's too. Markers are therefore sealed (src/core/trust/seal.ts)
 * with a key only Charter holds.
 *
 * Modes:
 * - `enforcing`: Charter runs as a GitHub App (server, or Actions with an app installation token)
 *   and holds its seal keys. Its check can be pinned to the app in branch protection.
 * - `advisory`: Actions with the workflow's GITHUB_TOKEN. Any workflow can write as
 *   `github-actions[bot]`, so nothing Charter writes can be told apart from a forgery, and its check
 *   says it is advisory.
 */
import { createHmac } from "node:crypto";
import type { Env } from "../clock-control.js";
import { NO_SEAL_KEYS, type SealKeys } from "../core/trust/seal.js";
import { onceUntilFailure } from "../once.js";

export type IdentityMode = "enforcing" | "advisory";

export interface CharterIdentity {
  mode: IdentityMode;
  /** Charter's GitHub App id; undefined in advisory mode. */
  appId: number | undefined;
  /** Charter's bot user, `<app slug>[bot]` (`github-actions[bot]` in advisory mode). */
  botLogin: string | undefined;
  keys: SealKeys;
}

/** A user as GitHub shows one on comments, issues, pull requests and reviews. */
export interface UserLike {
  login: string;
  type?: string;
  id?: number;
}

/** A comment or issue as GitHub returns one (REST or webhook). */
export interface AuthoredLike {
  user?: UserLike | null;
  performed_via_github_app?: { id: number } | null;
}

export const ACTIONS_BOT = "github-actions[bot]";

const sameLogin = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether Charter's own bot user is `user`. */
export function isCharterUser(identity: CharterIdentity, user: UserLike | null | undefined): boolean {
  if (!user || !identity.botLogin) return false;
  return user.type === "Bot" && sameLogin(user.login, identity.botLogin);
}

/**
 * Whether Charter wrote this comment (or opened this issue). GitHub's own record of the app that
 * performed it decides when it is there; otherwise the author must be Charter's bot user.
 */
export function isCharterAuthored(identity: CharterIdentity, item: AuthoredLike): boolean {
  const via = item.performed_via_github_app;
  if (via && identity.appId !== undefined) return via.id === identity.appId;
  return isCharterUser(identity, item.user);
}

/** Seal keys from secrets: each at least 32 characters. */
function keyFrom(secret: string): Uint8Array {
  return createHmac("sha256", "charter-seal-v1").update(secret).digest();
}

/**
 * Seal keys from the environment: `CHARTER_SEAL_KEYS` (comma-separated secrets, the first seals,
 * all verify, for rotation), else one derived from the app's private key.
 */
export function sealKeysFrom(env: Env, privateKey: string | undefined): SealKeys {
  const listed = (env.CHARTER_SEAL_KEYS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const secrets = listed.length > 0 ? listed : privateKey ? [privateKey.replace(/\\n/g, "\n").trim()] : [];
  if (secrets.length === 0) return NO_SEAL_KEYS;
  const keys = secrets.map(keyFrom);
  return { current: keys[0], accepted: keys };
}

/** Problems with CHARTER_SEAL_KEYS, for a clear refusal at start. */
export function sealKeyProblems(env: Env): string[] {
  const listed = (env.CHARTER_SEAL_KEYS ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  return listed.flatMap((s, i) => (s.length < 32 ? [`CHARTER_SEAL_KEYS entry ${i + 1} has ${s.length} characters; use at least 32 random characters (e.g. \`openssl rand -hex 32\`)`] : []));
}

/** The identity of an app: its id and slug as GitHub reports them (`GET /app`). */
export function appIdentity(app: { id: number; slug: string }, keys: SealKeys): CharterIdentity {
  return { mode: "enforcing", appId: app.id, botLogin: `${app.slug}[bot]`, keys };
}

/** Advisory mode (Actions with GITHUB_TOKEN): nothing Charter writes can be told from a workflow's forgery. */
export const ADVISORY_IDENTITY: CharterIdentity = { mode: "advisory", appId: undefined, botLogin: ACTIONS_BOT, keys: NO_SEAL_KEYS };

/** Resolves Charter's identity once (it needs one request, `GET /app`), and again after a failure. */
export type IdentitySource = () => Promise<CharterIdentity>;

export function fixedIdentity(identity: CharterIdentity): IdentitySource {
  return () => Promise.resolve(identity);
}

export function memoIdentity(resolve: () => Promise<CharterIdentity>): IdentitySource {
  return onceUntilFailure(resolve);
}
