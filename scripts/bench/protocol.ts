/** Messages between `npm run bench` (scripts/bench/run.ts) and its measured child processes (child.ts). */
export type ChildRequest =
  | { cmd: "clock"; at: string }
  /**
   * Deliver once against the emulator; `key` records the exchanges for a later replay; `exchanges`
   * returns them (for the mirror app); `script`: the requests the mirror app makes for this delivery.
   */
  | { cmd: "live"; key?: string; event: string; payload: unknown; exchanges?: boolean; script?: unknown[] }
  | { cmd: "sweep"; owner: string; repo: string; fresh?: boolean }
  | { cmd: "memory"; cycle: { event: string; payload: unknown; key: string }[]; total: number; checkpoints: number[] }
  | { cmd: "exit" };

export interface ChildReply {
  ok: boolean;
  error?: string;
  cpuUs?: number;
  wallMs?: number;
  actions?: string[];
  memory?: { after: number; rss: number; heapUsed: number; external: number }[];
  cpuUsPerDelivery?: number;
  /** The delivery's exchanges with GitHub (the `exchanges` flag). */
  exchanges?: unknown[];
  /** Charter's governance cache during the delivery: hits and misses (blob texts, loaded models). */
  cache?: Record<string, number>;
}

/** Every event Charter registers a handler for (src/handlers): the bare app listens to the same. */
export const CHARTER_EVENTS = [
  "issues.opened",
  "issues.labeled",
  "issues.unlabeled",
  "issues.reopened",
  "issues.closed",
  "issues.deleted",
  "issue_comment.created",
  "pull_request.opened",
  "pull_request.reopened",
  "pull_request.synchronize",
  "pull_request.ready_for_review",
  "pull_request.labeled",
  "pull_request.edited",
  "pull_request.closed",
  "pull_request_review.submitted",
  "pull_request_review.dismissed",
  "pull_request_review.edited",
  "check_run.rerequested",
  "check_suite.rerequested",
  "push",
  "membership.added",
  "membership.removed",
  "team.edited",
  "team.deleted",
] as const;
