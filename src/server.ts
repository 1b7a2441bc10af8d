import type { ApplicationFunction, ApplicationFunctionOptions, Context, Probot } from "probot";
import { clockFromEnvironment, testControlsAllowed, type Env } from "./clock-control.js";
import { GovernanceCache } from "./github/governance.js";
import { appServerIdentity } from "./github/identity-server.js";
import type { CharterDeps } from "./handlers/deps.js";
import { CHARTER_VERSION, charterHttpHandler } from "./http.js";
import { oncallCalendarRoute } from "./calendar/route.js";
import { InFlight } from "./in-flight.js";
import { notifierFromEnv } from "./notify/notifier.js";
import { installationClientFor, startSweeper, sweepRepository } from "./reconcile/runner.js";
import { refuseToStart, startProblems } from "./start-guard.js";

export const DEFAULT_SWEEP_INTERVAL_SECONDS = 60;

/** CHARTER_SWEEP_INTERVAL_SECONDS: seconds between reconcile passes; 0 disables the periodic sweep. */
export function sweepIntervalSeconds(env: Env, warn: (message: string) => void = () => {}): number {
  const raw = env.CHARTER_SWEEP_INTERVAL_SECONDS?.trim();
  if (raw === undefined || raw === "") return DEFAULT_SWEEP_INTERVAL_SECONDS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    warn(`CHARTER_SWEEP_INTERVAL_SECONDS="${raw}" is not a number of seconds (>= 0); using ${DEFAULT_SWEEP_INTERVAL_SECONDS}`);
    return DEFAULT_SWEEP_INTERVAL_SECONDS;
  }
  return n;
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
      governance: new GovernanceCache(),
      identity: appServerIdentity(app, env),
      notify: notifierFromEnv(env, clock, (m) => log.warn(m)),
    };
    // test/demo mode: count running handlers, so GET /charter/test/idle can wait for them
    const inFlight = testControlsAllowed(env) ? new InFlight() : undefined;
    const sweepOne = async (repo: { owner: string; repo: string }) =>
      sweepRepository(await installationClientFor(app, repo), repo, deps, log);
    const calendar = oncallCalendarRoute({ clock, identity: deps.identity, governance: deps.governance, client: (repo) => installationClientFor(app, repo), log });
    const served = tryAddHandler(options, charterHttpHandler({ env, log, sweep: sweepOne, calendar, ...(inFlight ? { inFlight } : {}) }));
    if (served) {
      const problems = startProblems(env);
      if (problems.length > 0) {
        refuse(problems);
        return;
      }
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

    const interval = sweepIntervalSeconds(env, (m) => log.warn(m));
    startSweeper(app, deps, interval);
    log.info(
      { version: CHARTER_VERSION, sweepIntervalSeconds: interval, testControls: testControlsAllowed(env) },
      `Charter ${CHARTER_VERSION} ready: webhooks on Probot's path, GET /healthz, sweep ${interval > 0 ? `every ${interval}s` : "disabled"}${testControlsAllowed(env) ? ", test controls ON (NODE_ENV=test or CHARTER_DEMO=1)" : ""}`,
    );
  };
}
