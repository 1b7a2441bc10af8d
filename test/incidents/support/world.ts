/**
 * An incident test world: the real Charter app (createTestApp, ManualClock), a stateful fake
 * GitHub on nock, and helpers to deliver webhooks and run sweeps at the clock's time.
 */
import nock from "nock";
import { sweepRepository, type RepositorySweep } from "../../../src/reconcile/runner.js";
import { incidentSweepTask } from "../../../src/reconcile/incidents.js";
import { createTestApp, TestOctokit, type TestApp } from "../../support/app-harness.js";
import { d9Files, governanceFiles, OWNER, REPO } from "../../support/governance-mock.js";
import { FakeGitHub, mentionsIn, type IssueRec } from "./fake-github.js";
import { testIdentity } from "../../support/identity.js";

export interface World {
  app: TestApp;
  /** A new Charter process (empty caches), same GitHub, same clock: what a restart looks like. */
  restart(): Promise<void>;
  gh: FakeGitHub;
  /** Advance the clock to `minutes` after `t0`. */
  at(minutes: number): void;
  t0: Date;
  /** Open an issue and deliver `issues.opened`. */
  open(input: Partial<IssueRec>): Promise<IssueRec>;
  /** A human writes a comment; `issue_comment.created` is delivered (returns the comment id). */
  say(issue: number, user: string, body: string): Promise<number>;
  /** One reconcile pass over the repository, as the periodic sweeper runs it. */
  sweep(): Promise<RepositorySweep>;
  deliver(name: string, payload: unknown, id?: string): Promise<void>;
}

export function sevenPersonFiles(): Record<string, string> {
  return governanceFiles("examples/seven-person-team/governance");
}

export { d9Files };

export async function world(options: { t0: string; files?: Record<string, string> }): Promise<World> {
  nock.disableNetConnect();
  let app = await createTestApp({ now: options.t0 });
  const gh = new FakeGitHub(app.clock).install(options.files ?? d9Files());
  const t0 = new Date(options.t0);
  let deps = { clock: app.clock, governance: app.cache, identity: testIdentity };
  let deliveries = 0;
  const deliver = (name: string, payload: unknown, id?: string) => app.receive(name, payload, id ?? `d-${++deliveries}`);
  return {
    get app() {
      return app;
    },
    async restart() {
      app = await createTestApp({ clock: app.clock });
      deps = { clock: app.clock, governance: app.cache, identity: testIdentity };
    },
    gh,
    t0,
    at: (minutes) => app.clock.set(new Date(t0.getTime() + minutes * 60_000)),
    async open(input) {
      const issue = gh.addIssue(input);
      await deliver("issues", gh.issuesPayload("opened", issue.number));
      return issue;
    },
    async say(issue, user, body) {
      const c = gh.addComment(issue, user, body);
      await deliver("issue_comment", gh.commentPayload(c.id));
      return c.id;
    },
    sweep: () =>
      sweepRepository(new TestOctokit({ auth: "test-token" }), { owner: OWNER, repo: REPO }, deps, app.probot.log, {
        defaultBranch: "main",
        tasks: [incidentSweepTask],
      }),
    deliver,
  };
}

/** Mentions in each comment Charter posted on `issue`, with the minute (since t0) it was posted. */
export function pagesTimeline(w: World, issue: number): { minute: number; mentions: string[] }[] {
  return w.gh.posted(issue).map((p) => ({ minute: Math.round((Date.parse(p.at) - w.t0.getTime()) / 60_000), mentions: p.mentions }));
}

export function cleanup(): void {
  nock.cleanAll();
}

/** Every page line Charter wrote on `issue` (🔔 ladder step, ⏫ escalation, 🔁 repeat, 📟 manual page, 📣 routing), with its minute since t0 and the people it mentions. */
export function pageLines(w: World, issue: number): { minute: number; mentions: string[]; line: string }[] {
  const out: { minute: number; mentions: string[]; line: string }[] = [];
  for (const p of w.gh.posted(issue)) {
    for (const line of p.body.split("\n")) {
      if (!/^(🔔|⏫|🔁|📟|📣)/u.test(line)) continue;
      out.push({ minute: Math.round((Date.parse(p.at) - w.t0.getTime()) / 60_000), mentions: mentionsIn(line), line });
    }
  }
  return out;
}

/** Run a sweep at each minute in [from, to] (step minutes apart). */
export async function sweepEvery(w: World, from: number, to: number, step = 1, during?: (minute: number) => Promise<void>): Promise<void> {
  for (let m = from; m <= to; m += step) {
    w.at(m);
    if (during) await during(m);
    await w.sweep();
  }
}
