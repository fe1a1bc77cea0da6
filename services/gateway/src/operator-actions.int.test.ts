import { createTopicsAndWait, type EventProducer } from "@flyt/kafka";
import { testKafka } from "@flyt/kafka/testing";
import { createLogger } from "@flyt/logging";
import { type RunningAuthorizationServer, startAuthorizationServer } from "@flyt/oauth-server";
import { createDatabase } from "@flyt/postgres";
import { AuditLog, migrateRegistry, RegistryStore, seedDemoCounty } from "@flyt/registry";
import {
  type SubmissionReceived,
  type SubmissionResolved,
  submissionReceivedV1Schema,
  submissionResolvedV1Schema,
} from "@flyt/schemas";
import { createTestDatabase, testInfra, uniqueName } from "@flyt/testing";
import { topicCatalogue } from "@flyt/topics";
import type { Consumer } from "kafkajs";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrateGateway } from "./adapters/postgres/migrations";
import { operatorStores } from "./adapters/postgres/operator-action-store";
import { createApp } from "./app";
import { listen, testAppDependencies } from "./app.fixtures";
import { type OperatorDependencies, publishUnfinishedActions } from "./handlers/operate-submissions";

const AUDIENCE = "urn:flyt:gateway:test";
const admin = { clientId: "flyt-platform-admin", clientSecret: "admin-secret", roles: ["flyt.admin"] };
const source = { clientId: "demo-egrunnerverv-test", clientSecret: "source-secret" };

const logger = createLogger({ service: "operator-test", level: "silent" });
const infra = testInfra();
const { kafka, registry, producer } = testKafka(infra, "flyt.operator-test", logger);
const topics = topicCatalogue({ namespace: uniqueName("ops") });
const published: { topic: string; key: string; event: SubmissionReceived | SubmissionResolved }[] = [];

let oauth: RunningAuthorizationServer;
let db: Knex;
let dropDatabase: () => Promise<void>;
let consumer: Consumer;
let server: Awaited<ReturnType<typeof listen>>;
const tokens: Record<string, string> = {};
/** Where operator events go: Kafka, or a producer that lost its connection. */
let operatorProducer: EventProducer;
const publishOperatorEvents: OperatorDependencies["publish"] = {
  received: (event, key, headers) =>
    operatorProducer.publish(topics.submissionReceived, { key, value: event, headers }, { timeoutMs: 5_000 }),
  resolved: (event, key, headers) =>
    operatorProducer.publish(topics.submissionResolved, { key, value: event, headers }, { timeoutMs: 5_000 }),
};

beforeAll(async () => {
  oauth = await startAuthorizationServer({ audience: AUDIENCE, clients: [admin, source] });
  const database = await createTestDatabase();
  dropDatabase = database.drop;
  db = createDatabase({ url: database.url, applicationName: "flyt.operator-test" });
  await migrateRegistry(db);
  await migrateGateway(db);
  const store = new RegistryStore(db);
  await seedDemoCounty(store);
  await store.addTenant({ id: "vestland", name: "Vestland fylkeskommune", organisationNumber: null });

  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  await createTopicsAndWait(kafkaAdmin, [
    { topic: topics.submissionReceived.topic, numPartitions: 3 },
    { topic: topics.submissionResolved.topic, numPartitions: 3 },
  ]);
  await kafkaAdmin.disconnect();
  await producer.connect();
  operatorProducer = producer;
  consumer = kafka.consumer({ groupId: uniqueName("flyt.operator-test") });
  await consumer.connect();
  await consumer.subscribe({
    topics: [topics.submissionReceived.topic, topics.submissionResolved.topic],
    fromBeginning: true,
  });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      published.push({
        topic,
        key: String(message.key),
        event:
          topic === topics.submissionReceived.topic
            ? await registry.decode<SubmissionReceived>(message.value, submissionReceivedV1Schema)
            : await registry.decode<SubmissionResolved>(message.value, submissionResolvedV1Schema),
      });
    },
  });

  server = await listen(
    createApp(
      testAppDependencies({
        db,
        oauth,
        audience: AUDIENCE,
        publish: (event, key, headers) =>
          producer.publish(topics.submissionReceived, { key, value: event, headers }, { timeoutMs: 10_000 }),
        publishOperatorEvents,
      }),
    ),
  );
  for (const client of [admin, source]) tokens[client.clientId] = await oauth.tokenFor(client);
});

afterAll(async () => {
  await server.close();
  await consumer.disconnect();
  await producer.disconnect();
  await oauth.stop();
  await db.destroy();
  await dropDatabase();
});

async function call(method: string, path: string, options: { body?: unknown; as?: string } = {}) {
  const res = await fetch(`${server.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens[options.as ?? admin.clientId]}`,
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : {}) as Record<string, any>,
  };
}

let sequence = 0;
/** A case submitted by the source system, then ended by the pipeline with `status` (as the projection would). */
async function submitted(status: string, errors: object[] = [], integrationId = "egrunnerverv-sak") {
  sequence += 1;
  const sourceInstanceId = `GRV-OPS-${Date.now()}-${sequence}`;
  const accepted = await call("POST", "/api/v1/cases", {
    as: source.clientId,
    body: { integrationId, sourceInstanceId, case: { tittel: "Erverv av grunn - gnr 12 bnr 4" } },
  });
  expect(accepted.status).toBe(202);
  const id = accepted.body.id as string;
  await db("submission_status").insert({
    submission_id: id,
    tenant_id: "demo",
    source_application_id: "egrunnerverv",
    integration_id: integrationId,
    source_instance_id: sourceInstanceId,
    kind: "CASE",
    run: 1,
    status,
    errors: JSON.stringify(errors),
    status_event_id: `${id}-ended`,
    created_at: new Date(),
    updated_at: new Date(),
  });
  return id;
}

const failure = (code: string) => [{ code, pointer: "", detail: "503 Service Unavailable" }];
const eventsOf = (id: string, topic: string) =>
  published.filter((item) => item.topic === topic && item.event.submission.id === id);
const audit = () => new AuditLog(db).entries("demo", "egrunnerverv-sak", 500);

describe("operator actions on submissions", () => {
  it("retries a failed submission as its next run: the received event again, same key, under a new id", async () => {
    const id = await submitted("FAILED", failure("archive-unavailable"));
    const retried = await call("POST", `/admin/v1/tenants/demo/submissions/${id}/retry`, {
      body: { reason: "the archive is back" },
    });
    expect(retried.status).toBe(202);
    expect(retried.body).toEqual({
      id,
      run: 2,
      status: "RECEIVED",
      statusUrl: `/admin/v1/tenants/demo/submissions/${id}`,
    });
    const [first, second] = await vi.waitFor(
      () => {
        const events = eventsOf(id, topics.submissionReceived.topic);
        if (events.length < 2) throw new Error(`${events.length} received events so far`);
        return events;
      },
      { timeout: 20_000 },
    );
    expect(second?.key).toBe(first?.key);
    expect(second?.event.submission).toEqual({ ...first?.event.submission, run: 2 });
    expect(second?.event.meta.eventId).not.toBe(first?.event.meta.eventId);
    const payload = (event: SubmissionReceived | SubmissionResolved | undefined) => {
      const { meta: _meta, submission: _submission, ...rest } = event as SubmissionReceived;
      return rest;
    };
    expect(payload(second?.event)).toEqual(payload(first?.event));
    expect((await audit()).find((entry) => entry.details.submissionId === id)).toMatchObject({
      actor: admin.clientId,
      action: "submission.retry-requested",
      details: { run: 2, previousStatus: "FAILED", reason: "the archive is back" },
    });

    // Until the projection shows run 2, the run is still FAILED here: a second click cannot retry it again.
    const again = await call("POST", `/admin/v1/tenants/demo/submissions/${id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: "urn:flyt:problem:already-acted", action: "retry", run: 1 });
  });

  it("resolves a failed submission by hand with its case number, and cancels a rejected one, telling why", async () => {
    const failed = await submitted("FAILED", failure("archive-unavailable"));
    const resolved = await call("POST", `/admin/v1/tenants/demo/submissions/${failed}/resolve`, {
      body: { caseNumber: "2026/4711", journalPostNumbers: ["2026/4711-1"], reason: "archived by hand" },
    });
    expect(resolved.status).toBe(202);
    expect(resolved.body).toMatchObject({ id: failed, run: 1, status: "ARCHIVED" });

    const rejected = await submitted("REJECTED");
    const cancelled = await call("POST", `/admin/v1/tenants/demo/submissions/${rejected}/cancel`, {
      body: { reason: "sent to the wrong county" },
    });
    expect(cancelled.status).toBe(202);

    const [archivedByHand] = await vi.waitFor(() => {
      const events = eventsOf(failed, topics.submissionResolved.topic);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(archivedByHand?.event).toMatchObject({
      submission: { id: failed, run: 1 },
      status: "ARCHIVED",
      caseNumber: "2026/4711",
      journalPostNumbers: ["2026/4711-1"],
      resolvedBy: admin.clientId,
      reason: "archived by hand",
    });
    expect(archivedByHand?.key).toBe(failed);
    await vi.waitFor(() =>
      expect(eventsOf(rejected, topics.submissionResolved.topic).map((item) => item.event)).toEqual([
        expect.objectContaining({ status: "CANCELLED", reason: "sent to the wrong county" }),
      ]),
    );
    const actions = (await audit()).filter((entry) =>
      [failed, rejected].includes(String(entry.details.submissionId)),
    );
    expect(actions.map((entry) => entry.action).sort()).toEqual([
      "submission.cancelled",
      "submission.resolved",
    ]);
  });

  it("names every problem of a resolution at once, and wants a reason to cancel", async () => {
    const id = await submitted("FAILED", failure("archive-unavailable"));
    const otherCase = await call("POST", `/admin/v1/tenants/demo/submissions/${id}/resolve`, {
      body: { caseNumber: "2026/5", journalPostNumbers: ["2026/6-1"] },
    });
    expect(otherCase.status).toBe(422);
    expect(otherCase.body.errors).toEqual([
      expect.objectContaining({ code: "journal-post-not-of-case", pointer: "/journalPostNumbers" }),
    ]);
    const result = await call("POST", `/admin/v1/tenants/demo/submissions/${id}/resolve`, {
      body: { caseNumber: "123", journalPostNumbers: ["2026/1-1", "x"], reason: "" },
    });
    expect(result.status).toBe(422);
    expect(result.headers.get("content-type")).toContain("application/problem+json");
    expect((result.body.errors as { pointer: string }[]).map((error) => error.pointer)).toEqual([
      "/caseNumber",
      "/journalPostNumbers/1",
      "/reason",
    ]);
    const noReason = await call("POST", `/admin/v1/tenants/demo/submissions/${id}/cancel`, { body: {} });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors).toEqual([
      expect.objectContaining({ code: "missing-reason", pointer: "/reason" }),
    ]);
    expect(eventsOf(id, topics.submissionResolved.topic)).toEqual([]);
  });

  it("leaves what is still in the pipeline's hands or archived to it, and another tenant's submission is 404", async () => {
    const archived = await submitted("ARCHIVED");
    const refused = await call("POST", `/admin/v1/tenants/demo/submissions/${archived}/retry`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: "urn:flyt:problem:not-actionable", status: "ARCHIVED" });
    const waiting = await submitted("WAITING_FOR_CASE");
    expect(
      (await call("POST", `/admin/v1/tenants/demo/submissions/${waiting}/cancel`, { body: { reason: "x" } }))
        .status,
    ).toBe(409);
    const other = await call("POST", `/admin/v1/tenants/vestland/submissions/${archived}/retry`);
    expect(other.status).toBe(404);
    expect((await call("GET", `/admin/v1/tenants/vestland/submissions/${archived}`)).status).toBe(404);
    const own = await call("GET", `/admin/v1/tenants/demo/submissions/${archived}`);
    expect(own.body).toMatchObject({
      id: archived,
      status: "ARCHIVED",
      run: 1,
      integrationId: "egrunnerverv-sak",
    });
    // A source system's token has no admin role.
    expect(
      (await call("POST", `/admin/v1/tenants/demo/submissions/${archived}/retry`, { as: source.clientId }))
        .status,
    ).toBe(403);
  });

  it("finishes a retry whose event Kafka never took: 503 first, then the same event on the next try", async () => {
    const id = await submitted("FAILED", failure("archive-unavailable"));
    // A producer that is not connected: kafkajs refuses to send with a retriable error.
    operatorProducer = testKafka(infra, "flyt.operator-test", logger).producer;
    try {
      const unavailable = await call("POST", `/admin/v1/tenants/demo/submissions/${id}/retry`);
      expect(unavailable.status).toBe(503);
    } finally {
      operatorProducer = producer;
    }
    expect(await db("operator_actions").where({ submission_id: id }).first()).toMatchObject({
      action: "retry",
      published_at: null,
    });
    // Another operator's different choice meanwhile: the claimed retry stands, and the answer names it.
    const other = await call("POST", `/admin/v1/tenants/demo/submissions/${id}/cancel`, {
      body: { reason: "meant to cancel" },
    });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ action: "retry", actor: admin.clientId, run: 1 });
    const retried = await call("POST", `/admin/v1/tenants/demo/submissions/${id}/retry`);
    expect(retried.status).toBe(202);
    await vi.waitFor(() => expect(eventsOf(id, topics.submissionReceived.topic)).toHaveLength(2));
    expect((await audit()).filter((entry) => entry.details.submissionId === id)).toHaveLength(1);
  });

  it("publishes a claimed action nobody asked for again, through the relay", async () => {
    const id = await submitted("FAILED", failure("archive-unavailable"));
    operatorProducer = testKafka(infra, "flyt.operator-test", logger).producer;
    try {
      const unavailable = await call("POST", `/admin/v1/tenants/demo/submissions/${id}/resolve`, {
        body: { caseNumber: "2026/8", journalPostNumbers: ["2026/8-1"] },
      });
      expect(unavailable.status).toBe(503);
    } finally {
      operatorProducer = producer;
    }
    const stores = operatorStores(db);
    const relayed = await publishUnfinishedActions({
      publish: publishOperatorEvents,
      markPublished: stores.markPublished,
      unpublished: () => stores.unpublished(0),
    });
    expect(relayed).toBe(1);
    await vi.waitFor(() =>
      expect(eventsOf(id, topics.submissionResolved.topic).map((item) => item.event)).toEqual([
        expect.objectContaining({ status: "ARCHIVED", caseNumber: "2026/8", resolvedBy: admin.clientId }),
      ]),
    );
    expect(await db("operator_actions").where({ submission_id: id }).first()).toMatchObject({
      published_at: expect.any(Date),
    });
    expect(await stores.unpublished(0)).toEqual([]);
  });

  it("retries an integration's failed submissions by filter, each audited, and counts per integration", async () => {
    const integrationId = "egrunnerverv-journalpost";
    const outage = [
      await submitted("FAILED", failure("archive-unavailable"), integrationId),
      await submitted("FAILED", failure("archive-unavailable"), integrationId),
    ];
    const refusedByArchive = await submitted("FAILED", failure("archive-rejected"), integrationId);
    const result = await call(
      "POST",
      `/admin/v1/tenants/demo/integrations/${integrationId}/submissions/retry`,
      {
        body: { errorCode: "archive-unavailable" },
      },
    );
    expect(result.status).toBe(202);
    expect(result.body).toMatchObject({ retried: 2, skipped: [], more: false });
    expect([...(result.body.submissions as string[])].sort()).toEqual([...outage].sort());
    await vi.waitFor(() => {
      for (const id of outage) expect(eventsOf(id, topics.submissionReceived.topic)).toHaveLength(2);
    });
    expect(eventsOf(refusedByArchive, topics.submissionReceived.topic)).toHaveLength(1);
    const entries = await new AuditLog(db).entries("demo", integrationId);
    expect(entries.map((entry) => entry.action)).toEqual([
      "submissions.bulk-retry-requested",
      "submission.retry-requested",
      "submission.retry-requested",
    ]);

    const bad = await call("POST", `/admin/v1/tenants/demo/integrations/${integrationId}/submissions/retry`, {
      body: { status: "ARCHIVED", limit: 0, from: "yesterday" },
    });
    expect(bad.status).toBe(422);
    expect((bad.body.errors as { pointer: string }[]).map((error) => error.pointer)).toEqual([
      "/status",
      "/from",
      "/limit",
    ]);

    const hour = 3_600_000;
    const counts = await call(
      "GET",
      `/admin/v1/tenants/demo/submission-counts?from=${new Date(Date.now() - hour).toISOString()}&to=${new Date(Date.now() + hour).toISOString()}`,
    );
    expect(counts.status).toBe(200);
    expect(counts.body.integrations[integrationId]).toEqual({ FAILED: 3 });
  });
});
