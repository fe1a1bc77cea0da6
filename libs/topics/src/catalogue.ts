import type { TopicDefinition } from "@flyt/kafka";
import {
  type ArchiveCompleted,
  type ArchiveFailed,
  type ArchiveProgressed,
  archiveCompletedV1Schema,
  archiveFailedV1Schema,
  archiveProgressedV1Schema,
  type CallbackRequested,
  callbackRequestedV1Schema,
  type DeadLetter,
  type DestinationCheckRequested,
  deadLetterV1Schema,
  destinationCheckRequestedV1Schema,
  type SubmissionCompleted,
  type SubmissionReceived,
  type SubmissionRejected,
  type SubmissionResolved,
  type SubmissionValidated,
  submissionCompletedV1Schema,
  submissionReceivedV1Schema,
  submissionRejectedV1Schema,
  submissionResolvedV1Schema,
  submissionValidatedV1Schema,
} from "@flyt/schemas";

const DAY_MS = 86_400_000;

/**
 * Lifecycle events are kept longer than the status they back (365 days), so the status read model can be
 * rebuilt from the topics. They carry file references and archive metadata, never document contents.
 */
const LIFECYCLE_RETENTION_MS = 400 * DAY_MS;
/** Every lifecycle topic has the same partition count: a key maps to the same partition number everywhere. */
const LIFECYCLE_PARTITIONS = 12;
/** Requests to the callback dispatcher are few (people and source systems asking); a key keeps its order. */
const CALLBACK_REQUEST_PARTITIONS = 3;
/** Connection checks are rare: one partition keeps them in the order they were asked for. */
const DESTINATION_CHECK_PARTITIONS = 1;

/** The services that consume, and so own a retry and a dead-letter topic each. */
export const consumingServices = [
  "validation",
  "archive-adapter",
  "status-projection",
  "callback-dispatcher",
] as const;
export type ConsumingService = (typeof consumingServices)[number];

export interface CatalogueOptions {
  /** Prefixes every topic, e.g. a test run's id; deployments leave it empty. */
  readonly namespace?: string;
}

/**
 * The one catalogue of topics: logical name -> topic, value schema, key, partitions, retention, cleanup.
 * Topic names are a contract (renaming one is a migration) and appear nowhere else in code.
 */
export function topicCatalogue(options: CatalogueOptions = {}) {
  const name = (topic: string) => (options.namespace ? `${options.namespace}.${topic}` : topic);
  const lifecycle = <T>(
    logical: string,
    topic: string,
    valueSchema: object,
    key: string,
  ): TopicDefinition<T> => ({
    name: logical,
    topic: name(topic),
    valueSchema,
    key,
    partitions: LIFECYCLE_PARTITIONS,
    retentionMs: LIFECYCLE_RETENTION_MS,
    cleanupPolicy: "delete",
  });
  /** Requests to the callback dispatcher (ping, resend, replay): short-lived commands, not lifecycle history. */
  const callbackRequested: TopicDefinition<CallbackRequested> = {
    name: "callbackRequested",
    topic: name("flyt.callback.requested.v1"),
    valueSchema: callbackRequestedV1Schema,
    key: "tenant/source application",
    partitions: CALLBACK_REQUEST_PARTITIONS,
    retentionMs: 7 * DAY_MS,
    cleanupPolicy: "delete",
  };
  /** Connection checks of archive destinations asked for: short-lived commands to the archive adapters. */
  const destinationCheckRequested: TopicDefinition<DestinationCheckRequested> = {
    name: "destinationCheckRequested",
    topic: name("flyt.destination.check-requested.v1"),
    valueSchema: destinationCheckRequestedV1Schema,
    key: "destination id",
    partitions: DESTINATION_CHECK_PARTITIONS,
    retentionMs: 7 * DAY_MS,
    cleanupPolicy: "delete",
  };
  return {
    submissionReceived: lifecycle<SubmissionReceived>(
      "submissionReceived",
      "flyt.submission.received.v1",
      submissionReceivedV1Schema,
      "case key",
    ),
    submissionValidated: lifecycle<SubmissionValidated>(
      "submissionValidated",
      "flyt.submission.validated.v1",
      submissionValidatedV1Schema,
      "case key",
    ),
    submissionRejected: lifecycle<SubmissionRejected>(
      "submissionRejected",
      "flyt.submission.rejected.v1",
      submissionRejectedV1Schema,
      "case key",
    ),
    archiveProgressed: lifecycle<ArchiveProgressed>(
      "archiveProgressed",
      "flyt.archive.progressed.v1",
      archiveProgressedV1Schema,
      "case key",
    ),
    archiveCompleted: lifecycle<ArchiveCompleted>(
      "archiveCompleted",
      "flyt.archive.completed.v1",
      archiveCompletedV1Schema,
      "case key",
    ),
    archiveFailed: lifecycle<ArchiveFailed>(
      "archiveFailed",
      "flyt.archive.failed.v1",
      archiveFailedV1Schema,
      "case key",
    ),
    submissionResolved: lifecycle<SubmissionResolved>(
      "submissionResolved",
      "flyt.submission.resolved.v1",
      submissionResolvedV1Schema,
      "case key",
    ),
    submissionCompleted: lifecycle<SubmissionCompleted>(
      "submissionCompleted",
      "flyt.submission.completed.v1",
      submissionCompletedV1Schema,
      "submission id",
    ),
    callbackRequested,
    destinationCheckRequested,
  } as const;
}

export type TopicCatalogue = ReturnType<typeof topicCatalogue>;

type LogicalTopic = keyof TopicCatalogue;

/**
 * Which catalogue topics each service writes and reads, and the consumer groups it reads them in: the ground
 * for the brokers' ACLs (`catalogueAcls`; each service's README says the same, and a test holds them together).
 * A consuming service also writes its retry and dead-letter topics and reads its retry topic. Groups: the
 * runner's `flyt.<service>` (service-runtime), the archive adapter's one per set of archive drivers
 * (`flyt.archive-adapter.<drivers>`) and the status read model's rebuild (`flyt.status-rebuild.<run>`).
 */
export const topicAccess = {
  gateway: {
    produces: ["submissionReceived", "submissionResolved", "callbackRequested", "destinationCheckRequested"],
    consumes: [],
    groups: [],
  },
  validation: {
    produces: ["submissionValidated", "submissionRejected"],
    consumes: ["submissionReceived"],
    groups: [{ name: "flyt.validation", prefixed: false }],
  },
  "archive-adapter": {
    produces: ["archiveProgressed", "archiveCompleted", "archiveFailed"],
    consumes: ["submissionValidated", "submissionResolved", "destinationCheckRequested"],
    groups: [{ name: "flyt.archive-adapter.", prefixed: true }],
  },
  "status-projection": {
    produces: ["submissionCompleted"],
    consumes: [
      "submissionReceived",
      "submissionValidated",
      "submissionRejected",
      "archiveProgressed",
      "archiveCompleted",
      "archiveFailed",
      "submissionResolved",
    ],
    groups: [
      { name: "flyt.status-projection", prefixed: false },
      { name: "flyt.status-rebuild.", prefixed: true },
    ],
  },
  "callback-dispatcher": {
    produces: [],
    consumes: ["submissionCompleted", "callbackRequested"],
    groups: [{ name: "flyt.callback-dispatcher", prefixed: false }],
  },
} as const satisfies Record<
  string,
  {
    readonly produces: readonly LogicalTopic[];
    readonly consumes: readonly LogicalTopic[];
    readonly groups: readonly { readonly name: string; readonly prefixed: boolean }[];
  }
>;

/** Every service that has a Kafka principal of its own. */
export type KafkaService = keyof typeof topicAccess;

/** A consuming service's retry topic (messages waiting for a later attempt) and dead-letter topic. */
export function serviceTopics(service: ConsumingService, options: CatalogueOptions = {}) {
  const name = (topic: string) => (options.namespace ? `${options.namespace}.${topic}` : topic);
  const retry: TopicDefinition = {
    name: `${service}Retry`,
    topic: name(`flyt.${service}.retry.v1`),
    key: "the original message's key",
    partitions: LIFECYCLE_PARTITIONS,
    retentionMs: 14 * DAY_MS,
    cleanupPolicy: "delete",
  };
  const deadLetter: TopicDefinition<DeadLetter> = {
    name: `${service}DeadLetter`,
    topic: name(`flyt.${service}.dlq.v1`),
    valueSchema: deadLetterV1Schema,
    key: "the original message's key",
    partitions: 3,
    retentionMs: 90 * DAY_MS,
    cleanupPolicy: "delete",
  };
  return { retry, deadLetter } as const;
}

/** Every topic of a deployment: the lifecycle topics and each consuming service's retry and dead-letter topic. */
export function allTopics(options: CatalogueOptions = {}): TopicDefinition[] {
  return [
    ...Object.values(topicCatalogue(options)),
    ...consumingServices.flatMap((service) => Object.values(serviceTopics(service, options))),
  ];
}
