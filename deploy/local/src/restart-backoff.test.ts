import { describe, expect, it } from "vitest";
import { nextRestartDelay, SERVICE_RESTART_BACKOFF } from "./restart-backoff";

describe("nextRestartDelay", () => {
  const backoff = SERVICE_RESTART_BACKOFF;

  it("starts at 1 s and doubles up to 30 s while the process keeps dying", () => {
    const delays: number[] = [];
    let previous: number | undefined;
    for (let death = 0; death < 8; death += 1) {
      previous = nextRestartDelay(backoff, previous, 500);
      delays.push(previous);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("starts over at 1 s once the process stayed up a minute", () => {
    expect(nextRestartDelay(backoff, 30_000, 59_999)).toBe(30_000);
    expect(nextRestartDelay(backoff, 30_000, 60_000)).toBe(1_000);
  });
});
