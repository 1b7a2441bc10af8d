import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { YAML_FILES, type YamlFileName } from "../../src/core/model/files.js";
import { jsonSchemaFor } from "../../src/load/json-schema.js";
import { loadGovernance } from "../../src/load/load.js";
import { directorySource } from "../../src/load/source.js";
import { D9_DIR, ROOT } from "./support.js";

const run = promisify(execFile);

describe("the project's governance/ (D9)", () => {
  it("validates when read from disk", async () => {
    const result = await loadGovernance(directorySource(D9_DIR, "governance"));
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("every YAML file points editors at its own generated JSON Schema", () => {
    const present = (Object.keys(YAML_FILES) as YamlFileName[]).filter((name) => existsSync(join(D9_DIR, name)));
    expect(present.length).toBeGreaterThanOrEqual(7);
    for (const name of present) {
      const first = readFileSync(join(D9_DIR, name), "utf8").split("\n")[0]!;
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(match, `${name} starts with a yaml-language-server line`).not.toBeNull();
      const target = resolve(dirname(join(D9_DIR, name)), match![1]!);
      expect(target, name).toBe(join(ROOT, "schema", YAML_FILES[name].jsonSchema));
      expect(existsSync(target), `${target} exists`).toBe(true);
    }
  });
});

describe("scripts/gen-schema.ts", () => {
  let dir: string;
  const gen = (...args: string[]) =>
    run(process.execPath, ["--import", "tsx", "scripts/gen-schema.ts", ...args], { cwd: ROOT }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "charter-schema-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes one pretty-printed schema per governance file, then --check passes, and fails on any difference", async () => {
    expect((await gen("--dir", dir)).code).toBe(0);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(Object.values(YAML_FILES).map((f) => f.jsonSchema).sort());
    const roles = await readFile(join(dir, "roles.schema.json"), "utf8");
    expect(roles).toBe(JSON.stringify(jsonSchemaFor("roles.yml"), null, 2) + "\n");

    const ok = await gen("--check", "--dir", dir);
    expect(ok).toEqual({ code: 0, stdout: `${dir}/ is up to date (${files.length} files)\n`, stderr: "" });

    await writeFile(join(dir, "roles.schema.json"), roles.replace("\n", "\n "));
    await rm(join(dir, "oncall.schema.json"));
    await writeFile(join(dir, "old.schema.json"), "{}\n");
    const bad = await gen("--check", "--dir", dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr.split("\n").slice(0, 3)).toEqual([
      `${dir}/roles.schema.json differs from the zod schema it is generated from`,
      `${dir}/oncall.schema.json is missing`,
      `${dir}/old.schema.json is not generated from any governance file`,
    ]);
    expect(bad.stderr).toContain("3 schema file(s) out of date: run `npm run schema`");
  }, 60_000);

  it("refuses unknown arguments", async () => {
    const result = await gen("--chek");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("gen-schema: unexpected argument --chek. Usage: gen-schema [--check] [--dir <path>] [--validators <path>]\n");
  }, 60_000);

  it("the validators Charter runs (compiled at build time) are what the JSON Schemas compile to: --check fails on any difference", async () => {
    const checked = await gen("--check");
    expect(checked).toEqual({ code: 0, stdout: "schema/ is up to date (10 files), and src/load/validators.generated.ts\n", stderr: "" });

    const own = await mkdtemp(join(tmpdir(), "charter-validators-"));
    const file = join(own, "validators.generated.ts");
    expect((await gen("--dir", own, "--validators", file)).stdout).toContain(`wrote ${file}\n`);
    const text = await readFile(file, "utf8");
    expect(text).toBe(await readFile(join(ROOT, "src", "load", "validators.generated.ts"), "utf8"));
    expect(text).toContain("export const validateRolesYml = ");
    expect(text).not.toContain("require(");
    await writeFile(file, text.replace('"minLength":1', '"minLength":2'));
    const bad = await gen("--check", "--dir", own, "--validators", file);
    expect(bad.code).toBe(1);
    expect(bad.stderr.split("\n")[0]).toBe(`${file} differs from the JSON Schemas it is compiled from`);
    await rm(own, { recursive: true, force: true });
  }, 60_000);
});
