import { describe, expect, it } from "vitest";
import { retryAfterMs } from "./retry-after";
import { type AttemptResult, decideAfterAttempt, defaultRetrySchedule, failureOf } from "./schedule";

const now = new Date("2026-11-22T10:00:00.000Z");
const answered = (statusCode: number, retryAfter?: string): AttemptResult => ({
  kind: "answered",
  statusCode,
  retryAfter,
});
const middle = () => 0.5;
const after = (roundAttempt: number, result: AttemptResult, random = middle) =>
  decideAfterAttempt(defaultRetrySchedule, { roundAttempt, result }, now, random);
const waitOf = (decision: ReturnType<typeof after>) =>
  decision.action === "retry" ? decision.at.getTime() - now.getTime() : undefined;

describe("the retry schedule", () => {
  it("waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h and 24 h (without jitter), then parks: about three days", () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => waitOf(after(n, answered(503))));
    expect(waits).toEqual([5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 36e6, 864e5]);
    expect(after(9, answered(503))).toEqual({
      action: "park",
      reason: "retries-exhausted",
      error: "answered 503",
    });
    const total = waits.reduce((sum, wait) => (sum ?? 0) + (wait ?? 0), 0) as number;
    expect(total / 86_400_000).toBeGreaterThan(2);
  });

  it("spreads each wait by ±20 % at random", () => {
    expect(waitOf(after(2, answered(500), () => 0))).toBe(240_000);
    expect(waitOf(after(2, answered(500), () => 0.999999))).toBe(360_000);
  });

  it("delivers on any 2xx and parks at once on 410, which disables the endpoint", () => {
    expect(after(1, answered(200))).toEqual({ action: "delivered" });
    expect(after(3, answered(202))).toEqual({ action: "delivered" });
    expect(after(1, answered(410))).toMatchObject({ action: "park", reason: "endpoint-gone" });
  });

  it("honours Retry-After when it asks for longer than the schedule, up to a cap", () => {
    expect(waitOf(after(1, answered(429, "120")))).toBe(120_000);
    expect(waitOf(after(1, answered(503, "Sun, 22 Nov 2026 10:10:00 GMT")))).toBe(600_000);
    expect(waitOf(after(2, answered(503, "1")))).toBe(300_000); // never sooner than the schedule
    expect(waitOf(after(1, answered(503, String(10 * 86_400))))).toBe(86_400_000);
  });

  it("retries what got no answer, or was refused before sending, on the same schedule", () => {
    expect(after(1, { kind: "failed", error: "timed out after 15000 ms" })).toMatchObject({
      action: "retry",
      error: "timed out after 15000 ms",
    });
    expect(
      after(1, { kind: "refused", reason: "must be public", detail: "resolves to 10.0.0.1" }),
    ).toMatchObject({
      action: "retry",
      // The source system reads the attempt log: what the URL must be, never what its host resolved to.
      error: "refused before sending: must be public",
    });
  });

  it("names a redirect as not followed", () => {
    expect(failureOf(answered(302))).toBe("answered 302: redirects are not followed");
    expect(failureOf(answered(204))).toBeNull();
  });
});

describe("Retry-After", () => {
  it.each([
    ["120", 120_000],
    [" 0 ", 0],
    ["Sun, 22 Nov 2026 10:00:30 GMT", 30_000],
    ["Sun, 22 Nov 2026 09:00:00 GMT", 0],
  ])("reads %j", (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });

  it.each([undefined, "", "soon", "-5", "1.5", "2026-11-22T10:00:30Z"])("ignores %j", (header) => {
    expect(retryAfterMs(header, now)).toBeUndefined();
  });
});
