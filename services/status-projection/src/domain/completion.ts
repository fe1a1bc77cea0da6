import type { SubmissionCompleted } from "@flyt/schemas";
import type { SubmissionState } from "./status-transition";

/**
 * The `submission.completed` event of a terminal state: the status row and the history exactly as the read model
 * stores them, so a callback rendered from it equals what polling answers from the tables.
 */
export function completedEvent(
  state: SubmissionState,
  history: SubmissionCompleted["history"],
  ids: { readonly eventId: string; readonly correlationId: string },
): SubmissionCompleted {
  return {
    meta: {
      eventId: ids.eventId,
      occurredAt: state.updatedAt,
      correlationId: ids.correlationId,
      producer: "status-projection",
    },
    submission: state.submission,
    status: state.status,
    caseNumber: state.caseNumber,
    journalPostNumbers: state.journalPostNumbers,
    errors: state.errors,
    history,
    configurationVersion: state.configurationVersion,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
  };
}
