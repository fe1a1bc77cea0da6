import { randomUUID } from "node:crypto";
import type { TopicDefinition } from "@flyt/kafka";
import { testKafka } from "@flyt/kafka/testing";
import { createLogger } from "@flyt/logging";
import { createDatabase } from "@flyt/postgres";
import { type SubmissionCompleted, type SubmissionRef, submissionCompletedV1Schema } from "@flyt/schemas";
import {
  callbackPayload,
  type ProjectedStatus,
  renderStatusResource,
  StatusReader,
} from "@flyt/status-read-model";
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
const logger = createLogger({ service: "projection-test", level: "silent" });
const { kafka, registry, producer } = testKafka(infra, "flyt.projection-test", logger);
const namespace = uniqueName("projection");
const topics = topicCatalogue({ namespace });
let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;
let consumer: Consumer;
let service: ServiceProcess;
const completed: SubmissionCompleted[] = [];

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = createDatabase({ url: scratch.url, applicationName: "flyt.projection-test" });
  await provisionDeploymentTopics({ brokers: infra.kafkaBrokers, namespace, logger });
  await producer.connect();
  consumer = kafka.consumer({ groupId: uniqueName("flyt.projection-test") });
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

let sequence = 0;
function submission(): SubmissionRef {
  sequence += 1;
  const id = `sub_01JD8Z6ZQ8${String(Date.now() % 1e10).padStart(10, "0")}${String(sequence).padStart(6, "0")}`;
  return {
    id,
    tenant: "demo",
    sourceApplication: "egrunnerverv",
    integrationId: "egrunnerverv-sak",
    sourceInstanceId: `GRV-${id}`,
    kind: "CASE",
    run: 1,
  };
}
const base = Date.now() - 60_000;
const at = (offsetMs: number) => new Date(base + offsetMs);
const meta = (eventId: string, occurredAt: Date) => ({
  eventId,
  occurredAt,
  correlationId: randomUUID(),
  producer: "test",
});

async function send<T>(topic: TopicDefinition<T>, value: T, ref: SubmissionRef): Promise<void> {
  await producer.publish(topic, {
    key: ref.id,
    value,
    headers: {
      correlationId: randomUUID(),
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      tenant: ref.tenant,
      sourceApplication: ref.sourceApplication,
      submissionId: ref.id,
    },
  });
}

const received = (ref: SubmissionRef, eventId = randomUUID()) => ({
  meta: meta(eventId, at(0)),
  submission: ref,
  caseRef: null,
  case: null,
  journalPosts: [],
  receivedAt: at(0),
});
const validated = (ref: SubmissionRef) => ({
  meta: meta(randomUUID(), at(100)),
  submission: ref,
  configurationVersion: 2,
  destination: { id: "demo-simulator", driver: "SIMULATOR" as const },
  caseMode: "NEW" as const,
  caseRef: null,
  searchCriteria: {},
  caseAccess: { scope: "OWN_CASES" as const, arkivdeler: [] },
  case: null,
  journalPosts: [],
});
const archived = (ref: SubmissionRef, eventId = randomUUID()) => ({
  meta: meta(eventId, at(400)),
  submission: ref,
  destination: { id: "demo-simulator", driver: "SIMULATOR" as const },
  caseNumber: "2026/77",
  archiveCaseId: "case-77",
  caseCreated: true,
  journalPostNumbers: ["2026/77-1"],
  attempts: 1,
});

async function statusOf(id: string, status: string) {
  return vi.waitFor(
    async () => {
      const row = await db("submission_status").where({ submission_id: id }).first();
      if (row?.status !== status) throw new Error(`status ${row?.status} so far`);
      return row;
    },
    { timeout: 20_000, interval: 50 },
  );
}

describe("the status projection over Kafka and Postgres", () => {
  it("builds the status from the lifecycle events and announces the terminal one once", async () => {
    const ref = submission();
    const archive = archived(ref);
    // In causal order, as the pipeline sends them: each topic is consumed on its own, so an event sent at once
    // after the one before could be projected first (and the announcement would lack the earlier step).
    await send(topics.submissionReceived, received(ref), ref);
    await statusOf(ref.id, "RECEIVED");
    await send(topics.submissionValidated, validated(ref), ref);
    await statusOf(ref.id, "VALIDATED");
    await send(topics.archiveCompleted, archive, ref);
    await send(topics.archiveCompleted, archive, ref); // delivered twice
    const row = await statusOf(ref.id, "ARCHIVED");
    expect(row).toMatchObject({
      case_number: "2026/77",
      journal_post_numbers: ["2026/77-1"],
      configuration_version: 2,
    });
    // A marker behind the duplicate on the same key and topic: once it is announced, the duplicate was handled.
    const marker = submission();
    await send(topics.submissionReceived, received(marker), ref);
    await send(topics.submissionValidated, validated(marker), ref);
    await statusOf(marker.id, "VALIDATED");
    await send(topics.archiveCompleted, archived(marker), ref);
    await vi.waitFor(() => expect(completed.some((event) => event.submission.id === marker.id)).toBe(true), {
      timeout: 20_000,
    });
    expect(completed.filter((event) => event.submission.id === ref.id)).toHaveLength(1);
    const [announcement] = completed.filter((event) => event.submission.id === ref.id);
    expect(announcement).toMatchObject({
      status: "ARCHIVED",
      caseNumber: "2026/77",
      configurationVersion: 2,
    });
    expect(announcement?.history.map((step) => step.status)).toEqual(["RECEIVED", "VALIDATED", "ARCHIVED"]);
  });

  it("announces nothing until RECEIVED is projected, then the very status resource polling answers", async () => {
    const ref = submission();
    // The archive's answer and the validation first, from topics of their own, as a lagging partition has it.
    await send(topics.archiveCompleted, archived(ref), ref);
    await send(topics.submissionValidated, validated(ref), ref);
    await vi.waitFor(
      async () =>
        expect(await db("submission_status_history").where({ submission_id: ref.id })).toHaveLength(2),
      { timeout: 20_000, interval: 50 },
    );
    // A marker behind the archive's answer on the same topic and key: once it is announced, that answer was
    // projected and announced nothing.
    const marker = submission();
    await send(topics.submissionReceived, received(marker), ref);
    await send(topics.submissionValidated, validated(marker), ref);
    await statusOf(marker.id, "VALIDATED");
    await send(topics.archiveCompleted, archived(marker), ref);
    await vi.waitFor(() => expect(completed.some((event) => event.submission.id === marker.id)).toBe(true), {
      timeout: 20_000,
    });
    expect(completed.filter((event) => event.submission.id === ref.id)).toEqual([]);
    // Polling shows nothing from the read model yet: the gateway answers RECEIVED from its intake.
    expect(await new StatusReader(db).status(ref.id)).toBeUndefined();

    await send(topics.submissionReceived, received(ref), ref);
    await vi.waitFor(
      () => expect(completed.filter((event) => event.submission.id === ref.id)).toHaveLength(1),
      {
        timeout: 20_000,
      },
    );
    const [announcement] = completed.filter((event) => event.submission.id === ref.id);
    const polled = (await new StatusReader(db).status(ref.id)) as ProjectedStatus;
    expect(callbackPayload(announcement as SubmissionCompleted)).toEqual({
      type: "submission.archived",
      ...renderStatusResource({ ...polled, id: ref.id, kind: ref.kind }),
    });
    expect(polled.history).toEqual([
      { status: "RECEIVED", at: at(0) },
      { status: "VALIDATED", at: at(100) },
      { status: "ARCHIVED", at: at(400) },
    ]);
  });

  it("keeps RECEIVED's time and the history as shown when a copy of RECEIVED or a stale step comes late", async () => {
    const ref = submission();
    await send(topics.submissionReceived, received(ref), ref);
    await statusOf(ref.id, "RECEIVED");
    await send(topics.submissionValidated, validated(ref), ref);
    await statusOf(ref.id, "VALIDATED");
    await send(topics.archiveCompleted, archived(ref), ref);
    await statusOf(ref.id, "ARCHIVED");
    const shown = (await new StatusReader(db).status(ref.id)) as ProjectedStatus;
    // A copy under another id, received later, and a failure of the same run the archive's answer overtook.
    const copy = { ...received(ref), receivedAt: at(5_000), meta: meta(randomUUID(), at(5_000)) };
    await send(topics.submissionReceived, copy, ref);
    await send(
      topics.archiveFailed,
      {
        meta: meta(randomUUID(), at(500)),
        submission: ref,
        destination: { id: "demo-simulator", driver: "SIMULATOR" },
        code: "archive-unavailable",
        message: "late",
        retriable: true,
        attempts: 9,
        caseNumber: null,
        journalPostNumbers: [],
      },
      ref,
    );
    await vi.waitFor(
      async () =>
        expect(await db("submission_status_history").where({ submission_id: ref.id })).toHaveLength(5),
      { timeout: 20_000, interval: 50 },
    );
    expect(await new StatusReader(db).status(ref.id)).toEqual(shown);
    expect(shown).toMatchObject({ status: "ARCHIVED", errors: [], createdAt: at(0) });
    expect(shown.history[0]).toEqual({ status: "RECEIVED", at: at(0) });
    expect(completed.filter((event) => event.submission.id === ref.id)).toHaveLength(1);
  });

  it("under load, in any order across topics: every history a poller sees only grows, every callback is final", async () => {
    const refs = Array.from({ length: 30 }, () => submission());
    const stage = (ref: SubmissionRef) => ({
      meta: meta(randomUUID(), at(300)),
      submission: ref,
      destination: { id: "demo-simulator", driver: "SIMULATOR" as const },
      stage: "ARCHIVING" as const,
    });
    const sends = refs.flatMap((ref) => [
      () => send(topics.submissionReceived, received(ref), ref),
      () => send(topics.submissionValidated, validated(ref), ref),
      () => send(topics.archiveProgressed, stage(ref), ref),
      () => send(topics.archiveCompleted, archived(ref), ref),
    ]);
    // A fixed shuffle: the same test every run, the events far from the order the pipeline sends them in.
    const shuffled = sends.map((publish, i) => ({ publish, order: (i * 7919) % sends.length }));
    shuffled.sort((a, b) => a.order - b.order);
    const reader = new StatusReader(db);
    const views = new Map<string, string[][]>();
    const look = async () => {
      for (const ref of refs) {
        const seen = await reader.status(ref.id);
        const steps = (seen?.history ?? []).map((step) => `${step.status}@${step.at.toISOString()}`);
        views.set(ref.id, [...(views.get(ref.id) ?? []), steps]);
      }
    };
    const publishing = Promise.all(shuffled.map(({ publish }) => publish()));
    const announced = () => refs.every((ref) => completed.some((event) => event.submission.id === ref.id));
    // Polls as clients do, all the while the events are projected (each look reads every submission once).
    const deadline = Date.now() + 30_000;
    while (!announced() && Date.now() < deadline) await look();
    await publishing;
    expect(announced()).toBe(true);
    await look();
    for (const ref of refs) {
      const seen = views.get(ref.id) ?? [];
      for (const [i, view] of seen.entries()) {
        const before = seen[i - 1] ?? [];
        expect(view.slice(0, before.length)).toEqual(before);
      }
      const announcements = completed.filter((event) => event.submission.id === ref.id);
      expect(announcements).toHaveLength(1);
      const polled = (await reader.status(ref.id)) as ProjectedStatus;
      expect(polled.history.slice(0, 2).map((step) => step.status)).toEqual(["RECEIVED", "VALIDATED"]);
      expect(callbackPayload(announcements[0] as SubmissionCompleted)).toEqual({
        type: "submission.archived",
        ...renderStatusResource({ ...polled, id: ref.id, kind: ref.kind }),
      });
    }
  });

  it("starts over with an operator retry's run, and shows where the archive adapter is", async () => {
    const ref = submission();
    const failed = (run: SubmissionRef) => ({
      meta: meta(randomUUID(), at(300)),
      submission: run,
      destination: { id: "demo-simulator", driver: "SIMULATOR" as const },
      code: "archive-unavailable",
      message: "503 Service Unavailable",
      retriable: true,
      attempts: 5,
      caseNumber: null,
      journalPostNumbers: [],
    });
    await send(topics.submissionReceived, received(ref), ref);
    await send(topics.submissionValidated, validated(ref), ref);
    await send(topics.archiveFailed, failed(ref), ref);
    await statusOf(ref.id, "FAILED");
    const rerun = { ...ref, run: 2 };
    await send(topics.submissionReceived, { ...received(rerun), meta: meta(randomUUID(), at(1_000)) }, ref);
    const again = await statusOf(ref.id, "RECEIVED");
    expect(again).toMatchObject({ run: 2, errors: [] });
    await send(topics.submissionValidated, { ...validated(rerun), meta: meta(randomUUID(), at(1_100)) }, ref);
    await statusOf(ref.id, "VALIDATED");
    await send(
      topics.archiveProgressed,
      {
        meta: meta(randomUUID(), at(1_200)),
        submission: rerun,
        destination: { id: "demo-simulator", driver: "SIMULATOR" },
        stage: "ARCHIVING",
      },
      ref,
    );
    await statusOf(ref.id, "ARCHIVING");
    await send(topics.archiveCompleted, { ...archived(rerun), meta: meta(randomUUID(), at(1_400)) }, ref);
    await statusOf(ref.id, "ARCHIVED");
    await vi.waitFor(
      () => expect(completed.filter((event) => event.submission.id === ref.id)).toHaveLength(2),
      { timeout: 20_000 },
    );
    const [first, second] = completed.filter((event) => event.submission.id === ref.id);
    expect(first).toMatchObject({ status: "FAILED", submission: { run: 1 } });
    expect(second).toMatchObject({ status: "ARCHIVED", submission: { run: 2 }, caseNumber: "2026/77" });
    expect(second?.history.map((step) => step.status)).toEqual([
      "RECEIVED",
      "VALIDATED",
      "FAILED",
      "RECEIVED",
      "VALIDATED",
      "ARCHIVING",
      "ARCHIVED",
    ]);
  });

  it("lets an operator cancel a rejected submission, telling why", async () => {
    const ref = submission();
    await send(topics.submissionReceived, received(ref), ref);
    await send(
      topics.submissionRejected,
      { meta: meta(randomUUID(), at(100)), submission: ref, configurationVersion: 4, errors: [] },
      ref,
    );
    await statusOf(ref.id, "REJECTED");
    await send(
      topics.submissionResolved,
      {
        meta: meta(randomUUID(), at(900)),
        submission: ref,
        status: "CANCELLED",
        caseNumber: null,
        journalPostNumbers: [],
        resolvedBy: "kari.arkivar",
        reason: "Sent to the wrong county",
      },
      ref,
    );
    const row = await statusOf(ref.id, "CANCELLED");
    expect(row.errors).toEqual([
      { code: "cancelled-by-operator", pointer: "", detail: "Sent to the wrong county" },
    ]);
    await vi.waitFor(
      () =>
        expect(
          completed.filter((event) => event.submission.id === ref.id).map((event) => event.status),
        ).toEqual(["REJECTED", "CANCELLED"]),
      { timeout: 20_000 },
    );
  });

  it("records a rejection with every error and its configuration version", async () => {
    const ref = submission();
    await send(topics.submissionReceived, received(ref), ref);
    const errors = [
      { code: "missing-required-field", pointer: "/case/arkivdel", detail: "arkivdel" },
      { code: "content-does-not-match-type", pointer: "/journalPosts/0/dokumenter/0", detail: "html" },
    ];
    await send(
      topics.submissionRejected,
      { meta: meta(randomUUID(), at(100)), submission: ref, configurationVersion: 4, errors },
      ref,
    );
    const row = await statusOf(ref.id, "REJECTED");
    expect(row).toMatchObject({ errors, configuration_version: 4 });
  });
});
