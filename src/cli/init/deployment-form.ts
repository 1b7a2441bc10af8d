import type { DeploymentsFile } from "../../core/model/deployments.js";

/**
 * The deployment issue form (.github/ISSUE_TEMPLATE/deployment.yml) for deployments.yml: the
 * label of the first kind (Charter recognises a deployment by its label), a dropdown of the kinds,
 * the planned start T. Charter reads "### Deployment" and "### Planned start (UTC)" from the body.
 * One form per repository; with several kinds, the label of each kind is added by the kind picked
 * (or by hand), and the dropdown answer decides among labels.
 */
export function renderDeploymentForm(file: DeploymentsFile): string {
  const kinds = Object.entries(file.deployments);
  const first = kinds[0]![1];
  return [
    "# The deployment issue form, written by `charter init` (docs/deployments.md). Charter reads the",
    "# answers from the issue body (\"### Deployment\", \"### Planned start (UTC)\"), so keep those labels.",
    "name: Deployment",
    "description: A deployment day. Charter tracks the go/no-go gate, the stages and their owners, and the status updates.",
    `title: ${JSON.stringify(`[Deployment] ${first.title}`)}`,
    `labels: [${JSON.stringify(first.label)}]`,
    "body:",
    "  - type: markdown",
    "    attributes:",
    "      value: |",
    "        Charter posts the deployment's status comment: the go/no-go gate, the stages with their items and owners.",
    "        Commands, as comments: `/go`, `/no-go <reason>`, `/done <item>`, `/status <text>`,",
    "        `/alert <critical|high|medium> <type>`, `/resolved <n> <status>`, `/all-clear [metrics]`, `/help`.",
    "  - type: dropdown",
    "    id: deployment",
    "    attributes:",
    "      label: Deployment",
    "      options:",
    ...kinds.map(([id, d]) => `        - ${JSON.stringify(`${id} — ${d.title}`)}`),
    "      default: 0",
    "    validations:",
    "      required: true",
    "  - type: input",
    "    id: start",
    "    attributes:",
    "      label: Planned start (UTC)",
    "      description: T, when the deployment starts, e.g. 2025-11-11 05:10 (the stages run from T-30m to T+30m).",
    "      placeholder: 2025-11-11 05:10",
    "    validations:",
    "      required: true",
    "  - type: textarea",
    "    id: plan",
    "    attributes:",
    "      label: What is deployed",
    "      description: Release, change list, links to the plan and the runbook.",
    "    validations:",
    "      required: false",
    "",
  ].join("\n");
}
