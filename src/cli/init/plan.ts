import type { Governance } from "../../core/model/governance.js";
import { renderDeploymentForm } from "./deployment-form.js";
import { renderIncidentForm } from "./issue-form.js";
import { adaptTemplateFile, fillWorkflow, WORKFLOW_FILES } from "./templates.js";

/** One file `charter init` writes, by path relative to the repository's root ("/" separated). */
export interface InitFile {
  path: string;
  text: string;
}

/**
 * Everything `charter init` writes for a template, in order: the governance directory, the
 * incident issue form (when the template has incidents.yml), the workflows. Pure: the caller reads
 * the template and writes the result.
 */
export function planInit(input: {
  governanceFiles: ReadonlyMap<string, string>;
  governance: Governance;
  workflows: ReadonlyMap<(typeof WORKFLOW_FILES)[number], string>;
  version: string;
}): InitFile[] {
  const files: InitFile[] = [];
  for (const [path, text] of input.governanceFiles) files.push({ path: `governance/${path}`, text: adaptTemplateFile(text, input.version) });
  if (input.governance.incidents) files.push({ path: ".github/ISSUE_TEMPLATE/incident.yml", text: renderIncidentForm(input.governance.incidents) });
  if (input.governance.deployments) files.push({ path: ".github/ISSUE_TEMPLATE/deployment.yml", text: renderDeploymentForm(input.governance.deployments) });
  for (const name of WORKFLOW_FILES) {
    const text = input.workflows.get(name);
    if (text === undefined) throw new Error(`missing workflow template ${name}`);
    files.push({ path: `.github/workflows/${name}`, text: fillWorkflow(text, input.version) });
  }
  return files;
}
