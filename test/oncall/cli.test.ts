import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CliIO } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";

const root = join(import.meta.dirname, "..", "..");

function capture(cwd = root): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env: {}, cwd };
}

async function run(args: string[], cwd = root) {
  const io = capture(cwd);
  const code = await main(["oncall", ...args], io);
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

const D9_AT_20250330 = `On call at Sun 2025-03-30 10:00 +02:00 (Europe/Berlin), 2025-03-30T08:00Z

Schedule ingestion (Ingestion on-call): time zone Europe/Berlin; times shown in Europe/Berlin

  primary (Primary): omar-oncall
    why:   override 0 replaces opal-oncall (rotation, layer weekly): Opal on vacation, Omar covers her week (swap)
    shift: Mon 2025-03-24 09:00 +01:00 → Mon 2025-03-31 09:00 +02:00
    next:  Mon 2025-03-31 09:00 +02:00  omar-oncall → oscar-oncall
           Mon 2025-04-07 09:00 +02:00  oscar-oncall → olga-oncall
           Mon 2025-04-14 09:00 +02:00  olga-oncall → omar-oncall

  secondary (Secondary): oscar-oncall
    why:   rotation, layer weekly
    shift: Mon 2025-03-24 09:00 +01:00 → Mon 2025-03-31 09:00 +02:00
    next:  Mon 2025-03-31 09:00 +02:00  oscar-oncall → olga-oncall
           Mon 2025-04-07 09:00 +02:00  olga-oncall → omar-oncall
           Mon 2025-04-14 09:00 +02:00  omar-oncall → opal-oncall

  owner (Ingestion Owner): oscar-oncall
    why:   outside coverage (Mon–Fri 09:00–18:00); fallback ingestion/secondary: rotation, layer weekly
    hours: Mon–Fri 09:00–18:00 Europe/Berlin, otherwise ingestion/secondary
    shift: Mon 2025-03-24 09:00 +01:00 → Mon 2025-03-31 09:00 +02:00 (ingestion/secondary)
    next:  Mon 2025-03-31 09:00 +02:00  oscar-oncall → ana-owner
           Mon 2025-03-31 18:00 +02:00  ana-owner → olga-oncall (fallback ingestion/secondary)
           Tue 2025-04-01 09:00 +02:00  olga-oncall → ana-owner`;

describe("charter oncall on the D9 files", () => {
  it("at 2025-03-30T10:00+02:00 (Sunday, during Opal's swapped week, the day of the DST change)", async () => {
    expect(await run(["--at", "2025-03-30T10:00+02:00"])).toEqual({ code: 0, out: D9_AT_20250330, err: "" });
  });

  it("the same instant written in UTC, or as local time with --tz, gives the same answer", async () => {
    expect((await run(["--at", "2025-03-30T08:00Z", "governance"])).out).toBe(D9_AT_20250330);
    const local = await run(["--at", "2025-03-30T10:00", "--tz", "Europe/Berlin"]);
    expect([local.code, local.out]).toEqual([0, D9_AT_20250330]);
  });

  it("at the instant the swap override starts, a Monday in business hours", async () => {
    const { code, out } = await run(["--at", "2025-03-24T09:00+01:00", "--schedule", "ingestion"]);
    expect(code).toBe(0);
    expect(out.split("\n").slice(0, 8)).toEqual([
      "On call at Mon 2025-03-24 09:00 +01:00 (Europe/Berlin), 2025-03-24T08:00Z",
      "",
      "Schedule ingestion (Ingestion on-call): time zone Europe/Berlin; times shown in Europe/Berlin",
      "",
      "  primary (Primary): omar-oncall",
      "    why:   override 0 replaces opal-oncall (rotation, layer weekly): Opal on vacation, Omar covers her week (swap)",
      "    shift: Mon 2025-03-24 09:00 +01:00 → Mon 2025-03-31 09:00 +02:00",
      "    next:  Mon 2025-03-31 09:00 +02:00  omar-oncall → oscar-oncall",
    ]);
    expect(out).toContain(
      [
        "  owner (Ingestion Owner): ana-owner",
        "    why:   rotation, layer business hours",
        "    hours: Mon–Fri 09:00–18:00 Europe/Berlin, otherwise ingestion/secondary",
        "    shift: Mon 2025-03-24 09:00 +01:00 → Mon 2025-03-31 09:00 +02:00",
        "    next:  Mon 2025-03-24 18:00 +01:00  ana-owner → oscar-oncall (fallback ingestion/secondary)",
        "           Tue 2025-03-25 09:00 +01:00  oscar-oncall → ana-owner",
        "           Tue 2025-03-25 18:00 +01:00  ana-owner → oscar-oncall (fallback ingestion/secondary)",
      ].join("\n"),
    );
  });

  it("--tz America/New_York shows every time there (New York is already on EDT, Berlin not yet)", async () => {
    const { code, out } = await run(["--at", "2025-03-24T09:00+01:00", "--tz", "America/New_York"]);
    expect(code).toBe(0);
    expect(out.split("\n").slice(0, 10)).toEqual([
      "On call at Mon 2025-03-24 04:00 -04:00 (America/New_York), 2025-03-24T08:00Z",
      "",
      "Schedule ingestion (Ingestion on-call): time zone Europe/Berlin; times shown in America/New_York",
      "",
      "  primary (Primary): omar-oncall",
      "    why:   override 0 replaces opal-oncall (rotation, layer weekly): Opal on vacation, Omar covers her week (swap)",
      "    shift: Mon 2025-03-24 04:00 -04:00 → Mon 2025-03-31 03:00 -04:00",
      "    next:  Mon 2025-03-31 03:00 -04:00  omar-oncall → oscar-oncall",
      "           Mon 2025-04-07 03:00 -04:00  oscar-oncall → olga-oncall",
      "           Mon 2025-04-14 03:00 -04:00  olga-oncall → omar-oncall",
    ]);
  });

  it("without --at, asks the clock (here a fake one)", async () => {
    vi.useFakeTimers({ now: new Date("2025-03-30T08:00:00Z"), toFake: ["Date"] });
    try {
      expect(await run([])).toEqual({ code: 0, out: D9_AT_20250330, err: "" });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("charter oncall on seed 000 (a full override across the New York DST change)", () => {
  it("Saturday: the primary is overridden, and the ML tier falls back to it", async () => {
    const { code, out } = await run(["--at", "2025-03-08T12:00-05:00", "--schedule", "platform", "test/oncall/fixtures/team"]);
    expect(code).toBe(0);
    expect(out).toContain(
      [
        "  primary (Primary on-call): dave-devops",
        "    why:   override 0 covers the tier: Weekend cover for the migration (a full override, across the DST change)",
        "    shift: Fri 2025-03-07 18:00 -05:00 → Mon 2025-03-10 09:00 -04:00",
        "    next:  Mon 2025-03-10 09:00 -04:00  dave-devops → bob-backend",
      ].join("\n"),
    );
    expect(out).toContain(
      [
        "  ml (ML/data issues): dave-devops",
        "    why:   outside coverage (Mon–Fri 09:00–18:00); fallback platform/primary: override 0 covers the tier: Weekend cover for the migration (a full override, across the DST change)",
        "    hours: Mon–Fri 09:00–18:00 America/New_York, otherwise platform/primary",
        "    shift: Fri 2025-03-07 18:00 -05:00 → Mon 2025-03-10 09:00 -04:00 (platform/primary)",
        "    next:  Mon 2025-03-10 09:00 -04:00  dave-devops → mia-ml",
        "           Mon 2025-03-10 18:00 -04:00  mia-ml → bob-backend (fallback platform/primary)",
        "           Tue 2025-03-11 09:00 -04:00  bob-backend → mia-ml",
      ].join("\n"),
    );
    expect(out).toContain(["  security (Security incidents): sam-security", "    why:   rotation, layer Security engineer", "    shift: Mon 2025-03-03 09:00 -05:00 → Mon 2025-03-10 09:00 -04:00", "    next:  no handoff within 3 years"].join("\n"));
  });
});

describe("charter oncall: bad input", () => {
  it("a bad --at: exit 2 with a clear message", async () => {
    const cases: [string[], string][] = [
      [["--at", "yesterday"], "charter oncall: --at needs an instant with its offset, e.g. 2025-03-30T10:00+02:00 or 2025-03-30T08:00Z, or a local time such as 2025-04-01T03:00 with --tz (got `yesterday`)"],
      [["--at", "2025-02-30T10:00Z"], "charter oncall: --at `2025-02-30T10:00Z` is not a real instant: February 2025 has 28 days"],
      [["--at", "2025-03-30T10:00"], "charter oncall: --at `2025-03-30T10:00` has no offset: add one (e.g. 2025-03-30T10:00+02:00 or 2025-03-30T10:00Z), or give --tz to read it as local time in that zone"],
      [["--at", "2025-03-30T02:30", "--tz", "Europe/Berlin"], "charter oncall: --at 2025-03-30T02:30 does not exist in Europe/Berlin: the clocks skip it for daylight saving time; pick a time outside the jump"],
      [["--at"], "charter oncall: --at needs a value"],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect([r.code, r.out, r.err.split("\n")[0]]).toEqual([2, "", message]);
      expect(r.err).toContain("Usage: charter oncall [--at <instant>] [--tz <zone>] [--schedule <id>] [--dir <dir>]");
    }
  });

  it("a bad --tz: exit 2, with a did-you-mean", async () => {
    const r = await run(["--at", "2025-03-30T10:00+02:00", "--tz", "Europe/Berln"]);
    expect([r.code, r.out, r.err.split("\n")[0]]).toEqual([2, "", "charter oncall: --tz: unknown time zone `Europe/Berln` (did you mean `Europe/Berlin`?)"]);
  });

  it("--tz EST is refused like in the files: an abbreviation is a fixed offset all year (New York handoffs an hour late in summer)", async () => {
    const r = await run(["--at", "2025-07-01T10:00+02:00", "--tz", "EST"]);
    expect(r.code).toBe(2);
    expect(r.err.split("\n")[0]).toContain("charter oncall: --tz: `EST` is an abbreviation, not a time zone");
    expect(r.err.split("\n")[0]).toContain("did you mean `America/New_York`?");
  });

  it("an unknown --schedule: exit 1, listing the schedules", async () => {
    expect(await run(["--at", "2025-03-30T10:00+02:00", "--schedule", "ingest"])).toEqual({ code: 1, out: "", err: "charter oncall: unknown schedule `ingest`; oncall.yml defines: ingestion" });
  });

  describe("invalid governance", () => {
    let dir: string | undefined;
    afterEach(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
      dir = undefined;
    });

    it("prints the diagnostics with file:line:column and exits 1", async () => {
      dir = await mkdtemp(join(tmpdir(), "charter-oncall-"));
      await writeFile(join(dir, "roles.yml"), await readFile(join(root, "governance", "roles.yml"), "utf8"));
      const oncall = (await readFile(join(root, "governance", "oncall.yml"), "utf8")).replace("timezone: Europe/Berlin", "timezone: Europe/Berln");
      await writeFile(join(dir, "oncall.yml"), oncall);
      const result = await run(["--at", "2025-03-30T10:00+02:00", dir]);
      expect(result).toEqual({
        code: 1,
        out: "",
        err: [`charter oncall: ${dir} has a problem; fix it first (\`charter validate ${dir}\`):`, `${dir}/oncall.yml:10:15: unknown time zone \`Europe/Berln\` in schedule \`ingestion\` (did you mean \`Europe/Berlin\`?)`].join("\n"),
      });
    });

    it("a directory without oncall.yml: exit 1, pointing at the documentation", async () => {
      dir = await mkdtemp(join(tmpdir(), "charter-oncall-"));
      await writeFile(join(dir, "roles.yml"), "version: 1\nroles: {}\n");
      expect(await run(["--at", "2025-03-30T10:00+02:00", dir])).toEqual({ code: 1, out: "", err: `charter oncall: ${dir} has no oncall.yml, so nobody is on call. Write one as docs/oncall.md describes.` });
    });
  });

  it("is listed in `charter help`", async () => {
    const io = capture();
    expect(await main(["help"], io)).toBe(0);
    expect(io.stdout.join("\n")).toContain("  oncall  ");
  });
});
