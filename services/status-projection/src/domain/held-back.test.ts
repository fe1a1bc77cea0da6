import type { SubmissionRef } from "@flyt/schemas";
import { describe, expect, it } from "vitest";
import { type HeldBackEvent, releaseOverdue } from "./held-back";
import { project, type StatusEvent } from "./status-transition";

const submission: SubmissionRef = {
  id: "sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9D",
  tenant: "demo",
  sourceApplication: "egrunnerverv",
  integrationId: "egrunnerverv-sak",
  sourceInstanceId: "GRV-2",
  kind: "CASE",
  run: 1,
};
const at = (second: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, second));
const event = (status: StatusEvent["status"], second: number, run = 1): StatusEvent => ({
  eventId: `${status}-${run}-${second}`,
  submission: { ...submission, run },
  status,
  at: at(second),
  ...(status === "RECEIVED" ? { receivedAt: at(0) } : {}),
  ...(status === "ARCHIVED" ? { caseNumber: "2026/7", journalPostNumbers: ["2026/7-1"], errors: [] } : {}),
});
const recordedAt =
  (second: number) =>
  (e: StatusEvent): HeldBackEvent => ({ event: e, recordedAt: at(second) });
const ids = (events: readonly StatusEvent[]) => events.map((e) => e.eventId);

const received = event("RECEIVED", 0);
const validated = event("VALIDATED", 1);
const archived = event("ARCHIVED", 4);

describe("releasing events held back too long", () => {
  it("shows nothing before the age, then what a lost RECEIVED held back, in lifecycle order, and announces it", () => {
    const heldBack = [archived, validated].map(recordedAt(10));
    expect(releaseOverdue([], heldBack, at(9)).appended).toEqual([]);
    const { appended, state, completedBy, passedOver } = releaseOverdue([], heldBack, at(10));
    expect(ids(appended)).toEqual(["VALIDATED-1-1", "ARCHIVED-1-4"]);
    expect(state).toMatchObject({ status: "ARCHIVED", caseNumber: "2026/7", createdAt: at(1) });
    expect(completedBy?.eventId).toBe("ARCHIVED-1-4");
    expect(passedOver).toEqual([]);
    // The lost step, replayed later, is recorded but never shown: the history only grows at its end.
    const late = project(appended, [received]);
    expect(late.appended).toEqual([]);
    expect(ids(late.passedOver)).toEqual(["RECEIVED-1-0"]);
  });

  it("waits for nothing but the overdue events: a younger one that follows them is shown with them", () => {
    const { appended } = releaseOverdue(
      [received],
      [validated].map(recordedAt(10)).concat(recordedAt(50)(archived)),
      at(20),
    );
    expect(ids(appended)).toEqual(["VALIDATED-1-1", "ARCHIVED-1-4"]);
    // A younger one whose missing step could still come keeps waiting.
    const young = releaseOverdue([received], [recordedAt(50)(archived)], at(20));
    expect(young.appended).toEqual([]);
    expect(young.passedOver).toEqual([]);
  });

  it("shows a retry's RECEIVED whose run before lost its end", () => {
    const retried = event("RECEIVED", 30, 2);
    const { appended, state } = releaseOverdue([received, validated], [recordedAt(40)(retried)], at(40));
    expect(ids(appended)).toEqual(["RECEIVED-2-30"]);
    expect(state).toMatchObject({ status: "RECEIVED", submission: { run: 2 } });
  });

  it("shows what an older instance recorded without a position, and lets go of what is never shown", () => {
    const stage = event("ARCHIVING", 3);
    const { appended, passedOver } = releaseOverdue(
      [received, validated],
      [archived, stage].map(recordedAt(10)),
      at(10),
    );
    expect(ids(appended)).toEqual(["ARCHIVING-1-3", "ARCHIVED-1-4"]);
    expect(passedOver).toEqual([]);
    const after = releaseOverdue([received, validated, archived], [stage].map(recordedAt(10)), at(10));
    expect(after.appended).toEqual([]);
    expect(ids(after.passedOver)).toEqual(["ARCHIVING-1-3"]);
  });
});
