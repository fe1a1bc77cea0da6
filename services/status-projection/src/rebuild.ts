// Rebuilds the status read model from the lifecycle topics, beside the live one, then swaps it in; the status
// projection keeps running meanwhile. The same environment as the service (see .env.example):
//   npm run status:rebuild                   (from the repository root, DATABASE_URL etc. set)
//   node dist/rebuild.js                      (in the service's image)
// Exit codes: 0 rebuilt, 1 failed (the live model is left as it was), 2 another rebuild is running.
import { randomUUID } from "node:crypto";
import { answerEventId, createKafka, SchemaRegistryClient } from "@flyt/kafka";
import { createLogger } from "@flyt/logging";
import { createDatabase, withMigrationLock } from "@flyt/postgres";
import { migrateStatusReadModel } from "@flyt/status-read-model";
import { topicCatalogue } from "@flyt/topics";
import { readTopics, topicRanges } from "./adapters/kafka/topic-reader";
import { createRebuildSchema, swapInRebuiltTables } from "./adapters/postgres/read-model-swap";
import { StatusStore } from "./adapters/postgres/status-store";
import { loadConfig } from "./config";
import { statusSources } from "./handlers/project-status";
import { rebuildReadModel } from "./handlers/rebuild-read-model";

const REBUILD_SCHEMA = "flyt_status_rebuild";
/** The whole read must not take longer than this (a million events take a few minutes here). */
const READ_TIMEOUT_MS = 6 * 3_600_000;

const config = loadConfig();
const logger = createLogger({ service: "status-rebuild", level: config.logLevel });
const topics = topicCatalogue(config.kafka.topicNamespace ? { namespace: config.kafka.topicNamespace } : {});
const sources = statusSources(topics);
const kafka = createKafka({
  clientId: `${config.kafka.clientId}.rebuild`,
  brokers: config.kafka.brokers,
  security: config.kafka.security,
  logger,
});
const registry = new SchemaRegistryClient(config.schemaRegistry.url);
const live = createDatabase({ url: config.database.url, applicationName: "flyt.status-rebuild" });
const rebuilt = createDatabase({
  url: config.database.url,
  applicationName: "flyt.status-rebuild",
  searchPath: [REBUILD_SCHEMA],
});
// The same announcement ids as the live projection: what it already announced is recognised, not repeated.
const completionId = (terminalEventId: string) => answerEventId(terminalEventId, "completed");
const topicNames = sources.map((source) => source.topic.topic);
const schemas = new Map(sources.map((source) => [source.topic.topic, source.topic.valueSchema as object]));

// One rebuild at a time: a second would drop the first's schema. A session lock, held by its own connection.
const guard = createDatabase({
  url: config.database.url,
  applicationName: "flyt.status-rebuild",
  pool: { min: 1, max: 1 },
});
try {
  const { rows } = await guard.raw<{ rows: { locked: boolean }[] }>(
    "select pg_try_advisory_lock(hashtext('flyt.status-rebuild')) as locked",
  );
  if (!rows[0]?.locked) {
    logger.error("another status read model rebuild is running");
    process.exitCode = 2;
  } else {
    const started = Date.now();
    const counts = await rebuildReadModel({
      sources,
      ranges: () => topicRanges(kafka, topicNames),
      read: (range, onBatch) =>
        readTopics({
          kafka,
          registry,
          schemas,
          groupId: `flyt.status-rebuild.${randomUUID()}`,
          timeoutMs: READ_TIMEOUT_MS,
          ...range,
          onBatch,
        }),
      rebuilt: {
        prepare: async () => {
          await withMigrationLock(live, () => migrateStatusReadModel(live));
          await createRebuildSchema(live, REBUILD_SCHEMA);
          await migrateStatusReadModel(rebuilt);
        },
        apply: (events) => new StatusStore(rebuilt, completionId).apply(events),
      },
      swap: () =>
        swapInRebuiltTables({
          db: live,
          rebuildSchema: REBUILD_SCHEMA,
          applyToRebuilt: (trx, events) => new StatusStore(trx, completionId).apply(events),
          completionEventId: completionId,
        }),
    });
    logger.info({ ...counts, ms: Date.now() - started }, "status read model rebuilt from the topics");
  }
} catch (error) {
  logger.error({ err: error }, "status read model rebuild failed");
  process.exitCode = 1;
} finally {
  await rebuilt.destroy();
  await live.destroy();
  await guard.destroy();
}
