import type { Logger } from "probot";
import type { ParsedCommand } from "../../core/commands/parse.js";
import type { Governance } from "../../core/model/governance.js";
import type { TeamMembers } from "../../core/roles/resolve.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import type { GovernanceSnapshot } from "../../github/governance.js";
import type { CharterDeps } from "../deps.js";

/** The issue or pull request a command was written on. */
export interface CommandThread {
  number: number;
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  state: "open" | "closed";
  isPullRequest: boolean;
  author: string;
  url: string;
}

export interface CommandRequest {
  gh: GitHubClient;
  repo: RepoRef;
  defaultBranch: string;
  thread: CommandThread;
  /** `association`: GitHub's `author_association` of the comment (access to the repository; what `anyone` means). */
  comment: { id: number; body: string; author: string; url: string; createdAt: Date; association?: string };
  command: ParsedCommand;
  governance: Governance;
  snapshot: GovernanceSnapshot;
  now: Date;
  /** Members of the `org/team` teams that hold roles, for authorising the commenter. */
  teams: TeamMembers;
  deps: CharterDeps;
  log: Logger;
}

export type Authorization = { ok: true } | { ok: false; reason: string };

export type Reaction = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

/** What the dispatcher shows for an accepted command: a reaction (default +1) and maybe a reply. */
export interface CommandOutcome {
  reaction?: Reaction;
  reply?: string;
}

/** Thrown by a command's run() to refuse with a reason (bad arguments, wrong state). Nothing may have been written. */
export class CommandRefusal extends Error {}

export interface CommandSpec {
  /** The exact command word, e.g. `ack`. */
  name: string;
  where: "issue" | "pull_request" | "any";
  /** One line for /help. */
  summary: string;
  /** e.g. `/severity <level> [reason]`. */
  usage: string;
  /** Whether this commenter may run the command here (checked against roles.yml before run). */
  authorize(req: CommandRequest): Authorization | Promise<Authorization>;
  run(req: CommandRequest): Promise<CommandOutcome>;
}
