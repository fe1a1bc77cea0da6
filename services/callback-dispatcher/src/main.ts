import { randomUUID } from "node:crypto";
import { CallbackEndpoints, migrateCallbacks } from "@flyt/callbacks";
import { batched, withMigrationLock } from "@flyt/postgres";
import { consumingCheck, startConsuming, startServiceRuntime } from "@flyt/service-runtime";
import { signWebhook } from "./adapters/http/standard-webhooks";
import { WebhookClient } from "./adapters/http/webhook-client";
import { metricsOf } from "./adapters/metrics";
import { DeliveryStore } from "./adapters/postgres/delivery-store";
import { signingEndpoints } from "./adapters/postgres/signing-endpoints";
import { loadConfig } from "./config";
import { Dispatcher } from "./handlers/dispatcher";
import { recordDeliveryHandlers } from "./handlers/record-deliveries";

const config = loadConfig();
const { callbacks } = config;
const consuming = consumingCheck();
const runtime = await startServiceRuntime("callback-dispatcher", config, [consuming]);
const { db, topics, logger, shutdown, metrics } = runtime;

const endpoints = new CallbackEndpoints(db);
// Each process is its own lease holder: a restarted one does not take over its predecessor's leases early.
const store = new DeliveryStore(db, endpoints, { instanceId: randomUUID(), leaseMs: callbacks.leaseMs });
const client = new WebhookClient({
  policy: callbacks.policy,
  connectTimeoutMs: callbacks.connectTimeoutMs,
  timeoutMs: callbacks.timeoutMs,
  responseBodyLimitBytes: callbacks.responseBodyLimitBytes,
  maxSockets: callbacks.concurrency,
  maxFreeSocketsPerHost: callbacks.perEndpointConcurrency,
});
const dispatcher = new Dispatcher({
  store,
  endpoint: signingEndpoints(endpoints),
  sign: signWebhook,
  post: (url, headers, body) => client.post(url, headers, body),
  schedule: callbacks.schedule,
  disableAfterMs: callbacks.disableAfterMs,
  concurrency: callbacks.concurrency,
  perEndpointConcurrency: callbacks.perEndpointConcurrency,
  attemptTimeoutMs: callbacks.timeoutMs,
  pollIntervalMs: callbacks.pollIntervalMs,
  now: () => new Date(),
  random: Math.random,
  logger: logger.child({ component: "dispatcher" }),
  metrics: metricsOf(metrics),
});
// Registered before the consumer starts, so it runs after the consumer has drained (last registered first).
shutdown.register("dispatcher", async () => {
  await dispatcher.stop();
  client.close();
});

startConsuming(runtime, {
  service: "callback-dispatcher",
  config,
  // The schedule runs as soon as the tables are there: due retries need no consumer group.
  prepare: async () => {
    await withMigrationLock(db, () => migrateCallbacks(db));
    dispatcher.start();
  },
  handlers: recordDeliveryHandlers({
    topics,
    // Deliveries recorded at the same time share one statement.
    record: batched(async (deliveries) => {
      const leased = new Map((await store.record(deliveries)).map((delivery) => [delivery.id, delivery]));
      return deliveries.map((delivery) => leased.get(delivery.id));
    }),
    store,
    hasRoom: () => dispatcher.room > 0,
    dispatch: (deliveries) => dispatcher.offer(deliveries),
  }),
  onConsuming: () => consuming.markConsuming(),
});
