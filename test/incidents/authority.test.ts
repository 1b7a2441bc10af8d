/**
 * Commands are authorised against incidents.yml `commands` and roles.yml at the time of the
 * comment. A refusal is a reply saying why and what would be accepted; nothing else changes.
 * D9 on Wed 2025-06-04: on call olga-oncall (primary) and omar-oncall (secondary).
 */
import { afterEach, describe, expect, it } from "vitest";
import { OWNER, REPO } from "../support/governance-mock.js";
import { cleanup, world, type World } from "./support/world.js";

afterEach(cleanup);

const T0 = "2025-06-04T10:00:00Z";

async function incident(w: World) {
  await w.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P2"] });
  w.at(5);
  w.gh.clear();
}

/** Charter's replies to commands (they quote the command). */
const replies = (w: World, issue = 12) => w.gh.posted(issue).filter((p) => p.body.startsWith("> "));

/** Everything written besides the refusal reply. */
function otherWrites(w: World) {
  return w.gh.writes().filter((r) => !(r.method === "POST" && r.path === `/repos/${OWNER}/${REPO}/issues/12/comments` && String(r.body?.body).includes("refused")));
}

describe("command authority", () => {
  it("/severity by someone the model does not allow is refused with a reply; nothing else changes", async () => {
    const w = await world({ t0: T0 });
    await incident(w);
    const before = JSON.stringify(w.gh.state(12));
    await w.say(12, "mallory", "/severity P1 this is bad");
    expect(replies(w)).toHaveLength(1);
    expect(replies(w)[0]!.body).toBe(
      "> /severity P1 this is bad\n\n@mallory `/severity` refused: `governance/incidents.yml` lets On-Call (`olga-oncall`, `omar-oncall`), Ingestion Owner (`ana-owner`, backup `ben-owner`) or SRE Lead (`sam-sre`, backup `sid-sre`) run `/severity`, and `mallory` is none of them now. Nothing was changed.",
    );
    expect(otherWrites(w)).toEqual([]);
    expect(w.gh.writes().some((r) => r.method === "PATCH" || r.path.includes("/labels"))).toBe(false);
    expect(JSON.stringify(w.gh.state(12))).toBe(before);
    expect(w.gh.issues.get(12)!.labels).toEqual(["incident", "severity: P2"]);
  });

  it("/resolve by the support lead (may /update, not /resolve) is refused; the issue stays open", async () => {
    const w = await world({ t0: T0 });
    await incident(w);
    await w.say(12, "sue-support", "/resolve it was DNS");
    expect(replies(w).map((p) => p.body.split("\n")[2])).toEqual([
      "@sue-support `/resolve` refused: `governance/incidents.yml` lets On-Call (`olga-oncall`, `omar-oncall`), Ingestion Owner (`ana-owner`, backup `ben-owner`) or SRE Lead (`sam-sre`, backup `sid-sre`) run `/resolve`, and `sue-support` is none of them now. Nothing was changed.",
    ]);
    expect(otherWrites(w)).toEqual([]);
    expect(w.gh.issues.get(12)!.state).toBe("open");
    // …while /update is hers to run
    await w.say(12, "sue-support", "/update investigating Two clients report failed uploads");
    expect(w.gh.state(12).updates).toEqual([{ by: "sue-support", at: "2025-06-04T10:05:00.000Z", status: "investigating", text: "Two clients report failed uploads" }]);
  });

  it("authority follows the rotation: last week's primary may not /resolve, this week's may", async () => {
    const w = await world({ t0: T0 });
    await incident(w);
    await w.say(12, "opal-oncall", "/resolve fixed"); // not on call this week
    expect(w.gh.posted(12).at(-1)!.body).toContain("`opal-oncall` is none of them now");
    await w.say(12, "olga-oncall", "/resolve Disk full on ingest-2\nExpanded the volume");
    expect(w.gh.issues.get(12)!.state).toBe("closed");
  });

  it("`assignees` are the people Charter assigned: assigned by hand, dora-db may not /update; paged (and so assigned) by Charter, she may", async () => {
    const w = await world({ t0: T0 });
    await incident(w);
    // (before #10 this was accepted: anyone with triage could assign themselves and run assignees' commands)
    w.gh.issues.get(12)!.assignees.push("dora-db");
    await w.say(12, "dora-db", "/update identified replication lag on replica-3");
    expect(replies(w).at(-1)!.body).toContain("`dora-db` is assigned to the issue, but not by Charter: being assigned gives no authority by itself.");
    expect(w.gh.state(12).updates).toEqual([]);
    await w.say(12, "olga-oncall", "/page database-owner replication lag");
    await w.say(12, "dora-db", "/update identified replication lag on replica-3");
    expect(w.gh.state(12).updates.map((u) => u.by)).toEqual(["dora-db"]);
  });

  it("commands on an issue that is not an incident are refused clearly; /help there lists no incident command", async () => {
    const w = await world({ t0: T0 });
    w.gh.addIssue({ number: 40, title: "Docs typo", labels: ["documentation"] });
    await w.say(40, "olga-oncall", "/ack");
    await w.say(40, "olga-oncall", "/help");
    const bodies = w.gh.posted(40).map((p) => p.body);
    expect(bodies[0]).toBe(
      "> /ack\n\n@olga-oncall `/ack` refused: #40 is not an incident: it has neither the `incident` label nor a severity label. Open incidents with the Incident issue form, or add the `incident` label. Nothing was changed.",
    );
    expect(bodies[1]).not.toMatch(/`\/(ack|severity|resolve)/);
    expect(bodies[1]).toContain("`/oncall`");
    expect(w.gh.writes().filter((r) => !r.path.endsWith("/issues/40/comments"))).toEqual([]);
  });

  it("bad arguments are refused with what would be accepted, and change nothing", async () => {
    const w = await world({ t0: T0 });
    await incident(w);
    await w.say(12, "olga-oncall", "/severity P9");
    await w.say(12, "olga-oncall", "/update fixing it now");
    await w.say(12, "olga-oncall", "/resolve");
    await w.say(12, "olga-oncall", "/commander alice bob");
    await w.say(12, "olga-oncall", "/page sre-laed wake up");
    const refusals = replies(w).map((p) => p.body.split("\n")[2]);
    expect(refusals).toEqual([
      "@olga-oncall `/severity` refused: `P9` is not a severity (did you mean `P1`?); use one of `P1`, `P2`, `P3`. Usage: `/severity <level> [reason]`.",
      "@olga-oncall `/update` refused: `fixing` is not a status; use one of `investigating`, `identified`, `mitigating`, `monitoring`, `resolved`. Usage: `/update <investigating|identified|mitigating|monitoring|resolved> <what you know>`.",
      "@olga-oncall `/resolve` refused: say the root cause, e.g. `/resolve Expired TLS certificate on the ingest gateway` (lines below it: what fixed it). Usage: `/resolve <root cause>`.",
      "@olga-oncall `/commander` refused: name one person, e.g. `/commander @alice`. Usage: `/commander @login`.",
      "@olga-oncall `/page` refused: `sre-laed` is not a role or on-call tier (did you mean `sre-lead`?); roles: `ingestion-owner`, `on-call-primary`, `on-call-secondary`, `on-call`, `sre-lead`, `database-owner`, `product-manager`, `support-lead`, `account-manager`. Usage: `/page <role> [message]`.",
    ]);
    expect(otherWrites(w)).toEqual([]);
  });
});
