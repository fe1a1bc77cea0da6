import type { SubmissionCompleted } from "@flyt/schemas";
import { describe, expect, it } from "vitest";
import { callbackPayload, renderStatusResource } from "./status-resource";

const completed: SubmissionCompleted = {
  meta: {
    eventId: "7d0e2a8e-3f57-4c2b-9d7e-6f1b1a2c3d4e",
    occurredAt: new Date("2026-11-22T10:00:00.412Z"),
    correlationId: "c-1",
    producer: "status-projection",
  },
  submission: {
    id: "sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C",
    tenant: "vestland",
    sourceApplication: "egrunnerverv",
    integrationId: "egrunnerverv-sak",
    sourceInstanceId: "GRV-2026-000123",
    kind: "CASE",
    run: 1,
  },
  status: "ARCHIVED",
  caseNumber: "2026/123",
  journalPostNumbers: ["2026/123-1"],
  errors: [],
  history: [
    { status: "RECEIVED", at: new Date("2026-11-22T10:00:00.012Z") },
    { status: "ARCHIVED", at: new Date("2026-11-22T10:00:00.412Z") },
  ],
  configurationVersion: 3,
  createdAt: new Date("2026-11-22T10:00:00.012Z"),
  updatedAt: new Date("2026-11-22T10:00:00.412Z"),
};

describe("the status resource", () => {
  it("renders the contract's members in its order, instants as ISO 8601", () => {
    const resource = renderStatusResource({
      ...completed.submission,
      kind: "JOURNAL_POSTS",
      status: "REJECTED",
      caseNumber: null,
      journalPostNumbers: [],
      errors: [{ code: "missing-required-field", pointer: "/case/arkivdel", detail: "arkivdel" }],
      history: completed.history,
      createdAt: completed.createdAt,
      updatedAt: completed.updatedAt,
    });
    expect(Object.keys(resource)).toEqual([
      "id",
      "integrationId",
      "sourceInstanceId",
      "kind",
      "status",
      "caseNumber",
      "journalPostNumbers",
      "errors",
      "history",
      "createdAt",
      "updatedAt",
    ]);
    expect(resource).toMatchObject({
      kind: "journal-posts",
      history: [
        { status: "RECEIVED", at: "2026-11-22T10:00:00.012Z" },
        { status: "ARCHIVED", at: "2026-11-22T10:00:00.412Z" },
      ],
      updatedAt: "2026-11-22T10:00:00.412Z",
    });
  });

  it("is what a callback posts, with the type of the terminal status first and nothing of the event's own", () => {
    const payload = callbackPayload(completed);
    expect(Object.keys(payload ?? {})[0]).toBe("type");
    expect(payload).toEqual({
      type: "submission.archived",
      id: "sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C",
      integrationId: "egrunnerverv-sak",
      sourceInstanceId: "GRV-2026-000123",
      kind: "case",
      status: "ARCHIVED",
      caseNumber: "2026/123",
      journalPostNumbers: ["2026/123-1"],
      errors: [],
      history: [
        { status: "RECEIVED", at: "2026-11-22T10:00:00.012Z" },
        { status: "ARCHIVED", at: "2026-11-22T10:00:00.412Z" },
      ],
      createdAt: "2026-11-22T10:00:00.012Z",
      updatedAt: "2026-11-22T10:00:00.412Z",
    });
  });

  it.each([
    ["REJECTED", "submission.rejected"],
    ["FAILED", "submission.failed"],
    ["CANCELLED", "submission.cancelled"],
  ] as const)("types %s as %s", (status, type) => {
    expect(callbackPayload({ ...completed, status })?.type).toBe(type);
  });

  it("has no callback for a status that is not terminal", () => {
    expect(callbackPayload({ ...completed, status: "VALIDATED" })).toBeUndefined();
  });
});
