/** How often and when a failed delivery is tried again (the delays before each retry). */
export interface RetryPolicy {
  delaysMs: readonly number[];
}

export const DEFAULT_RETRY: RetryPolicy = { delaysMs: [10_000, 30_000, 120_000, 300_000] };
