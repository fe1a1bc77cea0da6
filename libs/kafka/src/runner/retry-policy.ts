/** Exponential backoff: the n-th retry waits about `initialMs * multiplier^(n-1)`, capped at `maxMs`. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly multiplier: number;
}

export interface RetryPolicy {
  /** Attempts made in place, the first included: the message's key waits, every other key goes on. */
  readonly inPlaceAttempts: number;
  readonly inPlaceBackoff: Backoff;
  /**
   * Further attempts through the service's retry topic, for failures that outlast a short wait (an archive
   * that is down for minutes). 0: none, dead-letter after the in-place attempts.
   */
  readonly retryTopicAttempts: number;
  readonly retryTopicBackoff: Backoff;
}

export const defaultRetryPolicy: RetryPolicy = {
  inPlaceAttempts: 3,
  inPlaceBackoff: { initialMs: 200, maxMs: 2_000, multiplier: 3 },
  retryTopicAttempts: 5,
  retryTopicBackoff: { initialMs: 10_000, maxMs: 600_000, multiplier: 4 },
};

export type FailureDecision =
  | { readonly action: "retry-in-place"; readonly delayMs: number }
  | { readonly action: "retry-topic"; readonly delayMs: number }
  | { readonly action: "dead-letter"; readonly reason: "PERMANENT_ERROR" | "RETRIES_EXHAUSTED" };

/**
 * What to do after attempt number `attempt` (1-based, counting in-place and retry-topic attempts alike)
 * failed. `random` in [0, 1) supplies the jitter.
 */
export function decideAfterFailure(
  policy: RetryPolicy,
  failure: {
    readonly retriable: boolean;
    readonly attempt: number;
    readonly retryAfterMs?: number | undefined;
  },
  random: () => number,
): FailureDecision {
  const decision = backoffDecision(policy, failure, random);
  const asked = failure.retryAfterMs ?? 0;
  // A dependency that said when to come back (HTTP Retry-After) is not asked again sooner; a wait longer than
  // the in-place backoff goes to the retry topic rather than hold the key (and its partition's commits) here,
  // and no wait is longer than the retry topic's longest, whatever a server says.
  if (decision.action === "dead-letter" || asked <= decision.delayMs) return decision;
  if (
    decision.action === "retry-in-place" &&
    asked > policy.inPlaceBackoff.maxMs &&
    policy.retryTopicAttempts > 0
  ) {
    return { action: "retry-topic", delayMs: Math.min(asked, policy.retryTopicBackoff.maxMs) };
  }
  const cap =
    decision.action === "retry-in-place" ? policy.inPlaceBackoff.maxMs : policy.retryTopicBackoff.maxMs;
  return { ...decision, delayMs: Math.min(asked, cap) };
}

function backoffDecision(
  policy: RetryPolicy,
  failure: { readonly retriable: boolean; readonly attempt: number },
  random: () => number,
): FailureDecision {
  if (!failure.retriable) return { action: "dead-letter", reason: "PERMANENT_ERROR" };
  if (failure.attempt < policy.inPlaceAttempts) {
    return {
      action: "retry-in-place",
      delayMs: backoffDelay(policy.inPlaceBackoff, failure.attempt, random),
    };
  }
  const retryTopicAttemptsMade = failure.attempt - policy.inPlaceAttempts;
  if (retryTopicAttemptsMade < policy.retryTopicAttempts) {
    return {
      action: "retry-topic",
      delayMs: backoffDelay(policy.retryTopicBackoff, retryTopicAttemptsMade + 1, random),
    };
  }
  return { action: "dead-letter", reason: "RETRIES_EXHAUSTED" };
}

/** "Equal jitter": half the exponential delay, plus a random share of the other half, so retries spread out. */
export function backoffDelay(backoff: Backoff, retry: number, random: () => number): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * backoff.multiplier ** (retry - 1));
  return Math.round(base / 2 + random() * (base / 2));
}
