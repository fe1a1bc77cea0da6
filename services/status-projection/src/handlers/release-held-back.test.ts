import type { Logger } from "@flyt/logging";
import { describe, expect, it } from "vitest";
import type { PendingCompletion } from "../adapters/postgres/status-store";
import { releaseHeldBack } from "./release-held-back";

describe("a sweep of held-back events", () => {
  it("says which it released, publishes what they completed and reports what still waits", async () => {
    const completion = { eventId: "c-1", submissionId: "sub_a" } as PendingCompletion;
    const published: string[] = [];
    const logged: { fields: object; message: string }[] = [];
    const reported: { heldBack?: [number, number]; released?: number } = {};
    await releaseHeldBack({
      store: {
        releaseHeldBack: async (olderThanMs) => {
          expect(olderThanMs).toBe(120_000);
          return {
            released: [
              { submissionId: "sub_a", eventId: "v", status: "VALIDATED" },
              { submissionId: "sub_a", eventId: "a", status: "ARCHIVED" },
            ],
            completions: [completion],
          };
        },
        heldBack: async () => ({ count: 3, oldestAgeSeconds: 42 }),
      },
      publishCompletion: async (pending) => {
        published.push(pending.eventId);
      },
      metrics: {
        heldBack: (count, oldest) => {
          reported.heldBack = [count, oldest];
        },
        released: (count) => {
          reported.released = count;
        },
      },
      logger: {
        warn: (fields: object, message: string) => logged.push({ fields, message }),
      } as unknown as Logger,
      releaseAfterMs: 120_000,
    });
    expect(published).toEqual(["c-1"]);
    expect(reported).toEqual({ heldBack: [3, 42], released: 2 });
    expect(logged).toEqual([
      {
        fields: { submissionId: "sub_a", statuses: ["VALIDATED", "ARCHIVED"], heldBackMs: 120_000 },
        message: "held-back events released: a step they follow did not come in time",
      },
    ]);
  });
});
