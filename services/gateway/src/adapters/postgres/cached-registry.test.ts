import { describe, expect, it } from "vitest";
import { CachedDirectory } from "./cached-registry";

const client = {
  clientId: "c",
  tenantId: "t",
  sourceApplicationId: "s",
  environment: "test" as const,
  description: null,
  revokedAt: null,
};

describe("CachedDirectory", () => {
  it("answers from memory within the TTL and asks again after it", async () => {
    let now = 0;
    let lookups = 0;
    const directory = new CachedDirectory(
      {
        clientById: async () => {
          lookups += 1;
          return client;
        },
        integration: async () => undefined,
      },
      5_000,
      () => now,
    );
    await directory.clientById("c");
    now = 4_999;
    await directory.clientById("c");
    expect(lookups).toBe(1);
    now = 5_000;
    await directory.clientById("c");
    expect(lookups).toBe(2);
  });

  it("does not remember a failed lookup", async () => {
    let calls = 0;
    const directory = new CachedDirectory(
      {
        clientById: async () => {
          calls += 1;
          if (calls === 1) throw new Error("connection refused");
          return client;
        },
        integration: async () => undefined,
      },
      5_000,
    );
    await expect(directory.clientById("c")).rejects.toThrow();
    await expect(directory.clientById("c")).resolves.toEqual(client);
  });
});
