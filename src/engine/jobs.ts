/**
 * The code of the engine's job kinds, imported on the first job of each kind, not when a server
 * starts (issue 12, item 6): a server's start imports the engine and its runtime
 * (src/engine/runtime.ts), which imports only this module's loaders. The pattern and the error
 * handling are src/handlers/lazy.ts's: one import per kind, shared by concurrent jobs; a failed
 * import is logged as an error naming the kind and fails that job (the engine retries it), and the
 * next job of that kind tries the import again.
 *
 * `learn` is what every job that touched a governed repository runs after it (the next timers, the
 * sign-off and deployment memos); a server's first safety-net pass (10 s after start at most) and
 * first redelivery pass (5 s) are jobs too, and pay their own imports then.
 */
import type { Logger } from "probot";
import { onceUntilFailure } from "../once.js";

async function learn() {
  const [cache, signoff, deployments, due] = await Promise.all([import("../github/incidents/cache.js"), import("../handlers/signoff-run.js"), import("../github/deployment/store.js"), import("./next-due.js")]);
  return { ...cache, signoffState: signoff.signoffState, deploymentDue: deployments.deploymentDue, ...due };
}

async function incident() {
  const [engine, cache, list, governance] = await Promise.all([import("../github/incidents/engine.js"), import("../github/incidents/cache.js"), import("../github/incidents/list.js"), import("../github/governance.js")]);
  return { ...engine, ...cache, ...list, governanceFromDefaultBranch: governance.governanceFromDefaultBranch };
}

const runner = () => import("../reconcile/runner.js");

/** A kind whose job is one reconcile pass over a repository with these tasks (imported with the runner). */
function reconcileWith<T>(tasks: () => Promise<T[]>) {
  return async () => {
    const [{ sweepRepository }, list] = await Promise.all([runner(), tasks()]);
    return { sweepRepository, tasks: list };
  };
}

const signoff = reconcileWith(async () => [(await import("../handlers/signoff-timers.js")).signoffTimersTask]);
const handoff = reconcileWith(async () => [(await import("../reconcile/handoff.js")).handoffTask]);
const deployment = reconcileWith(async () => [(await import("../reconcile/deployment.js")).deploymentTask]);
const calendar = reconcileWith(async () => [(await import("../reconcile/calendar.js")).calendarPublishTask]);
const approval = reconcileWith(async () => {
  const [{ killSwitchApprovalTask }, { urgentOverrideTask }] = await Promise.all([import("../reconcile/killswitch.js"), import("../reconcile/swaps.js")]);
  return [killSwitchApprovalTask, urgentOverrideTask];
});

/** The safety net's pass and its full pass over every installation (which reads governance and lists open incidents). */
async function sweep() {
  const [net, incidents] = await Promise.all([import("../reconcile/safety-net.js"), incident()]);
  return { safetyNetSweep: net.safetyNetSweep, ...incidents };
}

const redeliver = () => import("./redelivery.js");

/** Each job kind's loader (a timer's kind, a periodic job's name, and `learn`). */
export const JOB_CODE = { learn, incident, signoff, handoff, deployment, calendar, approval, sweep, redeliver } as const;

export type JobKind = keyof typeof JOB_CODE;
export type JobCode<K extends JobKind> = Awaited<ReturnType<(typeof JOB_CODE)[K]>>;
/** The loaders (tests replace one to make its import fail). */
export type JobLoaders = { [K in JobKind]: () => Promise<JobCode<K>> };
export type LoadJobCode = <K extends JobKind>(kind: K, log: Pick<Logger, "error">) => Promise<JobCode<K>>;

/**
 * One cached import per job kind. `code(kind, log)` resolves to the kind's code, importing it on
 * the first call; a failed import logs an error naming the kind, rejects (the job fails and the
 * engine retries it), and is forgotten so that the next call imports again.
 */
export function jobCode(loaders: JobLoaders = JOB_CODE): LoadJobCode {
  const loaded = new Map<JobKind, () => Promise<unknown>>();
  return async <K extends JobKind>(kind: K, log: Pick<Logger, "error">): Promise<JobCode<K>> => {
    let load = loaded.get(kind);
    if (!load) {
      load = onceUntilFailure(() =>
        loaders[kind]().catch((error: unknown) => {
          throw new Error(`Charter could not load the code of its ${kind} jobs: ${(error as Error)?.message ?? String(error)}`, { cause: error });
        }),
      );
      loaded.set(kind, load);
    }
    try {
      return (await load()) as JobCode<K>;
    } catch (error) {
      log.error({ err: error, job: kind }, (error as Error).message);
      throw error;
    }
  };
}

/** Every kind's code, imported now (the bench: what a server's first jobs import, at most). */
export async function loadAllJobCode(): Promise<void> {
  await Promise.all(Object.values(JOB_CODE).map((load) => load()));
}
