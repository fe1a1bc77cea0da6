// Generated from schemas/avro/*.avsc by schemas/scripts/generate-types.ts. Do not edit.

/** `flyt.archive.completed.v1`: ArchiveCompleted. */
export const archiveCompletedV1Schema = {
  "type": "record",
  "name": "ArchiveCompleted",
  "namespace": "no.flyt.events",
  "doc": "The archive took the submission: its case and journal posts exist there. Keyed by case key.",
  "fields": [
    {
      "name": "meta",
      "type": {
        "type": "record",
        "name": "EventMeta",
        "doc": "Identity and tracing of this event.",
        "fields": [
          {
            "name": "eventId",
            "type": {
              "type": "string",
              "logicalType": "uuid"
            },
            "doc": "Unique id of this event; consumers apply an event at most once by this id."
          },
          {
            "name": "occurredAt",
            "type": {
              "type": "long",
              "logicalType": "timestamp-millis"
            },
            "doc": "When the producer observed what this event reports."
          },
          {
            "name": "correlationId",
            "type": "string",
            "doc": "Ties together every event and log line caused by one source-system request."
          },
          {
            "name": "producer",
            "type": "string",
            "doc": "The service that published this event, e.g. `gateway`."
          }
        ]
      },
      "doc": "Identity and tracing of this event."
    },
    {
      "name": "submission",
      "type": {
        "type": "record",
        "name": "SubmissionRef",
        "doc": "Which submission this event is about, and whose it is.",
        "fields": [
          {
            "name": "id",
            "type": "string",
            "doc": "Flyt's submission id, e.g. `sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C`."
          },
          {
            "name": "tenant",
            "type": "string",
            "doc": "The county (tenant) that owns the submission, e.g. `vestland`."
          },
          {
            "name": "sourceApplication",
            "type": "string",
            "doc": "The source application that sent it, e.g. `egrunnerverv`."
          },
          {
            "name": "integrationId",
            "type": "string",
            "doc": "The integration of that source application that handles it."
          },
          {
            "name": "sourceInstanceId",
            "type": "string",
            "doc": "The source system's own id for the submission, unique per integration."
          },
          {
            "name": "kind",
            "type": {
              "type": "enum",
              "name": "SubmissionKind",
              "doc": "A new case (with or without journal posts), or journal posts added to an existing case.",
              "symbols": [
                "CASE",
                "JOURNAL_POSTS"
              ]
            },
            "doc": "What was submitted."
          },
          {
            "name": "run",
            "type": "int",
            "default": 1,
            "doc": "Which run of the submission this is about: 1, and one more for each operator retry. Events of an earlier run never change a later run's status."
          }
        ]
      },
      "doc": "The submission this event is about."
    },
    {
      "name": "destination",
      "type": {
        "type": "record",
        "name": "ArchiveDestination",
        "doc": "Where a submission is archived.",
        "fields": [
          {
            "name": "id",
            "type": "string",
            "doc": "Id of the archive destination, e.g. `vestland-elements`; routes the message to that archive's adapters."
          },
          {
            "name": "driver",
            "type": {
              "type": "enum",
              "name": "ArchiveDriver",
              "doc": "Protocol of the archive.",
              "symbols": [
                "FINT",
                "NOARK5",
                "SIMULATOR"
              ]
            },
            "doc": "How the adapter talks to the archive."
          }
        ]
      },
      "doc": "The archive that took it."
    },
    {
      "name": "caseNumber",
      "type": "string",
      "doc": "Case number (saksnummer), e.g. `2026/123`."
    },
    {
      "name": "archiveCaseId",
      "type": "string",
      "doc": "The archive's own id of the case (system id), for later writes."
    },
    {
      "name": "caseCreated",
      "type": "boolean",
      "doc": "True when this submission created the case; false when it was found or given."
    },
    {
      "name": "journalPostNumbers",
      "type": {
        "type": "array",
        "items": "string"
      },
      "doc": "Journal post numbers in submission order, e.g. `2026/123-1`.",
      "default": []
    },
    {
      "name": "attempts",
      "type": "int",
      "doc": "Archive attempts it took, including the successful one."
    }
  ]
} as const;

/** `flyt.archive.failed.v1`: ArchiveFailed. */
export const archiveFailedV1Schema = {
  "type": "record",
  "name": "ArchiveFailed",
  "namespace": "no.flyt.events",
  "doc": "The archive did not take the submission. Keyed by case key.",
  "fields": [
    {
      "name": "meta",
      "type": {
        "type": "record",
        "name": "EventMeta",
        "doc": "Identity and tracing of this event.",
        "fields": [
          {
            "name": "eventId",
            "type": {
              "type": "string",
              "logicalType": "uuid"
            },
            "doc": "Unique id of this event; consumers apply an event at most once by this id."
          },
          {
            "name": "occurredAt",
            "type": {
              "type": "long",
              "logicalType": "timestamp-millis"
            },
            "doc": "When the producer observed what this event reports."
          },
          {
            "name": "correlationId",
            "type": "string",
            "doc": "Ties together every event and log line caused by one source-system request."
          },
          {
            "name": "producer",
            "type": "string",
            "doc": "The service that published this event, e.g. `gateway`."
          }
        ]
      },
      "doc": "Identity and tracing of this event."
    },
    {
      "name": "submission",
      "type": {
        "type": "record",
        "name": "SubmissionRef",
        "doc": "Which submission this event is about, and whose it is.",
        "fields": [
          {
            "name": "id",
            "type": "string",
            "doc": "Flyt's submission id, e.g. `sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C`."
          },
          {
            "name": "tenant",
            "type": "string",
            "doc": "The county (tenant) that owns the submission, e.g. `vestland`."
          },
          {
            "name": "sourceApplication",
            "type": "string",
            "doc": "The source application that sent it, e.g. `egrunnerverv`."
          },
          {
            "name": "integrationId",
            "type": "string",
            "doc": "The integration of that source application that handles it."
          },
          {
            "name": "sourceInstanceId",
            "type": "string",
            "doc": "The source system's own id for the submission, unique per integration."
          },
          {
            "name": "kind",
            "type": {
              "type": "enum",
              "name": "SubmissionKind",
              "doc": "A new case (with or without journal posts), or journal posts added to an existing case.",
              "symbols": [
                "CASE",
                "JOURNAL_POSTS"
              ]
            },
            "doc": "What was submitted."
          },
          {
            "name": "run",
            "type": "int",
            "default": 1,
            "doc": "Which run of the submission this is about: 1, and one more for each operator retry. Events of an earlier run never change a later run's status."
          }
        ]
      },
      "doc": "The submission this event is about."
    },
    {
      "name": "destination",
      "type": {
        "type": "record",
        "name": "ArchiveDestination",
        "doc": "Where a submission is archived.",
        "fields": [
          {
            "name": "id",
            "type": "string",
            "doc": "Id of the archive destination, e.g. `vestland-elements`; routes the message to that archive's adapters."
          },
          {
            "name": "driver",
            "type": {
              "type": "enum",
              "name": "ArchiveDriver",
              "doc": "Protocol of the archive.",
              "symbols": [
                "FINT",
                "NOARK5",
                "SIMULATOR"
              ]
            },
            "doc": "How the adapter talks to the archive."
          }
        ]
      },
      "doc": "The archive that was written to."
    },
    {
      "name": "code",
      "type": "string",
      "doc": "Stable failure code, e.g. `archive-unavailable`, `archive-rejected`."
    },
    {
      "name": "message",
      "type": "string",
      "doc": "The archive's own message, kept for the archivist."
    },
    {
      "name": "retriable",
      "type": "boolean",
      "doc": "True when the failure was transient (5xx, 429, timeout) and the retry budget ran out; false when the archive refused the content (4xx with validation text)."
    },
    {
      "name": "attempts",
      "type": "int",
      "doc": "Archive attempts made."
    },
    {
      "name": "caseNumber",
      "type": [
        "null",
        "string"
      ],
      "default": null,
      "doc": "The case number, when the case was created before the failure."
    },
    {
      "name": "journalPostNumbers",
      "type": {
        "type": "array",
        "items": "string"
      },
      "doc": "Journal posts archived before the failure.",
      "default": []
    }
  ]
} as const;

/** `flyt.archive.progressed.v1`: ArchiveProgressed. */
export const archiveProgressedV1Schema = {
  "type": "record",
  "name": "ArchiveProgressed",
  "namespace": "no.flyt.events",
  "doc": "The archive adapter took up a validated submission: it is being written, or (journal posts) waits for its case to be archived first. Keyed by case key.",
  "fields": [
    {
      "name": "meta",
      "type": {
        "type": "record",
        "name": "EventMeta",
        "doc": "Identity and tracing of this event.",
        "fields": [
          {
            "name": "eventId",
            "type": {
              "type": "string",
              "logicalType": "uuid"
            },
            "doc": "Unique id of this event; consumers apply an event at most once by this id."
          },
          {
            "name": "occurredAt",
            "type": {
              "type": "long",
              "logicalType": "timestamp-millis"
            },
            "doc": "When the producer observed what this event reports."
          },
          {
            "name": "correlationId",
            "type": "string",
            "doc": "Ties together every event and log line caused by one source-system request."
          },
          {
            "name": "producer",
            "type": "string",
            "doc": "The service that published this event, e.g. `gateway`."
          }
        ]
      },
      "doc": "Identity and tracing of this event."
    },
    {
      "name": "submission",
      "type": {
        "type": "record",
        "name": "SubmissionRef",
        "doc": "Which submission this event is about, and whose it is.",
        "fields": [
          {
            "name": "id",
            "type": "string",
            "doc": "Flyt's submission id, e.g. `sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C`."
          },
          {
            "name": "tenant",
            "type": "string",
            "doc": "The county (tenant) that owns the submission, e.g. `vestland`."
          },
          {
            "name": "sourceApplication",
            "type": "string",
            "doc": "The source application that sent it, e.g. `egrunnerverv`."
          },
          {
            "name": "integrationId",
            "type": "string",
            "doc": "The integration of that source application that handles it."
          },
          {
            "name": "sourceInstanceId",
            "type": "string",
            "doc": "The source system's own id for the submission, unique per integration."
          },
          {
            "name": "kind",
            "type": {
              "type": "enum",
              "name": "SubmissionKind",
              "doc": "A new case (with or without journal posts), or journal posts added to an existing case.",
              "symbols": [
                "CASE",
                "JOURNAL_POSTS"
              ]
            },
            "doc": "What was submitted."
          },
          {
            "name": "run",
            "type": "int",
            "default": 1,
            "doc": "Which run of the submission this is about: 1, and one more for each operator retry. Events of an earlier run never change a later run's status."
          }
        ]
      },
      "doc": "The submission this event is about."
    },
    {
      "name": "destination",
      "type": {
        "type": "record",
        "name": "ArchiveDestination",
        "doc": "Where a submission is archived.",
        "fields": [
          {
            "name": "id",
            "type": "string",
            "doc": "Id of the archive destination, e.g. `vestland-elements`; routes the message to that archive's adapters."
          },
          {
            "name": "driver",
            "type": {
              "type": "enum",
              "name": "ArchiveDriver",
              "doc": "Protocol of the archive.",
              "symbols": [
                "FINT",
                "NOARK5",
                "SIMULATOR"
              ]
            },
            "doc": "How the adapter talks to the archive."
          }
        ]
      },
      "doc": "The archive it is written to."
    },
    {
      "name": "stage",
      "type": {
        "type": "enum",
        "name": "ArchiveStage",
        "doc": "`ARCHIVING`: the adapter is writing it to the archive; `WAITING_FOR_CASE`: journal posts wait until the case they belong to is archived.",
        "symbols": [
          "ARCHIVING",
          "WAITING_FOR_CASE"
        ]
      },
      "doc": "Where the submission stands at the adapter."
    }
  ]
} as const;

/** `flyt.callback.requested.v1`: CallbackRequested. */
export const callbackRequestedV1Schema = {
  "type": "record",
  "name": "CallbackRequested",
  "namespace": "no.flyt.events",
  "doc": "A source system or an operator asked the callback dispatcher for something: a signed test event (ping), one delivery sent again (resend), or every parked delivery since a time sent again (replay). Keyed by `<tenant>/<source application>`, so one owner's requests stay in order.",
  "fields": [
    {
      "name": "meta",
      "type": {
        "type": "record",
        "name": "EventMeta",
        "doc": "Identity and tracing of this event.",
        "fields": [
          {
            "name": "eventId",
            "type": {
              "type": "string",
              "logicalType": "uuid"
            },
            "doc": "Unique id of this event; consumers apply an event at most once by this id."
          },
          {
            "name": "occurredAt",
            "type": {
              "type": "long",
              "logicalType": "timestamp-millis"
            },
            "doc": "When the producer observed what this event reports."
          },
          {
            "name": "correlationId",
            "type": "string",
            "doc": "Ties together every event and log line caused by one source-system request."
          },
          {
            "name": "producer",
            "type": "string",
            "doc": "The service that published this event, e.g. `gateway`."
          }
        ]
      },
      "doc": "Identity and tracing of this event."
    },
    {
      "name": "tenant",
      "type": "string",
      "doc": "The county (tenant) whose callback endpoint this is about."
    },
    {
      "name": "sourceApplication",
      "type": "string",
      "doc": "The source application whose callback endpoint this is about."
    },
    {
      "name": "action",
      "type": {
        "type": "enum",
        "name": "CallbackAction",
        "doc": "`PING`: send a signed test event now; `RESEND`: send one delivery again (same webhook-id, a new schedule); `REPLAY`: send again every delivery of this endpoint parked since `since`.",
        "symbols": [
          "PING",
          "RESEND",
          "REPLAY"
        ]
      },
      "doc": "What is asked."
    },
    {
      "name": "deliveryId",
      "type": [
        "null",
        "string"
      ],
      "default": null,
      "doc": "`PING`: the id the test delivery gets (answered to the caller); `RESEND`: the delivery to send again; `REPLAY`: null."
    },
    {
      "name": "since",
      "type": [
        "null",
        {
          "type": "long",
          "logicalType": "timestamp-millis"
        }
      ],
      "default": null,
      "doc": "`REPLAY`: deliveries parked at or after this time; otherwise null."
    },
    {
      "name": "requestedBy",
      "type": "string",
      "doc": "Who asked: the source system's or the operator's OAuth client id."
    }
  ]
} as const;

/** `flyt.dead-letter.v1`: DeadLetter. */
export const deadLetterV1Schema = {
  "type": "record",
  "name": "DeadLetter",
  "namespace": "no.flyt.events",
  "doc": "A message a consumer could not handle, with why. Written by the shared consumer runner to its service's dead-letter topic; the original bytes are kept so the message can be inspected and replayed.",
  "fields": [
    {
      "name": "originalTopic",
      "type": "string",
      "doc": "Topic the message was consumed from."
    },
    {
      "name": "originalPartition",
      "type": "int",
      "doc": "Its partition."
    },
    {
      "name": "originalOffset",
      "type": "long",
      "doc": "Its offset."
    },
    {
      "name": "consumerGroup",
      "type": "string",
      "doc": "The consumer group that gave up on it, e.g. `flyt.validation`."
    },
    {
      "name": "key",
      "type": [
        "null",
        "bytes"
      ],
      "default": null,
      "doc": "The message key, as sent."
    },
    {
      "name": "value",
      "type": [
        "null",
        "bytes"
      ],
      "default": null,
      "doc": "The message value, as sent (Confluent wire format for Avro values)."
    },
    {
      "name": "headers",
      "type": {
        "type": "map",
        "values": "string"
      },
      "doc": "The message headers, as UTF-8 text.",
      "default": {}
    },
    {
      "name": "reason",
      "type": {
        "type": "enum",
        "name": "DeadLetterReason",
        "doc": "`UNDECODABLE`: the value could not be decoded through the registry; `PERMANENT_ERROR`: the handler said retrying cannot help; `RETRIES_EXHAUSTED`: a retriable error outlasted the retry policy.",
        "symbols": [
          "UNDECODABLE",
          "PERMANENT_ERROR",
          "RETRIES_EXHAUSTED"
        ]
      },
      "doc": "Why the runner gave up."
    },
    {
      "name": "errorName",
      "type": "string",
      "doc": "Class of the last error, e.g. `ArchiveUnavailableError`."
    },
    {
      "name": "errorMessage",
      "type": "string",
      "doc": "Message of the last error."
    },
    {
      "name": "attempts",
      "type": "int",
      "doc": "Handler attempts made, 0 when the value could not be decoded."
    },
    {
      "name": "firstFailedAt",
      "type": {
        "type": "long",
        "logicalType": "timestamp-millis"
      },
      "doc": "When the first attempt failed."
    },
    {
      "name": "deadLetteredAt",
      "type": {
        "type": "long",
        "logicalType": "timestamp-millis"
      },
      "doc": "When the runner gave up."
    }
  ]
} as const;

/** `flyt.destination.check-requested.v1`: DestinationCheckRequested. */
export const destinationCheckRequestedV1Schema = {
  "type": "record",
  "name": "DestinationCheckRequested",
  "namespace": "no.flyt.events",
  "doc": "Someone (an operator through the admin API, the platform team through the admin CLI) asked for a connection check of an archive destination: the archive adapter serving its archive system reaches the archive, authenticates, reads its code lists and looks up every code the destination's integrations are configured with, and records the report in the registry. Keyed by the destination id.",
  "fields": [
    {
      "name": "meta",
      "type": {
        "type": "record",
        "name": "EventMeta",
        "doc": "Identity and tracing of this event.",
        "fields": [
          {
            "name": "eventId",
            "type": {
              "type": "string",
              "logicalType": "uuid"
            },
            "doc": "Unique id of this event; consumers apply an event at most once by this id."
          },
          {
            "name": "occurredAt",
            "type": {
              "type": "long",
              "logicalType": "timestamp-millis"
            },
            "doc": "When the producer observed what this event reports."
          },
          {
            "name": "correlationId",
            "type": "string",
            "doc": "Ties together every event and log line caused by one source-system request."
          },
          {
            "name": "producer",
            "type": "string",
            "doc": "The service that published this event, e.g. `gateway`."
          }
        ]
      },
      "doc": "Identity and tracing of this event."
    },
    {
      "name": "checkId",
      "type": {
        "type": "string",
        "logicalType": "uuid"
      },
      "doc": "The check's id, answered to the one who asked: the report is recorded under it."
    },
    {
      "name": "tenant",
      "type": "string",
      "doc": "The county (tenant) whose destination it is."
    },
    {
      "name": "destination",
      "type": {
        "type": "record",
        "name": "ArchiveDestination",
        "doc": "Where a submission is archived.",
        "fields": [
          {
            "name": "id",
            "type": "string",
            "doc": "Id of the archive destination, e.g. `vestland-elements`; routes the message to that archive's adapters."
          },
          {
            "name": "driver",
            "type": {
              "type": "enum",
              "name": "ArchiveDriver",
              "doc": "Protocol of the archive.",
              "symbols": [
                "FINT",
                "NOARK5",
                "SIMULATOR"
              ]
            },
            "doc": "How the adapter talks to the archive."
          }
        ]
      },
      "doc": "The destination to check; the adapter deployment serving its driver runs the check."
    },
    {
      "name": "requestedBy",
      "type": "string",
      "doc": "Who asked: an admin client's id or a person's user id."
    }
  ]
} as const;

/** `flyt.submission.completed.v1`: SubmissionCompleted. */
export const submissionCompletedV1Schema = {
  "type": "record",
  "name": "SubmissionCompleted",
  "namespace": "no.flyt.events",
  "doc": "A submission reached a terminal status; the value is the final status resource. Published once per transition. Keyed by submission id.",
  "fields": [
    {
      "name": "meta",
      "type": {
        "type": "record",
        "name": "EventMeta",
        "doc": "Identity and tracing of this event.",
        "fields": [
          {
            "name": "eventId",
            "type": {
              "type": "string",
              "logicalType": "uuid"
            },
            "doc": "Unique id of this event; consumers apply an event at most once by this id."
          },
          {
            "name": "occurredAt",
            "type": {
              "type": "long",
              "logicalType": "timestamp-millis"
            },
            "doc": "When the producer observed what this event reports."
          },
          {
            "name": "correlationId",
            "type": "string",
            "doc": "Ties together every event and log line caused by one source-system request."
          },
          {
            "name": "producer",
            "type": "string",
            "doc": "The service that published this event, e.g. `gateway`."
          }
        ]
      },
      "doc": "Identity and tracing of this event."
    },
    {
      "name": "submission",
      "type": {
        "type": "record",
        "name": "SubmissionRef",
        "doc": "Which submission this event is about, and whose it is.",
        "fields": [
          {
            "name": "id",
            "type": "string",
            "doc": "Flyt's submission id, e.g. `sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C`."
          },
          {
            "name": "tenant",
            "type": "string",
            "doc": "The county (tenant) that owns the submission, e.g. `vestland`."
          },
          {
            "name": "sourceApplication",
            "type": "string",
            "doc": "The source application that sent it, e.g. `egrunnerverv`."
          },
          {
            "name": "integrationId",
            "type": "string",
            "doc": "The integration of that source application that handles it."
          },
          {
            "name": "sourceInstanceId",
            "type": "string",
            "doc": "The source system's own id for the submission, unique per integration."
          },
          {
            "name": "kind",
            "type": {
              "type": "enum",
              "name": "SubmissionKind",
              "doc": "A new case (with or without journal posts), or journal posts added to an existing case.",
              "symbols": [
                "CASE",
                "JOURNAL_POSTS"
              ]
            },
            "doc": "What was submitted."
          },
          {
            "name": "run",
            "type": "int",
            "default": 1,
            "doc": "Which run of the submission this is about: 1, and one more for each operator retry. Events of an earlier run never change a later run's status."
          }
        ]
      },
      "doc": "The submission this event is about."
    },
    {
      "name": "status",
      "type": {
        "type": "enum",
        "name": "SubmissionStatus",
        "doc": "Status of a submission, as the source-system API reports it.",
        "symbols": [
          "RECEIVED",
          "VALIDATED",
          "WAITING_FOR_CASE",
          "ARCHIVING",
          "ARCHIVED",
          "REJECTED",
          "FAILED",
          "CANCELLED"
        ]
      },
      "doc": "The terminal status: `ARCHIVED`, `REJECTED`, `FAILED` or `CANCELLED`."
    },
    {
      "name": "caseNumber",
      "type": [
        "null",
        "string"
      ],
      "default": null,
      "doc": "Case number, when archived."
    },
    {
      "name": "journalPostNumbers",
      "type": {
        "type": "array",
        "items": "string"
      },
      "doc": "Journal post numbers, when archived.",
      "default": []
    },
    {
      "name": "errors",
      "type": {
        "type": "array",
        "items": {
          "type": "record",
          "name": "ValidationError",
          "doc": "One problem with a submission.",
          "fields": [
            {
              "name": "code",
              "type": "string",
              "doc": "Stable identifier a source system can switch on, e.g. `missing-required-field`."
            },
            {
              "name": "pointer",
              "type": "string",
              "doc": "JSON pointer into the submitted payload, e.g. `/case/arkivdel`."
            },
            {
              "name": "detail",
              "type": "string",
              "doc": "Explanation in plain English."
            }
          ]
        }
      },
      "doc": "Why it was rejected or failed.",
      "default": []
    },
    {
      "name": "history",
      "type": {
        "type": "array",
        "items": {
          "type": "record",
          "name": "StatusChange",
          "doc": "One step of the submission's history.",
          "fields": [
            {
              "name": "status",
              "type": "no.flyt.events.SubmissionStatus",
              "doc": "The status entered."
            },
            {
              "name": "at",
              "type": {
                "type": "long",
                "logicalType": "timestamp-millis"
              },
              "doc": "When it was entered."
            }
          ]
        }
      },
      "doc": "Every status the submission went through, oldest first."
    },
    {
      "name": "configurationVersion",
      "type": [
        "null",
        "int"
      ],
      "default": null,
      "doc": "Version of the integration configuration that handled it."
    },
    {
      "name": "createdAt",
      "type": {
        "type": "long",
        "logicalType": "timestamp-millis"
      },
      "doc": "When the submission was received."
    },
    {
      "name": "updatedAt",
      "type": {
        "type": "long",
        "logicalType": "timestamp-millis"
      },
      "doc": "When it reached this status."
    }
  ]
} as const;

/** `flyt.submission.received.v1`: SubmissionReceived. */
export const submissionReceivedV1Schema = {
  "type": "record",
  "name": "SubmissionReceived",
  "namespace": "no.flyt.events",
  "doc": "A source system's submission, accepted by the gateway (202) and durably stored. Keyed by case key.",
  "fields": [
    {
      "name": "meta",
      "type": {
        "type": "record",
        "name": "EventMeta",
        "doc": "Identity and tracing of this event.",
        "fields": [
          {
            "name": "eventId",
            "type": {
              "type": "string",
              "logicalType": "uuid"
            },
            "doc": "Unique id of this event; consumers apply an event at most once by this id."
          },
          {
            "name": "occurredAt",
            "type": {
              "type": "long",
              "logicalType": "timestamp-millis"
            },
            "doc": "When the producer observed what this event reports."
          },
          {
            "name": "correlationId",
            "type": "string",
            "doc": "Ties together every event and log line caused by one source-system request."
          },
          {
            "name": "producer",
            "type": "string",
            "doc": "The service that published this event, e.g. `gateway`."
          }
        ]
      },
      "doc": "Identity and tracing of this event."
    },
    {
      "name": "submission",
      "type": {
        "type": "record",
        "name": "SubmissionRef",
        "doc": "Which submission this event is about, and whose it is.",
        "fields": [
          {
            "name": "id",
            "type": "string",
            "doc": "Flyt's submission id, e.g. `sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C`."
          },
          {
            "name": "tenant",
            "type": "string",
            "doc": "The county (tenant) that owns the submission, e.g. `vestland`."
          },
          {
            "name": "sourceApplication",
            "type": "string",
            "doc": "The source application that sent it, e.g. `egrunnerverv`."
          },
          {
            "name": "integrationId",
            "type": "string",
            "doc": "The integration of that source application that handles it."
          },
          {
            "name": "sourceInstanceId",
            "type": "string",
            "doc": "The source system's own id for the submission, unique per integration."
          },
          {
            "name": "kind",
            "type": {
              "type": "enum",
              "name": "SubmissionKind",
              "doc": "A new case (with or without journal posts), or journal posts added to an existing case.",
              "symbols": [
                "CASE",
                "JOURNAL_POSTS"
              ]
            },
            "doc": "What was submitted."
          },
          {
            "name": "run",
            "type": "int",
            "default": 1,
            "doc": "Which run of the submission this is about: 1, and one more for each operator retry. Events of an earlier run never change a later run's status."
          }
        ]
      },
      "doc": "The submission this event is about."
    },
    {
      "name": "caseRef",
      "type": [
        "null",
        "string"
      ],
      "default": null,
      "doc": "For journal posts: the archive case number (`2026/123`) or the id of an earlier case submission of the same tenant."
    },
    {
      "name": "case",
      "type": [
        "null",
        {
          "type": "record",
          "name": "Arkivsak",
          "doc": "A case file (Noark 5 saksmappe). Fields left out are filled from the integration's configured defaults.",
          "fields": [
            {
              "name": "tittel",
              "type": "string",
              "doc": "Title of the case."
            },
            {
              "name": "offentligTittel",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Title for public registers, with screened words removed."
            },
            {
              "name": "saksansvarlig",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Case officer responsible for the case."
            },
            {
              "name": "administrativEnhet",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Administrative unit responsible for the case."
            },
            {
              "name": "arkivdel",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Archive section, e.g. `SAK`."
            },
            {
              "name": "journalenhet",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Registry unit."
            },
            {
              "name": "saksmappetype",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Case folder type."
            },
            {
              "name": "saksstatus",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Case status code."
            },
            {
              "name": "tilgangsgruppe",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Access group in the archive."
            },
            {
              "name": "klassering",
              "type": {
                "type": "array",
                "items": {
                  "type": "record",
                  "name": "Klassering",
                  "doc": "A classification of the case (Noark 5 klassering).",
                  "fields": [
                    {
                      "name": "ordningsprinsipp",
                      "type": "string",
                      "doc": "Classification system, e.g. `GBNR` (gårds- og bruksnummer), `FNR`, `ORGNR`."
                    },
                    {
                      "name": "ordningsverdi",
                      "type": "string",
                      "doc": "Value within that system, e.g. `12/4`."
                    },
                    {
                      "name": "beskrivelse",
                      "type": [
                        "null",
                        "string"
                      ],
                      "default": null,
                      "doc": "Human-readable description of the value."
                    }
                  ]
                }
              },
              "doc": "Classifications, primary first.",
              "default": []
            },
            {
              "name": "part",
              "type": {
                "type": "array",
                "items": {
                  "type": "record",
                  "name": "Part",
                  "doc": "A party to the case.",
                  "fields": [
                    {
                      "name": "navn",
                      "type": "string",
                      "doc": "Name of the party."
                    },
                    {
                      "name": "rolle",
                      "type": [
                        "null",
                        "string"
                      ],
                      "default": null,
                      "doc": "The party's role, e.g. `GRUNNEIER`."
                    },
                    {
                      "name": "organisasjonsnummer",
                      "type": [
                        "null",
                        "string"
                      ],
                      "default": null,
                      "doc": "Norwegian organisation number, when the party is an organisation."
                    }
                  ]
                }
              },
              "doc": "Parties to the case.",
              "default": []
            },
            {
              "name": "skjerming",
              "type": [
                "null",
                {
                  "type": "record",
                  "name": "Skjerming",
                  "doc": "Screening of content from public access.",
                  "fields": [
                    {
                      "name": "tilgangsrestriksjon",
                      "type": "string",
                      "doc": "Access restriction code, e.g. `13`."
                    },
                    {
                      "name": "skjermingshjemmel",
                      "type": "string",
                      "doc": "Legal basis for the screening, e.g. `Offl. § 13`."
                    }
                  ]
                }
              ],
              "default": null,
              "doc": "Screening of the case."
            }
          ]
        }
      ],
      "default": null,
      "doc": "The case, for a case submission."
    },
    {
      "name": "journalPosts",
      "type": {
        "type": "array",
        "items": {
          "type": "record",
          "name": "Journalpost",
          "doc": "A registry entry in a case (Noark 5 journalpost).",
          "fields": [
            {
              "name": "tittel",
              "type": "string",
              "doc": "Title of the journal post."
            },
            {
              "name": "offentligTittel",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Title for public registers, with screened words removed."
            },
            {
              "name": "journalposttype",
              "type": {
                "type": "enum",
                "name": "Journalposttype",
                "doc": "`I` incoming, `U` outgoing, `N` internal followed up, `X` internal not followed up.",
                "symbols": [
                  "I",
                  "U",
                  "N",
                  "X"
                ]
              },
              "doc": "Kind of journal post."
            },
            {
              "name": "dokumentdato",
              "type": [
                "null",
                {
                  "type": "int",
                  "logicalType": "date"
                }
              ],
              "default": null,
              "doc": "Date of the document (a calendar date, no time of day)."
            },
            {
              "name": "journalstatus",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Journal status code; from the integration's defaults when absent."
            },
            {
              "name": "saksbehandler",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Case officer for this journal post."
            },
            {
              "name": "administrativEnhet",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Administrative unit for this journal post."
            },
            {
              "name": "journalenhet",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Registry unit."
            },
            {
              "name": "skjerming",
              "type": [
                "null",
                "no.flyt.events.Skjerming"
              ],
              "default": null,
              "doc": "Screening of this journal post."
            },
            {
              "name": "korrespondansepart",
              "type": {
                "type": "array",
                "items": {
                  "type": "record",
                  "name": "Korrespondansepart",
                  "doc": "Sender or recipient of a journal post.",
                  "fields": [
                    {
                      "name": "korrespondanseparttype",
                      "type": "string",
                      "doc": "Kind of correspondent, e.g. `avsender`, `mottaker`, `kopimottaker`."
                    },
                    {
                      "name": "navn",
                      "type": "string",
                      "doc": "Name of the correspondent."
                    },
                    {
                      "name": "organisasjonsnummer",
                      "type": [
                        "null",
                        "string"
                      ],
                      "default": null,
                      "doc": "Norwegian organisation number, for an organisation."
                    },
                    {
                      "name": "postadresse",
                      "type": [
                        "null",
                        {
                          "type": "record",
                          "name": "Adresse",
                          "doc": "A postal address.",
                          "fields": [
                            {
                              "name": "adresselinje",
                              "type": {
                                "type": "array",
                                "items": "string"
                              },
                              "doc": "Address lines, in order.",
                              "default": []
                            },
                            {
                              "name": "postnummer",
                              "type": [
                                "null",
                                "string"
                              ],
                              "default": null,
                              "doc": "Postal code."
                            },
                            {
                              "name": "poststed",
                              "type": [
                                "null",
                                "string"
                              ],
                              "default": null,
                              "doc": "Postal town."
                            }
                          ]
                        }
                      ],
                      "default": null,
                      "doc": "Postal address."
                    },
                    {
                      "name": "epost",
                      "type": [
                        "null",
                        "string"
                      ],
                      "default": null,
                      "doc": "E-mail address."
                    }
                  ]
                }
              },
              "doc": "Senders and recipients.",
              "default": []
            },
            {
              "name": "dokumenter",
              "type": {
                "type": "array",
                "items": {
                  "type": "record",
                  "name": "Dokument",
                  "doc": "A document of a journal post (Noark 5 dokumentbeskrivelse) with its file.",
                  "fields": [
                    {
                      "name": "tittel",
                      "type": "string",
                      "doc": "Title of the document."
                    },
                    {
                      "name": "tilknyttetRegistreringSom",
                      "type": {
                        "type": "enum",
                        "name": "TilknyttetRegistreringSom",
                        "doc": "`H`: main document (exactly one per journal post); `V`: attachment.",
                        "symbols": [
                          "H",
                          "V"
                        ]
                      },
                      "doc": "The document's role in the journal post."
                    },
                    {
                      "name": "file",
                      "type": {
                        "type": "record",
                        "name": "FileReference",
                        "doc": "A document's file in Flyt's file store; the content itself never travels through Kafka.",
                        "fields": [
                          {
                            "name": "fileId",
                            "type": "string",
                            "doc": "Id of the stored file."
                          },
                          {
                            "name": "filename",
                            "type": "string",
                            "doc": "File name as the source system gave it (sanitised, UTF-8 preserved), e.g. `søknad_æøå.pdf`."
                          },
                          {
                            "name": "mimeType",
                            "type": "string",
                            "doc": "Declared media type, e.g. `application/pdf`."
                          },
                          {
                            "name": "sizeBytes",
                            "type": "long",
                            "doc": "Size of the stored content in bytes."
                          },
                          {
                            "name": "sha256",
                            "type": "string",
                            "doc": "Lower-case hex SHA-256 of the stored content."
                          }
                        ]
                      },
                      "doc": "The stored file."
                    }
                  ]
                }
              },
              "doc": "Documents, with exactly one main document (`H`)."
            }
          ]
        }
      },
      "doc": "Journal posts: with a case, archived with it as one unit; without, added to `caseRef`.",
      "default": []
    },
    {
      "name": "receivedAt",
      "type": {
        "type": "long",
        "logicalType": "timestamp-millis"
      },
      "doc": "When the gateway accepted the submission."
    }
  ]
} as const;

/** `flyt.submission.rejected.v1`: SubmissionRejected. */
export const submissionRejectedV1Schema = {
  "type": "record",
  "name": "SubmissionRejected",
  "namespace": "no.flyt.events",
  "doc": "A submission that cannot be archived as sent: resubmitting the same will fail again. Keyed by case key.",
  "fields": [
    {
      "name": "meta",
      "type": {
        "type": "record",
        "name": "EventMeta",
        "doc": "Identity and tracing of this event.",
        "fields": [
          {
            "name": "eventId",
            "type": {
              "type": "string",
              "logicalType": "uuid"
            },
            "doc": "Unique id of this event; consumers apply an event at most once by this id."
          },
          {
            "name": "occurredAt",
            "type": {
              "type": "long",
              "logicalType": "timestamp-millis"
            },
            "doc": "When the producer observed what this event reports."
          },
          {
            "name": "correlationId",
            "type": "string",
            "doc": "Ties together every event and log line caused by one source-system request."
          },
          {
            "name": "producer",
            "type": "string",
            "doc": "The service that published this event, e.g. `gateway`."
          }
        ]
      },
      "doc": "Identity and tracing of this event."
    },
    {
      "name": "submission",
      "type": {
        "type": "record",
        "name": "SubmissionRef",
        "doc": "Which submission this event is about, and whose it is.",
        "fields": [
          {
            "name": "id",
            "type": "string",
            "doc": "Flyt's submission id, e.g. `sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C`."
          },
          {
            "name": "tenant",
            "type": "string",
            "doc": "The county (tenant) that owns the submission, e.g. `vestland`."
          },
          {
            "name": "sourceApplication",
            "type": "string",
            "doc": "The source application that sent it, e.g. `egrunnerverv`."
          },
          {
            "name": "integrationId",
            "type": "string",
            "doc": "The integration of that source application that handles it."
          },
          {
            "name": "sourceInstanceId",
            "type": "string",
            "doc": "The source system's own id for the submission, unique per integration."
          },
          {
            "name": "kind",
            "type": {
              "type": "enum",
              "name": "SubmissionKind",
              "doc": "A new case (with or without journal posts), or journal posts added to an existing case.",
              "symbols": [
                "CASE",
                "JOURNAL_POSTS"
              ]
            },
            "doc": "What was submitted."
          },
          {
            "name": "run",
            "type": "int",
            "default": 1,
            "doc": "Which run of the submission this is about: 1, and one more for each operator retry. Events of an earlier run never change a later run's status."
          }
        ]
      },
      "doc": "The submission this event is about."
    },
    {
      "name": "configurationVersion",
      "type": [
        "null",
        "int"
      ],
      "default": null,
      "doc": "Version of the integration configuration that rejected it, when one applied."
    },
    {
      "name": "errors",
      "type": {
        "type": "array",
        "items": {
          "type": "record",
          "name": "ValidationError",
          "doc": "One problem with a submission.",
          "fields": [
            {
              "name": "code",
              "type": "string",
              "doc": "Stable identifier a source system can switch on, e.g. `missing-required-field`."
            },
            {
              "name": "pointer",
              "type": "string",
              "doc": "JSON pointer into the submitted payload, e.g. `/case/arkivdel`."
            },
            {
              "name": "detail",
              "type": "string",
              "doc": "Explanation in plain English."
            }
          ]
        }
      },
      "doc": "Every problem found, at once."
    }
  ]
} as const;

/** `flyt.submission.resolved.v1`: SubmissionResolved. */
export const submissionResolvedV1Schema = {
  "type": "record",
  "name": "SubmissionResolved",
  "namespace": "no.flyt.events",
  "doc": "An operator ended a failed or rejected submission by hand: archived (done in the archive by hand, with its case number) or cancelled. Keyed by case key.",
  "fields": [
    {
      "name": "meta",
      "type": {
        "type": "record",
        "name": "EventMeta",
        "doc": "Identity and tracing of this event.",
        "fields": [
          {
            "name": "eventId",
            "type": {
              "type": "string",
              "logicalType": "uuid"
            },
            "doc": "Unique id of this event; consumers apply an event at most once by this id."
          },
          {
            "name": "occurredAt",
            "type": {
              "type": "long",
              "logicalType": "timestamp-millis"
            },
            "doc": "When the producer observed what this event reports."
          },
          {
            "name": "correlationId",
            "type": "string",
            "doc": "Ties together every event and log line caused by one source-system request."
          },
          {
            "name": "producer",
            "type": "string",
            "doc": "The service that published this event, e.g. `gateway`."
          }
        ]
      },
      "doc": "Identity and tracing of this event."
    },
    {
      "name": "submission",
      "type": {
        "type": "record",
        "name": "SubmissionRef",
        "doc": "Which submission this event is about, and whose it is.",
        "fields": [
          {
            "name": "id",
            "type": "string",
            "doc": "Flyt's submission id, e.g. `sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C`."
          },
          {
            "name": "tenant",
            "type": "string",
            "doc": "The county (tenant) that owns the submission, e.g. `vestland`."
          },
          {
            "name": "sourceApplication",
            "type": "string",
            "doc": "The source application that sent it, e.g. `egrunnerverv`."
          },
          {
            "name": "integrationId",
            "type": "string",
            "doc": "The integration of that source application that handles it."
          },
          {
            "name": "sourceInstanceId",
            "type": "string",
            "doc": "The source system's own id for the submission, unique per integration."
          },
          {
            "name": "kind",
            "type": {
              "type": "enum",
              "name": "SubmissionKind",
              "doc": "A new case (with or without journal posts), or journal posts added to an existing case.",
              "symbols": [
                "CASE",
                "JOURNAL_POSTS"
              ]
            },
            "doc": "What was submitted."
          },
          {
            "name": "run",
            "type": "int",
            "default": 1,
            "doc": "Which run of the submission this is about: 1, and one more for each operator retry. Events of an earlier run never change a later run's status."
          }
        ]
      },
      "doc": "The submission this event is about."
    },
    {
      "name": "status",
      "type": {
        "type": "enum",
        "name": "Resolution",
        "doc": "`ARCHIVED`: archived by hand; `CANCELLED`: not to be archived.",
        "symbols": [
          "ARCHIVED",
          "CANCELLED"
        ]
      },
      "doc": "The status the operator set."
    },
    {
      "name": "caseNumber",
      "type": [
        "null",
        "string"
      ],
      "default": null,
      "doc": "The case number, when archived by hand."
    },
    {
      "name": "journalPostNumbers",
      "type": {
        "type": "array",
        "items": "string"
      },
      "default": [],
      "doc": "Journal post numbers, when archived by hand."
    },
    {
      "name": "resolvedBy",
      "type": "string",
      "doc": "Who resolved it: the operator's user or client id."
    },
    {
      "name": "reason",
      "type": [
        "null",
        "string"
      ],
      "default": null,
      "doc": "Why, in the operator's words."
    }
  ]
} as const;

/** `flyt.submission.validated.v1`: SubmissionValidated. */
export const submissionValidatedV1Schema = {
  "type": "record",
  "name": "SubmissionValidated",
  "namespace": "no.flyt.events",
  "doc": "A submission that passed validation, normalised for its archive: defaults applied, codes converted. Keyed by case key.",
  "fields": [
    {
      "name": "meta",
      "type": {
        "type": "record",
        "name": "EventMeta",
        "doc": "Identity and tracing of this event.",
        "fields": [
          {
            "name": "eventId",
            "type": {
              "type": "string",
              "logicalType": "uuid"
            },
            "doc": "Unique id of this event; consumers apply an event at most once by this id."
          },
          {
            "name": "occurredAt",
            "type": {
              "type": "long",
              "logicalType": "timestamp-millis"
            },
            "doc": "When the producer observed what this event reports."
          },
          {
            "name": "correlationId",
            "type": "string",
            "doc": "Ties together every event and log line caused by one source-system request."
          },
          {
            "name": "producer",
            "type": "string",
            "doc": "The service that published this event, e.g. `gateway`."
          }
        ]
      },
      "doc": "Identity and tracing of this event."
    },
    {
      "name": "submission",
      "type": {
        "type": "record",
        "name": "SubmissionRef",
        "doc": "Which submission this event is about, and whose it is.",
        "fields": [
          {
            "name": "id",
            "type": "string",
            "doc": "Flyt's submission id, e.g. `sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C`."
          },
          {
            "name": "tenant",
            "type": "string",
            "doc": "The county (tenant) that owns the submission, e.g. `vestland`."
          },
          {
            "name": "sourceApplication",
            "type": "string",
            "doc": "The source application that sent it, e.g. `egrunnerverv`."
          },
          {
            "name": "integrationId",
            "type": "string",
            "doc": "The integration of that source application that handles it."
          },
          {
            "name": "sourceInstanceId",
            "type": "string",
            "doc": "The source system's own id for the submission, unique per integration."
          },
          {
            "name": "kind",
            "type": {
              "type": "enum",
              "name": "SubmissionKind",
              "doc": "A new case (with or without journal posts), or journal posts added to an existing case.",
              "symbols": [
                "CASE",
                "JOURNAL_POSTS"
              ]
            },
            "doc": "What was submitted."
          },
          {
            "name": "run",
            "type": "int",
            "default": 1,
            "doc": "Which run of the submission this is about: 1, and one more for each operator retry. Events of an earlier run never change a later run's status."
          }
        ]
      },
      "doc": "The submission this event is about."
    },
    {
      "name": "configurationVersion",
      "type": "int",
      "doc": "Version of the integration configuration that validated it."
    },
    {
      "name": "destination",
      "type": {
        "type": "record",
        "name": "ArchiveDestination",
        "doc": "Where a submission is archived.",
        "fields": [
          {
            "name": "id",
            "type": "string",
            "doc": "Id of the archive destination, e.g. `vestland-elements`; routes the message to that archive's adapters."
          },
          {
            "name": "driver",
            "type": {
              "type": "enum",
              "name": "ArchiveDriver",
              "doc": "Protocol of the archive.",
              "symbols": [
                "FINT",
                "NOARK5",
                "SIMULATOR"
              ]
            },
            "doc": "How the adapter talks to the archive."
          }
        ]
      },
      "doc": "The archive it goes to."
    },
    {
      "name": "caseMode",
      "type": {
        "type": "enum",
        "name": "CaseMode",
        "doc": "`NEW`: create a case; `BY_ID`: add to the case in `caseRef`; `BY_SEARCH_OR_NEW`: search by `searchCriteria`, add to the one hit or create.",
        "symbols": [
          "NEW",
          "BY_ID",
          "BY_SEARCH_OR_NEW"
        ]
      },
      "doc": "How the case is found or created."
    },
    {
      "name": "caseRef",
      "type": [
        "null",
        "string"
      ],
      "default": null,
      "doc": "For `BY_ID`: the case number or the case submission's id."
    },
    {
      "name": "searchCriteria",
      "type": {
        "type": "map",
        "values": "string"
      },
      "doc": "For `BY_SEARCH_OR_NEW`: archive fields and the values a matching case must have.",
      "default": {}
    },
    {
      "name": "caseAccess",
      "type": {
        "type": "record",
        "name": "CaseAccess",
        "doc": "Which existing cases the submission may be filed into, as its integration allows: a county's other cases stay out of a source application's reach.",
        "fields": [
          {
            "name": "scope",
            "type": {
              "type": "enum",
              "name": "CaseAccessScope",
              "doc": "`OWN_CASES`: only cases the submission's source application created or was filed into through Flyt; `ARCHIVE_SECTIONS`: any case in the archive sections `arkivdeler`.",
              "symbols": [
                "OWN_CASES",
                "ARCHIVE_SECTIONS"
              ]
            },
            "doc": "How far the submission may reach."
          },
          {
            "name": "arkivdeler",
            "type": {
              "type": "array",
              "items": "string"
            },
            "default": [],
            "doc": "For `ARCHIVE_SECTIONS`: the archive sections (arkivdel) whose cases it may reach."
          }
        ]
      },
      "default": {
        "scope": "OWN_CASES",
        "arkivdeler": []
      },
      "doc": "Which existing cases a search may find and journal posts may go to; before this field existed, only the source application's own."
    },
    {
      "name": "case",
      "type": [
        "null",
        {
          "type": "record",
          "name": "Arkivsak",
          "doc": "A case file (Noark 5 saksmappe). Fields left out are filled from the integration's configured defaults.",
          "fields": [
            {
              "name": "tittel",
              "type": "string",
              "doc": "Title of the case."
            },
            {
              "name": "offentligTittel",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Title for public registers, with screened words removed."
            },
            {
              "name": "saksansvarlig",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Case officer responsible for the case."
            },
            {
              "name": "administrativEnhet",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Administrative unit responsible for the case."
            },
            {
              "name": "arkivdel",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Archive section, e.g. `SAK`."
            },
            {
              "name": "journalenhet",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Registry unit."
            },
            {
              "name": "saksmappetype",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Case folder type."
            },
            {
              "name": "saksstatus",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Case status code."
            },
            {
              "name": "tilgangsgruppe",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Access group in the archive."
            },
            {
              "name": "klassering",
              "type": {
                "type": "array",
                "items": {
                  "type": "record",
                  "name": "Klassering",
                  "doc": "A classification of the case (Noark 5 klassering).",
                  "fields": [
                    {
                      "name": "ordningsprinsipp",
                      "type": "string",
                      "doc": "Classification system, e.g. `GBNR` (gårds- og bruksnummer), `FNR`, `ORGNR`."
                    },
                    {
                      "name": "ordningsverdi",
                      "type": "string",
                      "doc": "Value within that system, e.g. `12/4`."
                    },
                    {
                      "name": "beskrivelse",
                      "type": [
                        "null",
                        "string"
                      ],
                      "default": null,
                      "doc": "Human-readable description of the value."
                    }
                  ]
                }
              },
              "doc": "Classifications, primary first.",
              "default": []
            },
            {
              "name": "part",
              "type": {
                "type": "array",
                "items": {
                  "type": "record",
                  "name": "Part",
                  "doc": "A party to the case.",
                  "fields": [
                    {
                      "name": "navn",
                      "type": "string",
                      "doc": "Name of the party."
                    },
                    {
                      "name": "rolle",
                      "type": [
                        "null",
                        "string"
                      ],
                      "default": null,
                      "doc": "The party's role, e.g. `GRUNNEIER`."
                    },
                    {
                      "name": "organisasjonsnummer",
                      "type": [
                        "null",
                        "string"
                      ],
                      "default": null,
                      "doc": "Norwegian organisation number, when the party is an organisation."
                    }
                  ]
                }
              },
              "doc": "Parties to the case.",
              "default": []
            },
            {
              "name": "skjerming",
              "type": [
                "null",
                {
                  "type": "record",
                  "name": "Skjerming",
                  "doc": "Screening of content from public access.",
                  "fields": [
                    {
                      "name": "tilgangsrestriksjon",
                      "type": "string",
                      "doc": "Access restriction code, e.g. `13`."
                    },
                    {
                      "name": "skjermingshjemmel",
                      "type": "string",
                      "doc": "Legal basis for the screening, e.g. `Offl. § 13`."
                    }
                  ]
                }
              ],
              "default": null,
              "doc": "Screening of the case."
            }
          ]
        }
      ],
      "default": null,
      "doc": "The case, with defaults applied."
    },
    {
      "name": "journalPosts",
      "type": {
        "type": "array",
        "items": {
          "type": "record",
          "name": "Journalpost",
          "doc": "A registry entry in a case (Noark 5 journalpost).",
          "fields": [
            {
              "name": "tittel",
              "type": "string",
              "doc": "Title of the journal post."
            },
            {
              "name": "offentligTittel",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Title for public registers, with screened words removed."
            },
            {
              "name": "journalposttype",
              "type": {
                "type": "enum",
                "name": "Journalposttype",
                "doc": "`I` incoming, `U` outgoing, `N` internal followed up, `X` internal not followed up.",
                "symbols": [
                  "I",
                  "U",
                  "N",
                  "X"
                ]
              },
              "doc": "Kind of journal post."
            },
            {
              "name": "dokumentdato",
              "type": [
                "null",
                {
                  "type": "int",
                  "logicalType": "date"
                }
              ],
              "default": null,
              "doc": "Date of the document (a calendar date, no time of day)."
            },
            {
              "name": "journalstatus",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Journal status code; from the integration's defaults when absent."
            },
            {
              "name": "saksbehandler",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Case officer for this journal post."
            },
            {
              "name": "administrativEnhet",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Administrative unit for this journal post."
            },
            {
              "name": "journalenhet",
              "type": [
                "null",
                "string"
              ],
              "default": null,
              "doc": "Registry unit."
            },
            {
              "name": "skjerming",
              "type": [
                "null",
                "no.flyt.events.Skjerming"
              ],
              "default": null,
              "doc": "Screening of this journal post."
            },
            {
              "name": "korrespondansepart",
              "type": {
                "type": "array",
                "items": {
                  "type": "record",
                  "name": "Korrespondansepart",
                  "doc": "Sender or recipient of a journal post.",
                  "fields": [
                    {
                      "name": "korrespondanseparttype",
                      "type": "string",
                      "doc": "Kind of correspondent, e.g. `avsender`, `mottaker`, `kopimottaker`."
                    },
                    {
                      "name": "navn",
                      "type": "string",
                      "doc": "Name of the correspondent."
                    },
                    {
                      "name": "organisasjonsnummer",
                      "type": [
                        "null",
                        "string"
                      ],
                      "default": null,
                      "doc": "Norwegian organisation number, for an organisation."
                    },
                    {
                      "name": "postadresse",
                      "type": [
                        "null",
                        {
                          "type": "record",
                          "name": "Adresse",
                          "doc": "A postal address.",
                          "fields": [
                            {
                              "name": "adresselinje",
                              "type": {
                                "type": "array",
                                "items": "string"
                              },
                              "doc": "Address lines, in order.",
                              "default": []
                            },
                            {
                              "name": "postnummer",
                              "type": [
                                "null",
                                "string"
                              ],
                              "default": null,
                              "doc": "Postal code."
                            },
                            {
                              "name": "poststed",
                              "type": [
                                "null",
                                "string"
                              ],
                              "default": null,
                              "doc": "Postal town."
                            }
                          ]
                        }
                      ],
                      "default": null,
                      "doc": "Postal address."
                    },
                    {
                      "name": "epost",
                      "type": [
                        "null",
                        "string"
                      ],
                      "default": null,
                      "doc": "E-mail address."
                    }
                  ]
                }
              },
              "doc": "Senders and recipients.",
              "default": []
            },
            {
              "name": "dokumenter",
              "type": {
                "type": "array",
                "items": {
                  "type": "record",
                  "name": "Dokument",
                  "doc": "A document of a journal post (Noark 5 dokumentbeskrivelse) with its file.",
                  "fields": [
                    {
                      "name": "tittel",
                      "type": "string",
                      "doc": "Title of the document."
                    },
                    {
                      "name": "tilknyttetRegistreringSom",
                      "type": {
                        "type": "enum",
                        "name": "TilknyttetRegistreringSom",
                        "doc": "`H`: main document (exactly one per journal post); `V`: attachment.",
                        "symbols": [
                          "H",
                          "V"
                        ]
                      },
                      "doc": "The document's role in the journal post."
                    },
                    {
                      "name": "file",
                      "type": {
                        "type": "record",
                        "name": "FileReference",
                        "doc": "A document's file in Flyt's file store; the content itself never travels through Kafka.",
                        "fields": [
                          {
                            "name": "fileId",
                            "type": "string",
                            "doc": "Id of the stored file."
                          },
                          {
                            "name": "filename",
                            "type": "string",
                            "doc": "File name as the source system gave it (sanitised, UTF-8 preserved), e.g. `søknad_æøå.pdf`."
                          },
                          {
                            "name": "mimeType",
                            "type": "string",
                            "doc": "Declared media type, e.g. `application/pdf`."
                          },
                          {
                            "name": "sizeBytes",
                            "type": "long",
                            "doc": "Size of the stored content in bytes."
                          },
                          {
                            "name": "sha256",
                            "type": "string",
                            "doc": "Lower-case hex SHA-256 of the stored content."
                          }
                        ]
                      },
                      "doc": "The stored file."
                    }
                  ]
                }
              },
              "doc": "Documents, with exactly one main document (`H`)."
            }
          ]
        }
      },
      "doc": "The journal posts, with defaults applied, in submission order.",
      "default": []
    }
  ]
} as const;
