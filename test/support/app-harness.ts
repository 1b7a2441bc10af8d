import { Probot, ProbotOctokit } from "probot";
import { createCharter } from "../../src/app.js";
import { ManualClock } from "../../src/clock.js";
import { GovernanceCache } from "../../src/github/governance.js";
import { testIdentity } from "./identity.js";

/** GitHub's own limits are irrelevant in tests: no retries, no throttling (callback form keeps them off). */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export interface TestApp {
  probot: Probot;
  clock: ManualClock;
  cache: GovernanceCache;
  /** Deliver a webhook to the app, as GitHub would. Resolves when every handler has finished. */
  receive(name: string, payload: unknown, id?: string): Promise<void>;
}

let deliveries = 0;

/** The real Charter app on a Probot instance, with an injected clock, talking to nock'd api.github.com. */
export async function createTestApp(options: { now?: string | Date; clock?: ManualClock; cache?: GovernanceCache } = {}): Promise<TestApp> {
  const clock = options.clock ?? new ManualClock(options.now ?? "2025-06-02T10:00:00Z");
  const cache = options.cache ?? new GovernanceCache();
  const probot = new Probot({ githubToken: "test-token", Octokit: TestOctokit, logLevel: "fatal" });
  await probot.load(createCharter({ clock, governance: cache, identity: testIdentity }));
  return {
    probot,
    clock,
    cache,
    receive: (name, payload, id) =>
      probot.receive({ id: id ?? `delivery-${++deliveries}`, name, payload } as Parameters<Probot["receive"]>[0]),
  };
}
