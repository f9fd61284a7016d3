/**
 * Retry pauses with "full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"): each
 * pause is uniform in [0, min(cap, base · 2^(retry−1))], so concurrent retriers spread out instead
 * of retrying in lockstep. One definition for every retry loop (PutRecords, ingest's S3 writes,
 * compaction's lost-race restarts).
 */

export interface RetryBudget {
  /** Attempts in all, first try included. */
  maxAttempts: number;
  /** Upper bound of the pause before the first retry (ms); doubled per retry. */
  baseDelayMs: number;
  /** Cap on the upper bound of any one pause (ms). */
  maxDelayMs: number;
}

/** The pause before retry `retry` (1-based): uniform in [0, min(maxDelayMs, baseDelayMs · 2^(retry−1))]. */
export function backoffMs(retry: number, budget: Omit<RetryBudget, 'maxAttempts'>, random: () => number = Math.random): number {
  return random() * Math.min(budget.maxDelayMs, budget.baseDelayMs * 2 ** (retry - 1));
}
