import type { Context, Probot } from "probot";
import { parseCommand } from "../core/commands/parse.js";
import type { CommandActor } from "../core/incidents/authority.js";
import { authorMayOpen } from "../core/incidents/public-reports.js";
import { isIncidentLabel } from "../core/incidents/severity.js";
import { reopenIncident } from "../core/incidents/transitions.js";
import type { GitHubClient } from "../github/client.js";
import { governanceFromDefaultBranch, knownGovernance } from "../github/governance.js";
import { incidentLabelsKnown, listRepoLabels } from "../github/incidents/labels.js";
import { isCharterUser } from "../github/identity.js";
import { incidentCaches, incidentKey } from "../github/incidents/cache.js";
import { answerPublicReport, isIncident, issueFacts, reconcileIncident, RECENT_MS, runIncidentCommand, runManualChange, type IncidentEnv, type IssueFacts } from "../github/incidents/engine.js";
import { incidentGovernance } from "../github/incidents/list.js";
import type { CharterDeps } from "./deps.js";

type IssueEvent = Context<"issues.opened" | "issues.labeled" | "issues.unlabeled" | "issues.reopened" | "issues.closed">;

async function environment(context: IssueEvent | Context<"issue_comment.created">, deps: CharterDeps): Promise<IncidentEnv | undefined> {
  const { repository } = context.payload;
  const gh = context.octokit as GitHubClient;
  const repo = { owner: repository.owner.login, repo: repository.name };
  const caches = incidentCaches(deps.governance);
  // An issue that opens an incident (by the model already known) in a repository whose labels this
  // process has not seen: list them with the governance check, not after it.
  const known = knownGovernance(deps.governance, repo, repository.default_branch);
  const knownInc = known?.result.ok ? known.result.governance.incidents : undefined;
  const opening = context.name === "issues" && (context.payload.action === "opened" || context.payload.action === "labeled");
  const labelsListed = opening && knownInc && !incidentLabelsKnown(repo, knownInc, caches) && isIncident(knownInc, issueFacts(context.payload.issue)) ? listRepoLabels(gh, repo) : undefined;
  labelsListed?.catch(() => undefined); // used only if the incident opens; a failure then is thrown there
  const [snapshot, identity] = await Promise.all([governanceFromDefaultBranch(gh, repo, repository.default_branch, deps.governance), deps.identity()]);
  const model = incidentGovernance(snapshot, caches, repo);
  if (!model) return undefined;
  return { gh, repo, g: model.g, inc: model.inc, now: deps.clock.now(), caches, identity, log: context.log, ...(deps.notify ? { notify: deps.notify } : {}), ...(labelsListed ? { labelsListed } : {}) };
}

const isBot = (u: { type?: string; login?: string } | null | undefined) => u?.type === "Bot" || (u?.login ?? "").endsWith("[bot]");
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Who changed the issue in GitHub's UI. Only people with triage access can label, unlabel, close
 * or reopen someone else's issue, so such a person has access; an author acting on their own issue
 * is what the issue's `author_association` says.
 */
function uiActor(sender: { login: string; type?: string }, issue: IssueFacts): CommandActor {
  if (same(sender.login, issue.author)) return { login: sender.login, association: sender.type === "Bot" ? "COLLABORATOR" : (issue.authorAssociation ?? null) };
  return { login: sender.login, association: "COLLABORATOR" };
}

/**
 * Issues as incidents. Opening (incident or severity label, or the incident form) by someone with
 * access, labelling by someone with triage, closing, reopening and unlabelling in GitHub's UI, and
 * any other comment on an incident all reconcile the incident, so a webhook Charter missed is made
 * up by the next one (or the sweep). Only Charter's own events are ignored: another app or a
 * workflow acts like anyone else, with the authority roles.yml gives it (none).
 * Commands are in commands/incidents.ts.
 */
export function registerIncidentHandlers(app: Probot, deps: CharterDeps): void {
  app.on(["issues.opened", "issues.labeled", "issues.unlabeled", "issues.reopened", "issues.closed"], async (context: IssueEvent) => {
    const { issue, sender } = context.payload;
    if ("pull_request" in issue && issue.pull_request) return;
    if (isCharterUser(await deps.identity(), sender)) return;
    const env = await environment(context, deps);
    if (!env) return;
    const facts = issueFacts(issue);
    const label = (context.payload as { label?: { name: string } }).label?.name;
    switch (context.payload.action) {
      case "opened":
        if (!isIncident(env.inc, facts)) return;
        if (!authorMayOpen(facts)) {
          await answerPublicReport(env, facts);
          return;
        }
        await reconcileIncident(env, facts, { openedAt: new Date(issue.created_at), vouched: true });
        return;
      case "labeled": {
        if (!label || !isIncidentLabel(env.inc, label)) return;
        const created = new Date(issue.created_at);
        const recent = env.now.getTime() - created.getTime() <= RECENT_MS;
        // Someone other than the author needs triage access to label the issue: they vouch for it.
        const vouched = !same(sender.login, facts.author) || authorMayOpen(facts);
        if (!vouched) {
          if (!recent) await answerPublicReport(env, facts); // labels that came with opening are answered there
          return;
        }
        // The label arrived now; an issue created with it (events reordered) counts from its creation.
        await reconcileIncident(env, facts, { openedAt: recent ? created : env.now, vouched: true });
        return;
      }
      case "unlabeled":
        if (!label || !isIncidentLabel(env.inc, label) || facts.state === "closed") return;
        await runManualChange(env, facts, { kind: "label-removed", label }, uiActor(sender, facts));
        return;
      case "closed":
        // Closing counts as /resolve: resolved when the closer may, reopened and explained when not.
        if (!isIncident(env.inc, facts) && !env.caches.status(incidentKey(env.repo, facts.number))) return;
        await runManualChange(env, facts, { kind: "closed" }, uiActor(sender, facts));
        return;
      case "reopened":
        if (!isIncident(env.inc, facts)) return;
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
