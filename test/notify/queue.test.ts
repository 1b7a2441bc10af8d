/**
 * The in-process delivery queue's `idle`: how long a GitHub Actions run (or `charter sweep`) waits
 * at its end for sends. It stops waiting as soon as nothing runs and every send still ahead is a
 * retry due after its wait: waiting on would only burn the runner's minutes.
 */
import { describe, expect, it } from "vitest";
import { InProcessQueue, type DeliveryJob } from "../../src/notify/queue.js";

const job: DeliveryJob = { repo: { owner: "acme", repo: "ingestion" }, issue: 12, ids: ["s1.0@slack"] };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe("InProcessQueue.idle", () => {
  it("true at once when nothing waits; true when the last send finishes within the wait", async () => {
    const q = new InProcessQueue();
    expect(await q.idle(1_000)).toBe(true);
    q.enqueue(job, 50, () => sleep(50));
    const started = Date.now();
    expect(await q.idle(5_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("false as soon as the send running now finishes and the only one left (a retry) is due after the wait", async () => {
    const q = new InProcessQueue();
    q.enqueue(job, 0, async () => {
      await sleep(100);
      q.enqueue(job, 60_000, async () => {}); // its retry, due a minute later
    });
    const started = Date.now();
    expect(await q.idle(20_000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000); // not the 20 s
    expect(q.size).toBe(1);
  });

  it("waits for a retry due within the wait, and its outcome", async () => {
    const q = new InProcessQueue();
    let ran = 0;
    q.enqueue(job, 0, async () => {
      ran++;
      q.enqueue(job, 300, async () => void ran++);
    });
    expect(await q.idle(10_000)).toBe(true);
    expect(ran).toBe(2);
  });

  it("false at once when only sends due after the wait are left", async () => {
    const q = new InProcessQueue();
    q.enqueue(job, 60_000, async () => {});
    const started = Date.now();
    expect(await q.idle(1_000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(500);
  });
});
