import { describe, expect, it } from "vitest";
import { RetryWakeups } from "./retry-wakeups";

const HOUR = 3_600_000;

describe("RetryWakeups", () => {
  it("wakes the waits of a group, and only those; then those of a key", async () => {
    const wakeups = new RetryWakeups();
    const stopping = new AbortController();
    const never = stopping.signal;
    const woken: string[] = [];
    const waitFor = (group: string, key: string) =>
      wakeups.wait(HOUR, { group, key, failedAt: Date.now() }, never).then(() => woken.push(key));
    const waits = [waitFor("a", "a:1"), waitFor("b", "b:1"), waitFor("b", "b:2")];
    wakeups.wakeGroup("a");
    await waits[0];
    expect(woken).toEqual(["a:1"]);
    wakeups.wakeKey("b:2");
    await waits[2];
    expect(woken).toEqual(["a:1", "b:2"]);
    stopping.abort();
  });

  it("does not wait at all after a wake-up that came after the failure", async () => {
    let now = 1_000;
    const wakeups = new RetryWakeups(() => now);
    const never = new AbortController().signal;
    wakeups.wakeGroup("a");
    now = 2_000;
    expect(await wakeups.wait(HOUR, { group: "a", key: null, failedAt: 900 }, never)).toBe(true);
    const later = wakeups.wait(10, { group: "a", key: null, failedAt: 1_500 }, never);
    // Failed after the wake-up: it waits its time (here 10 ms).
    expect(await later).toBe(true);
  });

  it("answers false when the runner stops meanwhile", async () => {
    const wakeups = new RetryWakeups();
    const stopping = new AbortController();
    const wait = wakeups.wait(HOUR, { group: "a", key: "a:1", failedAt: Date.now() }, stopping.signal);
    stopping.abort();
    expect(await wait).toBe(false);
  });
});
