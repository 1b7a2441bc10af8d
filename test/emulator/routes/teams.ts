/** Organization teams: members and memberships. */
import { HttpError } from "../errors.js";
import { paginate, type RouteTable } from "./types.js";

export const teamRoutes: RouteTable = {
  "GET /orgs/{org}/teams/{team_slug}/members": (ctx) => {
    const team = ctx.store.team(ctx.params.org ?? "", ctx.params.team_slug ?? "");
    return paginate(ctx, team.members, (login) => ctx.render.user(login));
  },

  "GET /orgs/{org}/teams/{team_slug}/memberships/{username}": (ctx) => {
    const team = ctx.store.team(ctx.params.org ?? "", ctx.params.team_slug ?? "");
    const login = (ctx.params.username ?? "").toLowerCase();
    if (!team.members.some((m) => m.toLowerCase() === login)) throw new HttpError(404, "Not Found");
    const t = ctx.render.team(team) as { url: string };
    return { status: 200, body: { url: `${t.url}/memberships/${ctx.params.username}`, role: "member", state: "active" } };
  },

  "GET /orgs/{org}/teams/{team_slug}": (ctx) => {
    const team = ctx.store.team(ctx.params.org ?? "", ctx.params.team_slug ?? "");
    const t = ctx.render.team(team);
    return {
      status: 200,
      body: {
        ...t,
        members_count: team.members.length,
        repos_count: 0,
        created_at: "2024-01-01T00:00:00Z",
        updated_at: "2024-01-01T00:00:00Z",
        organization: {
          ...(ctx.render.user(team.org) as Record<string, unknown>),
          has_organization_projects: false,
          has_repository_projects: false,
          public_repos: 0,
          public_gists: 0,
          followers: 0,
          following: 0,
          created_at: "2024-01-01T00:00:00Z",
          updated_at: "2024-01-01T00:00:00Z",
          archived_at: null,
          type: "Organization",
          description: null,
          hooks_url: "",
          issues_url: "",
          members_url: "",
          public_members_url: "",
        },
      },
    };
  },
};
