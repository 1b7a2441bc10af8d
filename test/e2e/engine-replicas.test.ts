/**
 * Three replicas of the real server on one Redis (the tests' private instance), against the
 * emulator in real time: a delivery sent to two replicas runs once; two deliveries about one new
 * incident on two replicas at once open it once; each escalation step is paged at its instant by
 * whichever replica holds its timer, and a replica SIGKILLed mid-run loses and duplicates no page.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type GitHubEmulator } from "../emulator/index.js";
import { testRedisUrl, uniquePrefix } from "../support/redis.js";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { CharterServer, generateAppKey } from "./support/server.js";
import { INCIDENT_BODY, PEOPLE } from "./support/stories.js";
import { REPO, repositoryGovernance } from "./support/world.js";

let gh: GitHubEmulator;
let replicas: CharterServer[] = [];
const secret = randomBytes(16).toString("hex");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await ensureBuilt();
  gh = await startEmulator({ quiet: true });
  gh.createRepo(REPO, { ownerType: "Organization", files: { "README.md": "# ingestion\n", ...repositoryGovernance() } });
  const env = {
    PRIVATE_KEY: generateAppKey(),
    WEBHOOK_SECRET: secret,
    CHARTER_SEAL_KEYS: randomBytes(32).toString("hex"),
    REDIS_URL: testRedisUrl(),
    CHARTER_REDIS_PREFIX: uniquePrefix("replicas"),
    CHARTER_CLOCK_FILE: undefined, // real time: timers are BullMQ delayed jobs
    CHARTER_TIMERS: "on",
    LOG_LEVEL: "info",
  };
  replicas = await Promise.all([0, 1, 2].map(() => CharterServer.start({ gheHost: gh.host, appId: gh.appId, now: new Date().toISOString(), env })));
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await gh?.stop();
});

const statusComments = (n: number) => gh.botComments(REPO, n).filter((c) => c.includes("charter:incident"));
const idle = () => replicas.find((r) => r.child.exitCode === null && r.child.signalCode === null)!.idle();

/** An incident issue created `agoMs` before now (the emulator runs in real time again afterwards). */
function incidentCreated(agoMs: number, title: string): number {
  gh.setTime(new Date(Date.now() - agoMs));
  const issue = gh.createIssue(REPO, { title, body: INCIDENT_BODY, user: PEOPLE.reporter, labels: ["incident", "severity: P1"] });
  gh.useRealTime();
  return issue.number;
}

describe("three replicas on one Redis", () => {
  it("run a delivery sent to two of them once (the delivery id is the job id)", async () => {
    const n = incidentCreated(0, "Uploads failing");
    const payload = gh.payloads.issues("opened", REPO, n, { sender: PEOPLE.reporter });
    const id = randomBytes(8).toString("hex");
    const answers = await Promise.all([replicas[0]!, replicas[1]!].map((r) => gh.sendWebhook(r.webhookUrl, "issues", payload, { secret, deliveryId: id })));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await idle();
    expect(statusComments(n)).toHaveLength(1);
  }, 30_000);

  it("open a new incident once when its deliveries reach two replicas at the same moment", async () => {
    for (let round = 0; round < 3; round++) {
      const n = incidentCreated(0, `Ingestion stalled ${round}`);
      await Promise.all([
        gh.sendWebhook(replicas[1]!.webhookUrl, "issues", gh.payloads.issues("opened", REPO, n, { sender: PEOPLE.reporter }), { secret }),
        gh.sendWebhook(replicas[2]!.webhookUrl, "issues", gh.payloads.issues("labeled", REPO, n, { sender: PEOPLE.primary, label: "incident" }), { secret }),
      ]);
      await idle();
      expect(statusComments(n)).toHaveLength(1);
    }
  }, 30_000);

  it("page each step at its instant, and lose or repeat none when a replica is killed mid-run", async () => {
    const stepAfterMs = 15 * 60_000; // P1: the secondary is paged 15 minutes after opening
    const incidents = Array.from({ length: 12 }, (_, i) => {
      const n = incidentCreated(stepAfterMs - (9_000 + i * 600), `Incident ${i}`);
      // GitHub's created_at has whole seconds: the ladder counts from it
      return { n, due: Date.parse(gh.getIssue(REPO, n).createdAt) + stepAfterMs };
    });
    await Promise.all(incidents.map(({ n }, i) => gh.sendWebhook(replicas[i % 3]!.webhookUrl, "issues", gh.payloads.issues("opened", REPO, n, { sender: PEOPLE.reporter }), { secret })));
    await idle();
    for (const { n } of incidents) expect(statusComments(n)).toHaveLength(1);
    // kill one replica in the middle of the run
    await sleep(Math.max(0, incidents[5]!.due - Date.now()));
    replicas[0]!.child.kill("SIGKILL");
    await sleep(Math.max(0, incidents.at(-1)!.due - Date.now()) + 14_000); // its lease (10 s) lapses; its jobs are recovered
    const late: number[] = [];
    for (const { n, due } of incidents) {
      const pages = gh.botComments(REPO, n).filter((c) => /Step 2 of 4/.test(c));
      expect(pages, `#${n}`).toHaveLength(1);
      const posts = gh.requestLog.filter((e) => e.method === "POST" && e.path === `/repos/${REPO}/issues/${n}/comments` && e.at >= due - 1_000);
      late.push(posts[0]!.at - due);
    }
    late.sort((a, b) => a - b);
    expect(late[0]).toBeGreaterThanOrEqual(-50);
    expect(late[Math.floor(late.length / 2)]).toBeLessThan(1_000); // p50
  }, 90_000);

  it("made only requests GitHub's API describes", () => {
    expect(gh.violations).toEqual([]);
  });
});
