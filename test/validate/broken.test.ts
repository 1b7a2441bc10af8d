/**
 * Broken governance files: each case starts from the project's own D9 files (governance/), makes
 * one mistake by a textual edit, and asserts every diagnostic the loader reports: file, line,
 * column, message and hint. Expected positions are given as anchors in the edited text (the
 * token the mistake is in), so they stay exact when unrelated lines of governance/ change.
 */
import { describe, expect, it } from "vitest";
import { applyEdits, d9Texts, load, resolveExpected, type Anchor, type Edit, type Expected } from "./support.js";

interface Case {
  name: string;
  edits: Edit[];
  expect: Expected[];
  /** Syntax errors cascade: assert the first diagnostic exactly, and that all are syntax errors in that file. */
  firstOnly?: boolean;
}

/** The start of a line that begins with `text`. */
const lineStart = (text: string): Anchor => ({ text: `\n${text}`, offset: 1 });

const SYNTAX_HINT = "check indentation and quoting around this point";
const PLACEHOLDERS = "severity, time, impact, status, oncall, secondary, backup, next_update, findings, next_steps, duration, root_cause, resolution, follow_up, title, issue, commander, service, url";
const ROLES = "ingestion-owner, on-call-primary, on-call-secondary, on-call, sre-lead, database-owner, product-manager, support-lead, account-manager, anyone, everyone";
const nobodyHolds = (context: string, role: string, verb: string) => ({
  message: `${context} needs \`${role}\` to ${verb}, but nobody holds that role: it can never be satisfied`,
  hint: `give \`${role}\` holders or backups (GitHub logins or org/team) or an \`oncall:\` tier in roles.yml`,
});

const activation = (fields: string) => `entries:
  - id: act-1
    timestamp: 2025-02-03T10:00Z
    action: activate
    actor: oscar-oncall
    reason: Suspected data corruption in workspace acme
${fields}`;

const cases: Case[] = [
  // ── YAML syntax ─────────────────────────────────────────────────────────────────────────────
  {
    name: "YAML syntax error: unclosed quote",
    edits: [{ file: "roles.yml", from: "    title: SRE Lead\n", to: '    title: "SRE Lead\n' }],
    expect: [{ file: "roles.yml", at: { text: '"SRE Lead', offset: 9 }, message: 'YAML syntax error: Missing closing "quote', hint: SYNTAX_HINT }],
  },
  {
    name: "YAML syntax error: unclosed flow sequence",
    edits: [{ file: "roles.yml", from: "    title: SRE Lead\n", to: "    title: [SRE Lead\n" }],
    firstOnly: true,
    expect: [{ file: "roles.yml", at: { text: "[SRE Lead\n    group", offset: 14 }, message: "YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]", hint: SYNTAX_HINT }],
  },
  {
    name: "tab indentation",
    edits: [{ file: "roles.yml", from: "    title: SRE Lead\n", to: "\ttitle: SRE Lead\n" }],
    firstOnly: true,
    expect: [{ file: "roles.yml", at: lineStart("\ttitle: SRE Lead"), message: "YAML syntax error: Tabs are not allowed as indentation", hint: SYNTAX_HINT }],
  },
  {
    name: "duplicate key",
    edits: [{ file: "roles.yml", from: "    holders: [sam-sre]\n", to: "    holders: [sam-sre]\n    holders: [sid-sre]\n" }],
    expect: [{ file: "roles.yml", at: "holders: [sid-sre]", message: "YAML syntax error: Map keys must be unique", hint: SYNTAX_HINT }],
  },
  {
    name: "two YAML documents in one file",
    edits: [{ file: "state/phase.yml", from: "by: ana-owner\n", to: "by: ana-owner\n---\nphase: P4\n" }],
    expect: [{ file: "state/phase.yml", at: lineStart("---"), message: "YAML syntax error: Source contains multiple documents; please use YAML.parseAllDocuments()", hint: SYNTAX_HINT }],
  },
  {
    name: "empty file",
    edits: [{ file: "incidents.yml", set: "" }],
    expect: [{ file: "incidents.yml", at: { line: 1, column: 1 }, message: "governance/incidents.yml is empty", hint: "start with `version: 1`" }],
  },
  {
    name: "missing roles.yml",
    edits: [{ file: "roles.yml", delete: true }],
    expect: [{ file: "roles.yml", at: { line: 1, column: 1 }, message: "governance/roles.yml is missing", hint: "every governance directory needs roles.yml; see docs/governance.md" }],
  },

  // ── Schema ──────────────────────────────────────────────────────────────────────────────────
  {
    name: "unknown key, with did-you-mean",
    edits: [{ file: "roles.yml", from: "    holders: [sam-sre]\n", to: "    holder: [sam-sre]\n" }],
    expect: [{ file: "roles.yml", at: "holder:", message: "unknown key `holder` in `roles.sre-lead`", hint: "did you mean `holders`?" }],
  },
  {
    name: "missing version",
    edits: [{ file: "incidents.yml", from: "version: 1\n", to: "" }],
    expect: [{ file: "incidents.yml", at: lineStart("label:"), message: "the file is missing `version`", hint: "add `version:`: File format version. Always 1" }],
  },
  {
    name: "version: 2",
    edits: [{ file: "authority.yml", from: "version: 1\n", to: "version: 2\n" }],
    expect: [{ file: "authority.yml", at: { text: "version: 2", offset: 9 }, message: "`version`: number 2 is not allowed; expected `1`" }],
  },
  {
    name: "wrong type: a string where a list belongs",
    edits: [{ file: "roles.yml", from: "holders: [sam-sre]", to: "holders: sam-sre" }],
    expect: [{ file: "roles.yml", at: { text: "holders: sam-sre", offset: 9 }, message: '`roles.sre-lead.holders` should be a list, found the text "sam-sre"' }],
  },
  {
    name: "bad duration `15 mins`",
    edits: [{ file: "incidents.yml", from: "    escalation:\n      - { after: 0m, notify: [on-call-primary], note: Primary acks }\n      - { after: 15m", to: "    escalation:\n      - { after: 0m, notify: [on-call-primary], note: Primary acks }\n      - { after: 15 mins" }],
    expect: [{ file: "incidents.yml", at: "15 mins", message: '`severities.P1.escalation.1.after`: the text "15 mins" is not valid: a duration such as 15m, 1h, 1h30m, 24h or 5d' }],
  },
  {
    name: "bad time `9am`",
    edits: [{ file: "oncall.yml", from: '          - name: weekly\n            rotation: weekly\n            handoff: { day: monday, time: "09:00" }\n            start: 2025-01-06\n            participants: [oscar', to: "          - name: weekly\n            rotation: weekly\n            handoff: { day: monday, time: 9am }\n            start: 2025-01-06\n            participants: [oscar" }],
    expect: [{ file: "oncall.yml", at: "9am", message: '`schedules.ingestion.tiers.primary.layers.0.handoff.time`: the text "9am" is not valid: a time of day as HH:MM, 24-hour clock, e.g. 09:00' }],
  },
  {
    name: "invalid login `@bob`",
    edits: [{ file: "roles.yml", from: "holders: [sam-sre]", to: 'holders: ["@bob"]' }],
    expect: [{ file: "roles.yml", at: '"@bob"', message: '`roles.sre-lead.holders.0`: the text "@bob" is not valid: a holder is a GitHub login (alice) or a team (org/team-slug), without @' }],
  },
  {
    name: "misspelt enum value, with did-you-mean",
    edits: [{ file: "oncall.yml", from: "            rotation: weekly\n            handoff: { day: monday, time: \"09:00\" }\n            start: 2025-01-06\n            participants: [ana", to: "            rotation: weakly\n            handoff: { day: monday, time: \"09:00\" }\n            start: 2025-01-06\n            participants: [ana" }],
    expect: [{ file: "oncall.yml", at: "weakly", message: '`schedules.ingestion.tiers.owner.layers.0.rotation`: the text "weakly" is not allowed; expected `daily`, `weekly`, `monthly`', hint: "did you mean `weekly`?" }],
  },
  {
    name: "mistakes in two files are reported together",
    edits: [
      { file: "roles.yml", from: "    holders: [sam-sre]\n", to: "    holder: [sam-sre]\n" },
      { file: "incidents.yml", from: "default_severity: P2", to: "default_severity: [P2]" },
    ],
    expect: [
      { file: "incidents.yml", at: "[P2]", message: "`default_severity` should be text, found a list" },
      { file: "roles.yml", at: "holder:", message: "unknown key `holder` in `roles.sre-lead`", hint: "did you mean `holders`?" },
    ],
  },

  // ── On-call (the on-call checks' own file; included for the time-zone case) ────────────────
  {
    name: "unknown time zone",
    edits: [{ file: "oncall.yml", from: "timezone: Europe/Berlin", to: "timezone: Europe/Berlim" }],
    expect: [{ file: "oncall.yml", at: "Europe/Berlim", message: "unknown time zone `Europe/Berlim` in schedule `ingestion`", hint: "did you mean `Europe/Berlin`?" }],
  },

  // ── References ──────────────────────────────────────────────────────────────────────────────
  {
    name: "misspelt role in a gate",
    edits: [{ file: "authority.yml", from: "require: [ingestion-owner, product-manager, sre-lead]", to: "require: [ingestion-owner, product-manager, sre-leed]" }],
    expect: [{ file: "authority.yml", at: "sre-leed", message: "unknown role `sre-leed` in gate P3 → P4 (require)", hint: "did you mean `sre-lead`?" }],
  },
  {
    name: "unknown role in incident routing, without a close match",
    edits: [{ file: "incidents.yml", from: "\ncommands:", to: "\nrouting:\n  billing: { assign: billing-owner }\n\ncommands:" }],
    expect: [{ file: "incidents.yml", at: "billing-owner", message: "unknown role `billing-owner` in routing billing (assign)", hint: `define \`billing-owner\` in roles.yml, or use one of: ${ROLES}` }],
  },
  {
    name: "unknown on-call tier in roles.yml",
    edits: [{ file: "roles.yml", from: "oncall: ingestion/primary", to: "oncall: ingestion/primery" }],
    expect: [{ file: "roles.yml", at: "ingestion/primery", message: "unknown on-call tier `ingestion/primery` in role on-call-primary (oncall)", hint: "did you mean `ingestion/primary`?" }],
  },
  {
    name: "unknown on-call tier in an escalation step",
    edits: [{ file: "incidents.yml", from: "notify: [on-call-secondary], note: Secondary joins", to: "notify: [ingestion/second], note: Secondary joins" }],
    expect: [{ file: "incidents.yml", at: "ingestion/second", message: "unknown on-call tier `ingestion/second` in severity P1 escalation step 2", hint: "did you mean `ingestion/secondary`?" }],
  },
  {
    name: "tiers referenced without an oncall.yml",
    edits: [{ file: "oncall.yml", delete: true }],
    expect: [
      { file: "roles.yml", at: "ingestion/primary", message: "unknown on-call tier `ingestion/primary` in role on-call-primary (oncall): there is no oncall.yml", hint: "add governance/oncall.yml with schedule `ingestion` and tier `primary`, or name a role instead" },
      { file: "roles.yml", at: "ingestion/secondary", message: "unknown on-call tier `ingestion/secondary` in role on-call-secondary (oncall): there is no oncall.yml", hint: "add governance/oncall.yml with schedule `ingestion` and tier `secondary`, or name a role instead" },
      { file: "roles.yml", at: { text: "ingestion/primary", nth: 2 }, message: "unknown on-call tier `ingestion/primary` in role on-call (oncall): there is no oncall.yml", hint: "add governance/oncall.yml with schedule `ingestion` and tier `primary`, or name a role instead" },
      { file: "roles.yml", at: { text: "ingestion/secondary", nth: 2 }, message: "unknown on-call tier `ingestion/secondary` in role on-call (oncall): there is no oncall.yml", hint: "add governance/oncall.yml with schedule `ingestion` and tier `secondary`, or name a role instead" },
    ],
  },
  {
    name: "unknown RACI activity on a gate",
    edits: [{ file: "authority.yml", from: "activity: ga-sign-off", to: "activity: ga-signoff" }],
    expect: [{ file: "authority.yml", at: "ga-signoff", message: "unknown activity `ga-signoff` in gate P3 → P4", hint: "did you mean `ga-sign-off`?" }],
  },
  {
    name: "a role id that is also an Object property name",
    edits: [{ file: "incidents.yml", from: "default_severity: P2", to: "default_severity: constructor" }],
    expect: [{ file: "incidents.yml", at: "constructor", message: "default_severity `constructor` is not a severity", hint: "use one of: P1, P2, P3" }],
  },

  // ── Requirements nobody can satisfy ─────────────────────────────────────────────────────────
  {
    name: "a role with no holders required by a gate, a resume rule and OWNERS",
    edits: [{ file: "roles.yml", from: "    holders: [sam-sre]\n    backups: [sid-sre]\n", to: "" }],
    expect: [
      { file: "authority.yml", at: { text: "require: [ingestion-owner, product-manager, sre-lead]", offset: 44 }, ...nobodyHolds("gate P3 → P4 (require)", "sre-lead", "sign off") },
      { file: "authority.yml", at: { text: "who: [ingestion-owner, sre-lead, product-manager]", offset: 23 }, ...nobodyHolds('resume rule 1 "Data integrity event" (who)', "sre-lead", "sign the resume") },
      { file: "OWNERS", at: lineStart("/infra/"), ...nobodyHolds("OWNERS rule /infra/", "sre-lead", "sign off changes to these paths") },
      { file: "OWNERS", at: lineStart("/terraform/"), ...nobodyHolds("OWNERS rule /terraform/", "sre-lead", "sign off changes to these paths") },
      { file: "OWNERS", at: lineStart("/.github/workflows/"), ...nobodyHolds("OWNERS rule /.github/workflows/", "sre-lead", "sign off changes to these paths") },
      { file: "OWNERS", at: lineStart("Dockerfile"), ...nobodyHolds("OWNERS rule Dockerfile", "sre-lead", "sign off changes to these paths") },
      { file: "OWNERS", at: lineStart("/governance/ "), ...nobodyHolds("OWNERS rule /governance/", "sre-lead", "sign off changes to these paths") },
    ],
  },

  // ── Phases and gates ────────────────────────────────────────────────────────────────────────
  {
    name: "gate from an unknown phase",
    edits: [{ file: "authority.yml", from: "    - from: P3\n", to: "    - from: P33\n" }],
    expect: [{ file: "authority.yml", at: "P33", message: "gate P33 → P4: `from: P33` is not a phase in phases.order", hint: "did you mean `P3`? phases.order is P0, P1, P2, P3, P4" }],
  },
  {
    name: "current phase (state/phase.yml) not in phases.order",
    edits: [{ file: "state/phase.yml", from: "phase: P3", to: "phase: P7" }],
    expect: [{ file: "state/phase.yml", at: "P7", message: "the current phase `P7` is not a phase in phases.order", hint: "add it to phases.order; phases.order is P0, P1, P2, P3, P4" }],
  },
  {
    name: "duplicate gate for the same from → to",
    edits: [{ file: "authority.yml", from: "{ from: P2, to: P3,", to: "{ from: P1, to: P2," }],
    expect: [{ file: "authority.yml", at: { text: "{ from: P1, to: P2,", nth: 2 }, message: "gate P1 → P2 is defined twice (gates 2 and 3)", hint: "merge them into one gate: which one applies would be ambiguous" }],
  },
  {
    name: "gate from a phase to itself",
    edits: [{ file: "authority.yml", from: "{ from: P2, to: P3,", to: "{ from: P2, to: P2," }],
    expect: [{ file: "authority.yml", at: { text: "{ from: P2, to: P2,", offset: 16 }, message: "gate P2 → P2 goes from a phase to itself", hint: "a gate moves the rollout to another phase: fix `from` or `to`" }],
  },
  {
    name: "veto role not among the required roles",
    edits: [{ file: "authority.yml", from: "{ from: P1, to: P2, require: [ingestion-owner, product-manager], veto: any-approver }", to: "{ from: P1, to: P2, require: [ingestion-owner, product-manager], veto: [support-lead] }" }],
    expect: [{ file: "authority.yml", at: { text: "veto: [support-lead]", offset: 7 }, message: "gate P1 → P2: veto role `support-lead` is not among the roles it requires (ingestion-owner, product-manager)", hint: "only a role that signs the gate can veto it: add `support-lead` to `require` or remove it from `veto`" }],
  },
  {
    name: "confirmation role not among the required roles",
    edits: [{ file: "authority.yml", from: "- { role: sre-lead, text:", to: "- { role: support-lead, text:" }],
    expect: [{ file: "authority.yml", at: "support-lead, text:", message: "gate P3 → P4: confirmation by `support-lead` is not among the roles it requires (ingestion-owner, product-manager, sre-lead)", hint: "add `support-lead` to `require`, or give the confirmation to a required role" }],
  },
  {
    name: "phase listed twice in phases.order",
    edits: [{ file: "authority.yml", from: "order: [P0, P1, P2, P3, P4]", to: "order: [P0, P1, P2, P3, P4, P1]" }],
    expect: [{ file: "authority.yml", at: "P1]", message: "phase `P1` is listed twice in phases.order", hint: "remove one of them (it is also item 2)" }],
  },
  {
    name: "a title for a phase that does not exist",
    edits: [{ file: "authority.yml", from: "titles: { P4: GA }", to: "titles: { P5: GA }" }],
    expect: [{ file: "authority.yml", at: "P5: GA", message: "phases.titles names `P5`, which is not a phase", hint: "add it to phases.order or remove the title; phases.order is P0, P1, P2, P3, P4" }],
  },

  // ── Incidents ───────────────────────────────────────────────────────────────────────────────
  {
    name: "duplicate severity label (ignoring case)",
    edits: [{ file: "incidents.yml", from: 'label: "severity: P2"', to: 'label: "Severity: p1"' }],
    expect: [{ file: "incidents.yml", at: '"Severity: p1"', message: 'severity P2 uses the label "Severity: p1", which is already severity P1\'s label', hint: 'every severity needs its own label (GitHub label names ignore case), e.g. "severity: P2"' }],
  },
  {
    name: "severity label equal to the incident label",
    edits: [{ file: "incidents.yml", from: 'label: "severity: P3"', to: "label: Incident" }],
    expect: [{ file: "incidents.yml", at: "Incident\n", message: 'severity P3 uses the label "Incident", which is already the incident label (label.name)', hint: 'every severity needs its own label (GitHub label names ignore case), e.g. "severity: P3"' }],
  },
  {
    name: "the triage label of public reports is an incident label",
    edits: [{ file: "incidents.yml", from: "templates:\n", to: "public:\n  intake: triage\n  label: { name: Incident }\ntemplates:\n" }],
    expect: [{ file: "incidents.yml", at: "Incident }", message: 'the triage label "Incident" of public reports is already the incident label (label.name)', hint: 'a report is not an incident yet: give it a label of its own, e.g. "incident: unconfirmed"' }],
  },
  {
    name: "unknown default_severity",
    edits: [{ file: "incidents.yml", from: "default_severity: P2", to: "default_severity: P5" }],
    expect: [{ file: "incidents.yml", at: "P5", message: "default_severity `P5` is not a severity", hint: "use one of: P1, P2, P3" }],
  },
  {
    name: "escalation steps out of order",
    edits: [{ file: "incidents.yml", from: "{ after: 30m, notify: [ingestion-owner], note: Ingestion Owner joins }", to: "{ after: 10m, notify: [ingestion-owner], note: Ingestion Owner joins }" }],
    expect: [{ file: "incidents.yml", at: "10m", message: "severity P1: escalation step 3 (after 10m) comes before step 2 (after 15m) in time but after it in the list", hint: "list the steps in order of `after`: the ladder is read top to bottom" }],
  },
  {
    name: "ack_within 0",
    edits: [{ file: "incidents.yml", from: "    ack_within: 15m\n    assign: on-call-primary\n    backup: on-call-secondary\n    escalation:\n      - { after: 0m, notify: [on-call-primary], note: Primary acks }\n    review", to: "    ack_within: 0m\n    assign: on-call-primary\n    backup: on-call-secondary\n    escalation:\n      - { after: 0m, notify: [on-call-primary], note: Primary acks }\n    review" }],
    expect: [{ file: "incidents.yml", at: { text: "ack_within: 0m", offset: 12 }, message: "severity P3 ack_within is 0", hint: "every incident would be overdue the moment it opens; give the time allowed to acknowledge, e.g. 15m" }],
  },
  {
    name: "a severity that pages and assigns nobody",
    edits: [{ file: "incidents.yml", from: "    assign: on-call-primary\n    backup: on-call-secondary\n    escalation:\n      - { after: 0m, notify: [on-call-primary], note: Primary acks }\n    review: { required: false }\n\n", to: "    backup: on-call-secondary\n    escalation: []\n    review: { required: false }\n\n" }],
    expect: [{ file: "incidents.yml", at: "[]\n    review: { required: false }\n\n", message: "severity P3 has no escalation steps and no `assign`: nobody would be paged or assigned", hint: "add a step such as `- { after: 0m, notify: [on-call-primary] }`, or `assign:` a role" }],
  },
  {
    name: "unknown placeholder in a template",
    edits: [{ file: "incidents.yml", from: "Impact: {{impact}}", to: "Impact: {{impakt}}" }],
    expect: [{ file: "incidents.yml", at: { text: "start: |", offset: 7 }, message: "template `start`, line 3 column 9 of the message: unknown placeholder `{{impakt}}`", hint: `did you mean \`impact\`? placeholders are: ${PLACEHOLDERS}` }],
  },
  {
    name: "unbalanced {{ in a template",
    edits: [{ file: "incidents.yml", from: "Findings: {{findings}}", to: "Findings: {{findings}" }],
    expect: [{ file: "incidents.yml", at: { text: "update: |", offset: 8 }, message: "template `update`, line 4 column 11 of the message: `{{` is not closed with `}}` on the same line", hint: "write placeholders as {{name}}, e.g. {{severity}}" }],
  },
  {
    name: "spaces inside a placeholder",
    edits: [{ file: "incidents.yml", from: "Time: {{time}}\n    Impact", to: "Time: {{ time }}\n    Impact" }],
    expect: [{ file: "incidents.yml", at: { text: "start: |", offset: 7 }, message: "template `start`, line 2 column 7 of the message: `{{ time }}` has spaces inside the braces", hint: "write {{time}}" }],
  },

  // ── Kill-switch authority ───────────────────────────────────────────────────────────────────
  {
    name: "activation approval with both within and in_advance",
    edits: [{ file: "authority.yml", from: "approval: { roles: [ingestion-owner], within: 15m }", to: "approval: { roles: [ingestion-owner], within: 15m, in_advance: 1h }" }],
    expect: [{ file: "authority.yml", at: "{ roles: [ingestion-owner], within: 15m, in_advance: 1h }", message: "kill-switch scenario error-rate-10: approval has both `within` (approve after activating) and `in_advance` (approve before activating)", hint: "keep one: `within: 15m` lets the switch be pulled first and approved afterwards; `in_advance: 1h` needs approval before it is pulled" }],
  },
  {
    name: "activation scenario with an unknown severity",
    edits: [{ file: "authority.yml", from: "      severity: P1\n      data_integrity: true", to: "      severity: P0\n      data_integrity: true" }],
    expect: [{ file: "authority.yml", at: "P0\n      data_integrity", message: "kill-switch scenario data-corruption: severity `P0` is not a severity in incidents.yml", hint: "use one of: P1, P2, P3" }],
  },
  {
    name: "resume rule shadowed by earlier rules",
    edits: [{ file: "authority.yml", from: "when: { paused_at_least: 1h }", to: "when: { paused_at_least: 0m }" }],
    expect: [{ file: "authority.yml", at: "{ paused_under: 1h }", message: 'resume rule 4 "< 1 hour pause" can never apply: every pause it covers is matched first by resume rule 1 "Data integrity event" or resume rule 2 "Rollback" or resume rule 3 "> 1 hour pause"', hint: "the first matching rule applies: move this rule above the broader one, or narrow the earlier rule's `when`" }],
  },
  {
    name: "resume rule with paused_under below paused_at_least",
    edits: [{ file: "authority.yml", from: "when: { paused_at_least: 1h }", to: "when: { paused_at_least: 1h, paused_under: 30m }" }],
    expect: [
      { file: "authority.yml", at: "- title: Data integrity event", message: "no resume rule applies to a global pause of 1h or more, not a data-integrity event, without a rollback: nobody could resume such a pause", hint: "end kill_switch.resume with a rule that matches every remaining pause (`when: {}`), or add a rule for this case" },
      { file: "authority.yml", at: "{ paused_at_least: 1h, paused_under: 30m }", message: 'resume rule 3 "> 1 hour pause" can never apply: no pause is both at least 1h and shorter than 30m', hint: "`paused_at_least` must be less than `paused_under`: the rule covers pauses from the first up to the second" },
    ],
  },
  {
    name: "pauses no resume rule covers",
    edits: [{ file: "authority.yml", from: '    - title: "< 1 hour pause"\n      when: { paused_under: 1h }\n      who: [on-call]\n      verify: [Test upload passes]\n', to: "" }],
    expect: [{ file: "authority.yml", at: "- title: Data integrity event", message: "no resume rule applies to a global pause shorter than 1h, not a data-integrity event, without a rollback: nobody could resume such a pause", hint: "end kill_switch.resume with a rule that matches every remaining pause (`when: {}`), or add a rule for this case" }],
  },

  // ── State files ─────────────────────────────────────────────────────────────────────────────
  {
    name: "active kill-switch without since, by and scenario",
    edits: [{ file: "state/killswitch.yml", from: "global: { active: false }", to: "global: { active: true, reason: errors }" }],
    expect: [{ file: "state/killswitch.yml", at: "{ active: true", message: "kill-switch `global` is active but has no `since`, `by`, `scenario`", hint: "an active switch records since (an instant, e.g. 2025-03-10T09:00Z), by (a GitHub login) and scenario (an id from authority.yml kill_switch.activation): resume authority depends on them" }],
  },
  {
    name: "active kill-switch with an unknown scenario",
    edits: [{ file: "state/killswitch.yml", from: "global: { active: false }", to: "global: { active: true, since: 2025-02-03T10:00Z, by: oscar-oncall, scenario: error-rate-30 }" }],
    expect: [{ file: "state/killswitch.yml", at: "error-rate-30", message: "kill-switch `global`: scenario `error-rate-30` is not in authority.yml kill_switch.activation", hint: "use one of: data-corruption, error-rate-20, error-rate-10, planned-maintenance, client-request" }],
  },
  {
    name: "data-integrity activation logged without severity, scope and approval",
    edits: [{ file: "state/log.yml", from: "entries: []\n", to: activation("    scenario: data-corruption\n    notified: [everyone]\n") }],
    expect: [{ file: "state/log.yml", at: "id: act-1", message: "log entry 1 (`act-1`, activate) is missing `severity`, `scope`, `approval`", hint: "authority.yml kill_switch.log_fields requires every activation to record: timestamp, actor, reason, severity, scope, approval, notified" }],
  },
  {
    name: "duplicate log entry ids",
    edits: [{ file: "state/log.yml", from: "entries: []\n", to: "entries:\n  - { id: a1, timestamp: 2025-02-03T10:00Z, action: approve, actor: ana-owner }\n  - { id: a1, timestamp: 2025-02-03T10:05Z, action: approve, actor: ana-owner }\n" }],
    expect: [{ file: "state/log.yml", at: { text: "a1", nth: 2 }, message: "log entry 2 reuses the id `a1` of entry 1", hint: "every entry needs its own id: Charter recognises a retried write by it" }],
  },

  // ── OWNERS ──────────────────────────────────────────────────────────────────────────────────
  {
    name: "OWNERS: e-mail owner",
    edits: [{ file: "OWNERS", from: "*.sql                   database-owner", to: "*.sql                   dora@example.com" }],
    expect: [{ file: "OWNERS", at: "dora@example.com", message: "`dora@example.com` looks like an e-mail address; OWNERS does not accept e-mail owners", hint: "use @login, @org/team or a role id" }],
  },
  {
    name: "OWNERS: negated pattern",
    edits: [{ file: "OWNERS", from: "Dockerfile              sre-lead", to: "!Dockerfile             sre-lead" }],
    expect: [{ file: "OWNERS", at: "!Dockerfile", message: "negated patterns (`!`) are not supported, as in GitHub's CODEOWNERS", hint: "list the paths that should have owners instead" }],
  },
  {
    name: "OWNERS: character range",
    edits: [{ file: "OWNERS", from: "*.sql                   database-owner", to: "*.[sS][qQ][lL]          database-owner" }],
    expect: [{ file: "OWNERS", at: "*.[sS]", message: "character ranges (`[ ]`) are not supported, as in GitHub's CODEOWNERS", hint: "write one line per alternative, or `\\[` for a literal bracket" }],
  },
  {
    name: "OWNERS: unknown role",
    edits: [{ file: "OWNERS", from: "/terraform/             sre-lead", to: "/terraform/             sre-lea" }],
    expect: [{ file: "OWNERS", at: lineStart("/terraform/"), message: "unknown role `sre-lea` in OWNERS rule /terraform/", hint: "did you mean `sre-lead`?" }],
  },
  {
    name: "OWNERS: invalid user",
    edits: [{ file: "OWNERS", from: "Dockerfile              sre-lead", to: "Dockerfile              @bob_smith" }],
    expect: [{ file: "OWNERS", at: "@bob_smith", message: "`@bob_smith` is not a GitHub user or team", hint: "write @login or @org/team-slug" }],
  },

  // ── services.yml ────────────────────────────────────────────────────────────────────────────
  {
    name: "services: owner listed as secondary, unknown tier",
    edits: [{ file: "services.yml", set: "version: 1\nservices:\n  ingest-api:\n    owner: sre-lead\n    secondary: [database-owner, sre-lead]\n    oncall: ingestion/tertiary\n" }],
    expect: [
      { file: "services.yml", at: "sre-lead]", message: "service ingest-api lists its owner `sre-lead` as secondary too", hint: "remove it from `secondary`: the owner already has primary responsibility" },
      { file: "services.yml", at: "ingestion/tertiary", message: "unknown on-call tier `ingestion/tertiary` in service ingest-api (oncall)", hint: "did you mean `ingestion/primary`?" },
    ],
  },
];

describe("broken governance files: exact file:line:column, message and hint", () => {
  const base = d9Texts();

  it("starts from a D9 that is valid", async () => {
    const result = await load(base);
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("has at least 30 distinct cases", () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const files = applyEdits(base, c.edits);
      const result = await load(files);
      expect(result.ok).toBe(false);
      const expected = c.expect.map((e) => resolveExpected(files, e));
      if (c.firstOnly) {
        expect(result.diagnostics[0]).toEqual(expected[0]);
        for (const d of result.diagnostics) {
          expect(d.file).toBe(expected[0]!.file);
          expect(d.message).toMatch(/^YAML syntax error: /);
        }
      } else {
        expect(result.diagnostics).toEqual(expected);
      }
    });
  }

  it("a role nobody holds: every requirement on it is reported, each where it is required", async () => {
    const files = applyEdits(base, [{ file: "roles.yml", from: "    holders: [ana-owner]\n    backups: [ben-owner]\n", to: "    holders: []\n" }]);
    const result = await load(files);
    const where = result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message.split(" needs ")[0]}`);
    const authority = files["authority.yml"]!;
    const at = (text: string, offset = 0, nth = 1) => {
      const { line, column } = resolveExpected(files, { file: "authority.yml", at: { text, offset, nth }, message: "" });
      return `governance/authority.yml:${line}:${column}`;
    };
    expect(authority).toContain("require: [ingestion-owner]");
    expect(where).toEqual([
      `${at("require: [ingestion-owner]", 10)} gate P0 → P1 (require)`,
      `${at("require: [ingestion-owner, product-manager], veto", 10)} gate P1 → P2 (require)`,
      `${at("require: [ingestion-owner, product-manager], veto", 10, 2)} gate P2 → P3 (require)`,
      `${at("require: [ingestion-owner, product-manager, sre-lead]", 10)} gate P3 → P4 (require)`,
      `${at("decide: [on-call, ingestion-owner]", 18)} rollback p1-incident (decide)`,
      `${at("decide: [ingestion-owner]\n      approve", 9)} rollback planned (decide)`,
      `${at("decide: [ingestion-owner, product-manager]", 9)} rollback client-request (decide)`,
      `${at("approval: { roles: [ingestion-owner], within: 15m }", 20)} kill-switch scenario error-rate-10 (approval)`,
      `${at("who: [ingestion-owner]", 6)} kill-switch scenario planned-maintenance (who)`,
      `${at("who: [ingestion-owner]", 6, 2)} kill-switch scenario client-request (who)`,
      `${at("who: [ingestion-owner, sre-lead, product-manager]", 6)} resume rule 1 "Data integrity event" (who)`,
      `${at("who: [ingestion-owner, product-manager]", 6)} resume rule 2 "Rollback" (who)`,
      `${at("who: [ingestion-owner]\n      verify", 6)} resume rule 3 "> 1 hour pause" (who)`,
      `governance/incidents.yml:${resolveExpected(files, { file: "incidents.yml", at: { text: "owner: ingestion-owner", offset: 7 }, message: "" }).line}:${resolveExpected(files, { file: "incidents.yml", at: { text: "owner: ingestion-owner", offset: 7 }, message: "" }).column} severity P1 (review owner)`,
      `governance/OWNERS:${resolveExpected(files, { file: "OWNERS", at: { text: "\n/governance/ ", offset: 1 }, message: "" }).line}:1 OWNERS rule /governance/`,
    ]);
    expect(new Set(result.diagnostics.map((d) => d.hint))).toEqual(new Set(["give `ingestion-owner` holders or backups (GitHub logins or org/team) or an `oncall:` tier in roles.yml"]));
  });
});
