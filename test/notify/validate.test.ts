/**
 * notify.yml through the real loader, starting from the project's own D9 files (governance/,
 * notify.yml included): secrets are refused where they are written (file:line:column, with the
 * variable to use instead and the advice to rotate), and every cross-file mistake is said in words.
 */
import { describe, expect, it } from "vitest";
import { applyEdits, d9Texts, load, resolveExpected, type Edit, type Expected } from "../validate/support.js";

const ROTATE = "then rotate it: it has been in the repository, where anyone who can read it can use it";
const TEXT_HINT = `name an environment variable in notify.yml instead (\`url: { env: NAME }\`, \`smtp: { env: NAME }\` …) and set it where Charter runs; ${ROTATE}`;

interface Case {
  name: string;
  edits: Edit[];
  expect: Expected[];
}

const SLACK_URL = "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX";

const cases: Case[] = [
  {
    name: "a Slack webhook URL written as the channel's url",
    edits: [{ file: "notify.yml", from: "    url: { env: CHARTER_SLACK_INGESTION_ROLLOUT_URL }\n", to: `    url: ${SLACK_URL}\n` }],
    expect: [
      {
        file: "notify.yml",
        at: SLACK_URL,
        message: "`channels.ingestion-rollout.url` is written in the file: a webhook URL is a secret and never lives in the repository",
        hint: `write \`url: { env: CHARTER_INGESTION_ROLLOUT_URL }\` and set CHARTER_INGESTION_ROLLOUT_URL in the server's environment (in GitHub Actions: an Actions secret mapped in the step's \`env:\`); ${ROTATE}`,
      },
    ],
  },
  {
    name: "a PagerDuty routing key written in the file",
    edits: [{ file: "notify.yml", from: "    routing_key: { env: CHARTER_PAGERDUTY_PRIMARY_KEY }\n", to: "    routing_key: e93facc04764012d7bfb002500d5d1a6\n" }],
    expect: [
      {
        file: "notify.yml",
        at: "e93facc04764012d7bfb002500d5d1a6",
        message: "`channels.pager-primary.routing_key` is written in the file: a PagerDuty routing key is a secret and never lives in the repository",
        hint: `write \`routing_key: { env: CHARTER_PAGER_PRIMARY_ROUTING_KEY }\` and set CHARTER_PAGER_PRIMARY_ROUTING_KEY in the server's environment (in GitHub Actions: an Actions secret mapped in the step's \`env:\`); ${ROTATE}`,
      },
    ],
  },
  {
    name: "an SMTP password as a key of an email channel",
    edits: [{ file: "notify.yml", from: "    to: [pm@example.com]\n", to: "    to: [pm@example.com]\n    password: hunter2\n" }],
    expect: [
      {
        file: "notify.yml",
        at: "password: hunter2",
        message: "`channels.pm-email.password`: secrets never live in the repository",
        hint: `put the SMTP user and password in the SMTP URL held by an environment variable: \`smtp: { env: CHARTER_PM_EMAIL_SMTP_URL }\` (smtps://user:password@host:465); ${ROTATE}`,
      },
    ],
  },
  {
    name: "an SMTP URL with its password as the smtp value",
    edits: [{ file: "notify.yml", from: "    smtp: { env: CHARTER_SMTP_URL }\n  # §4.4", to: "    smtp: smtps://charter:s3cret@smtp.example.com:465\n  # §4.4" }],
    expect: [
      {
        file: "notify.yml",
        at: "smtps://charter",
        message: "`channels.ga-email.smtp` is written in the file: an SMTP server URL (with its password) is a secret and never lives in the repository",
        hint: `write \`smtp: { env: CHARTER_GA_EMAIL_SMTP_URL }\` and set CHARTER_GA_EMAIL_SMTP_URL in the server's environment (in GitHub Actions: an Actions secret mapped in the step's \`env:\`); ${ROTATE}`,
      },
    ],
  },
  {
    name: "a webhook signing secret pasted into a comment of roles.yml",
    edits: [{ file: "roles.yml", from: "  # §1.2 Business roles\n", to: "  # §1.2 Business roles (hook secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw)\n" }],
    expect: [{ file: "roles.yml", at: "whsec_", message: "a webhook signing secret is written in roles.yml: secrets never live in the repository", hint: TEXT_HINT }],
  },
  {
    name: "a Slack webhook URL in a role's contacts",
    edits: [{ file: "roles.yml", from: 'contacts: { primary: "Slack: _______"', to: `contacts: { primary: "Slack: ${SLACK_URL}"` }],
    expect: [{ file: "roles.yml", at: "https://hooks.slack.com", message: "a Slack webhook URL is written in roles.yml: secrets never live in the repository", hint: TEXT_HINT }],
  },
  {
    name: "a URL with a password in a channel's description",
    edits: [{ file: "notify.yml", from: '    title: "#general"\n', to: '    title: "#general"\n    description: relay via smtp://ops:pa55word@relay.example.com\n' }],
    expect: [{ file: "notify.yml", at: "smtp://ops", message: "a URL with a password in it is written in notify.yml: secrets never live in the repository", hint: TEXT_HINT }],
  },
  {
    name: "a webhook channel without its signing secret",
    edits: [{ file: "notify.yml", from: "  general:\n    kind: slack\n", to: "  general:\n    kind: webhook\n" }],
    expect: [
      {
        file: "notify.yml",
        at: { text: "  general:", offset: 2 },
        message: "channel `general` (webhook) is missing `secret`",
        hint: "add `secret: { env: CHARTER_GENERAL_SECRET }`: the environment variable that holds the signing secret (whsec_…) the receiver verifies with",
      },
    ],
  },
  {
    name: "a key of another kind of channel",
    edits: [{ file: "notify.yml", from: '    title: "#general"\n', to: '    title: "#general"\n    routing_key: { env: CHARTER_GENERAL_KEY }\n' }],
    expect: [{ file: "notify.yml", at: "routing_key: { env: CHARTER_GENERAL_KEY }", message: "`routing_key` does not apply to channel `general`, a Slack incoming webhook (`kind: slack`)", hint: "`routing_key` is for `kind: pagerduty`; remove it, or change `kind`" }],
  },
  {
    name: "a route to a channel that does not exist",
    edits: [{ file: "notify.yml", from: "    to: [general, ga-email]\n", to: "    to: [generel, ga-email]\n" }],
    expect: [{ file: "notify.yml", at: "generel", message: "unknown channel `generel` in route 2", hint: "did you mean `general`?" }],
  },
  {
    name: "a route for a severity incidents.yml does not define",
    edits: [{ file: "notify.yml", from: "  - events: [incident.start, incident.update, incident.resolved]\n", to: "  - events: [incident.start, incident.update, incident.resolved]\n    severities: [P0, P1]\n" }],
    expect: [{ file: "notify.yml", at: "P0, P1]", message: "unknown severity `P0` in route 1", hint: "did you mean `P1`?" }],
  },
  {
    name: "a role filter on events other than pages",
    edits: [{ file: "notify.yml", from: "    to: [ingestion-rollout]\n    note: \"§7.1: incident", to: "    roles: [sre-lead]\n    to: [ingestion-rollout]\n    note: \"§7.1: incident" }],
    expect: [
      {
        file: "notify.yml",
        at: "roles: [sre-lead]",
        message: "route 1 filters by role, which only pages have (`incident.page`), but sends `incident.start`, `incident.update`, `incident.resolved`",
        hint: "give the role filter a route of its own with `events: [incident.page]`",
      },
    ],
  },
  {
    name: "contacts of a role that does not exist",
    edits: [{ file: "notify.yml", from: "  sre-lead: { primary:", to: "  sre-leed: { primary:" }],
    expect: [{ file: "notify.yml", at: "sre-leed", message: "unknown role `sre-leed` in contacts", hint: "did you mean `sre-lead`?" }],
  },
  {
    name: "an acknowledgement timeout of 0",
    edits: [{ file: "incidents.yml", from: "    ack_within: 15m\n    assign: on-call-primary\n    backup: on-call-secondary\n    escalation:\n      - { after: 0m, notify: [on-call-primary], note: Primary acks }\n      - { after: 15m", to: "    ack_within: 15m\n    ack_timeout: 0m\n    assign: on-call-primary\n    backup: on-call-secondary\n    escalation:\n      - { after: 0m, notify: [on-call-primary], note: Primary acks }\n      - { after: 15m" }],
    expect: [
      {
        file: "incidents.yml",
        at: { text: "ack_timeout: 0m", offset: 13 },
        message: "severity P1 ack_timeout is 0",
        hint: "every acknowledgement would lapse the moment it is given; give the time an acknowledgement holds without an update, e.g. 30m",
      },
    ],
  },
];

describe("notify.yml: the validator", () => {
  const base = d9Texts();

  it("the project's own D9 notify.yml is valid, and so is seed 000's", async () => {
    expect(base["notify.yml"]).toBeDefined();
    const result = await load(base);
    expect(result.diagnostics).toEqual([]);
    expect(result.governance?.notify?.contacts?.["on-call-secondary"]).toEqual({ primary: ["pager-secondary"], backup: ["phone-oncall"], note: "Pager, then phone" });
  });

  for (const c of cases) {
    it(c.name, async () => {
      const files = applyEdits(base, c.edits);
      const result = await load(files);
      expect(result.ok).toBe(false);
      expect(result.diagnostics).toEqual(c.expect.map((e) => resolveExpected(files, e)));
    });
  }

  it("a literal secret is refused even when the rest of the file is broken too, and nothing of the file is read", async () => {
    const files = applyEdits(base, [
      { file: "notify.yml", from: "    url: { env: CHARTER_SLACK_GENERAL_URL }\n", to: `    url: ${SLACK_URL}\n    colour: red\n` },
    ]);
    const result = await load(files);
    expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      `governance/notify.yml:${resolveExpected(files, { file: "notify.yml", at: SLACK_URL, message: "" }).line}:${resolveExpected(files, { file: "notify.yml", at: SLACK_URL, message: "" }).column} \`channels.general.url\` is written in the file: a webhook URL is a secret and never lives in the repository`,
    ]);
  });
});
