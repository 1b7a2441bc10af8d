/**
 * Writes GitHub applied but answered with an error (issue 12 item 5): a 502 after the comment, issue
 * or pull request was created, or an answer that never comes (the client times out on a write that
 * happened). Charter must find what it wrote instead of writing it again, never ask a person to
 * repeat a command whose effects may exist, and a retried job (a failed delivery delivered again
 * with the same id, as the engine and GitHub's redelivery do) repeats no visible effect.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { FaultHook } from "../emulator/index.js";
import { COMMANDS, INCIDENT_BODY, PEOPLE } from "../e2e/support/stories.js";
import { TOLD_TO_RETRY } from "./support/script.js";
import { FaultWorld, REPO, type Delivery } from "./support/world.js";

const START = "2025-06-04T13:00:00Z";
const POLICY = { requestTimeoutMs: 1_000 };
const worlds: FaultWorld[] = [];

afterAll(async () => {
  for (const w of worlds) await w.stop();
});

const at = (w: FaultWorld, minutes: number) => w.at(new Date(Date.parse(START) + minutes * 60_000).toISOString());

/** A world that keeps the deliveries that failed, to deliver them again the way the engine retries a job. */
async function world(): Promise<{ w: FaultWorld; failed: Delivery[]; retryFailed: () => Promise<void> }> {
  const failed: Delivery[] = [];
  const w = await FaultWorld.start({
    start: START,
    policy: POLICY,
    deliverVia: async (world, d) => {
      const r = await world.send(d);
      if (r.status >= 500) failed.push(d);
    },
  });
  worlds.push(w);
  const retryFailed = async () => {
    for (let round = 0; round < 3 && failed.length > 0; round++) {
      for (const d of failed.splice(0)) {
        const r = await w.send(d); // the same delivery id: a job retried
        if (r.status >= 500) failed.push(d);
      }
      await w.settle();
    }
  };
  return { w, failed, retryFailed };
}

/** The first write matching `match` is applied by GitHub and then answered `fault`. */
function once(match: (method: string, path: string) => boolean, fault: { status?: number; delayMs?: number }): FaultHook {
  let done = false;
  return ({ method, path }) => {
    if (done || !match(method, path)) return undefined;
    done = true;
    return { applied: true, ...fault };
  };
}

const commentsOn = (issue: number) => (method: string, path: string) => method === "POST" && path === `/repos/${REPO}/issues/${issue}/comments`;

/** A person who does what Charter says: asked to run the command again, they do (at most twice). */
async function command(w: FaultWorld, who: string, issue: number, body: string): Promise<number> {
  let id = await w.comment(who, issue, body);
  for (let again = 0; again < 2; again++) {
    const quoted = `> ${body.split("\n")[0]!.slice(0, 200)}`;
    const replies = w.botComments(issue).filter((b) => b.startsWith(quoted) && TOLD_TO_RETRY.test(b));
    if (replies.length <= again) break;
    id = await w.comment(who, issue, body);
  }
  return id;
}

const resolvedMessages = (w: FaultWorld, issue: number) => w.botComments(issue).filter((b) => /🟢 RESOLVED/.test(b));
const reviewIssues = (w: FaultWorld) => w.gh.listIssues(REPO).filter((i) => /review/i.test(i.title) && i.user.toLowerCase() === w.botLogin.toLowerCase());

async function openAndAck(w: FaultWorld): Promise<number> {
  at(w, 1);
  const incident = await w.openIssue(PEOPLE.primary, { title: "Uploads failing", body: INCIDENT_BODY, labels: ["incident"] });
  at(w, 3);
  await w.comment(PEOPLE.primary, incident, COMMANDS.ack);
  return incident;
}

describe("/resolve whose resolved message GitHub applied", () => {
  for (const [name, fault] of [
    ["answered 502", { status: 502 }],
    ["answered after the client's timeout", { delayMs: 1_500 }],
  ] as const) {
    it(`${name}: one resolved message, one review issue, the person is not asked to run it again`, async () => {
      const { w, retryFailed } = await world();
      const incident = await openAndAck(w);
      at(w, 30);
      w.gh.faults = once(commentsOn(incident), fault);
      await command(w, PEOPLE.primary, incident, COMMANDS.resolve);
      w.gh.faults = undefined;
      await new Promise((r) => setTimeout(r, 1_700)); // an answer still held lands
      await retryFailed();
      expect.soft(w.botComments(incident).filter((b) => TOLD_TO_RETRY.test(b))).toEqual([]);
      expect.soft(resolvedMessages(w, incident)).toHaveLength(1);
      expect.soft(reviewIssues(w)).toHaveLength(1);
      expect(w.gh.repo(REPO).issues.get(incident)!.state).toBe("closed");
      expect(w.gh.violations).toEqual([]);
    }, 60_000);
  }
});
