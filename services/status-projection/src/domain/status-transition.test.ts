import type { SubmissionRef } from "@flyt/schemas";
import { describe, expect, it } from "vitest";
import { completedEvent } from "./completion";
import { historyOf, project, release, type StatusEvent, type SubmissionState } from "./status-transition";

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
const received = event("RECEIVED", 0, { receivedAt: at(0) });
const validated = event("VALIDATED", 1, { configurationVersion: 3 });
const archived = event("ARCHIVED", 4, {
  caseNumber: "2026/12",
  journalPostNumbers: ["2026/12-1"],
  errors: [],
});

/**
 * Feeds the events one at a time, as separate batches would, keeping what the store keeps: the steps shown, in
 * order, and the recorded events held back. Lists what a client could see after each, and every announcement.
 */
function feed(events: readonly StatusEvent[]) {
  let shown: StatusEvent[] = [];
  let pending: StatusEvent[] = [];
  let state: SubmissionState | undefined;
  const seen = new Set<string>();
  const views: string[][] = [];
  const announced: { by: string; state: SubmissionState; history: ReturnType<typeof historyOf> }[] = [];
  for (const next of events) {
    if (seen.has(next.eventId)) continue;
    seen.add(next.eventId);
    const projection = project(shown, [...pending, next]);
    shown = [...shown, ...projection.appended];
    pending = [...pending, next].filter((recorded) => !projection.appended.includes(recorded));
    state = projection.state ?? state;
    views.push(shown.map((step) => step.eventId));
    if (projection.completedBy && projection.state) {
      announced.push({
        by: projection.completedBy.eventId,
        state: projection.state,
        history: historyOf(shown),
      });
    }
  }
  return { state, history: historyOf(shown), views, announced };
}

/** Every order of a few events. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** Each view a client could see starts with the one before it: the history only grows at its end. */
function onlyGrowsAtItsEnd(views: readonly string[][]): boolean {
  return views.every((view, i) => i === 0 || (views[i - 1] as string[]).every((id, j) => view[j] === id));
}

describe("the projection of a submission's events", () => {
  it("follows the lifecycle, takes each step's facts and announces the terminal one", () => {
    const { state, history, announced } = feed([received, validated, event("ARCHIVING", 2), archived]);
    expect(state).toMatchObject({
      status: "ARCHIVED",
      caseNumber: "2026/12",
      journalPostNumbers: ["2026/12-1"],
      configurationVersion: 3,
      createdAt: at(0),
      updatedAt: at(4),
    });
    expect(history.map((step) => step.status)).toEqual(["RECEIVED", "VALIDATED", "ARCHIVING", "ARCHIVED"]);
    expect(announced.map((announcement) => announcement.by)).toEqual(["ARCHIVED-1-4"]);
  });

  it("holds an event back until the steps it follows are shown: no announcement without RECEIVED", () => {
    const early = feed([archived, validated]);
    expect(early.views).toEqual([[], []]);
    expect(early.state).toBeUndefined();
    expect(early.announced).toEqual([]);

    const { views, announced, history } = feed([archived, validated, received]);
    expect(views.at(-1)).toEqual(["RECEIVED-1-0", "VALIDATED-1-1", "ARCHIVED-1-4"]);
    expect(announced).toHaveLength(1);
    expect(announced[0]?.history).toEqual(history);
  });

  it("in any order: a history that only grows at its end, one complete announcement equal to the final state", () => {
    const events = [received, validated, event("WAITING_FOR_CASE", 2), event("ARCHIVING", 3), archived];
    for (const order of permutations(events)) {
      const { state, history, views, announced } = feed(order);
      expect(onlyGrowsAtItsEnd(views)).toBe(true);
      expect(history.slice(0, 2).map((step) => step.status)).toEqual(["RECEIVED", "VALIDATED"]);
      expect(history.at(-1)?.status).toBe("ARCHIVED");
      expect(announced).toHaveLength(1);
      expect(announced[0]?.state).toEqual(state);
      expect(announced[0]?.history).toEqual(history);
      expect(state).toMatchObject({ status: "ARCHIVED", createdAt: at(0), updatedAt: at(4) });
    }
  });

  it("never shows a step a run has passed: a late step is recorded but not inserted", () => {
    const { views, history, announced } = feed([received, validated, archived, event("ARCHIVING", 2)]);
    expect(history.map((step) => step.status)).toEqual(["RECEIVED", "VALIDATED", "ARCHIVED"]);
    expect(views.at(-1)).toEqual(views.at(-2));
    expect(announced).toHaveLength(1);
  });

  it("keeps RECEIVED's time and place when a duplicate or late copy comes", () => {
    const copy = event("RECEIVED", 30, { receivedAt: at(30) });
    const { state, history, views } = feed([received, validated, copy, archived]);
    expect(history).toEqual([
      { status: "RECEIVED", at: at(0) },
      { status: "VALIDATED", at: at(1) },
      { status: "ARCHIVED", at: at(4) },
    ]);
    expect(state?.createdAt).toEqual(at(0));
    expect(onlyGrowsAtItsEnd(views)).toBe(true);
    // The same event delivered twice changes nothing.
    expect(feed([received, received, validated]).history).toEqual(feed([received, validated]).history);
  });

  it("never says a submission failed once the archive has it; a failure it overtakes is not shown", () => {
    const late = event("FAILED", 5, { errors: failure("late") });
    const archivedFirst = feed([received, validated, archived, late]);
    expect(archivedFirst.state).toMatchObject({ status: "ARCHIVED", errors: [] });
    expect(archivedFirst.announced.map((announcement) => announcement.by)).toEqual(["ARCHIVED-1-4"]);
    expect(archivedFirst.history.at(-1)?.status).toBe("ARCHIVED");
    // Shown first, the failure is announced, then the archive's answer is a new step and a new announcement.
    const failedFirst = feed([received, validated, late, archived]);
    expect(failedFirst.history.map((step) => step.status)).toEqual([
      "RECEIVED",
      "VALIDATED",
      "FAILED",
      "ARCHIVED",
    ]);
    expect(failedFirst.announced.map((announcement) => announcement.by)).toEqual([
      "FAILED-1-5",
      "ARCHIVED-1-4",
    ]);
    // Both held back until VALIDATED: only the archive's answer is shown.
    const together = feed([received, late, archived, validated]);
    expect(together.history.map((step) => step.status)).toEqual(["RECEIVED", "VALIDATED", "ARCHIVED"]);
    expect(together.announced.map((announcement) => announcement.by)).toEqual(["ARCHIVED-1-4"]);
  });

  it("starts again with a retry's run, and never shows a late event of the run before", () => {
    const { state, history, announced } = feed([
      received,
      validated,
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
    expect(history.map((step) => step.status)).toEqual([
      "RECEIVED",
      "VALIDATED",
      "FAILED",
      "RECEIVED",
      "VALIDATED",
    ]);
    expect(announced.map((announcement) => announcement.by)).toEqual(["FAILED-1-2"]);
  });

  it("shows a retry's RECEIVED only after the run before it ended, whatever order they are read in", () => {
    const retried = event("RECEIVED", 10, { run: 2, receivedAt: at(0) });
    const failed = event("FAILED", 2, { errors: failure("503") });
    const first = release([], [received, retried]);
    expect(first.map((step) => step.eventId)).toEqual(["RECEIVED-1-0"]);
    const then = release(first, [retried, validated, failed]);
    expect([...first, ...then].map((step) => step.eventId)).toEqual([
      "RECEIVED-1-0",
      "VALIDATED-1-1",
      "FAILED-1-2",
      "RECEIVED-2-10",
    ]);
    // Read all at once (a rebuild's chunk), the same order.
    expect(release([], [retried, failed, validated, received]).map((step) => step.eventId)).toEqual([
      "RECEIVED-1-0",
      "VALIDATED-1-1",
      "FAILED-1-2",
      "RECEIVED-2-10",
    ]);
    const revalidated = event("VALIDATED", 11, { run: 2 });
    const rearchived = event("ARCHIVED", 14, {
      run: 2,
      caseNumber: "2026/12",
      journalPostNumbers: [],
      errors: [],
    });
    for (const order of permutations([received, validated, failed, retried, revalidated, rearchived])) {
      const { history, views, announced } = feed(order);
      expect(history.map((step) => step.status)).toEqual([
        "RECEIVED",
        "VALIDATED",
        "FAILED",
        "RECEIVED",
        "VALIDATED",
        "ARCHIVED",
      ]);
      expect(onlyGrowsAtItsEnd(views)).toBe(true);
      expect(announced.at(-1)?.by).toBe("ARCHIVED-2-14");
    }
  });

  it("lets an operator's resolution end a failed run, announced once more", () => {
    const { state, announced } = feed([
      received,
      validated,
      event("FAILED", 2, { errors: failure("503") }),
      event("ARCHIVED", 5, { byOperator: true, caseNumber: "2026/99", journalPostNumbers: [], errors: [] }),
    ]);
    expect(state).toMatchObject({ status: "ARCHIVED", caseNumber: "2026/99", errors: [] });
    expect(announced.map((announcement) => announcement.by)).toEqual(["FAILED-1-2", "ARCHIVED-1-5"]);
  });

  it("shows an operator's resolution after the failure it resolves, whatever came first", () => {
    const failed = event("FAILED", 2, { errors: failure("503") });
    const resolved = event("CANCELLED", 5, { byOperator: true, errors: failure("cancelled") });
    for (const order of permutations([received, validated, failed, resolved])) {
      const { history, announced } = feed(order);
      expect(history.map((step) => step.status)).toEqual(["RECEIVED", "VALIDATED", "FAILED", "CANCELLED"]);
      expect(announced.at(-1)?.by).toBe("CANCELLED-1-5");
    }
  });

  it("shows a rejection once RECEIVED is, and only once", () => {
    const rejected = event("REJECTED", 2, {
      errors: [{ code: "missing-required-field", pointer: "/case/arkivdel", detail: "x" }],
      configurationVersion: 4,
    });
    const { state, announced } = feed([rejected, received, rejected]);
    expect(state).toMatchObject({ status: "REJECTED", configurationVersion: 4 });
    expect(announced.map((announcement) => announcement.by)).toEqual(["REJECTED-1-2"]);
    expect(release([received, rejected], [])).toEqual([]);
  });
});

describe("completedEvent", () => {
  it("carries the state and the shown history as they are", () => {
    const projection = project([], [received, validated, archived]);
    const state = projection.state as SubmissionState;
    const history = historyOf(projection.appended);
    expect(completedEvent(state, history, { eventId: "c-1", correlationId: "corr" })).toEqual({
      meta: { eventId: "c-1", occurredAt: at(4), correlationId: "corr", producer: "status-projection" },
      submission,
      status: "ARCHIVED",
      caseNumber: "2026/12",
      journalPostNumbers: ["2026/12-1"],
      errors: [],
      history,
      configurationVersion: 3,
      createdAt: at(0),
      updatedAt: at(4),
    });
  });
});
