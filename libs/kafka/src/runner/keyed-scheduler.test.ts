import { describe, expect, it } from "vitest";
import { KeyedScheduler, Semaphore } from "./keyed-scheduler";

const tick = () => new Promise((resolve) => setImmediate(resolve));

function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe("KeyedScheduler", () => {
  it("keeps order per key while another key runs past a blocked one", async () => {
    const scheduler = new KeyedScheduler();
    const done: string[] = [];
    const slowA = gate();
    scheduler.enqueue("a", async () => {
      await slowA.opened;
      done.push("a1");
    });
    scheduler.enqueue("a", async () => {
      done.push("a2");
    });
    scheduler.enqueue("b", async () => {
      done.push("b1");
    });
    await tick();
    expect(done).toEqual(["b1"]);

    slowA.open();
    await scheduler.idle();
    expect(done).toEqual(["b1", "a1", "a2"]);
  });

  it("goes on with a key's next task after one throws", async () => {
    const scheduler = new KeyedScheduler();
    const done: string[] = [];
    scheduler.enqueue("a", async () => {
      throw new Error("boom");
    });
    scheduler.enqueue("a", async () => {
      done.push("a2");
    });
    await scheduler.idle();
    expect(done).toEqual(["a2"]);
    expect(scheduler.activeKeys).toBe(0);
  });
});

describe("Semaphore", () => {
  it("lets at most `limit` run at once", async () => {
    const semaphore = new Semaphore(2);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        semaphore.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await tick();
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
  });

  it("hands freed slots to waiters in the order they came", async () => {
    const semaphore = new Semaphore(1);
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 2_000 }, (_, index) =>
        semaphore.run(async () => {
          started.push(index);
          await tick();
        }),
      ),
    );
    expect(started).toEqual(Array.from({ length: 2_000 }, (_, index) => index));
  });
});
