/**
 * Listing installations (as the app) and an installation's repositories: what the server's periodic
 * sweep walks. An installation token the emulator made sees its installation's repositories (those
 * of its account); any other token sees every repository.
 */
import { paginate, type RouteTable } from "./types.js";

export const installationRoutes: RouteTable = {
  "GET /app/installations": (ctx) => {
    const owners = [...ctx.store.installations.keys()].map((key) => ctx.store.ensureUser(key).login);
    return paginate(ctx, owners, (owner) => {
      const installation = ctx.render.installation(owner) as { account: Record<string, unknown> };
      // GitHub's description types this list's `account` as allOf [Simple User, Enterprise] (a quirk:
      // it means either). Carrying the enterprise fields too keeps the response valid both ways.
      const account = installation.account;
      return { ...installation, account: { ...account, name: account.login, slug: String(account.login).toLowerCase(), created_at: ctx.store.repos.values().next().value?.createdAt ?? "2024-01-01T00:00:00Z", updated_at: ctx.store.now(), description: null, website_url: null } };
    });
  },

  "GET /installation/repositories": (ctx) => {
    const repos = [...ctx.store.repos.values()].filter((r) => ctx.installationId === undefined || ctx.store.installationFor(r.owner) === ctx.installationId).sort((a, b) => a.id - b.id);
    const page = paginate(ctx, repos, (repo) => ctx.render.repository(repo));
    return { ...page, body: { total_count: repos.length, repositories: page.body, repository_selection: "all" } };
  },
};
