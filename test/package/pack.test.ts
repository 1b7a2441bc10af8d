/**
 * The published package, used the way an adopter uses it: `npm pack`, then `npm install <tarball>`
 * into an empty directory outside this checkout (dependencies from the npm cache or registry, no
 * access to the source tree), then `npx charter …` there. Timed: the figures are printed.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { cleanEnv, emptyDir, exec, packCharter, ROOT, VERSION } from "./support.js";

let work: string;
let project: string;
let files: string[];
const timings: Record<string, number> = {};

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    timings[name] = Math.round(performance.now() - t0);
  }
}

/** `npx --no charter …` in the adopter's directory (--no: never download a package instead). */
async function npxCharter(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return exec("npx", ["--no", "--", "charter", ...args], { cwd: project, env: cleanEnv(), timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, out: stdout, err: stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );
}

/** The same command through its installed bin link, without npx's start-up (about 1 s each). */
async function charterBin(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return exec(join(project, "node_modules", ".bin", "charter"), args, { cwd: project, env: cleanEnv(), timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, out: stdout, err: stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );
}

beforeAll(async () => {
  work = emptyDir("charter-pack-");
  project = emptyDir("charter-adopter-");
  ({ files } = await timed("pack", () => packCharter(work)));
  const tarball = join(work, `charter-${VERSION}.tgz`);
  await timed("install", () => exec("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: project, env: cleanEnv(), timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }));
}, 300_000);

afterAll(() => {
  console.info(`[package] npm pack ${timings.pack} ms, npm install of the tarball ${timings.install} ms, npx charter drill incident ${timings.drill} ms, ${files?.length} files packed`);
  rmSync(work, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

describe("what npm pack ships", () => {
  it("the built CLI and app, the templates, schemas and app.yml: no sources, tests, dev tools or source maps", () => {
    for (const f of ["package.json", "README.md", "CHANGELOG.md", "app.yml", "bin/charter.js", "dist/cli/main.js", "dist/main.js", "dist/app.js", "dist/actions/main.js", "dist/cli/commands/init.js", "schema/roles.schema.json", "templates/workflows/charter.yml", "templates/minimal/governance/roles.yml", "governance/roles.yml", "examples/microservices/governance/roles.yml"]) {
      expect(files).toContain(f);
    }
    const allowed = /^(package\.json|README\.md|CHANGELOG\.md|app\.yml|bin\/charter\.js|dist\/.+\.js|schema\/.+\.json|templates\/.+|governance\/.+|examples\/[^/]+\/governance\/.+)$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files.filter((f) => /^(src|test|scripts|dist\/dev|dist\/demo)\/|\.map$|\.ts$/.test(f))).toEqual([]);
  });

  it("every file under dist/ is built from a source that exists (no leftover of a deleted module)", () => {
    const stale = files.filter((f) => f.startsWith("dist/") && !existsSync(join(ROOT, "src", f.slice("dist/".length).replace(/\.js$/, ".ts"))));
    expect(stale).toEqual([]);
  });

  it("package.json: publishable, semver, a clean prepack build, Node 20, no dev dependency at run time", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown> & { scripts: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.private).toBeUndefined();
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.bin).toEqual({ charter: "bin/charter.js" });
    expect(pkg.scripts.prepack).toMatch(/rmSync\('dist'.*&& npm run build$/);
    expect(pkg.engines).toEqual({ node: ">=20.19" });
    expect(Object.keys(pkg.dependencies)).not.toContain("tsx");
    expect(readFileSync(join(ROOT, "CHANGELOG.md"), "utf8")).toContain(`## ${VERSION} `);
  });
});

describe("installed from the tarball into an empty directory", () => {
  it("has Charter and its run-time dependencies only (no tsx, TypeScript, vitest or esbuild)", () => {
    const modules = readdirSync(join(project, "node_modules"));
    expect(modules).toContain("charter");
    expect(modules).toContain("probot");
    for (const dev of ["tsx", "typescript", "vitest", "esbuild", "nock", "eslint"]) expect(modules).not.toContain(dev);
    expect(existsSync(join(project, "node_modules", "charter", "src"))).toBe(false);
  });

  it("npx charter --version, --help", async () => {
    expect(await npxCharter("--version")).toEqual({ code: 0, out: `${VERSION}\n`, err: "" });
    const help = await charterBin("--help");
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^ {2}init\s+Start a repository/m);
  });

  it("npx charter validate before init: no ./governance, says so, exit 1", async () => {
    const r = await npxCharter("validate");
    expect(r.code).toBe(1);
    expect(r.err).toContain("charter validate: no governance directory here: ./governance does not exist");
    expect(r.out).toBe("");
  });

  it("npx charter init --from d9, then validate, explain and oncall answer from the new files", async () => {
    const init = await timed("init", () => npxCharter("init", "--from", "d9"));
    expect(init.err).toBe("");
    expect(init.code).toBe(0);
    expect(init.out).toContain(".github/workflows/charter.yml");
    expect(readFileSync(join(project, ".github/workflows/charter.yml"), "utf8")).toContain(`uses: charter-app/charter@v${VERSION}`);
    const validate = await timed("validate", () => npxCharter("validate"));
    expect(validate).toMatchObject({ code: 0, err: "" });
    expect(validate.out).toMatch(/^governance\/ is valid: 9 roles, 4 gates, 3 severities/);
    const gate = await charterBin("explain", "gate", "P3", "P4");
    expect(gate.code).toBe(0);
    expect(gate.out).toContain("Must sign: Ingestion Owner, Product Manager and SRE Lead.");
    const oncall = await charterBin("oncall", "--at", "2025-03-31T08:55+02:00");
    expect(oncall.code).toBe(0);
  });

  it("every other template ships too: npx charter init --from <t> <dir>, then validate --dir <dir>, is clean", async () => {
    for (const template of ["seven-person-team", "microservices", "minimal"]) {
      const init = await charterBin("init", "--from", template, template);
      expect([template, init.code, init.err]).toEqual([template, 0, ""]);
      const validate = await charterBin("validate", "--dir", template);
      expect([template, validate.code, validate.err]).toEqual([template, 0, ""]);
      expect(validate.out).toMatch(new RegExp(`^${template}/governance/ is valid: `));
    }
  });

  it("npx charter init refuses a second time and changes nothing", async () => {
    const before = readFileSync(join(project, "governance/roles.yml"), "utf8");
    const again = await charterBin("init", "--from", "minimal");
    expect(again.code).toBe(1);
    expect(again.err).toContain("charter init: nothing written");
    expect(readFileSync(join(project, "governance/roles.yml"), "utf8")).toBe(before);
  });

  it("docs/getting-started.md, step 1, as written: its shell commands run in a new repository", async () => {
    const doc = readFileSync(join(ROOT, "docs/getting-started.md"), "utf8");
    const section = doc.slice(doc.indexOf("## 1. Write your governance files"), doc.indexOf("## 2. "));
    const commands = [...section.matchAll(/^```sh\n([\s\S]*?)^```/gm)].flatMap((m) => m[1]!.split("\n").filter((l) => l.trim() !== ""));
    expect(commands).toEqual(["npm install --save-dev charter", "npx charter init --from d9", "npx charter validate", "npx charter explain gate P3 P4"]);
    // a new repository next to the one above; `npm install --save-dev charter` is what installed
    // the tarball there (the package is not on a registry here), so it is the one line not re-run
    const repo = join(project, "new-repo");
    mkdirSync(repo);
    const outputs: string[] = [];
    for (const line of commands.slice(1)) {
      const { stdout } = await exec("sh", ["-c", line], { cwd: repo, env: cleanEnv(), timeout: 60_000 });
      outputs.push(stdout);
    }
    expect(outputs[0]).toContain("from the d9 template");
    expect(outputs[1]).toMatch(/^governance\/ is valid: /);
    expect(outputs[2]).toContain("Must sign: Ingestion Owner, Product Manager and SRE Lead.");
    expect(existsSync(join(repo, ".github/ISSUE_TEMPLATE/incident.yml"))).toBe(true);
  });

  // ── charter drill ──────────────────────────────────────────────────────────────────────────────
  it("npx charter drill incident P1 --at 2025-03-31T08:55+02:00: the new week's secondary at +15, nothing written", async () => {
    const snapshot = () => readdirSync(join(project, "governance"), { recursive: true }).map(String).sort().map((f) => [f, statSync(join(project, "governance", f)).mtimeMs]);
    const before = snapshot();
    const drill = await timed("drill", () => npxCharter("drill", "incident", "P1", "--at", "2025-03-31T08:55+02:00"));
    expect(drill.err).toBe("");
    expect(drill.code).toBe(0);
    expect(drill.out).toContain("- Assigned: omar-oncall (On-Call Primary), the `assign` of P1.");
    expect(drill.out).toMatch(/^\| \+15m +\| Mon 2025-03-31 09:10 CEST \| 2025-03-31T07:10Z \| step 2 of 4 \(Secondary joins\) +\| olga-oncall \(On-Call Secondary\) +\|$/m);
    const markdown = await charterBin("drill", "incident", "P1", "--at", "2025-03-31T08:55+02:00", "--markdown");
    expect(markdown.out).toContain("```mermaid\ntimeline\n");
    const gate = await charterBin("drill", "gate", "GA", "--at", "2025-03-10T10:00Z");
    expect(gate.out).toMatch(/^\| Ingestion Owner \| ana-owner \| ben-owner \|/m);
    const warnings = await charterBin("drill", "warnings", "--at", "2025-03-31T08:55+02:00");
    expect(warnings).toMatchObject({ code: 0, err: "" });
    expect(warnings.out).toMatch(/^No warnings for governance\/ in the 8 weeks from /);
    expect(snapshot()).toEqual(before);
  });
});
