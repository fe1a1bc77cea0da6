import type { SubmissionRef, SubmissionStatus, ValidationError } from "@flyt/schemas";
import { terminalStatuses } from "@flyt/status-read-model";

/** What a lifecycle event says about a submission, reduced to what its status resource needs. */
export interface StatusEvent {
  readonly eventId: string;
  readonly submission: SubmissionRef;
  readonly status: SubmissionStatus;
  readonly at: Date;
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
}

/** How far along the lifecycle a status is: a status never gives way to one further back. */
const progressOf: Readonly<Record<SubmissionStatus, number>> = {
  RECEIVED: 0,
  VALIDATED: 1,
  WAITING_FOR_CASE: 2,
  ARCHIVING: 3,
  ARCHIVED: 9,
  REJECTED: 9,
  FAILED: 9,
  CANCELLED: 9,
};

export interface Transition {
  readonly state: SubmissionState;
  /** Whether the event set the status (false for a late or repeated one, which only the history records). */
  readonly applied: boolean;
  /** Whether this event moved the submission into a terminal status (then `submission.completed` is due). */
  readonly becameTerminal: boolean;
}

/**
 * Applies one event to a submission's state (undefined: none yet; events can arrive in any order across
 * topics). A late or repeated event changes nothing it should not: a status never moves back, and a terminal
 * status is final; its facts (such as when it was received) are still taken in.
 */
export function applyEvent(current: SubmissionState | undefined, event: StatusEvent): Transition {
  const createdAt = earliest(current?.createdAt, event.receivedAt ?? event.at);
  if (!current) {
    return {
      state: {
        submission: event.submission,
        status: event.status,
        caseNumber: event.caseNumber ?? null,
        journalPostNumbers: event.journalPostNumbers ?? [],
        errors: event.errors ?? [],
        configurationVersion: event.configurationVersion ?? null,
        createdAt,
        updatedAt: event.at,
      },
      applied: true,
      becameTerminal: terminalStatuses.has(event.status),
    };
  }
  const advances =
    !terminalStatuses.has(current.status) && progressOf[event.status] > progressOf[current.status];
  if (!advances) return { state: { ...current, createdAt }, applied: false, becameTerminal: false };
  return {
    state: {
      ...current,
      status: event.status,
      caseNumber: event.caseNumber ?? current.caseNumber,
      journalPostNumbers: event.journalPostNumbers ?? current.journalPostNumbers,
      errors: event.errors ?? current.errors,
      configurationVersion: event.configurationVersion ?? current.configurationVersion,
      createdAt,
      updatedAt: event.at,
    },
    applied: true,
    becameTerminal: terminalStatuses.has(event.status),
  };
}

function earliest(known: Date | undefined, candidate: Date): Date {
  return known && known.getTime() <= candidate.getTime() ? known : candidate;
}
