import type { Context, Probot } from "probot";
import { parseCommand } from "../../core/commands/parse.js";
import { hasRepositoryAccess } from "../../core/access/association.js";
import { publicPolicy } from "../../core/incidents/public-reports.js";
import type { Governance } from "../../core/model/governance.js";
import { inlineUserText } from "../../core/text/untrusted.js";
import { didYouMean } from "../../core/validate/suggest.js";
import { formatDiagnostic } from "../../load/diagnostic.js";
import type { GitHubClient } from "../../github/client.js";
import { governanceFromDefaultBranch } from "../../github/governance.js";
import { teamsReferenced } from "../../core/signoff/holders.js";
import { teamMembers } from "../../github/signoff/teams.js";
import { signoffState } from "../signoff-run.js";
import type { CharterDeps } from "../deps.js";
import type { CharterIdentity } from "../../github/identity.js";
import { createComment } from "../../github/writes/create.js";
import { isUnknownOutcome } from "../../github/writes/outcome.js";
import { commandSpecs } from "./all.js";
import { CommandRefusal, type CommandRequest, type CommandSpec, type Reaction } from "./spec.js";

/** A bounded set of recently seen keys; add() says whether the key is new. */
class RecentKeys {
  readonly #keys = new Set<string>();
  constructor(readonly max: number) {}
  add(key: string): boolean {
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    if (this.#keys.size > this.max) this.#keys.delete(this.#keys.values().next().value as string);
    return true;
  }
  delete(key: string): void {
    this.#keys.delete(key);
  }
}

async function react(gh: GitHubClient, req: Pick<CommandRequest, "repo" | "comment">, content: Reaction): Promise<void> {
  await gh.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", { ...req.repo, comment_id: req.comment.id, content });
}

/** The first line of a command, quoted for a reply: through the neutraliser, so it cannot mention, hide or plant anything. */
export function quotedCommand(body: string): string {
  return `> ${inlineUserText(body.split("\n")[0]!.trimEnd(), 200)}`;
}

type ReplyTarget = Pick<CommandRequest, "repo" | "thread" | "comment" | "now"> & { governance?: Governance };

/**
 * Whether Charter may still answer a command from someone without access to the repository: at most
 * incidents.yml `public.limit` (default 5 per hour) such commands per repository get a reply,
 * counted from GitHub's own list of the repository's recent comments (one request), so the limit
 * holds across restarts and processes. `last`: this is the last one answered in the window.
 */
async function publicReplyAllowed(gh: GitHubClient, req: ReplyTarget): Promise<{ allowed: boolean; last: boolean; per: string }> {
  const { limit } = publicPolicy(req.governance?.incidents);
  const since = req.now.getTime() - limit.perMs;
  const { data } = await gh.request("GET /repos/{owner}/{repo}/issues/comments", { ...req.repo, sort: "created", direction: "desc", since: new Date(since).toISOString(), per_page: 100 });
  const publicCommands = data.filter((c) => Date.parse(c.created_at) >= since && c.user?.type !== "Bot" && !hasRepositoryAccess(c.author_association) && parseCommand(c.body) !== undefined);
  const count = publicCommands.length + (data.some((c) => c.id === req.comment.id) ? 0 : 1);
  return { allowed: count <= limit.max, last: count === limit.max, per: limit.per };
}

async function reply(gh: GitHubClient, identity: CharterIdentity, req: ReplyTarget, text: string): Promise<void> {
  let note = "";
  if (!hasRepositoryAccess(req.comment.association)) {
    const limit = await publicReplyAllowed(gh, req);
    if (!limit.allowed) return; // rate limit on people without access: no more replies in this window
    if (limit.last) note = `\n\n_Charter answers a limited number of commands from people without access to this repository; further ones in the next ${limit.per} get no reply._`;
  }
  // one answer per command comment: its id is the key (a retried job finds the answer it gave)
  await createComment({ gh, repo: req.repo, identity }, req.thread.number, `${quotedCommand(req.comment.body)}\n\n@${req.comment.author} ${text}${note}`, { key: `command/${req.comment.id}/reply` });
}

function appliesHere(spec: CommandSpec, isPullRequest: boolean): boolean {
  return spec.where === "any" || (spec.where === "pull_request") === isPullRequest;
}

/** `/help`: exactly the commands this commenter may run on this thread. */
async function helpText(req: CommandRequest, specs: CommandSpec[]): Promise<string> {
  const lines: string[] = [];
  for (const spec of specs) {
    if (!appliesHere(spec, req.thread.isPullRequest)) continue;
    const auth = await spec.authorize(req);
    if (auth.ok) lines.push(`| \`${spec.usage}\` | ${spec.summary} |`);
  }
  if (lines.length === 0) return "there is no Charter command you may run here. `/help` lists commands by your roles in `governance/roles.yml`.";
  return ["here is what you may run here:", "", "| command | what it does |", "|---|---|", ...lines].join("\n");
}

/** Answers comment commands: authorise against roles.yml, run, react or reply. Edited comments are ignored. */
export function registerCommandDispatcher(app: Probot, deps: CharterDeps, specs: CommandSpec[] = commandSpecs): void {
  // GitHub redelivers a webhook with the same delivery id (after a timeout, or by hand): answer each
  // delivery once. Marked before the first await, so two concurrent copies cannot both run; unmarked
  // when the run fails with an error, so a redelivery retries it. State writes are idempotent on
  // their own (keyed by comment id); this keeps replies single too.
  const answered = new RecentKeys(5_000);
  app.on("issue_comment.created", async (context: Context<"issue_comment.created">) => {
    const { comment, issue, repository, sender } = context.payload;
    if (sender.type === "Bot" || comment.user?.type === "Bot") return;
    const command = parseCommand(comment.body);
    if (!command) return;
    const delivery = `${context.id}:${comment.id}`;
    if (!answered.add(delivery)) {
      context.log.info({ comment: comment.id }, "command delivery already answered (redelivery); ignored");
      return;
    }
    const isPullRequest = Boolean(issue.pull_request);
    const known = specs.find((s) => s.name === command.name);
    const gh = context.octokit as GitHubClient;
    const repo = { owner: repository.owner.login, repo: repository.name };
    const base = {
      repo,
      thread: {
        number: issue.number,
        title: issue.title,
        body: issue.body ?? "",
        labels: (issue.labels ?? []).map((l) => (typeof l === "string" ? l : l.name)),
        assignees: (issue.assignees ?? []).flatMap((a) => (a ? [a.login] : [])),
        state: issue.state === "closed" ? ("closed" as const) : ("open" as const),
        isPullRequest,
        author: issue.user.login,
        authorAssociation: issue.author_association,
        ...(issue.user.type ? { authorType: issue.user.type } : {}),
        url: issue.html_url,
      },
      comment: { id: comment.id, body: comment.body, author: comment.user?.login ?? sender.login, association: comment.author_association, url: comment.html_url, createdAt: new Date(comment.created_at) },
      now: deps.clock.now(),
    };
    if (!known && command.name !== "help") {
      // Other tools use slash commands too: only answer words that look like a typo of ours.
      const suggestion = didYouMean(command.name, [...specs.map((s) => s.name), "help"]);
      if (suggestion) await reply(gh, await deps.identity(), base, `\`/${command.name}\` is not a Charter command; ${suggestion.replace(/`(\w[\w-]*)`/, "`/$1`")} Nothing was changed. \`/help\` lists what you may run.`);
      return;
    }
    if (command.refused) {
      await reply(gh, await deps.identity(), base, `\`/${command.name}\` refused: ${command.refused}. Nothing was changed.`);
      return;
    }
    const snapshot = await governanceFromDefaultBranch(gh, repo, repository.default_branch, deps.governance);
    if (!snapshot.result.ok) {
      const list = snapshot.result.diagnostics.slice(0, 10).map((d) => `- \`${formatDiagnostic(d)}\``).join("\n");
      await reply(gh, await deps.identity(), base, `Charter cannot run \`/${command.name}\`: the governance files on \`${repository.default_branch}\` are invalid, so nothing was changed.\n\n${list}`);
      return;
    }
    const governance = snapshot.result.governance;
    const now = base.now;
    // Roles held by teams: expand them (cached, invalidated by membership events) so their members are authorised.
    const teams = await teamMembers(gh, teamsReferenced(governance, [], Object.keys(governance.roles.roles)), signoffState(deps).teams, now);
    const req: CommandRequest = { ...base, gh, defaultBranch: repository.default_branch, command, governance, snapshot, now, teams, deps, log: context.log };
    const identity = await deps.identity();
    const answer = (text: string) => reply(gh, identity, req, text);
    if (command.name === "help" && !known) {
      await answer(await helpText(req, specs));
      return;
    }
    const spec = known!;
    if (!appliesHere(spec, isPullRequest)) {
      await answer(`\`/${spec.name}\` works on ${spec.where === "issue" ? "issues" : "pull requests"} only; nothing was changed.`);
      return;
    }
    const auth = await spec.authorize(req);
    if (!auth.ok) {
      await answer(`\`/${spec.name}\` refused: ${auth.reason} Nothing was changed.`);
      return;
    }
    try {
      const outcome = await spec.run(req);
      await react(gh, req, outcome.reaction ?? "+1");
      if (outcome.reply) await answer(outcome.reply);
    } catch (error) {
      if (error instanceof CommandRefusal) {
        await answer(`\`/${spec.name}\` refused: ${error.message} Usage: \`${spec.usage}\`.`);
        return;
      }
      answered.delete(delivery);
      if (isUnknownOutcome(error)) {
        // GitHub may have applied part of it: asking the person to run it again could repeat it.
        // The delivery fails instead, and the engine retries it (the same delivery id): every
        // create is keyed and looked for after an unknown outcome, state is recorded by the
        // command's comment id, so the retry finishes the command without repeating anything.
        context.log.warn({ err: error, command: spec.name, comment: comment.id }, "command interrupted by an unknown outcome; the job is retried");
        throw error;
      }
      context.log.error({ err: error, command: spec.name }, "command failed");
      await answer(`Charter could not finish \`/${spec.name}\` because GitHub returned an error (${(error as { status?: number }).status ?? "unknown"}). Run the command again; it is safe to repeat.`);
    }
  });
}
