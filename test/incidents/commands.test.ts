/**
 * The incident commands through the real app: /severity re-plans, /resolve closes and opens the
 * post-incident review, /reopen, /commander, /page, /escalate, /oncall, and closing or reopening
 * in GitHub's UI. D9 on Wed 2025-06-04: primary olga-oncall, secondary omar-oncall.
 */
import { afterEach, describe, expect, it } from "vitest";
import { OWNER, REPO } from "../support/governance-mock.js";
import { cleanup, pageLines, sweepEvery, world } from "./support/world.js";

afterEach(cleanup);

const T0 = "2025-06-04T10:00:00Z";
const R = `/repos/${OWNER}/${REPO}`;

describe("/severity", () => {
  it("P2 → P1 at +20 relabels and re-plans from the opening: past steps paged once now (marked), later ones at their P1 times", async () => {
    const w = await world({ t0: T0 });
    await w.open({ number: 12, title: "Ingestion slow", labels: ["incident", "severity: P2"] });
    await sweepEvery(w, 1, 19);
    w.at(20);
    w.gh.clear();
    await w.say(12, "olga-oncall", "/severity P1 all clients now failing");
    const writes = w.gh.writes().map((r) => `${r.method} ${r.path}`);
    expect(writes).toEqual([
      `DELETE ${R}/issues/12/labels/severity: P2`,
      `POST ${R}/issues/12/labels`,
      `POST ${R}/issues/12/comments`,
      `POST ${R}/issues/12/assignees`,
      `PATCH ${R}/issues/comments/${w.gh.botComments(12)[0]!.id}`,
      `POST ${R}/issues/comments/${w.gh.comments.at(-2)!.id}/reactions`,
    ]);
    expect(w.gh.issues.get(12)!.labels).toEqual(["incident", "severity: P1"]);
    const change = w.gh.posted(12).at(-1)!.body;
    expect(change.split("\n<!--")[0]).toBe(
      [
        "⬆️ **Severity P2 → P1** by @olga-oncall: all clients now failing",
        "",
        "The P1 ladder now applies, counted from 12:00 CEST:",
        "- +0m On-Call Primary (Primary acks): already paged",
        "- +15m On-Call Secondary (Secondary joins): paged now",
        "- +30m Ingestion Owner (Ingestion Owner joins): at 12:30 CEST unless acknowledged",
        "- +1h SRE Lead, Product Manager (SRE Lead + PM): at 13:00 CEST unless acknowledged",
        "",
        "🔔 **Step 2 of 4 of the P1 ladder (+15m, Secondary joins)**: @omar-oncall (On-Call Secondary) — due at +15m on the P1 ladder, which applies since the severity changed; paged now",
        "",
      ].join("\n"),
    );
    await sweepEvery(w, 21, 70);
    expect(pageLines(w, 12).map((p) => [p.minute, p.mentions])).toEqual([
      [0, ["olga-oncall"]],
      [20, ["omar-oncall"]],
      [30, ["ana-owner"]],
      [60, ["sam-sre", "pat-pm"]],
    ]);
    const state = w.gh.state(12);
    expect(state.severity).toBe("P1");
    expect(state.ladder).toMatchObject({ gen: 2, severity: "P1", start: "2025-06-04T10:00:00.000Z", replannedAt: "2025-06-04T10:20:00.000Z" });
    expect(state.pages.map((p) => [p.key, p.kind, p.late ?? ""])).toEqual([
      ["s1.0", "step", ""],
      ["s2.0", "covered", ""],
      ["s2.1", "step", "replanned"],
      ["s2.2", "step", ""],
      ["s2.3", "step", ""],
    ]);
    expect(state.severityChanges).toEqual([{ from: "P2", to: "P1", by: "olga-oncall", at: "2025-06-04T10:20:00.000Z", reason: "all clients now failing" }]);
  });

  it("P1 → P3 drops the remaining P1 steps", async () => {
    const w = await world({ t0: T0 });
    await w.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    w.at(5);
    await w.say(12, "sam-sre", "/severity P3 only one client");
    await sweepEvery(w, 6, 120, 5);
    expect(pageLines(w, 12).map((p) => [p.minute, p.mentions])).toEqual([[0, ["olga-oncall"]]]);
    expect(w.gh.issues.get(12)!.labels).toEqual(["incident", "severity: P3"]);
  });
});

describe("/resolve, the review, /reopen", () => {
  it("posts the resolved message, closes as completed, opens the review assigned to the owner with a timeline and a Mermaid diagram", async () => {
    const w = await world({ t0: T0 });
    await w.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    await sweepEvery(w, 1, 20, 1, async (m) => {
      if (m === 7) await w.say(12, "olga-oncall", "/ack");
      if (m === 12) await w.say(12, "ana-owner", "/commander @sam-sre");
    });
    w.at(50);
    await w.say(12, "sam-sre", "/update identified Disk full on ingest-2");
    w.at(95);
    w.gh.clear();
    await w.say(12, "olga-oncall", "/resolve Disk full on ingest-2\nExpanded the volume, added an alert");
    const writes = w.gh.writes();
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${R}/issues`,
      `POST ${R}/issues/12/comments`,
      `PATCH ${R}/issues/12`,
      `PATCH ${R}/issues/comments/${w.gh.botComments(12)[0]!.id}`,
      `POST ${R}/issues/comments/${w.gh.comments.find((c) => c.body.startsWith("/resolve"))!.id}/reactions`,
    ]);
    const review = writes[0]!.body!;
    expect(review.title).toBe("Post-incident review: #12 Ingestion down (P1), due 2025-06-09");
    expect(review.assignees).toEqual(["ana-owner"]);
    const body = String(review.body);
    expect(body).toContain("- **Due:** Mon 2025-06-09 13:35 CEST");
    expect(body).toContain(
      [
        "## Timeline",
        "",
        "- **+0m** (12:00 CEST): Opened by reporter as P1",
        "- **+0m** (12:00 CEST): Paged On-Call Primary (`olga-oncall`): Primary acks",
        "- **+7m** (12:07 CEST): Acknowledged by olga-oncall",
        "- **+12m** (12:12 CEST): sam-sre named incident commander by ana-owner",
        "- **+50m** (12:50 CEST): Update (identified) by sam-sre: Disk full on ingest-2",
        "- **+1h 35m** (13:35 CEST): Resolved by olga-oncall: Disk full on ingest-2",
      ].join("\n"),
    );
    expect(body).toContain(
      [
        "```mermaid",
        "timeline",
        "    title Incident 12 - P1 - Ingestion down",
        "    +0m : Opened by reporter as P1",
        "         : Paged On-Call Primary (olga-oncall) Primary acks",
        "    +7m : Acknowledged by olga-oncall",
        "    +12m : sam-sre named incident commander by ana-owner",
        "    +50m : Update (identified) by sam-sre Disk full on ingest-2",
        "    +1h 35m : Resolved by olga-oncall Disk full on ingest-2",
        "```",
      ].join("\n"),
    );
    const resolved = w.gh.posted(12).at(-1)!.body;
    expect(resolved.split("\n<!--")[0]).toBe(
      [
        "🟢 RESOLVED: Ingestion P1",
        "Time: Wed 2025-06-04 13:35 CEST",
        "Duration: 1h 35m",
        "Root cause: Disk full on ingest-2",
        "Resolution: Expanded the volume, added an alert",
        "Follow-up: post-incident review #501, due 2025-06-09, owner Ingestion Owner (`ana-owner`)",
        "",
      ].join("\n"),
    );
    expect(writes[2]!.body).toEqual({ state: "closed", state_reason: "completed" });
    expect(w.gh.state(12).resolution).toMatchObject({ by: "olga-oncall", rootCause: "Disk full on ingest-2", review: { number: 501, due: "2025-06-09T11:35:00.000Z", assignees: ["ana-owner"] } });
    // nothing is due after resolution, whatever the time
    w.gh.clear();
    await sweepEvery(w, 100, 300, 50);
    expect(w.gh.writes()).toEqual([]);
    // /reopen: open again, a new episode, the ladder starts again from now and pages step 0
    w.at(300);
    await w.say(12, "olga-oncall", "/reopen");
    expect(w.gh.issues.get(12)!.state).toBe("open");
    expect(pageLines(w, 12).at(-1)).toMatchObject({ minute: 300, mentions: ["olga-oncall"] });
    expect(w.gh.posted(12).at(-1)!.body).toContain("🔁 **Reopened** by @olga-oncall at 17:00 CEST: the P1 ladder starts again from now.");
    await sweepEvery(w, 301, 315, 14);
    expect(pageLines(w, 12).at(-1)).toMatchObject({ minute: 315, mentions: ["omar-oncall"] });
    const state = w.gh.state(12);
    expect(state.episode).toBe(2);
    expect(state.history).toHaveLength(1);
    expect(state.resolution).toBeUndefined();
  });

  it("closing the issue in GitHub without /resolve resolves it (no root cause) and still opens the required review", async () => {
    const w = await world({ t0: T0 });
    await w.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    w.at(40);
    const issue = w.gh.issues.get(12)!;
    issue.state = "closed";
    await w.deliver("issues", w.gh.issuesPayload("closed", 12, { sender: "ana-owner" }));
    expect(w.gh.posted(12).at(-1)!.body).toContain("Root cause: not given (closed without `/resolve`)");
    expect(w.gh.writes().filter((r) => r.method === "POST" && r.path === `${R}/issues`)).toHaveLength(1);
    expect(w.gh.writes().filter((r) => r.method === "PATCH" && r.path === `${R}/issues/12`)).toEqual([]);
    // reopening in the UI restarts the ladder
    w.at(60);
    issue.state = "open";
    await w.deliver("issues", w.gh.issuesPayload("reopened", 12, { sender: "ana-owner" }));
    expect(w.gh.state(12).episode).toBe(2);
    expect(pageLines(w, 12).at(-1)).toMatchObject({ minute: 60, mentions: ["olga-oncall"] });
  });
});

describe("/ack, /escalate, /commander, /page, /oncall", () => {
  it("/ack twice: the second answer says who acknowledged; /escalate past the last step is refused", async () => {
    const w = await world({ t0: T0 });
    await w.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P3"] });
    w.at(3);
    await w.say(12, "olga-oncall", "/ack");
    await w.say(12, "omar-oncall", "/ack");
    expect(w.gh.posted(12).at(-1)!.body).toBe("> /ack\n\n@omar-oncall incident #12 was already acknowledged by `olga-oncall` at 12:03 CEST; nothing changed.");
    await w.say(12, "omar-oncall", "/escalate");
    expect(w.gh.posted(12).at(-1)!.body).toBe(
      "> /escalate\n\n@omar-oncall `/escalate` refused: every step of the P3 ladder has been paged already. To bring in someone else: `/page <role> [message]`. Usage: `/escalate [reason]`.",
    );
  });

  it("/commander names and assigns; reminders then address the commander. /page pages a role's holders now", async () => {
    const w = await world({ t0: T0 });
    await w.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P2"] });
    w.at(5);
    await w.say(12, "ana-owner", "/commander @sam-sre");
    expect(w.gh.posted(12).at(-1)!.body.split("\n")[0]).toBe("🎖️ @sam-sre is the incident commander, named by `ana-owner`.");
    expect(w.gh.issues.get(12)!.assignees).toEqual(["olga-oncall", "sam-sre"]);
    w.at(10);
    await w.say(12, "olga-oncall", "/page database-owner check replication lag\nlag is 40 minutes on replica-3");
    expect(w.gh.posted(12).at(-1)!.body.split("\n<!--")[0]).toBe("📟 **Paged by `olga-oncall`**: @dora-db (Database Owner)\n\n> check replication lag\n> lag is 40 minutes on replica-3\n");
    w.at(30);
    await w.sweep();
    const reminder = w.gh.posted(12).at(-1)!.body.split("\n").find((l) => l.startsWith("📝"))!;
    expect(reminder).toContain("@sam-sre, post one with");
  });

  it("/oncall answers anywhere with who holds each tier now and the next handoff", async () => {
    const w = await world({ t0: T0 });
    w.gh.addIssue({ number: 3, title: "Question" });
    await w.say(3, "anybody", "/oncall");
    const reply = w.gh.posted(3)[0]!.body;
    expect(reply).toContain("@anybody on call at Wed 2025-06-04 12:00 CEST:");
    expect(reply).toContain("| Ingestion on-call | Primary (`ingestion/primary`) | `olga-oncall` | Mon 2025-06-09 09:00 CEST → `omar-oncall` |");
    expect(reply).toContain("| Ingestion on-call | Secondary (`ingestion/secondary`) | `omar-oncall` | Mon 2025-06-09 09:00 CEST → `opal-oncall` |");
    expect(reply).not.toMatch(/(^|\s)@(olga|omar|opal)/);
    expect(w.gh.writes().find((r) => r.path.endsWith("/reactions"))!.body).toEqual({ content: "eyes" });
  });
});
