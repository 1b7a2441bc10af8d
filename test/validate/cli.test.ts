import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { applyEdits, d9Texts, positionOf, ROOT } from "./support.js";

function capture(cwd: string, env: Record<string, string | undefined> = {}): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env, cwd };
}

/** What the D9 files define, counted from the YAML directly (not through Charter's loader). */
function d9Summary(): string {
  const texts = d9Texts();
  const y = (name: string) => parse(texts[name]!) as unknown;
  const at = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], v);
  const size = (v: unknown) => (Array.isArray(v) ? v.length : Object.keys(v as object).length);
  const schedules = Object.values(at(y("oncall.yml"), "schedules") as Record<string, unknown>);
  const tiers = schedules.reduce<number>((n, s) => n + size(at(s, "tiers")), 0);
  const owners = texts["OWNERS"]!.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#")).length;
  const authority = y("authority.yml");
  return [
    `${size(at(y("roles.yml"), "roles"))} roles`,
    `${size(at(authority, "phases", "gates"))} gates`,
    `${size(at(y("incidents.yml"), "severities"))} severities`,
    `${schedules.length} schedule${schedules.length === 1 ? "" : "s"} (${tiers} tiers)`,
    `${size(at(authority, "raci", "activities"))} RACI activities`,
    `${size(at(authority, "rollback", "types"))} rollback types`,
    `${size(at(authority, "kill_switch", "activation"))} kill-switch scenarios`,
    `${size(at(authority, "kill_switch", "resume"))} resume rules`,
    `${owners} OWNERS rules`,
  ].join(", ");
}

let tmp: string;
let broken: string;
let brokenFiles: Record<string, string>;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "charter-validate-"));
  broken = join(tmp, "gov");
  brokenFiles = applyEdits(d9Texts(), [
    { file: "authority.yml", from: "require: [ingestion-owner, product-manager, sre-lead]", to: "require: [ingestion-owner, product-manager, sre-leed]" },
    { file: "incidents.yml", from: "default_severity: P2", to: "default_severity: P5" },
  ]);
  for (const [name, text] of Object.entries(brokenFiles)) {
    await mkdir(dirname(join(broken, name)), { recursive: true });
    await writeFile(join(broken, name), text);
  }
  await writeFile(join(tmp, "not-a-dir.yml"), "version: 1\n");
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("charter validate", () => {
  it("valid directory: exit 0 and a one-line summary; `governance` is the default", async () => {
    const io = capture(ROOT);
    expect(await main(["validate"], io)).toBe(0);
    expect(io.stdout).toEqual([`governance/ is valid: ${d9Summary()}`]);
    expect(io.stderr).toEqual([]);

    const explicit = capture(ROOT);
    expect(await main(["validate", "governance"], explicit)).toBe(0);
    expect(explicit.stdout).toEqual(io.stdout);
  });

  it("invalid directory: exit 1, every problem as file:line:column: message (hint), then a count", async () => {
    const io = capture(tmp);
    expect(await main(["validate", "gov"], io)).toBe(1);
    const gate = positionOf(brokenFiles["authority.yml"]!, "sre-leed");
    const severity = positionOf(brokenFiles["incidents.yml"]!, "P5");
    expect(io.stdout).toEqual([
      `gov/authority.yml:${gate.line}:${gate.column}: unknown role \`sre-leed\` in gate P3 → P4 (require) (did you mean \`sre-lead\`?)`,
      `gov/incidents.yml:${severity.line}:${severity.column}: default_severity \`P5\` is not a severity (use one of: P1, P2, P3)`,
      "\ngov/ is not valid: 2 problems in 2 files. Fix them and run `charter validate gov` again.",
    ]);
    expect(io.stderr).toEqual([]);
  });

  it("inside GitHub Actions, also prints ::error annotations", async () => {
    const io = capture(tmp, { GITHUB_ACTIONS: "true" });
    expect(await main(["validate", "gov"], io)).toBe(1);
    const gate = positionOf(brokenFiles["authority.yml"]!, "sre-leed");
    const severity = positionOf(brokenFiles["incidents.yml"]!, "P5");
    expect(io.stdout.filter((l) => l.startsWith("::"))).toEqual([
      `::error file=gov/authority.yml,line=${gate.line},col=${gate.column}::unknown role \`sre-leed\` in gate P3 → P4 (require) (did you mean \`sre-lead\`?)`,
      `::error file=gov/incidents.yml,line=${severity.line},col=${severity.column}::default_severity \`P5\` is not a severity (use one of: P1, P2, P3)`,
    ]);
  });

  it("outside GitHub Actions, prints no annotations", async () => {
    const io = capture(tmp, { GITHUB_ACTIONS: "false" });
    await main(["validate", "gov"], io);
    expect(io.stdout.some((l) => l.startsWith("::"))).toBe(false);
  });

  it("names a directory outside the current one by its absolute path", async () => {
    const io = capture(ROOT);
    expect(await main(["validate", broken], io)).toBe(1);
    expect(io.stdout[0]).toMatch(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/authority\\.yml:\\d+:\\d+: unknown role`));
  });

  it("a missing directory is a clear message, exit 1", async () => {
    const io = capture(tmp);
    expect(await main(["validate", "nowhere"], io)).toBe(1);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toEqual([`charter validate: nowhere/ does not exist (looked for ${join(tmp, "nowhere")}). Name the governance directory with --dir <dir>, e.g. \`charter validate --dir path/to/governance\`.`]);
  });

  it("a file instead of a directory is a clear message, exit 1", async () => {
    const io = capture(tmp);
    expect(await main(["validate", "not-a-dir.yml"], io)).toBe(1);
    expect(io.stderr).toEqual(["charter validate: not-a-dir.yml is a file, not a directory. Name the directory that holds roles.yml, e.g. `charter validate --dir governance`."]);
  });

  it("a directory without roles.yml says so", async () => {
    const empty = join(tmp, "empty");
    await mkdir(empty, { recursive: true });
    const io = capture(tmp);
    expect(await main(["validate", "empty"], io)).toBe(1);
    expect(io.stdout[0]).toBe("empty/roles.yml:1:1: empty/roles.yml is missing (every governance directory needs roles.yml; see docs/governance.md)");
  });

  it("bad usage: exit 2 with the usage text", async () => {
    const io = capture(tmp);
    expect(await main(["validate", "a", "b"], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/^charter validate: expected at most one directory, got 2 arguments: a b\n\nUsage: charter validate \[--dir <dir>\]/);
    const flag = capture(tmp);
    expect(await main(["validate", "--strict"], flag)).toBe(2);
    expect(flag.stderr[0]).toMatch(/^charter validate: unknown option --strict/);
  });

  it("fixtures under test/fixtures/broken/ fail with their one mistake", async () => {
    const io = capture(ROOT);
    expect(await main(["validate", "test/fixtures/broken/tab-indentation"], io)).toBe(1);
    expect(io.stdout).toEqual([
      "test/fixtures/broken/tab-indentation/roles.yml:6:1: YAML syntax error: Tabs are not allowed as indentation (check indentation and quoting around this point)",
      "\ntest/fixtures/broken/tab-indentation/ is not valid: 1 problem in 1 file. Fix it and run `charter validate test/fixtures/broken/tab-indentation` again.",
    ]);
  });

  it("is listed by `charter help`", async () => {
    const io = capture(ROOT);
    expect(await main(["help"], io)).toBe(0);
    expect(io.stdout.some((l) => /^\s+validate\s+Check the governance files/.test(l))).toBe(true);
  });
});

describe("bin/charter.js validate (a real process)", () => {
  const run = promisify(execFile);
  const env = { ...process.env, GITHUB_ACTIONS: "" };

  it("exits 0 for the project's governance/", async () => {
    const { stdout, stderr } = await run(process.execPath, ["bin/charter.js", "validate", "governance"], { cwd: ROOT, env });
    expect(stdout).toBe(`governance/ is valid: ${d9Summary()}\n`);
    expect(stderr).toBe("");
  }, 60_000);

  it("exits 1 with located problems for a broken fixture", async () => {
    const fixture = "test/fixtures/broken/unknown-role-in-gate";
    const failure = await run(process.execPath, ["bin/charter.js", "validate", fixture], { cwd: ROOT, env }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toBe(
      `${fixture}/authority.yml:5:54: unknown role \`sre-leed\` in gate P3 → P4 (require) (did you mean \`sre-lead\`?)\n\n${fixture}/ is not valid: 1 problem in 1 file. Fix it and run \`charter validate ${fixture}\` again.\n`,
    );
    expect(failure?.stderr).toBe("");
  }, 60_000);
});
