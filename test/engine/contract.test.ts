/**
 * The engine's contract, run against both implementations: the embedded one, and the Redis one
 * (BullMQ) with two engines on one Redis standing for two replicas.
 */
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { MemoryEngine } from "../../src/engine/memory.js";
import { RedisEngine } from "../../src/engine/redis.js";
import type { Delivery, Engine, EngineHandlers, Timer } from "../../src/engine/types.js";
import { inRetry } from "../../src/github/writes/retry.js";
import { testRedisUrl, uniquePrefix } from "../support/redis.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const open: Engine[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

function issueDelivery(id: string, issue: number): Delivery {
  return { id, name: "issue_comment", payload: { action: "created", repository: { full_name: "acme/ingestion", name: "ingestion", owner: { login: "acme" } }, issue: { number: issue }, installation: { id: 1 } } };
}

function timer(issue: number, step: string, dueAt: number): Timer {
  return { kind: "incident", repo: { owner: "acme", repo: "ingestion" }, installationId: 1, defaultBranch: "main", issue, step, dueAt };
}

/** Handlers that record what ran, and how many ran at once per key. */
function recorder(workMs = 30) {
  const ran: string[] = [];
  const timers: { step: string; at: number }[] = [];
  const running = new Map<number, number>();
  let maxSameKey = 0;
  let maxAll = 0;
  let all = 0;
  const handlers: EngineHandlers = {
    async delivery(d) {
      const issue = (d.payload as { issue: { number: number } }).issue.number;
      running.set(issue, (running.get(issue) ?? 0) + 1);
      all++;
      maxSameKey = Math.max(maxSameKey, running.get(issue)!);
      maxAll = Math.max(maxAll, all);
      await sleep(workMs);
      running.set(issue, running.get(issue)! - 1);
      all--;
      ran.push(d.id);
    },
    async timer(t) {
      timers.push({ step: t.step, at: Date.now() });
    },
    async periodic() {},
  };
  return { handlers, ran, timers, stats: () => ({ maxSameKey, maxAll }) };
}

type Make = () => Promise<Engine[]>;
const kinds: [string, Make][] = [
  ["embedded", async () => [new MemoryEngine(systemClock, {}, { tickMs: 50 })]],
  [
    "Redis, two replicas",
    async () => {
      const prefix = uniquePrefix("contract");
      return [new RedisEngine(systemClock, { url: testRedisUrl(), prefix }), new RedisEngine(systemClock, { url: testRedisUrl(), prefix })];
    },
  ],
];

describe.each(kinds)("the %s engine", (_name, make) => {
  it("drops a redelivery: a delivery id already enqueued runs once", async () => {
    const engines = await make();
    open.push(...engines);
    const r = recorder();
    for (const e of engines) await e.start(r.handlers, []);
    const first = await engines[0]!.enqueueDelivery(issueDelivery("d-1", 7));
    const again = await engines.at(-1)!.enqueueDelivery(issueDelivery("d-1", 7));
    expect(first.accepted).toBe(true);
    expect(again.accepted).toBe(false);
    await first.done;
    expect(await engines[0]!.idle(10_000)).toBe(true);
    await sleep(100);
    expect(r.ran).toEqual(["d-1"]);
  });

  it("runs a job again after it failed as a retry (its creates look before they write), and a first run not", async () => {
    const engines = await make();
    open.push(...engines);
    const seen: boolean[] = [];
    const handlers: EngineHandlers = {
      async delivery() {
        seen.push(inRetry());
        if (seen.length === 1) throw Object.assign(new Error("502 after GitHub applied it"), { status: 502 });
      },
      async timer() {},
      async periodic() {},
    };
    for (const e of engines) await e.start(handlers, []);
    const first = await engines[0]!.enqueueDelivery(issueDelivery("d-retry", 9));
    await first.done?.catch(() => undefined);
    // embedded: GitHub redelivers the failed delivery (same id); Redis: BullMQ retries the job itself
    if (engines.length === 1) await (await engines[0]!.enqueueDelivery(issueDelivery("d-retry", 9))).done;
    const deadline = Date.now() + 10_000;
    while (seen.length < 2 && Date.now() < deadline) await sleep(50);
    expect(seen).toEqual([false, true]);
    expect(inRetry()).toBe(false);
  }, 20_000);

  it("runs jobs about one issue one at a time, and other issues' alongside", async () => {
    const engines = await make();
    open.push(...engines);
    const r = recorder(40);
    for (const e of engines) await e.start(r.handlers, []);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => engines[i % engines.length]!.enqueueDelivery(issueDelivery(`k-${i}`, i < 6 ? 1 : 2 + i))),
    );
    await Promise.all(results.map((x) => x.done));
    expect(await engines[0]!.idle(20_000)).toBe(true);
    await sleep(100);
    expect(r.ran.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `k-${i}`).sort());
    expect(r.stats().maxSameKey).toBe(1);
    expect(r.stats().maxAll).toBeGreaterThan(1);
  }, 30_000);

  it("fires a timer at its instant, once, however often the same step is scheduled", async () => {
    const engines = await make();
    open.push(...engines);
    const r = recorder();
    for (const e of engines) await e.start(r.handlers, []);
    const due = Date.now() + 400;
    expect(await engines[0]!.schedule(timer(9, "s1.1", due))).toBe(true);
    expect(await engines.at(-1)!.schedule(timer(9, "s1.1", due))).toBe(false);
    await engines[0]!.schedule(timer(9, "s1.2", due + 200));
    expect(await engines[0]!.scheduled()).toBe(2);
    await sleep(1_500);
    expect(r.timers.map((t) => t.step).sort()).toEqual(["s1.1", "s1.2"]);
    const late = r.timers.find((t) => t.step === "s1.1")!.at - due;
    expect(late).toBeGreaterThanOrEqual(-5);
    expect(late).toBeLessThan(500);
    expect(await engines[0]!.scheduled()).toBe(0);
  }, 20_000);

  it("shares a store: a value set once is set once for every replica", async () => {
    const engines = await make();
    open.push(...engines);
    expect(await engines[0]!.store.setOnce("redelivered:g1", "x", 60_000)).toBe(true);
    expect(await engines.at(-1)!.store.setOnce("redelivered:g1", "y", 60_000)).toBe(false);
    await engines[0]!.store.hset("governed", "acme/ingestion", "{}");
    expect(await engines.at(-1)!.store.hgetall("governed")).toEqual({ "acme/ingestion": "{}" });
  });
});

describe("the Redis engine's periodic jobs", () => {
  it("run on one replica at a time", async () => {
    const prefix = uniquePrefix("periodic");
    const engines = [new RedisEngine(systemClock, { url: testRedisUrl(), prefix }), new RedisEngine(systemClock, { url: testRedisUrl(), prefix }), new RedisEngine(systemClock, { url: testRedisUrl(), prefix })];
    open.push(...engines);
    let running = 0;
    let most = 0;
    let runs = 0;
    const handlers: EngineHandlers = {
      delivery: async () => {},
      timer: async () => {},
      periodic: async () => {
        running++;
        runs++;
        most = Math.max(most, running);
        await sleep(150);
        running--;
      },
    };
    for (const e of engines) await e.start(handlers, [{ name: "sweep", everyMs: 200 }]);
    await sleep(2_000);
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(most).toBe(1);
  }, 20_000);

  it("stop for every replica when turned off (interval 0): the scheduler is removed", async () => {
    const prefix = uniquePrefix("periodic-off");
    let runs = 0;
    const handlers: EngineHandlers = { delivery: async () => {}, timer: async () => {}, periodic: async () => void runs++ };
    const first = new RedisEngine(systemClock, { url: testRedisUrl(), prefix });
    open.push(first);
    await first.start(handlers, [{ name: "redeliver", everyMs: 150 }]);
    await sleep(600);
    expect(runs).toBeGreaterThan(0);
    await first.close();
    const second = new RedisEngine(systemClock, { url: testRedisUrl(), prefix });
    open.push(second);
    await second.start(handlers, []);
    const before = runs;
    await sleep(800);
    expect(runs - before).toBeLessThanOrEqual(1); // at most one job already due when it started
  }, 20_000);
});
