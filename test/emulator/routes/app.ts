/** GitHub App authentication endpoints: any JWT or token is accepted. */
import { randomBytes } from "node:crypto";
import { notFound } from "../errors.js";
import { isoSeconds } from "../store.js";
import type { RouteTable } from "./types.js";

export const appRoutes: RouteTable = {
  "GET /app": (ctx) => ({ status: 200, body: ctx.render.app() }),

  "GET /repos/{owner}/{repo}/installation": (ctx) => {
    const repo = ctx.repo();
    return { status: 200, body: ctx.render.installation(repo.owner) };
  },

  "GET /orgs/{org}/installation": (ctx) => {
    const org = ctx.params.org ?? "";
    if (!ctx.store.installations.has(org.toLowerCase())) throw notFound();
    return { status: 200, body: ctx.render.installation(org) };
  },

  "GET /app/installations/{installation_id}": (ctx) => {
    const id = Number(ctx.params.installation_id);
    const owner = [...ctx.store.installations].find(([, v]) => v === id)?.[0];
    if (!owner) throw notFound();
    return { status: 200, body: ctx.render.installation(ctx.store.ensureUser(owner).login) };
  },

  "POST /app/installations/{installation_id}/access_tokens": (ctx) => {
    const id = Number(ctx.params.installation_id);
    if (![...ctx.store.installations.values()].includes(id)) throw notFound();
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    ctx.store.tokens.set(token, ctx.store.botLogin);
    ctx.store.tokenInstallations.set(token, id);
    const expires = new Date(Date.parse(ctx.store.now()) + 3600_000);
    return {
      status: 201,
      body: {
        token,
        expires_at: isoSeconds(expires),
        permissions: (ctx.render.app() as { permissions: Record<string, string> }).permissions,
        repository_selection: "all",
      },
    };
  },
};
