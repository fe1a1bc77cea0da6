import { describe, expect, it } from "vitest";
import { batched } from "./batched";

describe("batched", () => {
  it("runs calls made together as one batch, each caller getting its own result", async () => {
    const batches: number[][] = [];
    const double = batched(async (inputs: readonly number[]) => {
      batches.push([...inputs]);
      return inputs.map((n) => n * 2);
    });
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(await double(4)).toBe(8);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it("splits at maxBatch", async () => {
    const sizes: number[] = [];
    const echo = batched(
      async (inputs: readonly number[]) => {
        sizes.push(inputs.length);
        return inputs;
      },
      { maxBatch: 2 },
    );
    await Promise.all([1, 2, 3, 4, 5].map((n) => echo(n)));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it("fails every caller of a failed batch, and of a batch answered with the wrong number of results", async () => {
    const failing = batched(async () => {
      throw new Error("connection refused");
    });
    const short = batched(async (inputs: readonly number[]) => inputs.slice(1));
    await expect(Promise.all([failing(1), failing(2)])).rejects.toThrow("connection refused");
    const results = await Promise.allSettled([short(1), short(2)]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
  });
});
