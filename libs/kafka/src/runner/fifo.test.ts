import { describe, expect, it } from "vitest";
import { Fifo } from "./fifo";

describe("Fifo", () => {
  it("gives items back in the order they came, across the compactions of a long queue", () => {
    const queue = new Fifo<number>();
    const out: number[] = [];
    let next = 0;
    // Interleaved pushes and shifts, so the queue is compacted while it still holds items.
    for (let round = 0; round < 50; round += 1) {
      for (let i = 0; i < 300; i += 1) queue.push(next++);
      for (let i = 0; i < 200; i += 1) out.push(queue.shift() as number);
    }
    expect(queue.length).toBe(50 * 100);
    while (queue.length > 0) out.push(queue.shift() as number);
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
    expect(queue.shift()).toBeUndefined();
  });

  it("is empty again after the last item is taken, and takes new ones", () => {
    const queue = new Fifo<string>();
    queue.push("a");
    expect(queue.shift()).toBe("a");
    expect(queue.length).toBe(0);
    queue.push("b");
    expect(queue.length).toBe(1);
    expect(queue.shift()).toBe("b");
  });
});
