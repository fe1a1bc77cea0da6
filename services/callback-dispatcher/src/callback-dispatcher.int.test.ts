import { randomBytes, randomUUID } from "node:crypto";
import { CallbackEndpoints, migrateCallbacks, type Owner } from "@flyt/callbacks";
import type { TopicDefinition } from "@flyt/kafka";
import { testKafka } from "@flyt/kafka/testing";
import { createLogger } from "@flyt/logging";
import { PUBLIC_ADDRESSES_ONLY } from "@flyt/outbound-guard";
import { createDatabase } from "@flyt/postgres";
import type { CallbackRequested, SubmissionCompleted } from "@flyt/schemas";
import { callbackPayload } from "@flyt/status-read-model";
import {
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  testInfra,
  uniqueName,
  waitForReady,
} from "@flyt/testing";
import { provisionDeploymentTopics, topicCatalogue } from "@flyt/topics";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deliveryIdOf } from "./handlers/record-deliveries";
import { type Receiver, startReceiver } from "./receiver.fixtures";

// The dispatcher as a process, over real Kafka and Postgres, posting to a real receiver on loopback that
// verifies every callback with the standardwebhooks package. Short schedules through its configuration.

const infra = testInfra();
const logger = createLogger({ service: "dispatcher-test", level: "silent" });
const { producer } = testKafka(infra, "flyt.dispatcher-test", logger);
const namespace = uniqueName("callbacks");
const topics = topicCatalogue({ namespace });
let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;
let endpoints: CallbackEndpoints;
let receiver: Receiver;
let dispatcher: ServiceProcess;

/** Retries after 0.5 s and 1 s, then parked; an endpoint failing everything for 2.5 s is disabled. */
const settings = (overrides: Record<string, string> = {}) => ({
  FLYT_TOPIC_NAMESPACE: namespace,
  DATABASE_URL: scratch.url,
  REGISTER_SCHEMAS: "true",
  CONSUMER_SESSION_TIMEOUT_MS: "6000",
  CALLBACK_ALLOW_HTTP: "true",
  CALLBACK_ALLOWLIST: "127.0.0.1",
  CALLBACK_RETRY_SCHEDULE: "500ms,1s",
  CALLBACK_DISABLE_AFTER: "2500ms",
  CALLBACK_POLL_INTERVAL: "100ms",
  CALLBACK_TIMEOUT: "1500ms",
  CALLBACK_CONNECT_TIMEOUT: "1s",
  CALLBACK_LEASE: "10s",
  CALLBACK_CONCURRENCY_PER_ENDPOINT: "2",
  ...overrides,
});

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = createDatabase({ url: scratch.url, applicationName: "flyt.dispatcher-test" });
  await migrateCallbacks(db);
  endpoints = new CallbackEndpoints(db);
  await provisionDeploymentTopics({ brokers: infra.kafkaBrokers, namespace, logger });
  await producer.connect();
  receiver = await startReceiver();
  dispatcher = await startServiceProcess("callback-dispatcher", settings());
  await waitForReady(dispatcher);
}, 120_000);

afterAll(async () => {
  await dispatcher?.stop();
  await receiver?.close();
  await producer?.disconnect();
  await db?.destroy();
  await scratch?.drop();
});

const secret = () => `whsec_${randomBytes(32).toString("base64")}`;

/** A source application of its own per test, with its endpoint on the receiver. */
async function registered(answer?: Parameters<Receiver["expect"]>[1]["answer"]) {
  const owner: Owner = { tenantId: "demo", sourceApplicationId: uniqueName("app") };
  const path = `/${owner.sourceApplicationId}`;
  const key = secret();
  await endpoints.register(owner, `${receiver.base}${path}`, key);
  receiver.expect(path, { secrets: [key], ...(answer ? { answer } : {}) });
  return { owner, path, secret: key };
}

function completed(owner: Owner, overrides: Partial<SubmissionCompleted> = {}): SubmissionCompleted {
  const id = `sub_${randomBytes(13).toString("hex").toUpperCase().slice(0, 26)}`;
  const now = new Date();
  return {
    meta: { eventId: randomUUID(), occurredAt: now, correlationId: randomUUID(), producer: "test" },
    submission: {
      id,
      tenant: owner.tenantId,
      sourceApplication: owner.sourceApplicationId,
      integrationId: "egrunnerverv-sak",
      sourceInstanceId: `GRV-${id}`,
      kind: "CASE",
      run: 1,
    },
    status: "ARCHIVED",
    caseNumber: "2026/7",
    journalPostNumbers: ["2026/7-1"],
    errors: [],
    history: [
      { status: "RECEIVED", at: new Date(now.getTime() - 400) },
      { status: "ARCHIVED", at: now },
    ],
    configurationVersion: 1,
    createdAt: new Date(now.getTime() - 400),
    updatedAt: now,
    ...overrides,
  };
}

async function publish<T>(topic: TopicDefinition<T>, key: string, value: T, owner: Owner) {
  await producer.publish(topic, {
    key,
    value,
    headers: {
      correlationId: randomUUID(),
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      tenant: owner.tenantId,
      sourceApplication: owner.sourceApplicationId,
      submissionId: key,
    },
  });
}

const complete = (event: SubmissionCompleted) =>
  publish(topics.submissionCompleted, event.submission.id, event, {
    tenantId: event.submission.tenant,
    sourceApplicationId: event.submission.sourceApplication,
  });

/** Publishes a request to the dispatcher; resolves with its event id (recorded once the request is handled). */
async function request(
  owner: Owner,
  fields: Pick<CallbackRequested, "action"> & Partial<CallbackRequested>,
): Promise<string> {
  const eventId = randomUUID();
  await publish(
    topics.callbackRequested,
    `${owner.tenantId}/${owner.sourceApplicationId}`,
    {
      meta: { eventId, occurredAt: new Date(), correlationId: randomUUID(), producer: "test" },
      tenant: owner.tenantId,
      sourceApplication: owner.sourceApplicationId,
      deliveryId: null,
      since: null,
      requestedBy: "test-client",
      ...fields,
    },
    owner,
  );
  return eventId;
}

const until = <T>(check: () => Promise<T> | T, timeout = 20_000) =>
  vi.waitFor(check, { timeout, interval: 50 });

async function delivery(id: string) {
  return db("callback_deliveries").where({ id }).first();
}

async function attempts(id: string) {
  return db("callback_attempts").where({ delivery_id: id }).orderBy("attempt");
}

describe("delivery", () => {
  it("posts the status resource with its type, signed so that a Standard Webhooks receiver verifies it", async () => {
    const { owner, path, secret: key } = await registered();
    const event = completed(owner);
    await complete(event);
    await until(() => expect(receiver.at(path)).toHaveLength(1));
    const [got] = receiver.at(path);
    expect(got?.verifiedWith).toEqual([key]);
    expect(got?.webhookId).toBe(deliveryIdOf(event.meta.eventId));
    expect(JSON.parse(got?.body ?? "")).toEqual(callbackPayload(event));
    await until(async () =>
      expect(await delivery(deliveryIdOf(event.meta.eventId))).toMatchObject({ state: "delivered" }),
    );
    expect(await attempts(deliveryIdOf(event.meta.eventId))).toEqual([
      expect.objectContaining({ attempt: 1, status_code: 200, error: null, duration_ms: expect.any(Number) }),
    ]);
  });

  it("signs with both secrets during a rotation: receivers with the old or the new one verify it", async () => {
    const { owner, path, secret: previous } = await registered();
    const current = secret();
    await endpoints.rotate(owner, current, new Date(Date.now() + 3_600_000));
    receiver.expect(path, { secrets: [previous, current] });
    await complete(completed(owner));
    await until(() => expect(receiver.at(path)).toHaveLength(1));
    expect(receiver.at(path)[0]?.verifiedWith).toEqual([previous, current]);
  });

  it("delivers to the endpoint that replaced another, signed with its secret, from the next attempt on", async () => {
    const { owner, path: oldPath } = await registered();
    await complete(completed(owner));
    await until(() => expect(receiver.at(oldPath)).toHaveLength(1));
    // Replaced (a source system moving away from a compromised endpoint), and a submission ends right after.
    const newPath = `${oldPath}-moved`;
    const newSecret = secret();
    await endpoints.register(owner, `${receiver.base}${newPath}`, newSecret);
    receiver.expect(newPath, { secrets: [newSecret] });
    await complete(completed(owner));
    await until(() => expect(receiver.at(newPath)).toHaveLength(1));
    expect(receiver.at(newPath)[0]?.verifiedWith).toEqual([newSecret]);
    expect(receiver.at(oldPath)).toHaveLength(1);
  });

  it("is one delivery however often its event arrives; none for a registration made after the submission ended", async () => {
    const { owner, path } = await registered();
    const event = completed(owner);
    const before = completed(owner, { updatedAt: new Date(Date.now() - 60_000) });
    const marker = completed(owner);
    // All on one key, so they are handled in this order: once the marker is delivered, the others were handled.
    for (const value of [before, event, event, marker])
      await publish(topics.submissionCompleted, event.submission.id, value, owner);
    await until(() =>
      expect(receiver.at(path).map((entry) => entry.webhookId)).toContain(deliveryIdOf(marker.meta.eventId)),
    );
    expect(await delivery(deliveryIdOf(before.meta.eventId))).toBeUndefined();
    expect(
      receiver
        .at(path)
        .map((entry) => entry.webhookId)
        .sort(),
    ).toEqual([deliveryIdOf(event.meta.eventId), deliveryIdOf(marker.meta.eventId)].sort());
  });
});

describe("retries", () => {
  it("retries a 5xx and delivers on the 200 that follows, under the same webhook-id, honouring Retry-After", async () => {
    const { owner, path } = await registered((arrival) =>
      arrival === 1 ? { status: 503, headers: { "retry-after": "2" } } : { status: 200 },
    );
    const event = completed(owner);
    await complete(event);
    await until(() => expect(receiver.at(path)).toHaveLength(2));
    const [first, second] = receiver.at(path);
    expect(second?.webhookId).toBe(first?.webhookId);
    // The schedule's first wait is 0.5 s; the endpoint asked for 2 s, and was not asked again sooner.
    expect(Number(second?.timestamp) - Number(first?.timestamp)).toBeGreaterThanOrEqual(2);
    expect((second?.arrivedAt ?? 0) - (first?.arrivedAt ?? 0)).toBeGreaterThanOrEqual(2_000);
    const id = deliveryIdOf(event.meta.eventId);
    await until(async () => expect(await delivery(id)).toMatchObject({ state: "delivered", attempts: 2 }));
    expect((await attempts(id)).map((row) => [row.status_code, row.error])).toEqual([
      [503, "answered 503"],
      [200, null],
    ]);
  });

  it("parks a delivery whose schedule is spent; a replay of what was parked since a time sends it again", async () => {
    const { owner, path } = await registered((arrival) => ({ status: arrival <= 3 ? 500 : 204 }));
    const event = completed(owner);
    const id = deliveryIdOf(event.meta.eventId);
    await complete(event);
    await until(async () => expect(await delivery(id)).toMatchObject({ state: "parked", attempts: 3 }));
    expect(await delivery(id)).toMatchObject({ parked_reason: "retries-exhausted", last_status_code: 500 });
    await request(owner, { action: "REPLAY", since: new Date(Date.now() - 60_000) });
    await until(async () => expect(await delivery(id)).toMatchObject({ state: "delivered", attempts: 4 }));
    expect(new Set(receiver.at(path).map((entry) => entry.webhookId))).toEqual(new Set([id]));
  });

  it("resends one delivery on request, under its webhook-id; another owner's request changes nothing", async () => {
    const { owner, path } = await registered();
    const stranger = await registered();
    const event = completed(owner);
    const id = deliveryIdOf(event.meta.eventId);
    await complete(event);
    await until(async () => expect(await delivery(id)).toMatchObject({ state: "delivered" }));
    const before = await delivery(id);
    // Handled (recorded as applied) and yet nothing changed: it was not the stranger's to resend.
    const theirs = await request(stranger.owner, { action: "RESEND", deliveryId: id });
    await until(async () =>
      expect(await db("callback_requests").where({ event_id: theirs })).toHaveLength(1),
    );
    expect(await delivery(id)).toEqual(before);
    expect(receiver.at(path)).toHaveLength(1);
    await request(owner, { action: "RESEND", deliveryId: id });
    await until(() => expect(receiver.at(path)).toHaveLength(2));
    expect(receiver.at(path).map((entry) => entry.webhookId)).toEqual([id, id]);
    expect(receiver.at(stranger.path)).toHaveLength(0);
  });

  it("sends a signed test event on a ping, once", async () => {
    const { owner, path, secret: key } = await registered();
    const deliveryId = randomUUID();
    await request(owner, { action: "PING", deliveryId });
    await until(() => expect(receiver.at(path)).toHaveLength(1));
    expect(receiver.at(path)[0]).toMatchObject({ webhookId: deliveryId, verifiedWith: [key] });
    expect(JSON.parse(receiver.at(path)[0]?.body ?? "")).toMatchObject({ type: "callback.ping" });
  });
});

describe("endpoint health", () => {
  it("disables and flags an endpoint that answers 410; its later deliveries are parked without a request", async () => {
    const { owner, path } = await registered(() => ({ status: 410 }));
    const first = completed(owner);
    await complete(first);
    await until(async () =>
      expect(await delivery(deliveryIdOf(first.meta.eventId))).toMatchObject({
        state: "parked",
        parked_reason: "endpoint-gone",
      }),
    );
    expect(await endpoints.find(owner)).toMatchObject({
      disabledReason: "gone",
      flaggedAt: expect.any(Date),
    });
    const later = completed(owner);
    await complete(later);
    await until(async () =>
      expect(await delivery(deliveryIdOf(later.meta.eventId))).toMatchObject({
        state: "parked",
        parked_reason: "endpoint-disabled",
        attempts: 0,
      }),
    );
    expect(receiver.at(path)).toHaveLength(1);
  });

  it("disables an endpoint that failed every attempt for the configured time (5 days in deployments)", async () => {
    const { owner } = await registered(() => ({ status: 500 }));
    const first = completed(owner);
    await complete(first);
    await until(async () =>
      expect(await delivery(deliveryIdOf(first.meta.eventId))).toMatchObject({ state: "parked" }),
    );
    expect((await endpoints.find(owner))?.disabledAt).toBeNull(); // failing for 1.5 s so far
    await until(async () =>
      expect(
        Date.now() - ((await endpoints.find(owner))?.failingSince?.getTime() ?? Date.now()),
      ).toBeGreaterThan(2_600),
    );
    const second = completed(owner);
    await complete(second);
    await until(async () =>
      expect(await endpoints.find(owner)).toMatchObject({
        disabledReason: "failing",
        flaggedAt: expect.any(Date),
      }),
    );
  });

  it("refuses at delivery an endpoint that resolves to a forbidden address, without a request", async () => {
    const owner: Owner = { tenantId: "demo", sourceApplicationId: uniqueName("app") };
    // Written directly: the gateway would refuse it at registration; the check is repeated at every delivery.
    await endpoints.register(owner, "http://169.254.169.254/latest/meta-data", secret());
    const event = completed(owner);
    await complete(event);
    const id = deliveryIdOf(event.meta.eventId);
    await until(async () => expect(await attempts(id)).toHaveLength(1));
    expect((await attempts(id))[0]).toMatchObject({
      status_code: null,
      error: `refused before sending: ${PUBLIC_ADDRESSES_ONLY}`,
    });
    // The operators' log has what the source system is not told.
    await expect
      .poll(() => dispatcher.records)
      .toContainEqual(
        expect.objectContaining({
          msg: "callback URL refused before sending",
          deliveryId: id,
          refused: "169.254.169.254 resolves to a private or reserved address (169.254.169.254)",
        }),
      );
  });
});

describe("isolation", () => {
  it("keeps delivering to other endpoints while one hangs, holding at most its own slots", async () => {
    const slow = await registered(() => "hang");
    const fast = await registered();
    const slowEvents = Array.from({ length: 8 }, () => completed(slow.owner));
    for (const event of slowEvents) await complete(event);
    await until(() => expect(receiver.at(slow.path).length).toBeGreaterThanOrEqual(2));
    const fastEvents = Array.from({ length: 6 }, () => completed(fast.owner));
    for (const event of fastEvents) await complete(event);
    await until(() => expect(receiver.at(fast.path)).toHaveLength(6));
    // The hanging endpoint's attempts were still running (they time out at 1.5 s): none of them had finished.
    const slowFinished = await db("callback_attempts").whereIn(
      "delivery_id",
      slowEvents.map((event) => deliveryIdOf(event.meta.eventId)),
    );
    expect(slowFinished).toHaveLength(0);
    expect(receiver.maxInFlight(slow.path)).toBeLessThanOrEqual(2);
  });
});

describe("a dispatcher killed mid-schedule", () => {
  it("continues the schedule on time after a restart, under the same webhook-id, delivering once", async () => {
    // A process of its own, with a long second wait to be killed in.
    await dispatcher.stop();
    dispatcher = await startServiceProcess(
      "callback-dispatcher",
      settings({ CALLBACK_RETRY_SCHEDULE: "300ms,4s,1s" }),
    );
    const { owner, path } = await registered((arrival) => ({ status: arrival <= 2 ? 502 : 200 }));
    const event = completed(owner);
    const id = deliveryIdOf(event.meta.eventId);
    await complete(event);
    await until(async () => expect(await delivery(id)).toMatchObject({ state: "retrying", attempts: 2 }));
    const due: Date = (await delivery(id)).next_attempt_at;
    expect(await dispatcher.stop("SIGKILL")).toBeNull();

    dispatcher = await startServiceProcess("callback-dispatcher", settings());
    await complete(event); // the event again, as after an uncommitted offset: still the same delivery
    await until(() => expect(receiver.at(path)).toHaveLength(3));
    const third = receiver.at(path)[2];
    expect(third?.webhookId).toBe(id);
    // Not early, and at its time rather than at the end of some later wait.
    expect(third?.arrivedAt).toBeGreaterThanOrEqual(due.getTime());
    expect((third?.arrivedAt ?? 0) - due.getTime()).toBeLessThan(3_000);
    await until(async () => expect(await delivery(id)).toMatchObject({ state: "delivered", attempts: 3 }));
    expect(await db("callback_deliveries").where({ submission_id: event.submission.id })).toHaveLength(1);
    expect(new Set(receiver.at(path).map((entry) => entry.webhookId))).toEqual(new Set([id]));
  });
});
