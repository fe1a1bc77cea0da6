import { describe, expect, it } from "vitest";
import {
  callbacksEqualTheFinalStatus,
  canonicalJson,
  everyAcceptedEndsAsExpected,
  everyPlannedSubmissionAccepted,
  grewAtItsEnd,
  historiesOnlyGrowAtTheirEnd,
  idempotencyExact,
  noDuplicateArchiveEntries,
  onlyServiceUnavailable,
  type RecoveryOptions,
  recoveredInTime,
  recoveryTimes,
} from "./checks";
import type { AcceptedSubmission, Observations, ReceivedCallback, StatusResource } from "./observations";

const T0 = Date.parse("2026-12-03T10:00:00.000Z");
const iso = (ms: number) => new Date(T0 + ms).toISOString();

const submission = (id: string, extra: Partial<AcceptedSubmission> = {}): AcceptedSubmission => ({
  id,
  scenario: "one-step",
  sourceApplication: "egrunnerverv",
  integrationId: "egrunnerverv-sak",
  sourceInstanceId: `SI-${id}`,
  expectedStatus: "ARCHIVED",
  acceptedAt: T0,
  ...extra,
});

const resource = (
  id: string,
  status: string,
  steps: [string, number][] = [
    ["RECEIVED", 0],
    ["VALIDATED", 100],
    ["ARCHIVING", 200],
    ["ARCHIVED", 300],
  ],
  extra: object = {},
): StatusResource => ({
  id,
  integrationId: "egrunnerverv-sak",
  kind: "case",
  status,
  caseNumber: status === "ARCHIVED" ? "2026/1" : null,
  journalPostNumbers: [],
  errors: [],
  history: steps.map(([step, at]) => ({ status: step, at: iso(at) })),
  ...extra,
});

const callback = (body: StatusResource, extra: Partial<ReceivedCallback> = {}): ReceivedCallback => ({
  at: T0 + 1_000,
  webhookId: `msg_${body.id}`,
  signatureVerified: true,
  body: { type: "submission.archived", ...body },
  ...extra,
});

describe("every 202 ends terminal with the expected status", () => {
  it("holds when each ends as its body was built to", () => {
    const checked = everyAcceptedEndsAsExpected(
      [submission("a"), submission("b", { expectedStatus: "REJECTED" })],
      { a: resource("a", "ARCHIVED"), b: resource("b", "REJECTED", [["REJECTED", 10]]) },
    );
    expect(checked).toMatchObject({ passed: true, figures: { accepted: 2, notTerminal: 0 } });
  });

  it("names a submission that is stuck, unknown, or ended otherwise, with its error codes", () => {
    const checked = everyAcceptedEndsAsExpected([submission("a"), submission("b"), submission("c")], {
      a: resource("a", "ARCHIVING", [["ARCHIVING", 0]]),
      b: resource("b", "FAILED", [["FAILED", 0]], { errors: [{ code: "case-not-archived" }] }),
    });
    expect(checked.passed).toBe(false);
    expect(checked.figures).toMatchObject({ notTerminal: 2, unexpectedStatus: 1 });
    expect(checked.examples.join("\n")).toContain("b (one-step) ended FAILED [case-not-archived]");
  });
});

describe("every submission sent is accepted (202) in the end", () => {
  it("names each one the gateway never took", () => {
    expect(everyPlannedSubmissionAccepted(3, []).passed).toBe(true);
    expect(
      everyPlannedSubmissionAccepted(3, [{ sourceInstanceId: "CHAOS-1", lastStatus: 503 }]).examples,
    ).toEqual(["CHAOS-1: last answered 503"]);
  });
});

describe("repeats and concurrent copies are one submission", () => {
  it("takes 409s and retried 503s as long as every 202 names one id", () => {
    expect(
      idempotencyExact([{ key: "k", acceptedIds: ["s1", "s1"], statuses: [202, 409, 503, 202] }]).passed,
    ).toBe(true);
  });

  it("fails two ids, no 202 at all, or another answer", () => {
    const checked = idempotencyExact([
      { key: "two", acceptedIds: ["s1", "s2"], statuses: [202, 202] },
      { key: "none", acceptedIds: [], statuses: [409] },
      { key: "odd", acceptedIds: ["s3"], statuses: [202, 422] },
    ]);
    expect(checked.examples).toEqual([
      "two: 2 submissions (s1, s2)",
      "none: no copy was accepted (409)",
      "odd: answered 422",
    ]);
  });
});

describe("no duplicate case or journal post in the archive", () => {
  it("counts a second row under one external id, and a pair split over two cases", () => {
    const checked = noDuplicateArchiveEntries(
      [
        { kind: "case", externalId: "a", number: "2026/1" },
        { kind: "case", externalId: "a", number: "2026/2" },
        { kind: "journal-post", externalId: "a/0", number: "2026/1-1" },
        { kind: "journal-post", externalId: "b/0", number: "2026/3-1" },
      ],
      [submission("p", { caseGroup: "g" }), submission("q", { caseGroup: "g" })],
      {
        p: resource("p", "ARCHIVED", undefined, { caseNumber: "2026/3" }),
        q: resource("q", "ARCHIVED", undefined, { caseNumber: "2026/4" }),
      },
    );
    expect(checked.figures).toMatchObject({
      duplicateCases: 1,
      duplicateJournalPosts: 0,
      caseGroupsSplit: 1,
    });
    expect(checked.passed).toBe(false);
  });

  it("holds for a pair archived into one case, whatever its other member's fate", () => {
    const checked = noDuplicateArchiveEntries(
      [{ kind: "case", externalId: "p", number: "2026/3" }],
      [submission("p", { caseGroup: "g" }), submission("q", { caseGroup: "g" })],
      {
        p: resource("p", "ARCHIVED", undefined, { caseNumber: "2026/3" }),
        q: resource("q", "FAILED", [["FAILED", 0]]),
      },
    );
    expect(checked.passed).toBe(true);
  });
});

describe("every polled history only grows at its end", () => {
  const step = (status: string, at: number) => ({ status, at: iso(at) });

  it("takes steps added at the end", () => {
    expect(grewAtItsEnd([step("RECEIVED", 0)], [step("RECEIVED", 0), step("VALIDATED", 5)])).toBe(true);
  });

  it("refuses a step put in between, a step gone, or a step re-timed", () => {
    const before = [step("VALIDATED", 5)];
    expect(grewAtItsEnd(before, [step("RECEIVED", 0), step("VALIDATED", 5)])).toBe(false);
    expect(grewAtItsEnd([step("RECEIVED", 0), step("VALIDATED", 5)], before)).toBe(false);
    expect(grewAtItsEnd([step("RECEIVED", 0)], [step("RECEIVED", 1)])).toBe(false);
  });

  it("compares each poll with the one before it of the same submission", () => {
    const checked = historiesOnlyGrowAtTheirEnd([
      { id: "a", at: 1, history: [step("VALIDATED", 5)] },
      { id: "b", at: 2, history: [step("RECEIVED", 0)] },
      { id: "a", at: 3, history: [step("RECEIVED", 0), step("VALIDATED", 5)] },
      { id: "b", at: 4, history: [step("RECEIVED", 0), step("VALIDATED", 6)] },
    ]);
    expect(checked.figures).toEqual({ polls: 4, submissionsPolled: 2, rewrites: 1 });
    expect(checked.examples[0]).toMatch(/^a: \[VALIDATED@10:00:00.005\] then \[RECEIVED@/);
  });
});

describe("every callback equals the final status resource, under one webhook-id", () => {
  const final = resource("a", "ARCHIVED", undefined, { callback: { state: "delivered", attempts: 1 } });

  it("takes the final resource without its delivery state, redelivered under the same id", () => {
    const { callback: _delivery, ...body } = final;
    const checked = callbacksEqualTheFinalStatus([callback(body), callback(body, { at: T0 + 9_000 })], {
      a: final,
    });
    expect(checked).toMatchObject({ passed: true, figures: { redeliveries: 1, notCalledBack: 0 } });
  });

  it("fails a callback without a step the final resource has, or of another type", () => {
    const partial = resource("a", "ARCHIVED", [
      ["VALIDATED", 100],
      ["ARCHIVING", 200],
      ["ARCHIVED", 300],
    ]);
    const checked = callbacksEqualTheFinalStatus(
      [
        callback(partial),
        callback(resource("a", "ARCHIVED"), {
          body: { ...resource("a", "ARCHIVED"), type: "submission.failed" },
        }),
      ],
      { a: final },
    );
    expect(checked.figures.differing).toBe(2);
  });

  it("fails a second webhook-id, an unsigned callback, and a terminal submission never called back", () => {
    const body = resource("a", "ARCHIVED");
    const checked = callbacksEqualTheFinalStatus(
      [callback(body), callback(body, { webhookId: "msg_other", signatureVerified: false })],
      { a: final, b: resource("b", "REJECTED", [["REJECTED", 0]]) },
    );
    expect(checked.figures).toMatchObject({ severalWebhookIds: 1, unverified: 1, notCalledBack: 1 });
  });

  it("leaves a callback for a submission that was not terminal when the run ended to the first check", () => {
    const checked = callbacksEqualTheFinalStatus([callback(resource("a", "ARCHIVED"))], {
      a: resource("a", "ARCHIVING", [["ARCHIVING", 0]]),
    });
    expect(checked).toMatchObject({ passed: true, figures: { afterTheEnd: 1, submissionsCalledBack: 0 } });
  });

  it("compares JSON whatever the order of its members", () => {
    expect(canonicalJson({ b: [1, { y: 1, x: 2 }], a: null })).toBe(
      canonicalJson({ a: null, b: [1, { x: 2, y: 1 }] }),
    );
  });
});

describe("no 5xx but 503 (with Retry-After)", () => {
  it("takes 503s with Retry-After and failed connections; fails a 500 and a bare 503", () => {
    const checked = onlyServiceUnavailable([
      { at: T0, operation: "POST /api/v1/cases", status: 503, retryAfter: true, durationMs: 5 },
      { at: T0, operation: "POST /api/v1/cases", status: 0, retryAfter: false, durationMs: 5 },
      { at: T0, operation: "POST /api/v1/cases", status: 500, retryAfter: false, durationMs: 5 },
      { at: T0, operation: "GET /api/v1/submissions/{id}", status: 503, retryAfter: false, durationMs: 5 },
    ]);
    expect(checked.figures).toMatchObject({
      otherServerErrors: 1,
      unavailableWithoutRetryAfter: 1,
      noConnection: 1,
    });
    expect(checked.passed).toBe(false);
  });
});

describe("recovery after each fault", () => {
  const options: RecoveryOptions = {
    lagThresholdMs: 10_000,
    recoveryLimitMs: 30_000,
    stepMs: 1_000,
    awaitCallbacks: false,
  };
  const archivedAt = (id: string, acceptedMs: number, doneMs: number) => ({
    submission: submission(id, { acceptedAt: T0 + acceptedMs }),
    final: resource(id, "ARCHIVED", [["ARCHIVED", doneMs]]),
  });
  const observe = (
    runs: ReturnType<typeof archivedAt>[],
    extra: Partial<Observations> = {},
  ): Observations => ({
    accepted: runs.map((run) => run.submission),
    notAccepted: [],
    copyGroups: [],
    answers: [],
    polls: [],
    finals: Object.fromEntries(runs.map((run) => [run.submission.id, run.final])),
    callbacks: [],
    archive: [],
    faults: [{ name: "SIGKILL validation", startedAt: T0 + 10_000, endedAt: T0 + 15_000 }],
    loadEndedAt: T0 + 90_000,
    endedAt: T0 + 120_000,
    ...extra,
  });

  it("is the time from the fault's end until no submission lags more than the threshold", () => {
    // Accepted at 12 s, done at 40 s: lagging more than 10 s from 22 s to 40 s, so recovered 25 s after 15 s.
    const [recovery] = recoveryTimes(
      observe([archivedAt("a", 1_000, 2_000), archivedAt("b", 12_000, 40_000)]),
      options,
    );
    expect(recovery).toMatchObject({ recoveryMs: 25_000, maxLagMs: 27_000 });
    expect(recoveredInTime([recovery as never], options).passed).toBe(true);
  });

  it("is 0 when nothing lagged, and null when something still lagged as the next fault began", () => {
    const runs = [archivedAt("a", 1_000, 2_000), archivedAt("b", 20_000, 200_000)];
    const faults = [
      { name: "first", startedAt: T0 + 500, endedAt: T0 + 1_000 },
      { name: "second", startedAt: T0 + 10_000, endedAt: T0 + 15_000 },
    ];
    const recoveries = recoveryTimes(observe(runs, { faults }), options);
    expect(recoveries.map((recovery) => recovery.recoveryMs)).toEqual([0, null]);
    expect(recoveredInTime(recoveries, options).examples).toEqual([
      "second: submissions still lagged more than 10 s when its window closed (max lag 100 s)",
    ]);
  });

  it("waits for the callback too when callbacks are awaited", () => {
    const run = archivedAt("a", 12_000, 13_000);
    const late = callback(run.final, { at: T0 + 50_000 });
    const [recovery] = recoveryTimes(observe([run], { callbacks: [late] }), {
      ...options,
      awaitCallbacks: true,
    });
    expect(recovery?.recoveryMs).toBe(35_000);
    expect(recoveredInTime([recovery as never], options).passed).toBe(false);
  });
});
