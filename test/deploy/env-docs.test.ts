/**
 * The environment variables Charter's server and Actions entry point read are the ones
 * .env.example, docs/deploy.md and docs/actions.md document (no drift either way).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../e2e/support/build.js";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Variables named as `env.X`, `process.env.X` or `env["X"]` in the app (the CLI has its own docs). */
function readVariables(prefix: RegExp, files: string[]): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\[\s*"([A-Z][A-Z0-9_]*)"\s*\])/g)) {
      const name = m[1] ?? m[2]!;
      if (prefix.test(name)) found.add(name);
    }
    for (const m of text.matchAll(/"((?:CHARTER|GITHUB)_[A-Z0-9_]+)"/g)) if (prefix.test(m[1]!)) found.add(m[1]!);
  }
  return found;
}

const read = (p: string) => readFileSync(join(ROOT, p), "utf8");
const appFiles = sources(join(ROOT, "src")).filter((f) => !relative(ROOT, f).startsWith("src/cli/"));

describe("documented environment", () => {
  it("every CHARTER_* variable the app reads is in .env.example and docs/deploy.md", () => {
    const vars = readVariables(/^CHARTER_/, appFiles);
    expect([...vars].sort()).toEqual(expect.arrayContaining(["CHARTER_CLOCK_FILE", "CHARTER_DEMO", "CHARTER_SWEEP_INTERVAL_SECONDS"]));
    const envExample = read(".env.example");
    const deploy = read("docs/deploy.md");
    for (const v of vars) {
      expect(envExample, `${v} missing from .env.example`).toContain(v);
      expect(deploy, `${v} missing from docs/deploy.md`).toContain(`\`${v}\``);
    }
  });

  it("every CHARTER_* variable documented for the server is one the app reads", () => {
    const vars = readVariables(/^CHARTER_/, appFiles);
    const documented = new Set([...read(".env.example").matchAll(/\b(CHARTER_[A-Z0-9_]+)=/g)].map((m) => m[1]!));
    for (const v of documented) expect(vars.has(v), `${v} is documented but never read`).toBe(true);
  });

  it("every GITHUB_* variable the Actions entry point reads is in docs/actions.md", () => {
    const vars = readVariables(/^GITHUB_/, sources(join(ROOT, "src", "actions")));
    expect([...vars]).toEqual(expect.arrayContaining(["GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_REPOSITORY", "GITHUB_TOKEN", "GITHUB_API_URL"]));
    const actions = read("docs/actions.md");
    for (const v of vars) expect(actions, `${v} missing from docs/actions.md`).toContain(v);
  });
});
