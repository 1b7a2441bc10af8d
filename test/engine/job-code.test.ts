/**
 * The engine's job kinds' code is imported on the first job of each kind (src/engine/jobs.ts), as
 * the handler areas are on their first event (src/handlers/lazy.ts): one import shared by
 * concurrent jobs; a failed import is logged as an error naming the kind and fails the job (the
 * engine retries it), and the next job of that kind imports again.
 */
import type { Probot } from "probot";
import { describe, expect, it, vi } from "vitest";
import { JOB_CODE, jobCode, type JobLoaders } from "../../src/engine/jobs.js";
import type { CharterMetrics } from "../../src/engine/metrics.js";
import { MemoryEngine } from "../../src/engine/memory.js";
import { CharterRuntime } from "../../src/engine/runtime.js";
import { systemClock } from "../../src/clock.js";
import type { CharterDeps } from "../../src/handlers/deps.js";

const logger = () => ({ error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn(), child: vi.fn() });

describe("the engine's job code", () => {
  it("imports a kind once, on its first job, shared by concurrent jobs", async () => {
    const load = vi.fn(JOB_CODE.redeliver);
    const code = jobCode({ ...JOB_CODE, redeliver: load });
    expect(load).not.toHaveBeenCalled();
    const log = logger();
    const [a, b] = await Promise.all([code("redeliver", log), code("redeliver", log)]);
    expect(typeof a.redeliverMissed).toBe("function");
    expect(b).toBe(a);
    await code("redeliver", log);
    expect(load).toHaveBeenCalledTimes(1);
    expect(log.error).not.toHaveBeenCalled();
  });

  it("a failed import logs an error naming the kind, fails the job, and is tried again on the next job", async () => {
    let attempts = 0;
    const loaders: JobLoaders = {
      ...JOB_CODE,
      redeliver: async () => {
        attempts++;
        if (attempts === 1) throw new Error("Cannot find module 'dist/engine/redelivery.js'");
        return { redeliverMissed: async () => ({ redelivered: ["d-1", "d-2"], failed: [] }) } as unknown as Awaited<ReturnType<JobLoaders["redeliver"]>>;
      },
    };
    const log = logger();
    const inc = vi.fn();
    const app = { auth: async () => ({}) } as unknown as Probot;
    const deps = { clock: systemClock } as unknown as CharterDeps;
    const engine = new MemoryEngine(systemClock, undefined, { timers: false });
    const runtime = new CharterRuntime(app, deps, engine, log as never, { redeliveries: { inc }, sweeps: { inc: vi.fn() } } as unknown as CharterMetrics, async () => {}, loaders);

    await expect(runtime.periodic("redeliver")).rejects.toThrow("Charter could not load the code of its redeliver jobs: Cannot find module 'dist/engine/redelivery.js'");
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.error.mock.calls[0]![0]).toMatchObject({ job: "redeliver" });
    expect(log.error.mock.calls[0]![1]).toBe("Charter could not load the code of its redeliver jobs: Cannot find module 'dist/engine/redelivery.js'");
    expect(inc).not.toHaveBeenCalled();

    await runtime.periodic("redeliver");
    expect(attempts).toBe(2);
    expect(inc).toHaveBeenCalledWith(2);
    expect(log.error).toHaveBeenCalledTimes(1);
    await engine.close();
  });

  it("every kind's loader imports (the built modules exist under these names)", async () => {
    const code = jobCode();
    const log = logger();
    for (const kind of Object.keys(JOB_CODE) as (keyof typeof JOB_CODE)[]) await code(kind, log);
    expect(log.error).not.toHaveBeenCalled();
  }, 30_000);
});
