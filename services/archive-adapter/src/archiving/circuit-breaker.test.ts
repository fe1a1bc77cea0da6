import { describe, expect, it } from "vitest";
import {
  ArchiveRefusedError,
  ArchiveUnavailableError,
  WriteInProgressError,
} from "../drivers/archive-errors";
import { CircuitBreaker, type CircuitBreakerHooks } from "./circuit-breaker";

/** A timer the test moves by hand: `tick()` runs what is scheduled, as if its period had passed. */
function manualTimer() {
  const ticks = new Set<() => void>();
  return {
    every: (_ms: number, tick: () => void) => {
      ticks.add(tick);
      return () => ticks.delete(tick);
    },
    tick: () => {
      for (const tick of [...ticks]) tick();
    },
    running: () => ticks.size,
  };
}

function breakerAt(clock: { now: number }, hooks: CircuitBreakerHooks = {}, timer = manualTimer()) {
  return new CircuitBreaker(
    "demo-fint",
    { failureThreshold: 3, openMs: 1_000, probeMs: 100, now: () => clock.now, every: timer.every },
    hooks,
  );
}

/** Lets the probe's promise settle. */
const settled = () => new Promise((resolve) => setImmediate(resolve));
const unavailable = async () => {
  throw new ArchiveUnavailableError("503");
};

describe("CircuitBreaker", () => {
  it("opens after consecutive unavailable answers and then fails at once without calling", async () => {
    const clock = { now: 0 };
    const breaker = breakerAt(clock);
    for (let i = 0; i < 3; i++) await expect(breaker.run(unavailable)).rejects.toThrow("503");
    expect(breaker.state).toBe("open");
    let called = false;
    await expect(
      breaker.run(async () => {
        called = true;
      }),
    ).rejects.toThrow(/not called for now .*; last: 503/);
    expect(called).toBe(false);
  });

  it("lets one trial through after the open period; success closes it, failure opens it again", async () => {
    const clock = { now: 0 };
    const breaker = breakerAt(clock);
    for (let i = 0; i < 3; i++) await expect(breaker.run(unavailable)).rejects.toThrow();
    clock.now = 1_000;
    expect(breaker.state).toBe("half-open");
    await expect(breaker.run(unavailable)).rejects.toThrow("503");
    expect(breaker.state).toBe("open");
    clock.now = 2_000;
    expect(await breaker.run(async () => "ok")).toBe("ok");
    expect(breaker.state).toBe("closed");
  });

  it("does not count refusals: an archive that answers 4xx is up", async () => {
    const breaker = breakerAt({ now: 0 });
    for (let i = 0; i < 5; i++) {
      await expect(
        breaker.run(async () => {
          throw new ArchiveRefusedError("arkivdel is required");
        }),
      ).rejects.toThrow();
    }
    expect(breaker.state).toBe("closed");
  });

  it("does not count a write the archive is still working on (FINT's status window): it answered", async () => {
    const breaker = breakerAt({ now: 0 });
    for (let i = 0; i < 5; i++) {
      await expect(
        breaker.run(async () => {
          throw new WriteInProgressError(
            "a case create is not in the archive yet; FINT may still pass it on",
          );
        }),
      ).rejects.toThrow(WriteInProgressError);
    }
    expect(breaker.state).toBe("closed");
  });

  it("probes an open archive and, at its first answer, closes and says the archive may be called", async () => {
    const clock = { now: 0 };
    const timer = manualTimer();
    let up = false;
    let probes = 0;
    let callable = 0;
    const breaker = breakerAt(
      clock,
      {
        probe: async () => {
          probes += 1;
          if (!up) throw new ArchiveUnavailableError("503");
        },
        onCallable: () => {
          callable += 1;
        },
      },
      timer,
    );
    for (let i = 0; i < 3; i++) await expect(breaker.run(unavailable)).rejects.toThrow("503");
    clock.now = 900;
    timer.tick();
    await settled();
    expect([probes, breaker.state, callable]).toEqual([1, "open", 0]);
    // A failed probe keeps it open past its open period: the probe is the trial, no call is let through.
    clock.now = 1_500;
    expect(breaker.state).toBe("open");
    up = true;
    timer.tick();
    await settled();
    expect([probes, breaker.state, callable, timer.running()]).toEqual([2, "closed", 1, 0]);
  });

  it("without a probe, says the archive may be called once its open period is over, for the trial call", async () => {
    const clock = { now: 0 };
    const timer = manualTimer();
    let callable = 0;
    const breaker = breakerAt(clock, { onCallable: () => (callable += 1) }, timer);
    for (let i = 0; i < 3; i++) await expect(breaker.run(unavailable)).rejects.toThrow("503");
    timer.tick();
    expect(callable).toBe(0);
    clock.now = 1_000;
    timer.tick();
    expect(callable).toBe(1);
    expect(await breaker.run(async () => "ok")).toBe("ok");
    expect([breaker.state, callable, timer.running()]).toEqual(["closed", 2, 0]);
  });
});
