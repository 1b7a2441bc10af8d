/**
 * Faults in the deliveries themselves (issue 7): bad signatures, truncated and non-JSON bodies,
 * enormous payloads, comment bodies at GitHub's 65,536-character limit, and a GitHub so slow that
 * the handler outlives GitHub's 10-second webhook timeout. Through Probot's real webhook middleware.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commentAtLimit, GITHUB_COMMENT_LIMIT, sendFaultyWebhook, type BodyFault } from "../emulator/index.js";
import { INCIDENT_BODY, PEOPLE } from "../e2e/support/stories.js";
import { FaultWorld, REPO } from "./support/world.js";

const START = "2025-06-04T13:00:00Z";

let w: FaultWorld;
let incident: number;
const rejections: unknown[] = [];
const onRejection = (e: unknown) => rejections.push(e);

beforeAll(async () => {
  process.on("unhandledRejection", onRejection);
  w = await FaultWorld.start({ start: START, policy: { requestTimeoutMs: 60_000 } });
  incident = await w.openIssue(PEOPLE.primary, { title: "Ingested batches do not match their source checksums", body: INCIDENT_BODY, labels: ["incident"] });
  await w.comment(PEOPLE.primary, incident, "/killswitch status"); // compiles the validators this file uses
}, 120_000);

afterAll(async () => {
  process.off("unhandledRejection", onRejection);
  await w?.stop();
  expect(rejections).toEqual([]);
});

describe("damaged deliveries change nothing", () => {
  it.each<[BodyFault, number[]]>([
    ["bad-signature", [400, 401]],
    ["truncated", [400]],
    ["not-json", [400]],
  ])("%s: refused with %j, no request to GitHub, no comment", async (fault, statuses) => {
    const c = w.writeComment(PEOPLE.primary, incident, "/killswitch status");
    const comments = w.gh.listComments(REPO, incident).length;
    w.gh.clearRequestLog();
    const res = await sendFaultyWebhook(w.webhookUrl, "issue_comment", c.delivery(), fault, { secret: w.secret });
    expect(statuses).toContain(res.status);
    expect(w.gh.requestLog).toEqual([]);
    expect(w.gh.listComments(REPO, incident)).toHaveLength(comments);
  });

  it("an enormous delivery (25 MiB, GitHub's cap) is handled like a normal one, within 10 s", async () => {
    const c = w.writeComment(PEOPLE.primary, incident, "/killswitch status");
    const before = w.botComments(incident).length;
    const res = await sendFaultyWebhook(w.webhookUrl, "issue_comment", c.delivery(), "enormous", { secret: w.secret, bytes: 25 * 1024 * 1024 });
    expect(res.status).toBe(200);
    expect(res.durationMs).toBeLessThan(10_000);
    expect(w.botComments(incident).length).toBe(before + 1);
    expect(w.botReactions(c.id)).toEqual(["+1"]);
  });
});

describe("comment bodies at GitHub's limit (65,536 characters)", () => {
  it("a command followed by text up to the limit is answered, and every reply stays within the limit", async () => {
    const body = commentAtLimit("/killswitch status\n\n");
    expect(body).toHaveLength(GITHUB_COMMENT_LIMIT);
    const id = await w.comment(PEOPLE.primary, incident, body);
    expect(w.botReactions(id)).toEqual(["+1"]);
  });

  it("an activation with the longest command line Charter parses (2,000 characters) in a body at the limit is recorded and answered", async () => {
    const line = commentAtLimit("/killswitch activate workspace:huge data-corruption ", 2_000).trimEnd();
    const id = await w.comment(PEOPLE.primary, incident, commentAtLimit(`${line}\n\n`));
    expect(w.botReactions(id)).toEqual(["+1"]);
    expect(w.file("governance/state/killswitch.yml")).toContain("workspace:huge");
  });

  it("a command line longer than 2,000 characters is not read: nothing changes, and the one write is the reply saying why", async () => {
    const writes = w.gh.countRequests({ write: true });
    const replies = w.botComments(incident).length;
    const id = await w.comment(PEOPLE.primary, incident, commentAtLimit("/killswitch activate workspace:enormous data-corruption "));
    expect(w.file("governance/state/killswitch.yml")).not.toContain("workspace:enormous");
    expect(w.gh.countRequests({ write: true })).toBe(writes + 1);
    expect(w.botComments(incident).slice(replies)).toEqual([expect.stringContaining("`/killswitch` refused: the command line is longer than 2,000 characters, so Charter does not read it. Nothing was changed.")]);
    expect(w.botReactions(id)).toEqual([]);
  });

  it("an incident opened with a body at the limit does not break the incident flow", async () => {
    const number = await w.openIssue(PEOPLE.primary, { title: "Huge report", body: commentAtLimit(INCIDENT_BODY + "\n\n"), labels: ["incident"] });
    expect(w.deliveries.filter((d) => d.event === "issues").at(-1)?.status).toBe(200);
    // the same first message as an ordinary incident got (none while the incident feature is missing)
    const started = (n: number) => w.botComments(n).some((b) => b.includes("INCIDENT"));
    expect(started(number)).toBe(started(incident));
  });

  it("no comment Charter wrote is longer than GitHub accepts", () => {
    const tooLong = [...w.gh.repo(REPO).issues.values()].flatMap((i) => i.comments).filter((c) => c.user === w.botLogin && c.body.length > GITHUB_COMMENT_LIMIT);
    expect(tooLong.map((c) => ({ id: c.id, length: c.body.length, start: c.body.slice(0, 80) }))).toEqual([]);
  });
});

describe("GitHub slower than its own webhook timeout", () => {
  it("the delivery is answered within 10 s (202 after 9 s) and the work still completes", async () => {
    const c = w.writeComment(PEOPLE.primary, incident, "/killswitch status");
    const before = w.botComments(incident).length;
    // GitHub takes 12 s to answer the reaction: longer than it waits for a webhook response (10 s)
    let held = false;
    w.gh.faults = ({ method, path }) => {
      if (held || method !== "POST" || !path.endsWith(`/comments/${c.id}/reactions`)) return undefined;
      held = true;
      return { delayMs: 12_000 };
    };
    try {
      const started = performance.now();
      const res = await w.gh.sendWebhook(w.webhookUrl, "issue_comment", c.delivery(), { secret: w.secret });
      const answeredIn = performance.now() - started;
      console.info(`slow GitHub: delivery answered ${res.status} after ${answeredIn.toFixed(0)} ms`);
      expect(res.status).toBe(202);
      expect(res.response).toContain("still processing");
      expect(answeredIn).toBeLessThan(10_000);
      expect(answeredIn).toBeGreaterThan(8_500);
      // the handler carries on after the answer: the reaction lands at 12 s, then the reply
      const deadline = Date.now() + 8_000;
      while (w.botComments(incident).length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(w.botReactions(c.id)).toEqual(["+1"]);
      expect(w.botComments(incident).length).toBe(before + 1);
    } finally {
      w.gh.faults = undefined;
    }
  }, 30_000);
});
