import { randomUUID } from "node:crypto";
import type { TopicDefinition } from "@flyt/kafka";
import { testKafka } from "@flyt/kafka/testing";
import { createLogger } from "@flyt/logging";
import { createDatabase } from "@flyt/postgres";
import type { SubmissionRef } from "@flyt/schemas";
import {
  createTestDatabase,
  runServiceCommand,
  type ServiceProcess,
  startServiceProcess,
  testInfra,
  uniqueName,
  waitForReady,
} from "@flyt/testing";
import { provisionDeploymentTopics, topicCatalogue } from "@flyt/topics";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { StatusStore } from "./adapters/postgres/status-store";

const infra = testInfra();
const logger = createLogger({ service: "rebuild-test", level: "silent" });
const { producer } = testKafka(infra, "flyt.rebuild-test", logger);
const namespace = uniqueName("rebuild");
const topics = topicCatalogue({ namespace });
let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;
let projection: ServiceProcess;

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = createDatabase({ url: scratch.url, applicationName: "flyt.rebuild-test" });
  await provisionDeploymentTopics({ brokers: infra.kafkaBrokers, namespace, logger });
  await producer.connect();
  projection = await startServiceProcess("status-projection", {
    FLYT_TOPIC_NAMESPACE: namespace,
    DATABASE_URL: scratch.url,
    REGISTER_SCHEMAS: "true",
  });
  await waitForReady(projection);
}, 60_000);

afterAll(async () => {
  await projection?.stop();
  await producer?.disconnect();
  await db?.destroy();
  await scratch?.drop();
});

let sequence = 0;
function submission(run = 1): SubmissionRef {
  sequence += 1;
  const id = `sub_01JD8Z6ZQ9${String(Date.now() % 1e10).padStart(10, "0")}${String(sequence).padStart(6, "0")}`;
  return {
    id,
    tenant: "demo",
    sourceApplication: "egrunnerverv",
    integrationId: "egrunnerverv-sak",
    sourceInstanceId: `GRV-${id}`,
    kind: "CASE",
    run,
  };
}
const base = Date.now() - 3_600_000;
const at = (offsetMs: number) => new Date(base + offsetMs);
const meta = (offsetMs: number) => ({
  eventId: randomUUID(),
  occurredAt: at(offsetMs),
  correlationId: randomUUID(),
  producer: "test",
});
const destination = { id: "demo-simulator", driver: "SIMULATOR" as const };
let published = 0;

async function send<T>(topic: TopicDefinition<T>, value: T, ref: SubmissionRef): Promise<void> {
  published += 1;
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

const received = (ref: SubmissionRef, t: number) => ({
  meta: meta(t),
  submission: ref,
  caseRef: null,
  case: null,
  journalPosts: [],
  receivedAt: at(0),
});
const validated = (ref: SubmissionRef, t: number, version = 2) => ({
  meta: meta(t),
  submission: ref,
  configurationVersion: version,
  destination,
  caseMode: "NEW" as const,
  caseRef: null,
  searchCriteria: {},
  caseAccess: { scope: "OWN_CASES" as const, arkivdeler: [] },
  case: null,
  journalPosts: [],
});
const archived = (ref: SubmissionRef, t: number, caseNumber: string) => ({
  meta: meta(t),
  submission: ref,
  destination,
  caseNumber,
  archiveCaseId: `case-${caseNumber}`,
  caseCreated: true,
  journalPostNumbers: [`${caseNumber}-1`],
  attempts: 1,
});
const failed = (ref: SubmissionRef, t: number) => ({
  meta: meta(t),
  submission: ref,
  destination,
  code: "archive-unavailable",
  message: "503 Service Unavailable",
  retriable: true,
  attempts: 4,
  caseNumber: null,
  journalPostNumbers: [],
});

/** Every kind of history: archived, rejected, failed and retried, resolved by hand, and events out of order. */
async function publishHistories(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const ref = submission();
    switch (i % 4) {
      case 0:
        // Sent in reverse: the archive's answer first.
        await send(topics.archiveCompleted, archived(ref, 400, `2026/${i}`), ref);
        await send(
          topics.archiveProgressed,
          { meta: meta(300), submission: ref, destination, stage: "ARCHIVING" },
          ref,
        );
        await send(topics.submissionValidated, validated(ref, 100), ref);
        await send(topics.submissionReceived, received(ref, 0), ref);
        break;
      case 1:
        await send(topics.submissionReceived, received(ref, 0), ref);
        await send(
          topics.submissionRejected,
          {
            meta: meta(100),
            submission: ref,
            configurationVersion: 3,
            errors: [{ code: "missing-required-field", pointer: "/case/arkivdel", detail: "arkivdel" }],
          },
          ref,
        );
        break;
      case 2: {
        await send(topics.submissionReceived, received(ref, 0), ref);
        await send(topics.submissionValidated, validated(ref, 100), ref);
        await send(topics.archiveFailed, failed(ref, 500), ref);
        const rerun = { ...ref, run: 2 };
        await send(topics.submissionReceived, received(rerun, 1_000), ref);
        await send(topics.submissionValidated, validated(rerun, 1_100, 5), ref);
        await send(topics.archiveCompleted, archived(rerun, 1_400, `2026/${i}`), ref);
        // A late failure of the first run changes nothing.
        await send(topics.archiveFailed, failed(ref, 600), ref);
        break;
      }
      default:
        await send(topics.submissionReceived, received(ref, 0), ref);
        await send(topics.submissionValidated, validated(ref, 100), ref);
        await send(topics.archiveFailed, failed(ref, 500), ref);
        await send(
          topics.submissionResolved,
          {
            meta: meta(2_000),
            submission: ref,
            status: "ARCHIVED",
            caseNumber: `2026/${i}`,
            journalPostNumbers: [],
            resolvedBy: "kari.arkivar",
            reason: null,
          },
          ref,
        );
    }
  }
}

const readModel = async () => ({
  statuses: await db("submission_status").orderBy("submission_id"),
  // When each event was recorded differs, of course; what it recorded must not. Where it is shown may: the live
  // projection showed events as they came (a stage that came after a later one is not shown, passed over), the
  // rebuild as it read them.
  history: (await db("submission_status_history").orderBy("event_id")).map(
    ({ recorded_at: _recordedAt, position: _position, passed_over: _passedOver, ...row }) => row,
  ),
});

/** Every history the model shows starts with RECEIVED and has its steps at positions 1, 2, 3, ... */
async function histories(): Promise<Map<string, string[]>> {
  const rows: { submission_id: string; status: string; position: number }[] = await db(
    "submission_status_history",
  )
    .whereNotNull("position")
    .orderBy(["submission_id", "position"]);
  const shown = new Map<string, string[]>();
  for (const row of rows) {
    const steps = shown.get(row.submission_id) ?? [];
    expect(row.position).toBe(steps.length + 1);
    shown.set(row.submission_id, [...steps, row.status]);
  }
  for (const steps of shown.values()) expect(steps[0]).toBe("RECEIVED");
  return shown;
}

describe("rebuilding the status read model from the topics", () => {
  it("gives the same model as the live projection, swapped in while it keeps running", async () => {
    await publishHistories(40);
    await vi.waitFor(
      async () =>
        expect(Number((await db("submission_status_history").count({ n: "*" }))[0]?.n)).toBe(published),
      { timeout: 60_000, interval: 200 },
    );
    // Events the live projection recorded that the rebuild will not read from the topics (as if they arrived
    // after its last look): the swap must take them over from the live tables.
    const late = submission();
    await new StatusStore(db, (id) => `completion-of-${id}`).apply(
      [received(late, 0), validated(late, 100)].map((value, i) => ({
        event: {
          eventId: value.meta.eventId,
          submission: late,
          status: i === 0 ? "RECEIVED" : "VALIDATED",
          at: value.meta.occurredAt,
          ...(i === 1 ? { configurationVersion: 2 } : { receivedAt: at(0) }),
        },
        headers: {
          correlationId: "c",
          traceparent: "",
          tenant: "demo",
          sourceApplication: "egrunnerverv",
          submissionId: late.id,
        },
      })),
    );
    const live = await readModel();
    expect(live.statuses).toHaveLength(41);
    expect(new Set(live.statuses.map((row) => row.status))).toEqual(
      new Set(["ARCHIVED", "REJECTED", "VALIDATED"]),
    );
    const announced = Number((await db("completion_outbox").count({ n: "*" }))[0]?.n);

    const { code, records } = await runServiceCommand("status-projection", "rebuild", {
      FLYT_TOPIC_NAMESPACE: namespace,
      DATABASE_URL: scratch.url,
    });
    expect(code).toBe(0);
    expect(records).toContainEqual(
      expect.objectContaining({
        msg: "status read model rebuilt from the topics",
        rebuilt: published,
        takenOver: 2,
        // Everything the rebuild completed, the live projection had announced.
        announced: 0,
      }),
    );
    const rebuilt = await readModel();
    expect(rebuilt).toEqual(live);
    expect([...(await histories()).keys()].sort()).toEqual(live.statuses.map((row) => row.submission_id));
    // The rebuilt tables really replaced the live ones, and nothing is announced again.
    expect(
      (await db.raw("select count(*)::int as n from pg_namespace where nspname like 'flyt_status_%'")).rows[0]
        .n,
    ).toBe(0);
    expect(Number((await db("completion_outbox").count({ n: "*" }))[0]?.n)).toBe(announced);

    // The projection goes on in the rebuilt tables.
    const after = submission();
    await send(topics.submissionReceived, received(after, 0), after);
    await vi.waitFor(
      async () =>
        expect(await db("submission_status").where({ submission_id: after.id }).first()).toMatchObject({
          status: "RECEIVED",
        }),
      { timeout: 20_000, interval: 100 },
    );
  }, 120_000);
});
