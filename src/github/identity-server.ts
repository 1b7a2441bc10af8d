/**
 * Charter's identity when it runs as a GitHub App (the server, `charter sweep` with APP_ID): the
 * app's id and slug from `GET /app` (one request, made on first use and again after a failure),
 * and seal keys from CHARTER_SEAL_KEYS or the app's private key.
 */
import { getPrivateKey } from "@probot/get-private-key";
import type { Probot } from "probot";
import type { Env } from "../clock-control.js";
import { appIdentity, memoIdentity, sealKeysFrom, type IdentitySource } from "./identity.js";

export function appServerIdentity(app: Pick<Probot, "auth">, env: Env): IdentitySource {
  return memoIdentity(async () => {
    const client = await app.auth();
    const { data } = await client.request("GET /app");
    if (!data) throw new Error("GET /app returned no app");
    return appIdentity({ id: data.id, slug: data.slug ?? String(data.id) }, sealKeysFrom(env, getPrivateKey({ env }) ?? undefined));
  });
}
