import {
  type AcceptedSubmission,
  type ArchiveRecord,
  type CopyGroup,
  type HistoryStep,
  type HttpAnswer,
  isTerminal,
  type NotAccepted,
  type Observations,
  type Poll,
  type ReceivedCallback,
  type StatusResource,
} from "./observations";

/** The outcome of one check: whether it held, its figures, and the first few cases that broke it. */
export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  readonly figures: Readonly<Record<string, number>>;
  readonly examples: readonly string[];
}

/** How many broken cases a result names: enough to find the defect, not the whole run. */
const EXAMPLES = 5;

function result(name: string, figures: Record<string, number>, broken: readonly string[]): CheckResult {
  return { name, passed: broken.length === 0, figures, examples: broken.slice(0, EXAMPLES) };
}

/** The callback event type of each terminal status, as the contract names them. */
const callbackTypes: Readonly<Record<string, string>> = {
  ARCHIVED: "submission.archived",
  REJECTED: "submission.rejected",
  FAILED: "submission.failed",
  CANCELLED: "submission.cancelled",
};

const errorCodes = (resource: StatusResource | undefined) =>
  Array.isArray(resource?.errors)
    ? (resource.errors as { code?: unknown }[]).map((error) => String(error.code)).join(", ")
    : "";

/** Every 202 ends terminal, with the status its body was built to end in. */
export function everyAcceptedEndsAsExpected(
  accepted: readonly AcceptedSubmission[],
  finals: Readonly<Record<string, StatusResource>>,
): CheckResult {
  const broken: string[] = [];
  let stuck = 0;
  let unexpected = 0;
  for (const submission of accepted) {
    const final = finals[submission.id];
    if (!final || !isTerminal(final.status)) {
      stuck += 1;
      broken.push(`${submission.id} (${submission.scenario}) is ${final?.status ?? "unknown"}, not terminal`);
    } else if (final.status !== submission.expectedStatus) {
      unexpected += 1;
      broken.push(
        `${submission.id} (${submission.scenario}) ended ${final.status} [${errorCodes(final)}], expected ${submission.expectedStatus}`,
      );
    }
  }
  return result(
    "every 202 ends terminal with the expected status",
    { accepted: accepted.length, notTerminal: stuck, unexpectedStatus: unexpected },
    broken,
  );
}

/** Every submission the load planned was taken in the end: a source system that retries 503s gets its 202. */
export function everyPlannedSubmissionAccepted(
  accepted: number,
  notAccepted: readonly NotAccepted[],
): CheckResult {
  return result(
    "every submission sent is accepted (202) in the end",
    { accepted, notAccepted: notAccepted.length },
    notAccepted.map((refused) => `${refused.sourceInstanceId}: last answered ${refused.lastStatus}`),
  );
}

/** Statuses a copy of a submission may get: accepted, in flight (409), or not accepted and sent again. */
const COPY_ANSWERS = new Set([202, 409, 503, 0]);

/** Repeats and concurrent copies of one submission: every 202 names the same id, and some copy got one. */
export function idempotencyExact(groups: readonly CopyGroup[]): CheckResult {
  const broken: string[] = [];
  let copies = 0;
  for (const group of groups) {
    copies += group.statuses.length;
    const ids = new Set(group.acceptedIds);
    if (ids.size > 1) broken.push(`${group.key}: ${ids.size} submissions (${[...ids].join(", ")})`);
    if (ids.size === 0) broken.push(`${group.key}: no copy was accepted (${group.statuses.join(", ")})`);
    const odd = group.statuses.filter((status) => !COPY_ANSWERS.has(status));
    if (odd.length > 0) broken.push(`${group.key}: answered ${odd.join(", ")}`);
  }
  return result(
    "repeats and concurrent copies are one submission",
    { groups: groups.length, copies },
    broken,
  );
}

/**
 * No case and no journal post is in the archive twice (one external id, one row), and submissions that must
 * share a case (a search-or-new pair; a case and the journal posts sent to it) were archived into one.
 */
export function noDuplicateArchiveEntries(
  archive: readonly ArchiveRecord[],
  accepted: readonly AcceptedSubmission[],
  finals: Readonly<Record<string, StatusResource>>,
): CheckResult {
  const broken: string[] = [];
  const rows = new Map<string, string[]>();
  for (const record of archive) {
    const key = `${record.kind} ${record.externalId}`;
    rows.set(key, [...(rows.get(key) ?? []), record.number]);
  }
  let duplicateCases = 0;
  let duplicatePosts = 0;
  for (const [key, numbers] of rows) {
    if (numbers.length < 2) continue;
    if (key.startsWith("case")) duplicateCases += numbers.length - 1;
    else duplicatePosts += numbers.length - 1;
    broken.push(`${key} is in the archive ${numbers.length} times: ${numbers.join(", ")}`);
  }
  const groups = new Map<string, Set<string>>();
  for (const submission of accepted) {
    const final = finals[submission.id];
    if (!submission.caseGroup || final?.status !== "ARCHIVED" || !final.caseNumber) continue;
    groups.set(submission.caseGroup, (groups.get(submission.caseGroup) ?? new Set()).add(final.caseNumber));
  }
  let splitGroups = 0;
  for (const [group, caseNumbers] of groups) {
    if (caseNumbers.size < 2) continue;
    splitGroups += 1;
    broken.push(`${group} went into ${caseNumbers.size} cases: ${[...caseNumbers].join(", ")}`);
  }
  return result(
    "no duplicate case or journal post in the archive",
    {
      cases: archive.filter((record) => record.kind === "case").length,
      journalPosts: archive.filter((record) => record.kind === "journal-post").length,
      duplicateCases,
      duplicateJournalPosts: duplicatePosts,
      caseGroupsSplit: splitGroups,
    },
    broken,
  );
}

const sameStep = (a: HistoryStep, b: HistoryStep) => a.status === b.status && a.at === b.at;

/** Whether `later` is `earlier` with steps added at its end, none changed or put in between. */
export function grewAtItsEnd(earlier: readonly HistoryStep[], later: readonly HistoryStep[]): boolean {
  return (
    earlier.length <= later.length &&
    earlier.every((step, index) => sameStep(step, later[index] as HistoryStep))
  );
}

const describeHistory = (history: readonly HistoryStep[]) =>
  history.map((step) => `${step.status}@${step.at.slice(11, 23)}`).join(" ");

/** As each poller saw it, a history only ever grows at its end: no step inserted, removed or re-timed. */
export function historiesOnlyGrowAtTheirEnd(polls: readonly Poll[]): CheckResult {
  const broken: string[] = [];
  const last = new Map<string, readonly HistoryStep[]>();
  let rewrites = 0;
  for (const poll of polls) {
    const previous = last.get(poll.id);
    if (previous && !grewAtItsEnd(previous, poll.history)) {
      rewrites += 1;
      broken.push(`${poll.id}: [${describeHistory(previous)}] then [${describeHistory(poll.history)}]`);
    }
    last.set(poll.id, poll.history);
  }
  return result(
    "every polled history only grows at its end",
    { polls: polls.length, submissionsPolled: last.size, rewrites },
    broken,
  );
}

/** JSON with its object members in one order, so two equal values compare equal as text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${members.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The status resource as a callback must carry it: without the delivery state only polling can show. */
const withoutDeliveryState = ({ callback: _callback, ...resource }: StatusResource) => resource;

/**
 * Every callback is the submission's final status resource (with the type of its status), signed; each
 * submission's callbacks carry one `webhook-id` (redeliveries repeat it); every terminal submission got one.
 */
export function callbacksEqualTheFinalStatus(
  callbacks: readonly ReceivedCallback[],
  finals: Readonly<Record<string, StatusResource>>,
): CheckResult {
  const broken: string[] = [];
  const webhookIds = new Map<string, Set<string>>();
  let differing = 0;
  let unverified = 0;
  let unknown = 0;
  let afterTheEnd = 0;
  for (const callback of callbacks) {
    const { type, ...body } = callback.body;
    const final = finals[body.id];
    if (!final) {
      unknown += 1;
      broken.push(`a callback for ${body.id}, which the load never saw accepted`);
      continue;
    }
    // Terminal only after the run ended: the first check fails it; there is no final resource to compare.
    if (!isTerminal(final.status)) {
      afterTheEnd += 1;
      continue;
    }
    webhookIds.set(body.id, (webhookIds.get(body.id) ?? new Set()).add(callback.webhookId));
    if (!callback.signatureVerified) {
      unverified += 1;
      broken.push(`${body.id}: callback ${callback.webhookId} not signed with the registered secret`);
    }
    const expected = canonicalJson(withoutDeliveryState(final));
    const got = canonicalJson(body);
    if (type !== callbackTypes[final.status] || got !== expected) {
      differing += 1;
      broken.push(
        `${body.id}: callback ${String(type)} [${describeHistory(body.history ?? [])}] is not the final ${final.status} [${describeHistory(final.history)}]`,
      );
    }
  }
  let severalIds = 0;
  for (const [id, ids] of webhookIds) {
    if (ids.size < 2) continue;
    severalIds += 1;
    broken.push(`${id}: callbacks under ${ids.size} webhook-ids (${[...ids].join(", ")})`);
  }
  let missing = 0;
  for (const final of Object.values(finals)) {
    if (!isTerminal(final.status) || webhookIds.has(final.id)) continue;
    missing += 1;
    broken.push(`${final.id} ended ${final.status} and was never called back`);
  }
  return result(
    "every callback equals the final status resource, under one webhook-id",
    {
      callbacks: callbacks.length,
      submissionsCalledBack: webhookIds.size,
      redeliveries: callbacks.length - unknown - afterTheEnd - webhookIds.size,
      differing,
      severalWebhookIds: severalIds,
      notCalledBack: missing,
      unverified,
      unknown,
      afterTheEnd,
    },
    broken,
  );
}

/** The gateway never answers a 5xx but 503, and a 503 always says when to come back. */
export function onlyServiceUnavailable(answers: readonly HttpAnswer[]): CheckResult {
  const broken: string[] = [];
  let unavailable = 0;
  let otherServerErrors = 0;
  let noRetryAfter = 0;
  for (const answer of answers) {
    if (answer.status === 503) {
      unavailable += 1;
      if (!answer.retryAfter) {
        noRetryAfter += 1;
        broken.push(`${answer.operation} at ${new Date(answer.at).toISOString()}: 503 without Retry-After`);
      }
    } else if (answer.status >= 500) {
      otherServerErrors += 1;
      broken.push(`${answer.operation} at ${new Date(answer.at).toISOString()}: ${answer.status}`);
    }
  }
  return result(
    "no 5xx but 503 (with Retry-After)",
    {
      answers: answers.length,
      unavailable503: unavailable,
      otherServerErrors,
      unavailableWithoutRetryAfter: noRetryAfter,
      noConnection: answers.filter((answer) => answer.status === 0).length,
    },
    broken,
  );
}

export interface RecoveryOptions {
  /** A submission lags while it is not done this long after its 202. */
  readonly lagThresholdMs: number;
  /** How soon after a fault ends no submission may lag any more. */
  readonly recoveryLimitMs: number;
  /** How finely lag is sampled. */
  readonly stepMs: number;
  /** Whether a submission is done only once its callback arrived (every source application has an endpoint). */
  readonly awaitCallbacks: boolean;
}

export interface FaultRecovery {
  readonly fault: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** From the fault's end until no submission lagged; null when some still lagged when the window closed. */
  readonly recoveryMs: number | null;
  /** The longest any submission lagged in the fault and after it. */
  readonly maxLagMs: number;
}

/** When each submission was done: terminal (its terminal step's time) and, if awaited, called back. */
export function doneTimes(
  accepted: readonly AcceptedSubmission[],
  finals: Readonly<Record<string, StatusResource>>,
  callbacks: readonly ReceivedCallback[],
  awaitCallbacks: boolean,
): Map<string, number> {
  const firstCallback = new Map<string, number>();
  for (const callback of callbacks) {
    const seen = firstCallback.get(callback.body.id);
    if (seen === undefined || callback.at < seen) firstCallback.set(callback.body.id, callback.at);
  }
  const done = new Map<string, number>();
  for (const submission of accepted) {
    const final = finals[submission.id];
    const terminalStep = final && isTerminal(final.status) ? final.history.at(-1) : undefined;
    let at = terminalStep ? Date.parse(terminalStep.at) : Number.POSITIVE_INFINITY;
    if (awaitCallbacks) at = Math.max(at, firstCallback.get(submission.id) ?? Number.POSITIVE_INFINITY);
    done.set(submission.id, at);
  }
  return done;
}

/** The longest a submission accepted by `at` and not done at `at` had waited then. */
export function lagAt(
  at: number,
  accepted: readonly AcceptedSubmission[],
  done: ReadonlyMap<string, number>,
) {
  let lag = 0;
  for (const submission of accepted) {
    if (submission.acceptedAt > at || (done.get(submission.id) ?? Number.POSITIVE_INFINITY) <= at) continue;
    lag = Math.max(lag, at - submission.acceptedAt);
  }
  return lag;
}

/**
 * For each fault, the time from its end until no submission lagged more than the threshold any more, over the
 * window up to the next fault (or the run's end).
 */
export function recoveryTimes(observations: Observations, options: RecoveryOptions): FaultRecovery[] {
  const { accepted, finals, callbacks, faults } = observations;
  const done = doneTimes(accepted, finals, callbacks, options.awaitCallbacks);
  const ordered = [...faults].sort((a, b) => a.startedAt - b.startedAt);
  return ordered.map((fault, index) => {
    const windowEnd = Math.min(ordered[index + 1]?.startedAt ?? observations.endedAt, observations.endedAt);
    let maxLagMs = 0;
    for (let at = fault.startedAt; at < fault.endedAt; at += options.stepMs) {
      maxLagMs = Math.max(maxLagMs, lagAt(at, accepted, done));
    }
    let lastLagging: number | undefined;
    let at = fault.endedAt;
    for (; at <= windowEnd; at += options.stepMs) {
      const lag = lagAt(at, accepted, done);
      maxLagMs = Math.max(maxLagMs, lag);
      if (lag > options.lagThresholdMs) lastLagging = at;
    }
    const stillLagging = lastLagging !== undefined && lastLagging + options.stepMs > windowEnd;
    return {
      fault: fault.name,
      startedAt: fault.startedAt,
      endedAt: fault.endedAt,
      recoveryMs: stillLagging
        ? null
        : lastLagging === undefined
          ? 0
          : lastLagging + options.stepMs - fault.endedAt,
      maxLagMs,
    };
  });
}

/** Every fault was recovered from within the limit. */
export function recoveredInTime(recoveries: readonly FaultRecovery[], options: RecoveryOptions): CheckResult {
  const broken = recoveries
    .filter((recovery) => recovery.recoveryMs === null || recovery.recoveryMs > options.recoveryLimitMs)
    .map((recovery) =>
      recovery.recoveryMs === null
        ? `${recovery.fault}: submissions still lagged more than ${options.lagThresholdMs / 1000} s when its window closed (max lag ${Math.round(recovery.maxLagMs / 1000)} s)`
        : `${recovery.fault}: ${Math.round(recovery.recoveryMs / 1000)} s until no submission lagged more than ${options.lagThresholdMs / 1000} s`,
    );
  const figures: Record<string, number> = { faults: recoveries.length };
  for (const recovery of recoveries) {
    figures[`${recovery.fault} recovery s`] =
      recovery.recoveryMs === null ? -1 : Math.round(recovery.recoveryMs / 100) / 10;
  }
  return result(
    `recovery within ${options.recoveryLimitMs / 1000} s after each fault (lag over ${options.lagThresholdMs / 1000} s)`,
    figures,
    broken,
  );
}

/** Every check over one run's observations. */
export function runChecks(observations: Observations, recovery: RecoveryOptions) {
  const recoveries = recoveryTimes(observations, recovery);
  return {
    recoveries,
    checks: [
      everyPlannedSubmissionAccepted(observations.accepted.length, observations.notAccepted),
      everyAcceptedEndsAsExpected(observations.accepted, observations.finals),
      idempotencyExact(observations.copyGroups),
      noDuplicateArchiveEntries(observations.archive, observations.accepted, observations.finals),
      historiesOnlyGrowAtTheirEnd(observations.polls),
      callbacksEqualTheFinalStatus(observations.callbacks, observations.finals),
      onlyServiceUnavailable(observations.answers),
      recoveredInTime(recoveries, recovery),
    ],
  };
}
