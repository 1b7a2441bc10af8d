/** `charter report`'s command line: clear refusals for bad input, before anything is read; never a stack trace. */
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/command.js";

async function run(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), env, cwd: process.cwd() };
  const code = await main(["report", ...args], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const first = (s: string) => s.split("\n")[0];

describe("charter report: usage errors", () => {
  it.each([
    [["--json", "--csv"], "charter report: choose one output format, got --json and --csv"],
    [["--since", "yesterday"], "charter report: --since `yesterday` is not an instant (2025-06-02T10:00Z), a date (2025-06-02) or a duration (24h, 7d)"],
    [["--until", "soon"], "charter report: --until `soon` is not an instant (2025-06-02T10:00Z), a date (2025-06-02) or a duration (24h, 7d)"],
    [["--since", "2025-06-09", "--until", "2025-06-02"], "charter report: the period is empty: --since 2025-06-09T00:00:00.000Z is not before --until 2025-06-02T00:00:00.000Z"],
    [["--working-hours", "9 to 5"], "charter report: --working-hours: working hours are days and a time range, e.g. `Mon-Fri 09:00-18:00` or `mon,tue,thu 08:00-16:30`"],
    [["--repo", "not a repo"], "charter report: --repo must be owner/name, got `not a repo`"],
    [[], "charter report: say which repository: --repo owner/name (or GITHUB_REPOSITORY)"],
    [["--bogus"], "charter report: unknown option --bogus"],
  ])("%j is refused with a clear message and the usage, exit 2", async (args, message) => {
    const r = await run({}, ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(first(r.err)).toBe(message);
    expect(r.err).toContain("Usage: charter report");
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("without credentials: says which to set, exit 2", async () => {
    const r = await run({}, "--repo", "acme/ingestion", "--dir", "governance");
    expect(r.code).toBe(2);
    expect(first(r.err)).toBe("charter report: no credentials: set APP_ID and PRIVATE_KEY (the GitHub App), or GITHUB_TOKEN");
  });

  it("without a governance directory: the same message as every command, exit 1", async () => {
    const r = await run({ GITHUB_TOKEN: "t" }, "--repo", "acme/ingestion", "--dir", "no/such/dir");
    expect(r.code).toBe(1);
    expect(r.err).toContain("charter report: no/such/dir/ does not exist");
  });
});
