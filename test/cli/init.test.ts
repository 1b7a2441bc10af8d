/**
 * `charter init [--from <template>] [dir]`: writes governance/, the incident issue form and the
 * workflows; every template then validates; never overwrites (names what exists, writes nothing).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEMPLATE_NAMES, TEMPLATES } from "../../src/cli/init/templates.js";
import { loadGovernance } from "../../src/load/load.js";
import { directorySource } from "../../src/load/source.js";
import { charter, ROOT } from "./support.js";

const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "charter-init-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split("\\").join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

interface Workflow {
  on: Record<string, unknown>;
  permissions: unknown;
  jobs: Record<string, { environment?: string; steps: { uses?: string; run?: string; with?: Record<string, string> }[] }>;
}

describe("charter init --from <template>, then charter validate", () => {
  for (const name of TEMPLATE_NAMES) {
    it(`${name}: writes governance/, the incident form and three workflows; charter validate is clean`, async () => {
      const repo = join(tmp, name);
      const r = await charter(tmp, "init", "--from", name, name);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      const governanceFiles = tree(join(ROOT, TEMPLATES[name].governance)).map((f) => `governance/${f}`);
      const forms = [".github/ISSUE_TEMPLATE/incident.yml", ...(governanceFiles.includes("governance/deployments.yml") ? [".github/ISSUE_TEMPLATE/deployment.yml"] : [])];
      const expected = [...governanceFiles, ...forms, ".github/workflows/charter.yml", ".github/workflows/charter-review-relay.yml", ".github/workflows/validate-governance.yml"].sort();
      expect(tree(repo)).toEqual(expected);
      // what it printed: the files, then the next steps
      expect(r.out.split("\n")[0]).toBe(`Charter ${VERSION}: wrote ${expected.length} files into ${name}/ from the ${name} template (${TEMPLATES[name].title}):`);
      for (const f of expected) expect(r.out).toContain(`\n  ${f}`);
      expect(r.out).toContain(`2. Check them, after every change: cd ${name} && npx charter validate`);

      const validated = await charter(repo, "validate");
      expect(validated.err).toBe("");
      expect(validated.code).toBe(0);
      expect(validated.out).toMatch(/^governance\/ is valid: /);

      // editor schemas point at this release, never at a path only Charter's checkout has
      for (const f of governanceFiles.filter((p) => p.endsWith(".yml"))) {
        const first = readFileSync(join(repo, f), "utf8").split("\n")[0]!;
        if (first.startsWith("# yaml-language-server:")) expect(first).toMatch(new RegExp(`^# yaml-language-server: \\$schema=https://raw\\.githubusercontent\\.com/charter-app/charter/v${VERSION.replace(/\./g, "\\.")}/schema/[a-z-]+\\.schema\\.json$`));
      }

      // the issue form offers exactly the template's severities, the default preselected
      const loaded = await loadGovernance(directorySource(join(repo, "governance"), "governance"));
      if (!loaded.ok) throw new Error("invalid");
      const incidents = loaded.governance.incidents!;
      const form = parse(readFileSync(join(repo, ".github/ISSUE_TEMPLATE/incident.yml"), "utf8")) as { labels: string[]; body: { id?: string; attributes: { label?: string; options?: string[]; default?: number } }[] };
      const severity = form.body.find((b) => b.id === "severity")!;
      expect(severity.attributes.options!.map((o) => o.split(" ")[0])).toEqual(Object.keys(incidents.severities));
      if (incidents.default_severity) expect(severity.attributes.options![severity.attributes.default!]!.split(" ")[0]).toBe(incidents.default_severity);
      expect(form.labels).toEqual([incidents.label.name]);
      expect(form.body.filter((b) => b.attributes.label).map((b) => b.attributes.label)).toEqual(["Severity", "Impact", "Service or area", "What you know so far"]);

      // the Charter workflow runs the action of this release as the app; nothing is checked out
      const wf = parse(readFileSync(join(repo, ".github/workflows/charter.yml"), "utf8")) as Workflow;
      const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
      expect(steps).toEqual([{ name: "Charter, as the Charter GitHub App", uses: `charter-app/charter@v${VERSION}`, with: { "app-id": "${{ vars.CHARTER_APP_ID }}", "private-key": "${{ secrets.CHARTER_APP_PRIVATE_KEY }}", "seal-keys": "${{ secrets.CHARTER_SEAL_KEYS }}" } }]);
      expect(wf.permissions).toEqual({});
      expect(Object.values(wf.jobs).map((j) => j.environment)).toEqual(["charter"]);
      expect(Object.keys(wf.on)).not.toContain("pull_request_review");
      const relay = parse(readFileSync(join(repo, ".github/workflows/charter-review-relay.yml"), "utf8")) as Workflow & { name: string };
      expect(relay.name).toBe("Charter review relay");
      expect(relay.permissions).toEqual({});
      expect(JSON.stringify(relay)).not.toMatch(/secrets\.|vars\.|environment|checkout|\$\{\{/);
      const validate = parse(readFileSync(join(repo, ".github/workflows/validate-governance.yml"), "utf8")) as Workflow;
      expect(Object.values(validate.jobs).flatMap((j) => j.steps).map((s) => s.run).filter(Boolean)).toEqual([`npx --yes charter@${VERSION} validate --dir governance`]);
    });
  }

  it("the workflow's inputs are the action's inputs (action.yml)", () => {
    const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as { inputs: Record<string, unknown> };
    const wf = parse(readFileSync(join(ROOT, "templates/workflows/charter.yml"), "utf8")) as Workflow;
    for (const step of Object.values(wf.jobs).flatMap((j) => j.steps)) for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(input);
  });

  it("the D9 form has the options of this repository's own incident form", () => {
    const own = parse(readFileSync(join(ROOT, ".github/ISSUE_TEMPLATE/incident.yml"), "utf8")) as { body: { id?: string; attributes: { options?: string[] } }[] };
    const written = parse(readFileSync(join(tmp, "d9/.github/ISSUE_TEMPLATE/incident.yml"), "utf8")) as typeof own;
    const options = (f: typeof own) => f.body.find((b) => b.id === "severity")!.attributes.options;
    expect(options(written)).toEqual(options(own));
  });

  it("defaults to the minimal template and the current directory", async () => {
    const repo = join(tmp, "default");
    mkdirSync(repo);
    const r = await charter(repo, "init");
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toBe(`Charter ${VERSION}: wrote 8 files into this directory from the minimal template (${TEMPLATES.minimal.title}):`);
    expect(r.out).toContain("2. Check them, after every change: npx charter validate");
    expect((await charter(repo, "validate")).code).toBe(0);
  });
});

describe("charter init never overwrites", () => {
  it("names every file that exists, writes nothing, exits 1", async () => {
    const repo = join(tmp, "taken");
    mkdirSync(join(repo, ".github/workflows"), { recursive: true });
    writeFileSync(join(repo, ".github/workflows/charter.yml"), "mine\n");
    writeFileSync(join(repo, "README.md"), "# mine\n");
    const before = tree(repo);
    const r = await charter(tmp, "init", "--from", "d9", "taken");
    expect(r).toEqual({
      code: 1,
      out: "",
      err: ["charter init: nothing written: this file exists in taken:", "  .github/workflows/charter.yml", "Move or delete them first, or init into another directory (`charter init --from <template> <dir>`)."].join("\n"),
    });
    expect(tree(repo)).toEqual(before);
    expect(readFileSync(join(repo, ".github/workflows/charter.yml"), "utf8")).toBe("mine\n");
  });

  it("an existing governance/ (even empty) is someone's model: nothing written", async () => {
    const repo = join(tmp, "started");
    mkdirSync(join(repo, "governance"), { recursive: true });
    const r = await charter(tmp, "init", "started");
    expect(r.code).toBe(1);
    expect(r.err).toContain("\n  governance/\n");
    expect(tree(repo)).toEqual([]);
  });

  it("a second init over the first changes nothing", async () => {
    const repo = join(tmp, "twice");
    expect((await charter(tmp, "init", "--from", "minimal", "twice")).code).toBe(0);
    const roles = join(repo, "governance/roles.yml");
    writeFileSync(roles, readFileSync(roles, "utf8").replace("lee-lead", "our-lead"));
    const r = await charter(tmp, "init", "--from", "seven-person-team", "twice");
    expect(r.code).toBe(1);
    expect(r.err.split("\n")).toContain("  governance/roles.yml");
    expect(readFileSync(roles, "utf8")).toContain("our-lead");
  });

  it("an unknown template is a usage error naming the templates", async () => {
    const r = await charter(tmp, "init", "--from", "d10");
    expect(r.code).toBe(2);
    expect(r.err.split("\n")[0]).toBe(`charter init: unknown template \`d10\`; templates: ${TEMPLATE_NAMES.join(", ")}`);
  });
});
