/**
 * `charter diff <base-dir> <head-dir>`: the impact preview's words with no GitHub (docs/cli.md,
 * docs/impact-preview.md). D9's governance/ against edited copies: on-call gaps and one-person
 * double tiers from unavailability, a path losing its owner, a RACI activity left without anyone
 * Accountable, a gate made impossible, an invalid head, and the command's conventions.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { governanceFiles } from "../support/governance-mock.js";
import { charter, ROOT } from "./support.js";

const AT = "2025-06-02T10:00Z";
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A copy of D9's governance/ with some files edited. */
function head(edit: Record<string, (text: string) => string>): string {
  const dir = mkdtempSync(join(tmpdir(), "charter-diff-"));
  made.push(dir);
  for (const [path, text] of Object.entries(governanceFiles("governance", { notify: true }))) {
    const file = join(dir, "governance", path);
    mkdirSync(dirname(file), { recursive: true });
    const edited = edit[path]?.(text) ?? text;
    if (edit[path]) expect(edited, `the edit of ${path} changes it`).not.toBe(text);
    writeFileSync(file, edited);
  }
  return dir;
}

describe("charter diff", () => {
  it("oscar-oncall's vacation in his primary week: the next in turn covers, so olga-oncall is in two tiers at once; who is on call instead, when", async () => {
    const dir = head({ "oncall.yml": (t) => `${t}\nunavailable:\n  - { who: oscar-oncall, from: 2025-06-23, to: 2025-06-27, reason: Vacation }\n` });
    const r = await charter(ROOT, "diff", "governance", dir, "--at", AT);
    expect(r).toEqual({
      code: 0,
      err: "",
      out: [
        "== On call, Mon 2025-06-02 12:00 CEST to Mon 2025-07-28 12:00 CEST ==",
        "",
        "New warnings (gaps, one person in two tiers, nobody to page, …):",
        "",
        "- `olga-oncall` is on call for `ingestion/primary` and `ingestion/secondary` at once from Mon 2025-06-23 09:00 CEST to Sat 2025-06-28 00:00 CEST (covering `ingestion/primary` for `oscar-oncall`, who is unavailable (Vacation)): paging the next tier reaches the same person, so nobody backs them up",
        "",
        "Who would be on call instead:",
        "",
        "- ingestion/primary, Mon 2025-06-23 09:00 CEST to Sat 2025-06-28 00:00 CEST: oscar-oncall → olga-oncall (covering for oscar-oncall: Vacation)",
        "- ingestion/secondary, Mon 2025-06-23 00:00 CEST to Mon 2025-06-23 09:00 CEST: oscar-oncall → olga-oncall (covering for oscar-oncall: Vacation)",
        "- ingestion/owner, Mon 2025-06-23 00:00 CEST to Mon 2025-06-23 09:00 CEST: oscar-oncall → olga-oncall (covering for oscar-oncall: Vacation)",
      ].join("\n"),
    });
  });

  it("a path losing its owner and a RACI activity whose Accountable role nobody holds", async () => {
    const dir = head({
      OWNERS: (t) => t.replace(/^\/db\/migrations\/ .*$/m, "/db/migrations/"),
      "authority.yml": (t) => t.replace("title: GA announcement, I: [ingestion-owner, on-call, sre-lead], A: [product-manager]", "title: GA announcement, I: [ingestion-owner, on-call, sre-lead], A: [account-manager]"),
      "roles.yml": (t) => t.replace("    holders: [amy-accounts]\n", ""),
    });
    const r = await charter(ROOT, "diff", "governance", dir, "--at", AT);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      [
        "== Paths and their owners ==",
        "",
        "- /db/migrations/ loses its owner: Database Owner (database-owner) must sign changes there now (OWNERS line 13); merged, nobody would have to (OWNERS line 13 names no owner).",
        "",
        "== RACI activities left without an Accountable role ==",
        "",
        "- GA announcement (ga-announcement): its Accountable role Account Manager (account-manager) would have nobody to act for it (Accountable now: Product Manager (product-manager)).",
        "",
        "== Roles ==",
        "",
        "- Account Manager (account-manager): holders −amy-accounts (now none); nobody left to act for it.",
      ].join("\n"),
    );
    expect(r.out).toContain("- dora-db loses, as a holder of Database Owner (database-owner):\n  - sign changes to: /db/migrations/\n");
  });

  it("four eyes: the GA gate needing three different people, with SRE Lead held by the Ingestion Owner's people only, becomes impossible", async () => {
    const dir = head({ "roles.yml": (t) => t.replace("    holders: [sam-sre]\n    backups: [sid-sre]\n", "    holders: [ana-owner]\n") .replace("holders: [pat-pm]\n    backups: [paula-pm]", "holders: [ana-owner]\n    backups: [ben-owner]").replace("    backups: [ben-owner]\n    contacts: { primary: \"Phone: _______\", backup: Slack DM }\n  on-call-primary", "    contacts: { primary: \"Phone: _______\", backup: Slack DM }\n  on-call-primary") });
    const r = await charter(ROOT, "diff", "governance", dir, "--at", AT);
    expect(r.out).toContain("- The phase gate GA (P3 → P4): it needs 3 different people (Ingestion Owner (ingestion-owner), Product Manager (product-manager), SRE Lead (sre-lead)), but at most 2 different people could sign for them (ana-owner, ben-owner).");
  });

  it("--markdown gives the pull request comment's words; --json the report", async () => {
    const dir = head({ "roles.yml": (t) => t.replace("holders: [ana-owner]", "holders: [ana-owner, nina-owner]") });
    const md = await charter(ROOT, "diff", "governance", dir, "--at", AT, "--markdown");
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/^### Who gains and who loses authority\n\n- \*\*`nina-owner`\*\* gains, as a holder of Ingestion Owner \(`ingestion-owner`\):\n {2}- sign the phase gate: P0 → P1, P1 → P2, P2 → P3, GA \(P3 → P4\)\n/);
    expect(md.out).toContain("  - resume the kill-switch: Data integrity event, Rollback, &gt; 1 hour pause\n");
    const json = await charter(ROOT, "diff", "governance", dir, "--at", AT, "--json");
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out) as { head: unknown; window: unknown; authority: { subject: unknown; gains: { action: { key: string } }[] }[]; unchanged: boolean };
    expect(report.head).toEqual({ valid: true, problems: [], compared: true });
    expect(report.window).toEqual({ from: "2025-06-02T10:00:00.000Z", until: "2025-07-28T10:00:00.000Z", weeks: 8 });
    expect(report.unchanged).toBe(false);
    expect(report.authority[0]!.subject).toEqual({ kind: "person", login: "nina-owner" });
    expect(report.authority[0]!.gains.map((g) => g.action.key)).toContain("gate:P3>P4:sign");
    expect(report.authority[0]!.gains.map((g) => g.action.key)).toContain("ks:resume:> 1 hour pause");
  });

  it("the same files: nothing Charter acts on changes, exit 0", async () => {
    const dir = head({ "roles.yml": (t) => `${t}\n# a comment\n` });
    expect(await charter(ROOT, "diff", "governance", dir, "--at", AT)).toEqual({
      code: 0,
      err: "",
      out: "Nothing Charter acts on changes: no authority, owner, requirement, RACI accountability or on-call assignment moves (comments, documentary keys and layout may differ).",
    });
  });

  it("an invalid head: its problems, located; exit 1", async () => {
    const dir = head({ "roles.yml": (t) => t.replace("holders: [ana-owner]", "holders: [ana-owner") });
    const r = await charter(ROOT, "diff", "governance", dir, "--at", AT);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^The proposed governance does not validate \(\d+ problems?\)\.\n/);
    expect(r.out).toMatch(/\n- .*governance\/roles\.yml:\d+:\d+: YAML syntax error: /);
    expect(r.out).toMatch(/Charter cannot say what the change does until every file loads \(it passes its schema\)\.$/);
  });

  it("usage: two directories, --json or --markdown; an invalid or missing base exits 1", async () => {
    const one = await charter(ROOT, "diff", "governance");
    expect(one.code).toBe(2);
    expect(one.err).toMatch(/^charter diff: expected two directories, <base-dir> and <head-dir>; got `governance`\n\nUsage: charter diff /);
    const both = await charter(ROOT, "diff", "governance", "governance", "--json", "--markdown");
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/^charter diff: give --json or --markdown, not both\n/);
    const broken = head({ "roles.yml": (t) => t.replace("holders: [ana-owner]", "holders: [ana-owner") });
    const bad = await charter(ROOT, "diff", broken, "governance", "--at", AT);
    expect(bad.code).toBe(1);
    expect(bad.out).toBe("");
    expect(bad.err).toMatch(/^charter diff: .*governance has (a problem|\d+ problems); fix (it|them) first/);
    const missing = await charter(ROOT, "diff", "no-such-dir", "governance");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^charter diff: no-such-dir\/ does not exist/);
  });
});
