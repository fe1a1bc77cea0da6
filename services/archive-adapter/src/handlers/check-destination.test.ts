import type { ArchiveDestination } from "@flyt/schemas";
import { describe, expect, it } from "vitest";
import type { ArchiveDriver } from "../drivers/archive-driver";
import { checkDestination } from "./check-destination";

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
