/**
 * Who Charter is when it runs as a workflow step, from the step's environment:
 *
 * - **the GitHub App** (enforcing): `APP_ID` and `PRIVATE_KEY` (Probot's names, as for the server;
 *   a bundled action's inputs `app-id` / `private-key` arrive as `INPUT_APP-ID` / `INPUT_PRIVATE-KEY`
 *   and are read too). Charter proves who it is with the app's key (`GET /app`), takes an
 *   installation token for the repository, and seals its markers (CHARTER_SEAL_KEYS, else a key
 *   derived from the private key, as the server does). Keep the key in an environment secret
 *   limited to the default branch (docs/actions.md): a repository secret is readable by any
 *   workflow on any branch a writer pushes.
 * - **the workflow's GITHUB_TOKEN** (advisory): Charter then writes as `github-actions[bot]`, which
 *   every workflow in the repository can write as; nothing it writes can be told from a forgery.
 *
 * The app's credentials win when both are given.
 */
import type { Env } from "../clock-control.js";

export type ActionsCredentials =
  | { kind: "app"; appId: number; privateKey: string }
  | { kind: "token"; token: string }
  | { kind: "invalid"; message: string };

function first(env: Env, ...names: string[]): string | undefined {
  for (const name of names) {
    const v = env[name]?.trim();
    if (v) return v;
  }
  return undefined;
}

/** The app's private key as GitHub hands it out (PEM), with `\n` escapes allowed (one-line secrets). */
function pem(text: string): string {
  return text.replace(/\\n/g, "\n").trim();
}

export function actionsCredentials(env: Env): ActionsCredentials {
  const appId = first(env, "APP_ID", "INPUT_APP-ID", "INPUT_APP_ID");
  const key = first(env, "PRIVATE_KEY", "INPUT_PRIVATE-KEY", "INPUT_PRIVATE_KEY");
  const token = first(env, "GITHUB_TOKEN", "INPUT_GITHUB-TOKEN", "INPUT_GITHUB_TOKEN");
  if (appId !== undefined || key !== undefined) {
    if (appId === undefined) return { kind: "invalid", message: "PRIVATE_KEY is set but APP_ID is not: give Charter the GitHub App's id (a variable), see docs/actions.md" };
    if (key === undefined) return { kind: "invalid", message: "APP_ID is set but PRIVATE_KEY is not: give Charter the GitHub App's private key (an environment secret), see docs/actions.md" };
    if (!/^\d+$/.test(appId)) return { kind: "invalid", message: `APP_ID must be the GitHub App's numeric id, got "${appId.slice(0, 40)}"` };
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem(key))) return { kind: "invalid", message: "PRIVATE_KEY is not a PEM private key (-----BEGIN RSA PRIVATE KEY----- …): paste the .pem file GitHub gave you for the app" };
    return { kind: "app", appId: Number(appId), privateKey: pem(key) };
  }
  if (token !== undefined) return { kind: "token", token };
  return {
    kind: "invalid",
    message: "no credentials: give Charter its GitHub App (APP_ID and PRIVATE_KEY, enforcing) or, advisory only, the workflow's token (`env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`), see docs/actions.md",
  };
}
