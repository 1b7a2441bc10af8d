/**
 * Two surprises a drill caught (issue 11), fixed in the app and said in the files:
 *
 * - status-update reminders (and the acknowledgement notice) address the incident's OWNER: the
 *   commander, else whoever acknowledged, else whoever was assigned when it opened; never simply
 *   whoever was paged first (a routing `notify`, a broadcast step), unless `remind` says so;
 * - the backup named in the start message ({{secondary}}) is the one the files declare
 *   (`backup:` on the severity or the route), else the first ladder target after the one
 *   assigned; never inferred from a role that happens to be called `on-call-secondary`.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mentionsIn } from "./support/fake-github.js";
import { cleanup, d9Files, sevenPersonFiles, sweepEvery, world } from "./support/world.js";
import { governanceFiles } from "../support/governance-mock.js";

afterEach(cleanup);

const T0 = "2025-06-04T10:00:00Z"; // Wed 12:00 CEST: D9 primary olga-oncall, secondary omar-oncall
const d9Incidents = () => governanceFiles("governance")["incidents.yml"]!;

function formBody(severity: string, impact: string, service: string): string {
  return `### Severity\n\n${severity}\n\n### Impact\n\n${impact}\n\n### Service or area\n\n${service}\n\n### What you know so far\n\n_No response_`;
}

/** The first line of each of Charter's comments on `issue` that starts with `prefix`, with its mentions. */
function linesStarting(w: Awaited<ReturnType<typeof world>>, issue: number, prefix: string): { at: string; mentions: string[] }[] {
  return w.gh
    .posted(issue)
    .flatMap((p) => p.body.split("\n").filter((l) => l.startsWith(prefix)).map((l) => ({ at: p.at, mentions: mentionsIn(l) })));
}

describe("status-update reminders go to the incident's owner", () => {
  it("D9 with a route that pages the Product Manager first: the on-call who was assigned is reminded, not the PM", async () => {
    const incidents = d9Incidents().replace("\ncommands:", "\nrouting:\n  exports: { assign: on-call-primary, notify: [product-manager] }\n\ncommands:");
    const w = await world({ t0: T0, files: d9Files({ "incidents.yml": incidents }) });
    await w.open({ number: 21, title: "Exports fail", body: formBody("P1 — System down", "Exports fail", "Exports"), labels: [] });
    expect(w.gh.posted(21)[0]!.body).toContain("📣 **Routing for `Exports`**: @pat-pm (Product Manager)");
    await sweepEvery(w, 1, 61, 1);
    expect(linesStarting(w, 21, "⏰")).toEqual([{ at: "2025-06-04T10:15:00.000Z", mentions: ["olga-oncall"] }]);
    expect(linesStarting(w, 21, "📝")).toEqual([
      { at: "2025-06-04T10:30:00.000Z", mentions: ["olga-oncall"] },
      { at: "2025-06-04T11:00:00.000Z", mentions: ["olga-oncall"] },
    ]);
  });

  it("seed 000 security routing: the security on-call who was assigned is reminded, not the primary the route pages", async () => {
    const w = await world({ t0: "2025-06-04T14:00:00Z", files: sevenPersonFiles() });
    await w.open({ number: 11, title: "Suspicious logins", body: formBody("P1", "Credential stuffing against /login", "Security"), labels: [] });
    await sweepEvery(w, 1, 31, 1);
    expect(linesStarting(w, 11, "⏰")).toEqual([{ at: "2025-06-04T14:15:00.000Z", mentions: ["sasha-sec"] }]);
    expect(linesStarting(w, 11, "📝")).toEqual([{ at: "2025-06-04T14:30:00.000Z", mentions: ["sasha-sec"] }]);
  });

  it("`remind` names who else is reminded: [owner, support-lead] reminds the on-call and the Support Lead", async () => {
    const incidents = d9Incidents().replace("    remind: [owner]\n    review: { required: true", "    remind: [owner, support-lead]\n    review: { required: true");
    const w = await world({ t0: T0, files: d9Files({ "incidents.yml": incidents }) });
    await w.open({ number: 22, title: "Uploads fail", labels: ["incident", "severity: P1"] });
    await sweepEvery(w, 1, 31, 1);
    expect(linesStarting(w, 22, "📝")).toEqual([{ at: "2025-06-04T10:30:00.000Z", mentions: ["olga-oncall", "sue-support"] }]);
  });

  it("after /commander the commander is reminded; after /ack (no commander) whoever acknowledged", async () => {
    const w = await world({ t0: T0 });
    await w.open({ number: 23, title: "Uploads fail", labels: ["incident", "severity: P1"] });
    await sweepEvery(w, 1, 61, 1, async (m) => {
      if (m === 20) await w.say(23, "omar-oncall", "/ack");
      if (m === 40) await w.say(23, "sam-sre", "/commander @ana-owner");
    });
    expect(linesStarting(w, 23, "📝")).toEqual([
      { at: "2025-06-04T10:30:00.000Z", mentions: ["omar-oncall"] },
      { at: "2025-06-04T11:00:00.000Z", mentions: ["ana-owner"] },
    ]);
  });
});

describe("the backup named in the start message is declared in the files", () => {
  it("`backup:` on the severity names that role ({{secondary}})", async () => {
    const incidents = d9Incidents().replace("    backup: on-call-secondary\n    escalation:\n      - { after: 0m, notify: [on-call-primary], note: Primary acks }\n      - { after: 15m", "    backup: sre-lead\n    escalation:\n      - { after: 0m, notify: [on-call-primary], note: Primary acks }\n      - { after: 15m");
    const w = await world({ t0: T0, files: d9Files({ "incidents.yml": incidents }) });
    await w.open({ number: 24, title: "Uploads fail", labels: ["incident", "severity: P1"] });
    expect(w.gh.posted(24)[0]!.body).toContain("On-Call: @olga-oncall (secondary: `sam-sre`)");
  });

  it("without `backup:`, a role called on-call-secondary is not guessed: the first ladder target after the assigned one is named", async () => {
    // P1's ladder here: primary, then the Ingestion Owner; on-call-secondary still exists in roles.yml
    const incidents = d9Incidents()
      .replace("    backup: on-call-secondary\n    escalation:\n      - { after: 0m, notify: [on-call-primary], note: Primary acks }\n      - { after: 15m", "    escalation:\n      - { after: 0m, notify: [on-call-primary], note: Primary acks }\n      - { after: 15m")
      .replace("      - { after: 15m, notify: [on-call-secondary], note: Secondary joins }\n", "");
    const w = await world({ t0: T0, files: d9Files({ "incidents.yml": incidents }) });
    await w.open({ number: 25, title: "Uploads fail", labels: ["incident", "severity: P1"] });
    expect(w.gh.posted(25)[0]!.body).toContain("On-Call: @olga-oncall (secondary: `ana-owner`)");
  });

  it("seed 000 security routing names its declared backup (the security secondary, the Tech Lead), not the primary's secondary", async () => {
    const w = await world({ t0: "2025-06-04T14:00:00Z", files: sevenPersonFiles() });
    await w.open({ number: 11, title: "Suspicious logins", body: formBody("P1", "Credential stuffing against /login", "Security"), labels: [] });
    expect(w.gh.posted(11)[0]!.body).toContain("On-call: @sasha-sec (secondary: `tara-lead`)");
  });
});
