/**
 * `charter drill incident`: a scripted incident against the real files, with no GitHub and
 * nothing written. Its answers are the app's: the same incident played through the real app
 * against a fake GitHub pages and reminds the same people at the same minutes.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { drillIncident } from "../../src/core/drill/incident.js";
import { mermaidEscape } from "../../src/core/drill/mermaid.js";
import { loadGovernance } from "../../src/load/load.js";
import { directorySource, memorySource } from "../../src/load/source.js";
import { charter, ROOT } from "../cli/support.js";
import { mentionsIn } from "../incidents/support/fake-github.js";
import { cleanup, sweepEvery, world } from "../incidents/support/world.js";
import { applyEdits, d9Texts } from "../validate/support.js";

afterEach(cleanup);

const MUST_SHOW = "2025-03-31T08:55+02:00"; // five minutes before the Monday 09:00 handoff in Berlin

async function d9() {
  const r = await loadGovernance(directorySource(join(ROOT, "governance"), "governance"));
  if (!r.ok) throw new Error("governance/ is invalid");
  return r.governance;
}

/** The rows of the drill's table: [when, what, who]. */
function rows(out: string): string[][] {
  return out
    .split("\n")
    .filter((l) => /^\| \+/.test(l))
    .map((l) => l.split(" | ").map((c) => c.replace(/^\|? ?/, "").replace(/ ?\|$/, "").trim()))
    .map((c) => [c[0]!, c[3]!, c[4]!]);
}

describe("charter drill incident P1 on D9, five minutes before the Monday handoff", () => {
  it("assigns this week's primary, names this week's secondary, and pages the NEW week's secondary at +15", async () => {
    const r = await charter(ROOT, "drill", "incident", "P1", "--at", MUST_SHOW);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Drill: a P1 incident (System down), opened Mon 2025-03-31 08:55 CEST (2025-03-31T06:55Z), never acknowledged, followed for 4h.");
    expect(r.out).toContain("- Assigned: omar-oncall (On-Call Primary), the `assign` of P1.");
    expect(r.out).toContain("- Backup named in the start message: oscar-oncall (On-Call Secondary), the `backup` of P1.");
    // where each message would also go, from governance/notify.yml (issue 13: the drill says it), through the app's
    // outbox: /ack and /resolve reach the PagerDuty alert of every channel a page triggered, as `charter explain notify` says
    expect(r.out.split("\n").filter((l) => l.startsWith("- Outside GitHub"))).toEqual([
      "- Outside GitHub (notify.yml): the start → #ingestion-rollout, PagerDuty (on-call primary); a page to On-Call Primary → PagerDuty (on-call primary); a page to On-Call Secondary → PagerDuty (on-call secondary); a page to Ingestion Owner → PagerDuty phone (Ingestion Owner, SRE Lead); a page to SRE Lead, Product Manager → PagerDuty phone (Ingestion Owner, SRE Lead), Slack DM (Product Manager); an acknowledgement → acknowledges the incident's alerts on PagerDuty (on-call primary), PagerDuty (on-call secondary), PagerDuty phone (Ingestion Owner, SRE Lead); an update → #ingestion-rollout; the resolution → #ingestion-rollout, and resolves the incident's alerts on PagerDuty (on-call primary), PagerDuty (on-call secondary), PagerDuty phone (Ingestion Owner, SRE Lead).",
    ]);
    expect(rows(r.out).slice(0, 9)).toEqual([
      ["+0m", "opened; assigned", "omar-oncall (On-Call Primary)"],
      ["+0m", "step 1 of 4 (Primary acks)", "omar-oncall (On-Call Primary)"],
      ["+5m", "handoff of ingestion/primary: omar-oncall → oscar-oncall", ""],
      ["+5m", "handoff of ingestion/secondary: oscar-oncall → olga-oncall", ""],
      ["+15m", "step 2 of 4 (Secondary joins)", "olga-oncall (On-Call Secondary)"],
      ["+15m", "not acknowledged within 15m: notice to the owner", "omar-oncall"],
      ["+30m", "step 3 of 4 (Ingestion Owner joins)", "ana-owner (Ingestion Owner)"],
      ["+30m", "status update due (every 30m): reminder", "omar-oncall"],
      ["+1h", "step 4 of 4 (SRE Lead + PM)", "sam-sre (SRE Lead), pat-pm (Product Manager)"],
    ]);
    expect(r.out).toMatch(/^\| \+15m +\| Mon 2025-03-31 09:10 CEST \| 2025-03-31T07:10Z \| step 2 of 4 \(Secondary joins\) +\| olga-oncall \(On-Call Secondary\) +\|$/m);
    expect(r.out).toContain("On-Call: @omar-oncall (secondary: `oscar-oncall`)");
    expect(r.out).toContain("Warnings (the 8 weeks from Mon 2025-03-31 08:55 CEST): none.");
  });

  it("is what the app does: the same incident, opened on a fake GitHub and swept every minute, pages and reminds the same people at the same minutes", async () => {
    const g = await d9();
    const drill = drillIncident(g, { severity: "P1", at: new Date(MUST_SHOW), forMs: 70 * 60_000 });
    const expected = drill.events
      .filter((e) => ["step", "ack-deadline", "reminder"].includes(e.kind))
      .map((e) => ({ minute: e.offsetMs / 60_000, kind: e.kind, people: e.people }));

    const w = await world({ t0: "2025-03-31T06:55:00Z" });
    await w.open({ number: 31, title: "Uploads fail", labels: ["incident", "severity: P1"] });
    await sweepEvery(w, 1, 70, 1);
    const seen: { minute: number; kind: string; people: string[] }[] = [];
    for (const p of w.gh.posted(31)) {
      const minute = Math.round((Date.parse(p.at) - Date.parse("2025-03-31T06:55:00Z")) / 60_000);
      for (const line of p.body.split("\n")) {
        const kind = line.startsWith("🔔") ? "step" : line.startsWith("⏰") ? "ack-deadline" : line.startsWith("📝") ? "reminder" : undefined;
        if (kind) seen.push({ minute, kind, people: mentionsIn(line) });
      }
    }
    expect(seen).toEqual(expected);
    expect(expected.map((e) => e.minute)).toEqual([0, 15, 15, 30, 30, 60, 60]);
  });

  it("--ack 20m: the owner acknowledges; steps that stop on acknowledgement are not paged, reminders go on to the acknowledger", async () => {
    const r = await charter(ROOT, "drill", "incident", "P1", "--at", MUST_SHOW, "--ack", "20m", "--for", "1h");
    expect(r.code).toBe(0);
    expect(r.out).toContain("acknowledged at +20m by omar-oncall, followed for 1h.");
    expect(rows(r.out).filter((x) => !x[1]!.startsWith("handoff"))).toEqual([
      ["+0m", "opened; assigned", "omar-oncall (On-Call Primary)"],
      ["+0m", "step 1 of 4 (Primary acks)", "omar-oncall (On-Call Primary)"],
      ["+15m", "step 2 of 4 (Secondary joins)", "olga-oncall (On-Call Secondary)"],
      ["+15m", "not acknowledged within 15m: notice to the owner", "omar-oncall"],
      ["+20m", "/ack by the owner", "omar-oncall"],
      ["+30m", "status update due (every 30m): reminder", "omar-oncall"],
      ["+1h", "status update due (every 30m): reminder", "omar-oncall"],
    ]);
    // the /ack at +20 acknowledges the alerts the two pages before it opened; nothing is paged after it
    expect(r.out.split("\n").filter((l) => l.startsWith("- Outside GitHub"))).toEqual([
      "- Outside GitHub (notify.yml): the start → #ingestion-rollout, PagerDuty (on-call primary); a page to On-Call Primary → PagerDuty (on-call primary); a page to On-Call Secondary → PagerDuty (on-call secondary); an acknowledgement → acknowledges the incident's alerts on PagerDuty (on-call primary), PagerDuty (on-call secondary); an update → #ingestion-rollout; the resolution → #ingestion-rollout, and resolves the incident's alerts on PagerDuty (on-call primary), PagerDuty (on-call secondary).",
    ]);
  });

  it("--ack 5m on P2: the acknowledgement reaches the one alert opened before it; the resolution also those of the steps that page until resolved", async () => {
    const r = await charter(ROOT, "drill", "incident", "P2", "--at", "2025-06-04T12:00+02:00", "--ack", "5m", "--for", "90m");
    expect(r.code).toBe(0);
    expect(r.out.split("\n").filter((l) => l.startsWith("- Outside GitHub"))).toEqual([
      "- Outside GitHub (notify.yml): the start → #ingestion-rollout, PagerDuty (on-call primary); a page to On-Call Primary → PagerDuty (on-call primary); a page to On-Call Secondary → PagerDuty (on-call secondary); a page to Ingestion Owner → PagerDuty phone (Ingestion Owner, SRE Lead); an acknowledgement → acknowledges the incident's alert on PagerDuty (on-call primary); an update → #ingestion-rollout; the resolution → #ingestion-rollout, and resolves the incident's alerts on PagerDuty (on-call primary), PagerDuty (on-call secondary), PagerDuty phone (Ingestion Owner, SRE Lead).",
    ]);
  });

  it("P2 with --ack 5m: the steps that run until resolved still page", async () => {
    const r = await charter(ROOT, "drill", "incident", "p2", "--at", "2025-06-04T12:00+02:00", "--ack", "5m", "--for", "90m");
    expect(r.code).toBe(0);
    const steps = rows(r.out).filter((x) => x[1]!.startsWith("step"));
    expect(steps).toEqual([
      ["+0m", "step 1 of 3 (Primary acks)", "olga-oncall (On-Call Primary)"],
      ["+30m", "step 2 of 3 (Secondary notified), until resolved", "omar-oncall (On-Call Secondary)"],
      ["+1h", "step 3 of 3 (Ingestion Owner if unresolved), until resolved", "ana-owner (Ingestion Owner)"],
    ]);
  });

  it("across the spring-forward night: +15m after 01:50 CET is 03:05 CEST", async () => {
    const r = await charter(ROOT, "drill", "incident", "P1", "--at", "2025-03-30T01:50+01:00", "--for", "30m");
    expect(r.out).toMatch(/^\| \+15m +\| Sun 2025-03-30 03:05 CEST \| 2025-03-30T01:05Z \| step 2 of 4/m);
  });

  it("--json: the same answer as data", async () => {
    const r = await charter(ROOT, "drill", "incident", "P1", "--at", MUST_SHOW, "--for", "20m", "--json");
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out) as { severity: string; zone: string; assigned: { people: string[] }; backup: { people: string[] }; owner: string[]; events: { kind: string; offset: string; local: string; people: string[] }[]; warnings: unknown[] };
    expect(d).toMatchObject({ severity: "P1", zone: "Europe/Berlin", assigned: { people: ["omar-oncall"] }, backup: { people: ["oscar-oncall"] }, owner: ["omar-oncall"], warnings: [] });
    expect(d.events.find((e) => e.kind === "step" && e.offset === "+15m")).toMatchObject({ local: "Mon 2025-03-31 09:10 CEST", people: ["olga-oncall"] });
  });

  it("--markdown: the table and a Mermaid timeline whose every label is neutralised and escaped", async () => {
    const r = await charter(ROOT, "drill", "incident", "P1", "--at", MUST_SHOW, "--for", "30m", "--markdown");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# Drill: P1 incident \(System down\)$/m);
    const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(r.out)![1]!;
    expect(mermaid.split("\n").slice(0, 3)).toEqual([
      "timeline",
      "    title P1 drill, opened Mon 2025-03-31 08#58;55 CEST",
      "    +0m 08#58;55 CEST : opened#59; assigned#58; omar-oncall (On-Call Primary) : step 1 of 4 (Primary acks)#58; omar-oncall (On-Call Primary)",
    ]);
    expect(mermaid).toContain("    +15m 09#58;10 CEST : step 2 of 4 (Secondary joins)#58; olga-oncall (On-Call Secondary)");
  });
});

describe("hostile text in the files cannot break out of the report", () => {
  const hostile = 'Secondary: joins #1; %%{init: {"theme":"dark"}}%%\n```\n<!-- charter:incident --> @acme/everyone | x';

  it("a note with Mermaid syntax, a fence, a marker, a mention and a pipe: labels escaped, the fence holds, nobody notified", async () => {
    const files = applyEdits(d9Texts(), [{ file: "incidents.yml", from: "{ after: 15m, notify: [on-call-secondary], note: Secondary joins }", to: `{ after: 15m, notify: [on-call-secondary], note: ${JSON.stringify(hostile)} }` }]);
    const result = await loadGovernance(memorySource(files));
    expect(result.diagnostics).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), "charter-drill-hostile-"));
    try {
      for (const [name, text] of Object.entries(files)) {
        const path = join(dir, "governance", name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
      }
      const r = await charter(dir, "drill", "incident", "P1", "--at", MUST_SHOW, "--for", "20m", "--markdown");
      expect(r.code).toBe(0);
      const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(r.out)![1]!;
      // every line of the diagram: `timeline`, the title, or `    <period> : <event> : <event>`, with no raw `:`, `#`, `;`, `%` or backtick in a label
      for (const line of mermaid.split("\n").slice(2)) {
        const [period, ...events] = line.trim().split(" : ");
        for (const label of [period!, ...events]) expect(label).toMatch(/^(?:[A-Za-z0-9 .,+\-/_()]|#\d+;)*$/);
      }
      expect(mermaid).toContain(mermaidEscape("Secondary: joins #1; %%{init"));
      // outside the diagram: the table cell neutralised (no live mention, no HTML comment, pipe escaped)
      const row = r.out.split("\n").find((l) => l.startsWith("| +15m") && l.includes("step 2 of 4"))!;
      expect(row).toContain("&lt;!-- charter:incident --&gt; @\u200bacme/everyone \\| x");
      expect(r.out).not.toContain("<!-- charter:incident -->");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("mermaidEscape leaves only plain characters and entity codes", () => {
    expect(mermaidEscape("a: b; #c %% `d` <e> \"f\" →")).toBe("a#58; b#59; #35;c #37;#37; #96;d#96; #60;e#62; #34;f#34; #8594;");
  });
});

describe("a drill never writes anywhere", () => {
  it("leaves the governance directory byte for byte as it was and makes no request", async () => {
    const dir = mkdtempSync(join(tmpdir(), "charter-drill-ro-"));
    try {
      cpSync(join(ROOT, "governance"), join(dir, "governance"), { recursive: true });
      const snapshot = () => readdirSync(dir, { recursive: true }).map(String).sort().map((f) => [f, statSync(join(dir, f)).isFile() ? readFileSync(join(dir, f), "utf8") : "", statSync(join(dir, f)).mtimeMs]);
      const before = snapshot();
      nock.disableNetConnect();
      for (const args of [["incident", "P1", "--at", MUST_SHOW], ["incident", "P2", "--markdown"], ["gate", "P3", "P4"], ["rollback", "planned"], ["resume", "--paused", "2h"], ["path", "db/migrations/1.sql"], ["warnings"]]) {
        const r = await charter(dir, "drill", ...args);
        expect([args.join(" "), r.code]).toEqual([args.join(" "), 0]);
      }
      expect(snapshot()).toEqual(before);
      expect(nock.pendingMocks()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("bad input: a clear message, exit 1 or 2", () => {
  it("an unknown severity gets a did-you-mean (exit 1)", async () => {
    const r = await charter(ROOT, "drill", "incident", "P7x");
    expect(r.code).toBe(1);
    expect(r.err).toBe("charter drill: unknown severity `P7x`. Known: P1, P2, P3.");
  });

  it.each([
    [["incident", "P1", "--ack", "soon"], "--ack needs a duration such as 20m or 1h (got `soon`)"],
    [["incident", "P1", "--for", "0"], "--for is more than 0 and at most 7d (got `0`)"],
    [["incident", "P1", "--at", "tomorrow"], "--at needs an instant with its offset"],
    [["incident"], "name one severity, e.g. `charter drill incident P1`"],
    [["gate", "P3", "P4", "--ack", "5m"], "--ack only applies to `drill incident`"],
    [["resume"], "how long was it paused? give --paused <duration>, e.g. --paused 2h"],
    [[], "what should I drill?"],
    [["incidnt", "P1"], "cannot drill `incidnt`; did you mean `incident`?"],
  ])("%j → exit 2", async (args, message) => {
    const r = await charter(ROOT, "drill", ...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});
