import type { DeepReadonly, PipelineServiceConfig } from "@flyt/config";
import { isConnectionError, isRetriable } from "@flyt/errors";
import {
  ConsumerRunner,
  createKafka,
  EventProducer,
  kafkaHealthCheck,
  type MessageHandler,
  type RetryWakeups,
  SchemaRegistryClient,
  schemaRegistryHealthCheck,
} from "@flyt/kafka";
import { createLogger, type Logger } from "@flyt/logging";
import { createMetricsRegistry, createOpsServer, type HealthCheck } from "@flyt/observability";
import { createDatabase, postgresHealthCheck } from "@flyt/postgres";
import { exitOnSignals, ShutdownRegistry } from "@flyt/shutdown";
import { type ConsumingService, serviceTopics, type TopicCatalogue, topicCatalogue } from "@flyt/topics";
import type { Kafka } from "kafkajs";
import type { Knex } from "knex";

export interface ServiceRuntime {
  readonly logger: Logger;
  readonly shutdown: ShutdownRegistry;
  readonly db: Knex;
  readonly metrics: ReturnType<typeof createMetricsRegistry>;
  readonly kafka: Kafka;
  readonly registry: SchemaRegistryClient;
  /** Connected by `startConsuming`, before the first message is handled. */
  readonly producer: EventProducer;
  /** The deployment's topics (namespaced in tests and benchmarks). */
  readonly topics: TopicCatalogue;
}

const RETRY_DELAY_MS = 2_000;

/**
 * Starts what every pipeline service needs before its own work: logging, the shutdown registry (SIGTERM/SIGINT
 * handled), the database, Kafka (client, registry, producer), and `/livez`, `/readyz` (Kafka, schema registry,
 * Postgres, and whether the service is consuming) and `/metrics`.
 */
export async function startServiceRuntime(
  service: string,
  config: DeepReadonly<PipelineServiceConfig>,
  checks: readonly HealthCheck[] = [],
): Promise<ServiceRuntime> {
  const logger = createLogger({ service, level: config.logLevel });
  const shutdown = new ShutdownRegistry({ logger, deadlineMs: config.shutdown.deadlineMs });

  const db = createDatabase({
    url: config.database.url,
    applicationName: config.kafka.clientId,
    pool: { min: 0, max: config.database.poolMax },
  });
  shutdown.register("database", () => db.destroy());
  const kafkaHealth = kafkaHealthCheck(config.kafka);
  shutdown.register("kafka-admin", () => kafkaHealth.close());

  const metrics = createMetricsRegistry({ service });
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
  const ops = createOpsServer({
    host: config.http.host,
    port: config.http.port,
    logger,
    metrics,
    isShuttingDown: () => shutdown.isShuttingDown,
    checks: [
      kafkaHealth,
      schemaRegistryHealthCheck(config.schemaRegistry.url),
      postgresHealthCheck(db),
      ...checks,
    ],
  });
  shutdown.register("ops-server", () => ops.close());

  const { port } = await ops.listen();
  exitOnSignals(shutdown, process);
  logger.info({ port }, "service started");
  const namespace = config.kafka.topicNamespace;
  return {
    logger,
    shutdown,
    db,
    metrics,
    kafka,
    registry,
    producer,
    topics: topicCatalogue(namespace ? { namespace } : {}),
  };
}

/** A readiness check that is down until the service says it is consuming. */
export function consumingCheck(): HealthCheck & { markConsuming(): void } {
  let consuming = false;
  return {
    name: "consumer",
    check: async () => {
      if (!consuming) throw new Error("not consuming yet");
    },
    markConsuming: () => {
      consuming = true;
    },
  };
}

export interface ConsumingOptions {
  readonly service: ConsumingService;
  readonly config: DeepReadonly<PipelineServiceConfig>;
  /** The consumer group, when not `flyt.<service>`: deployments of one service that split the work (by archive). */
  readonly groupId?: string;
  /** Work before the first message, such as migrations; retried while Postgres cannot be reached. */
  readonly prepare?: () => Promise<void>;
  // biome-ignore lint/suspicious/noExplicitAny: handlers of different value types share one catalogue.
  readonly handlers: readonly MessageHandler<any>[];
  readonly onConsuming?: () => void;
  /** See ConsumerRunnerOptions: concurrency split by a header, each group bounded on its own. */
  readonly admissionGroup?: (headers: Readonly<Record<string, string>>) => string | undefined;
  readonly groupConcurrency?: number;
  /** See ConsumerRunnerOptions: how the service cuts retry waits short. */
  readonly wakeups?: RetryWakeups;
}

/**
 * Prepares, connects the producer and starts the service's consumer group in the background, retrying while
 * Postgres or Kafka cannot be reached: the process stays live (and not ready) meanwhile. Any other failure
 * stops the process.
 */
export function startConsuming(runtime: ServiceRuntime, options: ConsumingOptions): void {
  const { logger, shutdown } = runtime;
  const namespace = options.config.kafka.topicNamespace;
  const ownTopics = serviceTopics(options.service, namespace ? { namespace } : {});
  const runner = new ConsumerRunner({
    kafka: runtime.kafka,
    registry: runtime.registry,
    producer: runtime.producer,
    logger,
    metrics: runtime.metrics,
    // A namespaced run has groups of its own too: it shares a broker with others without sharing their work.
    groupId: `${namespace ? `${namespace}.` : ""}${options.groupId ?? options.config.kafka.clientId}`,
    handlers: options.handlers,
    retryTopic: ownTopics.retry,
    deadLetterTopic: ownTopics.deadLetter,
    concurrency: options.config.kafka.concurrency,
    maxInFlightPerPartition: options.config.kafka.maxInFlightPerPartition,
    sessionTimeoutMs: options.config.kafka.sessionTimeoutMs,
    ...(options.admissionGroup ? { admissionGroup: options.admissionGroup } : {}),
    ...(options.groupConcurrency ? { groupConcurrency: options.groupConcurrency } : {}),
    ...(options.wakeups ? { wakeups: options.wakeups } : {}),
    // Alive but consuming nothing would stall the pipeline behind a green /livez: the process goes, and its
    // supervisor starts it again (re-reading mounted secrets, which may have been rotated).
    onStoppedForGood: () => {
      void shutdown.shutdown("consumer stopped for good").then(() => process.exit(1));
    },
  });
  // Registered first, so it runs after the runner has drained (hooks run last-registered first).
  shutdown.register("kafka-producer", () => runtime.producer.disconnect());
  shutdown.register("consumer", async () => {
    await runner.stop(options.config.shutdown.deadlineMs);
  });

  const untilDone = async (
    step: string,
    work: () => Promise<void>,
    whileFailing: (e: unknown) => boolean,
  ) => {
    for (;;) {
      if (shutdown.isShuttingDown) return false;
      try {
        await work();
        return true;
      } catch (error) {
        if (!whileFailing(error)) throw error;
        logger.warn({ err: error, step }, "start-up step not done yet; retrying");
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
  };
  void (async () => {
    if (options.prepare && !(await untilDone("preparing", options.prepare, isConnectionError))) return;
    // kafkajs gives up on a connect after its own retries; this does not.
    if (
      !(await untilDone(
        "Kafka producer",
        () => runtime.producer.connect(),
        () => true,
      ))
    )
      return;
    // A topic not created yet, or a broker restarting, fails the start retriably: keep trying.
    if (!(await untilDone("consumer group", () => runner.start(), isRetriable))) return;
    if (shutdown.isShuttingDown) return;
    logger.info({ handlers: options.handlers.map((handler) => handler.topic.topic) }, "consuming");
    options.onConsuming?.();
  })().catch((error: unknown) => {
    logger.fatal({ err: error }, "cannot start consuming");
    void shutdown.shutdown("start failed").then(() => process.exit(1));
  });
}
