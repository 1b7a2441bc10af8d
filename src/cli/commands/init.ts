import { lstat, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { loadGovernance } from "../../load/load.js";
import { memorySource } from "../../load/source.js";
import { formatDiagnostic } from "../../load/diagnostic.js";
import { parseArgs } from "../args.js";
import type { CliCommand, CliIO } from "../command.js";
import { UsageError } from "../command.js";
import { labelFor } from "../governance-dir.js";
import { charterVersion } from "../version.js";
import { planInit, type InitFile } from "../init/plan.js";
import { DEFAULT_TEMPLATE, readTemplateGovernance, readWorkflowTemplate, TEMPLATE_NAMES, TEMPLATES, WORKFLOW_FILES, type TemplateName } from "../init/templates.js";

const usage = `Usage: charter init [--from <template>] [dir]

Start a repository's operating model: writes governance/ from a template, the incident issue form
(.github/ISSUE_TEMPLATE/incident.yml, one option per severity), and the workflows
(.github/workflows/charter.yml and charter-review-relay.yml, which run the Charter action, and
validate-governance.yml). Never overwrites: when any of these files exists it names them and
writes nothing. Then prints the next steps.

  --from <template>   ${TEMPLATE_NAMES.join(" | ")} (default: ${DEFAULT_TEMPLATE})
${TEMPLATE_NAMES.map((n) => `                        ${n}: ${TEMPLATES[n].title}`).join("\n")}
  dir                 the repository's root directory (default: the current directory)

Next: docs/getting-started.md#1-write-your-governance-files.

Exit status: 0 written, 1 a file exists already (nothing written) or a write failed, 2 usage error.`;

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}

function nextSteps(label: string, template: TemplateName): string[] {
  const cd = label === "." ? "" : `cd ${label} && `;
  return [
    "",
    "Next steps (docs/getting-started.md):",
    `  1. Put your people into governance/roles.yml and oncall.yml: the logins are placeholders${template === "d9" ? " (D9's)" : ""}.`,
    "     Then adjust incidents.yml, OWNERS and the rest to your rules (docs/governance.md).",
    `  2. Check them, after every change: ${cd}npx charter validate`,
    "     and see who would be paged or must sign: npx charter explain role <id>, npx charter oncall.",
    "  3. Create the Charter GitHub App from Charter's app.yml and install it on this repository;",
    "     create the environment `charter` (deployment branches: the default branch only) with the",
    "     variable CHARTER_APP_ID and the secret CHARTER_APP_PRIVATE_KEY",
    "     (docs/getting-started.md#2-register-the-charter-github-app).",
    "  4. If the default branch is not `main`, change `branches:` in .github/workflows/charter.yml.",
    "  5. Commit and push, then protect the default branch: require `Charter sign-off` from the",
    "     Charter app and `charter validate`, and let the app bypass the rule for governance/state/",
    "     (docs/getting-started.md#4-protect-the-default-branch).",
    "  6. Smoke test: open an issue from the Incident form (docs/getting-started.md#5-smoke-test).",
  ];
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { positional, values } = parseArgs(args, { values: ["from"] });
  if (positional.length > 1) throw new UsageError(`expected at most one directory, got ${positional.length} arguments: ${positional.join(" ")}`);
  const from = values.from ?? DEFAULT_TEMPLATE;
  if (!(TEMPLATE_NAMES as string[]).includes(from)) throw new UsageError(`unknown template \`${from}\`; templates: ${TEMPLATE_NAMES.join(", ")}`);
  const template = from as TemplateName;
  const root = resolve(io.cwd, positional[0] ?? ".");
  const label = labelFor(io.cwd, root);
  const version = charterVersion();

  const governanceFiles = await readTemplateGovernance(template);
  const loaded = await loadGovernance(memorySource(Object.fromEntries(governanceFiles), "governance"));
  if (!loaded.ok) {
    // A shipped template that does not validate is Charter's bug, never the user's.
    io.err(`charter init: the ${template} template does not validate (a bug in Charter ${version}; please report it):`);
    for (const d of loaded.diagnostics) io.err(formatDiagnostic(d));
    return 1;
  }
  const workflows = new Map(await Promise.all(WORKFLOW_FILES.map(async (f) => [f, await readWorkflowTemplate(f)] as const)));
  const files: InitFile[] = planInit({ governanceFiles, governance: loaded.governance, workflows, version });

  const taken: string[] = [];
  for (const f of files) if (await exists(join(root, f.path))) taken.push(f.path);
  // governance/ itself, even empty or a file, means someone started already: never mix two models
  if (taken.length === 0 && (await exists(join(root, "governance")))) taken.push("governance/");
  if (taken.length > 0) {
    io.err(`charter init: nothing written: ${taken.length === 1 ? "this file exists" : "these files exist"} in ${label === "." ? "this directory" : label}:`);
    for (const path of taken) io.err(`  ${path}`);
    io.err("Move or delete them first, or init into another directory (`charter init --from <template> <dir>`).");
    return 1;
  }

  const written: string[] = [];
  try {
    for (const f of files) {
      const path = join(root, f.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, f.text, { flag: "wx" }); // exclusive: never replaces a file that appeared meanwhile
      written.push(path);
    }
  } catch (error) {
    for (const path of written) await rm(path, { force: true });
    io.err(`charter init: could not write ${label}: ${(error as Error).message}. Nothing was left behind.`);
    return 1;
  }
  io.out(`Charter ${version}: wrote ${files.length} files into ${label === "." ? "this directory" : `${label}/`} from the ${template} template (${TEMPLATES[template].title}):`);
  for (const f of files) io.out(`  ${f.path}`);
  for (const line of nextSteps(label, template)) io.out(line);
  return 0;
}

export const initCommand: CliCommand = {
  name: "init",
  summary: "Start a repository: governance/ from a template, the incident form and the workflows",
  usage,
  run,
};
