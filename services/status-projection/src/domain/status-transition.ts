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

/** Where an event stands in its run (kept with the history, which lists ties in this order). */
export const rankOf = (event: StatusEvent): number =>
  event.byOperator ? OPERATOR_RANK : statusRank[event.status];

/** Orders events by run, then by how far along they are, then by time: the last one sets the status. */
function compareForStatus(a: StatusEvent, b: StatusEvent): number {
  return (
    a.submission.run - b.submission.run ||
    rankOf(a) - rankOf(b) ||
    a.at.getTime() - b.at.getTime() ||
    a.eventId.localeCompare(b.eventId)
  );
}

/**
 * A submission's state from every event recorded for it, in any order: the same events always give the same
 * state, so a late or repeated event, a rebuild from the topics and the live projection all agree. The latest run
 * (an operator retry starts one) sets the status; within a run the furthest status does. Undefined for no events.
 */
export function foldStatus(events: readonly StatusEvent[]): SubmissionState | undefined {
  if (events.length === 0) return undefined;
  const ordered = [...events].sort(compareForStatus);
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
    createdAt: new Date(Math.min(...events.map((event) => (event.receivedAt ?? event.at).getTime()))),
    updatedAt: top.at,
    statusEventId: top.eventId,
  };
}

export interface Transition {
  readonly state: SubmissionState;
  /**
   * The event that newly set a terminal status, when the new events did that: `submission.completed` is due,
   * once for that event. A late event of an earlier step or run never makes one.
   */
  readonly completedBy?: StatusEvent;
}

/** What newly recorded events do to a submission whose earlier events are `recorded`. */
export function transition(
  recorded: readonly StatusEvent[],
  fresh: readonly StatusEvent[],
): Transition | undefined {
  const before = foldStatus(recorded);
  const all = [...recorded, ...fresh];
  const after = foldStatus(all);
  if (!after) return undefined;
  const newlyTerminal = terminalStatuses.has(after.status) && after.statusEventId !== before?.statusEventId;
  const completedBy = newlyTerminal ? all.find((event) => event.eventId === after.statusEventId) : undefined;
  return completedBy ? { state: after, completedBy } : { state: after };
}

/** The statuses a submission went through, oldest first (ties in the order the lifecycle takes them). */
export function historyOf(events: readonly StatusEvent[]): { status: SubmissionStatus; at: Date }[] {
  return [...events]
    .sort(
      (a, b) =>
        a.at.getTime() - b.at.getTime() ||
        a.submission.run - b.submission.run ||
        rankOf(a) - rankOf(b) ||
        a.eventId.localeCompare(b.eventId),
    )
    .map((event) => ({ status: event.status, at: event.at }));
}
