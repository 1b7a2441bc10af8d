import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The templates `charter init --from <name>` starts a repository from. Each is a governance
 * directory that ships in the package (package.json `files`) and passes `charter validate`
 * (test/cli/init.test.ts); the workflows come from templates/workflows/.
 */
export const TEMPLATES = {
  d9: { governance: "governance", title: "D9: production roles, on-call, incident ladder, kill-switch, phase gates and rollback sign-off (Charter's own worked example)" },
  "seven-person-team": { governance: "examples/seven-person-team/governance", title: "a seven-person team with a RACI matrix, weekly and monthly on-call, P0–P4 (seed 000)" },
  microservices: { governance: "examples/microservices/governance", title: "22 services owned by teams, per-service on-call and SLOs (seed 002)" },
  "deployment-day": { governance: "examples/deployment-day/governance", title: "a deployment day: go/no-go gate, T-30…T+30 stages owned by roles, status updates every 5 minutes (seed 004)" },
  minimal: { governance: "templates/minimal/governance", title: "the smallest useful model: a lead, engineers, one weekly rotation, two severities" },
} as const;

export type TemplateName = keyof typeof TEMPLATES;
export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];
export const DEFAULT_TEMPLATE: TemplateName = "minimal";

/** The package's root: three levels above this file in src/cli/init/ and in dist/cli/init/. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** The workflows init writes, under .github/workflows/. */
export const WORKFLOW_FILES = ["charter.yml", "charter-review-relay.yml", "validate-governance.yml"] as const;

/** Every file of a template's governance directory, by path relative to it ("/" separated). */
export async function readTemplateGovernance(name: TemplateName, root = PACKAGE_ROOT): Promise<Map<string, string>> {
  const base = join(root, TEMPLATES[name].governance);
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.set(relative(base, path).split(sep).join("/"), await readFile(path, "utf8"));
    }
  };
  await walk(base);
  return files;
}

export async function readWorkflowTemplate(file: (typeof WORKFLOW_FILES)[number], root = PACKAGE_ROOT): Promise<string> {
  return readFile(join(root, "templates", "workflows", file), "utf8");
}

const SCHEMA_LINE = /^# yaml-language-server: \$schema=(?:\.\.\/)+schema\/([a-z-]+\.schema\.json)$/m;

/** Where a governance file's editor schema lives once it is in another repository: this release's copy. */
export function schemaUrl(file: string, version: string): string {
  return `https://raw.githubusercontent.com/charter-app/charter/v${version}/schema/${file}`;
}

/**
 * A template file as it is written into a repository: the `$schema` line (relative to Charter's
 * checkout in the template) points at this release's published schema instead.
 */
export function adaptTemplateFile(text: string, version: string): string {
  return text.replace(SCHEMA_LINE, (_, file: string) => `# yaml-language-server: $schema=${schemaUrl(file, version)}`);
}

/** `{{version}}` in a workflow template. */
export function fillWorkflow(text: string, version: string): string {
  return text.replaceAll("{{version}}", version);
}
