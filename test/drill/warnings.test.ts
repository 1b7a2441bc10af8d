/**
 * The warnings a lead wants (issue 11), over the next 8 weeks: each one triggered by a small
 * example built for it (test/drill/fixtures/<kind>/), and none on D9. `charter validate` prints
 * them too: exit 0, `file:line:column: warning: …`, and `::warning` annotations in Actions.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { capture, charter, ROOT } from "../cli/support.js";
import { applyEdits, d9Texts, type Edit } from "../validate/support.js";

const AT = "2025-03-03T00:00Z"; // Mon 01:00 in Berlin; the window runs to Mon 2025-04-28 02:00 CEST
const fixture = (kind: string) => `test/drill/fixtures/${kind}`;

async function warnings(dir: string, at = AT): Promise<string[]> {
  const r = await charter(ROOT, "drill", "warnings", "--dir", dir, "--at", at);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  return r.out.split("\n").filter((l) => l.includes(": warning: "));
}

async function inD9With(edits: Edit[], ...args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "charter-drill-warn-"));
  try {
    for (const [name, text] of Object.entries(applyEdits(d9Texts(), edits))) {
      mkdirSync(dirname(join(dir, "governance", name)), { recursive: true });
      writeFileSync(join(dir, "governance", name), text);
    }
    return await charter(dir, ...args);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("each warning, triggered by an example built for it", () => {
  it("nobody on call: a 24/7 tier whose rotation starts late", async () => {
    expect(await warnings(fixture("nobody-on-call"))).toEqual([
      "test/drill/fixtures/nobody-on-call/oncall.yml:12:7: warning: nobody is on call for `ops/secondary` from Mon 2025-03-03 01:00 CET to Mon 2025-03-17 09:00 CET: no rotation layer has started yet: shifts begin at the first handoff on or after `start` (add a layer or an override for those hours, or a `fallback:` tier; if the gap is intended, give the tier `coverage:` hours)",
    ]);
  });

  it("one person in two tiers at once: a swap puts the week's secondary on the primary too", async () => {
    expect(await warnings(fixture("two-tiers"))).toEqual([
      "test/drill/fixtures/two-tiers/oncall.yml:19:9: warning: `bob` is on call for `ops/primary` and `ops/secondary` at once from Mon 2025-03-10 09:00 CET to Mon 2025-03-17 09:00 CET (`overrides.0`: Ann on vacation): paging the next tier reaches the same person, so nobody backs them up (swap the other tier too with another override, or choose someone who is not on call then)",
    ]);
  });

  it("reminders addressed to someone other than the incident's owner: `remind` leaves out `owner`", async () => {
    expect(await warnings(fixture("reminders-not-owner"))).toEqual([
      "test/drill/fixtures/reminders-not-owner/incidents.yml:15:13: warning: P1 status-update reminders go to `lead`, never to the incident's owner (the on-call who was assigned, or the commander) (add `owner` to `remind`, e.g. remind: [owner, support-lead], so whoever runs the incident is reminded too)",
    ]);
  });

  it("reminders addressed to someone other than the owner: the role assigned has no person (a team), so they fall back to whoever was paged first", async () => {
    const edits: Edit[] = [
      { file: "roles.yml", from: "  database-owner:", to: "  platform:\n    title: Platform Team\n    holders: [acme/platform]\n  database-owner:" },
      { file: "incidents.yml", from: "    ack_within: 15m\n    assign: on-call-primary\n    backup: on-call-secondary\n    escalation:\n      - { after: 0m, notify: [on-call-primary], note: Primary acks }\n      - { after: 15m", to: "    ack_within: 15m\n    assign: platform\n    backup: on-call-secondary\n    escalation:\n      - { after: 0m, notify: [on-call-primary], note: Primary acks }\n      - { after: 15m" },
    ];
    const r = await inD9With(edits, "drill", "warnings", "--at", AT);
    const lines = r.out.split("\n").filter((l) => l.includes(": warning: "));
    expect(lines).toEqual([
      expect.stringMatching(/^governance\/incidents\.yml:\d+:13: warning: a P1 incident opened from Mon 2025-03-03 01:00 CET to the end of the window \(Mon 2025-04-28 02:00 CEST\) would be assigned to nobody \(Platform Team has no person holding it then\), so its status-update reminders would go to `opal-oncall`, not to an owner \(/),
      expect.stringMatching(/^governance\/roles\.yml:\d+:5: warning: role `platform` is held only by teams \(acme\/platform\): .*be assigned incidents \(severity P1 \(assign\)\)/),
    ]);
  });

  it("a role held only by teams, named where a person must sign", async () => {
    expect(await warnings(fixture("team-only-role"))).toEqual([
      "test/drill/fixtures/team-only-role/roles.yml:15:5: warning: role `database-owner` is held only by teams (acme/dba): in Actions mode with the workflow's GITHUB_TOKEN Charter cannot read team members, so nobody can act for it there: sign off changes to these paths (OWNERS rule /db/migrations/) (add a person as a holder or backup, e.g. the team's lead, or run Charter with the app's credentials: App mode, or the action with app-id and private-key, which read teams with Members: read)",
    ]);
  });

  it("a ladder step with nobody to page: a business-hours tier without a fallback, paged at night", async () => {
    expect(await warnings(fixture("nobody-to-page"))).toEqual([
      "test/drill/fixtures/nobody-to-page/incidents.yml:13:32: warning: step 3 of the P1 ladder (+30m) pages Lead On-Call (`lead-on-call`), which has no holder and no backup from Mon 2025-03-03 01:00 CET to Mon 2025-03-03 09:00 CET, and 40 more times in the window: nobody would be paged (give the role holders or backups, or an on-call tier that is always covered, or page another role)",
    ]);
    const night = await charter(ROOT, "drill", "incident", "P1", "--dir", fixture("nobody-to-page"), "--at", "2025-03-04T20:00+01:00", "--for", "30m");
    expect(night.out).toMatch(/^\| \+30m +\| Tue 2025-03-04 20:30 CET \| 2025-03-04T19:30Z \| step 3 of 3 \(Lead joins\) +\| nobody \(Lead On-Call has no holder then\) +\|$/m);
    expect(night.out).toContain("- test/drill/fixtures/nobody-to-page/incidents.yml:13:32: warning: step 3 of the P1 ladder (+30m) pages Lead On-Call");
  });
});

describe("none on D9", () => {
  it.each(["2025-01-06T08:00Z", "2025-03-03T00:00Z", "2025-03-24T08:00Z", "2025-10-20T07:00Z", new Date().toISOString()])("from %s", async (at) => {
    const r = await charter(ROOT, "drill", "warnings", "--at", at);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^No warnings for governance\/ in the 8 weeks from /);
  });

  it("and none for the minimal template and the microservices example", async () => {
    expect(await warnings("templates/minimal")).toEqual([]);
    expect(await warnings("examples/microservices")).toEqual([]);
  });
});

describe("charter validate prints the warnings: exit 0", () => {
  it("after `is valid`, located, with a count; `::warning` annotations in GitHub Actions", async () => {
    const io = capture(ROOT, { GITHUB_ACTIONS: "true" });
    const code = await main(["validate", "--dir", fixture("two-tiers"), "--at", AT], io);
    expect(code).toBe(0);
    expect(io.stderr).toEqual([]);
    expect(io.stdout).toEqual([
      "test/drill/fixtures/two-tiers/ is valid: 3 roles, 1 schedule (2 tiers), 0 OWNERS rules",
      "test/drill/fixtures/two-tiers/oncall.yml:19:9: warning: `bob` is on call for `ops/primary` and `ops/secondary` at once from Mon 2025-03-10 09:00 CET to Mon 2025-03-17 09:00 CET (`overrides.0`: Ann on vacation): paging the next tier reaches the same person, so nobody backs them up (swap the other tier too with another override, or choose someone who is not on call then)",
      "::warning file=test/drill/fixtures/two-tiers/oncall.yml,line=19,col=9::`bob` is on call for `ops/primary` and `ops/secondary` at once from Mon 2025-03-10 09:00 CET to Mon 2025-03-17 09:00 CET (`overrides.0`%3A Ann on vacation): paging the next tier reaches the same person, so nobody backs them up (swap the other tier too with another override, or choose someone who is not on call then)".replace("%3A", ":"),
      "\n1 warning over the 8 weeks from Mon 2025-03-03 01:00 CET: the files are valid and Charter runs them as written, but these will surprise someone. `charter drill warnings` shows them again; docs/drill.md explains each.",
    ]);
  });

  it("--weeks narrows the window: the swap two weeks out is outside one week", async () => {
    const r = await charter(ROOT, "validate", "--dir", fixture("two-tiers"), "--at", AT, "--weeks", "1");
    expect(r.out).toBe("test/drill/fixtures/two-tiers/ is valid: 3 roles, 1 schedule (2 tiers), 0 OWNERS rules");
    const bad = await charter(ROOT, "validate", "--weeks", "0");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--weeks needs a whole number of weeks from 1 to 104 (got `0`)");
  });

  it("invalid files: errors only, no warnings computed, exit 1", async () => {
    const r = await inD9With([{ file: "oncall.yml", from: "timezone: Europe/Berlin", to: "timezone: EST" }], "validate");
    expect(r.code).toBe(1);
    expect(r.out).not.toContain(": warning: ");
    expect(r.out).toContain("governance/oncall.yml:10:15: `EST` is an abbreviation, not a time zone");
  });
});
