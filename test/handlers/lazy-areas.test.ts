/**
 * Handler areas are imported on their first event (src/handlers/lazy.ts). What must hold: each
 * area's declared events are exactly what its module registers (an event missing from the list
 * would never be handled), one import per area however many events arrive together, a failed
 * import is a clear error in the log and a failed delivery (and is tried again), never a hang, and
 * the handlers run as Probot would have run them.
 */
import type { Context, Probot } from "probot";
import { describe, expect, it, vi } from "vitest";
import { HANDLER_AREAS, registerHandlers } from "../../src/handlers/index.js";
import type { CharterDeps } from "../../src/handlers/deps.js";
import { recordArea, registerLazily, type RegisterArea } from "../../src/handlers/lazy.js";

type Listener = (context: Context) => Promise<unknown>;

/** An app that keeps its listeners by event name, as Probot's `app.on` receives them. */
function fakeApp() {
  const listeners = new Map<string, Listener[]>();
  const app = {
    on(events: string | string[], listener: Listener) {
      for (const e of [events].flat()) listeners.set(e, [...(listeners.get(e) ?? []), listener]);
    },
  } as unknown as Probot;
  const deliver = (event: string, context: Context) => Promise.all((listeners.get(event) ?? []).map((l) => l(context)));
  return { app, listeners, deliver };
}

function fakeContext() {
  const error = vi.fn();
  return { context: { log: { error } } as unknown as Context, error };
}

const deps = {} as CharterDeps;

describe("handler areas, imported on their first event", () => {
  it("each area lists exactly the events its module registers", async () => {
    for (const area of HANDLER_AREAS) {
      const register = await area.load();
      const registered = new Set<string>();
      register({ on: (events: string | string[]) => [events].flat().forEach((e) => registered.add(e)) } as unknown as Probot, deps);
      expect([...registered].sort(), `${area.name}: the events of its module`).toEqual([...new Set(area.events)].sort());
    }
  });

  it("start-up registers every declared event, once per area that declares it, and imports no area", () => {
    const load = vi.fn(async () => (() => {}) as RegisterArea);
    const { app, listeners } = fakeApp();
    registerHandlers(app, deps, HANDLER_AREAS.map((a) => ({ ...a, load })));
    expect(load).not.toHaveBeenCalled();
    const expected = new Map<string, number>();
    for (const a of HANDLER_AREAS) for (const e of a.events) expected.set(e, (expected.get(e) ?? 0) + 1);
    expect(new Map([...listeners].map(([e, l]) => [e, l.length]))).toEqual(expected);
    expect(listeners.get("issues.opened")).toHaveLength(3); // sign-off, incident, deployment
  });

  it("one import for concurrent first events; each runs the handlers registered under its event name", async () => {
    const ran: string[] = [];
    const load = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return ((app: Probot) => {
        app.on("issues.opened", async () => void ran.push("a:issues.opened"));
        app.on(["issues.opened", "push"], async () => void ran.push("b"));
      }) as RegisterArea;
    });
    const { app, deliver } = fakeApp();
    registerLazily(app, deps, { name: "test", events: ["issues.opened", "push"], load });
    const { context } = fakeContext();
    await Promise.all([deliver("issues.opened", context), deliver("push", context), deliver("issues.opened", context)]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(ran.sort()).toEqual(["a:issues.opened", "a:issues.opened", "b", "b", "b"]);
  });

  it("a failed import: the delivery fails with an error naming the area, logged; the next event imports again", async () => {
    const load = vi
      .fn<() => Promise<RegisterArea>>()
      .mockRejectedValueOnce(new Error("Cannot find module './signoff.js'"))
      .mockResolvedValueOnce(((app: Probot) => app.on("push", async () => {})) as RegisterArea);
    const { app, deliver } = fakeApp();
    registerLazily(app, deps, { name: "sign-off", events: ["push"], load });
    const first = fakeContext();
    await expect(deliver("push", first.context)).rejects.toThrow("Charter could not load its sign-off handlers: Cannot find module './signoff.js'");
    expect(first.error).toHaveBeenCalledWith(expect.objectContaining({ area: "sign-off" }), "Charter could not load its sign-off handlers: Cannot find module './signoff.js'");
    const second = fakeContext();
    await expect(deliver("push", second.context)).resolves.toBeDefined();
    expect(load).toHaveBeenCalledTimes(2);
    expect(second.error).not.toHaveBeenCalled();
  });

  it("an area whose module registers an event it does not declare is refused when it loads", () => {
    const register = ((app: Probot) => app.on("issues.closed", async () => {})) as RegisterArea;
    expect(() => recordArea({ name: "incident", events: ["issues.opened"] }, register, deps)).toThrow("the incident handlers register issues.closed, which src/handlers/index.ts does not list for them");
  });

  it("a handler's error fails the delivery as Probot's would; two failing handlers of one event are both reported", async () => {
    const { app, deliver } = fakeApp();
    registerLazily(app, deps, {
      name: "test",
      events: ["push", "issues.opened"],
      load: async () => (a: Probot) => {
        a.on("push", async () => {
          throw new Error("GitHub said 502");
        });
        a.on("issues.opened", async () => {
          throw new Error("first");
        });
        a.on("issues.opened", async () => {
          throw new Error("second");
        });
      },
    });
    const { context } = fakeContext();
    await expect(deliver("push", context)).rejects.toThrow("GitHub said 502");
    const both = await deliver("issues.opened", context).catch((e: unknown) => e);
    expect(both).toBeInstanceOf(AggregateError);
    expect((both as AggregateError).errors.map((e: Error) => e.message)).toEqual(["first", "second"]);
  });
});
