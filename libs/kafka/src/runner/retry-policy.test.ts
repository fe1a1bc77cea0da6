import { describe, expect, it } from "vitest";
import { backoffDelay, decideAfterFailure, type RetryPolicy } from "./retry-policy";

const policy: RetryPolicy = {
  inPlaceAttempts: 3,
  inPlaceBackoff: { initialMs: 100, maxMs: 1_000, multiplier: 2 },
  retryTopicAttempts: 2,
  retryTopicBackoff: { initialMs: 10_000, maxMs: 60_000, multiplier: 4 },
};
const noJitter = () => 1;

describe("decideAfterFailure", () => {
  it("dead-letters a permanent error at once", () => {
    expect(decideAfterFailure(policy, { retriable: false, attempt: 1 }, noJitter)).toEqual({
      action: "dead-letter",
      reason: "PERMANENT_ERROR",
    });
  });

  it("retries in place, then through the retry topic, then gives up", () => {
    const decisions = [1, 2, 3, 4, 5].map((attempt) =>
      decideAfterFailure(policy, { retriable: true, attempt }, noJitter),
    );
    expect(decisions).toEqual([
      { action: "retry-in-place", delayMs: 100 },
      { action: "retry-in-place", delayMs: 200 },
      { action: "retry-topic", delayMs: 10_000 },
      { action: "retry-topic", delayMs: 40_000 },
      { action: "dead-letter", reason: "RETRIES_EXHAUSTED" },
    ]);
  });

  it("waits at least as long as the failure asked (Retry-After), never less than the backoff", () => {
    const asked = (attempt: number, retryAfterMs: number) =>
      decideAfterFailure(policy, { retriable: true, attempt, retryAfterMs }, noJitter);
    expect(asked(1, 800)).toEqual({ action: "retry-in-place", delayMs: 800 });
    expect(asked(3, 2_000)).toEqual({ action: "retry-topic", delayMs: 10_000 });
    expect(asked(4, 50_000)).toEqual({ action: "retry-topic", delayMs: 50_000 });
    expect(asked(5, 30_000)).toEqual({ action: "dead-letter", reason: "RETRIES_EXHAUSTED" });
  });

  it("moves a long wait to the retry topic instead of holding the key, and caps what a server may ask", () => {
    const asked = (attempt: number, retryAfterMs: number) =>
      decideAfterFailure(policy, { retriable: true, attempt, retryAfterMs }, noJitter);
    expect(asked(1, 30_000)).toEqual({ action: "retry-topic", delayMs: 30_000 });
    expect(asked(1, 86_400_000)).toEqual({ action: "retry-topic", delayMs: 60_000 });
    expect(asked(3, 86_400_000)).toEqual({ action: "retry-topic", delayMs: 60_000 });
  });

  it("dead-letters after the in-place attempts when there is no retry topic", () => {
    const inPlaceOnly = { ...policy, retryTopicAttempts: 0 };
    expect(decideAfterFailure(inPlaceOnly, { retriable: true, attempt: 3 }, noJitter)).toEqual({
      action: "dead-letter",
      reason: "RETRIES_EXHAUSTED",
    });
  });
});

describe("backoffDelay", () => {
  const backoff = { initialMs: 100, maxMs: 1_000, multiplier: 2 };

  it("grows exponentially up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(backoff, retry, noJitter))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it("jitters between half and all of the delay", () => {
    expect(backoffDelay(backoff, 3, () => 0)).toBe(200);
    expect(backoffDelay(backoff, 3, () => 0.5)).toBe(300);
  });
});
