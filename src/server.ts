import type { ApplicationFunction, ApplicationFunctionOptions, Context, Probot } from "probot";
import { clockFromEnvironment, testControlsAllowed, type Env } from "./clock-control.js";
import { DEFAULT_GOVERNANCE_SNAPSHOTS, GovernanceCache } from "./github/governance.js";
import { numberFromEnv } from "./env-number.js";
import { appServerIdentity } from "./github/identity-server.js";
import type { CharterDeps } from "./handlers/deps.js";
import { CHARTER_VERSION, charterHttpHandler } from "./http.js";
import { oncallCalendarRoute } from "./calendar/route.js";
import { InFlight } from "./in-flight.js";
import { notifierFromEnv } from "./notify/notifier.js";
import { refuseToStart, startProblems } from "./start-guard.js";
import type { CharterMetrics } from "./engine/metrics.js";
import type { Delivery, Engine } from "./engine/types.js";
// types only (erased): the modules themselves load in server mode alone, see serverOnly
import type * as EngineModule from "./engine/index.js";
import { onceUntilFailure } from "./once.js";
import type * as MetricsModule from "./engine/metrics.js";
import type * as RuntimeModule from "./engine/runtime.js";

/** CHARTER_GOVERNANCE_CACHE_REPOS: how many repositories' governance models the server keeps (the least recently used go first). */
export function governanceCacheRepos(env: Env, warn: (message: string) => void = () => {}): number {
  return numberFromEnv(env, "CHARTER_GOVERNANCE_CACHE_REPOS", DEFAULT_GOVERNANCE_SNAPSHOTS, { what: "a whole number of repositories (>= 1)", accept: (n) => Number.isInteger(n) && n >= 1 }, warn);
}

/**
 * The engine, its metrics and BullMQ load when a server starts, not with this module: Actions mode
 * imports this module (through app.ts) and never runs a server, and its bundle
 * (scripts/build-action.ts) must not carry them. A specifier in a variable is not followed by the
 * bundler; it resolves against this module, in src/ (tsx) as in dist/.
 */
function serverOnly<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}

const ENQUEUE_TIMEOUT_MS = 5_000;

interface WebhookEvent {
  id: string;
  name: string;
  payload: string;
  signature: string;
}

interface VerifyingWebhooks {
  verify(payload: string, signature: string): Promise<boolean>;
  receive(event: { id: string; name: string; payload: unknown }): Promise<void>;
  verifyAndReceive(event: WebhookEvent): Promise<void>;
}

/**
 * Webhooks as jobs: Probot's webhook route still reads the request and calls
 * `verifyAndReceive`; here that verifies the signature (Probot's own refusal when it does not
 * match: 400, nothing enqueued) and enqueues the delivery under its id. With Redis the route then
 * answers 200 at once; the embedded engine answers when the handlers are done (an error is a 500,
 * which GitHub records as a failed delivery for the redelivery job).
 */
function enqueueWebhooks(webhooks: VerifyingWebhooks, engine: Engine, metrics: CharterMetrics): (d: Delivery) => Promise<void> {
  const receive = webhooks.receive.bind(webhooks);
  const original = webhooks.verifyAndReceive.bind(webhooks);
  webhooks.verifyAndReceive = async (event: WebhookEvent) => {
    const valid = await webhooks.verify(event.payload, event.signature).catch(() => false);
    let payload: unknown;
    try {
      payload = valid ? JSON.parse(event.payload) : undefined;
    } catch {
      payload = undefined;
    }
    if (!valid || payload === undefined) {
      metrics.deliveries.inc({ event: String(event.name), outcome: "refused" });
      return original(event); // Probot's own answer: 400
    }
    let result;
    let timer: NodeJS.Timeout | undefined;
    try {
      // Redis unreachable: answer 503 within 5 s, so GitHub records a failed delivery (redelivered later) rather than Probot's 202
      const unreachable = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("the queue did not answer within 5 s")), ENQUEUE_TIMEOUT_MS);
      });
      const enqueue = engine.enqueueDelivery({ id: event.id, name: event.name, payload });
      enqueue.catch(() => undefined); // when the timeout wins, a late failure is not unhandled
      result = await Promise.race([enqueue, unreachable]);
    } catch (error) {
      // Probot's route answers with the status of the first aggregated error
      const cause = Object.assign(new Error(`could not enqueue delivery ${event.id}: ${(error as Error).message ?? String(error)}`, { cause: error }), { status: 503 });
      throw new AggregateError([cause], cause.message, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    metrics.deliveries.inc({ event: String(event.name), outcome: result.accepted ? "enqueued" : "duplicate" });
    if (result.done) await result.done;
  };
  return (d) => receive({ id: d.id, name: d.name, payload: d.payload });
}

function tryAddHandler(options: ApplicationFunctionOptions | undefined, handler: Parameters<ApplicationFunctionOptions["addHandler"]>[0]): boolean {
  try {
    options?.addHandler(handler);
    return options !== undefined;
  } catch {
    // Probot without an HTTP server (`probot receive`, Actions): no routes, no sweeper.
    return false;
  }
}

/**
 * Charter as a long-running Probot server (`probot run ./dist/app.js`): the event handlers, plus
 * GET /healthz, the periodic reconcile sweep, and (test/demo mode only) the clock file and the
 * test sweep endpoint. `createApp` is `createCharter`; it is passed in to keep this module free of
 * a dependency cycle with app.ts.
 *
 * Before anything is served, the environment is checked (src/start-guard.ts): no real webhook
 * secret outside test/demo mode, or invalid seal keys, and the server refuses to start with a clear
 * message and a non-zero exit (`refuse`, injectable for tests). Probot calls the app function
 * before it listens, so nothing is ever served with such a configuration.
 */
export function charterServer(
  createApp: (deps: Partial<CharterDeps>) => ApplicationFunction,
  env: Env = process.env,
  refuse: (problems: string[]) => void = (problems) => refuseToStart(problems, env),
): ApplicationFunction {
  return async (app: Probot, options: ApplicationFunctionOptions) => {
    const log = app.log.child({ name: "charter" });
    const clock = clockFromEnvironment(env, { warn: (m) => log.warn(m), info: (m) => log.info(m) });
    const deps: CharterDeps = {
      clock,
      governance: new GovernanceCache({ snapshots: governanceCacheRepos(env, (m) => log.warn(m)) }),
      identity: appServerIdentity(app, env),
      notify: notifierFromEnv(env, clock, (m) => log.warn(m)),
    };
    // test/demo mode: count running handlers, so GET /charter/test/idle can wait for them
    const inFlight = testControlsAllowed(env) ? new InFlight() : undefined;
    // the sweep's tasks (and everything they import) load with the first sweep, not at start-up
    const runner = onceUntilFailure(() => import("./reconcile/runner.js"));
    const sweepOne = async (repo: { owner: string; repo: string }) => {
      const { installationClientFor, sweepRepository } = await runner();
      return sweepRepository(await installationClientFor(app, repo), repo, deps, log);
    };
    const calendar = oncallCalendarRoute({ clock, identity: deps.identity, governance: deps.governance, client: async (repo) => (await runner()).installationClientFor(app, repo), log });
    const { createEngine, periodicJobs, timersEnabled } = await serverOnly<typeof EngineModule>("./engine/index.js");
    const { charterMetrics } = await serverOnly<typeof MetricsModule>("./engine/metrics.js");
    const metrics = charterMetrics();
    const engine = await createEngine(env, deps.clock, { observer: metrics.observer, log });
    metrics.attach(engine);
    const served = tryAddHandler(options, charterHttpHandler({ env, log, sweep: sweepOne, engine, metrics, calendar, ...(inFlight ? { inFlight } : {}) }));
    if (served) {
      const problems = startProblems(env);
      if (problems.length > 0) {
        refuse(problems);
        return;
      }
    } else {
      await engine.close();
    }
    inFlight?.install(app);
    await createApp(deps)(app, options);

    // LOG_LEVEL=debug: one line per event, with its delivery id (`id`, as on every context.log line).
    app.onAny(async (event) => {
      const context = event as unknown as Context; // Probot's transform hands listeners a Context
      const action = (context.payload as { action?: string }).action;
      context.log.debug({ event: context.name, action }, `received ${context.name}${action ? `.${action}` : ""}`);
    });
    if (!served) return;

    // the engine's job handlers (timers, the safety net, redelivery): a server needs them at once, Actions and `probot receive` never
    const { CharterRuntime } = await serverOnly<typeof RuntimeModule>("./engine/runtime.js");
    const receive = enqueueWebhooks(app.webhooks as unknown as VerifyingWebhooks, engine, metrics);
    const runtime = new CharterRuntime(app, deps, engine, log, metrics, receive);
    const periodic = periodicJobs(env, (m) => log.warn(m));
    await engine.start(runtime.handlers(), periodic.jobs);
    closeOnSignals(engine, log);
    const interval = periodic.sweepSeconds;
    log.info(
      { version: CHARTER_VERSION, engine: engine.mode, sweepIntervalSeconds: interval, redeliveryIntervalSeconds: periodic.redeliverySeconds, timers: timersEnabled(env), testControls: testControlsAllowed(env) },
      `Charter ${CHARTER_VERSION} ready: webhooks on Probot's path (${engine.mode === "redis" ? "enqueued in Redis, answered at once" : "embedded engine"}), GET /healthz, GET /metrics, safety-net sweep ${interval > 0 ? `every ${interval}s` : "disabled"}, redelivery of failed deliveries ${periodic.redeliverySeconds > 0 ? `every ${periodic.redeliverySeconds}s` : "disabled"}${testControlsAllowed(env) ? ", test controls ON (NODE_ENV=test or CHARTER_DEMO=1)" : ""}`,
    );
  };
}

/** SIGTERM/SIGINT: stop taking jobs and let running ones finish (at most 2 s), then exit. With Redis a job cut short is recovered by another replica. */
function closeOnSignals(engine: Engine, log: { info(msg: string): void }): void {
  let closing = false;
  const close = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info(`${signal}: closing the engine`);
    const timer = setTimeout(() => process.exit(0), 2_000);
    timer.unref();
    void engine.close().finally(() => process.exit(0));
  };
  process.once("SIGTERM", () => close("SIGTERM"));
  process.once("SIGINT", () => close("SIGINT"));
}
