import { randomUUID } from "node:crypto";
import { testKafka } from "@flyt/kafka/testing";
import { createLogger } from "@flyt/logging";
import { createDatabase } from "@flyt/postgres";
import { type SubmissionCompleted, type SubmissionRef, submissionCompletedV1Schema } from "@flyt/schemas";
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

const infra = testInfra();
const logger = createLogger({ service: "held-back-test", level: "silent" });
const { kafka, registry, producer } = testKafka(infra, "flyt.held-back-test", logger);
const namespace = uniqueName("held-back");
const topics = topicCatalogue({ namespace });
let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;
let consumer: Consumer;
let service: ServiceProcess;
const completed: SubmissionCompleted[] = [];

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = createDatabase({ url: scratch.url, applicationName: "flyt.held-back-test" });
  await provisionDeploymentTopics({ brokers: infra.kafkaBrokers, namespace, logger });
  await producer.connect();
  consumer = kafka.consumer({ groupId: uniqueName("flyt.held-back-test") });
  await consumer.connect();
  await consumer.subscribe({ topic: topics.submissionCompleted.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      completed.push(await registry.decode(message.value, submissionCompletedV1Schema));
    },
  });
  service = await startServiceProcess("status-projection", {
    FLYT_TOPIC_NAMESPACE: namespace,
    DATABASE_URL: scratch.url,
    REGISTER_SCHEMAS: "true",
    HELD_BACK_RELEASE_AFTER_MS: "1000",
    HELD_BACK_SWEEP_INTERVAL_MS: "200",
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

describe("the status projection with a step lost on the way", () => {
  it("shows what the lost RECEIVED held back once it is old enough, announces it, logs it and counts it", async () => {
    const id = `sub_${randomUUID()}`;
    const ref: SubmissionRef = {
      id,
      tenant: "demo",
      sourceApplication: "egrunnerverv",
      integrationId: "egrunnerverv-sak",
      sourceInstanceId: `GRV-${id}`,
      kind: "CASE",
      run: 1,
    };
    const destination = { id: "demo-simulator", driver: "SIMULATOR" as const };
    const meta = () => ({
      eventId: randomUUID(),
      occurredAt: new Date(),
      correlationId: randomUUID(),
      producer: "test",
    });
    const headers = {
      correlationId: randomUUID(),
      traceparent: "",
      tenant: ref.tenant,
      sourceApplication: ref.sourceApplication,
      submissionId: ref.id,
    };
    // Its RECEIVED was dead-lettered: only the validation and the archive's answer come.
    await producer.publish(topics.submissionValidated, {
      key: id,
      headers,
      value: {
        meta: meta(),
        submission: ref,
        configurationVersion: 2,
        destination,
        caseMode: "NEW" as const,
        caseRef: null,
        searchCriteria: {},
        caseAccess: { scope: "OWN_CASES" as const, arkivdeler: [] },
        case: null,
        journalPosts: [],
      },
    });
    await producer.publish(topics.archiveCompleted, {
      key: id,
      headers,
      value: {
        meta: meta(),
        submission: ref,
        destination,
        caseNumber: "2026/88",
        archiveCaseId: "case-88",
        caseCreated: true,
        journalPostNumbers: ["2026/88-1"],
        attempts: 1,
      },
    });
    await vi.waitFor(() => expect(completed.map((event) => event.submission.id)).toContain(id), {
      timeout: 30_000,
      interval: 100,
    });
    const announcement = completed.find((event) => event.submission.id === id);
    expect(announcement).toMatchObject({ status: "ARCHIVED", caseNumber: "2026/88" });
    expect(announcement?.history.map((step) => step.status)).toEqual(["VALIDATED", "ARCHIVED"]);
    expect(await db("submission_status").where({ submission_id: id }).first()).toMatchObject({
      status: "ARCHIVED",
    });
    expect(service.records).toContainEqual(
      expect.objectContaining({
        msg: "held-back events released: a step they follow did not come in time",
        submissionId: id,
        statuses: ["VALIDATED", "ARCHIVED"],
      }),
    );
    await vi.waitFor(
      async () => {
        const metrics = await (await fetch(`${service.opsBaseUrl}/metrics`)).text();
        expect(metrics).toMatch(/^flyt_status_held_back_released_total\{[^}]*\} 2$/m);
        expect(metrics).toMatch(/^flyt_status_held_back_events\{[^}]*\} 0$/m);
        expect(metrics).toMatch(/^flyt_status_held_back_oldest_age_seconds\{[^}]*\} 0$/m);
      },
      { timeout: 10_000, interval: 100 },
    );
  }, 60_000);
});
