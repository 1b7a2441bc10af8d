import type { Context, Probot } from "probot";
import { parseCommand } from "../core/commands/parse.js";
import { isIncidentLabel } from "../core/incidents/severity.js";
import { reopenIncident, resolveIncident } from "../core/incidents/transitions.js";
import type { GitHubClient } from "../github/client.js";
import { governanceFromDefaultBranch } from "../github/governance.js";
import { incidentCaches } from "../github/incidents/cache.js";
import { isIncident, issueFacts, reconcileIncident, RECENT_MS, runIncidentCommand, type IncidentEnv } from "../github/incidents/engine.js";
import { incidentGovernance } from "../github/incidents/list.js";
import type { CharterDeps } from "./deps.js";

type IssueEvent = Context<"issues.opened" | "issues.labeled" | "issues.reopened" | "issues.closed">;

async function environment(context: IssueEvent | Context<"issue_comment.created">, deps: CharterDeps): Promise<IncidentEnv | undefined> {
  const { repository } = context.payload;
  const gh = context.octokit as GitHubClient;
  const repo = { owner: repository.owner.login, repo: repository.name };
  const snapshot = await governanceFromDefaultBranch(gh, repo, repository.default_branch, deps.governance);
  const caches = incidentCaches(deps.governance);
  const model = incidentGovernance(snapshot, caches, repo);
  if (!model) return undefined;
  return { gh, repo, g: model.g, inc: model.inc, now: deps.clock.now(), caches, log: context.log };
}

const isBot = (u: { type?: string; login?: string } | null | undefined) => u?.type === "Bot" || (u?.login ?? "").endsWith("[bot]");

/**
 * Issues as incidents. Opening (incident or severity label, or the incident form), closing and
 * reopening in GitHub's UI, and any other comment on an incident all reconcile the incident, so a
 * webhook Charter missed is made up by the next one (or the sweep). Commands are in
 * commands/incidents.ts; Charter's own events (a bot sender) are ignored.
 */
export function registerIncidentHandlers(app: Probot, deps: CharterDeps): void {
  app.on(["issues.opened", "issues.labeled", "issues.reopened", "issues.closed"], async (context: IssueEvent) => {
    const { issue, sender } = context.payload;
    if (isBot(sender) || "pull_request" in issue) return;
    const env = await environment(context, deps);
    if (!env) return;
    const facts = issueFacts(issue);
    if (!isIncident(env.inc, facts)) return;
    switch (context.payload.action) {
      case "opened":
        await reconcileIncident(env, facts, { openedAt: new Date(issue.created_at) });
        return;
      case "labeled": {
        const label = (context.payload as { label?: { name: string } }).label?.name;
        if (!label || !isIncidentLabel(env.inc, label)) return;
        // The label arrived now; an issue created with it (events reordered) counts from its creation.
        const created = new Date(issue.created_at);
        await reconcileIncident(env, facts, { openedAt: env.now.getTime() - created.getTime() <= RECENT_MS ? created : env.now });
        return;
      }
      case "closed":
        // Closed without /resolve: resolved all the same (no root cause), review opened if required.
        await runIncidentCommand(env, facts, undefined, (state, ctx) =>
          state.resolution ? { refused: "already resolved" } : resolveIncident(ctx, env.inc, state, sender.login, { resolution: "closed in GitHub without `/resolve`" }, facts.url),
          { open: false }, // an incident Charter never saw, closed: nothing to page
        );
        return;
      case "reopened":
        await runIncidentCommand(env, facts, undefined, (state, ctx) => (state.resolution ? reopenIncident(ctx, env.inc, state, sender.login) : { refused: "not resolved" }));
        return;
    }
  });

  app.on("issue_comment.created", async (context: Context<"issue_comment.created">) => {
    const { issue, comment, sender } = context.payload;
    if (isBot(sender) || isBot(comment.user) || issue.pull_request || issue.state === "closed") return;
    if (parseCommand(comment.body)) return; // commands are the dispatcher's (and reconcile themselves)
    const env = await environment(context, deps);
    if (!env) return;
    const facts = issueFacts(issue);
    if (!isIncident(env.inc, facts)) return;
    await reconcileIncident(env, { ...facts, comments: undefined });
  });
}
