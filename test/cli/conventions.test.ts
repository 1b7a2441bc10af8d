/**
 * CLI conventions every command follows (docs/cli.md): `--help` everywhere; one way to name the
 * governance directory (`--dir`, or the one positional argument where a command has no other),
 * default ./governance with a clear message when it is missing and never another directory; a
 * directory that holds governance/ is accepted; `charter sweep --at` never acts in the future.
 */
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSweepCommand } from "../../src/cli/commands/sweep.js";
import { commands } from "../../src/cli/commands/index.js";
import { main } from "../../src/cli/main.js";
import { ManualClock } from "../../src/clock.js";
import { capture, charter, ROOT } from "./support.js";

let empty: string;
beforeAll(() => {
  empty = mkdtempSync(join(tmpdir(), "charter-cli-empty-"));
});
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe("--help on every command", () => {
  for (const command of commands) {
    it(`charter ${command.name} --help and -h print its usage, exit 0, and run nothing`, async () => {
      for (const flag of ["--help", "-h"]) {
        // from an empty directory with no credentials: nothing is read, nothing fails
        const r = await charter(empty, command.name, flag);
        expect(r).toEqual({ code: 0, out: command.usage, err: "" });
      }
      const late = await charter(empty, command.name, "--no-such-option", "--help");
      expect(late).toEqual({ code: 0, out: command.usage, err: "" });
      expect((await charter(empty, "help", command.name)).out).toBe(command.usage);
      expect(command.usage).toMatch(new RegExp(`^Usage: charter ${command.name}\\b`));
    });
  }

  it("charter --help lists every command and how to get its help", async () => {
    const r = await charter(empty, "--help");
    expect(r.code).toBe(0);
    for (const c of commands) expect(r.out).toMatch(new RegExp(`^  ${c.name}\\s+${c.summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
    expect(r.out).toContain("Run `charter <command> --help`");
  });

  it("charter --version prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(await charter(empty, "--version")).toEqual({ code: 0, out: version, err: "" });
  });
});

const READERS: { name: string; args: string[] }[] = [
  // a fixed instant: the warnings' window starts "now", and two runs may straddle a minute
  { name: "validate", args: ["--at", "2026-12-06T10:00:00Z"] },
  { name: "explain", args: ["role", "tech-lead"] },
  { name: "oncall", args: ["--at", "2025-03-31T08:55+02:00"] },
  { name: "raci", args: [] },
  { name: "log", args: [] },
];

describe("the governance directory", () => {
  for (const { name, args } of READERS) {
    it(`charter ${name} with no ./governance says so and exits 1; it never answers from another directory`, async () => {
      const r = await charter(empty, name, ...args);
      expect(r.code).toBe(1);
      expect(r.out).toBe("");
      expect(r.err).toBe(`charter ${name}: no governance directory here: ./governance does not exist (in ${empty}). Name yours with --dir <dir>, or create one with \`charter init\` (docs/getting-started.md).`);
    });

    it(`charter ${name} --dir <repository root> reads the governance/ inside it`, async () => {
      const viaRoot = await charter(ROOT, name, ...args, "--dir", "examples/seven-person-team");
      const viaDir = await charter(ROOT, name, ...args, "--dir", "examples/seven-person-team/governance");
      expect(viaRoot.err).toBe("");
      expect(viaRoot).toEqual(viaDir);
    });
  }

  it("charter validate examples/microservices finds the governance/ inside, and names it", async () => {
    const r = await charter(ROOT, "validate", "examples/microservices");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^examples\/microservices\/governance\/ is valid: /);
  });

  it("the positional form and --dir are one name: both given and different is a usage error", async () => {
    const r = await charter(ROOT, "validate", "governance", "--dir", "examples/microservices");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^charter validate: two directories given \(`governance` and --dir `examples\/microservices`\)/);
    expect((await charter(ROOT, "validate", "governance", "--dir", "governance")).code).toBe(0);
  });

  it("explain takes the directory only as --dir (its positional words are what to explain)", async () => {
    const r = await charter(ROOT, "explain", "role", "tech-lead", "--dir", "examples/seven-person-team");
    expect(r.code).toBe(0);
    expect(r.out).toContain("# Role: Tech Lead (tech-lead)");
  });
});

describe("charter sweep --at", () => {
  let server: Server;
  let requests = 0;
  let apiUrl: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ message: "Bad credentials" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    apiUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("refuses a future instant before it talks to GitHub: a sweep acts for real and would page people ahead of time", async () => {
    const clock = new ManualClock("2025-06-04T10:00:00Z");
    const sweep = createSweepCommand({ clock });
    const io = capture(empty, { GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme/ingestion", GITHUB_API_URL: apiUrl });
    await expect(sweep.run(["--at", "2025-06-04T10:15:00Z"], io)).rejects.toThrow(
      "--at 2025-06-04T10:15:00Z is in the future (now is 2025-06-04T10:00:00.000Z): `charter sweep` acts on GitHub for real and would page, assign and record people ahead of time. Give now or a past instant; nothing was done",
    );
    expect(requests).toBe(0);
    // through main(): exit 2 with the usage
    const io2 = capture(empty, { GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme/ingestion", GITHUB_API_URL: apiUrl });
    expect(await main(["sweep", "--at", "2999-01-01T00:00:00Z"], io2)).toBe(2);
    expect(io2.stderr.join("\n")).toMatch(/^charter sweep: --at 2999-01-01T00:00:00Z is in the future/);
    expect(requests).toBe(0);
  });

  it("accepts now and the past (catching up a missed pass)", async () => {
    const clock = new ManualClock("2025-06-04T10:00:00Z");
    const sweep = createSweepCommand({ clock });
    const io = capture(empty, { GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme/ingestion", GITHUB_API_URL: apiUrl, LOG_LEVEL: "fatal" });
    // it gets as far as GitHub (which answers 401 here): the instant was accepted
    const code = await sweep.run(["--at", "2025-06-04T10:00:00Z"], io).catch(() => 1);
    expect(code).toBe(1);
    expect(requests).toBeGreaterThan(0);
  });
});

describe("a file where a directory is expected", () => {
  it("says it is a file", async () => {
    writeFileSync(join(empty, "governance"), "not a directory\n");
    try {
      const r = await charter(empty, "raci");
      expect(r).toEqual({ code: 1, out: "", err: "charter raci: governance is a file, not a directory. Name the directory that holds roles.yml, e.g. `charter raci --dir governance`." });
    } finally {
      rmSync(join(empty, "governance"));
    }
  });
});
