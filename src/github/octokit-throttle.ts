/**
 * Octokit's throttling plugin without its idle time.
 *
 * @octokit/plugin-throttling runs every request through Bottleneck limiters (a retry limiter, then
 * the global group; writes also the write group, one a second). Bottleneck's in-process store
 * yields before each of its steps (submit, register, free) with `setTimeout(resolve, 0)`, and
 * starts each job with `setTimeout(run, wait)` even when `wait` is 0: a dozen zero-length timers
 * per request, each at least a millisecond in Node, so a request waited about 11 ms in the queue
 * whatever GitHub's latency (SGrondin/bottleneck#144, "latency to jobs even when the queue is
 * empty"). Measured in `npm run bench` (the "Octokit" rows).
 *
 * Here the same limits (the same groups, concurrency and spacing, so the secondary-rate-limit
 * protection is unchanged) run on a Bottleneck whose in-process store yields with `setImmediate`
 * (after pending I/O, no clamp) and starts a job due now with `setImmediate`; a real wait (the
 * write spacing) is still a timer. Only for the in-process store: with Redis (Probot's
 * `REDIS_URL`), the plugin's own Redis-backed groups are left as they are.
 */
import BottleneckLight from "bottleneck/light.js";

type Resolve = (value?: unknown) => void;
const promptYield = (t = 0) => new Promise((resolve: Resolve) => (t > 0 ? setTimeout(resolve, t) : setImmediate(resolve)));

interface Internals {
  _store?: { constructor: { name: string }; yieldLoop: (t?: number) => Promise<unknown> };
  _scheduled: Record<string, { timeout: unknown; expiration: NodeJS.Timeout | undefined; job: unknown }>;
  _limiter: unknown;
  _clearGlobalState(index: string): void;
  _free(index: string, job: unknown, ...rest: unknown[]): unknown;
}
interface JobInternals {
  options: { expiration?: number };
  doRun(): void;
  doExecute(limiter: unknown, clearGlobalState: () => void, run: (wait: number) => void, free: (...rest: unknown[]) => unknown): unknown;
  doExpire(clearGlobalState: () => void, run: (wait: number) => void, free: (...rest: unknown[]) => unknown): unknown;
}

/** Bottleneck, prompt: see above. Its `_run` is Bottleneck 2.19's, with `setImmediate` for a job due now. */
export class PromptBottleneck extends BottleneckLight {
  constructor(options?: BottleneckLight.ConstructorOptions) {
    super(options);
    const store = (this as unknown as Internals)._store;
    if (store?.constructor.name === "LocalDatastore") store.yieldLoop = promptYield;
  }

  _run(index: string, job: JobInternals, wait: number): unknown {
    const self = this as unknown as Internals;
    job.doRun();
    const clearGlobalState = self._clearGlobalState.bind(this, index);
    const run = (this._run as (i: string, j: JobInternals, w: number) => unknown).bind(this, index, job) as (wait: number) => void;
    const free = self._free.bind(this, index, job);
    const execute = () => job.doExecute(self._limiter, clearGlobalState, run, free);
    return (self._scheduled[index] = {
      timeout: wait > 0 ? setTimeout(execute, wait) : setImmediate(execute),
      expiration: job.options.expiration !== undefined && job.options.expiration !== null ? setTimeout(() => job.doExpire(clearGlobalState, run, free), wait + job.options.expiration) : undefined,
      job,
    });
  }
}

/** A Bottleneck group whose limiters are PromptBottlenecks. */
function promptGroup(options: BottleneckLight.ConstructorOptions): BottleneckLight.Group {
  const group = new BottleneckLight.Group(options);
  (group as unknown as { Bottleneck: typeof BottleneckLight }).Bottleneck = PromptBottleneck;
  return group;
}

let groups: Record<"global" | "auth" | "search" | "write" | "notifications", BottleneckLight.Group> | undefined;

/**
 * The throttle options that give the plugin prompt limiters: the plugin's own groups (same ids,
 * concurrency and spacing; one set per process, as the plugin's are, so the write spacing holds
 * across every Octokit instance), and a prompt retry limiter per instance.
 */
export function promptThrottleOptions(throttle: Record<string, unknown> | undefined): Record<string, unknown> {
  if (throttle?.connection !== undefined && throttle.connection !== null) return {}; // Redis: the plugin's groups
  const timeout = (throttle?.timeout as number | undefined) ?? 2 * 60 * 1000;
  groups ??= {
    global: promptGroup({ id: "octokit-global", maxConcurrent: 10, timeout }),
    auth: promptGroup({ id: "octokit-auth", maxConcurrent: 1, timeout }),
    search: promptGroup({ id: "octokit-search", maxConcurrent: 1, minTime: 2_000, timeout }),
    write: promptGroup({ id: "octokit-write", maxConcurrent: 1, minTime: 1_000, timeout }),
    notifications: promptGroup({ id: "octokit-notifications", maxConcurrent: 1, minTime: 3_000, timeout }),
  };
  return { Bottleneck: PromptBottleneck, ...groups, retryLimiter: new PromptBottleneck() };
}
