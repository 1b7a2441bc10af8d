/** The real Charter app against FakeGitHub, with a ManualClock. */
import nock from "nock";
import { afterEach, beforeEach } from "vitest";
import { createTestApp, type TestApp } from "../support/app-harness.js";
import { d9Files } from "../support/governance-mock.js";
import { FakeGitHub, type PullRecord } from "./fake-github.js";
import { closedEvent, commentEvent, pullEvent, reviewEvent, withAssociation, type ClosedOptions } from "./payloads.js";

export const T0 = "2025-06-02T10:00:00Z"; // a Monday; on call: olga-oncall (primary), omar-oncall (secondary)

export interface World {
  fake: FakeGitHub;
  app: TestApp;
  /** Deliver a comment by `user` on issue 7 (or `issue`). */
  /** `association`: the comment's `author_association` (default `MEMBER`); `NONE` is a stranger on a public repository. */
  say(user: string, body: string, options?: { issue?: number; id?: number; association?: string }): Promise<{ id: number; url: string }>;
  /** Deliver `pull_request.closed` for a Charter pull request. */
  closed(pr: PullRecord, options: ClosedOptions): Promise<void>;
  /** Deliver `pull_request.opened` for a pull request Charter opened (the sign-off check runs). */
  opened(pr: PullRecord): Promise<void>;
  /** Replace the body (e.g. ticked items) and deliver `pull_request.edited`. */
  edited(pr: PullRecord, body: string): Promise<void>;
  /** A review of the head by `login`, delivered as `pull_request_review.submitted`. */
  reviewed(pr: PullRecord, login: string, state?: "APPROVED" | "CHANGES_REQUESTED"): Promise<void>;
  /** Comments Charter posted, newest last. */
  /** A fresh app (no caches, no memory) on the same GitHub, at the same instant: a restart, or the next Actions run. */
  restart(): Promise<void>;
  replies(): string[];
  lastReply(): string;
}

export function useNock(): void {
  beforeEach(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
  });
}

export async function world(options: { now?: string; files?: Record<string, string | null> } = {}): Promise<World> {
  const fake = new FakeGitHub(d9Files(options.files ?? {}));
  fake.install();
  let app = await createTestApp({ now: options.now ?? T0 });
  const w: World = {
    fake,
    app,
    async restart() {
      app = await createTestApp({ now: app.clock.now() });
      w.app = app;
    },
    async say(user, body, opts = {}) {
      const e = commentEvent({ user, body, ...(opts.issue !== undefined ? { issue: opts.issue } : {}), ...(opts.id !== undefined ? { id: opts.id } : {}) });
      if (opts.association) withAssociation(e, opts.association);
      await app.receive("issue_comment", e.payload);
      return { id: e.id, url: e.url };
    },
    async closed(pr, opts) {
      await app.receive("pull_request", closedEvent(fake, pr, opts));
    },
    opened: (pr) => app.receive("pull_request", pullEvent(fake, pr, "opened")),
    async edited(pr, body) {
      pr.body = body;
      await app.receive("pull_request", pullEvent(fake, pr, "edited", "ana-owner"));
    },
    async reviewed(pr, login, state = "APPROVED") {
      const r = fake.review(pr.number, login, state);
      await app.receive("pull_request_review", reviewEvent(fake, pr, r));
    },
    replies: () => fake.comments.map((c) => c.body),
    lastReply: () => fake.comments.at(-1)?.body ?? "",
  };
  return w;
}

/** The switches of the kill-switch file on the default branch. */
export function switches(fake: FakeGitHub, branch?: string): Record<string, Record<string, unknown>> {
  return (fake.yaml("state/killswitch.yml", branch).switches ?? {}) as Record<string, Record<string, unknown>>;
}

/** The log entries on the default branch (or a branch). */
export function entries(fake: FakeGitHub, branch?: string): Record<string, unknown>[] {
  return (fake.yaml("state/log.yml", branch).entries ?? []) as Record<string, unknown>[];
}

/** Nothing was written: no file PUT, no branch, no pull request; at most the refusal reply. */
export function expectNoWrite(fake: FakeGitHub): void {
  const writes = fake.requests.filter((r) => r.method !== "GET" && !(r.method === "POST" && /\/issues\/\d+\/comments$/.test(r.path)));
  if (writes.length > 0 || fake.puts.length > 0) throw new Error(`expected no write, got:\n${fake.lines().join("\n")}`);
}

/** The one reply a refused command gets: quoted command, mention, `refused`. */
export function refusal(w: World): string {
  const r = w.lastReply();
  if (!/refused/.test(r)) throw new Error(`expected a refusal, got: ${r}`);
  return r;
}
