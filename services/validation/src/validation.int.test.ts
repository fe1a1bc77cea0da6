import { randomUUID } from "node:crypto";
import { migrateFileStore, PostgresFileStore } from "@flyt/file-store";
import { testKafka } from "@flyt/kafka/testing";
import { createLogger } from "@flyt/logging";
import { createDatabase } from "@flyt/postgres";
import { ConfigurationStore, migrateRegistry, RegistryStore, seedDemoCounty } from "@flyt/registry";
import {
  type SubmissionReceived,
  type SubmissionRejected,
  type SubmissionValidated,
  submissionRejectedV1Schema,
  submissionValidatedV1Schema,
} from "@flyt/schemas";
import {
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  testInfra,
  uniqueName,
  waitForReady,
} from "@flyt/testing";
import { provisionDeploymentTopics, topicCatalogue } from "@flyt/topics";
import type { Consumer } from "kafkajs";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  configuration,
  journalpost,
  pdfDocument,
  receivedCase,
  receivedJournalPosts,
} from "./domain/submission.fixtures";

const infra = testInfra();
const logger = createLogger({ service: "validation-test", level: "silent" });
const { kafka, registry, producer } = testKafka(infra, "flyt.validation-test", logger);
const namespace = uniqueName("validation");
const topics = topicCatalogue({ namespace });
const INTEGRATION = "egrunnerverv-sak";

interface Decided {
  readonly key: string;
  readonly correlationHeader: string | undefined;
  readonly validated?: SubmissionValidated;
  readonly rejected?: SubmissionRejected;
}

let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;
let configurations: ConfigurationStore;
let consumer: Consumer;
let service: ServiceProcess;
const decided: Decided[] = [];
const pdf = {
  id: `file_${randomUUID()}`,
  bytes: Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "latin1"),
};
const htmlAsPdf = { id: `file_${randomUUID()}`, bytes: Buffer.from("<!doctype html><title>503</title>") };
const otherCountysPdf = { id: `file_${randomUUID()}`, bytes: pdf.bytes };

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = createDatabase({ url: scratch.url, applicationName: "flyt.validation-test" });
  await migrateRegistry(db);
  const registryStore = new RegistryStore(db);
  await seedDemoCounty(registryStore);
  await registryStore.addTenant({ id: "vestland", name: "Vestland", organisationNumber: null });
  configurations = new ConfigurationStore(db);
  await activate(configuration);

  await migrateFileStore(db);
  const files = new PostgresFileStore(db);
  const store = (tenantId: string, file: { id: string; bytes: Buffer }) =>
    files.store(
      {
        owner: { tenantId, sourceApplicationId: "egrunnerverv", environment: "test" },
        id: file.id,
        filename: "kontrakt.pdf",
        mimeType: "application/pdf",
      },
      file.bytes,
      1e6,
    );
  await store("demo", pdf);
  await store("demo", htmlAsPdf);
  await store("vestland", otherCountysPdf);

  await provisionDeploymentTopics({ brokers: infra.kafkaBrokers, namespace, logger });
  await producer.connect();
  consumer = kafka.consumer({ groupId: uniqueName("flyt.validation-test") });
  await consumer.connect();
  await consumer.subscribe({
    topics: [topics.submissionValidated.topic, topics.submissionRejected.topic],
    fromBeginning: true,
  });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const common = {
        key: String(message.key),
        correlationHeader: message.headers?.["correlation-id"]?.toString(),
      };
      decided.push(
        topic === topics.submissionValidated.topic
          ? { ...common, validated: await registry.decode(message.value, submissionValidatedV1Schema) }
          : { ...common, rejected: await registry.decode(message.value, submissionRejectedV1Schema) },
      );
    },
  });

  service = await startServiceProcess("validation", {
    FLYT_TOPIC_NAMESPACE: namespace,
    DATABASE_URL: scratch.url,
    REGISTER_SCHEMAS: "true",
  });
  await waitForReady(service);
}, 60_000);

afterAll(async () => {
  await service?.stop();
  await consumer?.disconnect();
  await producer?.disconnect();
  await db?.destroy();
  await scratch?.drop();
});

async function activate(content: object, integrationId = INTEGRATION): Promise<number> {
  expect(await configurations.saveDraft("demo", integrationId, content)).toMatchObject({ outcome: "saved" });
  const completed = await configurations.completeDraft("demo", integrationId, "arkivar@demo");
  if (completed.outcome !== "completed") throw new Error("no draft");
  expect(await configurations.activate("demo", integrationId, completed.version)).toBe(true);
  return completed.version;
}

let sequence = 0;
/** A fresh submission id: `sub_` and 26 Crockford base-32 characters. */
function submissionId(): string {
  sequence += 1;
  return `sub_01JD8Z6ZQ8${String(Date.now() % 1e10).padStart(10, "0")}${String(sequence).padStart(6, "0")}`;
}

async function publish(received: SubmissionReceived, key = received.submission.id): Promise<void> {
  await producer.publish(topics.submissionReceived, {
    key,
    value: received,
    headers: {
      correlationId: received.meta.correlationId,
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      tenant: received.submission.tenant,
      sourceApplication: received.submission.sourceApplication,
      submissionId: received.submission.id,
    },
  });
}

function freshCase(fileId = pdf.id): SubmissionReceived {
  const received = receivedCase({ id: submissionId(), fileId });
  return { ...received, meta: { ...received.meta, eventId: randomUUID(), correlationId: randomUUID() } };
}

async function decisionsOf(id: string, count = 1): Promise<Decided[]> {
  return vi.waitFor(
    () => {
      const found = decided.filter(
        (decision) => (decision.validated ?? decision.rejected)?.submission.id === id,
      );
      if (found.length < count) throw new Error(`${found.length} decisions on ${id} so far`);
      return found;
    },
    { timeout: 20_000, interval: 50 },
  );
}

describe("the validation service over Kafka and Postgres", () => {
  it("validates a case: defaults applied, the destination and configuration version recorded", async () => {
    const received = freshCase();
    await publish(received);
    const [decision] = await decisionsOf(received.submission.id);
    expect(decision).toMatchObject({
      key: received.submission.id,
      correlationHeader: received.meta.correlationId,
    });
    expect(decision?.validated).toMatchObject({
      meta: { correlationId: received.meta.correlationId, producer: "validation" },
      submission: received.submission,
      configurationVersion: 1,
      destination: { id: "demo-simulator", driver: "SIMULATOR" },
      caseMode: "NEW",
      case: { arkivdel: "EIENDOM", administrativEnhet: "SAMFERDSEL", saksstatus: "B" },
      journalPosts: [{ journalstatus: "J" }],
    });
  });

  it("rejects with every problem at once, reading the files' real contents", async () => {
    const received = freshCase(htmlAsPdf.id);
    const submission = {
      ...received,
      journalPosts: [
        journalpost(htmlAsPdf.id, { journalstatus: "arkivert" }),
        journalpost(otherCountysPdf.id, { korrespondansepart: [] }),
        journalpost(pdf.id, {
          dokumenter: [
            pdfDocument(pdf.id, { file: { ...pdfDocument(pdf.id).file, mimeType: "application/zip" } }),
          ],
        }),
      ],
    };
    await publish(submission);
    const [decision] = await decisionsOf(received.submission.id);
    expect(decision?.rejected?.configurationVersion).toBe(1);
    expect(decision?.rejected?.errors.map((error) => `${error.code} ${error.pointer}`).sort()).toEqual(
      [
        "unknown-code /journalPosts/0/journalstatus",
        "content-does-not-match-type /journalPosts/0/dokumenter/0",
        "missing-correspondent /journalPosts/1/korrespondansepart",
        "file-unreadable /journalPosts/1/dokumenter/0",
        "mime-type-not-allowed /journalPosts/2/dokumenter/0",
        "content-does-not-match-type /journalPosts/2/dokumenter/0",
      ].sort(),
    );
  });

  it("applies a newly activated configuration to the next submission; a redelivered one keeps its version", async () => {
    const before = freshCase();
    await publish(before);
    const [first] = await decisionsOf(before.submission.id);
    const earlierVersion = first?.validated?.configurationVersion;

    const version = await activate({
      ...configuration,
      archiveDefaults: { ...configuration.archiveDefaults, arkivdel: "GRUNNERVERV" },
    });
    expect(version).toBeGreaterThan(earlierVersion ?? 0);
    const after = freshCase();
    await publish(after);
    const [next] = await decisionsOf(after.submission.id);
    expect(next?.validated).toMatchObject({
      configurationVersion: version,
      case: { arkivdel: "GRUNNERVERV" },
    });

    // Delivered again (a crash before the offset was committed): decided with the version it got first.
    await publish(before);
    const [, again] = await decisionsOf(before.submission.id, 2);
    expect(again?.validated).toMatchObject({
      meta: { eventId: first?.validated?.meta.eventId },
      configurationVersion: earlierVersion,
      case: { arkivdel: first?.validated?.case?.arkivdel },
    });
  });

  it("decides an operator retry's run anew, under the configuration active then", async () => {
    const first = freshCase();
    await publish(first);
    const [decision] = await decisionsOf(first.submission.id);
    const version = await activate({
      ...configuration,
      archiveDefaults: { ...configuration.archiveDefaults, arkivdel: "RETRY" },
    });
    const retry = {
      ...first,
      meta: { ...first.meta, eventId: randomUUID() },
      submission: { ...first.submission, run: 2 },
    };
    await publish(retry);
    const [, again] = await decisionsOf(first.submission.id, 2);
    expect(again?.validated).toMatchObject({
      submission: { run: 2 },
      configurationVersion: version,
      case: { arkivdel: "RETRY" },
    });
    expect(again?.validated?.meta.eventId).not.toBe(decision?.validated?.meta.eventId);
    // Both runs' answers are kept, each as it was published.
    expect(
      await db("validation_decisions")
        .where({ submission_id: first.submission.id })
        .orderBy("run")
        .pluck("configuration_version"),
    ).toEqual([decision?.validated?.configurationVersion, version]);
  });

  it("adds journal posts to a validated case submission or a case number, and refuses them to a rejected one", async () => {
    const validCase = freshCase();
    const rejectedCase = freshCase(htmlAsPdf.id);
    await publish(validCase);
    await publish(rejectedCase);
    await decisionsOf(validCase.submission.id);
    await decisionsOf(rejectedCase.submission.id);

    const toCaseSubmission = posts(validCase.submission.id);
    const toCaseNumber = posts("2026/123");
    const toRejectedCase = posts(rejectedCase.submission.id);
    for (const submission of [toCaseSubmission, toCaseNumber, toRejectedCase]) {
      await publish(submission, submission.caseRef ?? undefined);
    }
    const outcome = async (submission: SubmissionReceived) => {
      const [decision] = await decisionsOf(submission.submission.id);
      return decision?.validated
        ? `validated ${decision.validated.caseMode} ${decision.validated.caseRef}`
        : `rejected ${decision?.rejected?.errors.map((error) => error.code).join()}`;
    };
    expect(await outcome(toCaseSubmission)).toBe(`validated BY_ID ${validCase.submission.id}`);
    expect(await outcome(toCaseNumber)).toBe("validated BY_ID 2026/123");
    expect(await outcome(toRejectedCase)).toBe("rejected case-submission-rejected");

    // Another source application's journal posts to that case submission: rejected as unknown, not waiting.
    await activate(configuration, "vigo-soknad-til-arkivet");
    const vigos = posts(validCase.submission.id);
    const fromVigo = {
      ...vigos,
      submission: {
        ...vigos.submission,
        sourceApplication: "vigo",
        integrationId: "vigo-soknad-til-arkivet",
      },
    };
    await publish(fromVigo, validCase.submission.id);
    const [decision] = await decisionsOf(fromVigo.submission.id);
    expect(decision?.rejected?.errors).toContainEqual(
      expect.objectContaining({ code: "unknown-case-reference", pointer: "/caseRef" }),
    );
  });

  it("lets a case wait for its integration's first configuration, and journal posts to it wait behind it", async () => {
    const integrationId = "digisak-tilskudd-freda-bygninger";
    const received = freshCase();
    const waiting = { ...received, submission: { ...received.submission, integrationId } };
    const caseId = waiting.submission.id;
    await publish(waiting);
    await publish(posts(caseId), caseId);
    // Not rejected: it went to the retry topic, since no source system could fix a missing configuration.
    await vi.waitFor(
      () =>
        expect(service.records).toContainEqual(
          expect.objectContaining({ msg: "handler failed; retrying through the retry topic", key: caseId }),
        ),
      { timeout: 20_000, interval: 100 },
    );
    expect(decided.filter((decision) => decision.key === caseId)).toEqual([]);

    await activate(configuration, integrationId);
    const both = await vi.waitFor(
      () => {
        const found = decided.filter((decision) => decision.key === caseId);
        if (found.length < 2) throw new Error(`${found.length} of 2 decided`);
        return found;
      },
      { timeout: 60_000, interval: 200 },
    );
    expect(both.map((decision) => decision.validated?.submission.kind)).toEqual(["CASE", "JOURNAL_POSTS"]);
  }, 90_000);

  it("rejects a submission of a deactivated integration", async () => {
    await new RegistryStore(db).setIntegrationState("demo", "digisak-fartoyvern", "DEACTIVATED");
    const received = freshCase();
    const deactivated = {
      ...received,
      submission: { ...received.submission, integrationId: "digisak-fartoyvern" },
    };
    await publish(deactivated);
    const [decision] = await decisionsOf(received.submission.id);
    expect(decision?.rejected?.errors).toEqual([
      expect.objectContaining({ code: "integration-deactivated", pointer: "/integrationId" }),
    ]);
  });
});

function posts(caseRef: string): SubmissionReceived {
  const received = receivedJournalPosts(caseRef, { id: submissionId(), fileId: pdf.id });
  return { ...received, meta: { ...received.meta, eventId: randomUUID() } };
}
