import type { ConsumedMessage } from "@flyt/kafka";
import type { ArchiveDestination, DestinationCheckRequested } from "@flyt/schemas";
import { topicCatalogue } from "@flyt/topics";
import { describe, expect, it } from "vitest";
import type { ArchiveDriver } from "../drivers/archive-driver";
import { checkDestination, checkDestinationHandler } from "./check-destination";

const destination: ArchiveDestination = { id: "vestland-elements", driver: "FINT" };
const request = {
  checkId: "6f1c2d3e-0000-4000-8000-000000000001",
  tenantId: "vestland",
  destination,
  requestedBy: "kari",
  requestedAt: new Date("2026-03-14T12:00:00Z"),
};

/** A driver whose check is whatever the test says; nothing else of it is used. */
const driverChecking = (check: ArchiveDriver["check"]) => ({ check }) as unknown as ArchiveDriver;

describe("checkDestination", () => {
  it("ends a check that does not finish within its deadline as timed out, and records that", async () => {
    const recorded: unknown[] = [];
    const report = await checkDestination(
      {
        // An archive that never answers.
        driverFor: () => driverChecking(() => new Promise(() => {})),
        deadlineMs: 20,
        configurations: async () => [],
        record: async (done) => {
          recorded.push(done);
        },
      },
      request,
    );
    expect(report).toMatchObject({
      passed: false,
      steps: [{ step: "deadline", ok: false, detail: expect.stringContaining("did not finish within") }],
    });
    expect(recorded).toEqual([report]);
  });

  it("records what the driver found when it finishes in time", async () => {
    const recorded: unknown[] = [];
    const report = await checkDestination(
      {
        driverFor: () =>
          driverChecking(async () => ({
            steps: [{ step: "reach", ok: true, detail: "answered" }],
            unknownCodes: [],
          })),
        deadlineMs: 60_000,
        configurations: async () => [],
        record: async (done) => {
          recorded.push(done);
        },
      },
      request,
    );
    expect(report).toMatchObject({ passed: true, steps: [{ step: "reach", ok: true }] });
    expect(recorded).toEqual([report]);
  });
});

describe("checkDestinationHandler", () => {
  const now = new Date("2026-03-14T12:10:00Z");
  function handlerRecording(recorded: unknown[]) {
    return checkDestinationHandler({
      topics: topicCatalogue(),
      serves: () => true,
      now: () => now,
      driverFor: () =>
        driverChecking(async () => ({
          steps: [{ step: "reach", ok: true, detail: "answered" }],
          unknownCodes: [],
        })),
      deadlineMs: 60_000,
      configurations: async () => [],
      record: async (done) => {
        recorded.push(done);
      },
    });
  }
  const message = (occurredAt: Date) =>
    ({
      value: {
        meta: { eventId: "e1", occurredAt, correlationId: "c1", producer: "gateway" },
        checkId: request.checkId,
        tenant: request.tenantId,
        destination,
        requestedBy: "kari",
      },
      logger: { warn: () => {} },
    }) as unknown as ConsumedMessage<DestinationCheckRequested>;

  it("checks once: no retries, and time for the whole check before the runner gives up on it", () => {
    const handler = handlerRecording([]);
    expect(handler.retry).toMatchObject({ inPlaceAttempts: 1, retryTopicAttempts: 0 });
    expect(handler.timeoutMs).toBeGreaterThan(60_000);
  });

  it("skips a request that could not be reported before the admin API reads it as expired, and runs a fresh one", async () => {
    const recorded: unknown[] = [];
    const handler = handlerRecording(recorded);
    await handler.handle(message(new Date(now.getTime() - 5 * 60_000)));
    expect(recorded).toEqual([]);
    // Not expired yet, but it would be before a check that may take its whole deadline (60 s) is reported.
    await handler.handle(message(new Date(now.getTime() - 70_000)));
    expect(recorded).toEqual([]);
    await handler.handle(message(new Date(now.getTime() - 5_000)));
    expect(recorded).toEqual([expect.objectContaining({ checkId: request.checkId, passed: true })]);
  });
});
