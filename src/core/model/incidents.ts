import { z } from "zod";
import { Duration, LabelColor, RoleRef, SchemaRef, SchemaVersion, pattern } from "./common.js";
import { TierRef } from "./roles.js";

/** Whom to page: a role id (`sre-lead`), an on-call tier (`ingestion/secondary`), or `everyone`. */
export const PageTarget = z.union([TierRef, RoleRef]);
export const PageTargets = z.array(PageTarget).min(1);

/** In `remind`: the incident's owner (the commander, else whoever acknowledged, else whoever was assigned at opening). */
export const OWNER = "owner";

export const Backup = PageTarget.meta({
  description:
    "The role or on-call tier named as the backup in the incident-start message ({{secondary}}, {{backup}}). Default: the first target of the ladder that is not the one assigned.",
});

export const Remind = z
  .array(z.union([z.literal(OWNER), PageTarget]))
  .min(1)
  .meta({
    description:
      "Who status-update reminders address: `owner` (the commander, else whoever acknowledged, else whoever was assigned when the incident opened) and/or roles or tiers (their holders when the reminder is due). Default: [owner].",
  });

export const EscalationStep = z.strictObject({
  after: Duration.meta({ description: "Minutes after the incident opened, e.g. 0m, 15m, 1h." }),
  notify: PageTargets.meta({ description: "Roles or on-call tiers paged at this step." }),
  until: z
    .enum(["acknowledged", "resolved"])
    .optional()
    .meta({ description: "The step is skipped once the incident is acknowledged (default) or only once it is resolved." }),
  note: z.string().optional().meta({ description: "Words shown with the page, e.g. `Secondary joins`." }),
  ack: z
    .enum(["any", "all"])
    .optional()
    .meta({
      description:
        "`any` (default): one `/ack` acknowledges the incident. `all`: everyone this step pages must run `/ack`; each acknowledgement is recorded, and until all of them have, the incident is not acknowledged (steps `until: acknowledged` go on).",
    }),
});
export type EscalationStep = z.infer<typeof EscalationStep>;

export const Severity = z.strictObject({
  label: z.string().min(1).meta({ description: "The issue label for this severity, e.g. `severity: P1`." }),
  color: LabelColor.optional(),
  title: z.string().optional().meta({ description: "Short name, e.g. Critical." }),
  description: z.string().meta({ description: "Criteria for this severity." }),
  examples: z.array(z.string()).optional(),
  ack_within: Duration.meta({ description: "Acknowledgement deadline from opening." }),
  ack_timeout: Duration.optional().meta({
    description:
      "An acknowledgement lapses when this long passes without `/update` or `/resolve` (from the `/ack`, then from each `/update`): the incident is not acknowledged any more, whoever acknowledged is paged again, and the ladder goes on (steps skipped because of the acknowledgement are paged). PagerDuty's and GoAlert's acknowledgement timeout.",
  }),
  assign: PageTarget.optional().meta({ description: "Who is assigned when the incident opens (default: the first step's target)." }),
  backup: Backup.optional(),
  escalation: z.array(EscalationStep).meta({ description: "The ladder, in order of `after`." }),
  repeat: z
    .strictObject({
      every: Duration,
      until: z.enum(["acknowledged", "resolved"]).optional(),
      max: z.number().int().min(1).optional().meta({ description: "At most this many repeats." }),
    })
    .optional()
    .meta({ description: "After the last step, page its targets again every N until acknowledged (or resolved)." }),
  updates_every: Duration.optional().meta({ description: "Status update cadence; Charter reminds when it passes without `/update`." }),
  remind: Remind.optional(),
  review: z
    .strictObject({
      required: z.boolean(),
      within: Duration.optional().meta({ description: "The review is due this long after resolution." }),
      owner: RoleRef.optional().meta({ description: "The accountable role the review issue is assigned to." }),
    })
    .optional()
    .meta({ description: "Post-incident review." }),
  freeze: z.boolean().optional().meta({ description: "While such an incident is open, gates marked `freeze` fail." }),
  channel: z.string().optional().meta({ description: "Where people talk about it (documentary), e.g. #alerts-critical." }),
  response: z.string().optional().meta({ description: "Expected response in words (documentary)." }),
});
export type Severity = z.infer<typeof Severity>;

export const Routing = z.strictObject({
  assign: PageTarget.meta({ description: "Who is assigned instead of the severity's default." }),
  backup: Backup.optional().meta({ description: "The backup named in the start message when this route applies (default: the severity's `backup`, else the first ladder target that is not the one assigned)." }),
  notify: z.array(PageTarget).optional().meta({ description: "Who is paged in addition at opening." }),
  description: z.string().optional(),
});

export const Templates = z
  .strictObject({
    start: z.string().meta({ description: "Posted when an incident opens." }),
    update: z.string().meta({ description: "Posted for `/update`." }),
    resolved: z.string().meta({ description: "Posted for `/resolve`." }),
  })
  .meta({ description: "Message templates. Placeholders: {{severity}}, {{time}}, {{impact}}, {{status}}, {{oncall}} …" });
export type Templates = z.infer<typeof Templates>;

export const PublicReports = z
  .strictObject({
    intake: z.enum(["ignore", "triage"]).meta({
      description:
        "`ignore`: a report from someone without access to the repository is not an incident (its incident labels are removed, with a note); `triage`: it is labelled for triage and becomes an incident when a role holder runs `/confirm`.",
    }),
    label: z
      .strictObject({ name: z.string().min(1), color: LabelColor.optional(), description: z.string().optional() })
      .optional()
      .meta({ description: "The triage label of public reports (default `incident: unconfirmed`)." }),
    limit: z
      .strictObject({
        max: z.number().int().min(1).max(100).meta({ description: "At most this many public reports are answered per window." }),
        per: Duration.meta({ description: "The window, e.g. 1h." }),
      })
      .optional()
      .meta({ description: "Rate limit on public reports Charter answers (default 5 per 1h). Beyond it Charter still removes their incident labels, silently." }),
  })
  .meta({
    description:
      "Issues opened by people without access to the repository (on a public repository, anyone can use the incident form). They never page or freeze by themselves; this says whether they are queued for triage.",
  });
export type PublicReports = z.infer<typeof PublicReports>;

export const IncidentsFile = z
  .strictObject({
    $schema: SchemaRef,
    version: SchemaVersion,
    label: z
      .strictObject({ name: z.string().min(1), color: LabelColor.optional(), description: z.string().optional() })
      .meta({ description: "The label that marks an issue as an incident." }),
    default_severity: z.string().optional().meta({ description: "Severity used when an incident has no severity label." }),
    severities: z.record(pattern(/^[A-Za-z0-9][A-Za-z0-9-]*$/, "a severity name is letters, digits and dashes, e.g. P1"), Severity).meta({
      description: "Severities by name (P0, P1, …), most severe first.",
    }),
    routing: z
      .record(pattern(/^[a-z0-9][a-z0-9-]*$/, "a service or area name is lower-case words joined by dashes"), Routing)
      .optional()
      .meta({ description: "Who is assigned when the incident names this service or area (from the issue form)." }),
    commands: z
      .partialRecord(
        z.enum(["ack", "escalate", "severity", "update", "resolve", "reopen", "commander", "page", "confirm"]),
        z.array(z.union([PageTarget, z.literal("assignees")])),
      )
      .optional()
      .meta({
        description:
          "Who may run each incident command: roles, tiers, `everyone` (any role holder), `anyone` (anyone with access to the repository) or `assignees` (people Charter assigned to the incident, never people who assigned themselves). A command not listed may be run by any holder of any role and by those assignees.",
      }),
    public: PublicReports.optional(),
    templates: Templates,
  })
  .meta({ title: "Charter incidents (governance/incidents.yml)" });
export type IncidentsFile = z.infer<typeof IncidentsFile>;
