import { describe, expect, it } from "vitest";
import { ArchiveRefusedError, ArchiveUnavailableError } from "../drivers/archive-errors";
import { CircuitBreaker } from "./circuit-breaker";

function breakerAt(clock: { now: number }) {
  return new CircuitBreaker("demo-fint", { failureThreshold: 3, openMs: 1_000, now: () => clock.now });
}
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
});
