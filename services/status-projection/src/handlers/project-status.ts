import {
  type ConsumedMessage,
  type EventHeaders,
  eventHeadersOf,
  handlerFor,
  type TopicDefinition,
} from "@flyt/kafka";
import type {
  ArchiveCompleted,
  ArchiveFailed,
  ArchiveProgressed,
  SubmissionReceived,
  SubmissionRejected,
  SubmissionResolved,
  SubmissionValidated,
} from "@flyt/schemas";
import type { TopicCatalogue } from "@flyt/topics";
import type { IncomingStatusEvent, PendingCompletion } from "../adapters/postgres/status-store";
import type { StatusEvent } from "../domain/status-transition";

export interface ProjectStatusDependencies {
  readonly topics: TopicCatalogue;
  /** Applies one event (coalesced with others handled at the same time); resolves with a completion it made due. */
  readonly apply: (incoming: IncomingStatusEvent) => Promise<PendingCompletion | undefined>;
  readonly publishCompletion: (completion: PendingCompletion) => Promise<void>;
}

/** What each lifecycle event says about the status. */
const toStatus = {
  received: (value: SubmissionReceived): StatusEvent => ({
    eventId: value.meta.eventId,
    submission: value.submission,
    status: "RECEIVED",
    // The first run's step is the acceptance (what polling shows before the projection has it); a retry's is
    // when the operator started it.
    at: value.submission.run === 1 ? value.receivedAt : value.meta.occurredAt,
    receivedAt: value.receivedAt,
  }),
  validated: (value: SubmissionValidated): StatusEvent => ({
    eventId: value.meta.eventId,
    submission: value.submission,
    status: "VALIDATED",
    at: value.meta.occurredAt,
    configurationVersion: value.configurationVersion,
  }),
  rejected: (value: SubmissionRejected): StatusEvent => ({
    eventId: value.meta.eventId,
    submission: value.submission,
    status: "REJECTED",
    at: value.meta.occurredAt,
    errors: value.errors,
    configurationVersion: value.configurationVersion,
  }),
  progressed: (value: ArchiveProgressed): StatusEvent => ({
    eventId: value.meta.eventId,
    submission: value.submission,
    status: value.stage,
    at: value.meta.occurredAt,
  }),
  archived: (value: ArchiveCompleted): StatusEvent => ({
    eventId: value.meta.eventId,
    submission: value.submission,
    status: "ARCHIVED",
    at: value.meta.occurredAt,
    caseNumber: value.caseNumber,
    journalPostNumbers: value.journalPostNumbers,
    errors: [],
  }),
  failed: (value: ArchiveFailed): StatusEvent => ({
    eventId: value.meta.eventId,
    submission: value.submission,
    status: "FAILED",
    at: value.meta.occurredAt,
    caseNumber: value.caseNumber,
    journalPostNumbers: value.journalPostNumbers,
    // The archive's own words, for the source system and the archivist.
    errors: [{ code: value.code, pointer: "", detail: value.message }],
  }),
  resolved: (value: SubmissionResolved): StatusEvent => ({
    eventId: value.meta.eventId,
    submission: value.submission,
    status: value.status,
    at: value.meta.occurredAt,
    byOperator: true,
    caseNumber: value.caseNumber,
    journalPostNumbers: value.journalPostNumbers,
    // A cancellation tells the source system why, in the operator's words.
    errors:
      value.status === "CANCELLED"
        ? [
            {
              code: "cancelled-by-operator",
              pointer: "",
              detail: value.reason ?? "Cancelled by an operator.",
            },
          ]
        : [],
  }),
};

/** A lifecycle topic the status is built from, and what each of its events says about the status. */
export interface StatusSource<T = never> {
  readonly topic: TopicDefinition<T>;
  readonly toEvent: (value: T) => StatusEvent;
}

const source = <T>(topic: TopicDefinition<T>, toEvent: (value: T) => StatusEvent) =>
  ({ topic, toEvent }) as unknown as StatusSource;

/** Every topic the read model is built from: the live projection consumes them, a rebuild reads them again. */
export function statusSources(topics: TopicCatalogue): readonly StatusSource[] {
  return [
    source(topics.submissionReceived, toStatus.received),
    source(topics.submissionValidated, toStatus.validated),
    source(topics.submissionRejected, toStatus.rejected),
    source(topics.archiveProgressed, toStatus.progressed),
    source(topics.archiveCompleted, toStatus.archived),
    source(topics.archiveFailed, toStatus.failed),
    source(topics.submissionResolved, toStatus.resolved),
  ];
}

/**
 * One handler per lifecycle topic, all feeding the read model. A terminal transition's `submission.completed`
 * is published after the transaction that recorded it (and by the outbox relay if this process stops first).
 */
export function projectStatusHandlers(deps: ProjectStatusDependencies) {
  return statusSources(deps.topics).map(({ topic, toEvent }) =>
    handlerFor({
      topic: topic as TopicDefinition<unknown>,
      handle: async (message: ConsumedMessage<unknown>) => {
        const headers: EventHeaders = eventHeadersOf(message.headers);
        const completion = await deps.apply({ event: toEvent(message.value as never), headers });
        if (completion) await deps.publishCompletion(completion);
      },
    }),
  );
}
