/**
 * Must show: an unavailable person is skipped to the backup across a DST change. D9, with
 * oscar-oncall (this week's secondary) on vacation Saturday 2025-03-29 and Sunday 2025-03-30, the
 * night Berlin moves to summer time (02:00 → 03:00). `charter oncall --at` and `charter drill`
 * show it, and an incident opened ten minutes before the jump pages olga-oncall, the next in
 * turn, at +15 (after the jump), through the real app.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { charter } from "../cli/support.js";
import { cleanup, pageLines, sweepEvery, world } from "../incidents/support/world.js";
import { d9Files } from "../support/governance-mock.js";

const VACATION = `
unavailable:
  - { who: oscar-oncall, from: 2025-03-29, to: 2025-03-30, reason: Vacation }
`;

function d9WithVacation(extra = VACATION): Record<string, string> {
  const files = d9Files();
  files["oncall.yml"] = files["oncall.yml"]! + extra;
  return files;
}

const dirs: string[] = [];
function repoWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "charter-unavailable-"));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, "governance", path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

afterEach(() => {
  cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("charter oncall --at across the DST change", () => {
  it("Sunday 03:05 CEST (just after the jump): the secondary is olga-oncall, covering for oscar-oncall, and says why and until when", async () => {
    const root = repoWith(d9WithVacation());
    const r = await charter(root, "oncall", "--at", "2025-03-30T03:05+02:00");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`  secondary (Secondary): olga-oncall
    why:   rotation, layer weekly, covering: oscar-oncall is unavailable (Vacation, Sat 2025-03-29 00:00 +01:00 → Mon 2025-03-31 00:00 +02:00); olga-oncall covers (next in turn)
    shift: Sat 2025-03-29 00:00 +01:00 → Mon 2025-03-31 00:00 +02:00
    next:  Mon 2025-03-31 00:00 +02:00  olga-oncall → oscar-oncall
           Mon 2025-03-31 09:00 +02:00  oscar-oncall → olga-oncall
           Mon 2025-04-07 09:00 +02:00  olga-oncall → omar-oncall`);
    // the owner tier falls back to the secondary on Sunday: olga there too
    expect(r.out).toMatch(/owner \(Ingestion Owner\): olga-oncall\n {4}why: {3}outside coverage \(Mon–Fri 09:00–18:00\); fallback ingestion\/secondary: rotation, layer weekly, covering: oscar-oncall is unavailable/);
  });

  it("Friday 23:59 CET oscar is still on call; the next handoff is to olga at Saturday 00:00 (covering)", async () => {
    const root = repoWith(d9WithVacation());
    const r = await charter(root, "oncall", "--at", "2025-03-28T23:59+01:00", "--schedule", "ingestion");
    expect(r.out).toContain(`  secondary (Secondary): oscar-oncall
    why:   rotation, layer weekly
    shift: Mon 2025-03-24 09:00 +01:00 → Mon 2025-03-31 09:00 +02:00
    next:  Sat 2025-03-29 00:00 +01:00  oscar-oncall → olga-oncall (covering for oscar-oncall: Vacation)
           Mon 2025-03-31 00:00 +02:00  olga-oncall → oscar-oncall`);
  });
});

describe("charter drill incident across the DST change", () => {
  it("a P1 opened Sunday 01:50 CET names olga as the backup and pages her at +15 (03:05 CEST), saying whom she covers for", async () => {
    const root = repoWith(d9WithVacation());
    const r = await charter(root, "drill", "incident", "P1", "--at", "2025-03-30T01:50+01:00", "--for", "30m");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("- Backup named in the start message: olga-oncall (On-Call Secondary), the `backup` of P1.");
    expect(r.out).toContain("- Unavailable: oscar-oncall on ingestion/secondary (Vacation, from Sat 2025-03-29 00:00 CET to Mon 2025-03-31 00:00 CEST): olga-oncall covers (next in turn).");
    expect(r.out).toMatch(/^\| \+15m +\| Sun 2025-03-30 03:05 CEST \| 2025-03-30T01:05Z \| step 2 of 4 \(Secondary joins\) +\| olga-oncall \(On-Call Secondary\) +\|$/m);
    expect(r.out).toContain("On-Call: @omar-oncall (secondary: `olga-oncall`)");
    expect(r.out).not.toMatch(/oscar-oncall \(On-Call Secondary\)/);
  });

  it("a drill that runs into the vacation shows the handoff to the backup", async () => {
    const root = repoWith(d9WithVacation());
    const r = await charter(root, "drill", "incident", "P1", "--at", "2025-03-28T23:50+01:00", "--for", "30m");
    expect(r.out).toMatch(/\| \+10m +\| Sat 2025-03-29 00:00 CET +\| 2025-03-28T23:00Z \| handoff of ingestion\/secondary: oscar-oncall → olga-oncall \(oscar-oncall unavailable: Vacation\) \|/);
    expect(r.out).toMatch(/\| \+15m +\| .* step 2 of 4 \(Secondary joins\) +\| olga-oncall \(On-Call Secondary\) +\|/);
  });
});

describe("warnings: gaps and double tiers the absences create", () => {
  it("across the week boundary the backup is also the new week's secondary: one person in two tiers", async () => {
    const root = repoWith(d9WithVacation(`
unavailable:
  - { who: oscar-oncall, from: 2025-03-30, to: 2025-04-01, reason: Moving house }
`));
    const r = await charter(root, "drill", "warnings", "--at", "2025-03-24T00:00Z", "--weeks", "2");
    expect(r.code).toBe(0);
    expect(r.out).toContain("warning: `olga-oncall` is on call for `ingestion/primary` and `ingestion/secondary` at once from Mon 2025-03-31 09:00 CEST to Wed 2025-04-02 00:00 CEST (covering `ingestion/primary` for `oscar-oncall`, who is unavailable (Moving house)): paging the next tier reaches the same person, so nobody backs them up (name a `backup:` list for that layer");
  });

  it("nobody available: the validator prints it as a warning, located at the absence, and exits 0", async () => {
    const files = d9WithVacation(`
unavailable:
  - { who: oscar-oncall, from: 2025-03-29, to: 2025-03-30, reason: Vacation }
`);
    files["oncall.yml"] = files["oncall.yml"]!.replace("participants: [olga-oncall, omar-oncall, opal-oncall, oscar-oncall]", "participants: [olga-oncall, omar-oncall, opal-oncall, oscar-oncall]\n            backup: []");
    const root = repoWith(files);
    const r = await charter(root, "validate", "--at", "2025-03-24T00:00Z", "--weeks", "2");
    expect(r.code).toBe(0);
    const line = files["oncall.yml"]!.split("\n").findIndex((l) => l.includes("who: oscar-oncall")) + 1;
    expect(r.out).toContain(`governance/oncall.yml:${line}:5: warning: nobody is available for \`ingestion/secondary\` from Sat 2025-03-29 00:00 CET to Mon 2025-03-31 00:00 CEST: \`oscar-oncall\` is unavailable (Vacation) and it has no backup (name a \`backup:\` for the layer who is available then, add an override for those hours, or give the tier a \`fallback:\`)`);
    // not also reported as "nobody on call" for the same gap
    expect(r.out).not.toContain("nobody is on call for `ingestion/secondary`");
  });

  it("an override that puts an unavailable person on call", async () => {
    const root = repoWith(d9WithVacation(`
unavailable:
  - { who: omar-oncall, from: 2025-03-27, to: 2025-03-27, reason: Sick }
`));
    const r = await charter(root, "drill", "warnings", "--at", "2025-03-24T00:00Z", "--weeks", "2");
    expect(r.out).toContain("warning: `overrides.0` of schedule `ingestion` puts `omar-oncall` on call for `ingestion/primary` from Thu 2025-03-27 00:00 CET to Fri 2025-03-28 00:00 CET, while they are unavailable (Sick): an override is an explicit choice and is not skipped, so pages would reach them");
  });
});

describe("through the app: an incident's page follows the skip", () => {
  it("a P1 opened Sunday 01:50 CET pages omar at once and olga-oncall (not oscar) at +15, 03:05 CEST", async () => {
    const w = await world({ t0: "2025-03-30T00:50:00Z", files: d9WithVacation() });
    await w.open({ number: 41, title: "Uploads fail", labels: ["incident", "severity: P1"] });
    await sweepEvery(w, 1, 20, 1);
    const pages = pageLines(w, 41).map((p) => [p.minute, p.mentions.join(",")]);
    expect(pages).toEqual([
      [0, "omar-oncall"],
      [15, "olga-oncall"],
    ]);
    // the start message names the backup quietly: olga, not oscar
    const first = w.gh.posted(41)[0]!.body;
    expect(first).toContain("(secondary: `olga-oncall`)");
    expect(first).not.toContain("oscar-oncall");
  });
});
