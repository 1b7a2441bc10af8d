import { z } from "zod";
import { Duration, PublicOptIn, RoleId, RoleList, SchemaRef, SchemaVersion, pattern } from "./common.js";
import { PageTargets } from "./incidents.js";

const Id = pattern(/^[a-z0-9][a-z0-9]*(?:-[a-z0-9]+)*$/, "an id is lower-case words joined by dashes");
const PhaseName = pattern(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a phase name such as P0 or beta");

export const Activity = z.strictObject({
  title: z.string().min(1),
  stage: z.string().optional().meta({ description: "Grouping row in the RACI table, e.g. Pre-Launch." }),
  R: RoleList.optional().meta({ description: "Responsible: does the work; assigned." }),
  A: RoleList.optional().meta({ description: "Accountable: signs off." }),
  C: RoleList.optional().meta({ description: "Consulted: asked for review (non-blocking)." }),
  I: RoleList.optional().meta({ description: "Informed: mentioned once." }),
  paths: z.array(z.string()).optional().meta({ description: "A pull request touching these paths (OWNERS glob syntax) is this activity." }),
});
export type Activity = z.infer<typeof Activity>;

export const Veto = z.union([
  z.literal("any-approver").meta({ description: "A change request by any holder of a required role blocks." }),
  z.literal("none"),
  z.array(RoleId).meta({ description: "Only these roles' change requests block." }),
]);

export const Confirmation = z.union([
  z.string(),
  z.strictObject({ role: RoleId.optional(), text: z.string().min(1) }),
]);

/** How long an approval counts, and when missing signers are reminded (a gate's, or the defaults in `signoff`). */
const ValidFor = Duration.meta({
  description: "An approval counts for this long after it was given, e.g. `72h` (elapsed time, weekends and DST changes included); an older one has expired, and the check says when. Default: approvals do not expire.",
});
const RemindAfter = Duration.meta({
  description: "Required signers who have not signed this long after the pull request was opened are reminded once on it, e.g. `24h`; as long again later, the roles' backups (once). Drafts are not reminded.",
});

export const SignoffDefaults = z
  .strictObject({ valid_for: ValidFor.optional(), remind_after: RemindAfter.optional() })
  .meta({ description: "Defaults for every sign-off gate: phase gates, rollbacks, kill-switch resumes and OWNERS lines. A phase gate's own `valid_for` / `remind_after` win." });
export type SignoffDefaults = z.infer<typeof SignoffDefaults>;

export const Gate = z.strictObject({
  from: PhaseName,
  to: PhaseName,
  title: z.string().optional(),
  require: RoleList.min(1).meta({ description: "Roles that must each sign off (approve the head commit)." }),
  veto: Veto.optional().meta({ description: "Whose change request blocks (default: any-approver)." }),
  distinct: z.boolean().optional().meta({ description: "One person satisfies one role (four eyes). Default true." }),
  confirmations: z.array(Confirmation).optional().meta({ description: "Statements a holder of the role (without a role: of a required role) must confirm in the text of their approving review, as `- [x] text`. A tick in the pull request description does not count." }),
  freeze: z.boolean().optional().meta({ description: "Fail while a freezing incident is open or the kill-switch is active." }),
  activity: Id.optional().meta({ description: "RACI activity: review requests for A and C, a mention for I." }),
  valid_for: ValidFor.optional(),
  remind_after: RemindAfter.optional(),
});
export type Gate = z.infer<typeof Gate>;

export const RollbackType = z.strictObject({
  title: z.string().min(1),
  decide: RoleList.min(1).meta({ description: "Decision makers: all must sign (or, if immediate, any one may act)." }),
  approve: RoleList.optional().meta({ description: "Further roles whose approval is required." }),
  immediate: z.boolean().optional().meta({ description: "Takes effect at once on command, no pull request (emergency)." }),
  consult: RoleList.optional(),
  inform: RoleList.optional(),
  inform_when: z.enum(["before", "after"]).optional(),
  activity: Id.optional(),
});
export type RollbackType = z.infer<typeof RollbackType>;

export const Approval = z.union([
  z.literal("none").meta({ description: "Activate first; no approval." }),
  z.strictObject({
    roles: RoleList.min(1),
    within: Duration.optional().meta({ description: "Approval due this long after activation (the activation stands meanwhile)." }),
    in_advance: Duration.optional().meta({ description: "Approval needed before activation, this long in advance: Charter opens a pull request." }),
  }),
]);

export const Notify = z.strictObject({
  roles: RoleList.min(1),
  within: Duration.optional().meta({ description: "Notify within this long after activation (0m = immediately)." }),
  in_advance: Duration.optional().meta({ description: "Notify this long before (planned work)." }),
});

export const ActivationScenario = z.strictObject({
  title: z.string().min(1),
  who: RoleList.min(1).meta({ description: "Who may activate: role ids, or `anyone` (any person with access to the repository)." }),
  public: PublicOptIn.optional().meta({
    description:
      "Opt-in for a public repository: with `who: [anyone]`, people WITHOUT access to the repository may activate this scenario too, at most `max` activations by such people per `per` in the repository (counted from the log). Without it they are refused.",
  }),
  approval: Approval,
  notify: Notify,
  severity: z.string().optional().meta({ description: "Severity recorded in the log for this scenario." }),
  data_integrity: z.boolean().optional().meta({ description: "A data-integrity event: resuming needs the data-integrity authority." }),
});
export type ActivationScenario = z.infer<typeof ActivationScenario>;

export const ResumeRule = z.strictObject({
  title: z.string().min(1),
  when: z
    .strictObject({
      paused_under: Duration.optional(),
      paused_at_least: Duration.optional(),
      data_integrity: z.boolean().optional().meta({ description: "The activation was a data-integrity event." }),
      after_rollback: z.boolean().optional().meta({ description: "A rollback happened while paused." }),
      scope: z.enum(["global", "workspace"]).optional(),
    })
    .meta({ description: "All conditions given must hold; rules are tried in order, the first match applies." }),
  who: RoleList.min(1).meta({ description: "Roles that must each sign (one role alone: its holder may resume directly)." }),
  verify: z.array(z.string()).min(1).meta({ description: "Verification steps that must be confirmed." }),
});
export type ResumeRule = z.infer<typeof ResumeRule>;

export const KillSwitchAction = z.strictObject({
  title: z.string().min(1),
  execute: RoleList.min(1),
  approve: RoleList.optional(),
  notify: RoleList.optional(),
});

export const Decision = z.strictObject({
  title: z.string().min(1),
  authority: RoleList.min(1),
  escalation: RoleList.optional(),
  consult: RoleList.optional(),
});

export const Communication = z.strictObject({
  event: z.string().min(1),
  owner: RoleId,
  approval: RoleList.optional(),
  channel: z.string(),
  timing: z.string().optional(),
  audience: z.enum(["internal", "external"]).optional(),
});

export const BreakGlassStep = z.strictObject({
  after: Duration.meta({ description: "Time after the review's deadline, e.g. `0m`, `4h`." }),
  notify: PageTargets.meta({ description: "Roles or on-call tiers paged on the review issue at this step." }),
  note: z.string().optional().meta({ description: "Words shown with the page." }),
});
export type BreakGlassStep = z.infer<typeof BreakGlassStep>;

export const BreakGlass = z
  .strictObject({
    who: RoleList.min(1).meta({ description: "Roles whose holders may run `/breakglass <reason>` on a pull request: its sign-off gates pass at once, for its head commit." }),
    review: z
      .strictObject({
        roles: RoleList.min(1).meta({ description: "Roles that must each sign the review issue with `/breakglass sign`: a distinct holder each, never the person who broke the glass nor the pull request's author." }),
        within: Duration.meta({ description: "The review is due this long after the break-glass, e.g. `24h`." }),
        escalation: z
          .array(BreakGlassStep)
          .min(1)
          .optional()
          .meta({ description: "Who is paged when the review is overdue: each step once, `after` counted from the deadline. Default: one step at `0m` paging the review roles (holders, or backups where nobody holds a role)." }),
      })
      .meta({ description: "The review after the fact: a review issue the roles sign, escalating when they do not." }),
  })
  .meta({ description: "Break-glass: pass a pull request's sign-off now, review it afterwards (logged in state/log.yml)." });
export type BreakGlass = z.infer<typeof BreakGlass>;

export const Swaps = z
  .strictObject({
    on_behalf: RoleList.optional().meta({
      description:
        "Roles whose holders may ask for a swap or an override of other people's shifts (`/swap`, `/override`) and approve one on behalf of a person involved. Default: nobody; everyone may ask only about their own shifts.",
    }),
    urgent: RoleList.optional().meta({
      description: "Roles whose holders may make an override take effect at once (`/override … urgent <reason>`), approved afterwards by the people involved. Default: nobody.",
    }),
    approve_within: Duration.optional().meta({ description: "An urgent override is to be approved by the people involved within this long (default 24h): the due time is recorded with the override in `governance/state/log.yml`." }),
  })
  .meta({ description: "On-call swaps and overrides as pull requests with the consent of the people involved (docs/swaps.md)." });
export type Swaps = z.infer<typeof Swaps>;

export const AuthorityFile = z
  .strictObject({
    $schema: SchemaRef,
    version: SchemaVersion,
    raci: z
      .strictObject({
        columns: RoleList.optional().meta({ description: "Column order for `charter raci`." }),
        activities: z.record(Id, Activity),
      })
      .optional(),
    phases: z
      .strictObject({
        order: z.array(PhaseName).min(1).meta({ description: "Phases in rollout order, e.g. [P0, P1, P2, P3, P4]." }),
        titles: z.record(PhaseName, z.string()).optional().meta({ description: "Display names, e.g. P4: GA." }),
        allow_skip: z.boolean().optional().meta({ description: "Allow a pull request to skip phases (default false)." }),
        gates: z.array(Gate),
      })
      .optional(),
    rollback: z
      .strictObject({
        form: z.array(z.string()).optional().meta({ description: "Headings the rollback pull request body must fill in." }),
        reasons: z.array(z.string()).optional(),
        types: z.record(Id, RollbackType),
      })
      .optional(),
    kill_switch: z
      .strictObject({
        actions: z.record(Id, KillSwitchAction).optional().meta({ description: "Kill-switch actions (D9 §2.2)." }),
        activation: z.record(Id, ActivationScenario).meta({ description: "Who may activate, by scenario." }),
        log_fields: z
          .array(z.enum(["timestamp", "actor", "reason", "severity", "scope", "approval", "notified", "scenario", "link"]))
          .optional()
          .meta({ description: "Fields every log entry must carry." }),
        resume: z.array(ResumeRule).min(1).meta({ description: "Resume authority, first matching rule applies." }),
      })
      .optional(),
    signoff: SignoffDefaults.optional(),
    break_glass: BreakGlass.optional(),
    swaps: Swaps.optional(),
    decisions: z.record(Id, Decision).optional().meta({ description: "Decision authority summary." }),
    communications: z.array(Communication).optional().meta({ description: "Who communicates what, where, when." }),
  })
  .meta({ title: "Charter authority (governance/authority.yml)" });
export type AuthorityFile = z.infer<typeof AuthorityFile>;
