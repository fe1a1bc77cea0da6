import type { SubmissionRef } from "@flyt/schemas";
import { describe, expect, it } from "vitest";
import { foldStatus, historyOf, type StatusEvent, transition } from "./status-transition";

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
  extra: Partial<StatusEvent> & { run?: number } = {},
): StatusEvent => {
  const { run = 1, ...rest } = extra;
  return {
    eventId: `${status}-${run}-${second}`,
    submission: { ...submission, run },
    status,
    at: at(second),
    ...rest,
  };
};
const failure = (detail: string) => [{ code: "archive-unavailable", pointer: "", detail }];

/** Feeds the events one at a time, as separate batches would; lists the events that completed a status. */
function project(events: readonly StatusEvent[]) {
  const completedBy: string[] = [];
  for (const [index, next] of events.entries()) {
    const changed = transition(events.slice(0, index), [next]);
    if (changed?.completedBy) completedBy.push(changed.completedBy.eventId);
  }
  return { state: foldStatus(events), completedBy };
}

/** Every order of a few events. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe("foldStatus", () => {
  it("follows the lifecycle and takes each step's facts", () => {
    const { state, completedBy } = project([
      event("RECEIVED", 0, { receivedAt: at(0) }),
      event("VALIDATED", 1, { configurationVersion: 3 }),
      event("ARCHIVING", 2),
      event("ARCHIVED", 3, { caseNumber: "2026/12", journalPostNumbers: ["2026/12-1"], errors: [] }),
    ]);
    expect(state).toMatchObject({
      status: "ARCHIVED",
      caseNumber: "2026/12",
      journalPostNumbers: ["2026/12-1"],
      configurationVersion: 3,
      createdAt: at(0),
      updatedAt: at(3),
    });
    expect(completedBy).toEqual(["ARCHIVED-1-3"]);
  });

  it("gives the same state and one announcement whatever order the events come in", () => {
    const events = [
      event("RECEIVED", 0, { receivedAt: at(0) }),
      event("VALIDATED", 1, { configurationVersion: 3 }),
      event("WAITING_FOR_CASE", 2),
      event("ARCHIVED", 4, { caseNumber: "2026/12", journalPostNumbers: ["2026/12-1"], errors: [] }),
    ];
    const expected = project(events);
    for (const order of permutations(events)) {
      expect(project(order)).toEqual(expected);
    }
  });

  it("never moves a status back: a late step stays in the history only", () => {
    const { state, completedBy } = project([
      event("VALIDATED", 1),
      event("ARCHIVED", 3, { caseNumber: "2026/12", errors: [] }),
      event("RECEIVED", 0, { receivedAt: at(0) }),
      event("ARCHIVING", 2),
    ]);
    expect(state).toMatchObject({ status: "ARCHIVED", caseNumber: "2026/12", createdAt: at(0) });
    expect(completedBy).toEqual(["ARCHIVED-1-3"]);
  });

  it("never says a submission failed once the archive has it: a stale failure of the same run loses", () => {
    const archivedFirst = project([
      event("ARCHIVED", 3, { caseNumber: "2026/12", errors: [] }),
      event("FAILED", 4, { errors: failure("late") }),
    ]);
    expect(archivedFirst.state).toMatchObject({ status: "ARCHIVED", errors: [] });
    expect(archivedFirst.completedBy).toEqual(["ARCHIVED-1-3"]);
    // Reported the other way round, the failure is announced, then the archive's answer corrects it.
    const failedFirst = project([
      event("FAILED", 4, { errors: failure("timeout") }),
      event("ARCHIVED", 3, { caseNumber: "2026/12", errors: [] }),
    ]);
    expect(failedFirst.state).toMatchObject({ status: "ARCHIVED", caseNumber: "2026/12", errors: [] });
    expect(failedFirst.completedBy).toEqual(["FAILED-1-4", "ARCHIVED-1-3"]);
  });

  it("announces a terminal status once, also when the same event is applied again", () => {
    const rejected = event("REJECTED", 2, {
      errors: [{ code: "missing-required-field", pointer: "/case/arkivdel", detail: "x" }],
      configurationVersion: 4,
    });
    const { state, completedBy } = project([rejected, event("RECEIVED", 0, { receivedAt: at(0) })]);
    expect(state).toMatchObject({ status: "REJECTED", configurationVersion: 4 });
    expect(state?.errors).toHaveLength(1);
    expect(completedBy).toEqual(["REJECTED-1-2"]);
    expect(transition([rejected], [])?.completedBy).toBeUndefined();
  });

  it("starts again with a retry's run, and ignores a late event of the run before", () => {
    const { state, completedBy } = project([
      event("RECEIVED", 0, { receivedAt: at(0) }),
      event("VALIDATED", 1, { configurationVersion: 3 }),
      event("FAILED", 2, { errors: failure("503"), caseNumber: "2026/12" }),
      event("RECEIVED", 10, { run: 2, receivedAt: at(0) }),
      event("ARCHIVING", 1, { run: 1 }),
      event("VALIDATED", 11, { run: 2, configurationVersion: 5 }),
    ]);
    expect(state).toMatchObject({
      status: "VALIDATED",
      submission: { run: 2 },
      errors: [],
      caseNumber: null,
      configurationVersion: 5,
      createdAt: at(0),
      updatedAt: at(11),
    });
    expect(completedBy).toEqual(["FAILED-1-2"]);
  });

  it("lets an operator's resolution end a failed run, announced once more", () => {
    const { state, completedBy } = project([
      event("FAILED", 2, { errors: failure("503") }),
      event("ARCHIVED", 5, { byOperator: true, caseNumber: "2026/99", journalPostNumbers: [], errors: [] }),
    ]);
    expect(state).toMatchObject({ status: "ARCHIVED", caseNumber: "2026/99", errors: [] });
    expect(completedBy).toEqual(["FAILED-1-2", "ARCHIVED-1-5"]);
  });
});

describe("historyOf", () => {
  it("lists every recorded step by time, ties in lifecycle order", () => {
    expect(
      historyOf([
        event("ARCHIVED", 2, { caseNumber: "2026/1" }),
        event("VALIDATED", 1),
        event("ARCHIVING", 1),
        event("RECEIVED", 0),
      ]).map((step) => step.status),
    ).toEqual(["RECEIVED", "VALIDATED", "ARCHIVING", "ARCHIVED"]);
  });
});
