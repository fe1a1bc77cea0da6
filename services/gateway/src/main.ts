import { randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CallbackEndpoints, DeliveryReader } from "@flyt/callbacks";
import { isConnectionError, retryWhileRetriable } from "@flyt/errors";
import { PostgresFileStore } from "@flyt/file-store";
import {
  childTraceparent,
  createKafka,
  type EventHeaders,
  EventProducer,
  kafkaHealthCheck,
  SchemaRegistryClient,
  schemaRegistryHealthCheck,
} from "@flyt/kafka";
import { createLogger } from "@flyt/logging";
import { createMetricsRegistry, createOpsServer } from "@flyt/observability";
import { checkOutboundUrl } from "@flyt/outbound-guard";
import { createDatabase, postgresHealthCheck, withMigrationLock } from "@flyt/postgres";
import {
  AuditLog,
  DestinationChecks,
  inRegistryTransaction,
  RegistryStore,
  registryStores,
} from "@flyt/registry";
import type { SubmissionReceived, SubmissionResolved } from "@flyt/schemas";
import { exitOnSignals, ShutdownRegistry } from "@flyt/shutdown";
import { StatusReader } from "@flyt/status-read-model";
import { topicCatalogue } from "@flyt/topics";
import { CachedDirectory } from "./adapters/postgres/cached-registry";
import { callbackAdminDependencies } from "./adapters/postgres/callback-admin";
import { IdempotencyStore } from "./adapters/postgres/idempotency-store";
import { IntakeStore } from "./adapters/postgres/intake-store";
import { migrateGateway } from "./adapters/postgres/migrations";
import { operatorStores } from "./adapters/postgres/operator-action-store";
import { StatusPolling } from "./adapters/postgres/status-polling";
import { createApp } from "./app";
import { loadConfig } from "./config";
import { openApiDocument } from "./contract/openapi";
import { callbackRequestedMessage } from "./domain/callback-request";
import { prefixedUlid } from "./domain/ids";
import type { CallbackDeliveryDependencies } from "./handlers/callback-deliveries";
import { publishUnfinishedActions } from "./handlers/operate-submissions";

const SERVICE = "gateway";
/** An operator's claimed action not published this long after it was claimed is published by the relay. */
const ACTION_RELAY_AFTER_MS = 30_000;

const config = loadConfig();
const logger = createLogger({ service: SERVICE, level: config.logLevel });
const shutdown = new ShutdownRegistry({ logger, deadlineMs: config.shutdown.deadlineMs });
const metrics = createMetricsRegistry({ service: SERVICE });

const db = createDatabase({
  url: config.database.url,
  applicationName: config.kafka.clientId,
  pool: { min: 0, max: config.database.poolMax },
});
shutdown.register("database", () => db.destroy());
// Migrate in the background, retrying while Postgres is away: the process stays live, and ready only after.
// Only while Postgres cannot be reached: a migration that fails for another reason stops the process.
let schemaReady = false;
void retryWhileRetriable(
  async () => {
    try {
      await withMigrationLock(db, () => migrateGateway(db));
      schemaReady = true;
    } catch (error) {
      if (!isConnectionError(error)) throw Object.assign(error as Error, { retriable: false });
      logger.warn({ err: error }, "gateway tables not migrated yet: Postgres unreachable; retrying");
      throw error;
    }
  },
  { attempts: Number.POSITIVE_INFINITY, delayMs: 2_000 },
).catch((error: unknown) => {
  logger.fatal({ err: error }, "gateway tables cannot be migrated");
  void shutdown.shutdown("migration failed").then(() => process.exit(1));
});
const schemaCheck = {
  name: "schema",
  check: async () => {
    if (!schemaReady) throw new Error("gateway tables not migrated yet");
  },
};

const kafka = createKafka({
  clientId: config.kafka.clientId,
  brokers: config.kafka.brokers,
  security: config.kafka.security,
  logger,
});
const registry = new SchemaRegistryClient(config.schemaRegistry.url);
const producer = new EventProducer({
  kafka,
  registry,
  logger,
  metrics,
  registerSchemas: config.kafka.registerSchemas,
});
// Kafka may be down at start: keep trying in the background; until then submissions answer 503 and /readyz
// names Kafka. (kafkajs gives up on a connect after its own retries; this does not.)
void (async () => {
  for (;;) {
    try {
      await producer.connect();
      return;
    } catch (error) {
      if (shutdown.isShuttingDown) return;
      logger.warn({ err: error }, "Kafka producer not connected yet; retrying");
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
})();
shutdown.register("kafka-producer", () => producer.disconnect());
const kafkaHealth = kafkaHealthCheck(config.kafka);
shutdown.register("kafka-admin", () => kafkaHealth.close());

const topics = topicCatalogue(config.kafka.topicNamespace ? { namespace: config.kafka.topicNamespace } : {});
const registries = new CachedDirectory(new RegistryStore(db), config.registryCacheMs);
const intake = new IntakeStore(db);
const files = new PostgresFileStore(db);
const newId = (prefix: string) => () => prefixedUlid(prefix, Date.now(), randomBytes(10));

const callbackEndpoints = new CallbackEndpoints(db);
const deliveryReader = new DeliveryReader(db);
const callbackDeliveries: CallbackDeliveryDependencies = {
  endpoints: callbackEndpoints,
  deliveries: deliveryReader,
  newDeliveryId: randomUUID,
  request: async (request) => {
    const correlationId = randomUUID();
    const message = callbackRequestedMessage(request, {
      eventId: randomUUID(),
      correlationId,
      traceparent: childTraceparent(),
      at: new Date(),
    });
    await producer.publish(topics.callbackRequested, message, { timeoutMs: config.intake.publishTimeoutMs });
  },
};

const operations = operatorStores(db);
const publishOperatorEvent = {
  received: (event: SubmissionReceived, key: string, headers: EventHeaders) =>
    producer.publish(
      topics.submissionReceived,
      { key, value: event, headers },
      { timeoutMs: config.intake.publishTimeoutMs },
    ),
  resolved: (event: SubmissionResolved, key: string, headers: EventHeaders) =>
    producer.publish(
      topics.submissionResolved,
      { key, value: event, headers },
      { timeoutMs: config.intake.publishTimeoutMs },
    ),
};

const checks = [
  kafkaHealth,
  schemaRegistryHealthCheck(config.schemaRegistry.url),
  postgresHealthCheck(db),
  schemaCheck,
];
// Operators' endpoints (/metrics, and readiness with why a dependency is down) on a port of their own, which the
// deployment does not publish: the API port answers only /livez and an up-or-down /readyz.
const ops = createOpsServer({
  host: config.ops.host,
  port: config.ops.port,
  logger,
  metrics,
  checks,
  isShuttingDown: () => shutdown.isShuttingDown,
});
shutdown.register("ops-server", () => ops.close());
const app = createApp({
  logger,
  checks,
  isShuttingDown: () => shutdown.isShuttingDown,
  auth: {
    issuer: config.oauth.issuer,
    audience: config.oauth.audience,
    jwksUri: config.oauth.jwksUri,
    environment: config.environment,
    clients: registries,
  },
  rateLimit: config.rateLimit,
  admin: {
    role: config.admin.role,
    rateLimit: config.admin.rateLimit,
    stores: registryStores(db),
    inTransaction: (work) => inRegistryTransaction(db, work),
    submissions: new StatusReader(db),
  },
  operations: {
    ...operations,
    statuses: new StatusReader(db),
    intake,
    publish: publishOperatorEvent,
    newCorrelationId: randomUUID,
    now: () => new Date(),
  },
  callbackAdmin: callbackAdminDependencies(db, callbackDeliveries),
  destinationChecks: {
    destinations: (tenantId) => new RegistryStore(db).destinations(tenantId),
    checks: new DestinationChecks(db),
    request: ({ checkId, destination, requestedBy }) => {
      const correlationId = randomUUID();
      return producer.publish(
        topics.destinationCheckRequested,
        {
          key: destination.id,
          value: {
            meta: { eventId: randomUUID(), occurredAt: new Date(), correlationId, producer: "gateway" },
            checkId,
            tenant: destination.tenantId,
            destination: { id: destination.id, driver: destination.driver },
            requestedBy,
          },
          headers: {
            correlationId,
            traceparent: childTraceparent(),
            tenant: destination.tenantId,
            sourceApplication: "",
            submissionId: "",
          },
        },
        { timeoutMs: config.intake.publishTimeoutMs },
      );
    },
    audit: (destination, actor, details) =>
      new AuditLog(db).recordForDestination({
        actor,
        action: "destination.check-requested",
        tenantId: destination.tenantId,
        destinationId: destination.id,
        details,
      }),
    newCheckId: randomUUID,
    now: () => new Date(),
  },
  openApi: openApiDocument({ tokenUrl: config.oauth.tokenUrl }),
  api: {
    bodyLimitBytes: config.http.bodyLimitBytes,
    upload: { files, newFileId: newId("file"), limitBytes: config.http.fileLimitBytes },
    callbackDeliveries,
    callbacks: {
      store: callbackEndpoints,
      checkUrl: (url) => checkOutboundUrl(url, config.callbacks),
      secretOverlapMs: config.callbacks.secretOverlapMs,
      now: () => new Date(),
      logger,
    },
    idempotency: new IdempotencyStore(db, {
      inFlightMs: config.intake.stalePendingMs,
      now: () => new Date(),
    }),
    newCorrelationId: randomUUID,
    polling: new StatusPolling(db),
    submit: {
      integrations: registries,
      intake,
      files,
      publish: (event, key, headers) =>
        producer.publish(
          topics.submissionReceived,
          { key, value: event, headers },
          {
            timeoutMs: config.intake.publishTimeoutMs,
          },
        ),
      ids: { submission: newId("sub"), file: newId("file") },
      now: () => new Date(),
      stalePendingMs: config.intake.stalePendingMs,
      logger,
    },
  },
});

// The ops port first: a port already taken stops the process before it takes any request.
const { port: opsPort } = await ops.listen();
const server = createServer(app.callback());
await new Promise<void>((resolve) => server.listen(config.http.port, config.http.host, resolve));
shutdown.register("http-server", async () => {
  const closed = new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
  server.closeIdleConnections(); // keep-alive connections would otherwise hold the close open
  await closed;
});
// Operators' actions whose event never reached Kafka are published by this relay (same event, same id).
const actionRelay = setInterval(() => {
  void publishUnfinishedActions({
    publish: publishOperatorEvent,
    markPublished: operations.markPublished,
    unpublished: () => operations.unpublished(ACTION_RELAY_AFTER_MS),
  }).catch((error: unknown) => logger.warn({ err: error }, "operator action relay failed; will try again"));
}, ACTION_RELAY_AFTER_MS / 2);
shutdown.register("operator-action-relay", () => clearInterval(actionRelay));
const { port } = server.address() as AddressInfo;
exitOnSignals(shutdown, process);
logger.info({ port, opsPort }, "service started");
