/**
 * Which jobs run one at a time: all jobs about one issue or pull request (its deliveries and its
 * timers) share a key; a delivery about a repository as a whole (a push) has the repository's key;
 * an installation event has none.
 */
import type { Delivery, Timer } from "./types.js";

interface PayloadLike {
  repository?: { full_name?: string };
  issue?: { number?: number };
  pull_request?: { number?: number };
  number?: number;
  check_run?: { pull_requests?: { number?: number }[] };
  check_suite?: { pull_requests?: { number?: number }[] };
}

export function deliveryKey(delivery: Delivery): string | undefined {
  const p = (delivery.payload ?? {}) as PayloadLike;
  const repo = p.repository?.full_name?.toLowerCase();
  if (!repo) return undefined;
  const number = p.issue?.number ?? p.pull_request?.number ?? p.check_run?.pull_requests?.[0]?.number ?? p.check_suite?.pull_requests?.[0]?.number ?? (delivery.name === "pull_request" ? p.number : undefined);
  return number !== undefined ? `${repo}#${number}` : repo;
}

export function timerKey(timer: Timer): string {
  return `${timer.repo.owner}/${timer.repo.repo}#${timer.issue}`.toLowerCase();
}

/** The installation a delivery came through. */
export function installationOf(delivery: Delivery): number | undefined {
  const id = (delivery.payload as { installation?: { id?: unknown } } | null)?.installation?.id;
  return typeof id === "number" ? id : undefined;
}
