import { planPage } from "../../core/incidents/page.js";
import type { Governance } from "../../core/model/governance.js";
import type { TeamMembers } from "../../core/roles/resolve.js";
import type { GitHubClient, RepoRef } from "../client.js";
import type { CharterIdentity } from "../identity.js";
import { createComment } from "../writes/create.js";
import { addAssignees } from "./store.js";

export interface PageRolesOptions {
  /** The model to resolve roles and tiers with (from the default branch). */
  governance: Governance;
  /** The instant whose holders are paged (the injected clock's now). */
  at: Date;
  /** Also assign the people paged to the issue or pull request (default true). */
  assign?: boolean;
  /** Its current assignees, when known: only new people are added. */
  assignees?: readonly string[];
  teams?: TeamMembers;
  /** Markdown added below the page line (a deadline, a link). */
  details?: string;
  /** A hidden marker appended to the comment, e.g. `<!-- charter:deadline {...} -->`, so the caller can find its pages later. */
  marker?: string;
  /** Charter's identity and the page's idempotency key (the decision: what is paged, for which step): a page is posted once. */
  identity: CharterIdentity;
  key: string;
}

export interface PageRolesResult {
  commentId: number;
  body: string;
  /** Logins mentioned. */
  people: string[];
  /** Logins newly assigned. */
  assigned: string[];
  /** Targets that nobody holds at that instant. */
  nobody: string[];
}

/**
 * Page roles or on-call tiers on an issue or pull request: one comment mentioning whoever holds
 * each target at `options.at` (holders; backups when a role has no holder; `org/team` holders as
 * team mentions), then assign them. This is what an incident's ladder does at each step; the
 * kill-switch uses it for approval deadlines.
 *
 *   await pageRoles(gh, repo, 42, ["ingestion-owner", "sre-lead"], "Approval overdue (15m)", { governance, at: clock.now() });
 *
 * Two requests at most (the comment; the assignees when someone new is paged). It does not
 * deduplicate: callers record what they paged (incidents keep it in their state marker).
 */
export async function pageRoles(
  gh: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
  targets: readonly string[],
  reason: string,
  options: PageRolesOptions,
): Promise<PageRolesResult> {
  const plan = planPage(options.governance, targets, reason, options.at, options.teams);
  const body = [plan.body, options.details ? `\n${options.details}` : "", options.marker ? `\n${options.marker}` : ""].join("");
  const created = await createComment({ gh, repo, identity: options.identity }, issueNumber, body, { key: options.key });
  const assigned = options.assign === false ? [] : await addAssignees(gh, repo, issueNumber, plan.people, options.assignees ?? []);
  return { commentId: created.id, body, people: plan.people, assigned, nobody: plan.nobody };
}
