import type { SubmissionRef, SubmissionStatus, ValidationError } from "@flyt/schemas";
import { terminalStatuses } from "@flyt/status-read-model";

/** What a lifecycle event says about a submission, reduced to what its status resource needs. */
export interface StatusEvent {
  readonly eventId: string;
  /** The submission, with the run (1, then one more per operator retry) the event belongs to. */
  readonly submission: SubmissionRef;
  readonly status: SubmissionStatus;
  readonly at: Date;
  /** An operator's resolution (archived by hand, cancelled) outranks what the pipeline said of the same run. */
  readonly byOperator?: boolean;
  readonly caseNumber?: string | null;
  readonly journalPostNumbers?: readonly string[];
  readonly errors?: readonly ValidationError[];
  readonly configurationVersion?: number | null;
  /** When the gateway accepted the submission (only the received event knows). */
  readonly receivedAt?: Date;
}

/** A submission's status resource as the read model keeps it. */
export interface SubmissionState {
  readonly submission: SubmissionRef;
  readonly status: SubmissionStatus;
  readonly caseNumber: string | null;
  readonly journalPostNumbers: readonly string[];
  readonly errors: readonly ValidationError[];
  readonly configurationVersion: number | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** The event that set the status: a new one on a terminal status is what `submission.completed` announces. */
  readonly statusEventId: string;
}

/**
 * How far along a run a status is. Within a run the furthest status stands, whatever order events came in:
 * a status never gives way to one further back. The archive's success outranks a failure reported for the same
 * run (the case exists, whatever a stale message says), and an operator's resolution outranks both.
 */
const statusRank: Readonly<Record<SubmissionStatus, number>> = {
  RECEIVED: 0,
  VALIDATED: 1,
  WAITING_FOR_CASE: 2,
  ARCHIVING: 3,
  REJECTED: 8,
  FAILED: 8,
  ARCHIVED: 9,
  CANCELLED: 9,
};
const OPERATOR_RANK = 10;

/** Where an event stands in its run. */
export const rankOf = (event: StatusEvent): number =>
  event.byOperator ? OPERATOR_RANK : statusRank[event.status];

/** Orders events by run, then by how far along they are, then by time: the last one sets the status. */
function lifecycleOrder(a: StatusEvent, b: StatusEvent): number {
  return (
    a.submission.run - b.submission.run ||
    rankOf(a) - rankOf(b) ||
    a.at.getTime() - b.at.getTime() ||
    a.eventId.localeCompare(b.eventId)
  );
}

/**
 * A submission's state from the steps its history shows, oldest first: the latest run (an operator retry starts
 * one) sets the status; within a run the furthest status does. Undefined for no steps.
 */
export function foldStatus(shown: readonly StatusEvent[]): SubmissionState | undefined {
  const first = shown[0];
  if (!first) return undefined;
  const ordered = [...shown].sort(lifecycleOrder);
  const top = ordered.at(-1) as StatusEvent;
  const latestVersion = ordered.findLast((event) => typeof event.configurationVersion === "number");
  const terminal = terminalStatuses.has(top.status);
  return {
    submission: top.submission,
    status: top.status,
    // A failure keeps what the archive did take (a case created before a journal post failed).
    caseNumber: terminal ? (top.caseNumber ?? null) : null,
    journalPostNumbers: terminal ? (top.journalPostNumbers ?? []) : [],
    errors: top.errors ?? [],
    configurationVersion: latestVersion?.configurationVersion ?? null,
    // The first step is the gateway's acceptance: its time, never a later event's.
    createdAt: first.receivedAt ?? first.at,
    updatedAt: top.at,
    statusEventId: top.eventId,
  };
}

/**
 * The step an event's step must follow, as a run and a rank that run must have reached: what the event's producer
 * acted on, so it is certain to arrive. Validation acts on the received event, the archive adapter on the
 * validated one, an operator on a run the pipeline ended (FAILED or REJECTED); the first run's received event
 * starts the history, and a retry's (an operator's, of an ended run) follows the end of the run before.
 */
function follows(event: StatusEvent): { readonly run: number; readonly rank: number } | undefined {
  const run = event.submission.run;
  if (event.byOperator) return { run, rank: statusRank.FAILED };
  switch (event.status) {
    case "RECEIVED":
      return run > 1 ? { run: run - 1, rank: statusRank.FAILED } : undefined;
    case "VALIDATED":
    case "REJECTED":
      return { run, rank: statusRank.RECEIVED };
    default:
      return { run, rank: statusRank.VALIDATED };
  }
}

/**
 * Which of the recorded events not yet shown join the history now, in the order they are appended. The history a
 * client sees only grows at its end, so an event is shown once every step it follows is (held back until then),
 * and never after a step it would come before: a step its run has passed, a duplicate (a second RECEIVED keeps
 * the first one's time), or an earlier run's late event is recorded but never shown. A failure the archive's
 * success overtakes before either is shown is not shown either. An `overdue` event (held back so long that what it
 * follows must have been lost on the way, see `releaseOverdue`) is shown without waiting for it.
 */
export function release(
  shown: readonly StatusEvent[],
  pending: readonly StatusEvent[],
  overdue: (event: StatusEvent) => boolean = () => false,
): StatusEvent[] {
  const reached = new Map<number, number>();
  let lastRun = 0;
  for (const event of shown) {
    const run = event.submission.run;
    reached.set(run, Math.max(reached.get(run) ?? -1, rankOf(event)));
    lastRun = Math.max(lastRun, run);
  }
  const ordered = [...pending].sort(lifecycleOrder);
  const released: StatusEvent[] = [];
  for (const event of ordered) {
    const run = event.submission.run;
    const top = reached.get(run);
    const rank = rankOf(event);
    if (run < lastRun || (top !== undefined && rank <= top)) continue;
    const after = follows(event);
    if (after !== undefined && (reached.get(after.run) ?? -1) < after.rank && !overdue(event)) continue;
    if (event.status === "FAILED" && !event.byOperator && ordered.some((later) => archivedBy(later, run)))
      continue;
    released.push(event);
    reached.set(run, rank);
    lastRun = run;
  }
  return released;
}

/** The archive's own success in the run (both it and a failure follow VALIDATED: one is ready when the other is). */
const archivedBy = (event: StatusEvent, run: number) =>
  event.submission.run === run && event.status === "ARCHIVED" && !event.byOperator;

export interface Projection {
  /** The events newly shown, in order: the history grows by exactly these, at its end. */
  readonly appended: readonly StatusEvent[];
  /** The state the history now shows; undefined when nothing was appended (nothing changes). */
  readonly state?: SubmissionState;
  /**
   * The event that newly set a terminal status: `submission.completed` is due, once for that event. The history
   * then holds every step the terminal one follows, so the announcement is complete.
   */
  readonly completedBy?: StatusEvent;
  /** The events still not shown that never will be (a step their run has passed, an earlier run's): no longer held back. */
  readonly passedOver: readonly StatusEvent[];
}

/**
 * What the recorded events not yet shown (`pending`, newly recorded ones among them) do to a submission whose
 * history shows `shown`, oldest first.
 */
export function project(
  shown: readonly StatusEvent[],
  pending: readonly StatusEvent[],
  overdue?: (event: StatusEvent) => boolean,
): Projection {
  const appended = release(shown, pending, overdue);
  const passedOver = neverShown([...shown, ...appended], pending);
  if (appended.length === 0) return { appended, passedOver };
  const before = foldStatus(shown);
  const state = foldStatus([...shown, ...appended]) as SubmissionState;
  const newlyTerminal = terminalStatuses.has(state.status) && state.statusEventId !== before?.statusEventId;
  const completedBy = newlyTerminal
    ? appended.find((event) => event.eventId === state.statusEventId)
    : undefined;
  return completedBy ? { appended, state, completedBy, passedOver } : { appended, state, passedOver };
}

/** The pending events a history showing `shown` has gone past for good: a later run's step, or a step as far along. */
function neverShown(shown: readonly StatusEvent[], pending: readonly StatusEvent[]): StatusEvent[] {
  const lastRun = Math.max(0, ...shown.map((event) => event.submission.run));
  const reached = (run: number) =>
    Math.max(-1, ...shown.filter((event) => event.submission.run === run).map(rankOf));
  return pending.filter(
    (event) =>
      !shown.includes(event) &&
      (event.submission.run < lastRun || rankOf(event) <= reached(event.submission.run)),
  );
}

/** The steps a history shows, oldest first: what polling lists and what a completion carries. */
export function historyOf(shown: readonly StatusEvent[]): { status: SubmissionStatus; at: Date }[] {
  return shown.map((event) => ({ status: event.status, at: event.at }));
}
