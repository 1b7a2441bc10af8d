import { z } from "zod";
import { Instant, Login, SchemaRef, SchemaVersion, pattern } from "./common.js";

const PhaseName = pattern(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a phase name such as P0 or beta");

/** governance/state/phase.yml: where the rollout is now. Written by merged gate pull requests. */
export const PhaseStateFile = z
  .strictObject({
    $schema: SchemaRef,
    version: SchemaVersion,
    phase: PhaseName.meta({ description: "The current phase, one of authority.yml phases.order." }),
    since: Instant.optional(),
    by: Login.optional(),
    link: z.string().optional().meta({ description: "The pull request or comment that made the change." }),
  })
  .meta({ title: "Charter current phase (governance/state/phase.yml)" });
export type PhaseStateFile = z.infer<typeof PhaseStateFile>;

/** `global` or `workspace:<name>`. */
export const Scope = pattern(/^(?:global|workspace:[A-Za-z0-9][A-Za-z0-9_.-]*)$/, "a scope is `global` or `workspace:<name>`")
  .meta({ description: "`global` or `workspace:<name>`." });

export const ApprovalState = z.strictObject({
  status: z.enum(["not-required", "pending", "approved", "rejected", "overdue"]),
  roles: z.array(z.string()).optional(),
  due: Instant.optional(),
  by: Login.optional(),
  at: Instant.optional(),
});
export type ApprovalState = z.infer<typeof ApprovalState>;

export const Switch = z.strictObject({
  active: z.boolean(),
  since: Instant.optional(),
  by: Login.optional(),
  scenario: z.string().optional(),
  reason: z.string().optional(),
  severity: z.string().optional(),
  approval: ApprovalState.optional(),
  notified: z.array(z.string()).optional(),
  rolled_back: z.boolean().optional().meta({ description: "A rollback happened while this switch was active." }),
  link: z.string().optional(),
});
export type Switch = z.infer<typeof Switch>;

/** governance/state/killswitch.yml: which kill-switches are active. Services read this file. */
export const KillSwitchStateFile = z
  .strictObject({
    $schema: SchemaRef,
    version: SchemaVersion,
    switches: z.record(Scope, Switch).meta({ description: "Kill-switches by scope." }),
  })
  .meta({ title: "Charter kill-switch state (governance/state/killswitch.yml)" });
export type KillSwitchStateFile = z.infer<typeof KillSwitchStateFile>;

/** Who made a log entry: a GitHub login, or an app (`charter[bot]`) for entries Charter makes on its own (an overdue approval). */
export const Actor = pattern(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?$/, "a GitHub login without @, or an app such as charter[bot]")
  .meta({ description: "A GitHub login without @, or an app's bot login such as `charter[bot]`." });

export const LogEntry = z.strictObject({
  id: z.string().min(1).meta({ description: "Unique id, so a retried write never adds an entry twice." }),
  timestamp: Instant,
  action: z.enum([
    "activate",
    "approve",
    "reject",
    "approval-overdue",
    "resume",
    "rollback",
    "advance",
    "resume-requested",
    "rollback-requested",
    "advance-requested",
    "breakglass",
    "breakglass-signed",
    "breakglass-escalated",
    "oncall-override",
    "oncall-override-approved",
    "oncall-override-overdue",
  ]),
  actor: Actor,
  reason: z.string().optional(),
  severity: z.string().optional(),
  scope: Scope.optional(),
  scenario: z.string().optional(),
  approval: z.string().optional(),
  notified: z.array(z.string()).optional(),
  from_phase: z.string().optional(),
  to_phase: z.string().optional(),
  rollback_type: z.string().optional(),
  verified: z.array(z.string()).optional(),
  link: z.string().optional().meta({ description: "The issue, pull request or comment that caused it." }),
  access: z
    .literal("public")
    .optional()
    .meta({ description: "`public`: the actor had no access to the repository and acted under a scenario's `public` opt-in (these entries count towards its rate limit)." }),
  pull_request: z.number().int().min(1).optional().meta({ description: "`breakglass`: the pull request whose sign-off gates it passed." }),
  head: pattern(/^[0-9a-f]{40}$/, "a commit sha: 40 hex digits").optional().meta({ description: "`breakglass`: the head commit it applies to (a later push is not covered)." }),
  issue: z.number().int().min(1).optional().meta({ description: "`breakglass`: the review issue where its reviewers sign. `oncall-override`, `oncall-override-approved`: the issue the urgent override was asked for on." }),
  review_roles: z.array(z.string()).optional().meta({ description: "`breakglass`: the roles that must sign its review (from authority.yml `break_glass.review`, as it was then)." }),
  review_due: Instant.optional().meta({ description: "`breakglass`: when the review is due; after it, the escalation ladder runs. `oncall-override`: when the people involved are to have approved it." }),
  role: z.string().optional().meta({ description: "`breakglass-signed`: the role the actor signed the review as. `oncall-override-approved`: the person involved the approval is for." }),
  ref: z.string().optional().meta({ description: "`breakglass-signed`, `breakglass-escalated`: the id of the `breakglass` entry this one follows up." }),
  step: z.number().int().min(1).optional().meta({ description: "`breakglass-escalated`: the step of the escalation ladder (1-based)." }),
  seq: z.number().int().min(1).optional().meta({ description: "The entry's position in the log (1-based): part of the hash chain (docs/killswitch.md, \"The log's hash chain\")." }),
  prev: pattern(/^sha256:[0-9a-f]{64}$/, "sha256: and 64 hex digits")
    .optional()
    .meta({ description: "The hash of the previous entry and everything before it (sha256). Once one entry carries it, every later entry must." }),
});
export type LogEntry = z.infer<typeof LogEntry>;

/** governance/state/log.yml: append-only history; git history is the audit trail of the file itself. */
export const LogFile = z
  .strictObject({ $schema: SchemaRef, version: SchemaVersion, entries: z.array(LogEntry) })
  .meta({ title: "Charter activation log (governance/state/log.yml)" });
export type LogFile = z.infer<typeof LogFile>;
