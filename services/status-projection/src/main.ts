import { kafkaHealthCheck, schemaRegistryHealthCheck } from "@flyt/kafka";
import { createLogger } from "@flyt/logging";
import { createMetricsRegistry, createOpsServer } from "@flyt/observability";
import { createDatabase, postgresHealthCheck } from "@flyt/postgres";
import { exitOnSignals, ShutdownRegistry } from "@flyt/shutdown";
import { loadConfig } from "./config";

const SERVICE = "status-projection";

const config = loadConfig();
const logger = createLogger({ service: SERVICE, level: config.logLevel });
const shutdown = new ShutdownRegistry({ logger, deadlineMs: config.shutdown.deadlineMs });

const db = createDatabase({ url: config.database.url, applicationName: config.kafka.clientId });
shutdown.register("database", () => db.destroy());
const kafkaHealth = kafkaHealthCheck(config.kafka);
shutdown.register("kafka-admin", () => kafkaHealth.close());

const ops = createOpsServer({
  host: config.http.host,
  port: config.http.port,
  logger,
  metrics: createMetricsRegistry({ service: SERVICE }),
  checks: [kafkaHealth, schemaRegistryHealthCheck(config.schemaRegistry.url), postgresHealthCheck(db)],
});
shutdown.register("ops-server", () => ops.close());

const { port } = await ops.listen();
exitOnSignals(shutdown, process);
logger.info({ port }, "service started");
