import type { IncidentsFile } from "../../core/model/incidents.js";

/**
 * The incident issue form (.github/ISSUE_TEMPLATE/incident.yml) for a governance directory: one
 * dropdown option per severity of incidents.yml ("P1 — <criteria>"; Charter reads the first word),
 * the default severity preselected, and the fields Charter reads from the body ("### Severity",
 * "### Impact", "### Service or area"). Generated so the options always match the severities.
 */
export function renderIncidentForm(incidents: IncidentsFile): string {
  const ids = Object.keys(incidents.severities);
  const label = incidents.label.name;
  const options = ids.map((id) => `        - ${JSON.stringify(`${id} — ${incidents.severities[id]!.description}`)}`);
  const preselected = incidents.default_severity !== undefined ? ids.indexOf(incidents.default_severity) : -1;
  return [
    "# The incident issue form, written by `charter init` (docs/incidents.md). Charter reads the answers",
    "# from the issue body (\"### Severity\", \"### Impact\", \"### Service or area\"), so keep those labels.",
    "# The severity options are governance/incidents.yml's severities; Charter reads the first word of",
    "# the answer. Add or rename a severity there and here together.",
    "name: Incident",
    "description: Something is broken in production. Charter pages whoever is on call now.",
    "title: \"[Incident] \"",
    `labels: [${JSON.stringify(label)}]`,
    "body:",
    "  - type: markdown",
    "    attributes:",
    "      value: |",
    "        Opening this issue starts the escalation ladder of the severity you pick (`governance/incidents.yml`).",
    "        Charter assigns whoever is on call and posts the incident-start message. Commands, as comments:",
    "        `/ack`, `/update <status> <what you know>`, `/escalate [reason]`, `/severity <level> [reason]`,",
    "        `/commander @login`, `/page <role> [message]`, `/resolve <root cause>`, `/oncall`, `/help`.",
    "  - type: dropdown",
    "    id: severity",
    "    attributes:",
    "      label: Severity",
    "      description: When in doubt, pick the more severe one; `/severity` can change it later.",
    "      options:",
    ...options,
    ...(preselected >= 0 ? [`      default: ${preselected}`] : []),
    "    validations:",
    "      required: true",
    "  - type: textarea",
    "    id: impact",
    "    attributes:",
    "      label: Impact",
    "      description: Who or what is affected, since when. One or two sentences; it goes into the incident-start message.",
    "    validations:",
    "      required: true",
    "  - type: input",
    "    id: service",
    "    attributes:",
    "      label: Service or area",
    "      description: The affected service or area, if you know it (routes the incident when governance/ says so).",
    "    validations:",
    "      required: false",
    "  - type: textarea",
    "    id: details",
    "    attributes:",
    "      label: What you know so far",
    "      description: Alerts, dashboards, error messages, recent deploys.",
    "    validations:",
    "      required: false",
    "",
  ].join("\n");
}
