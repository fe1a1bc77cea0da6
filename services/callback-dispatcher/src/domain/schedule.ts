import { retryAfterMs } from "./retry-after";

/** When a failed delivery is tried again. */
export interface RetrySchedule {
  /** The wait after each failed attempt of a round, in order; when they run out, the delivery is parked. */
  readonly delaysMs: readonly number[];
  /** Share of each wait spread at random either way (0.2: ±20 %), so retries of many deliveries spread out. */
  readonly jitter: number;
  /** The longest wait a `Retry-After` can ask for; a longer one is cut to this. */
  readonly maxRetryAfterMs: number;
}

/** About three days: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h and 24 h later. */
export const defaultRetrySchedule: RetrySchedule = {
  delaysMs: [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000, 86_400].map((seconds) => seconds * 1_000),
  jitter: 0.2,
  maxRetryAfterMs: 86_400_000,
};

/** What one attempt came to, as the HTTP client saw it. */
export type AttemptResult =
  | { readonly kind: "answered"; readonly statusCode: number; readonly retryAfter?: string | undefined }
  /**
   * The SSRF guard refused the URL (scheme, or a resolved address): no request was made. `reason` is what the
   * URL must be (the attempt log, which the source system reads); `detail` what the host resolved to (the
   * operators' log only).
   */
  | { readonly kind: "refused"; readonly reason: string; readonly detail: string }
  /** No answer: connection refused or reset, a timeout, a TLS error. */
  | { readonly kind: "failed"; readonly error: string };

export type Decision =
  | { readonly action: "delivered" }
  | { readonly action: "retry"; readonly at: Date; readonly error: string }
  | { readonly action: "park"; readonly reason: string; readonly error: string | null };

/** Whether the endpoint took the delivery (any 2xx). */
export function succeeded(result: AttemptResult): boolean {
  return result.kind === "answered" && result.statusCode >= 200 && result.statusCode < 300;
}

/** Whether the endpoint said it is gone for good (410): it is disabled. */
export function endpointGone(result: AttemptResult): boolean {
  return result.kind === "answered" && result.statusCode === 410;
}

/** What went wrong, in words for the attempt log; null for a success. */
export function failureOf(result: AttemptResult): string | null {
  switch (result.kind) {
    case "answered":
      if (succeeded(result)) return null;
      if (result.statusCode >= 300 && result.statusCode < 400)
        return `answered ${result.statusCode}: redirects are not followed`;
      return `answered ${result.statusCode}`;
    case "refused":
      return `refused before sending: ${result.reason}`;
    case "failed":
      return result.error;
  }
}

/**
 * What follows attempt number `roundAttempt` (1-based, counted since the schedule started or was restarted by a
 * resend) of a delivery: delivered on any 2xx; parked when the endpoint is gone (410) or the schedule is spent;
 * otherwise tried again after the schedule's wait with jitter, or later if the endpoint asked so (`Retry-After`,
 * up to a cap). `random` in [0, 1).
 */
export function decideAfterAttempt(
  schedule: RetrySchedule,
  attempt: { readonly roundAttempt: number; readonly result: AttemptResult },
  now: Date,
  random: () => number,
): Decision {
  const { result } = attempt;
  if (succeeded(result)) return { action: "delivered" };
  const error = failureOf(result) ?? "failed";
  if (endpointGone(result)) return { action: "park", reason: "endpoint-gone", error };
  const delay = schedule.delaysMs[attempt.roundAttempt - 1];
  if (delay === undefined) return { action: "park", reason: "retries-exhausted", error };
  const spread = delay * schedule.jitter;
  const jittered = delay - spread + 2 * spread * random();
  const asked = result.kind === "answered" ? (retryAfterMs(result.retryAfter, now) ?? 0) : 0;
  const wait = Math.max(jittered, Math.min(asked, schedule.maxRetryAfterMs));
  return { action: "retry", at: new Date(now.getTime() + Math.round(wait)), error };
}
