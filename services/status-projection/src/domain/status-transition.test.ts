import type { SubmissionRef } from "@flyt/schemas";
import { describe, expect, it } from "vitest";
import { applyEvent, type StatusEvent, type SubmissionState } from "./status-transition";

const submission: SubmissionRef = {
  id: "sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C",
  tenant: "demo",
  sourceApplication: "egrunnerverv",
  integrationId: "egrunnerverv-sak",
  sourceInstanceId: "GRV-1",
  kind: "CASE",
  run: 1,
};
const at = (second: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, second));
const event = (
  status: StatusEvent["status"],
  second: number,
  extra: Partial<StatusEvent> = {},
): StatusEvent => ({
  eventId: `${status}-${second}`,
  submission,
  status,
  at: at(second),
  ...extra,
});

function replay(events: readonly StatusEvent[]) {
  let state: SubmissionState | undefined;
  const terminal: string[] = [];
  for (const next of events) {
    const transition = applyEvent(state, next);
    state = transition.state;
    if (transition.becameTerminal) terminal.push(next.eventId);
  }
  return { state, terminal };
}

describe("applyEvent", () => {
  it("follows the lifecycle and takes each step's facts", () => {
    const { state, terminal } = replay([
      event("RECEIVED", 0, { receivedAt: at(0) }),
      event("VALIDATED", 1, { configurationVersion: 3 }),
      event("ARCHIVED", 2, { caseNumber: "2026/12", journalPostNumbers: ["2026/12-1"] }),
    ]);
    expect(state).toMatchObject({
      status: "ARCHIVED",
      caseNumber: "2026/12",
      journalPostNumbers: ["2026/12-1"],
      configurationVersion: 3,
      createdAt: at(0),
      updatedAt: at(2),
    });
    expect(terminal).toEqual(["ARCHIVED-2"]);
  });

  it("never moves a status back, and never lets a late event undo a terminal one", () => {
    const { state, terminal } = replay([
      event("VALIDATED", 1),
      event("ARCHIVED", 3, { caseNumber: "2026/12" }),
      event("RECEIVED", 0, { receivedAt: at(0) }),
      event("FAILED", 4, { errors: [{ code: "archive-unavailable", pointer: "", detail: "late" }] }),
    ]);
    expect(state).toMatchObject({ status: "ARCHIVED", caseNumber: "2026/12", errors: [], createdAt: at(0) });
    expect(terminal).toEqual(["ARCHIVED-3"]);
  });

  it("becomes terminal once, even when the terminal event comes first", () => {
    const { state, terminal } = replay([
      event("REJECTED", 2, {
        errors: [{ code: "missing-required-field", pointer: "/case/arkivdel", detail: "x" }],
      }),
      event("RECEIVED", 0, { receivedAt: at(0) }),
      event("REJECTED", 2),
    ]);
    expect(state?.status).toBe("REJECTED");
    expect(state?.errors).toHaveLength(1);
    expect(terminal).toEqual(["REJECTED-2"]);
  });
});
