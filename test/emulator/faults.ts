/**
 * Fault injection seam. `emulator.faults` is consulted once per valid request, before the route
 * handler runs. Return nothing to let the request through, or a Fault to delay it and/or answer
 * with a status of your choosing instead of the handler.
 *
 *   emulator.faults = ({ method, template, count }) =>
 *     method === "PUT" && template === "/repos/{owner}/{repo}/contents/{path}" && count === 1 ? { status: 409 } : undefined;
 */
export interface FaultContext {
  method: string; // upper case
  path: string;
  template: string;
  operationId: string | undefined;
  /** 1 for the first request to this METHOD + template, 2 for the second, … */
  count: number;
  actor: string;
}

export interface Fault {
  /** answer with this status instead of running the handler */
  status?: number;
  /** response body for `status` (default: a GitHub-style `{ message }`) */
  body?: unknown;
  headers?: Record<string, string>;
  /** wait this long first (also applies when the handler then runs normally) */
  delayMs?: number;
}

export type FaultHook = (request: FaultContext) => Fault | undefined | void;
