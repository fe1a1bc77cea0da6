import type { DeepReadonly, PipelineServiceConfig } from "@flyt/config";
import { kafkaHealthCheck, schemaRegistryHealthCheck } from "@flyt/kafka";
import { createLogger, type Logger } from "@flyt/logging";
import { createMetricsRegistry, createOpsServer } from "@flyt/observability";
import { createDatabase, postgresHealthCheck } from "@flyt/postgres";
import { exitOnSignals, ShutdownRegistry } from "@flyt/shutdown";
import type { Knex } from "knex";

export interface ServiceRuntime {
  readonly logger: Logger;
  readonly shutdown: ShutdownRegistry;
  readonly db: Knex;
  readonly metrics: ReturnType<typeof createMetricsRegistry>;
}

/**
 * Starts what every pipeline service needs before its own work: logging, the shutdown registry (SIGTERM/SIGINT
 * handled), the database, and `/livez`, `/readyz` (Kafka, schema registry, Postgres) and `/metrics`.
 */
export async function startServiceRuntime(
  service: string,
  config: DeepReadonly<PipelineServiceConfig>,
): Promise<ServiceRuntime> {
  const logger = createLogger({ service, level: config.logLevel });
  const shutdown = new ShutdownRegistry({ logger, deadlineMs: config.shutdown.deadlineMs });

  const db = createDatabase({ url: config.database.url, applicationName: config.kafka.clientId });
  shutdown.register("database", () => db.destroy());
  const kafkaHealth = kafkaHealthCheck(config.kafka);
  shutdown.register("kafka-admin", () => kafkaHealth.close());

  const metrics = createMetricsRegistry({ service });
  const ops = createOpsServer({
    host: config.http.host,
    port: config.http.port,
    logger,
    metrics,
    checks: [kafkaHealth, schemaRegistryHealthCheck(config.schemaRegistry.url), postgresHealthCheck(db)],
  });
  shutdown.register("ops-server", () => ops.close());

  const { port } = await ops.listen();
  exitOnSignals(shutdown, process);
  logger.info({ port }, "service started");
  return { logger, shutdown, db, metrics };
}
