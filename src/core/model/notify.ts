import { z } from "zod";
import { SchemaRef, SchemaVersion, pattern } from "./common.js";
import { PageTarget } from "./incidents.js";

/**
 * governance/notify.yml: where Charter's messages go besides GitHub (GitHub is always told: the
 * comment that pages people). Named channels (Slack, Microsoft Teams, email, signed webhooks,
 * PagerDuty), routes by event, severity, service and role, and each role's contacts (D9 §4.4:
 * primary, then backup). Secrets never live here: a channel names the environment variable its
 * webhook URL, routing key or SMTP URL is read from when Charter sends.
 */

/** An environment variable name, e.g. `CHARTER_SLACK_ALERTS_URL`. */
export const EnvName = pattern(/^[A-Z_][A-Z0-9_]*$/, "an environment variable name: capital letters, digits and underscores, e.g. CHARTER_SLACK_ALERTS_URL")
  .meta({ description: "The name of an environment variable of the server (or of the workflow step in GitHub Actions)." });

/** Where a secret is read from when Charter sends: never the secret itself. */
export const SecretRef = z
  .strictObject({ env: EnvName })
  .meta({
    description:
      "A secret read from the server's environment when Charter sends (in GitHub Actions: the step's `env:`, mapped from an Actions secret). The secret itself never lives in the repository.",
  });
export type SecretRef = z.infer<typeof SecretRef>;

export const CHANNEL_KINDS = ["slack", "teams", "email", "webhook", "pagerduty"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** A channel id: lower-case words joined by dashes, e.g. `ingestion-rollout`. */
export const ChannelId = pattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, "a channel id is lower-case words joined by dashes, e.g. alerts-critical")
  .meta({ description: "A channel id from notify.yml `channels` (lower-case, dashes)." });

/** `ops@example.com` */
export const EmailAddress = pattern(/^[^\s@<>]+@[^\s@<>]+$/, "an email address such as oncall@example.com")
  .meta({ description: "An email address." });

/** `ops@example.com` or `Charter <charter@example.com>` */
export const Mailbox = pattern(/^(?:[^<>\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, "an email address, optionally with a name: Charter <charter@example.com>")
  .meta({ description: "An email address, optionally with a display name: `Charter <charter@example.com>`." });

export const PagerDutySeverity = z.enum(["critical", "error", "warning", "info"]);
export type PagerDutySeverity = z.infer<typeof PagerDutySeverity>;

/**
 * One channel. Which keys a kind needs (and which it may not have) is checked across the file by
 * the validator, so a mistake is said in words ("a slack channel needs `url`").
 */
export const Channel = z
  .strictObject({
    kind: z.enum(CHANNEL_KINDS).meta({
      description:
        "`slack` (incoming webhook), `teams` (Microsoft Teams incoming webhook or Workflows webhook), `email` (SMTP), `webhook` (JSON signed per the Standard Webhooks specification) or `pagerduty` (Events API v2).",
    }),
    title: z.string().min(1).optional().meta({ description: "How people call it, e.g. `#alerts-critical` (shown on GitHub). Default: the channel id." }),
    description: z.string().optional(),
    url: SecretRef.optional().meta({ description: "slack, teams, webhook: the environment variable holding the webhook URL." }),
    secret: SecretRef.optional().meta({ description: "webhook: the environment variable holding the signing secret (`whsec_…`, base64), shared with the receiver." }),
    routing_key: SecretRef.optional().meta({ description: "pagerduty: the environment variable holding the Events API v2 integration (routing) key." }),
    smtp: SecretRef.optional().meta({ description: "email: the environment variable holding the SMTP server as a URL, e.g. `smtps://user:password@smtp.example.com:465`." }),
    to: z.array(EmailAddress).min(1).optional().meta({ description: "email: the recipients." }),
    from: Mailbox.optional().meta({ description: "email: the sender, e.g. `Charter <charter@example.com>`." }),
    format: z.enum(["adaptive", "messagecard"]).optional().meta({ description: "teams: `adaptive` (an Adaptive Card, the default; Workflows and incoming webhooks) or `messagecard` (legacy Office 365 connectors)." }),
    severities: z
      .record(z.string(), PagerDutySeverity)
      .optional()
      .meta({ description: "pagerduty: the PagerDuty severity of each incident severity, e.g. `{ P1: critical, P2: error }`. Default: the first severity critical, the second error, the third warning, the rest info." }),
    source: z.string().min(1).optional().meta({ description: "pagerduty: the alert's `source` (default: the repository, `owner/name`)." }),
  })
  .meta({ description: "A place Charter sends messages to, besides GitHub." });
export type Channel = z.infer<typeof Channel>;

/** What happens that a route can send somewhere. */
export const NOTIFY_EVENTS = [
  "incident.start",
  "incident.page",
  "incident.acknowledged",
  "incident.update",
  "incident.resolved",
  "ga.declared",
  "killswitch.activated",
  "killswitch.approved",
  "killswitch.resumed",
  "approval.needed",
  "handoff",
  "deployment.go",
  "deployment.update",
  "deployment.reminder",
  "deployment.issue",
  "deployment.resolved",
  "deployment.all-clear",
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** An event, or every event of a kind (`incident.*`, `killswitch.*`). */
export const EventPattern = z.enum([...NOTIFY_EVENTS, "incident.*", "killswitch.*", "deployment.*"]).meta({
  description:
    "`incident.start` (D9 §7.1 incident start), `incident.page` (a ladder step, repeat, `/escalate`, `/page`), `incident.acknowledged`, `incident.update` (`/update`), `incident.resolved`, `ga.declared`, `killswitch.activated`, `killswitch.approved`, `killswitch.resumed`, `approval.needed`, `handoff`, `deployment.go` (go or no-go signed), `deployment.update` (`/status`), `deployment.reminder` (a missed status update), `deployment.issue` (`/alert`), `deployment.resolved`, `deployment.all-clear`; or every event of a kind: `incident.*`, `killswitch.*`, `deployment.*`.",
});
export type EventPattern = z.infer<typeof EventPattern>;

export const Route = z
  .strictObject({
    events: z.array(EventPattern).min(1).meta({ description: "The events this route sends." }),
    severities: z.array(z.string().min(1)).min(1).optional().meta({ description: "Only incidents of these severities (incidents.yml), e.g. `[P0, P1]`." }),
    services: z
      .array(pattern(/^[a-z0-9][a-z0-9-]*$/, "a service or area name is lower-case words joined by dashes"))
      .min(1)
      .optional()
      .meta({ description: "Only incidents naming this service or area (incidents.yml `routing`, services.yml), e.g. `[security]`." }),
    roles: z.array(PageTarget).min(1).optional().meta({ description: "Only pages to these roles or tiers (`incident.page`)." }),
    to: z.array(ChannelId).min(1).meta({ description: "The channels (ids from `channels`)." }),
    note: z.string().optional().meta({ description: "Why, in words (shown by `charter explain notify`)." }),
  })
  .meta({ description: "Send these events (of these severities, services, roles) to these channels." });
export type Route = z.infer<typeof Route>;

export const Contact = z
  .strictObject({
    primary: z.array(ChannelId).min(1).meta({ description: "Channels a page to this role also goes to." }),
    backup: z.array(ChannelId).min(1).optional().meta({ description: "Channels used when no primary channel could be reached (every attempt failed)." }),
    note: z.string().optional(),
  })
  .meta({ description: "How to reach a role outside GitHub (D9 §4.4): primary contact, then backup." });
export type Contact = z.infer<typeof Contact>;

export const NotifyFile = z
  .strictObject({
    $schema: SchemaRef,
    version: SchemaVersion,
    channels: z.record(ChannelId, Channel).meta({ description: "Channels by id." }),
    routes: z.array(Route).optional().meta({ description: "Which events go to which channels (D9 §7.1, seed 000's #alerts-critical …)." }),
    contacts: z
      .record(z.string(), Contact)
      .optional()
      .meta({ description: "By role id or on-call tier (`schedule/tier`): where a page to it also goes (D9 §4.4)." }),
  })
  .meta({ title: "Charter notification channels (governance/notify.yml)" });
export type NotifyFile = z.infer<typeof NotifyFile>;
