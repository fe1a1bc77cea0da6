import { createHash, randomUUID } from "node:crypto";
import { migrateFileStore, PostgresFileStore } from "@flyt/file-store";
import { routingHeaders } from "@flyt/kafka";
import { testKafka } from "@flyt/kafka/testing";
import { createLogger } from "@flyt/logging";
import { createDatabase } from "@flyt/postgres";
import {
  type ArchiveCompleted,
  type ArchiveFailed,
  type ArchiveProgressed,
  type Arkivsak,
  archiveCompletedV1Schema,
  archiveFailedV1Schema,
  archiveProgressedV1Schema,
  type Journalpost,
  type SubmissionValidated,
} from "@flyt/schemas";
import { provisionDeploymentTopics, topicCatalogue } from "@flyt/topics";
import type { Consumer } from "kafkajs";
import type { Knex } from "knex";

export interface ArchiveOutcome {
  readonly key: string;
  readonly completed?: ArchiveCompleted;
  readonly failed?: ArchiveFailed;
}

/**
 * The archive adapter's surroundings for tests and benchmarks: a database with the file store, topics of a
 * namespace of their own, a producer of validated submissions and a collector of what the adapter publishes.
 */
export async function startPipelineHarness(options: {
  readonly namespace: string;
  readonly databaseUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
}) {
  const logger = createLogger({ service: "archive-harness", level: "silent" });
  const db: Knex = createDatabase({ url: options.databaseUrl, applicationName: "flyt.archive-harness" });
  await migrateFileStore(db);
  const files = new PostgresFileStore(db);
  const topics = topicCatalogue({ namespace: options.namespace });
  const { kafka, registry, producer } = testKafka(options, "flyt.archive-harness", logger);
  await provisionDeploymentTopics({ brokers: options.kafkaBrokers, namespace: options.namespace, logger });
  await producer.connect();

  const outcomes: ArchiveOutcome[] = [];
  const progressed: ArchiveProgressed[] = [];
  const consumer: Consumer = kafka.consumer({ groupId: `${options.namespace}-collector` });
  await consumer.connect();
  await consumer.subscribe({
    topics: [topics.archiveCompleted.topic, topics.archiveFailed.topic, topics.archiveProgressed.topic],
    fromBeginning: true,
  });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const key = String(message.key);
      if (topic === topics.archiveProgressed.topic) {
        progressed.push(await registry.decode(message.value, archiveProgressedV1Schema));
        return;
      }
      outcomes.push(
        topic === topics.archiveCompleted.topic
          ? { key, completed: await registry.decode(message.value, archiveCompletedV1Schema) }
          : { key, failed: await registry.decode(message.value, archiveFailedV1Schema) },
      );
    },
  });

  return {
    db,
    outcomes,
    /** Stores a small PDF of a source application of a county; its reference goes into a journal post. */
    async storePdf(tenantId = "demo", sourceApplicationId = "egrunnerverv") {
      const id = `file_${randomUUID()}`;
      const content = Buffer.from(`%PDF-1.7\n${id}\n`);
      const stored = await files.store(
        {
          owner: { tenantId, sourceApplicationId, environment: "test" },
          id,
          filename: "søknad_æøå.pdf",
          mimeType: "application/pdf",
        },
        content,
        1e6,
      );
      if (stored.outcome !== "stored") throw new Error(`file not stored: ${stored.outcome}`);
      return { reference: stored.reference, sha256: createHash("sha256").update(content).digest("hex") };
    },
    async publish(validated: SubmissionValidated, key: string) {
      await producer.publish(topics.submissionValidated, {
        key,
        value: validated,
        headers: {
          correlationId: validated.meta.correlationId,
          traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
          tenant: validated.submission.tenant,
          sourceApplication: validated.submission.sourceApplication,
          submissionId: validated.submission.id,
        },
        // As the validation service routes it.
        extraHeaders: { [routingHeaders.destination]: validated.destination.id },
      });
    },
    /** An operator's resolution, as the gateway publishes it: ARCHIVED by hand with a case number. */
    async publishResolution(submission: SubmissionValidated["submission"], caseNumber: string) {
      await producer.publish(topics.submissionResolved, {
        key: submission.id,
        value: {
          meta: {
            eventId: randomUUID(),
            occurredAt: new Date(),
            correlationId: randomUUID(),
            producer: "gateway",
          },
          submission,
          status: "ARCHIVED",
          caseNumber,
          journalPostNumbers: [],
          resolvedBy: "kari.arkivar",
          reason: "Arkivert for hånd",
        },
        headers: {
          correlationId: randomUUID(),
          traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
          tenant: submission.tenant,
          sourceApplication: submission.sourceApplication,
          submissionId: submission.id,
        },
      });
    },
    /** Outcomes for a submission so far. */
    outcomesOf(submissionId: string): ArchiveOutcome[] {
      return outcomes.filter(
        (outcome) => (outcome.completed ?? outcome.failed)?.submission.id === submissionId,
      );
    },
    /** The stages the adapter reported for a submission so far (ARCHIVING, WAITING_FOR_CASE), deduplicated. */
    stagesOf(submissionId: string, run = 1): string[] {
      const ids = new Set<string>();
      return progressed
        .filter((event) => event.submission.id === submissionId && event.submission.run === run)
        .filter((event) => !ids.has(event.meta.eventId) && ids.add(event.meta.eventId))
        .map((event) => event.stage);
    },
    /** The first outcome for a submission's run, once there is one. */
    async outcomeOf(submissionId: string, timeoutMs = 30_000, run = 1): Promise<ArchiveOutcome> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [outcome] = outcomes.filter((candidate) => {
          const submission = (candidate.completed ?? candidate.failed)?.submission;
          return submission?.id === submissionId && submission.run === run;
        });
        if (outcome) return outcome;
        if (Date.now() > deadline) throw new Error(`no outcome for ${submissionId} after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
      await db.destroy();
    },
  };
}

let sequence = 0;

/** A fresh submission id: `sub_` and a ULID-shaped 26 characters. */
export function submissionId(): string {
  sequence += 1;
  return `sub_01JD8Z6ZQ8${String(Date.now() % 1e10).padStart(10, "0")}${String(sequence).padStart(6, "0")}`;
}

export function arkivsak(overrides: Partial<Arkivsak> = {}): Arkivsak {
  return {
    tittel: "Erverv av grunn - gnr 12 bnr 4",
    offentligTittel: null,
    saksansvarlig: null,
    administrativEnhet: "SAMFERDSEL",
    arkivdel: "EIENDOM",
    journalenhet: null,
    saksmappetype: "SAK",
    saksstatus: "B",
    tilgangsgruppe: null,
    klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4", beskrivelse: null }],
    part: [],
    skjerming: null,
    ...overrides,
  };
}

export function journalpost(
  file: SubmissionValidated["journalPosts"][number]["dokumenter"][number]["file"],
): Journalpost {
  return {
    tittel: "Kjøpekontrakt",
    offentligTittel: null,
    journalposttype: "I",
    dokumentdato: "2026-11-20",
    journalstatus: "J",
    saksbehandler: null,
    administrativEnhet: "SAMFERDSEL",
    journalenhet: null,
    skjerming: null,
    korrespondansepart: [
      {
        korrespondanseparttype: "avsender",
        navn: "Ola Nordmann",
        organisasjonsnummer: null,
        postadresse: null,
        epost: null,
      },
    ],
    dokumenter: [{ tittel: "Kontrakt", tilknyttetRegistreringSom: "H", file }],
  };
}

/** A validated submission to the demo county's simulated archive. */
export function validated(
  overrides: Partial<Omit<SubmissionValidated, "submission">> & {
    id?: string;
    run?: number;
    kind?: "CASE" | "JOURNAL_POSTS";
    destinationId?: string;
    sourceApplication?: string;
  } = {},
): SubmissionValidated {
  const { id, run, kind, destinationId, sourceApplication, ...rest } = overrides;
  const submissionIdValue = id ?? submissionId();
  return {
    meta: {
      eventId: randomUUID(),
      occurredAt: new Date(),
      correlationId: randomUUID(),
      producer: "validation",
    },
    submission: {
      id: submissionIdValue,
      tenant: "demo",
      sourceApplication: sourceApplication ?? "egrunnerverv",
      integrationId: `${sourceApplication ?? "egrunnerverv"}-sak`,
      sourceInstanceId: `GRV-${submissionIdValue}`,
      kind: kind ?? "CASE",
      run: run ?? 1,
    },
    configurationVersion: 1,
    destination: { id: destinationId ?? "demo-simulator", driver: "SIMULATOR" },
    caseMode: "NEW",
    caseRef: null,
    searchCriteria: {},
    caseAccess: { scope: "OWN_CASES", arkivdeler: [] },
    case: arkivsak(),
    journalPosts: [],
    ...rest,
  };
}
