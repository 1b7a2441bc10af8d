import type { Context, Probot } from "probot";
import { onceUntilFailure } from "../once.js";
import type { CharterDeps } from "./deps.js";

/** What an area's module exports: it registers its handlers with `app.on` (and nothing else). */
export type RegisterArea = (app: Probot, deps: CharterDeps) => void;

/**
 * An area of handlers whose module is imported on the first event it handles, not at start-up: a
 * server (or an Action run) loads only the areas its deliveries need. `events` must be exactly
 * the events the area's module registers (test/handlers/lazy-areas.test.ts compares them; an
 * event the module registers that is not listed here is refused when the module loads).
 */
export interface LazyArea {
  name: string;
  events: readonly string[];
  load: () => Promise<RegisterArea>;
}

type Handler = (context: Context) => unknown;

/**
 * The handlers an area registers, by the event name they were registered under. An `app` that
 * only records `on` calls, refusing an event the area did not declare.
 */
export function recordArea(area: Pick<LazyArea, "name" | "events">, register: RegisterArea, deps: CharterDeps): Map<string, Handler[]> {
  const declared = new Set(area.events);
  const byEvent = new Map<string, Handler[]>();
  const recorder = {
    on(events: string | string[], handler: Handler) {
      for (const event of [events].flat()) {
        if (!declared.has(event)) throw new Error(`the ${area.name} handlers register ${event}, which src/handlers/index.ts does not list for them`);
        byEvent.set(event, [...(byEvent.get(event) ?? []), handler]);
      }
    },
  };
  register(recorder as unknown as Probot, deps);
  return byEvent;
}

/**
 * Registers `area` on `app`: one listener per declared event, which imports the area's module on
 * its first call (one import, shared by concurrent events) and runs the handlers the module
 * registered under that event name, as Probot would have. A failed import is logged as an error
 * naming the area and fails the delivery (the next event tries the import again); it never hangs.
 */
export function registerLazily(app: Probot, deps: CharterDeps, area: LazyArea): void {
  const handlers = onceUntilFailure(() =>
    area.load().then(
      (register) => recordArea(area, register, deps),
      (error: unknown) => {
        throw new Error(`Charter could not load its ${area.name} handlers: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      },
    ),
  );
  for (const event of area.events) {
    app.on(event as Parameters<Probot["on"]>[0], async (context: Context) => {
      let byEvent: Map<string, Handler[]>;
      try {
        byEvent = await handlers();
      } catch (error) {
        context.log.error({ err: error, area: area.name }, (error as Error).message);
        throw error;
      }
      const run = byEvent.get(event) ?? [];
      if (run.length === 1) return void (await run[0]!(context));
      const failed = (await Promise.allSettled(run.map(async (h) => h(context)))).filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as Error);
      if (failed.length === 1) throw failed[0];
      if (failed.length > 1) throw new AggregateError(failed, failed.map((e) => e?.message).join("\n"));
    });
  }
}
